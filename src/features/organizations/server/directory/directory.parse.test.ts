import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  DirectoryFormatError,
  detectPreset,
  parseDirectory,
  type DirectoryParseResult,
  type DirectoryRecord,
} from './directory.parse.js';
import { gradeListSpan, gradeSpan, normaliseSpan, titleCase } from './directory.presets.js';
import { extdataPath } from '../../../../server/test/extdata.js';

const DIR = extdataPath('school_directory');
const CDE = `${DIR}/ca_pubschls.csv`;
const HIFLD = `${DIR}/hifld_public_schools_FL.csv`;
const MA = `${DIR}/ma_public_schools_2017.csv`;
const NOT_A_DIRECTORY = extdataPath('likert_survey/psych_bfi.csv');

// Expected numbers below were counted independently of this parser, with awk and Python's csv
// module (which handles the quoted commas in these files), e.g.
//   python3 -c "import csv;r=csv.reader(open(F,newline=''));next(r);print(sum(1 for _ in r))"

/** Each real file is parsed once and shared by the tests that look at it. */
function cached(path: string): () => Promise<DirectoryParseResult> {
  let p: Promise<DirectoryParseResult> | undefined;
  return () => (p ??= parseDirectory(path));
}
const cde = cached(CDE);
const hifld = cached(HIFLD);
const ma = cached(MA);

function byKind(result: DirectoryParseResult, kind: DirectoryRecord['kind']): DirectoryRecord[] {
  return result.records.filter((r) => r.kind === kind);
}

function find(result: DirectoryParseResult, kind: DirectoryRecord['kind'], code: string): DirectoryRecord | undefined {
  return result.records.find((r) => r.kind === kind && r.code === code);
}

/** Shared structural checks: order, uniqueness, every school has a district, every record a state. */
function expectWellFormed(result: DirectoryParseResult): void {
  const order = { state: 0, district: 1, school: 2 } as const;
  for (let i = 1; i < result.records.length; i++) {
    expect(order[result.records[i].kind]).toBeGreaterThanOrEqual(order[result.records[i - 1].kind]);
  }
  const keys = result.records.map((r) => `${r.kind}:${r.code}`);
  expect(new Set(keys).size).toBe(keys.length);
  const districts = new Set(byKind(result, 'district').map((d) => d.code));
  const states = new Set(byKind(result, 'state').map((s) => s.code));
  for (const r of result.records) {
    expect(states.has(r.stateCode)).toBe(true);
    if (r.kind === 'school') expect(districts.has(r.parentCode ?? '')).toBe(true);
    else expect(r.parentCode).toBeNull();
  }
}

describe('detectPreset', () => {
  it('recognises each format from its header, ignoring case and spaces', () => {
    expect(detectPreset(['CDSCode', 'NCESDist', 'StatusType', 'County', 'District', 'School'])).toBe('cde');
    expect(detectPreset(['NCESSCH', 'SCH_NAME', 'LEAID', 'LEA_NAME', 'STABR', 'SY_STATUS_TEXT'])).toBe('ccd');
    expect(detectPreset(['Long', 'Lat', 'NCESID', 'NAME', 'STATE', 'DISTRICTID'])).toBe('hifld');
    expect(detectPreset([' school code', 'SCHOOL NAME ', 'District Name', 'District Code'])).toBe('ma-dese');
    expect(detectPreset(['', 'A1', 'A2'])).toBeNull();
    expect(detectPreset([])).toBeNull();
  });
});

describe('grade helpers', () => {
  it('normalises spans and lists', () => {
    expect(gradeSpan('KG', '05')).toBe('K-5');
    expect(gradeSpan('PK', 'PK')).toBe('PK');
    expect(gradeSpan('M', 'M')).toBeNull();
    expect(gradeSpan('-999', '12')).toBe('12');
    expect(normaliseSpan('P-8')).toBe('PK-8');
    expect(normaliseSpan('9-Adult')).toBe('9-Adult');
    expect(normaliseSpan('')).toBeNull();
    expect(gradeListSpan('PK,K,01,02,03')).toBe('PK-3');
    expect(gradeListSpan('PK,09,10,11,12')).toBe('PK,9-12');
    expect(gradeListSpan('6')).toBe('6');
    expect(gradeListSpan('')).toBeNull();
    expect(titleCase('MIAMI-DADE')).toBe('Miami-Dade');
    expect(titleCase('ST. JOHNS')).toBe('St. Johns');
  });
});

describe('California CDE pubschls (ca_pubschls.csv)', () => {
  it('reads every row and is fast', async () => {
    const started = performance.now();
    const progress: number[] = [];
    const result = await parseDirectory(CDE, { onProgress: (n) => progress.push(n) });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.preset).toBe('cde');
    // python3 csv: 17,813 data rows (wc -l is 17,814 = header + rows; no multi-line fields)
    expect(result.rowCount).toBe(17813);
    expect(progress.at(-1)).toBe(17813);
    expect(progress.length).toBe(18); // every 1,000 rows, then once at the end
  });

  it('counts states, districts and schools', async () => {
    const result = await cde();
    expect(result.errors).toEqual([]);
    expect(byKind(result, 'state').map((s) => s.code)).toEqual(['CA']);
    // awk -F, 'NR>1 && $1 ~ /0000000$/' ca_pubschls.csv | wc -l            → 1,374 district rows
    // awk -F, 'NR>1{print substr($1,1,7)}' ca_pubschls.csv | sort -u | wc -l → 1,424 district codes
    // so 50 districts are referenced by schools but have no row of their own (synthesised).
    expect(byKind(result, 'district')).toHaveLength(1424);
    // 17,813 rows - 1,374 district rows = 16,439 school rows
    expect(byKind(result, 'school')).toHaveLength(16439);
    expectWellFormed(result);
  });

  it('maps status: Closed/Merged archived, Active/Pending active', async () => {
    const result = await cde();
    // python3 csv: school rows (code not ending 0000000) with StatusType Closed or Merged → 5,816
    expect(byKind(result, 'school').filter((s) => s.status === 'archived')).toHaveLength(5816);
    // district rows Closed/Merged: 280; plus synthesised districts whose schools are all
    // Closed/Merged: 48 (python3 csv, grouping school rows by their 7-digit prefix) → 328
    expect(byKind(result, 'district').filter((d) => d.status === 'archived')).toHaveLength(328);
    // line 1723: 10101080136291, Career Technical Education Charter, Pending, GSoffered 9-12
    expect(find(result, 'school', '10101080136291')).toEqual({
      line: 1723, kind: 'school', code: '10101080136291', name: 'Career Technical Education Charter',
      parentCode: '1010108', stateCode: 'CA', gradeSpan: '9-12', enrolment: null, status: 'active',
    });
  });

  it('reads known rows with leading zeros kept', async () => {
    const result = await cde();
    expect(find(result, 'district', '0110017')).toEqual({
      line: 2, kind: 'district', code: '0110017', name: 'Alameda County Office of Education',
      parentCode: null, stateCode: 'CA', gradeSpan: null, enrolment: null, status: 'active',
    });
    // line 3: a closed charter under the county office, address with a quoted comma
    expect(find(result, 'school', '01100170109835')).toEqual({
      line: 3, kind: 'school', code: '01100170109835', name: 'FAME Public Charter',
      parentCode: '0110017', stateCode: 'CA', gradeSpan: 'K-12', enrolment: null, status: 'archived',
    });
    // line 14281: quoted comma and an accent in the name
    expect(find(result, 'school', '42691200131623')).toMatchObject({
      line: 14281, name: 'Jiménez, Roberto and Dr. Francisco Elementary School', parentCode: '4269120', gradeSpan: 'K-6',
    });
    // line 13: State column blank (292 closed/merged rows have no State) → still CA
    expect(find(result, 'school', '01100170131276')).toMatchObject({ line: 13, stateCode: 'CA', status: 'archived' });
    // line 1413: GSserved blank, GSoffered 'P-K' → fallback, P → PK
    expect(find(result, 'school', '07617960730499')?.gradeSpan).toBe('PK-K');
    // last line of the file
    expect(byKind(result, 'school').at(-1)).toMatchObject({ line: 17814, code: '58727695838305', name: 'Wheatland Union High' });
  });

  it('synthesises districts that only schools refer to', async () => {
    const result = await cde();
    // 0140402 has no district row; its only school is on line 45 (Closed)
    expect(find(result, 'district', '0140402')).toEqual({
      line: 45, kind: 'district', code: '0140402', name: 'Mission Valley ROC/P',
      parentCode: null, stateCode: 'CA', gradeSpan: null, enrolment: null, status: 'archived',
    });
    // line 7545: District 'CEA Mariposa Co ' has a trailing space in the file
    expect(find(result, 'district', '2232276')?.name).toBe('CEA Mariposa Co');
  });
});

describe('HIFLD Public_Schools, Florida (hifld_public_schools_FL.csv)', () => {
  it('counts states, districts and schools', async () => {
    const result = await hifld();
    expect(result.preset).toBe('hifld');
    expect(result.errors).toEqual([]);
    // python3 csv: 4,337 data rows, all STATE=FL, 4,337 distinct NCESID, 76 distinct DISTRICTID
    expect(result.rowCount).toBe(4337);
    expect(byKind(result, 'state')).toEqual([{
      line: 2, kind: 'state', code: 'FL', name: 'Florida', parentCode: null, stateCode: 'FL',
      gradeSpan: null, enrolment: null, status: 'active',
    }]);
    expect(byKind(result, 'district')).toHaveLength(76);
    expect(byKind(result, 'school')).toHaveLength(4337);
    expectWellFormed(result);
  });

  it('treats -999 as missing and maps NCES status codes', async () => {
    const result = await hifld();
    const schools = byKind(result, 'school');
    // python3 csv: ENROLLMENT == '-999' on 105 rows (exactly the STATUS 2 closed + 7 future rows)
    expect(schools.filter((s) => s.enrolment === null)).toHaveLength(105);
    // python3 csv: STATUS counts 1:4146 2:62 3:64 4:20 7:43 8:2; only 2 (closed) is archived here
    expect(schools.filter((s) => s.status === 'archived')).toHaveLength(62);
    // python3 csv: sum of ENROLLMENT over rows that are not -999 → 2,870,488
    expect(schools.reduce((sum, s) => sum + (s.enrolment ?? 0), 0)).toBe(2870488);
    // line 36: closed, ENROLLMENT -999, grades M/M
    expect(find(result, 'school', '120003002107')).toEqual({
      line: 36, kind: 'school', code: '120003002107', name: 'ALACHUA REGIONAL JUVENILE DETENTION CENTER',
      parentCode: '1200030', stateCode: 'FL', gradeSpan: null, enrolment: null, status: 'archived',
    });
    // line 80: STATUS 7 (future) is listed, so active; enrolment -999 → null
    expect(find(result, 'school', '120006010621')).toMatchObject({ line: 80, status: 'active', enrolment: null });
  });

  it('reads known rows', async () => {
    const result = await hifld();
    expect(find(result, 'school', '120000207976')).toEqual({
      line: 2, kind: 'school', code: '120000207976', name: 'FLORIDA VIRTUAL ELEMENTARY SCHOOL',
      parentCode: '1200002', stateCode: 'FL', gradeSpan: 'K-5', enrolment: 2600, status: 'active',
    });
    // line 40: ST_GRADE PK, END_GRADE PK, ENROLLMENT 0 (zero is a value, not missing)
    expect(find(result, 'school', '120003002975')).toMatchObject({ line: 40, gradeSpan: 'PK', enrolment: 0 });
  });

  it('names districts after their county only when they are that county district', async () => {
    const result = await hifld();
    const districts = byKind(result, 'district');
    // Florida has 67 county districts; python3 csv shows each of the 67 COUNTY values is the
    // majority county of exactly one large DISTRICTID. The other 9 are statewide or special:
    // Florida Virtual School (1200002, 3 schools in Orange), IDEA (1200084, Duval + Hillsborough),
    // 1202012/13, FAMU and P.K. Yonge lab schools (1202014/15), FSDB (1202016), and the BIE
    // schools Miccosukee (5900090) and Ahfachkee (5900092).
    expect(districts.filter((d) => d.name.endsWith(' County School District'))).toHaveLength(67);
    expect(districts.filter((d) => d.name.startsWith('District ')).map((d) => d.code).sort()).toEqual([
      '1200002', '1200084', '1202012', '1202013', '1202014', '1202015', '1202016', '5900090', '5900092',
    ]);
    expect(find(result, 'district', '1201440')?.name).toBe('Orange County School District');
    expect(find(result, 'district', '1200390')?.name).toBe('Miami-Dade County School District');
    expect(find(result, 'district', '1201740')?.name).toBe('St. Johns County School District');
    // 112 of Brevard's 114 schools are in Brevard; two virtual/contract schools elsewhere
    expect(find(result, 'district', '1200150')?.name).toBe('Brevard County School District');
    // the district's line is the line of its first school
    expect(find(result, 'district', '1201440')?.line).toBe(2789);
    expect(new Set(districts.map((d) => d.name)).size).toBe(76);
  });
});

describe('Massachusetts DESE (ma_public_schools_2017.csv)', () => {
  it('counts states, districts and schools', async () => {
    const result = await ma();
    expect(result.preset).toBe('ma-dese');
    expect(result.errors).toEqual([]);
    // python3 csv: 1,861 data rows, 1,861 distinct School Code, 410 distinct District Code
    // (and 410 distinct District Name, one name per code)
    expect(result.rowCount).toBe(1861);
    expect(byKind(result, 'state').map((s) => [s.code, s.name])).toEqual([['MA', 'Massachusetts']]);
    expect(byKind(result, 'district')).toHaveLength(410);
    expect(byKind(result, 'school')).toHaveLength(1861);
    expect(result.records.every((r) => r.status === 'active')).toBe(true);
    // python3 csv: sum of TOTAL_Enrollment → 953,748
    expect(byKind(result, 'school').reduce((sum, s) => sum + (s.enrolment ?? 0), 0)).toBe(953748);
    expectWellFormed(result);
  });

  it('restores the 8-digit org codes the file lost its leading zeros from', async () => {
    const result = await ma();
    // The file has School Code 10505 / District Code 10000 (lengths 5-8 digits).
    expect(find(result, 'school', '00010505')).toEqual({
      line: 2, kind: 'school', code: '00010505', name: 'Abington High',
      parentCode: '00010000', stateCode: 'MA', gradeSpan: '9-12', enrolment: 452, status: 'active',
    });
    expect(find(result, 'district', '00010000')).toMatchObject({ line: 2, name: 'Abington', parentCode: null });
    expect(result.records.filter((r) => r.kind !== 'state').every((r) => /^\d{8}$/.test(r.code))).toBe(true);
    // line 4: Grade "PK,K", TOTAL_Enrollment 203
    expect(find(result, 'school', '00010002')).toMatchObject({ line: 4, name: 'Center Elementary School', gradeSpan: 'PK-K', enrolment: 203 });
    // line 1844: a charter school that is its own district; code already 8 digits
    expect(find(result, 'school', '35090305')).toMatchObject({
      line: 1844, name: 'Argosy Collegiate Charter School', parentCode: '35090000', gradeSpan: '6-8', enrolment: 307,
    });
    expect(find(result, 'district', '35090000')?.name).toBe('Argosy Collegiate Charter School (District)');
  });

  it('turns grade lists into spans, keeping gaps', async () => {
    const result = await ma();
    // line 62: Auburn Senior High, Grade "PK,09,10,11,12" (a preschool inside the high school)
    expect(find(result, 'school', '00170505')).toMatchObject({ line: 62, gradeSpan: 'PK,9-12' });
    // line 1164: Peter Fitzpatrick School has an empty Grade and TOTAL_Enrollment 10
    expect(find(result, 'school', '07350515')).toMatchObject({ line: 1164, gradeSpan: null, enrolment: 10 });
    // line 663: Green River, Grade "4" (not zero-padded like the rest)
    expect(find(result, 'school', '01140030')?.gradeSpan).toBe('4');
  });
});

describe('NCES CCD (synthetic fixture, no public file available)', () => {
  // 5 rows: open, closed (2), inactive (6), future (7), and an 11-digit NCESSCH from a state with a
  // leading-zero FIPS code (Alabama, 01) as spreadsheets save it. TOTAL uses CCD's -9 (suppressed).
  const fixture = [
    'NCESSCH,SCH_NAME,LEAID,LEA_NAME,ST,GSLO,GSHI,SY_STATUS,TOTAL',
    '060001109818,Alpha Elementary,0600011,Alpha Unified,CA,KG,05,1,412',
    '060001109819,Beta Middle,0600011,Alpha Unified,CA,06,08,2,-9',
    '060001109820,Gamma High,0600011,Alpha Unified,CA,09,12,6,',
    '480001200001,Delta Academy,4800012,Delta ISD,TX,PK,12,7,M',
    '10000500870,Epsilon School,100005,Albertville City,AL,M,M,3,655',
  ].join('\n');

  it('maps codes, statuses, grades and enrolment', async () => {
    const result = await parseDirectory(Buffer.from(fixture));
    expect(result.preset).toBe('ccd');
    expect(result.rowCount).toBe(5);
    expect(result.errors).toEqual([]);
    expect(byKind(result, 'state').map((s) => [s.code, s.name, s.line])).toEqual([
      ['CA', 'California', 2], ['TX', 'Texas', 5], ['AL', 'Alabama', 6],
    ]);
    expect(byKind(result, 'district')).toEqual([
      { line: 2, kind: 'district', code: '0600011', name: 'Alpha Unified', parentCode: null, stateCode: 'CA', gradeSpan: null, enrolment: null, status: 'active' },
      { line: 5, kind: 'district', code: '4800012', name: 'Delta ISD', parentCode: null, stateCode: 'TX', gradeSpan: null, enrolment: null, status: 'active' },
      { line: 6, kind: 'district', code: '0100005', name: 'Albertville City', parentCode: null, stateCode: 'AL', gradeSpan: null, enrolment: null, status: 'active' },
    ]);
    expect(byKind(result, 'school').map((s) => [s.code, s.parentCode, s.gradeSpan, s.enrolment, s.status])).toEqual([
      ['060001109818', '0600011', 'K-5', 412, 'active'],
      ['060001109819', '0600011', '6-8', null, 'archived'],
      ['060001109820', '0600011', '9-12', null, 'archived'],
      ['480001200001', '4800012', 'PK-12', null, 'active'],
      ['010000500870', '0100005', null, 655, 'active'],
    ]);
    expectWellFormed(result);
  });

  it('accepts STABR, SY_STATUS_TEXT and MEMBER', async () => {
    const csv = 'NCESSCH,SCH_NAME,LEAID,LEA_NAME,STABR,SY_STATUS_TEXT,MEMBER\n'
      + '120000207976,Florida Virtual Elementary,1200002,Florida Virtual School,FL,Open,2600\n'
      + '120000207977,Old School,1200002,Florida Virtual School,FL,Closed,\n';
    const result = await parseDirectory(Buffer.from(csv));
    expect(result.preset).toBe('ccd');
    expect(byKind(result, 'school').map((s) => [s.status, s.enrolment])).toEqual([['active', 2600], ['archived', null]]);
  });
});

describe('files that are not school directories', () => {
  it('rejects a survey file, naming the expected columns', async () => {
    const err = await parseDirectory(NOT_A_DIRECTORY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryFormatError);
    expect((err as Error).message).toMatch(/does not look like a school directory/);
    expect((err as Error).message).toContain('CDSCode, StatusType, District, School for the California CDE format');
    expect((err as Error).message).toContain('School Code, School Name, District Code, District Name');
  });

  it('rejects an empty buffer, random bytes and a whitespace-only file', async () => {
    await expect(parseDirectory(Buffer.alloc(0))).rejects.toBeInstanceOf(DirectoryFormatError);
    await expect(parseDirectory(randomBytes(64 * 1024))).rejects.toBeInstanceOf(DirectoryFormatError);
    // random bytes without NUL (so they are not caught as binary) still fail cleanly
    const noNul = Buffer.from(Array.from(randomBytes(64 * 1024), (b) => b || 0x41));
    await expect(parseDirectory(noNul)).rejects.toBeInstanceOf(DirectoryFormatError);
    await expect(parseDirectory(Buffer.from('\n\n  \n'))).rejects.toBeInstanceOf(DirectoryFormatError);
  });

  it('rejects a workbook saved as .csv', async () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), randomBytes(200)]);
    await expect(parseDirectory(xlsx)).rejects.toThrow(/Excel workbook/);
  });

  it('rejects a named preset whose columns are missing, and hints at near misses', async () => {
    await expect(parseDirectory(HIFLD, { preset: 'cde' })).rejects.toThrow(
      /California CDE school directory: expected columns CDSCode, StatusType, District, School/,
    );
    await expect(parseDirectory(Buffer.from('NCESID,NAME,STATE,DISTRICT\n1,a,FL,2\n'))).rejects.toThrow(
      /closest to the HIFLD Public Schools format but lacks DISTRICTID/,
    );
  });
});

describe('rows and CSV details', () => {
  it('reports bad rows with their real line numbers and keeps going', async () => {
    // Line 3-4 is one record with a CRLF inside a quoted field; line 5 is blank.
    const csv = [
      'CDSCode,StatusType,District,School,GSserved', // 1
      '01100170000000,Active,"Alameda, County",,', // 2
      '01100170109835,Closed,Alameda,"FAME', // 3
      'Charter",K-12', // 4
      '', // 5
      '0110017010983X,Active,Alameda,Bad Code,', // 6
      '01100170112607,Active,Alameda,,', // 7: school name missing
      '01100170112608,Reopened,Alameda,Odd Status,', // 8
      '01100170109835,Active,Alameda,Duplicate,', // 9
      '00000000000000,Active,California,,', // 10: the state itself: no record, no error
      '01100170112609,Active,Alameda,Good,9-12', // 11
    ].join('\r\n');
    const result = await parseDirectory(Buffer.from(csv));
    expect(result.rowCount).toBe(8);
    expect(result.errors).toEqual([
      { line: 6, message: 'CDSCode "0110017010983X" is not a 14-digit code' },
      { line: 7, message: 'School is missing' },
      { line: 8, message: 'StatusType "Reopened" is not Active, Pending, Closed or Merged' },
      { line: 9, message: 'Duplicate school code 01100170109835 (first on line 3); row skipped' },
    ]);
    expect(byKind(result, 'school').map((s) => [s.line, s.code, s.name])).toEqual([
      [3, '01100170109835', 'FAME Charter'],
      [11, '01100170112609', 'Good'],
    ]);
    expect(find(result, 'district', '0110017')?.name).toBe('Alameda, County');
  });

  it('reports an unclosed quote at the line where it starts', async () => {
    const csv = 'NCESID,NAME,STATE,DISTRICTID\n120000207976,A,FL,1200002\n"120000207977,B,FL,1200002\n120000207978,C,FL,1200002\n';
    const result = await parseDirectory(Buffer.from(csv));
    expect(byKind(result, 'school').map((s) => s.code)).toEqual(['120000207976']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].line).toBe(3);
    expect(result.errors[0].message).toMatch(/quoted field is never closed/);
  });

  it('handles a UTF-8 BOM, CRLF and quoted commas', async () => {
    const csv = '\uFEFFSchool Code,School Name,District Code,District Name,Grade,TOTAL_Enrollment\r\n'
      + '10505,"Abington High, The",10000,Abington,"09,10,11,12",452\r\n';
    const result = await parseDirectory(Buffer.from(csv));
    expect(result.preset).toBe('ma-dese');
    expect(find(result, 'school', '00010505')).toEqual({
      line: 2, kind: 'school', code: '00010505', name: 'Abington High, The',
      parentCode: '00010000', stateCode: 'MA', gradeSpan: '9-12', enrolment: 452, status: 'active',
    });
  });

  it('gives the same result from a path, a buffer and a stream, every time', async () => {
    const first = await parseDirectory(MA);
    const again = await parseDirectory(MA);
    const fromStream = await parseDirectory(createReadStream(MA, { highWaterMark: 997 }));
    expect(again).toEqual(first);
    expect(fromStream).toEqual(first);
    // byte-at-a-time stream over a file with multi-line CRLF fields
    const csv = Buffer.from('CDSCode,StatusType,District,School\r\n01100170109835,Active,"A\r\nB",X\r\n01100170109836,Active,A,Y\r\n');
    const bytes = await parseDirectory(Readable.from((function* () {
      for (const b of csv) yield Buffer.from([b]);
    })()));
    expect(bytes).toEqual(await parseDirectory(csv));
    expect(byKind(bytes, 'school').map((s) => s.line)).toEqual([2, 4]);
  });
});
