/**
 * Reads a past-results CSV (comma, semicolon or tab; UTF-8 with or without BOM; plain or gzip)
 * into a compact table: per column, its distinct values and one small code per row. A 66,000-row
 * file of 80 columns holds in about 11 MB this way, and each distinct value is matched once, not
 * once per row. No database here.
 */
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../../server/http/errors.js';
import type { RowIssue } from '../surveys.import.contract.js';
import { isMissing } from '../surveys.import.mapping.js';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** A gzip file may unpack to at most this much text. */
export const MAX_TEXT_BYTES = 256 * 1024 * 1024;
export const MAX_ROWS = 500_000;
const MAX_COLUMNS = 1_000;
/** Rows × columns held in memory (two bytes each): 66,690 rows of 81 columns are 5.4 million. */
export const MAX_CELLS = 40_000_000;
/** Columns with more distinct values hold identifiers or free text: never imported, not kept. */
export const MAX_DISTINCT = 20_000;
const MAX_LINES_KEPT = 10;

export interface Column {
  name: string;
  /** Distinct values in order of first appearance; code 0 is "no answer" (blank or NA). */
  dict: string[];
  counts: number[];
  /** The code of each row's value; null once the column has more than MAX_DISTINCT values. */
  codes: Uint16Array | null;
  distinct: number;
}

export interface Table {
  rows: number;
  delimiter: ',' | ';' | '\t';
  columns: Column[];
  /** The line of the file each row began on (held in memory for the report, never stored). */
  lines: Uint32Array;
  skipped: RowIssue[];
}

const badFile = (message: string) => new AppError('bad_file', message, 'file');
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Unpacks gzip (by its magic bytes, whatever the name) and decodes UTF-8, refusing anything else. */
async function toText(input: Buffer): Promise<string> {
  if (input.length === 0) throw badFile('The file is empty.');
  let bytes = input;
  if (input[0] === 0x1f && input[1] === 0x8b) {
    try {
      bytes = await promisify(gunzip)(input, { maxOutputLength: MAX_TEXT_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new AppError('payload_too_large', `The file unpacks to more than ${mb(MAX_TEXT_BYTES)}; split it into smaller files.`, 'file');
      throw badFile('The file looks compressed (gzip) but cannot be unpacked. Upload the CSV itself or a complete .csv.gz file.');
    }
  } else if (input[0] === 0x50 && input[1] === 0x4b) {
    throw badFile('This is a spreadsheet or a ZIP file. Save the sheet as "CSV UTF-8" and upload that.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badFile('The file is not UTF-8 text. Save it as "CSV UTF-8" (in a spreadsheet: Save as → CSV UTF-8) and upload it again.');
  }
}

/** The separator the header line uses most, outside quotes: comma, semicolon or tab. */
function detectDelimiter(text: string): Table['delimiter'] {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 1 << 16; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c as keyof typeof counts]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t'] ? ';' : counts['\t'] > counts[','] ? '\t' : ',';
}

function* slices(text: string, size = 1 << 20) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function note(issues: Map<RowIssue['reason'], RowIssue>, reason: RowIssue['reason'], line: number): void {
  let issue = issues.get(reason);
  if (!issue) issues.set(reason, (issue = { reason, count: 0, lines: [] }));
  issue.count++;
  if (issue.lines.length < MAX_LINES_KEPT) issue.lines.push(line);
}

/**
 * Reads a whole file into a table. Yields to the event loop every few thousand rows, so the
 * server keeps answering while a large file is read.
 * @throws AppError bad_file (not a CSV, not UTF-8, no header, no rows) | payload_too_large
 */
export async function readTable(input: Buffer): Promise<Table> {
  const text = await toText(input);
  const delimiter = detectDelimiter(text);
  // Any line ending, even mixed in one file (files pasted together from two systems).
  const parser = parse({ bom: true, delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, max_record_size: 1 << 20 });
  const source = Readable.from(slices(text));
  source.pipe(parser);
  source.on('error', (err) => parser.destroy(err));

  let columns: Column[] | null = null;
  let lines = new Uint32Array(1024);
  let rows = 0;
  const issues = new Map<RowIssue['reason'], RowIssue>();
  const index: Map<string, number>[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        if (record.length > MAX_COLUMNS) throw badFile(`The file has ${record.length} columns; at most ${MAX_COLUMNS} can be read.`);
        columns = record.map((name) => ({ name: name.trim(), dict: [''], counts: [0], codes: new Uint16Array(1024), distinct: 0 }));
        for (let c = 0; c < columns.length; c++) index.push(new Map([['', 0]]));
        continue;
      }
      // csv-parse reports the line a record ends on; a row of one line began there too.
      const line = info.lines;
      if (record.length !== columns.length) {
        if (!(record.length === 1 && record[0].trim() === '')) note(issues, 'fields', line);
        continue;
      }
      if (rows === MAX_ROWS) throw badFile(`The file has more than ${MAX_ROWS.toLocaleString('en')} rows; split it into smaller files.`);
      if ((rows + 1) * columns.length > MAX_CELLS) throw badFile(`The file holds more than ${MAX_CELLS.toLocaleString('en')} cells (rows × columns); keep only the columns to import, or split it.`);
      if (rows === lines.length) {
        const grown = new Uint32Array(lines.length * 2);
        grown.set(lines);
        lines = grown;
      }
      lines[rows] = line;
      for (let c = 0; c < columns.length; c++) {
        const col = columns[c];
        const raw = record[c].trim();
        const value = isMissing(raw) ? '' : raw;
        if (!col.codes) {
          if (value === '') col.counts[0]++;
          continue;
        }
        let code = index[c].get(value);
        if (code === undefined) {
          if (col.distinct === MAX_DISTINCT) {
            // Too many to be answers (an identifier or free text): keep only its blanks count.
            col.codes = null;
            col.dict = [''];
            col.counts = [col.counts[0]];
            col.distinct = MAX_DISTINCT + 1;
            index[c] = new Map();
            continue;
          }
          code = col.dict.length;
          col.dict.push(value);
          col.counts.push(0);
          col.distinct++;
          index[c].set(value, code);
        }
        col.counts[code]++;
        if (rows >= col.codes.length) {
          const grown = new Uint16Array(col.codes.length * 2);
          grown.set(col.codes);
          col.codes = grown;
        }
        col.codes[rows] = code;
      }
      rows++;
      if (rows % 4000 === 0) await new Promise((r) => setImmediate(r));
    }
  } catch (err) {
    source.destroy();
    if (err instanceof CsvError) throw badFile(`The file cannot be read as CSV near line ${(err as CsvError & { lines?: number }).lines ?? '?'}: ${err.message}`);
    throw err;
  }
  if (!columns || columns.every((c) => c.name === '')) throw badFile('The file has no header row. The first line must name the columns.');
  if (rows === 0) throw badFile('The file has a header but no rows of answers.');
  return { rows, delimiter, columns, lines: lines.subarray(0, rows), skipped: [...issues.values()] };
}
