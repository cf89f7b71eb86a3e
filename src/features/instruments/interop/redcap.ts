import { parse } from 'csv-parse/sync';
import { ExpressionError, formatExpression, type Node, parseExpression, reservedWords } from '../model/expression.js';
import type { Choice, InstrumentDefinition, Item, ItemOf, LabelSet, Section } from '../model/instrument.schema.js';
import { type LanguageCode, type LocalizedText, pick } from '../model/text.js';
import { type ImportNote, type ImportOptions, type ImportResult, InteropFormatError } from './interop.types.js';

/**
 * REDCap data dictionaries (the 18-column CSV REDCap reads and writes for a project's fields) to
 * and from Schoolwell instrument definitions.
 *
 * Import: one section per form, a new one at each Section Header; field types mapped to item
 * types; branching logic and calculations translated into the expression language when they mean
 * the same thing, dropped with a note when they do not. Every loss is reported as an ImportNote.
 *
 * Export: one row per answer slot, in instrument order, in one form named after the instrument.
 *
 * Blank answers: REDCap compares raw text, so `[x] <> '1'` is true when x is blank, while our
 * `x != "1"` is false when x is unanswered. Import therefore reads `<>` as `not (x == "1")`, and
 * export writes `x != "1"` as `[x] <> '' and [x] <> '1'`, so that a condition shows the same
 * questions on both sides. Numeric comparisons (<, >, <=, >=) are false on a blank in both.
 */

// ---------------------------------------------------------------------------------------------
// Columns

type Col =
  | 'name'
  | 'form'
  | 'section'
  | 'type'
  | 'label'
  | 'choices'
  | 'note'
  | 'validation'
  | 'min'
  | 'max'
  | 'identifier'
  | 'branching'
  | 'required'
  | 'alignment'
  | 'questionNumber'
  | 'matrixGroup'
  | 'matrixRanking'
  | 'annotation';

/** The 18 standard columns, in order: key, header as REDCap writes it, name in REDCap's API metadata. */
const columns: readonly (readonly [Col, string, string])[] = [
  ['name', 'Variable / Field Name', 'field_name'],
  ['form', 'Form Name', 'form_name'],
  ['section', 'Section Header', 'section_header'],
  ['type', 'Field Type', 'field_type'],
  ['label', 'Field Label', 'field_label'],
  ['choices', 'Choices, Calculations, OR Slider Labels', 'select_choices_or_calculations'],
  ['note', 'Field Note', 'field_note'],
  ['validation', 'Text Validation Type OR Show Slider Number', 'text_validation_type_or_show_slider_number'],
  ['min', 'Text Validation Min', 'text_validation_min'],
  ['max', 'Text Validation Max', 'text_validation_max'],
  ['identifier', 'Identifier?', 'identifier'],
  ['branching', 'Branching Logic (Show field only if...)', 'branching_logic'],
  ['required', 'Required Field?', 'required_field'],
  ['alignment', 'Custom Alignment', 'custom_alignment'],
  ['questionNumber', 'Question Number (surveys only)', 'question_number'],
  ['matrixGroup', 'Matrix Group Name', 'matrix_group_name'],
  ['matrixRanking', 'Matrix Ranking?', 'matrix_ranking'],
  ['annotation', 'Field Annotation', 'field_annotation'],
];
const requiredColumns: Col[] = ['name', 'form', 'type', 'label'];

/** The header line exactly as REDCap writes it (every name quoted but Identifier?). */
const headerLine = columns.map(([, h]) => (h === 'Identifier?' ? h : `"${h}"`)).join(',');

type Row = Record<Col, string> & { line: number };

const normHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');

function columnIndex(header: string[]): Partial<Record<Col, number>> {
  const found: Partial<Record<Col, number>> = {};
  const names = header.map(normHeader);
  for (const [key, title, api] of columns) {
    const wanted = [normHeader(title), api];
    // Older REDCap versions word the long headers slightly differently ("Branching Logic (Show field only if...)").
    const prefix = { choices: 'choices, calculations', validation: 'text validation type', branching: 'branching logic', questionNumber: 'question number' }[key as string];
    const i = names.findIndex((n) => wanted.includes(n) || (prefix !== undefined && n.startsWith(prefix)));
    if (i >= 0) found[key] = i;
  }
  return found;
}

function decode(input: string | Buffer, notes: ImportNote[]): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    // The decoder drops a UTF-8 byte order mark by itself.
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    notes.push({ severity: 'changed', where: 'file', message: 'The file is not UTF-8; it was read as Windows-1252 (Latin-1). Check accented letters.' });
    return new TextDecoder('windows-1252').decode(input);
  }
}

function readRows(input: string | Buffer, notes: ImportNote[]): Row[] {
  const text = decode(input, notes);
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new InteropFormatError(`This is not a readable CSV file (${(err as Error).message}); a REDCap data dictionary is a CSV file.`);
  }
  const expected = requiredColumns.map((c) => `"${columns.find(([k]) => k === c)![1]}"`).join(', ');
  if (records.length === 0) throw new InteropFormatError(`The file is empty; a REDCap data dictionary starts with a header with the columns ${expected}.`);
  const index = columnIndex(records[0]);
  const missing = requiredColumns.filter((c) => index[c] === undefined);
  if (missing.length) {
    throw new InteropFormatError(
      `This is not a REDCap data dictionary: its header must have the columns ${expected} (of REDCap's 18 standard columns); missing ${missing
        .map((c) => `"${columns.find(([k]) => k === c)![1]}"`)
        .join(', ')}.`,
    );
  }
  const rows: Row[] = [];
  records.slice(1).forEach((rec, i) => {
    if (rec.every((cell) => cell.trim() === '')) return;
    const row = { line: i + 2 } as Row;
    for (const [key] of columns) row[key] = index[key] === undefined ? '' : (rec[index[key]!] ?? '');
    row.name = row.name.trim();
    row.form = row.form.trim();
    row.type = row.type.trim().toLowerCase();
    rows.push(row);
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Text

const combining: Record<string, string> = { grave: '\u0300', acute: '\u0301', circ: '\u0302', tilde: '\u0303', uml: '\u0308', ring: '\u030A', cedil: '\u0327' };
const namedEntities: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', shy: '',
  ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»',
  bull: '•', middot: '·', copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷', frac12: '½', frac14: '¼', frac34: '¾',
  le: '≤', ge: '≥', ne: '≠', larr: '←', rarr: '→', uarr: '↑', darr: '↓', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶',
  iexcl: '¡', iquest: '¿', ordf: 'ª', ordm: 'º', sup1: '¹', sup2: '²', sup3: '³', micro: 'µ',
  szlig: 'ß', aelig: 'æ', AElig: 'Æ', oslash: 'ø', Oslash: 'Ø', oelig: 'œ', OElig: 'Œ', eth: 'ð', ETH: 'Ð', thorn: 'þ', THORN: 'Þ',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    if (namedEntities[body] !== undefined) return namedEntities[body];
    const accent = /^([A-Za-z])(grave|acute|circ|tilde|uml|ring|cedil)$/.exec(body);
    if (accent) return (accent[1] + combining[accent[2]]).normalize('NFC');
    return whole;
  });
}

const blockTags = 'p|div|center|h[1-6]|ul|ol|table|tr|blockquote|section|article|header|footer|pre|hr';

/**
 * Plain text from a REDCap label: tags removed, entities decoded, line breaks kept where the text
 * or the markup has them (REDCap shows a label's own line breaks), blank lines collapsed.
 */
function htmlToText(html: string): string {
  let s = html.replace(/\r\n?/g, '\n');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<li\b[^>]*>/gi, '\n- ');
  s = s.replace(new RegExp(`<\\/?(?:${blockTags}|li)\\b[^>]*>`, 'gi'), '\n');
  s = s.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '');
  s = decodeEntities(s);
  s = s
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return s;
}

/** Escapes text for a REDCap label, which REDCap shows as HTML. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const humanise = (name: string) => {
  const s = name.replace(/[_\s]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : name;
};

const MAX_TEXT = 4000;

// ---------------------------------------------------------------------------------------------
// Ids and codes

const reserved = new Set<string>(reservedWords);

/** A valid identifier from any name: lower case, [a-z0-9_], starting with a letter, at most `max` characters. */
function toIdentifier(raw: string, prefix = 'f', max = 64): string {
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  if (!/^[a-z]/.test(s)) s = `${prefix}_${s}`.replace(/__+/g, '_');
  s = s.slice(0, max).replace(/_+$/, '') || prefix;
  if (reserved.has(s)) s = `${s}_`;
  return s;
}

/** `base`, or `base_2`, `base_3`… when taken; the result is added to `taken`. */
function unique(base: string, taken: Set<string>, max = 64): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, max - String(n).length - 1)}_${n}`;
  taken.add(id);
  return id;
}

const codePattern = /^[A-Za-z0-9_.-]+$/;
const specialCodes = new Set(['NA', 'DK', 'PNS']);

interface ParsedChoice {
  /** The code as written in the file (what branching logic names). */
  code: string;
  value: string;
  label: string;
}

/** `1, Label | 2, Label` (also `1,Label|2,Label`; a label may hold commas and HTML). */
function parseChoices(src: string, where: string, notes: ImportNote[]): ParsedChoice[] {
  const out: ParsedChoice[] = [];
  const taken = new Set<string>();
  const changed: string[] = [];
  for (const part of src.split('|')) {
    if (!part.trim()) continue;
    const comma = part.indexOf(',');
    const code = (comma >= 0 ? part.slice(0, comma) : part).trim();
    const rawLabel = comma >= 0 ? part.slice(comma + 1) : part;
    if (!code) continue;
    let value = code;
    if (!codePattern.test(value) || value.length > 64 || specialCodes.has(value)) {
      value = value.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || `c${out.length + 1}`;
      // NA, DK and PNS are kept for "not applicable", "don't know" and "prefer not to say".
      if (specialCodes.has(value)) value = value.toLowerCase();
    }
    if (taken.has(value)) value = unique(value, taken);
    else taken.add(value);
    if (value !== code) changed.push(`"${code}" → "${value}"`);
    const label = htmlToText(rawLabel).replace(/\s*\n\s*/g, ' ').slice(0, MAX_TEXT) || code;
    out.push({ code, value, label });
  }
  if (changed.length) notes.push({ severity: 'changed', where, message: `Choice codes changed to letters, digits, dots, dashes and underscores (and away from NA, DK, PNS): ${changed.join(', ')}.` });
  return out;
}

/** Choices that are just the whole numbers a..b in order, each labelled with itself (a number picker), or null. */
function numericRange(choices: ParsedChoice[]): { min: number; max: number } | null {
  const min = Number(choices[0]?.code);
  const ok = Number.isInteger(min) && choices.every((c, k) => c.code === String(min + k) && c.label === c.code);
  return ok ? { min, max: min + choices.length - 1 } : null;
}

const isConsecutiveFromOne = (codes: string[]) => codes.length >= 2 && [...codes].sort((a, b) => Number(a) - Number(b)).every((c, i) => c === String(i + 1));

// ---------------------------------------------------------------------------------------------
// REDCap logic: a small parser for branching logic and calculations

class Unsupported extends Error {}

type RcOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | 'and' | 'or';
type RcNode =
  | { k: 'num'; v: number; raw: string }
  | { k: 'str'; v: string }
  | { k: 'field'; name: string; code?: string }
  | { k: 'neg'; arg: RcNode }
  | { k: 'bin'; op: RcOp; l: RcNode; r: RcNode }
  | { k: 'call'; fn: string; args: RcNode[] };
type RcToken = { t: 'num' | 'str' | 'field' | 'op' | 'fn' | 'eof'; v: string; code?: string };

const comparisonOps = new Set<RcOp>(['=', '<>', '<', '<=', '>', '>=']);

function rcTokenize(src: string): RcToken[] {
  const out: RcToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new Unsupported('a "[" is not closed');
      const inner = src.slice(i + 1, end).trim();
      const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\(([^()]*)\))?$/.exec(inner);
      if (!m) throw new Unsupported(`the smart variable [${inner}]`);
      i = end + 1;
      // [event][field] or [field][instance]: other events and repeated instances do not exist here.
      if (/^\s*\[/.test(src.slice(i))) throw new Unsupported(`[${inner}][…] names another event or instance`);
      out.push({ t: 'field', v: m[1], code: m[2]?.trim() });
      continue;
    }
    if (/[0-9.]/.test(c) && /^(?:\d+(?:\.\d*)?|\.\d+)/.test(src.slice(i))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Unsupported('a quoted text is not closed');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      i += word.length;
      const lower = word.toLowerCase();
      if (lower === 'and' || lower === 'or') out.push({ t: 'op', v: lower });
      else if (/^\s*\(/.test(src.slice(i))) out.push({ t: 'fn', v: lower });
      else throw new Unsupported(`the word "${word}"`);
      continue;
    }
    const sym = ['<>', '!=', '<=', '>=', '==', '=', '<', '>', '+', '-', '*', '/', '(', ')', ','].find((s) => src.startsWith(s, i));
    if (!sym) throw new Unsupported(`the character "${c}"`);
    out.push({ t: 'op', v: sym === '!=' ? '<>' : sym === '==' ? '=' : sym });
    i += sym.length;
  }
  out.push({ t: 'eof', v: '' });
  return out;
}

function rcParse(src: string): RcNode {
  const tokens = rcTokenize(src);
  let p = 0;
  const isOp = (v: string) => tokens[p].t === 'op' && tokens[p].v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new Unsupported(`expected "${v}"`);
    p++;
  };
  const orExpr = (): RcNode => {
    let l = andExpr();
    while (isOp('or')) {
      p++;
      l = { k: 'bin', op: 'or', l, r: andExpr() };
    }
    return l;
  };
  const andExpr = (): RcNode => {
    let l = comparison();
    while (isOp('and')) {
      p++;
      l = { k: 'bin', op: 'and', l, r: comparison() };
    }
    return l;
  };
  const comparison = (): RcNode => {
    const l = sum();
    const t = tokens[p];
    if (t.t === 'op' && comparisonOps.has(t.v as RcOp)) {
      p++;
      return { k: 'bin', op: t.v as RcOp, l, r: sum() };
    }
    return l;
  };
  const sum = (): RcNode => {
    let l = product();
    while (isOp('+') || isOp('-')) {
      const op = tokens[p++].v as RcOp;
      l = { k: 'bin', op, l, r: product() };
    }
    return l;
  };
  const product = (): RcNode => {
    let l = unary();
    while (isOp('*') || isOp('/')) {
      const op = tokens[p++].v as RcOp;
      l = { k: 'bin', op, l, r: unary() };
    }
    return l;
  };
  const unary = (): RcNode => {
    if (isOp('-')) {
      p++;
      return { k: 'neg', arg: unary() };
    }
    return primary();
  };
  const primary = (): RcNode => {
    const t = tokens[p];
    if (t.t === 'num') {
      p++;
      return { k: 'num', v: Number(t.v), raw: t.v };
    }
    if (t.t === 'str') {
      p++;
      return { k: 'str', v: t.v };
    }
    if (t.t === 'field') {
      p++;
      return { k: 'field', name: t.v, code: t.code };
    }
    if (t.t === 'fn') {
      p++;
      expect('(');
      const args: RcNode[] = [];
      if (!isOp(')')) {
        do args.push(orExpr());
        while (isOp(',') && ++p);
      }
      expect(')');
      return { k: 'call', fn: t.v, args };
    }
    if (isOp('(')) {
      p++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    throw new Unsupported(t.t === 'eof' ? 'it ends too early' : `unexpected "${t.v}"`);
  };
  const tree = orExpr();
  if (tokens[p].t !== 'eof') throw new Unsupported(`unexpected "${tokens[p].v}"`);
  return tree;
}

/** How a field's answer reads in an expression. */
type ValueKind = 'choice' | 'multi' | 'yesno' | 'number' | 'ordinal' | 'text' | 'date' | 'calc' | 'none';

interface FieldInfo {
  name: string;
  /** Answer slot (item id, `matrix.row`) or calc item id. */
  slot: string;
  kind: ValueKind;
  /** Code as written → choice value. */
  codes?: Map<string, string>;
  /** Set once the field is in the definition; false when it was skipped. */
  imported?: boolean;
}

interface TranslateCtx {
  fields: Map<string, FieldInfo>;
  /** Slots and calc ids answered before the current item. */
  available: Set<string>;
  self: string;
  usedSum: boolean;
}

const ref = (name: string): Node => ({ k: 'ref', name, at: 0 });
const str = (v: string): Node => ({ k: 'str', v });
const num = (v: number): Node => ({ k: 'num', v });
const not = (arg: Node): Node => ({ k: 'not', arg });
const bin = (op: Extract<Node, { k: 'bin' }>['op'], left: Node, right: Node): Node => ({ k: 'bin', op, left, right });
const call = (fn: Extract<Node, { k: 'call' }>['fn'], args: Node[]): Node => ({ k: 'call', fn, args, at: 0 });

function lookupField(ctx: TranslateCtx, name: string): FieldInfo {
  const f = ctx.fields.get(name) ?? ctx.fields.get(name.toLowerCase());
  if (!f) throw new Unsupported(`[${name}] is not a field of this file`);
  if (f.name === ctx.self) throw new Unsupported(`[${name}] is the field itself`);
  if (f.imported === false) throw new Unsupported(`[${name}] was not imported`);
  if (f.kind === 'none') throw new Unsupported(`[${name}] takes no answer`);
  if (!ctx.available.has(f.slot)) throw new Unsupported(`[${name}] comes later (conditions and calculations may only read earlier answers)`);
  return f;
}

const isLiteral = (n: RcNode): n is Extract<RcNode, { k: 'num' | 'str' }> => n.k === 'num' || n.k === 'str';
const literalText = (n: Extract<RcNode, { k: 'num' | 'str' }>) => (n.k === 'num' ? n.raw : n.v);
const isNumeric = (s: string) => /^-?(?:\d+(?:\.\d*)?|\.\d+)$/.test(s.trim());
const flipOp: Record<string, RcOp> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '<>': '<>' };

function tCond(n: RcNode, ctx: TranslateCtx): Node {
  if (n.k === 'bin' && (n.op === 'and' || n.op === 'or')) return bin(n.op, tCond(n.l, ctx), tCond(n.r, ctx));
  if (n.k === 'bin' && comparisonOps.has(n.op)) return tCompare(n.op, n.l, n.r, ctx);
  throw new Unsupported('a value stands where a condition is expected');
}

function tCompare(op: RcOp, l: RcNode, r: RcNode, ctx: TranslateCtx): Node {
  if (isLiteral(l) && r.k === 'field') [l, r, op] = [r, l, flipOp[op]];
  const eq = op === '=';
  const ne = op === '<>';
  const ourOp = (eq || ne ? '==' : op) as '==' | '<' | '<=' | '>' | '>=';
  if (l.k === 'field') {
    const f = lookupField(ctx, l.name);
    if (l.code !== undefined) {
      if (f.kind !== 'multi') throw new Unsupported(`[${l.name}(${l.code})] names an option of a field that is not a checkbox`);
      const value = f.codes?.get(l.code);
      if (value === undefined) throw new Unsupported(`[${l.name}] has no option "${l.code}"`);
      const flag = isLiteral(r) ? literalText(r).trim() : '';
      if (!(eq || ne) || (flag !== '1' && flag !== '0')) throw new Unsupported(`a checkbox option is compared with something other than '1' or '0'`);
      const has = bin('contains', ref(f.slot), str(value));
      return (flag === '1') === eq ? has : not(has);
    }
    if (r.k === 'str' && r.v === '') {
      if (eq) return not(call('answered', [ref(f.slot)]));
      if (ne) return call('answered', [ref(f.slot)]);
      throw new Unsupported(`"${op} ''" compares with a blank`);
    }
    if (f.kind === 'multi') throw new Unsupported(`the checkbox [${l.name}] is compared without naming an option, as [${l.name}(code)]`);
    if (isLiteral(r)) {
      const text = literalText(r);
      let value: Node;
      if (f.kind === 'yesno' && (eq || ne)) {
        if (text.trim() !== '1' && text.trim() !== '0') throw new Unsupported(`the yes/no field [${l.name}] is compared with "${text}"`);
        value = { k: 'bool', v: text.trim() === '1' };
      } else if (f.kind === 'choice' && (eq || ne)) value = str(f.codes?.get(text.trim()) ?? text);
      else if (f.kind === 'text' || f.kind === 'date') value = r.k === 'str' ? str(r.v) : num(r.v);
      else if (isNumeric(text)) value = num(Number(text));
      else if (eq || ne) value = str(text);
      else throw new Unsupported(`[${l.name}] ${op} "${text}" compares a number with text`);
      const cmp = bin(ourOp, ref(f.slot), value);
      return ne ? not(cmp) : cmp;
    }
  }
  const cmp = bin(ourOp, tValue(l, ctx), tValue(r, ctx));
  return ne ? not(cmp) : cmp;
}

function tValue(n: RcNode, ctx: TranslateCtx): Node {
  switch (n.k) {
    case 'num':
      return num(n.v);
    case 'str':
      return isNumeric(n.v) ? num(Number(n.v)) : str(n.v);
    case 'field': {
      if (n.code !== undefined) throw new Unsupported(`[${n.name}(${n.code})] is used as a number`);
      const f = lookupField(ctx, n.name);
      if (f.kind === 'multi') throw new Unsupported(`the checkbox [${n.name}] is used as a value`);
      return ref(f.slot);
    }
    case 'neg':
      return { k: 'neg', arg: tValue(n.arg, ctx) };
    case 'bin':
      if (n.op === '+' || n.op === '-' || n.op === '*' || n.op === '/') return bin(n.op, tValue(n.l, ctx), tValue(n.r, ctx));
      throw new Unsupported(`"${n.op}" inside a calculation`);
    case 'call': {
      const fn = n.fn;
      if (fn === 'sum' && n.args.length > 0) {
        const count = checkboxCount(n.args, ctx);
        if (count) return count;
        ctx.usedSum = true;
        return n.args.map((a) => tValue(a, ctx)).reduce((a, b) => bin('+', a, b));
      }
      if (fn === 'round' && (n.args.length === 1 || (n.args.length === 2 && n.args[1].k === 'num' && n.args[1].v === 0))) return call('round', [tValue(n.args[0], ctx)]);
      if (fn === 'abs' && n.args.length === 1) return call('abs', [tValue(n.args[0], ctx)]);
      if ((fn === 'min' || fn === 'max') && n.args.length > 0) return call(fn, n.args.map((a) => tValue(a, ctx)));
      throw new Unsupported(`the function ${fn}()`);
    }
  }
}

/** sum([chk(a)], [chk(b)], …) over every option of one checkbox: how many are ticked, count(chk). */
function checkboxCount(args: RcNode[], ctx: TranslateCtx): Node | null {
  if (!args.every((a) => a.k === 'field' && a.code !== undefined)) return null;
  const fieldArgs = args as Extract<RcNode, { k: 'field' }>[];
  const name = fieldArgs[0].name;
  if (!fieldArgs.every((a) => a.name === name)) return null;
  const f = lookupField(ctx, name);
  if (f.kind !== 'multi' || !f.codes) return null;
  const named = new Set(fieldArgs.map((a) => a.code!));
  if (named.size !== f.codes.size || ![...f.codes.keys()].every((c) => named.has(c))) return null;
  return call('count', [ref(f.slot)]);
}

/** REDCap logic to the expression language; the result parses and reads only earlier answers. */
function translate(src: string, mode: 'condition' | 'calc', ctx: TranslateCtx): string {
  const tree = rcParse(src.replace(/\r?\n/g, ' '));
  const node = mode === 'condition' ? tCond(tree, ctx) : tValue(tree, ctx);
  const out = formatExpression(node);
  if (out.length > 1000) throw new Unsupported('it is longer than 1000 characters once translated');
  try {
    parseExpression(out);
  } catch (e) {
    if (e instanceof ExpressionError) throw new Unsupported(`it does not translate cleanly (${e.message})`);
    throw e;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Import

interface MatrixGroup {
  id: string;
  name: string;
  rows: Row[];
  rowIds: string[];
  choices: ParsedChoice[];
}

const yes = (s: string) => /^(y|yes|1|true)$/i.test(s.trim());
const dateTypes = new Set(['date_ymd', 'date_mdy', 'date_dmy']);
const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const recordIdStyle = /^(record|participant|subject|study|patient|person|respondent|student|case)_?id$/;

/**
 * Reads a REDCap data dictionary into a draft definition and a report of everything that did not
 * carry over as it was.
 * @throws InteropFormatError when the header is not a REDCap data dictionary, or nothing is importable
 */
export function importRedcap(input: string | Buffer, opts: ImportOptions): ImportResult {
  const notes: ImportNote[] = [];
  const rows = readRows(input, notes);
  if (rows.length === 0) throw new InteropFormatError('The data dictionary has a header but no fields.');
  // REDCap makes a project's first field its record id: a key for REDCap, not a question.
  if (rows.length > 1 && rows[0].name === 'record_id' && rows[0].type === 'text') {
    rows.shift();
    notes.push({ severity: 'info', where: 'record_id', message: "REDCap's record id (the project's first field) is not a question; it was left out. Schoolwell identifies records itself." });
  }
  const kind = opts.kind ?? 'self_assessment';
  const note = (severity: ImportNote['severity'], where: string, message: string) => notes.push({ severity, where, message });

  // Pass 1: ids, matrix groups and what each field reads as, so that logic can name any field.
  const itemIds = new Set<string>();
  const fields = new Map<string, FieldInfo>();
  const matrixOf = new Map<Row, MatrixGroup>();
  const seenNames = new Set<string>();
  const choicesOf = new Map<Row, ParsedChoice[]>();
  const idOf = new Map<Row, string>();
  const namelessRows = new Set<Row>();
  /** Rows already looked at as part of a matrix group run. */
  const inRun = new Set<Row>();

  for (const row of rows) {
    if (!row.name) {
      namelessRows.add(row);
      continue;
    }
    if (['radio', 'dropdown', 'checkbox'].includes(row.type)) choicesOf.set(row, parseChoices(row.choices, row.name, notes));
  }

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (namelessRows.has(row)) continue;
    if (seenNames.has(row.name)) {
      note('unsupported', row.name, `A second field is named "${row.name}" (line ${row.line}); it was left out.`);
      namelessRows.add(row);
      continue;
    }
    seenNames.add(row.name);
    const group = row.matrixGroup.trim();
    if (group && row.type === 'radio' && !inRun.has(row)) {
      // A run of radio fields of one matrix group, starting here (a Section Header starts another).
      const run = [row];
      for (let j = i + 1; j < rows.length && rows[j].matrixGroup.trim() === group && rows[j].type === 'radio' && rows[j].form === row.form && !rows[j].section.trim() && rows[j].name; j++) run.push(rows[j]);
      for (const r of run) inRun.add(r);
      const reason = matrixProblem(run, choicesOf);
      if (reason) {
        note('changed', group, `Matrix group "${group}" (${run.length} fields) was kept as separate single-choice questions: ${reason}.`);
      } else {
        const id = unique(toIdentifier(group, 'm'), itemIds);
        // Rows exported by Schoolwell are named <matrix id>_<row id>: read them back as <row id>.
        const prefix = `${group}_`;
        const stripped = run.map((r) => toIdentifier(r.name.startsWith(prefix) ? r.name.slice(prefix.length) : r.name, 'r'));
        const rowIdsTaken = new Set<string>();
        const canStrip = run.every((r) => r.name.startsWith(prefix) && /^[a-z]/.test(r.name.slice(prefix.length))) && new Set(stripped).size === stripped.length;
        const rowIds = run.map((r, k) => unique(canStrip ? stripped[k] : toIdentifier(r.name, 'r'), rowIdsTaken));
        const m: MatrixGroup = { id, name: group, rows: run, rowIds, choices: choicesOf.get(row)! };
        run.forEach((r, k) => {
          matrixOf.set(r, m);
          seenNames.add(r.name);
          fields.set(r.name, { name: r.name, slot: `${id}.${rowIds[k]}`, kind: 'ordinal' });
        });
        i += run.length - 1;
        continue;
      }
    }
    if (group && row.type === 'checkbox' && (i === 0 || rows[i - 1].matrixGroup.trim() !== group)) {
      note('changed', group, `Matrix group "${group}" holds checkboxes; its fields were kept as separate multiple-choice questions.`);
    }
    const id = unique(toIdentifier(row.name), itemIds);
    idOf.set(row, id);
    if (id !== row.name) note('changed', row.name, `The field is called "${id}" here (ids use lower-case letters, digits and underscores, start with a letter, and are unique).`);
    const numberPicker = row.type !== 'checkbox' && (choicesOf.get(row)?.length ?? 0) > 200 && numericRange(choicesOf.get(row)!) !== null;
    fields.set(row.name, { name: row.name, slot: id, kind: numberPicker ? 'number' : valueKindOf(row), codes: choicesOf.has(row) ? new Map(choicesOf.get(row)!.map((c) => [c.code, c.value])) : undefined });
  }

  for (const row of namelessRows) if (!row.name) note('unsupported', `line ${row.line}`, 'A row without a variable name was left out.');

  // Pass 2: sections and items, in order.
  const sections: Section[] = [];
  const sectionIds = new Set<string>();
  const labelSets: Record<string, LabelSet> = {};
  const available = new Set<string>();
  let skipped = 0;
  let currentForm: string | null = null;
  let partInForm = 0;
  let formId = '';
  const requiredDropped: string[] = [];
  const ignoredColumns: Record<'annotation' | 'alignment' | 'questionNumber' | 'matrixRanking', string[]> = { annotation: [], alignment: [], questionNumber: [], matrixRanking: [] };
  let usedSumWhere: string[] = [];

  const startSection = (title: string, idBase: string) => {
    if (sections.length >= 100) {
      note('changed', idBase, 'An instrument has at most 100 sections; this part was added to the previous section.');
      return;
    }
    const id = unique(toIdentifier(idBase, 's'), sectionIds);
    sections.push({ id, title: { en: clip(title, id, 'section title') }, items: [] });
  };
  const clip = (text: string, where: string, what: string) => {
    if (text.length <= MAX_TEXT) return text;
    note('changed', where, `The ${what} was cut to ${MAX_TEXT} characters.`);
    return text.slice(0, MAX_TEXT);
  };
  const addItem = (item: Item, where: string) => {
    let section = sections[sections.length - 1];
    if (section.items.length >= 500) {
      note('changed', where, 'A section has at most 500 questions; the rest continue in a new section.');
      startSection(`${pick(section.title, 'en')} (continued)`, `${section.id}_cont`);
      section = sections[sections.length - 1];
    }
    section.items.push(item);
  };
  const condition = (row: Row, self: string): string | undefined => {
    const logic = row.branching.trim();
    if (!logic) return undefined;
    const ctx: TranslateCtx = { fields, available, self, usedSum: false };
    try {
      return translate(logic, 'condition', ctx);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      note('unsupported', row.name, `Branching logic ${JSON.stringify(logic)} was dropped (${e.message}); the question is always shown.`);
      return undefined;
    }
  };
  const required = (row: Row): boolean | undefined => {
    if (!yes(row.required)) return undefined;
    if (kind === 'survey') {
      requiredDropped.push(row.name);
      return undefined;
    }
    return true;
  };

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (namelessRows.has(row)) {
      skipped++;
      continue;
    }
    const header = row.section.trim() ? htmlToText(row.section) : '';
    if (row.form !== currentForm) {
      currentForm = row.form;
      partInForm = 1;
      formId = toIdentifier(row.form || 'form', 'form', 56);
      startSection(header || humanise(row.form || 'Form'), formId);
    } else if (row.section.trim()) {
      partInForm++;
      startSection(header || `${humanise(row.form)} (part ${partInForm})`, `${formId}_${partInForm}`);
    }
    const matrix = matrixOf.get(row);
    for (const r of matrix ? matrix.rows : [row]) {
      for (const key of Object.keys(ignoredColumns) as (keyof typeof ignoredColumns)[]) if (r[key].trim()) ignoredColumns[key].push(r.name);
      if (yes(r.identifier)) note('info', r.name, 'REDCap marks this field as an identifier. It was kept as a question, but anonymous surveys must not ask for identifying information: remove it for a survey.');
      else if (recordIdStyle.test(r.name.toLowerCase())) note('info', r.name, 'This is a record identifier field. It was kept as a text question, but Schoolwell identifies responses itself and anonymous surveys must not ask identifiers: remove it for a survey.');
    }

    if (matrix) {
      const item = buildMatrix(matrix, labelSets, note);
      const showIf = condition(row, row.name);
      if (showIf) item.showIf = showIf;
      const req = matrix.rows.map((r) => required(r));
      if (req.every((r) => r === true)) item.required = true;
      else if (req.some((r) => r === true)) note('changed', matrix.name, 'Only some rows of the matrix were required; the matrix is not required.');
      addItem(item, matrix.name);
      for (const r of matrix.rows) fields.get(r.name)!.imported = true;
      for (const k of matrix.rowIds) available.add(`${matrix.id}.${k}`);
      i += matrix.rows.length - 1;
      continue;
    }

    const id = idOf.get(row)!;
    const info = fields.get(row.name)!;
    const built = buildItem(row, id, choicesOf.get(row), note, fields, available);
    if (!built) {
      info.imported = false;
      skipped++;
      continue;
    }
    const item = built.item;
    if (built.usedSum) usedSumWhere = [...usedSumWhere, row.name];
    const showIf = condition(row, row.name);
    if (showIf) item.showIf = showIf;
    if (item.type !== 'note' && item.type !== 'calc') {
      const req = required(row);
      if (req) item.required = true;
    }
    addItem(item, row.name);
    info.imported = true;
    available.add(info.slot);
  }

  if (requiredDropped.length) note('changed', 'Required Field?', `Survey questions are never required; "required" was dropped from ${listNames(requiredDropped)}.`);
  if (usedSumWhere.length) note('changed', usedSumWhere[0], `sum(…) became "+" in ${listNames(usedSumWhere)}: the result is blank when any part is unanswered (REDCap's sum skips blanks).`);
  const ignoredMessages: Record<keyof typeof ignoredColumns, string> = {
    annotation: 'Field Annotation (action tags such as @HIDDEN or @DEFAULT, and notes) is not imported',
    alignment: 'Custom Alignment is not imported',
    questionNumber: 'Question Number (surveys only) is not imported',
    matrixRanking: 'Matrix Ranking? is not imported (a ranking matrix became an ordinary one)',
  };
  for (const key of Object.keys(ignoredColumns) as (keyof typeof ignoredColumns)[]) {
    const names = ignoredColumns[key];
    if (names.length) note('info', columns.find(([k]) => k === key)![1], `${ignoredMessages[key]}; ${names.length} field(s) had one: ${listNames(names)}.`);
  }

  const kept = sections.filter((s) => {
    if (s.items.length > 0) return true;
    note('info', s.id, `Section "${pick(s.title, 'en').slice(0, 80)}" has no importable fields and was left out.`);
    return false;
  });
  const itemCount = kept.reduce((n, s) => n + s.items.length, 0);
  if (itemCount === 0) throw new InteropFormatError('The data dictionary has no importable fields.');

  const firstForm = rows.find((r) => !namelessRows.has(r))?.form ?? '';
  const definition: InstrumentDefinition = {
    schemaVersion: 1,
    id: opts.id,
    version: 1,
    kind,
    audience: opts.audience ?? 'team',
    title: { en: (opts.title?.trim() || humanise(firstForm) || opts.id).slice(0, MAX_TEXT) },
    defaultLanguage: 'en',
    languages: ['en'],
    labelSets,
    sections: kept,
    scales: [],
    source: { format: 'redcap' },
  };
  return { format: 'redcap', definition, notes, counts: { sections: kept.length, items: itemCount, skipped } };
}

function listNames(names: string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}

function valueKindOf(row: Row): ValueKind {
  const v = row.validation.trim().toLowerCase();
  switch (row.type) {
    case 'radio':
    case 'dropdown':
      return 'choice';
    case 'checkbox':
      return 'multi';
    case 'yesno':
    case 'truefalse':
      return 'yesno';
    case 'slider':
      return 'number';
    case 'calc':
      return 'calc';
    case 'notes':
      return 'text';
    case 'text':
      if (dateTypes.has(v)) return 'date';
      if (v === 'integer' || v.startsWith('number')) return 'number';
      return 'text';
    default:
      return 'none';
  }
}

/** Why a run of radio fields of one matrix group cannot be one matrix item, or null when it can. */
function matrixProblem(run: Row[], choicesOf: Map<Row, ParsedChoice[]>): string | null {
  const key = (r: Row) => JSON.stringify(choicesOf.get(r)!.map((c) => [c.code, c.label]));
  const first = choicesOf.get(run[0])!;
  if (!run.every((r) => key(r) === key(run[0]))) return 'its fields do not all have the same choices';
  const codes = first.map((c) => c.code);
  if (!isConsecutiveFromOne(codes)) return `its choice codes are ${codes.join(', ')}, not 1 to ${codes.length} (a matrix is answered on points 1…n)`;
  if (codes.length > 11) return 'it has more than 11 choices';
  if (run.length > 50) return 'it has more than 50 fields';
  const logic = (r: Row) => r.branching.replace(/\s+/g, ' ').trim();
  if (!run.every((r) => logic(r) === logic(run[0]))) return 'its fields have different branching logic';
  return null;
}

function buildMatrix(m: MatrixGroup, labelSets: Record<string, LabelSet>, note: (s: ImportNote['severity'], w: string, msg: string) => void): ItemOf<'matrix'> {
  const sorted = [...m.choices].sort((a, b) => Number(a.code) - Number(b.code));
  const labels = sorted.map((c) => ({ en: c.label }));
  const same = Object.entries(labelSets).find(([, s]) => s.points === labels.length && s.labels.every((l, k) => l.en === labels[k].en));
  let setId: string;
  if (same) setId = same[0];
  else {
    setId = unique(toIdentifier(m.id, 'scale', 64), new Set(Object.keys(labelSets)));
    labelSets[setId] = { points: labels.length, labels };
  }
  const first = m.rows[0];
  const header = first.section.trim() ? htmlToText(first.section) : '';
  const item: ItemOf<'matrix'> = {
    id: m.id,
    type: 'matrix',
    // REDCap's matrix header is the Section Header of its first field.
    text: { en: (header || humanise(m.name)).slice(0, MAX_TEXT) },
    labelSet: setId,
    rows: m.rows.map((r, k) => ({ id: m.rowIds[k], text: { en: (htmlToText(r.label) || r.name).slice(0, MAX_TEXT) } })),
  };
  const help = htmlToText(first.note);
  if (help) item.help = { en: help.slice(0, MAX_TEXT) };
  if (m.rows.slice(1).some((r) => htmlToText(r.note))) note('changed', m.name, 'Field notes of matrix rows after the first were not kept.');
  if (m.id !== m.name) note('changed', m.name, `The matrix is called "${m.id}" here.`);
  return item;
}

function buildItem(
  row: Row,
  id: string,
  choices: ParsedChoice[] | undefined,
  note: (s: ImportNote['severity'], w: string, msg: string) => void,
  fields: Map<string, FieldInfo>,
  available: Set<string>,
): { item: Item; usedSum: boolean } | null {
  const where = row.name;
  const label = htmlToText(row.label);
  let text = label;
  if (!text) {
    text = row.type === 'descriptive' ? humanise(row.name) : row.name;
    if (row.type !== 'descriptive' || row.label.trim()) note('changed', where, `The field has no label text; "${text}" was used.`);
  }
  if (text.length > MAX_TEXT) {
    note('changed', where, `The label was cut to ${MAX_TEXT} characters.`);
    text = text.slice(0, MAX_TEXT);
  }
  const base: { id: string; text: LocalizedText; help?: LocalizedText } = { id, text: { en: text } };
  const help = htmlToText(row.note);
  if (help) base.help = { en: help.slice(0, MAX_TEXT) };
  const validation = row.validation.trim().toLowerCase();
  const unsupported = (message: string) => {
    note('unsupported', where, message);
    return null;
  };
  const numberOr = (s: string, what: string): number | undefined => {
    if (!s.trim()) return undefined;
    const n = Number(s.trim());
    if (Number.isFinite(n)) return n;
    note('changed', where, `The ${what} "${s.trim()}" is not a number and was not kept.`);
    return undefined;
  };

  switch (row.type) {
    case 'radio':
    case 'dropdown':
    case 'checkbox': {
      if (!choices || choices.length === 0) return unsupported(`The ${row.type} field has no choices; it was left out.`);
      if (choices.length > 200) {
        const range = row.type !== 'checkbox' ? numericRange(choices) : null;
        if (!range) return unsupported(`The ${row.type} field has ${choices.length} choices, more than the 200 a question may have; it was left out.`);
        note('changed', where, `The ${row.type} of the ${choices.length} whole numbers ${range.min} to ${range.max} became a number question from ${range.min} to ${range.max}.`);
        return { item: { ...base, type: 'number', integer: true, min: range.min, max: range.max }, usedSum: false };
      }
      const list: Choice[] = choices.map((c) => ({ value: c.value, label: { en: c.label } }));
      if (row.type === 'checkbox') return { item: { ...base, type: 'multiple_choice', choices: list }, usedSum: false };
      const item: ItemOf<'single_choice'> = { ...base, type: 'single_choice', choices: list };
      if (row.type === 'dropdown') item.display = 'dropdown';
      return { item, usedSum: false };
    }
    case 'yesno':
      return { item: { ...base, type: 'yes_no' }, usedSum: false };
    case 'truefalse':
      note('changed', where, 'A True/False field became a Yes/No question (true reads as yes, false as no).');
      return { item: { ...base, type: 'yes_no' }, usedSum: false };
    case 'notes':
      return { item: { ...base, type: 'text', multiline: true }, usedSum: false };
    case 'descriptive':
      return { item: { ...base, type: 'note' }, usedSum: false };
    case 'text': {
      if (dateTypes.has(validation)) {
        const item: ItemOf<'date'> = { ...base, type: 'date' };
        for (const [key, raw] of [['min', row.min.trim()], ['max', row.max.trim()]] as const) {
          if (!raw) continue;
          if (isIsoDate(raw)) item[key] = raw;
          else note('changed', where, `The date ${key === 'min' ? 'minimum' : 'maximum'} "${raw}" was not kept (only fixed dates as YYYY-MM-DD are).`);
        }
        if (item.min && item.max && item.min > item.max) {
          note('changed', where, 'The earliest date is after the latest; neither was kept.');
          delete item.min;
          delete item.max;
        }
        return { item, usedSum: false };
      }
      if (validation === 'integer' || validation.startsWith('number')) {
        const item: ItemOf<'number'> = { ...base, type: 'number' };
        if (validation === 'integer') item.integer = true;
        const min = numberOr(row.min, 'minimum');
        const max = numberOr(row.max, 'maximum');
        if (min !== undefined && max !== undefined && min > max) note('changed', where, 'The minimum is above the maximum; neither was kept.');
        else {
          if (min !== undefined) item.min = min;
          if (max !== undefined) item.max = max;
        }
        return { item, usedSum: false };
      }
      const item: ItemOf<'text'> = { ...base, type: 'text' };
      if (validation === 'email') item.format = 'email';
      else if (validation.startsWith('phone')) item.format = 'phone';
      else if (validation) note('changed', where, `The text validation "${validation}" has no equivalent; the question takes free text.`);
      return { item, usedSum: false };
    }
    case 'slider': {
      let min = 0;
      let max = 100;
      const lo = numberOr(row.min, 'slider minimum');
      const hi = numberOr(row.max, 'slider maximum');
      if (lo !== undefined || hi !== undefined) {
        const a = lo ?? 0;
        const b = hi ?? 100;
        if (Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= 10 && b <= 100 && a < b) [min, max] = [a, b];
        else note('changed', where, `The slider range ${a}–${b} cannot be a rating (whole numbers, starting at 0 to 10, ending at most at 100); 0–100 was used.`);
      }
      const parts = row.choices.split('|').map((p) => htmlToText(p));
      const item: ItemOf<'rating'> = { ...base, type: 'rating', min, max };
      const left = parts[0];
      const right = parts.length > 1 ? parts[parts.length - 1] : '';
      if (left) item.minLabel = { en: left.slice(0, MAX_TEXT) };
      if (right) item.maxLabel = { en: right.slice(0, MAX_TEXT) };
      const middle = parts.length === 3 && parts[1] ? ` (the middle label "${parts[1]}" was not kept)` : '';
      note('changed', where, `The slider became a rating from ${min} to ${max} with its end labels${middle}.`);
      return { item, usedSum: false };
    }
    case 'calc': {
      const src = row.choices.trim();
      if (!src) return unsupported('The calculated field has no calculation; it was left out.');
      const ctx: TranslateCtx = { fields, available, self: row.name, usedSum: false };
      try {
        const expression = translate(src, 'calc', ctx);
        return { item: { ...base, type: 'calc', expression }, usedSum: ctx.usedSum };
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        return unsupported(`The calculation ${JSON.stringify(src)} cannot be expressed here (${e.message}); the field was left out.`);
      }
    }
    case 'sql':
      return unsupported('An sql field (a dropdown filled by a database query inside REDCap) cannot be imported; it was left out.');
    case 'file':
      return unsupported(validation === 'signature' ? 'A signature field cannot be imported; it was left out.' : 'A file upload field cannot be imported; it was left out.');
    default:
      return unsupported(`The field type "${row.type || '(blank)'}" is not supported; the field was left out.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Export

class Untranslatable extends Error {}

interface SlotOut {
  field: string;
  type: Item['type'];
  /** Choice codes of a multiple-choice item. */
  codes?: string[];
}

type Out = { s: string; p: number };
const OR = 1;
const AND = 2;
const ATOM = 3;

function join(op: 'and' | 'or', parts: Out[]): Out {
  if (parts.length === 1) return parts[0];
  const p = op === 'or' ? OR : AND;
  return { s: parts.map((x) => (x.p !== ATOM && x.p !== p ? `(${x.s})` : x.s)).join(` ${op} `), p };
}

function quote(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  throw new Untranslatable('a text with both kinds of quotes');
}

const arithPrec: Record<string, number> = { '+': 4, '-': 4, '*': 5, '/': 5 };

class LogicWriter {
  constructor(private readonly slots: Map<string, SlotOut>) {}

  private slot(name: string): SlotOut {
    const s = this.slots.get(name);
    if (!s) throw new Untranslatable(`"${name}" is not a question of the instrument`);
    return s;
  }

  private field(n: Node): SlotOut | null {
    return n.k === 'ref' ? this.slot(n.name) : null;
  }

  cond(n: Node, neg = false): Out {
    switch (n.k) {
      case 'bin':
        if (n.op === 'and' || n.op === 'or') {
          const op = (n.op === 'and') !== neg ? 'and' : 'or';
          return join(op, [this.cond(n.left, neg), this.cond(n.right, neg)]);
        }
        return this.compare(n, neg);
      case 'not':
        return this.cond(n.arg, !neg);
      case 'call':
        if (n.fn === 'answered' && n.args[0].k === 'ref') {
          const f = this.slot(n.args[0].name);
          if (f.type === 'multiple_choice') return join(neg ? 'and' : 'or', f.codes!.map((c) => ({ s: `[${f.field}(${c})] = '${neg ? 0 : 1}'`, p: ATOM })));
          return { s: `[${f.field}] ${neg ? '=' : '<>'} ''`, p: ATOM };
        }
        throw new Untranslatable(`${n.fn}() as a condition`);
      case 'ref': {
        const f = this.slot(n.name);
        if (f.type === 'yes_no') return { s: `[${f.field}] ${neg ? '<>' : '='} '1'`, p: ATOM };
        throw new Untranslatable(`"${n.name}" alone as a condition`);
      }
      default:
        throw new Untranslatable('a value alone as a condition');
    }
  }

  private compare(n: Extract<Node, { k: 'bin' }>, neg: boolean): Out {
    const { op } = n;
    let { left, right } = n;
    if (op === 'contains') {
      const f = this.field(left);
      if (f?.type !== 'multiple_choice' || (right.k !== 'str' && right.k !== 'num')) throw new Untranslatable('"contains" on something other than a multiple-choice question');
      return { s: `[${f.field}(${String(right.v)})] = '${neg ? 0 : 1}'`, p: ATOM };
    }
    if (op === 'in') {
      if (right.k !== 'list' || right.items.length === 0) throw new Untranslatable('"in" without a list');
      return join(neg ? 'and' : 'or', right.items.map((item) => this.equals(left, item, neg)));
    }
    if (op === '==') return this.equals(left, right, neg);
    const blanks = (side: Node[], blank: boolean) => side.filter((s) => s.k === 'ref').map((s) => ({ s: `[${this.slot((s as { name: string }).name).field}] ${blank ? '=' : '<>'} ''`, p: ATOM }));
    if (op === '!=') {
      // Our != is false on a blank; REDCap's <> is true on a blank.
      const [a, b] = [this.value(left), this.value(right, this.field(left))];
      if (neg) return join('or', [...blanks([left, right], true), { s: `${a} = ${b}`, p: ATOM }]);
      return join('and', [...blanks([left, right], false), { s: `${a} <> ${b}`, p: ATOM }]);
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      if (left.k !== 'ref' && right.k === 'ref' && (left.k === 'num' || left.k === 'str')) [left, right] = [right, left] as [Node, Node];
      const flipped = left !== n.left;
      let o: string = flipped ? { '<': '>', '>': '<', '<=': '>=', '>=': '<=' }[op] : op;
      if (neg) o = { '<': '>=', '>': '<=', '<=': '>', '>=': '<' }[o]!;
      const cmp = { s: `${this.value(left, null, true)} ${o} ${this.value(right, this.field(left), true)}`, p: ATOM };
      // not (x < 5) is true on a blank; a REDCap comparison is false on one.
      return neg ? join('or', [...blanks([left, right], true), cmp]) : cmp;
    }
    throw new Untranslatable(`"${op}" as a condition`);
  }

  private equals(left: Node, right: Node, neg: boolean): Out {
    if ((left.k === 'num' || left.k === 'str' || left.k === 'bool') && right.k === 'ref') [left, right] = [right, left];
    if (right.k === 'null' || left.k === 'null') throw new Untranslatable('a comparison with null');
    const f = this.field(left);
    const cmp = { s: `${this.value(left)} ${neg ? '<>' : '='} ${this.value(right, f)}`, p: ATOM };
    if (left.k !== 'ref' || right.k !== 'ref') return cmp;
    // Two answers: REDCap finds two blanks equal; our == never matches a missing answer.
    const blank = { s: `[${f!.field}] ${neg ? '=' : '<>'} ''`, p: ATOM };
    return neg ? join('or', [blank, cmp]) : join('and', [blank, cmp]);
  }

  /** A value: a literal is written as the compared field stores it (codes quoted, numbers bare). */
  value(n: Node, against: SlotOut | null = null, numeric = false): string {
    switch (n.k) {
      case 'num':
        if (against && ['likert', 'rating', 'single_choice', 'matrix'].includes(against.type) && !numeric) return quote(String(n.v));
        return String(n.v);
      case 'str':
        if (numeric && isNumeric(n.v)) return n.v.trim();
        return quote(n.v);
      case 'bool':
        if (against?.type === 'yes_no') return `'${n.v ? 1 : 0}'`;
        throw new Untranslatable('true/false compared with something other than a yes/no question');
      case 'ref':
        return `[${this.slot(n.name).field}]`;
      case 'neg':
        return `-${this.wrap(n.arg, 6, false)}`;
      case 'bin':
        if (n.op in arithPrec) return `${this.wrap(n.left, arithPrec[n.op], false)} ${n.op} ${this.wrap(n.right, arithPrec[n.op], true)}`;
        throw new Untranslatable(`"${n.op}" inside a calculation`);
      case 'call':
        if (n.fn === 'round') return `round(${this.value(n.args[0])}, 0)`;
        if (n.fn === 'abs') return `abs(${this.value(n.args[0])})`;
        if (n.fn === 'min' || n.fn === 'max') return `${n.fn}(${n.args.map((a) => this.value(a)).join(', ')})`;
        if (n.fn === 'count' && n.args[0].k === 'ref') {
          const f = this.slot(n.args[0].name);
          if (f.type === 'multiple_choice') return `sum(${f.codes!.map((c) => `[${f.field}(${c})]`).join(', ')})`;
        }
        throw new Untranslatable(`${n.fn}() in REDCap logic`);
      default:
        throw new Untranslatable(`a ${n.k} in REDCap logic`);
    }
  }

  private wrap(n: Node, parent: number, right: boolean): string {
    const p = n.k === 'bin' && n.op in arithPrec ? arithPrec[n.op] : 9;
    const s = this.value(n);
    return p < parent || (right && p === parent) ? `(${s})` : s;
  }
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const choiceLabel = (s: string) => escapeHtml(s.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '/'));

/**
 * Writes an instrument as a REDCap data dictionary: one form named after the instrument, one row
 * per answer slot (a matrix gives one radio field per row, named <matrix id>_<row id>, in a matrix
 * group named after the matrix), texts in `lang` with the instrument's default language as fallback.
 * What REDCap cannot hold: translations, scales, tags, label-set semantics (likert and rating become
 * radio fields), NA/DK/PNS answers, units, bands, section ids and conditions, matrix texts.
 */
export function exportRedcap(def: InstrumentDefinition, lang: LanguageCode = 'en'): string {
  const t = (text: LocalizedText | undefined) => pick(text, lang, def.defaultLanguage);
  const form = toIdentifier(def.id, 'form');

  // Field names: item ids as they are; matrix rows <matrix id>_<row id>, unique.
  const taken = new Set<string>();
  for (const s of def.sections) for (const item of s.items) if (item.type !== 'matrix') taken.add(item.id);
  const slots = new Map<string, SlotOut>();
  const rowField = new Map<string, string>();
  for (const s of def.sections)
    for (const item of s.items) {
      if (item.type === 'matrix') {
        for (const r of item.rows) {
          const name = unique(`${item.id}_${r.id}`.slice(0, 100), taken, 100);
          rowField.set(`${item.id}.${r.id}`, name);
          slots.set(`${item.id}.${r.id}`, { field: name, type: 'matrix' });
        }
      } else if (item.type !== 'note') {
        slots.set(item.id, { field: item.id, type: item.type, codes: item.type === 'multiple_choice' ? item.choices.map((c) => c.value) : undefined });
      }
    }
  const writer = new LogicWriter(slots);

  const lines = [headerLine];
  // REDCap takes the first field as the record id; give it one, so the file loads into a new project.
  if (!taken.has('record_id')) {
    const recordId = Object.fromEntries(columns.map(([key]) => [key, ''])) as Record<Col, string>;
    Object.assign(recordId, { name: 'record_id', form, type: 'text', label: 'Record ID' });
    lines.push(columns.map(([key]) => csvCell(recordId[key])).join(','));
  }
  for (const section of def.sections) {
    let header = t(section.title);
    const description = t(section.description);
    if (description) header += `\n\n${description}`;
    let first = true;
    for (const item of section.items) {
      const base = (): Record<Col, string> => ({
        name: '',
        form,
        section: first ? escapeHtml(header) : '',
        type: '',
        label: escapeHtml(t(item.text)),
        choices: '',
        note: item.help ? escapeHtml(t(item.help)) : '',
        validation: '',
        min: '',
        max: '',
        identifier: '',
        branching: '',
        required: item.required && item.type !== 'note' && item.type !== 'calc' ? 'y' : '',
        alignment: '',
        questionNumber: '',
        matrixGroup: '',
        matrixRanking: '',
        annotation: '',
      });
      // Sections have no conditions in REDCap: a section's condition joins each of its fields'.
      const conditions = [section.showIf, item.showIf].filter((c): c is string => !!c);
      // A condition REDCap cannot express is left to a person, in the annotation; the field is then
      // shown more often, never less.
      const parts: Out[] = [];
      const lost: string[] = [];
      for (const c of conditions) {
        try {
          parts.push(writer.cond(parseExpression(c)));
        } catch (e) {
          if (!(e instanceof Untranslatable || e instanceof ExpressionError)) throw e;
          lost.push(c);
        }
      }
      const branching = parts.length ? join('and', parts).s : '';
      let annotation = lost.length ? `Schoolwell show-if, not expressible as REDCap branching logic: ${lost.join(' and ')}` : '';
      const rows: Record<Col, string>[] = [];
      const row = base();
      row.name = item.id;
      switch (item.type) {
        case 'likert': {
          const set = def.labelSets[item.labelSet];
          const points = set?.points ?? 0;
          row.type = 'radio';
          row.choices = Array.from({ length: points }, (_, k) => `${k + 1}, ${choiceLabel(t(set.labels[k]) || String(k + 1))}`).join(' | ');
          rows.push(row);
          break;
        }
        case 'rating': {
          if (item.max - item.min + 1 > 11) {
            row.type = 'slider';
            row.choices = [t(item.minLabel), '', t(item.maxLabel)].map(choiceLabel).join(' | ');
            row.validation = 'number';
            row.min = String(item.min);
            row.max = String(item.max);
          } else {
            row.type = 'radio';
            const points: string[] = [];
            for (let v = item.min; v <= item.max; v++) {
              const end = v === item.min ? t(item.minLabel) : v === item.max ? t(item.maxLabel) : '';
              points.push(`${v}, ${choiceLabel(end ? `${v} - ${end}` : String(v))}`);
            }
            row.choices = points.join(' | ');
          }
          rows.push(row);
          break;
        }
        case 'single_choice':
        case 'multiple_choice':
          row.type = item.type === 'multiple_choice' ? 'checkbox' : item.display === 'dropdown' ? 'dropdown' : 'radio';
          row.choices = item.choices.map((c) => `${c.value}, ${choiceLabel(t(c.label) || c.value)}`).join(' | ');
          rows.push(row);
          break;
        case 'yes_no':
          row.type = 'yesno';
          rows.push(row);
          break;
        case 'number':
          row.type = 'text';
          row.validation = item.integer ? 'integer' : 'number';
          if (item.min !== undefined) row.min = String(item.min);
          if (item.max !== undefined) row.max = String(item.max);
          rows.push(row);
          break;
        case 'text':
          row.type = item.multiline ? 'notes' : 'text';
          if (item.format === 'email' || item.format === 'phone') row.validation = item.format;
          rows.push(row);
          break;
        case 'date':
          row.type = 'text';
          row.validation = 'date_ymd';
          if (item.min) row.min = item.min;
          if (item.max) row.max = item.max;
          rows.push(row);
          break;
        case 'note':
          row.type = 'descriptive';
          rows.push(row);
          break;
        case 'calc':
          row.type = 'calc';
          try {
            row.choices = writer.value(parseExpression(item.expression));
          } catch (e) {
            if (!(e instanceof Untranslatable || e instanceof ExpressionError)) throw e;
            annotation = [annotation, `Schoolwell calculation, not expressible in REDCap: ${item.expression}`].filter(Boolean).join(' / ');
          }
          rows.push(row);
          break;
        case 'matrix': {
          const set = def.labelSets[item.labelSet];
          const choices = Array.from({ length: set?.points ?? 0 }, (_, k) => `${k + 1}, ${choiceLabel(t(set.labels[k]) || String(k + 1))}`).join(' | ');
          item.rows.forEach((r, k) => {
            const m = base();
            m.name = rowField.get(`${item.id}.${r.id}`)!;
            m.type = 'radio';
            m.label = escapeHtml(t(r.text));
            m.choices = choices;
            m.matrixGroup = item.id;
            if (k > 0) {
              m.section = '';
              m.note = '';
            }
            rows.push(m);
          });
          break;
        }
      }
      for (const r of rows) {
        r.branching = branching;
        r.annotation = annotation;
        lines.push(columns.map(([key]) => csvCell(r[key])).join(','));
      }
      first = false;
    }
  }
  return `${lines.join('\n')}\n`;
}
