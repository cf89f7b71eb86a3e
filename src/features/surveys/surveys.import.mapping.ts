/**
 * How values of a past-results file are read as answers, shared by the server (which imports) and
 * the import page (which previews): pure functions, no I/O. A value is recognised by the words of
 * a scale point or a choice in any of the instrument's languages (case, accents, spaces and
 * punctuation aside), by a leading number ("4", "(6) Very useful"), or by an explicit answer the
 * coordinator gives for that value of that column.
 */
import type { ExplicitValue, ImportColumn, ImportSchool, ImportTarget, Words } from './surveys.import.contract.js';

export type Answer = number | string | string[];
/** What a value of a column becomes: an answer, no answer (blank), or not recognised. */
export type Reading = { kind: 'answer'; value: Answer } | { kind: 'missing' } | { kind: 'invalid' };

/** Lower case, no accents, one kind of apostrophe, single spaces. */
export function normalise(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Letters and digits only: "Strongly-agree", "strongly agree" and "STRONGLY AGREE" read alike. */
export function compact(s: string): string {
  return normalise(s).replace(/[^a-z0-9]/g, '');
}

// Markers statistics packages write for "no answer" (R's NA, SPSS's ".", spreadsheets' #N/A).
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '.', '-', '#n/a', 'missing', 'nr']);

/** A blank cell or a missing-value marker: no answer, never an invalid value. */
export function isMissing(raw: string): boolean {
  return MISSING.has(raw.trim().toLowerCase());
}

const SPECIAL_WORDS: Record<'NA' | 'DK' | 'PNS', string[]> = {
  NA: ['not applicable', 'does not apply', 'sans objet', 'ne s applique pas', 'no aplica', 'no corresponde'],
  DK: ["don't know", 'dont know', 'do not know', 'dk', 'ne sais pas', 'je ne sais pas', 'no se', 'no lo se'],
  PNS: ['prefer not to say', 'prefer not to answer', 'prefere ne pas repondre', 'je prefere ne pas repondre', 'prefiero no decir', 'prefiero no responder'],
};
const specialByWords = new Map(Object.entries(SPECIAL_WORDS).flatMap(([code, list]) => list.map((w) => [compact(w), code])));

/** The whole number a value starts with: "4", "4.0", "(6) Very Useful", "2 - Disagree"; else null. */
export function leadingNumber(raw: string): number | null {
  const m = /^\(?\s*(-?\d{1,5})(?:[.,]0+)?\s*\)?(?=\s|$|[^\d.,])/.exec(raw.trim());
  return m ? Number(m[1]) : null;
}

const texts = (w: Words | null | undefined) => (w ? [w.en, w.fr, w.es].filter((x): x is string => !!x) : []);

/** Whether an answer is one the target takes (a point in range, an allowed special, a choice). */
export function acceptable(target: ImportTarget, value: ExplicitValue | string[]): boolean {
  if (value === null) return true;
  if (target.kind === 'rated') {
    if (typeof value === 'number') return Number.isInteger(value) && value >= target.min! && value <= target.max!;
    return typeof value === 'string' && (target.special as string[]).includes(value);
  }
  const ok = (v: string) => target.choices.some((c) => c.value === v);
  if (Array.isArray(value)) return target.multiple && value.length > 0 && (value.length === 1 && value[0] === 'PNS' ? true : value.every(ok) && new Set(value).size === value.length);
  if (typeof value !== 'string') return false;
  return value === 'PNS' || ok(value);
}

/** The answer a value is recognised as, without an explicit answer; null when none. */
function recognise(target: ImportTarget, raw: string): Answer | null {
  const key = compact(raw);
  const special = specialByWords.get(key);
  if (special && (target.special as string[]).includes(special)) return special;
  if (target.kind === 'rated') {
    const point = target.labels.findIndex((l) => texts(l).some((t) => compact(t) === key));
    if (point >= 0 && key) return target.min! + point;
    const n = leadingNumber(raw);
    return n !== null && n >= target.min! && n <= target.max! ? n : null;
  }
  const one = (part: string): string | null => {
    const k = compact(part);
    if (!k) return null;
    const specialOne = specialByWords.get(k);
    if (specialOne === 'PNS') return 'PNS';
    return target.choices.find((c) => compact(c.value) === k || texts(c.label).some((t) => compact(t) === k))?.value ?? null;
  };
  if (!target.multiple) return one(raw);
  // Several choices in one cell, separated as spreadsheets and survey tools write them.
  const parts = raw.split(/[;|]/).map((p) => one(p));
  return parts.every((p): p is string => p !== null) && acceptable(target, parts) ? parts : null;
}

/**
 * What one value of a column becomes for a target. An explicit answer wins (null: leave it
 * unanswered); then blanks and missing markers are no answer; then the value is recognised.
 */
export function readValue(target: ImportTarget, raw: string, explicit?: Record<string, ExplicitValue>): Reading {
  if (explicit && Object.hasOwn(explicit, raw)) {
    const v = explicit[raw];
    if (v === null) return { kind: 'missing' };
    return acceptable(target, v) ? { kind: 'answer', value: target.multiple && typeof v === 'string' ? [v] : v } : { kind: 'invalid' };
  }
  if (isMissing(raw)) return { kind: 'missing' };
  const value = recognise(target, raw);
  return value === null ? { kind: 'invalid' } : { kind: 'answer', value };
}

/** Column names that usually hold a demographic answer of each kind (English, French, Spanish). */
const DEMOGRAPHIC_NAMES: Record<string, string[]> = {
  gender_identity: ['sex', 'gender', 'sexe', 'genre', 'sexo', 'genero'],
  grade: ['grade', 'year', 'yearlevel', 'niveau', 'annee', 'grado', 'curso'],
  home_language: ['language', 'homelanguage', 'lang', 'langue', 'idioma', 'lengua'],
};

/** Similarity of two strings by shared letter pairs (Dice), from 0 to 1. */
function likeness(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const pairs = (s: string) => Array.from({ length: s.length - 1 }, (_, i) => s.slice(i, i + 2));
  const pa = pairs(a);
  const pb = pairs(b);
  let shared = 0;
  const rest = [...pb];
  for (const p of pa) {
    const i = rest.indexOf(p);
    if (i >= 0) {
      shared++;
      rest.splice(i, 1);
    }
  }
  return (2 * shared) / (pa.length + pb.length);
}

/**
 * The slot a column is proposed for, by name: the slot's id, the question's words in any language,
 * a usual name for a demographic question ("sex" for gender), or an id spelled nearly alike.
 */
export function proposeTarget(name: string, targets: ImportTarget[], taken: Set<string>): string | null {
  const key = compact(name);
  if (!key) return null;
  const free = targets.filter((t) => !taken.has(t.id));
  const exact = free.find((t) => compact(t.id) === key || texts(t.text).some((x) => compact(x) === key));
  if (exact) return exact.id;
  const demographic = free.find((t) => t.demographic && (DEMOGRAPHIC_NAMES[t.demographic] ?? []).includes(key));
  if (demographic) return demographic.id;
  const scored = free.map((t) => ({ t, s: likeness(key, compact(t.id)) })).filter((x) => x.s >= 0.85).sort((a, b) => b.s - a.s);
  return scored.length && (scored.length === 1 || scored[0].s > scored[1].s) ? scored[0].t.id : null;
}

/** Finds the school a value names, by its code or else its name (one lookup per value). */
export function schoolMatcher(schools: ImportSchool[]): (value: string) => number | null {
  const byCode = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const s of schools) {
    if (!byCode.has(compact(s.code))) byCode.set(compact(s.code), s.id);
    if (!byName.has(compact(s.name))) byName.set(compact(s.name), s.id);
  }
  return (value) => {
    const key = compact(value);
    return key ? (byCode.get(key) ?? byName.get(key) ?? null) : null;
  };
}

const SCHOOL_NAMES = new Set(['school', 'schoolcode', 'schoolid', 'schoolname', 'site', 'campus', 'ecole', 'etablissement', 'escuela', 'centro']);

/**
 * The column proposed as each row's school: the one whose values best name the organisation's
 * schools (at least half of them), or else a column called "school" or alike.
 */
export function proposeSchoolColumn(columns: ImportColumn[], valuesOf: (c: ImportColumn) => string[], schools: ImportSchool[]): number | null {
  const match = schoolMatcher(schools);
  let best: { index: number; share: number } | null = null;
  for (const c of columns) {
    if (c.identifier || c.distinct === 0) continue;
    const values = valuesOf(c);
    const share = values.filter((v) => match(v) !== null).length / values.length;
    if (share >= 0.5 && (!best || share > best.share)) best = { index: c.index, share };
  }
  if (best) return best.index;
  return columns.find((c) => !c.identifier && SCHOOL_NAMES.has(compact(c.name)))?.index ?? null;
}
