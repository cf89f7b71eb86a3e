import { readFile } from 'node:fs/promises';
import readExcelFile from 'read-excel-file/node';
import { formatExpression, type Node, parseExpression, reservedWords } from '../model/expression.js';
import type { Choice, InstrumentDefinition, Item, Section } from '../model/instrument.schema.js';
import { languageCodes, type LanguageCode, type LocalizedText } from '../model/text.js';
import { type ImportNote, type ImportOptions, type ImportResult, InteropFormatError } from './interop.types.js';

/**
 * XLSForm (the spreadsheet form format of ODK, KoboToolbox, SurveyCTO and Ona) → instrument
 * definition. Reads the `survey`, `choices` and `settings` sheets of an .xlsx workbook and carries
 * over what the instrument model can hold; everything else is skipped or changed with a note whose
 * `where` is the sheet row (`survey row 12`, the header being row 1).
 *
 * - Top-level groups become sections (their `relevant` the section's condition); questions outside
 *   groups go into a section of their own at their place in the form; nested groups are flattened
 *   into the enclosing section, their condition added to each of their questions.
 * - Repeats (and everything inside) are skipped; so are metadata (start, deviceid…), media and
 *   location questions, and calculations the expression language cannot say.
 * - `relevant` and `calculation` are translated to the expression language by
 *   {@link translateXlsExpression}; what it cannot translate is dropped with a note.
 */

export type Cell = string | number | boolean | Date | null;
/** One sheet as read-excel-file gives it: rows of cells, the header first. */
export interface XlsSheet {
  sheet: string;
  data: Cell[][];
}

/** Reads an .xlsx workbook (a path or its bytes) and imports it; see {@link importXlsFormSheets}. */
export async function importXlsForm(input: string | Buffer, opts: ImportOptions): Promise<ImportResult> {
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) throw new InteropFormatError('This is a legacy .xls workbook; save it as .xlsx and import that.');
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw new InteropFormatError('The file is not an .xlsx workbook.');
  let sheets: XlsSheet[];
  try {
    const read = await readExcelFile(bytes);
    // read-excel-file types a date cell as `typeof Date`; it is a Date.
    sheets = read.map((s) => ({ sheet: s.sheet, data: s.data as unknown as Cell[][] }));
  } catch (e) {
    throw new InteropFormatError(`The file could not be read as an .xlsx workbook (${e instanceof Error ? e.message : String(e)}).`);
  }
  return importXlsFormSheets(sheets, opts);
}

// ---------------------------------------------------------------------------------------------
// Types of rows

export type XlsType =
  | { kind: 'begin_group' | 'end_group' | 'begin_repeat' | 'end_repeat' }
  | { kind: 'select'; multiple: boolean; list: string; orOther: boolean }
  | { kind: 'question'; type: 'integer' | 'decimal' | 'text' | 'date' | 'datetime' | 'note' | 'calculate' | 'acknowledge' | 'range' }
  /** Values the device fills in (start, deviceid…): never asked. */
  | { kind: 'metadata'; type: string }
  | { kind: 'unsupported'; type: string; known: boolean };

const metadataTypes = new Set(['start', 'end', 'today', 'deviceid', 'subscriberid', 'simserial', 'phonenumber', 'username', 'email', 'audit', 'instanceid', 'start-geopoint', 'background-audio', 'background-geopoint', 'imei', 'uri:deviceid', 'uri:email', 'uri:username', 'uri:subscriberid', 'uri:phonenumber', 'uri:simserial']);
const unsupportedTypes = new Set(['geopoint', 'geotrace', 'geoshape', 'image', 'photo', 'audio', 'video', 'file', 'barcode', 'rank', 'time', 'hidden', 'xml-external', 'csv-external', 'begin loop', 'end loop', 'osm', 'signature']);
const questionTypes: Record<string, Extract<XlsType, { kind: 'question' }>['type']> = {
  integer: 'integer',
  int: 'integer',
  decimal: 'decimal',
  text: 'text',
  string: 'text',
  date: 'date',
  datetime: 'datetime',
  note: 'note',
  calculate: 'calculate',
  acknowledge: 'acknowledge',
  trigger: 'acknowledge',
  range: 'range',
};

/** What the `type` cell of a survey row says (`select_one yes_no or_other`, `begin group`…). */
export function parseXlsType(raw: string): XlsType {
  const t = raw.trim().replace(/\s+/g, ' ');
  const lower = t.toLowerCase();
  const select = /^(select_one|select one|select1|select_multiple|select multiple)\s+(\S+)(\s+or_other)?$/i.exec(t);
  if (select) return { kind: 'select', multiple: select[1].toLowerCase().includes('multiple'), list: select[2], orOther: !!select[3] };
  const structure = /^(begin|end)[ _](group|repeat)$/.exec(lower);
  if (structure) return { kind: `${structure[1]}_${structure[2]}` as 'begin_group' };
  if (lower in questionTypes) return { kind: 'question', type: questionTypes[lower] };
  if (metadataTypes.has(lower)) return { kind: 'metadata', type: lower };
  const first = lower.split(' ')[0];
  const known = unsupportedTypes.has(lower) || unsupportedTypes.has(first) || /^(select_one_from_file|select_multiple_from_file|select_one_external|select_multiple_external|select_one|select_multiple)$/.test(first);
  return { kind: 'unsupported', type: t, known };
}

// ---------------------------------------------------------------------------------------------
// Expressions

/** What an expression can say about a question it reads: its id, type and choice values. */
export interface XlsRef {
  id: string;
  type: Item['type'];
  /** Choice names of the XLSForm list → choice values of the item. */
  choiceValues?: Map<string, string>;
  /** An acknowledge row imported as yes/no: its XLSForm value 'OK' reads as true. */
  acknowledge?: boolean;
}
export type XlsResolve = (name: string) => XlsRef | { error: string };
export type XlsExprResult = { ok: true; expression: string } | { ok: false; reason: string };

type XNode =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'ref'; name: string }
  | { k: 'bin'; op: string; l: XNode; r: XNode }
  | { k: 'neg'; a: XNode }
  | { k: 'call'; fn: string; args: XNode[] };

class Untranslatable extends Error {}

type XToken = { t: 'num' | 'str' | 'ref' | 'name' | 'op' | 'eof'; v: string };

function xTokens(src: string): XToken[] {
  const out: XToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('${', i)) {
      const end = src.indexOf('}', i);
      if (end < 0) throw new Untranslatable('has an unclosed ${');
      out.push({ t: 'ref', v: src.slice(i + 2, end).trim() });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '.') throw new Untranslatable(src.startsWith('..', i) ? 'uses a path ("..")' : 'uses "." (the question\'s own value)');
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Untranslatable('has an unclosed quote');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>+-*(),'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.:-]*/.exec(src.slice(i))!;
      // A name may end in "-" only as part of a longer name; "x -1" is not a name.
      const name = m[0].replace(/[-.:]+$/, '');
      const word = name.toLowerCase();
      // As in XPath, and/or/div/mod are operators right after an operand, names elsewhere.
      const prev = out[out.length - 1];
      const afterOperand = !!prev && (prev.t === 'num' || prev.t === 'str' || prev.t === 'ref' || (prev.t === 'op' && prev.v === ')'));
      const isOp = afterOperand && ['and', 'or', 'div', 'mod'].includes(word);
      out.push({ t: isOp ? 'op' : 'name', v: isOp ? word : name });
      i += name.length;
      continue;
    }
    if (c === '/') throw new Untranslatable('uses a path ("/")');
    if (c === '[') throw new Untranslatable('uses a predicate ("[…]")');
    if (c === '|') throw new Untranslatable('uses a node-set union ("|")');
    throw new Untranslatable(`has the character "${c}", which conditions do not use`);
  }
  out.push({ t: 'eof', v: '' });
  return out;
}

/** Parses the XPath subset of XLSForm expressions (operators, literals, ${refs}, calls). */
function parseXPath(src: string): XNode {
  const tokens = xTokens(src);
  let p = 0;
  const isOp = (...ops: string[]) => tokens[p].t === 'op' && ops.includes(tokens[p].v);
  const expect = (v: string) => {
    if (!isOp(v)) throw new Untranslatable(`cannot be read (expected "${v}")`);
    p++;
  };
  const level = (ops: string[], next: () => XNode) => (): XNode => {
    let l = next();
    while (isOp(...ops)) {
      const op = tokens[p++].v;
      l = { k: 'bin', op, l, r: next() };
    }
    return l;
  };
  const primary = (): XNode => {
    const tok = tokens[p];
    if (tok.t === 'num') {
      p++;
      return { k: 'num', v: Number(tok.v) };
    }
    if (tok.t === 'str') {
      p++;
      return { k: 'str', v: tok.v };
    }
    if (tok.t === 'ref') {
      p++;
      return { k: 'ref', name: tok.v };
    }
    if (tok.t === 'op' && tok.v === '-') {
      p++;
      return { k: 'neg', a: primary() };
    }
    if (tok.t === 'op' && tok.v === '(') {
      p++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (tok.t === 'name') {
      p++;
      if (!isOp('(')) throw new Untranslatable(`uses the path "${tok.v}"`);
      p++;
      const args: XNode[] = [];
      if (!isOp(')')) {
        do args.push(or());
        while (isOp(',') && ++p);
      }
      expect(')');
      return { k: 'call', fn: tok.v, args };
    }
    throw new Untranslatable(tok.t === 'eof' ? 'ends too early' : `cannot be read (unexpected "${tok.v}")`);
  };
  const mul = level(['*', 'div', 'mod'], primary);
  const add = level(['+', '-'], mul);
  const rel = level(['<', '<=', '>', '>='], add);
  const eq = level(['=', '!='], rel);
  const and = level(['and'], eq);
  const or: () => XNode = level(['or'], and);
  const tree = or();
  if (tokens[p].t !== 'eof') throw new Untranslatable(`cannot be read (unexpected "${tokens[p].v}")`);
  return tree;
}

const literalText = (n: XNode): string | null => (n.k === 'str' ? n.v : n.k === 'num' ? String(n.v) : null);

/**
 * Translates an XLSForm expression (`relevant`, `calculation`) to the expression language, or says
 * why it cannot: `${q} = 'yes'` → `q == "yes"`, `selected(${q}, 'a')` → `q contains "a"` (`q ==
 * "a"` for a single choice), `${q} != ''` → `answered(q)`, `count-selected(${q})` → `count(q)`,
 * `not()`, and/or, comparisons, arithmetic (div → /). `a != b` becomes `not (a == b)`, which, like
 * XPath, is true when `a` is unanswered. Names are resolved with `resolve`, which also decides
 * which questions may be read (earlier, answerable ones).
 */
export function translateXlsExpression(src: string, resolve: XlsResolve): XlsExprResult {
  try {
    const node = convert(parseXPath(src), resolve);
    const expression = formatExpression(node);
    if (expression.length > 1000) throw new Untranslatable('is longer than 1000 characters once translated');
    parseExpression(expression);
    return { ok: true, expression };
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, reason: e.message };
    return { ok: false, reason: `cannot be translated (${e instanceof Error ? e.message : String(e)})` };
  }
}

function convert(x: XNode, resolve: XlsResolve): Node {
  const refOf = (name: string): XlsRef => {
    const r = resolve(name);
    if ('error' in r) throw new Untranslatable(`reads \${${name}}, which ${r.error}`);
    return r;
  };
  const ref = (r: XlsRef): Node => ({ k: 'ref', name: r.id, at: 0 });
  const str = (v: string): Node => ({ k: 'str', v });
  const call = (fn: 'answered' | 'count' | 'round' | 'abs' | 'min' | 'max', args: Node[]): Node => ({ k: 'call', fn, args, at: 0 });
  const choiceValue = (r: XlsRef, lit: string) => r.choiceValues?.get(lit) ?? lit;
  const go = (n: XNode): Node => convert(n, resolve);

  switch (x.k) {
    case 'num':
      return { k: 'num', v: x.v };
    case 'str':
      return str(x.v);
    case 'ref':
      return ref(refOf(x.name));
    case 'neg':
      return { k: 'neg', arg: go(x.a) };
    case 'bin': {
      if (x.op === 'mod') throw new Untranslatable('uses mod, which the expression language does not have');
      if (x.op === '=' || x.op === '!=') {
        let [l, r] = [x.l, x.r];
        if (r.k === 'ref' && l.k !== 'ref') [l, r] = [r, l];
        let eq: Node | null = null;
        if (l.k === 'ref' && literalText(r) !== null) {
          const q = refOf(l.name);
          const lit = literalText(r)!;
          if (lit === '') {
            const answered = call('answered', [ref(q)]);
            return x.op === '!=' ? answered : { k: 'not', arg: answered };
          }
          if (q.type === 'single_choice') eq = { k: 'bin', op: '==', left: ref(q), right: str(choiceValue(q, lit)) };
          // XPath compares the whole answer: exactly that one choice.
          else if (q.type === 'multiple_choice')
            eq = {
              k: 'bin',
              op: 'and',
              left: { k: 'bin', op: 'contains', left: ref(q), right: str(choiceValue(q, lit)) },
              right: { k: 'bin', op: '==', left: call('count', [ref(q)]), right: { k: 'num', v: 1 } },
            };
          else if (q.acknowledge && lit.toUpperCase() === 'OK') eq = { k: 'bin', op: '==', left: ref(q), right: { k: 'bool', v: true } };
        }
        eq ??= { k: 'bin', op: '==', left: go(l), right: go(r) };
        return x.op === '=' ? eq : { k: 'not', arg: eq };
      }
      const ops: Record<string, '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | 'and' | 'or'> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '+': '+', '-': '-', '*': '*', div: '/', and: 'and', or: 'or' };
      const op = ops[x.op];
      if (!op) throw new Untranslatable(`uses "${x.op}"`);
      return { k: 'bin', op, left: go(x.l), right: go(x.r) };
    }
    case 'call': {
      const fn = x.fn.toLowerCase();
      const arity = (n: number) => {
        if (x.args.length !== n) throw new Untranslatable(`calls ${x.fn}() with ${x.args.length} values`);
      };
      switch (fn) {
        case 'selected': {
          arity(2);
          const [a, b] = x.args;
          const lit = literalText(b);
          if (a.k !== 'ref' || lit === null) throw new Untranslatable('uses selected() on something other than a question and a choice');
          const q = refOf(a.name);
          if (q.type === 'single_choice') return { k: 'bin', op: '==', left: ref(q), right: str(choiceValue(q, lit)) };
          if (q.type === 'multiple_choice') return { k: 'bin', op: 'contains', left: ref(q), right: str(choiceValue(q, lit)) };
          throw new Untranslatable(`uses selected() on \${${a.name}}, which is not a choice question here`);
        }
        case 'count-selected': {
          arity(1);
          const [a] = x.args;
          if (a.k !== 'ref') throw new Untranslatable('uses count-selected() on something other than a question');
          return call('count', [ref(refOf(a.name))]);
        }
        case 'not':
          arity(1);
          return { k: 'not', arg: go(x.args[0]) };
        case 'true':
        case 'false':
          arity(0);
          return { k: 'bool', v: fn === 'true' };
        case 'round':
          if (x.args.length === 2 && literalText(x.args[1]) === '0') return call('round', [go(x.args[0])]);
          arity(1);
          return call('round', [go(x.args[0])]);
        case 'abs':
          arity(1);
          return call('abs', [go(x.args[0])]);
        case 'min':
        case 'max':
          if (x.args.length === 0) throw new Untranslatable(`calls ${fn}() with no values`);
          return call(fn, x.args.map(go));
        default:
          throw new Untranslatable(`uses ${x.fn}(), which the expression language does not have`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Names and texts

const reserved = new Set<string>(reservedWords);

/** An identifier (`^[a-z][a-z0-9_]*$`, at most 64 characters) from an XLSForm name. */
export function toIdentifier(name: string, fallback = 'q'): string {
  let id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!id) id = fallback;
  if (!/^[a-z]/.test(id) || reserved.has(id)) id = `q_${id}`;
  return id.slice(0, 64).replace(/_+$/, '');
}

/** Hands out identifiers unique within one namespace (`q`, `q_2`, `q_3`…). */
function uniqueIds() {
  const taken = new Set<string>();
  return (base: string): string => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 64 - String(n).length - 1)}_${n}`;
    taken.add(id);
    return id;
  };
}

/** A choice value (`[A-Za-z0-9_.-]`, at most 64 characters) from an XLSForm choice name. */
export function toChoiceValue(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 64);
}

const languageNames: Record<string, LanguageCode> = { english: 'en', anglais: 'en', inglés: 'en', ingles: 'en', french: 'fr', français: 'fr', francais: 'fr', francés: 'fr', frances: 'fr', spanish: 'es', español: 'es', espanol: 'es', espagnol: 'es', castellano: 'es' };

/**
 * The language of an XLSForm language name: `English (en)`, `Français (fr)`, `es`, `Spanish`.
 * null for a language the instrument model has not (Swahili, Arabic…).
 */
export function languageOf(spec: string): LanguageCode | null {
  const s = spec.trim().toLowerCase();
  const code = /\(\s*([a-z]{2,3})(?:[-_][a-z0-9]+)?\s*\)\s*$/.exec(s)?.[1] ?? /^([a-z]{2,3})(?:[-_][a-z0-9]+)?$/.exec(s)?.[1];
  if (code) return (languageCodes as readonly string[]).includes(code) ? (code as LanguageCode) : null;
  return languageNames[s.replace(/\s*\(.*\)\s*$/, '')] ?? null;
}

const yes = (v: string) => /^(yes|true|true\(\)|1|y)$/i.test(v.trim());
const no = (v: string) => /^(no|false|false\(\)|0|n|)$/i.test(v.trim());

/** Cleans a label for the instrument: no HTML tags, `${q}` as `[q]`, at most 4000 characters. */
function cleanText(raw: string, flags: { html?: boolean; piped?: Set<string>; cut?: boolean }): string {
  let s = raw.replace(/\r\n?/g, '\n');
  if (/<\/?[a-z][^>]*>/i.test(s)) {
    flags.html = true;
    s = s
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/?[a-z][^>]*>/gi, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  }
  s = s.replace(/\$\{\s*([^}]*?)\s*\}/g, (_m, name: string) => {
    (flags.piped ??= new Set()).add(name);
    return `[${name}]`;
  });
  s = s.replace(/[ \t]+\n/g, '\n').trim();
  if (s.length > 4000) {
    flags.cut = true;
    s = `${s.slice(0, 3999).trimEnd()}…`;
  }
  return s;
}

function cellText(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return String(v).trim();
}

// ---------------------------------------------------------------------------------------------
// Sheets

interface Column {
  index: number;
  /** label, hint, media::image… (lower case). */
  base: string;
  /** The language part as written (`English (en)`), or undefined for a plain column. */
  language?: string;
}

/** A sheet with its header read: cells by column name, case-insensitively. */
class Table {
  readonly columns: Column[];
  private readonly byName = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly rows: Cell[][],
  ) {
    this.columns = (rows[0] ?? []).flatMap((cell, index) => {
      const header = cellText(cell);
      if (!header) return [];
      const lower = header.toLowerCase();
      if (!this.byName.has(lower)) this.byName.set(lower, index);
      const parts = header.split('::');
      const media = parts[0].toLowerCase() === 'media';
      const base = (media ? `media::${parts[1] ?? ''}` : parts[0]).trim().toLowerCase();
      const language = (media ? parts[2] : parts[1])?.trim();
      return [{ index, base, language: language || undefined }];
    });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The text of a cell by column name (any of `names`), '' when missing. */
  get(row: number, ...names: string[]): string {
    for (const n of names) {
      const i = this.byName.get(n);
      if (i !== undefined) return cellText(this.rows[row]?.[i]);
    }
    return '';
  }

  /** Columns of a base (label, hint), with their language. */
  localized(base: string): { index: number; language: LanguageCode | null; spec?: string }[] {
    return this.columns.filter((c) => c.base === base).map((c) => ({ index: c.index, language: c.language === undefined ? null : languageOf(c.language), spec: c.language }));
  }

  /** Non-empty media cells of a row (`image iron.jpg`). */
  media(row: number): string[] {
    return this.columns
      .filter((c) => c.base.startsWith('media::') || ['image', 'audio', 'video', 'big-image'].includes(c.base))
      .flatMap((c) => {
        const v = cellText(this.rows[row]?.[c.index]);
        return v ? [`${c.base.replace(/^media::/, '')} ${v}`] : [];
      });
  }
}

const findSheet = (sheets: XlsSheet[], name: string) => sheets.find((s) => s.sheet.trim().toLowerCase() === name);

interface ChoiceRow {
  name: string;
  label?: LocalizedText;
  media: string[];
}

const otherLabels: LocalizedText = { en: 'Other', fr: 'Autre', es: 'Otro' };

// ---------------------------------------------------------------------------------------------
// The import

/** Imports a workbook already read into sheets (what {@link importXlsForm} does after reading). */
export function importXlsFormSheets(sheets: XlsSheet[], opts: ImportOptions): ImportResult {
  const surveySheet = findSheet(sheets, 'survey');
  if (!surveySheet) throw new InteropFormatError(`The workbook has no "survey" sheet (its sheets: ${sheets.map((s) => s.sheet).join(', ') || 'none'}); it is not an XLSForm.`);
  const survey = new Table('survey', surveySheet.data);
  if (!survey.has('type') || !survey.has('name')) throw new InteropFormatError('The "survey" sheet needs "type" and "name" columns; it is not an XLSForm.');
  const choicesSheet = findSheet(sheets, 'choices');
  const choices = choicesSheet ? new Table('choices', choicesSheet.data) : null;
  const settingsSheet = findSheet(sheets, 'settings');
  const settings = settingsSheet ? new Table('settings', settingsSheet.data) : null;

  const kind = opts.kind ?? 'survey';
  const notes: ImportNote[] = [];
  const note = (severity: ImportNote['severity'], where: number | string, message: string) => notes.push({ severity, where: typeof where === 'number' ? `survey row ${where}` : where, message });

  // Languages: the label and hint columns, plain ones being in the default language.
  const settingsLanguage = settings?.get(1, 'default_language') ?? '';
  let defaultLanguage: LanguageCode = 'en';
  if (settingsLanguage) {
    const lang = languageOf(settingsLanguage);
    if (lang) defaultLanguage = lang;
    else note('changed', 'settings row 2', `The default language "${settingsLanguage}" is not one Schoolwell offers (English, French, Spanish); English is assumed for columns without a language.`);
  }
  const present = new Set<LanguageCode>();
  const unknownLanguages = new Set<string>();
  for (const table of [survey, choices]) {
    if (!table) continue;
    for (const base of ['label', 'hint']) {
      for (const col of table.localized(base)) {
        const used = table.rows.slice(1).some((r) => cellText(r[col.index]) !== '');
        if (col.spec !== undefined && col.language === null) {
          if (used && !unknownLanguages.has(col.spec.toLowerCase())) {
            unknownLanguages.add(col.spec.toLowerCase());
            note('unsupported', `${table.name} row 1`, `The language "${col.spec}" is not one Schoolwell offers (English, French, Spanish); its texts were not imported.`);
          }
          continue;
        }
        if (used) present.add(col.language ?? defaultLanguage);
      }
    }
  }
  if (present.size > 0 && !present.has(defaultLanguage)) {
    const first = languageCodes.find((l) => present.has(l))!;
    note('changed', settingsLanguage ? 'settings row 2' : 'survey row 1', `The form has no texts in ${defaultLanguage === 'en' ? 'English' : defaultLanguage === 'fr' ? 'French' : 'Spanish'}; its default language is ${first}.`);
    defaultLanguage = first;
  }
  const languages = present.size > 0 ? languageCodes.filter((l) => present.has(l)) : [defaultLanguage];

  /** The localized text of a row's label/hint columns; undefined when every one is empty. */
  const textOf = (table: Table, row: number, base: string, flags: Parameters<typeof cleanText>[1]): LocalizedText | undefined => {
    const out: LocalizedText = {};
    const cols = table.localized(base);
    // Explicit language columns first; a plain column fills the default language if still empty.
    for (const col of [...cols.filter((c) => c.spec !== undefined), ...cols.filter((c) => c.spec === undefined)]) {
      const lang = col.spec === undefined ? defaultLanguage : col.language;
      if (!lang || out[lang]) continue;
      const s = cleanText(cellText(table.rows[row]?.[col.index]), flags);
      if (s) out[lang] = s;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };

  const formTitle = settings?.get(1, 'form_title') ?? '';
  const title: LocalizedText = { [defaultLanguage]: cleanText(formTitle || opts.title || settings?.get(1, 'form_id') || opts.id, {}) };

  // Choice lists, by list name, in sheet order.
  const lists = new Map<string, ChoiceRow[]>();
  const choiceExtraColumns: string[] = [];
  if (choices) {
    const known = new Set(['list_name', 'list name', 'name', 'value', 'label', 'image', 'audio', 'video', 'big-image', 'order']);
    for (const c of choices.columns) if (!known.has(c.base) && !c.base.startsWith('media::') && c.base !== 'label' && c.base !== 'hint') choiceExtraColumns.push(cellText(choices.rows[0][c.index]));
    for (let r = 1; r < choices.rows.length; r++) {
      const list = choices.get(r, 'list_name', 'list name');
      const name = choices.get(r, 'name', 'value');
      if (!list || !name) continue;
      if (!lists.has(list)) lists.set(list, []);
      lists.get(list)!.push({ name, label: textOf(choices, r, 'label', {}), media: choices.media(r) });
    }
  }

  // Every name of the form, so that an expression reading a later question can say so.
  const allNames = new Set<string>();
  for (let r = 1; r < survey.rows.length; r++) {
    const name = survey.get(r, 'name');
    if (name) allNames.add(name);
  }

  const sectionId = uniqueIds();
  const itemId = uniqueIds();
  const sections: Section[] = [];
  /** Rows of sections, for the note about empty ones. */
  const sectionRows = new Map<Section, number | null>();
  let current: Section | null = null;
  /** Open groups: the outermost is the current section; inner ones add their condition to items. */
  const groups: { name: string; row: number; condition?: string }[] = [];
  const known = new Map<string, XlsRef>();
  const skippedNames = new Map<string, string>();
  let skipped = 0;
  const metadataSeen = new Set<string>();

  const resolve: XlsResolve = (name) => {
    const ref = known.get(name);
    if (ref) return ref.type === 'note' ? { error: 'is a note and takes no answer' } : ref;
    const why = skippedNames.get(name);
    if (why) return { error: why };
    if (allNames.has(name)) return { error: 'comes later in the form (a condition can only read earlier answers)' };
    return { error: 'is not a question of the form' };
  };

  /** The `relevant` of a row as a condition, or undefined (with a note when it cannot be said). */
  const condition = (row: number, src: string, of: string): string | undefined => {
    if (!src) return undefined;
    const t = translateXlsExpression(src, resolve);
    if (t.ok) return t.expression;
    note('unsupported', row, `The condition (relevant) "${src}" of ${of} was dropped: it ${t.reason}.`);
    return undefined;
  };

  /** Conditions that must all hold, as one; undefined when there are none or it is too long. */
  const allOf = (conditions: string[]): string | undefined => {
    if (conditions.length === 0) return undefined;
    const node = conditions.map((c) => parseExpression(c)).reduce((left, right): Node => ({ k: 'bin', op: 'and', left, right }));
    const text = formatExpression(node);
    return text.length <= 1000 ? text : undefined;
  };

  const skip = (name: string, why: string) => {
    skipped++;
    if (name) skippedNames.set(name, why);
  };

  const openSection = (row: number | null, name: string, text: LocalizedText | undefined, showIf?: string, description?: LocalizedText): Section => {
    const id = sectionId(name ? toIdentifier(name, 'section') : 'general');
    const section: Section = { id, title: text ?? (name ? { [defaultLanguage]: name } : title), items: [] };
    if (description) section.description = description;
    if (showIf) section.showIf = showIf;
    sections.push(section);
    sectionRows.set(section, row);
    return section;
  };

  const textNotes = (row: number, flags: Parameters<typeof cleanText>[1]) => {
    if (flags.html) note('changed', row, 'HTML formatting was removed from the text.');
    if (flags.piped) note('changed', row, `The text inserts answers (${[...flags.piped].map((n) => `\${${n}}`).join(', ')}), which Schoolwell texts cannot; each is shown in brackets, as [${[...flags.piped][0]}].`);
    if (flags.cut) note('changed', row, 'The text was cut to 4000 characters.');
  };

  for (let r = 1; r < survey.rows.length; r++) {
    const row = r + 1;
    const typeRaw = survey.get(r, 'type');
    const name = survey.get(r, 'name');
    if (!typeRaw) {
      if (name) {
        note('unsupported', row, `The row "${name}" has no type; it was skipped.`);
        skip(name, 'has no type and was skipped');
      }
      continue;
    }
    const type = parseXlsType(typeRaw);
    if (yes(survey.get(r, 'disabled'))) {
      if (type.kind === 'begin_group' || type.kind === 'begin_repeat' || type.kind === 'end_group' || type.kind === 'end_repeat') {
        note('unsupported', row, `The ${typeRaw} row is marked disabled; disabled groups are not supported and the row was ignored.`);
      } else {
        note('info', row, `"${name}" is disabled in the form; it was skipped.`);
        skip(name, 'is disabled in the form');
      }
      continue;
    }

    if (type.kind === 'begin_repeat') {
      // Skip to the matching end repeat, counting what is inside.
      let depth = 1;
      let inside = 0;
      let end = r + 1;
      for (; end < survey.rows.length; end++) {
        const t = survey.get(end, 'type');
        if (!t) {
          if (survey.get(end, 'name')) inside++;
          continue;
        }
        const k = parseXlsType(t).kind;
        if (k === 'begin_repeat') depth++;
        else if (k === 'end_repeat' && --depth === 0) break;
        else if (k !== 'begin_group' && k !== 'end_group' && k !== 'end_repeat') inside++;
        const n = survey.get(end, 'name');
        if (n) skippedNames.set(n, `is inside the repeat "${name}" (row ${row}), which was skipped`);
      }
      if (name) skippedNames.set(name, 'is a repeat, which was skipped');
      skipped += inside;
      const last = Math.min(end, survey.rows.length - 1) + 1;
      note('unsupported', row, `The repeat "${name}" (rows ${row}–${last}) is not supported: it and the ${inside} question${inside === 1 ? '' : 's'} and calculation${inside === 1 ? '' : 's'} inside it were skipped.`);
      r = end;
      continue;
    }
    if (type.kind === 'end_repeat') {
      note('info', row, 'An "end repeat" without a "begin repeat" was ignored.');
      continue;
    }
    if (type.kind === 'begin_group') {
      if (name) skippedNames.set(name, 'is a group, not a question');
      const flags = {};
      const label = textOf(survey, r, 'label', flags);
      textNotes(row, flags);
      const relevant = survey.get(r, 'relevant');
      const appearance = survey.get(r, 'appearance');
      if (appearance && appearance.toLowerCase() !== 'field-list') note('info', row, `The group appearance "${appearance}" is not carried over.`);
      if (groups.length === 0) {
        const showIf = condition(row, relevant, `the group "${name}"`);
        current = openSection(row, name, label, showIf, textOf(survey, r, 'hint', {}));
        groups.push({ name, row });
      } else {
        const outer = groups[0];
        const cond = condition(row, relevant, `the group "${name}"`);
        note('changed', row, `The group "${name}" inside "${outer.name}" was flattened into the section "${current!.id}"${cond ? '; its condition was added to each of its questions' : ''}.`);
        groups.push({ name, row, condition: cond });
      }
      continue;
    }
    if (type.kind === 'end_group') {
      if (groups.length === 0) {
        note('info', row, 'An "end group" without a "begin group" was ignored.');
        continue;
      }
      groups.pop();
      if (groups.length === 0) current = null;
      continue;
    }
    if (type.kind === 'metadata') {
      skip(name, `is form metadata (${type.type}), which is not imported`);
      if (!metadataSeen.has(type.type)) {
        metadataSeen.add(type.type);
        note('info', row, `Metadata "${type.type}" (filled in by the data collection app) is not imported.`);
      }
      continue;
    }

    // A question, note or calculation.
    const built = buildItem(r, row, type, name);
    if (!built) continue;
    const { item, ref } = built;
    if (!current) current = openSection(null, '', undefined);
    current.items.push(item);
    if (name) known.set(name, ref);
  }
  if (groups.length > 0) note('info', groups[0].row, `The group "${groups[0].name}" is not closed with "end group"; it runs to the end of the form.`);

  function buildItem(r: number, row: number, type: XlsType, name: string): { item: Item; ref: XlsRef } | null {
    const what = name ? `"${name}"` : 'The row';
    if (type.kind === 'unsupported') {
      note('unsupported', row, type.known ? `${what} is a ${type.type} question, which Schoolwell does not have; it was skipped.` : `${what} has the type "${type.type}", which is not known; it was skipped.`);
      skip(name, `is a ${type.type} question, which was skipped`);
      return null;
    }
    if (type.kind !== 'select' && type.kind !== 'question') return null;

    const flags: Parameters<typeof cleanText>[1] = {};
    const label = textOf(survey, r, 'label', flags);
    const help = textOf(survey, r, 'hint', flags);
    const appearance = survey.get(r, 'appearance');
    const relevant = survey.get(r, 'relevant');
    const constraint = survey.get(r, 'constraint');
    const required = survey.get(r, 'required');
    const calculation = survey.get(r, 'calculation');
    const media = survey.media(r);

    // The item's own part, by type.
    let body: Omit<Item, 'id' | 'text'> | null = null;
    let appearanceUsed = false;
    const ref: Omit<XlsRef, 'id'> = { type: 'text' };
    if (type.kind === 'select') {
      const list = lists.get(type.list);
      if (!list || list.length === 0) {
        note('unsupported', row, `${what} uses the choice list "${type.list}", which the choices sheet does not have; it was skipped.`);
        skip(name, `uses a missing choice list and was skipped`);
        return null;
      }
      const seen = new Set<string>();
      const values = new Map<string, string>();
      const taken = new Set<string>();
      const out: Choice[] = [];
      let repeated = 0;
      const choiceMedia = new Set<string>();
      for (const c of list) {
        if (seen.has(c.name)) {
          repeated++;
          continue;
        }
        seen.add(c.name);
        let value = toChoiceValue(c.name) || `choice_${out.length + 1}`;
        if (value === 'NA' || value === 'DK' || value === 'PNS') value = `${value}_`;
        for (let n = 2; taken.has(value); n++) value = `${toChoiceValue(c.name).slice(0, 60)}_${n}`;
        taken.add(value);
        values.set(c.name, value);
        out.push({ value, label: c.label ?? { [defaultLanguage]: c.name } });
        for (const m of c.media) choiceMedia.add(m);
      }
      if (type.orOther) {
        let value = 'other';
        for (let n = 2; taken.has(value); n++) value = `other_${n}`;
        values.set('other', value);
        out.push({ value, label: Object.fromEntries(languages.map((l) => [l, otherLabels[l]])) });
        note('changed', row, `${what} has "or_other": an "Other" choice was added; the text box for the other answer is not carried over.`);
      }
      if (repeated > 0) note('changed', row, `The list "${type.list}" repeats ${repeated} choice name${repeated === 1 ? '' : 's'} (told apart by choice_filter columns); the first of each was kept.`);
      const filter = survey.get(r, 'choice_filter');
      if (filter) {
        const used = choiceExtraColumns.filter((c) => new RegExp(`(^|[^\\w$\\{])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w}])`).test(filter));
        note('unsupported', row, `The choice_filter "${filter}" was dropped${used.length ? ` (it filters on the choices column${used.length === 1 ? '' : 's'} ${used.join(', ')})` : ''}: choice filters are not supported, so the question offers all ${out.length} choices of "${type.list}".`);
      }
      if (choiceMedia.size > 0) note('unsupported', row, `The media of the choices of "${type.list}" (${[...choiceMedia].join(', ')}) are not carried over.`);
      if (out.length > 200) {
        note('changed', row, `${what} has ${out.length} choices, more than the 200 a choice question can have; it became a text question.`);
        body = { type: 'text' } as Omit<Item, 'id' | 'text'>;
        ref.type = 'text';
      } else if (type.multiple) {
        body = { type: 'multiple_choice', choices: out } as Omit<Item, 'id' | 'text'>;
        Object.assign(ref, { type: 'multiple_choice', choiceValues: values });
      } else {
        const dropdown = /^(minimal|autocomplete|minimal autocomplete|autocomplete minimal)$/i.test(appearance);
        appearanceUsed = dropdown;
        body = { type: 'single_choice', choices: out, ...(dropdown ? { display: 'dropdown' } : {}) } as Omit<Item, 'id' | 'text'>;
        Object.assign(ref, { type: 'single_choice', choiceValues: values });
      }
    } else {
      switch (type.type) {
        case 'integer':
          body = { type: 'number', integer: true } as Omit<Item, 'id' | 'text'>;
          ref.type = 'number';
          break;
        case 'decimal':
          body = { type: 'number' } as Omit<Item, 'id' | 'text'>;
          ref.type = 'number';
          break;
        case 'text': {
          const multiline = /\bmultiline\b/i.test(appearance);
          appearanceUsed = multiline && appearance.trim().toLowerCase() === 'multiline';
          body = { type: 'text', ...(multiline ? { multiline: true } : {}) } as Omit<Item, 'id' | 'text'>;
          break;
        }
        case 'date':
        case 'datetime':
          body = { type: 'date' } as Omit<Item, 'id' | 'text'>;
          ref.type = 'date';
          if (type.type === 'datetime') note('changed', row, `${what} asks for a date and time; it became a date question (the time is not asked).`);
          break;
        case 'note':
          body = { type: 'note' } as Omit<Item, 'id' | 'text'>;
          ref.type = 'note';
          break;
        case 'acknowledge':
          body = { type: 'yes_no' } as Omit<Item, 'id' | 'text'>;
          Object.assign(ref, { type: 'yes_no', acknowledge: true });
          note('changed', row, `${what} is an acknowledge (OK) question; it became a yes/no question.`);
          break;
        case 'range': {
          const params = new Map(
            survey
              .get(r, 'parameters')
              .split(/[\s;,]+/)
              .filter(Boolean)
              .map((p) => p.split('=').map((s) => s.trim().toLowerCase()) as [string, string]),
          );
          const num = (k: string, d: number) => (params.has(k) ? Number(params.get(k)) : d);
          const [start, end, step] = [num('start', 0), num('end', 10), num('step', 1)];
          const simple = [start, end, step].every(Number.isInteger) && step === 1 && start >= 0 && start <= 10 && end >= 1 && end <= 100 && start < end;
          if (!simple) {
            note('unsupported', row, `${what} is a range (start ${start}, end ${end}, step ${step}) that a rating cannot hold (whole numbers, step 1, from 0–10 to at most 100); it was skipped.`);
            skip(name, 'is a range question, which was skipped');
            return null;
          }
          body = { type: 'rating', min: start, max: end } as Omit<Item, 'id' | 'text'>;
          ref.type = 'rating';
          note('changed', row, `${what} is a range from ${start} to ${end}; it became a rating.`);
          break;
        }
        case 'calculate': {
          if (!calculation) {
            note('unsupported', row, `${what} is a calculate row with no calculation; it was skipped.`);
            skip(name, 'is an empty calculation, which was skipped');
            return null;
          }
          const t = translateXlsExpression(calculation, resolve);
          if (!t.ok) {
            note('unsupported', row, `${what} was skipped: its calculation "${calculation}" ${t.reason}.`);
            skip(name, 'is a calculation that could not be carried over');
            return null;
          }
          body = { type: 'calc', expression: t.expression } as Omit<Item, 'id' | 'text'>;
          ref.type = 'calc';
          break;
        }
      }
    }
    if (!body) return null;

    const id = itemId(toIdentifier(name, `row_${row}`));
    if (id !== name) note('info', row, name ? `The name "${name}" is used as the id "${id}".` : `The row has no name; its id is "${id}".`);
    if (!label && body.type !== 'calc') note('info', row, `${what} has no label; its name is shown instead.`);
    textNotes(row, flags);
    const item = { id, text: label ?? { [defaultLanguage]: name || id }, ...(help ? { help } : {}), ...body } as Item;

    const own = condition(row, relevant, what);
    const conditions = [...groups.slice(1).map((g) => g.condition), own].filter((c): c is string => !!c);
    const showIf = allOf(conditions);
    if (conditions.length > 0 && !showIf) note('unsupported', row, `The conditions of ${what} and its groups are longer than 1000 characters together; they were dropped.`);
    if (showIf) item.showIf = showIf;

    if (required && !no(required) && body.type !== 'note' && body.type !== 'calc') {
      if (!yes(required)) note('unsupported', row, `${what} is required only when "${required}"; conditional requirements are not supported and it was dropped.`);
      else if (kind === 'survey') note('changed', row, `${what} is required in the form; survey questions are always skippable, so it is optional here.`);
      else item.required = true;
    }
    if (constraint) note('unsupported', row, `The constraint "${constraint}" of ${what} was dropped: answer checks are not supported.`);
    if (appearance && !appearanceUsed) note('info', row, `The appearance "${appearance}" of ${what} is not carried over.`);
    if (media.length > 0) note('unsupported', row, `The media of ${what} (${media.join(', ')}) are not carried over.`);
    if (calculation && body.type !== 'calc') note('unsupported', row, `The calculation "${calculation}" of ${what} (a computed answer) was dropped.`);
    const dflt = survey.get(r, 'default');
    if (dflt) note('unsupported', row, `The default answer "${dflt}" of ${what} was dropped.`);

    return { item, ref: { ...ref, id } };
  }

  // Sections no question reached (every row skipped) are left out.
  const kept = sections.filter((s) => {
    if (s.items.length > 0) return true;
    const row = sectionRows.get(s);
    if (row !== null && row !== undefined) note('info', row, `The group "${s.id}" has nothing left to ask once its rows were skipped; it was left out.`);
    return false;
  });
  if (kept.length === 0) kept.push({ id: 'general', title, items: [] });

  const definition: InstrumentDefinition = {
    schemaVersion: 1,
    id: opts.id,
    version: 1,
    kind,
    audience: opts.audience ?? 'family',
    title,
    defaultLanguage,
    languages,
    labelSets: {},
    sections: kept,
    scales: [],
    source: { format: 'xlsform' },
  };
  // Notes in sheet order (settings and headers first), as a reader checks them against the file.
  const order = (w: string) => Number(/^survey row (\d+)$/.exec(w)?.[1] ?? 0);
  notes.sort((a, b) => order(a.where) - order(b.where));
  return {
    format: 'xlsform',
    definition,
    notes,
    counts: { sections: kept.length, items: kept.reduce((n, s) => n + s.items.length, 0), skipped },
  };
}
