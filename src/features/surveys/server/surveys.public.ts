import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../server/db/client.js';
import { AppError, badRequest, conflict, notFound } from '../../../server/http/errors.js';
import { validateAnswers } from '../../instruments/model/answers.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { loadPublishedDefinition } from '../../instruments/server/instruments.service.js';
import type { PublicSurvey, ResponseBody } from '../surveys.public.contract.js';
import { type CodeTarget, findCode } from './surveys.lookup.js';
import { windowState } from './surveys.service.js';
import { todayIn } from './surveys.time.js';
import { ratedSlots } from './surveys.layout.js';
import { responseColumns, responseValues, writerFor } from './surveys.writer.js';

const SPECIAL: Record<string, number> = { NA: -1, DK: -2, PNS: -3 };
const LANG_KEYS = new Set(['en', 'fr', 'es']);

/** Keeps one language of every translated text (objects whose keys are language codes). */
function inLanguage<T>(value: T, lang: LanguageCode, fallback: LanguageCode): T {
  if (Array.isArray(value)) return value.map((v) => inLanguage(v, lang, fallback)) as T;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length && entries.every(([k, v]) => LANG_KEYS.has(k) && typeof v === 'string')) return { [lang]: pick(value as never, lang, fallback) } as T;
    return Object.fromEntries(entries.map(([k, v]) => [k, inLanguage(v, lang, fallback)])) as T;
  }
  return value;
}

// An administration's instrument never changes once set up: what respondents see is built once.
const askedCache = new WeakMap<Db, Map<string, InstrumentDefinition>>();

/** The instrument version without the demographic questions this administration does not ask. */
async function askedDefinition(db: Db, t: CodeTarget): Promise<InstrumentDefinition> {
  let cache = askedCache.get(db);
  if (!cache) askedCache.set(db, (cache = new Map()));
  const key = `${t.administrationId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const def = await loadPublishedDefinition(db, t.instrumentId, t.instrumentVersion);
  if (!def) throw notFound('Survey');
  const keep = (item: InstrumentDefinition['sections'][number]['items'][number]) => !('demographic' in item && item.demographic) || t.demographics.includes(item.id);
  const asked: InstrumentDefinition = { ...def, sections: def.sections.map((s) => ({ ...s, items: s.items.filter(keep) })).filter((s) => s.items.length > 0) };
  cache.set(key, asked);
  return asked;
}

function stateOf(t: CodeTarget): PublicSurvey['state'] {
  const window = windowState(t);
  if (window !== 'open') return window;
  return t.used ? 'used' : 'open';
}

async function target(db: Db, code: string): Promise<CodeTarget> {
  const t = await findCode(db, code);
  if (!t) throw notFound('Survey code');
  return t;
}

/**
 * What the respondent page needs for a code: the state, the languages, the notice and assent,
 * and (when open) the instrument in one language without unasked demographic questions.
 * @throws AppError not_found (unknown code)
 */
export async function getPublicSurvey(db: Db, code: string, lang?: LanguageCode): Promise<PublicSurvey> {
  const t = await target(db, code);
  const languages = t.languages as LanguageCode[];
  const language = lang && languages.includes(lang) ? lang : languages[0];
  const state = stateOf(t);
  const def = state === 'open' ? await askedDefinition(db, t) : null;
  return {
    state,
    code,
    languages,
    language,
    title: t.title,
    schoolName: t.schoolName,
    opensAt: t.opensAt.toISOString(),
    closesAt: t.closesAt.toISOString(),
    consent: t.consentModel,
    notice: pick(t.notice, language, languages[0]),
    assent: pick(t.assent, language, languages[0]),
    instrument: def ? { ...inLanguage(def, language, def.defaultLanguage), languages: [language], defaultLanguage: language } : null,
  };
}

/**
 * Splits validated answers into the stored shape: rated answers in slot order (special answers
 * as negative codes), demographic answers, and the rest.
 */
const layouts = new WeakMap<InstrumentDefinition, { rated: string[]; ratedSet: Set<string>; demographic: Set<string> }>();

function layoutOf(def: InstrumentDefinition) {
  let l = layouts.get(def);
  if (!l) {
    const rated = ratedSlots(def);
    const demographic = new Set(def.sections.flatMap((s) => s.items.filter((i) => 'demographic' in i && i.demographic).map((i) => i.id)));
    layouts.set(def, (l = { rated, ratedSet: new Set(rated), demographic }));
  }
  return l;
}

export function encodeResponse(def: InstrumentDefinition, answers: Record<string, unknown>) {
  const ratings: (number | null)[] = [];
  const groups: Record<string, string | string[]> = {};
  const other: Record<string, unknown> = {};
  const { rated: slots, ratedSet: rated, demographic } = layoutOf(def);
  for (const slotId of slots) {
    const v = answers[slotId];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 32_000) ratings.push(v);
    else if (typeof v === 'string' && v in SPECIAL) ratings.push(SPECIAL[v]);
    else {
      ratings.push(null);
      if (v !== undefined) other[slotId] = v;
    }
  }
  for (const [key, v] of Object.entries(answers)) {
    if (rated.has(key)) continue;
    if (demographic.has(key) && (typeof v === 'string' || Array.isArray(v))) groups[key] = v as string | string[];
    else other[key] = v;
  }
  return { ratings, groups, other };
}

/**
 * Stores one anonymous response, acknowledged only once committed. The device's submissionId
 * makes retries safe: the same submission twice is one response (`duplicate`). A single-use code
 * is marked used in the same statement, and nothing links it to the response.
 * Stored: administration, school, version, language, answers, the day. Never: who, IP, agent, time.
 * @throws AppError not_found (unknown code) | conflict (not open, code used) | validation_failed (names the item)
 */
export async function submitResponse(db: Db, body: ResponseBody): Promise<{ duplicate: boolean }> {
  const t = await target(db, body.code);
  const window = windowState(t);
  if (window === 'not_open') throw conflict('This survey is not open yet.');
  if (window === 'closed') throw conflict('This survey is closed.');
  if (!t.languages.includes(body.language)) throw badRequest(`This survey is not offered in "${body.language}".`, 'language');
  const def = await askedDefinition(db, t);
  const { answers, errors } = validateAnswers(def, body.answers, { rejectHidden: true });
  if (errors.length) throw new AppError('validation_failed', `${errors[0].item}: ${errors[0].message}`, errors[0].item);
  const row = { administrationId: t.administrationId, orgId: t.orgId, stateId: t.stateId, instrumentVersion: t.instrumentVersion, language: body.language, submissionId: body.submissionId, ...encodeResponse(def, answers), blank: Object.keys(answers).length === 0, submittedOn: todayIn(t.timeZone) };
  if (t.via === 'link') return { duplicate: !(await writerFor(db).write(row)) };
  // A single-use code: use it and store the response in one statement, unless this submission is
  // already stored (a retry after a lost acknowledgement).
  const [r] = await queryRows<{ stored: boolean; used: boolean; inserted: boolean }>(
    db,
    sql`with earlier as (select 1 from survey_responses where submission_id = ${body.submissionId}::uuid),
        spent as (update survey_access_codes set used = true where code_hash = ${t.codeHash} and not used and not exists (select 1 from earlier) returning 1),
        ins as (insert into survey_responses (${responseColumns}) select ${responseValues(row)} from spent on conflict (submission_id) do nothing returning 1)
        select exists (select 1 from earlier) as stored, exists (select 1 from spent) as used, exists (select 1 from ins) as inserted`,
  );
  if (r.inserted) {
    // Both rows now carry the transaction id that wrote them (xmin): write the code's row once
    // more so the live rows no longer share it. (The response's row is rewritten when counted.)
    await db.execute(sql`update survey_access_codes set used = true where code_hash = ${t.codeHash}`);
    return { duplicate: false };
  }
  if (r.stored) return { duplicate: true };
  // Two copies of one submission racing: the other one used the code; it is stored by now.
  const [again] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from survey_responses where submission_id = ${body.submissionId}::uuid`);
  if (again.n > 0) return { duplicate: true };
  throw conflict('This code has already been used to answer the survey.', 'code');
}

/**
 * "No thanks" on the assent screen: only a count per school, nothing else.
 * @throws AppError not_found (unknown code) | conflict (not open, or a used code)
 */
export async function declineSurvey(db: Db, code: string): Promise<void> {
  const t = await target(db, code);
  // Counted only where a response could have been given.
  if (stateOf(t) !== 'open') throw conflict('This survey is not open, so there is nothing to decline.');
  await db.execute(sql`update survey_sites set declined = declined + 1 where administration_id = ${t.administrationId} and org_id = ${t.orgId}`);
}
