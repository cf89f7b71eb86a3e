import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../server/db/client.js';
import { actorOf, makeOrg, makeUser, type TestOrg } from '../../../server/test/factories.js';
import { rollUpResponses } from '../../surveys/server/surveys.rollup.js';
import { instrumentDefinition, type InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { instruments, instrumentVersions } from '../../instruments/server/instruments.tables.js';
import { encodeResponse } from '../../surveys/server/surveys.public.js';
import { createAdministration } from '../../surveys/server/surveys.service.js';
import { responseColumns, responseValues, type ResponseRow } from '../../surveys/server/surveys.writer.js';

const t = (en: string) => ({ en, fr: en, es: en });
const agree = { points: 5, labels: ['SD', 'D', 'N', 'A', 'SA'].map(t) };

/**
 * A small survey for report tests with one scale of each scoring method: a mean scale with a
 * reverse-coded item and bands, a sum scale needing every item, a favourable-share scale; a
 * 0–10 rating; grade, gender and (multiple) self-described groups.
 */
export const reportTestInstrument: InstrumentDefinition = instrumentDefinition.parse({
  schemaVersion: 1,
  id: 'report_test',
  version: 1,
  kind: 'survey',
  audience: 'student',
  title: t('Report test'),
  defaultLanguage: 'en',
  languages: ['en', 'fr', 'es'],
  labelSets: { agree5: agree },
  sections: [
    {
      id: 'main',
      title: t('Main'),
      items: [
        ...['q1', 'q2', 'q3', 'q4'].map((id) => ({ id, type: 'likert', labelSet: 'agree5', text: t(id), tags: ['connectedness:relationships'], notApplicable: true })),
        { id: 'r1', type: 'rating', min: 0, max: 10, text: t('r1') },
        { id: 'comment', type: 'text', multiline: true, text: t('Anything else?') },
        { id: 'grade', type: 'single_choice', demographic: 'grade', text: t('Grade'), choices: ['g6', 'g7', 'g8'].map((value) => ({ value, label: t(value) })) },
        { id: 'gender_identity', type: 'single_choice', demographic: 'gender_identity', text: t('Gender'), choices: ['girl', 'boy', 'nb'].map((value) => ({ value, label: t(value) })) },
        { id: 'self_described_group', type: 'multiple_choice', demographic: 'self_described_group', text: t('Groups'), choices: ['newcomer', 'disability'].map((value) => ({ value, label: t(value) })) },
      ],
    },
  ],
  scales: [
    { id: 'belonging', title: t('Belonging'), items: ['q1', 'q2', 'q3'], reverse: ['q3'], method: 'mean', bands: [{ id: 'low', min: 1, max: 2.5, label: t('Low') }, { id: 'mid', min: 2.5, max: 4, label: t('Mid') }, { id: 'high', min: 4, max: 5, label: t('High') }], tags: ['connectedness:relationships'] },
    { id: 'total', title: t('Total'), items: ['q1', 'q2', 'q4'], method: 'sum', minAnswered: 1 },
    { id: 'favourable', title: t('Favourable'), items: ['q2', 'q4', 'r1'], reverse: ['r1'], method: 'percent_favorable' },
  ],
});

/** Publishes the report test instrument (as a shipped one, visible to everyone). */
export async function publishReportInstrument(db: Db, def: InstrumentDefinition = reportTestInstrument): Promise<void> {
  await db.insert(instruments).values({ id: def.id, kind: def.kind, audience: def.audience }).onConflictDoNothing();
  await db
    .insert(instrumentVersions)
    .values({ instrumentId: def.id, version: def.version, status: 'published', definition: def, contentHash: createHash('sha256').update(JSON.stringify(def)).digest('hex'), publishedAt: new Date() })
    .onConflictDoNothing();
}

/**
 * A closed administration of `def` given by `org` (to every school below it, or the school
 * itself), by a fresh coordinator there. Returns its id and the coordinator's actor.
 */
export async function closedAdministration(db: Db, org: TestOrg, opts: { def?: InstrumentDefinition; title?: string; daysAgo?: number } = {}) {
  const def = opts.def ?? reportTestInstrument;
  const user = await makeUser(db, { role: 'coordinator', org });
  const actor = await actorOf(db, user.id);
  const day = 86_400_000;
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  const ago = (opts.daysAgo ?? 30) * day;
  const a = await createAdministration(db, actor, {
    orgId: org.id, instrumentId: def.id, title: opts.title ?? 'Report test', languages: ['en'], opensAt: local(Date.now() + day), closesAt: local(Date.now() + 2 * day), timeZone: 'UTC', consent: 'passive',
    notice: { en: 'n' }, assent: { en: 'a' }, demographics: ['grade', 'gender_identity', 'self_described_group'], openLink: true, accessCodes: false,
  } as never);
  await db.execute(sql`update survey_administrations set opens_at = now() - ${`${ago / 1000} seconds`}::interval, closes_at = now() - ${`${ago / 1000 - 86_400} seconds`}::interval where id = ${a.id}`);
  return { id: a.id, actor, sites: a.sites.map((s) => s.orgId) };
}

/** Stores answer sets as responses of an administration at a school, as the public route would. */
export async function storeResponses(db: Db, administrationId: number, schoolId: number, answers: Record<string, unknown>[], def: InstrumentDefinition = reportTestInstrument): Promise<void> {
  for (let i = 0; i < answers.length; i += 500) {
    const rows: ResponseRow[] = answers.slice(i, i + 500).map((a) => ({
      administrationId, orgId: schoolId, stateId: null, instrumentVersion: def.version, language: 'en', submissionId: randomUUID(), submittedOn: '2026-10-01', blank: Object.keys(a).length === 0, ...encodeResponse(def, a),
    }));
    await db.execute(sql`insert into survey_responses (${responseColumns}) values ${sql.join(rows.map((r) => sql`(${responseValues(r)})`), sql`, `)}`);
  }
}

/**
 * A survey of `items` agree/disagree questions in scales of five (the second item of each
 * reversed), with grade, gender and self-described groups: the shape of the benchmark's survey.
 */
export function wideInstrument(items = 20): InstrumentDefinition {
  const ids = Array.from({ length: items }, (_, i) => `item_${i + 1}`);
  return instrumentDefinition.parse({
    ...reportTestInstrument,
    id: 'report_wide',
    title: t('Wide survey'),
    sections: [
      {
        id: 'main',
        title: t('Main'),
        items: [
          ...ids.map((id) => ({ id, type: 'likert', labelSet: 'agree5', text: t(id) })),
          ...reportTestInstrument.sections[0].items.filter((i) => 'demographic' in i && i.demographic),
        ],
      },
    ],
    scales: Array.from({ length: Math.ceil(items / 5) }, (_, s) => ({
      id: `scale_${s + 1}`,
      title: t(`Scale ${s + 1}`),
      items: ids.slice(s * 5, s * 5 + 5),
      reverse: [ids[s * 5 + 1]].filter(Boolean),
      method: s % 2 ? 'mean' : 'percent_favorable',
    })),
  });
}

const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

/**
 * The report tests' world: a state with districts D1 (S1, S2) and D2 (S3, S4) and a fall survey
 * given by the state, closed, with answers chosen so that figures can be worked out by hand:
 * - S2: 40 students, q1 in four groups of ten (1, 2, 4, 5), q4 skipped by the first ten, half in grade 6;
 * - S1: 12 students, 4 of them in grade 7 (fewer than k), two with a comment;
 * - S3: 5 students (fewer than k), one with a comment; S4: 30, all q1 = 3.
 * Three readers come with it (see `people`). With `earlier`, a spring survey too: 40 students at S2, everyone (5, 3, 2 on q1–q3).
 */
export async function makeReportWorld(db: Db, opts: { earlier?: boolean } = {}) {
  await publishReportInstrument(db);
  const network = await makeOrg(db, null, 'network');
  const state = await makeOrg(db, network, 'state');
  const d1 = await makeOrg(db, state, 'district', { name: 'D1', code: 'D-1' });
  const d2 = await makeOrg(db, state, 'district', { name: 'D2', code: 'D-2' });
  const [s1, s2] = [await makeOrg(db, d1, 'school', { name: 'S1' }), await makeOrg(db, d1, 'school', { name: 'S2' })];
  const [s3, s4] = [await makeOrg(db, d2, 'school', { name: 'S3' }), await makeOrg(db, d2, 'school', { name: 'S4' })];
  if (opts.earlier) {
    const spring = await closedAdministration(db, state, { title: 'Spring', daysAgo: 200 });
    await storeResponses(db, spring.id, s2.id, repeat(40, { q1: 5, q2: 3, q3: 2, q4: 5, r1: 0, grade: 'g6' }));
  }
  const admin = (await closedAdministration(db, state, { title: 'Fall', daysAgo: 20 })).id;
  await storeResponses(db, admin, s2.id, [
    ...repeat(10, { q1: 1, q2: 3, q3: 2, r1: 0, grade: 'g6' }),
    ...repeat(10, { q1: 2, q2: 3, q3: 2, q4: 5, r1: 0, grade: 'g6' }),
    ...repeat(10, { q1: 4, q2: 3, q3: 2, q4: 5, r1: 0, grade: 'g7' }),
    ...repeat(10, { q1: 5, q2: 3, q3: 2, q4: 5, r1: 0, grade: 'g7' }),
  ]);
  await storeResponses(db, admin, s1.id, [
    ...repeat(6, { q1: 4, grade: 'g6' }),
    { q1: 4, grade: 'g6', comment: 'More clubs at lunch' },
    { q1: 4, grade: 'g6', comment: ' A quiet room ' },
    ...repeat(4, { q1: 2, grade: 'g7' }),
  ]);
  await storeResponses(db, admin, s3.id, [...repeat(4, { q1: 1 }), { q1: 1, comment: 'I am the only one in my class who says this' }]);
  await storeResponses(db, admin, s4.id, repeat(30, { q1: 3 }));
  while ((await rollUpResponses(db)) > 0);
  // Readers: a state lead, a viewer at S1 and a member at S2.
  const people = {
    state: await makeUser(db, { role: 'viewer', org: state }),
    s1viewer: await makeUser(db, { role: 'viewer', org: s1 }),
    s2member: await makeUser(db, { role: 'member', org: s2 }),
  };
  return { network, state, d1, d2, s1, s2, s3, s4, admin, people };
}
