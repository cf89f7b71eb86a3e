/**
 * Presets for the public school-directory formats the directory parser understands. Each preset
 * is a plain object: which columns identify the format, and a pure function that turns one CSV row
 * into normalised records. Anything that needs the whole file (parent districts a row only refers
 * to, naming districts from their schools' counties) is returned as `implied` and resolved by the
 * parser once the file has been read.
 */
import type { DirectoryRecord, PresetId } from './directory.parse.js';

/** A required column, or a list of alternatives of which any one will do. */
export type ColumnRequirement = string | readonly string[];

/** A row a preset cannot use; `error` names the offending column. */
export interface DirectoryRowError {
  error: string;
}

/** A district a row refers to but does not define (e.g. a school's parent in a school-only file). */
export interface ImpliedDistrict {
  code: string;
  stateCode: string;
  /** The name the row gives the district, if it gives one. */
  name: string | null;
  /** Free-form grouping hint used to name nameless districts (HIFLD: the school's county). */
  hint?: string | null;
}

export interface PresetRowOutput {
  /** Records the row defines (usually one). */
  records: DirectoryRecord[];
  /** Parents the row refers to; dropped if a real row defines the same code. */
  implied?: ImpliedDistrict[];
}

/** What the parser knows about an implied district once the whole file has been read. */
export interface ImpliedDistrictSummary {
  code: string;
  stateCode: string;
  name: string | null;
  schoolCount: number;
  /** How many of its schools gave each hint. */
  hints: ReadonlyMap<string, number>;
}

export interface DirectoryPreset {
  id: PresetId;
  label: string;
  /** Columns that must all be present (matched case-insensitively, ignoring surrounding spaces). */
  requiredColumns: readonly ColumnRequirement[];
  /** Other columns `toRecords` reads when the file has them. */
  optionalColumns: readonly string[];
  /**
   * Turns one data row into records. `row` holds the required and optional columns under the
   * spellings used above ('' when the file lacks the column or the cell is empty).
   */
  toRecords(row: Readonly<Record<string, string>>, line: number): PresetRowOutput | DirectoryRowError;
  /** Names implied districts that have no name of their own; others fall back to "District <code>". */
  nameImpliedDistricts?(districts: readonly ImpliedDistrictSummary[]): ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// States and provinces
// ---------------------------------------------------------------------------------------------

/** US states, DC, territories, the BIE (CCD reports it as a "state") and Canadian provinces. */
export const STATE_NAMES: Readonly<Record<string, string>> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
  CT: 'Connecticut', DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia',
  HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas',
  KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts',
  MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico',
  NY: 'New York', NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma',
  OR: 'Oregon', PA: 'Pennsylvania', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota',
  TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington',
  WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  AS: 'American Samoa', GU: 'Guam', MP: 'Northern Mariana Islands', PR: 'Puerto Rico',
  VI: 'U.S. Virgin Islands', UM: 'U.S. Minor Outlying Islands', BI: 'Bureau of Indian Education',
  AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador', NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut',
  ON: 'Ontario', PE: 'Prince Edward Island', QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
};

const STATE_BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(STATE_NAMES).map(([code, name]) => [name.toLowerCase(), code]),
);

/** Resolves a postal abbreviation or full name ('fl', 'Florida') to the abbreviation, or null. */
export function resolveStateCode(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  const upper = v.toUpperCase();
  if (upper in STATE_NAMES) return upper;
  return STATE_BY_NAME.get(v.toLowerCase()) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Shared cell helpers
// ---------------------------------------------------------------------------------------------

/** Values that mean "no data" in these files: blank, HIFLD's -999, CCD's -1/-2/-9 and M/N flags. */
function isMissing(value: string): boolean {
  const v = value.trim();
  return v === '' || v === '-999' || v === '-1' || v === '-2' || v === '-9';
}

/** Collapses runs of whitespace and trims; several files pad names with trailing spaces. */
export function cleanName(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * Reads a numeric code as a string, restoring leading zeros that spreadsheets strip
 * ('10505' → '00010505' for an 8-digit code). Returns an error message naming the column.
 */
function readCode(
  value: string,
  column: string,
  length: number,
  minLength: number,
): { code: string } | { error: string } {
  const v = value.trim();
  if (isMissing(v)) return { error: `${column} is missing` };
  if (!/^\d+$/.test(v) || v.length > length || v.length < minLength) {
    return { error: `${column} "${v}" is not a ${length}-digit code` };
  }
  return { code: v.padStart(length, '0') };
}

/** Parses an enrolment count; missing markers, negatives and non-numbers become null. */
export function parseEnrolment(value: string): number | null {
  const v = value.trim().replace(/,/g, '');
  if (!/^\d+(\.0*)?$/.test(v)) return null;
  const n = Number.parseInt(v, 10);
  return Number.isSafeInteger(n) ? n : null;
}

// Order of grades used to build spans; Adult/ungraded sort after 12 and are never "adjacent".
const GRADE_RANK: Readonly<Record<string, number>> = {
  PK: -1, K: 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
  '10': 10, '11': 11, '12': 12, '13': 13, UG: 20, Adult: 30,
};

/**
 * Normalises one grade token from any of the formats: 'KG'/'K' → 'K', 'P'/'PK'/'PreK' → 'PK',
 * '05' → '5', 'AE'/'Adult' → 'Adult'. Missing markers ('', 'M', 'N', -1, -2, -9, -999) → null.
 * Unknown tokens are kept as written so no information is lost.
 */
export function normaliseGrade(token: string): string | null {
  const t = token.trim();
  if (isMissing(t)) return null;
  const u = t.toUpperCase().replace(/[\s.-]/g, '');
  if (u === 'M' || u === 'N' || u === 'NA') return null;
  if (u === 'K' || u === 'KG' || u === 'KINDERGARTEN') return 'K';
  if (u === 'P' || u === 'PK' || u === 'PREK' || u === 'PREKINDERGARTEN') return 'PK';
  if (u === 'AE' || u === 'ADULT') return 'Adult';
  if (u === 'UG' || u === 'UNGRADED') return 'UG';
  if (/^\d{1,2}$/.test(u)) return String(Number.parseInt(u, 10));
  return t;
}

/** 'K', '5' → 'K-5'; equal ends → one grade; one end missing → the other; both missing → null. */
export function gradeSpan(low: string, high: string): string | null {
  const lo = normaliseGrade(low);
  const hi = normaliseGrade(high);
  if (lo === null || hi === null) return lo ?? hi;
  return lo === hi ? lo : `${lo}-${hi}`;
}

/** Normalises a span written as 'P-8', 'K-12', '9-Adult' (CDE). */
export function normaliseSpan(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  const dash = v.indexOf('-');
  if (dash < 0) return normaliseGrade(v);
  return gradeSpan(v.slice(0, dash), v.slice(dash + 1));
}

/**
 * Turns a grade list ('PK,K,01,02,03') into a span ('PK-3'). Lists with gaps keep the gaps
 * ('PK,09,10,11,12' → 'PK,9-12') rather than claiming grades the school does not serve.
 */
export function gradeListSpan(value: string): string | null {
  const grades = [...new Set(value.split(',').map(normaliseGrade).filter((g): g is string => g !== null))];
  if (grades.length === 0) return null;
  const rank = (g: string): number => GRADE_RANK[g] ?? 100;
  grades.sort((a, b) => rank(a) - rank(b));
  const runs: string[][] = [];
  for (const g of grades) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev !== undefined && rank(g) <= 13 && rank(g) === rank(prev) + 1) run.push(g);
    else runs.push([g]);
  }
  return runs.map((r) => (r.length === 1 ? r[0] : `${r[0]}-${r[r.length - 1]}`)).join(',');
}

/** 'MIAMI-DADE' → 'Miami-Dade', 'ST. JOHNS' → 'St. Johns', "PRINCE GEORGE'S" → "Prince George's". */
export function titleCase(value: string): string {
  return cleanName(value)
    .toLowerCase()
    .replace(/(^|[\s\-/(])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** NCES school-year status codes (CCD SY_STATUS, HIFLD STATUS); closed and inactive are archived. */
const NCES_STATUS: Readonly<Record<string, DirectoryRecord['status']>> = {
  '1': 'active', // open
  '2': 'archived', // closed
  '3': 'active', // new
  '4': 'active', // added
  '5': 'active', // changed agency
  '6': 'archived', // inactive
  '7': 'active', // future: listed, not yet open
  '8': 'active', // reopened
  open: 'active',
  closed: 'archived',
  new: 'active',
  added: 'active',
  'changed agency': 'active',
  changed_agency: 'active',
  inactive: 'archived',
  future: 'active',
  reopened: 'active',
};

/** Blank status counts as active (the row is listed); an unknown value is reported. */
function ncesStatus(value: string, column: string): DirectoryRecord['status'] | { error: string } {
  const v = value.trim();
  if (isMissing(v)) return 'active';
  const key = /^\d+$/.test(v) ? String(Number.parseInt(v, 10)) : v.toLowerCase();
  return NCES_STATUS[key] ?? { error: `${column} "${v}" is not a known NCES status` };
}

function stateOf(value: string, column: string, fallback?: string): string | { error: string } {
  if (!value.trim() && fallback) return fallback;
  if (!value.trim()) return { error: `${column} is missing` };
  return resolveStateCode(value) ?? { error: `${column} "${value.trim()}" is not a US state, territory or Canadian province` };
}

function isError<T>(v: T | { error: string }): v is { error: string } {
  return typeof v === 'object' && v !== null && 'error' in v;
}

function school(
  line: number,
  fields: Pick<DirectoryRecord, 'code' | 'name' | 'parentCode' | 'stateCode' | 'gradeSpan' | 'enrolment' | 'status'>,
): DirectoryRecord {
  return { line, kind: 'school', ...fields };
}

// ---------------------------------------------------------------------------------------------
// California Department of Education: pubschls
// ---------------------------------------------------------------------------------------------

const CDE_STATUS: Readonly<Record<string, DirectoryRecord['status']>> = {
  active: 'active',
  pending: 'active', // approved, not yet open
  closed: 'archived',
  merged: 'archived',
};

/** California Department of Education public schools and districts file (pubschls). */
export const cdePreset: DirectoryPreset = {
  id: 'cde',
  label: 'California CDE',
  requiredColumns: ['CDSCode', 'StatusType', 'District', 'School'],
  optionalColumns: ['State', 'GSserved', 'GSoffered'],
  toRecords(row, line) {
    // CDS code: 2 county + 5 district + 7 school digits.
    const cds = readCode(row.CDSCode, 'CDSCode', 14, 13);
    if (isError(cds)) return cds;
    const code = cds.code;
    const status = CDE_STATUS[row.StatusType.trim().toLowerCase()];
    if (!status) {
      return { error: row.StatusType.trim() ? `StatusType "${row.StatusType.trim()}" is not Active, Pending, Closed or Merged` : 'StatusType is missing' };
    }
    // The State column is the mailing-address state and is blank on many closed rows; CDS codes
    // are California's own, so blank means CA.
    const stateCode = stateOf(row.State, 'State', 'CA');
    if (isError(stateCode)) return stateCode;
    // An all-zero code is the state itself, which the parser already emits as the state record.
    if (/^0+$/.test(code)) return { records: [] };
    const districtCode = code.slice(0, 7);
    const districtName = cleanName(row.District);
    const gradeSpan = normaliseSpan(row.GSserved) ?? normaliseSpan(row.GSoffered);
    if (code.endsWith('0000000')) {
      if (!districtName) return { error: 'District is missing' };
      return {
        records: [{ line, kind: 'district', code: districtCode, name: districtName, parentCode: null, stateCode, gradeSpan, enrolment: null, status }],
      };
    }
    const name = cleanName(row.School);
    if (!name) return { error: 'School is missing' };
    return {
      records: [school(line, { code, name, parentCode: districtCode, stateCode, gradeSpan, enrolment: null, status })],
      implied: [{ code: districtCode, stateCode, name: districtName || null }],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// NCES Common Core of Data school directory
// ---------------------------------------------------------------------------------------------

/** NCES CCD school directory (ccd_sch_029 and similar extracts). */
export const ccdPreset: DirectoryPreset = {
  id: 'ccd',
  label: 'NCES CCD',
  requiredColumns: ['NCESSCH', 'SCH_NAME', 'LEAID', 'LEA_NAME', ['ST', 'STABR'], ['SY_STATUS', 'SY_STATUS_TEXT']],
  optionalColumns: ['GSLO', 'GSHI', 'TOTAL', 'MEMBER'],
  toRecords(row, line) {
    const sch = readCode(row.NCESSCH, 'NCESSCH', 12, 11);
    if (isError(sch)) return sch;
    const lea = readCode(row.LEAID, 'LEAID', 7, 6);
    if (isError(lea)) return lea;
    const name = cleanName(row.SCH_NAME);
    if (!name) return { error: 'SCH_NAME is missing' };
    const stateCode = stateOf(row.ST || row.STABR, row.ST ? 'ST' : row.STABR ? 'STABR' : 'ST or STABR');
    if (isError(stateCode)) return stateCode;
    const status = row.SY_STATUS ? ncesStatus(row.SY_STATUS, 'SY_STATUS') : ncesStatus(row.SY_STATUS_TEXT, 'SY_STATUS_TEXT');
    if (isError(status)) return status;
    const enrolment = parseEnrolment(row.TOTAL) ?? parseEnrolment(row.MEMBER);
    return {
      records: [school(line, { code: sch.code, name, parentCode: lea.code, stateCode, gradeSpan: gradeSpan(row.GSLO, row.GSHI), enrolment, status })],
      implied: [{ code: lea.code, stateCode, name: cleanName(row.LEA_NAME) || null }],
    };
  },
};

// ---------------------------------------------------------------------------------------------
// HIFLD Public_Schools
// ---------------------------------------------------------------------------------------------

/**
 * States whose school districts are county-wide, so a district whose schools sit in one county
 * can be named after it. Elsewhere (city, township, ISD systems) a county name would mislead.
 */
const COUNTY_DISTRICT_STATES: ReadonlySet<string> = new Set(['FL', 'MD', 'WV', 'NV']);

/** HIFLD Public_Schools layer (derived from NCES CCD); -999 means missing. */
export const hifldPreset: DirectoryPreset = {
  id: 'hifld',
  label: 'HIFLD Public Schools',
  requiredColumns: ['NCESID', 'NAME', 'STATE', 'DISTRICTID'],
  optionalColumns: ['STATUS', 'ENROLLMENT', 'ST_GRADE', 'END_GRADE', 'COUNTY'],
  toRecords(row, line) {
    const sch = readCode(row.NCESID, 'NCESID', 12, 11);
    if (isError(sch)) return sch;
    const lea = readCode(row.DISTRICTID, 'DISTRICTID', 7, 6);
    if (isError(lea)) return lea;
    const name = isMissing(row.NAME) ? '' : cleanName(row.NAME);
    if (!name) return { error: 'NAME is missing' };
    const stateCode = stateOf(row.STATE, 'STATE');
    if (isError(stateCode)) return stateCode;
    const status = ncesStatus(row.STATUS, 'STATUS');
    if (isError(status)) return status;
    const county = isMissing(row.COUNTY) ? null : cleanName(row.COUNTY);
    return {
      records: [school(line, {
        code: sch.code, name, parentCode: lea.code, stateCode,
        gradeSpan: gradeSpan(row.ST_GRADE, row.END_GRADE), enrolment: parseEnrolment(row.ENROLLMENT), status,
      })],
      // The file has no district names; the county lets the parser name county districts.
      implied: [{ code: lea.code, stateCode, name: null, hint: county }],
    };
  },
  nameImpliedDistricts(districts) {
    // A district is named after a county when most of its schools are there and it is the
    // largest such district: Florida also has statewide and lab-school "districts" (e.g. Florida
    // Virtual School, all in Orange County) that must not take the county district's name.
    const owner = new Map<string, ImpliedDistrictSummary>();
    const dominant = new Map<string, string>();
    for (const d of districts) {
      let best: string | null = null;
      let bestCount = 0;
      for (const [county, count] of d.hints) if (count > bestCount) [best, bestCount] = [county, count];
      if (best === null || bestCount * 2 <= d.schoolCount) continue;
      dominant.set(d.code, best);
      const key = `${d.stateCode}|${best}`;
      const current = owner.get(key);
      if (!current || d.schoolCount > current.schoolCount) owner.set(key, d);
    }
    const names = new Map<string, string>();
    for (const d of districts) {
      const county = dominant.get(d.code);
      if (county === undefined) continue;
      const place = titleCase(county);
      const isOwner = owner.get(`${d.stateCode}|${county}`) === d;
      if (COUNTY_DISTRICT_STATES.has(d.stateCode) && isOwner) {
        // 'Baltimore City' is already a place name; don't make it 'Baltimore City County'.
        names.set(d.code, /\b(county|city|parish|borough)$/i.test(place) ? `${place} School District` : `${place} County School District`);
      } else if (!COUNTY_DISTRICT_STATES.has(d.stateCode)) {
        names.set(d.code, `District ${d.code} (${/\b(county|city|parish|borough)$/i.test(place) ? place : `${place} County`})`);
      }
    }
    return names;
  },
};

// ---------------------------------------------------------------------------------------------
// Massachusetts DESE school profiles
// ---------------------------------------------------------------------------------------------

/** Massachusetts DESE public schools (school directory joined with enrolment and profiles). */
export const maDesePreset: DirectoryPreset = {
  id: 'ma-dese',
  label: 'Massachusetts DESE',
  requiredColumns: ['School Code', 'School Name', 'District Code', 'District Name'],
  optionalColumns: ['Grade', 'TOTAL_Enrollment', 'State'],
  toRecords(row, line) {
    // DESE org codes are 8 digits ('00010505'); spreadsheet exports drop the leading zeros.
    const sch = readCode(row['School Code'], 'School Code', 8, 4);
    if (isError(sch)) return sch;
    const dist = readCode(row['District Code'], 'District Code', 8, 4);
    if (isError(dist)) return dist;
    const name = cleanName(row['School Name']);
    if (!name) return { error: 'School Name is missing' };
    const stateCode = stateOf(row.State, 'State', 'MA');
    if (isError(stateCode)) return stateCode;
    return {
      records: [school(line, {
        code: sch.code, name, parentCode: dist.code, stateCode,
        gradeSpan: gradeListSpan(row.Grade), enrolment: parseEnrolment(row.TOTAL_Enrollment), status: 'active',
      })],
      implied: [{ code: dist.code, stateCode, name: cleanName(row['District Name']) || null }],
    };
  },
};

/** All presets, in detection order. */
export const DIRECTORY_PRESETS: readonly DirectoryPreset[] = [cdePreset, ccdPreset, hifldPreset, maDesePreset];

/** Human-readable form of a requirement: 'ST or STABR'. */
export function describeRequirement(req: ColumnRequirement): string {
  return typeof req === 'string' ? req : req.join(' or ');
}
