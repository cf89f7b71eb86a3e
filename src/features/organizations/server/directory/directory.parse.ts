/**
 * Pure parser for school-directory CSV files (no database): detects the format from the header,
 * streams the rows through csv-parse and returns normalised state, district and school records.
 */
import { createReadStream } from 'node:fs';
import { Readable, Transform, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import {
  DIRECTORY_PRESETS,
  STATE_NAMES,
  describeRequirement,
  type ColumnRequirement,
  type DirectoryPreset,
  type ImpliedDistrictSummary,
} from './directory.presets.js';

export type PresetId = 'cde' | 'ccd' | 'hifld' | 'ma-dese';

export interface DirectoryRecord {
  /** 1-based line number in the file (header = line 1) of the row that produced it. */
  line: number;
  kind: 'state' | 'district' | 'school';
  /** Stable external code: postal abbreviation, district code or school code. */
  code: string;
  name: string;
  /** For a school: its district's code; for a district or state: null. */
  parentCode: string | null;
  /** Two-letter postal abbreviation, e.g. 'CA', 'FL', 'MA'. */
  stateCode: string;
  /** e.g. 'K-5', '9-12', 'PK-8'; gaps are kept as 'PK,9-12'. */
  gradeSpan: string | null;
  enrolment: number | null;
  status: 'active' | 'archived';
}

export interface DirectoryParseError {
  line: number;
  message: string;
}

export interface DirectoryParseResult {
  preset: PresetId;
  /** States first, then districts, then schools, each in file order and unique by code. */
  records: DirectoryRecord[];
  /** Rows that could not be used; they are skipped and parsing continues. */
  errors: DirectoryParseError[];
  /** Data rows read (header and blank lines excluded). */
  rowCount: number;
}

export interface DirectoryParseOptions {
  /** Force a format instead of detecting it from the header. */
  preset?: PresetId;
  /** Called every 1,000 rows and once at the end. */
  onProgress?: (rowsRead: number) => void;
}

/** Thrown when the input is not a school directory at all (wrong columns, binary, empty). */
export class DirectoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryFormatError';
  }
}

const PROGRESS_EVERY = 1000;
// A real directory row is a few KB; this stops a binary or unquoted blob from filling memory.
const MAX_RECORD_SIZE = 1 << 20;

function headerKey(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase();
}

function hasRequirement(keys: ReadonlySet<string>, req: ColumnRequirement): boolean {
  return typeof req === 'string' ? keys.has(headerKey(req)) : req.some((c) => keys.has(headerKey(c)));
}

function missingColumns(preset: DirectoryPreset, keys: ReadonlySet<string>): string[] {
  return preset.requiredColumns.filter((r) => !hasRequirement(keys, r)).map(describeRequirement);
}

/**
 * Returns the preset whose required columns all appear in `header` (case and surrounding spaces
 * ignored), or null when none matches.
 */
export function detectPreset(header: string[]): PresetId | null {
  const keys = new Set(header.map(headerKey));
  return DIRECTORY_PRESETS.find((p) => missingColumns(p, keys).length === 0)?.id ?? null;
}

function expectedColumnsMessage(header: string[]): string {
  const keys = new Set(header.map(headerKey));
  const options = DIRECTORY_PRESETS.map(
    (p) => `${p.requiredColumns.map(describeRequirement).join(', ')} for the ${p.label} format`,
  );
  let message = `This file does not look like a school directory: expected columns ${options.join(', or ')}.`;
  // Point at the nearest format when the file has most of its columns: likely a renamed column.
  const near = DIRECTORY_PRESETS.map((p) => ({ p, missing: missingColumns(p, keys) }))
    .filter(({ p, missing }) => missing.length * 2 < p.requiredColumns.length)
    .sort((a, b) => a.missing.length - b.missing.length)[0];
  if (near) message += ` It is closest to the ${near.p.label} format but lacks ${near.missing.join(', ')}.`;
  return message;
}

function presetById(id: PresetId): DirectoryPreset {
  const preset = DIRECTORY_PRESETS.find((p) => p.id === id);
  if (!preset) throw new TypeError(`Unknown directory preset "${String(id)}"`);
  return preset;
}

/** Number of line breaks in a field (CRLF, LF or CR each count once) and how many were CRLF. */
function countBreaks(value: string): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (let i = value.search(/[\r\n]/); i !== -1 && i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 13) {
      breaks++;
      if (value.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      }
    } else if (c === 10) breaks++;
  }
  return { breaks, crlf };
}

/** Rejects obviously non-text input early instead of scanning a whole binary file. */
function binarySniffer(): Transform {
  let checked = false;
  return new Transform({
    transform(chunk: Buffer | string, _enc, callback) {
      if (!checked) {
        checked = true;
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const head = buf.subarray(0, 4096);
        let kind: string | null = null;
        if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) kind = 'a ZIP archive or Excel workbook (.xlsx)';
        else if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) kind = 'an Excel 97-2003 workbook (.xls)';
        else if (head[0] === 0x1f && head[1] === 0x8b) kind = 'a gzip-compressed file';
        else if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) kind = 'UTF-16 text';
        else if (head.includes(0)) kind = 'a binary file';
        if (kind) {
          callback(new DirectoryFormatError(`This file does not look like a school directory: it is ${kind}, not CSV text. Save it as CSV (UTF-8) and try again.`));
          return;
        }
      }
      callback(null, chunk);
    },
  });
}

function toReadable(input: string | Buffer | NodeJS.ReadableStream): NodeJS.ReadableStream {
  if (typeof input === 'string') return createReadStream(input);
  // Wrapped in an array: Readable.from(buffer) would emit one byte at a time.
  if (Buffer.isBuffer(input)) return Readable.from([input]);
  return input;
}

interface ImpliedState {
  summary: ImpliedDistrictSummary & { hints: Map<string, number> };
  line: number;
  anyActive: boolean;
}

/**
 * Parses a school-directory CSV into normalised records.
 *
 * @param input A file path, the file's bytes, or a readable stream of them.
 * @param opts.preset Force a format; by default it is detected from the header.
 * @param opts.onProgress Receives the number of data rows read so far.
 * @throws DirectoryFormatError when the input is empty, binary, or lacks the expected columns.
 */
export async function parseDirectory(
  input: string | Buffer | NodeJS.ReadableStream,
  opts: DirectoryParseOptions = {},
): Promise<DirectoryParseResult> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    // Stray quotes inside unquoted fields (8" pipe) are kept as text instead of failing the row.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_SIZE,
  });
  pipeline(toReadable(input), binarySniffer(), parser, () => {
    // Errors reach the consumer through the parser's async iterator.
  });

  let preset: DirectoryPreset | null = null;
  let columnIndex: [name: string, index: number][] = [];
  // csv-parse counts CR and LF inside quoted fields separately, so a CRLF inside a field adds two
  // to info.lines; subtracting the CRLFs seen so far gives the file's real line numbers.
  let crlfSeen = 0;
  let lastEndLine = 0;
  let recordsSeen = 0;
  let rowCount = 0;
  const errors: DirectoryParseError[] = [];
  // csv-parse reports unreadable records as 'skip' events while it runs ahead of this loop, so
  // each is queued with the number of records before it and placed once the loop gets there.
  const skipped: { after: number; message: string }[] = [];
  parser.on('skip', (err: Error & { records?: number }) => {
    const reason = /Quote Not Closed/i.test(err.message)
      ? 'a quoted field is never closed, so the rest of the file could not be read'
      : err.message;
    skipped.push({ after: err.records ?? Number.MAX_SAFE_INTEGER, message: `Row could not be read as CSV: ${reason}` });
  });
  const flushSkipped = (upTo: number): void => {
    while (skipped.length > 0 && skipped[0].after <= upTo) {
      const s = skipped.shift()!;
      errors.push({ line: lastEndLine + 1, message: s.message });
      if (s.after > 0) rowCount++; // a data row, not the header
    }
  };

  const states = new Map<string, DirectoryRecord>();
  const districts = new Map<string, DirectoryRecord>();
  const schools = new Map<string, DirectoryRecord>();
  const implied = new Map<string, ImpliedState>();
  // Districts in order of first appearance, whether defined by a row or only implied.
  const districtOrder: string[] = [];

  const noteState = (stateCode: string, line: number): void => {
    if (!states.has(stateCode)) {
      states.set(stateCode, {
        line, kind: 'state', code: stateCode, name: STATE_NAMES[stateCode] ?? stateCode,
        parentCode: null, stateCode, gradeSpan: null, enrolment: null, status: 'active',
      });
    }
  };

  for await (const chunk of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const { record, info } = chunk;
    let breaks = 0;
    for (const field of record) {
      if (field.includes('\n') || field.includes('\r')) {
        const c = countBreaks(field);
        breaks += c.breaks;
        crlfSeen += c.crlf;
      }
    }
    flushSkipped(recordsSeen);
    const endLine = info.lines - crlfSeen;
    const line = endLine - breaks;
    lastEndLine = endLine;
    recordsSeen++;

    if (!preset) {
      const header = record;
      if (opts.preset) {
        preset = presetById(opts.preset);
        const missing = missingColumns(preset, new Set(header.map(headerKey)));
        if (missing.length > 0) {
          parser.destroy();
          throw new DirectoryFormatError(
            `This file does not look like a ${preset.label} school directory: expected columns ${preset.requiredColumns.map(describeRequirement).join(', ')}, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing.`,
          );
        }
      } else {
        const id = detectPreset(header);
        if (!id) {
          parser.destroy();
          throw new DirectoryFormatError(expectedColumnsMessage(header));
        }
        preset = presetById(id);
      }
      const indexByKey = new Map<string, number>();
      header.forEach((name, i) => {
        const key = headerKey(name);
        if (!indexByKey.has(key)) indexByKey.set(key, i);
      });
      // Only the columns the preset reads are copied into each row object (MA files have 300).
      const wanted = [...preset.requiredColumns.flatMap((r) => (typeof r === 'string' ? [r] : [...r])), ...preset.optionalColumns];
      columnIndex = wanted.map((name): [string, number] => [name, indexByKey.get(headerKey(name)) ?? -1]);
      continue;
    }

    if (record.every((f) => f.trim() === '')) continue; // ",,,," rows left by spreadsheets
    rowCount++;
    if (opts.onProgress && rowCount % PROGRESS_EVERY === 0) opts.onProgress(rowCount);

    const row: Record<string, string> = {};
    for (const [name, index] of columnIndex) row[name] = index >= 0 ? (record[index] ?? '') : '';
    const out = preset.toRecords(row, line);
    if ('error' in out) {
      errors.push({ line, message: out.error });
      continue;
    }

    let duplicate: string | null = null;
    for (const r of out.records) {
      const seen = r.kind === 'school' ? schools.get(r.code) : r.kind === 'district' ? districts.get(r.code) : undefined;
      if (seen) duplicate = `Duplicate ${r.kind} code ${r.code} (first on line ${seen.line}); row skipped`;
    }
    if (duplicate) {
      errors.push({ line, message: duplicate });
      continue;
    }
    for (const r of out.records) {
      noteState(r.stateCode, line);
      if (r.kind === 'school') schools.set(r.code, r);
      else if (r.kind === 'district') {
        // A real district row replaces a district only implied by earlier schools.
        if (!implied.has(r.code)) districtOrder.push(r.code);
        districts.set(r.code, r);
      }
    }
    const active = out.records.some((r) => r.status === 'active');
    for (const d of out.implied ?? []) {
      let entry = implied.get(d.code);
      if (!entry) {
        entry = { summary: { code: d.code, stateCode: d.stateCode, name: d.name, schoolCount: 0, hints: new Map() }, line, anyActive: false };
        implied.set(d.code, entry);
        if (!districts.has(d.code)) districtOrder.push(d.code);
        noteState(d.stateCode, line);
      }
      entry.summary.schoolCount++;
      entry.summary.name ??= d.name;
      entry.anyActive ||= active;
      if (d.hint) entry.summary.hints.set(d.hint, (entry.summary.hints.get(d.hint) ?? 0) + 1);
    }
  }

  flushSkipped(Number.MAX_SAFE_INTEGER);
  if (!preset) {
    throw new DirectoryFormatError(
      errors.length > 0
        ? `This file does not look like a school directory: no header row could be read (${errors[0].message}).`
        : 'This file does not look like a school directory: it is empty.',
    );
  }
  opts.onProgress?.(rowCount);

  // Districts only implied by their schools: name them, and archive them if all schools are.
  const onlyImplied = [...implied.values()].filter((e) => !districts.has(e.summary.code));
  const names = preset.nameImpliedDistricts?.(onlyImplied.map((e) => e.summary)) ?? new Map<string, string>();
  for (const e of onlyImplied) {
    const { code, stateCode } = e.summary;
    districts.set(code, {
      line: e.line, kind: 'district', code, name: e.summary.name ?? names.get(code) ?? `District ${code}`,
      parentCode: null, stateCode, gradeSpan: null, enrolment: null, status: e.anyActive ? 'active' : 'archived',
    });
  }

  const records: DirectoryRecord[] = [...states.values()];
  for (const code of districtOrder) {
    const d = districts.get(code);
    if (d) records.push(d);
  }
  records.push(...schools.values());
  return { preset: preset.id, records, errors, rowCount };
}
