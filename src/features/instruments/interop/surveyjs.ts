import { formatExpression, type Node, parseExpression, referencesOf, reservedWords } from '../model/expression.js';
import type { Choice, InstrumentDefinition, Item, LabelSet, Section } from '../model/instrument.schema.js';
import { specOf } from '../model/item-types.js';
import { languageCodes, type LanguageCode, type LocalizedText } from '../model/text.js';
import { type ImportNote, type ImportOptions, type ImportResult, InteropFormatError } from './interop.types.js';

/**
 * SurveyJS JSON (https://surveyjs.io/form-library) ⇄ instrument definition.
 *
 * Import carries over what the instrument model can hold and reports the rest as notes whose
 * `where` is the element's path (`page/panel/element`):
 *
 * - Pages become sections (title, else name; page `visibleIf` → section `showIf`). Panels are
 *   flattened into their page's section: a panel's title (or description) becomes a `note` item
 *   before its questions, and its `visibleIf` is added to each of them. Choosing a note over a new
 *   section keeps one section per page, so page conditions and page order stay as they were.
 * - text (by inputType) → number / date / text (email, phone, url); comment → multiline text;
 *   radiogroup, dropdown → single_choice; checkbox, tagbox → multiple_choice; boolean → yes_no;
 *   rating → likert (labelled points 1..n), rating (plain points) or single_choice; matrix →
 *   matrix (columns 1..n) or one single_choice per row; html → note; expression → calc;
 *   multipletext → a note and one item per field. File, signature, dynamic panels and matrices,
 *   drop-down matrices, ranking, image pickers and images are skipped.
 * - Names become ids (`^[a-z][a-z0-9_]*$`: camelCase split, lower-cased, unique) and choice values
 *   are kept to `[A-Za-z0-9_.-]`; both are remembered so that conditions can be translated.
 * - `visibleIf` is translated to the expression language ({@link translateSurveyJsExpression});
 *   a condition that cannot be said, or that reads a later or unimported question, is dropped
 *   with a note naming the element and the original expression.
 *
 * Export writes a SurveyJS survey (`pages`, localized strings as `{ default, fr, es }`); what
 * SurveyJS cannot hold is listed at {@link exportSurveyJs}.
 */

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Answers the product offers in its own words (as in the client locales). */
const words = {
  yes: { en: 'Yes', fr: 'Oui', es: 'Sí' },
  no: { en: 'No', fr: 'Non', es: 'No' },
  NA: { en: 'Does not apply', fr: "Ne s'applique pas", es: 'No aplica' },
  DK: { en: "Don't know", fr: 'Je ne sais pas', es: 'No sé' },
  PNS: { en: 'Prefer not to say', fr: 'Je préfère ne pas répondre', es: 'Prefiero no responder' },
  other: { en: 'Other', fr: 'Autre', es: 'Otro' },
  none: { en: 'None', fr: 'Aucun', es: 'Ninguno' },
  specify: { en: 'Please specify', fr: 'Veuillez préciser', es: 'Especifique' },
  comment: { en: 'Comment', fr: 'Commentaire', es: 'Comentario' },
} satisfies Record<string, Required<LocalizedText>>;

const specialValues = new Set(['NA', 'DK', 'PNS']);
const maxText = 4000;

// =============================================================================================
// SurveyJS expressions

/** A parsed SurveyJS expression (the grammar of survey-core's expressions/grammar.pegjs). */
export type SjNode =
  | { t: 'var'; name: string }
  | { t: 'const'; v: string | number | boolean | null }
  | { t: 'array'; items: SjNode[] }
  | { t: 'bin'; op: SjOp; l: SjNode; r: SjNode }
  | { t: 'un'; op: 'negate' | 'empty' | 'notempty' | 'minus'; arg: SjNode }
  | { t: 'fn'; name: string; args: SjNode[] };
type SjOp = 'or' | 'and' | 'equal' | 'notequal' | 'less' | 'lessorequal' | 'greater' | 'greaterorequal' | 'plus' | 'minus' | 'mul' | 'div' | 'mod' | 'power' | 'contains' | 'notcontains' | 'anyof' | 'allof' | 'noneof';

class SjSyntaxError extends Error {}

type SjToken = { k: 'var' | 'str' | 'num' | 'word' | 'sym' | 'eof'; v: string };

const sjSymbols = ['||', '&&', '<=', '>=', '==', '!=', '<>', '*=', '=', '<', '>', '+', '-', '*', '/', '%', '^', '!', '(', ')', '[', ']', ','];

function sjTokenize(src: string): SjToken[] {
  const out: SjToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) throw new SjSyntaxError('a {name} is not closed');
      out.push({ k: 'var', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && (src[j + 1] === "'" || src[j + 1] === '"')) j++;
        s += src[j++];
      }
      if (j >= src.length) throw new SjSyntaxError('a quoted text is not closed');
      out.push({ k: 'str', v: s });
      i = j + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?)/.exec(src.slice(i));
    if (num) {
      out.push({ k: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (word) {
      out.push({ k: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    const sym = sjSymbols.find((s) => src.startsWith(s, i));
    if (!sym) throw new SjSyntaxError(`unexpected "${c}"`);
    out.push({ k: 'sym', v: sym });
    i += sym.length;
  }
  out.push({ k: 'eof', v: '' });
  return out;
}

const compareWords: Record<string, SjOp> = { '=': 'equal', '==': 'equal', equal: 'equal', '!=': 'notequal', '<>': 'notequal', notequal: 'notequal', '<': 'less', less: 'less', '<=': 'lessorequal', lessorequal: 'lessorequal', '>': 'greater', greater: 'greater', '>=': 'greaterorequal', greaterorequal: 'greaterorequal' };
const binFunctionWords: Record<string, SjOp> = { '*=': 'contains', contains: 'contains', contain: 'contains', notcontains: 'notcontains', notcontain: 'notcontains', anyof: 'anyof', allof: 'allof', noneof: 'noneof' };

/** Parses a SurveyJS expression: or < and < comparisons < + - < * / % < ^ < contains/anyof… < ! < atoms. */
export function parseSurveyJsExpression(src: string): SjNode {
  const toks = sjTokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const is = (...vs: string[]) => (peek().k === 'sym' || peek().k === 'word') && vs.includes(peek().v.toLowerCase());
  const expect = (v: string) => {
    if (!is(v)) throw new SjSyntaxError(`expected "${v}"`);
    p++;
  };
  const level = (ops: Record<string, SjOp>, next: () => SjNode) => (): SjNode => {
    let left = next();
    while ((peek().k === 'sym' || peek().k === 'word') && ops[peek().v.toLowerCase()]) {
      const op = ops[toks[p++].v.toLowerCase()];
      left = { t: 'bin', op, l: left, r: next() };
    }
    return left;
  };
  const sequence = (close: string): SjNode[] => {
    const items: SjNode[] = [];
    if (is(close)) return items;
    do items.push(expr());
    while (is(',') && ++p);
    return items;
  };
  const primary = (): SjNode => {
    const tok = peek();
    if (tok.k === 'sym' && tok.v === '(') {
      p++;
      const inner = expr();
      expect(')');
      return inner;
    }
    if (tok.k === 'sym' && tok.v === '[') {
      p++;
      const items = sequence(']');
      expect(']');
      return { t: 'array', items };
    }
    if (tok.k === 'var') {
      p++;
      return { t: 'var', name: tok.v };
    }
    if (tok.k === 'str') {
      p++;
      return { t: 'const', v: tok.v };
    }
    if (tok.k === 'num') {
      p++;
      return { t: 'const', v: tok.v.startsWith('0x') ? parseInt(tok.v, 16) : Number(tok.v) };
    }
    if (tok.k === 'sym' && tok.v === '-') {
      p++;
      const arg = primary();
      return arg.t === 'const' && typeof arg.v === 'number' ? { t: 'const', v: -arg.v } : { t: 'un', op: 'minus', arg };
    }
    if (tok.k === 'word') {
      p++;
      const w = tok.v.toLowerCase();
      if (is('(')) {
        p++;
        const args = sequence(')');
        expect(')');
        return { t: 'fn', name: tok.v, args };
      }
      if (w === 'true' || w === 'false') return { t: 'const', v: w === 'true' };
      if (w === 'null' || w === 'undefined') return { t: 'const', v: null };
      if (compareWords[w] || binFunctionWords[w] || ['or', 'and', 'empty', 'notempty', 'negate', 'power'].includes(w)) throw new SjSyntaxError(`unexpected "${tok.v}"`);
      // A bare word is a text constant in SurveyJS ({q} = yes).
      return { t: 'const', v: tok.v };
    }
    throw new SjSyntaxError(tok.k === 'eof' ? 'the expression ends too early' : `unexpected "${tok.v}"`);
  };
  const postfix = (): SjNode => {
    const arg = primary();
    if (is('empty', 'notempty')) return { t: 'un', op: toks[p++].v.toLowerCase() as 'empty' | 'notempty', arg };
    return arg;
  };
  const unary = (): SjNode => {
    if (is('!', 'negate')) {
      p++;
      return { t: 'un', op: 'negate', arg: unary() };
    }
    return postfix();
  };
  const binFunctions = level(binFunctionWords, unary);
  const power = level({ '^': 'power', power: 'power' }, binFunctions);
  const product = level({ '*': 'mul', '/': 'div', '%': 'mod' }, power);
  const sum = level({ '+': 'plus', '-': 'minus' }, product);
  const comparison = level(compareWords, sum);
  const and = level({ '&&': 'and', and: 'and' }, comparison);
  const expr: () => SjNode = level({ '||': 'or', or: 'or' }, and);
  const tree = expr();
  if (peek().k !== 'eof') throw new SjSyntaxError(`unexpected "${peek().v}"`);
  return tree;
}

/** What a translated name reads: one answer slot of the instrument. */
export interface SlotRef {
  /** The slot id in the instrument (item id, or `matrix.row`). */
  id: string;
  kind: 'single' | 'multi' | 'bool' | 'number' | 'text' | 'date' | 'ordinal' | 'calc';
  /** Choice items: source value (as text) → instrument value, in the order of the choices. */
  values?: Map<string, string>;
  /** Booleans with their own valueTrue / valueFalse. */
  trueValue?: unknown;
  falseValue?: unknown;
}

/** A SurveyJS name: a question's slot, or (matrix, multiple text) its rows / fields. */
export interface NameEntry {
  slot?: SlotRef;
  parts?: Map<string, SlotRef>;
}

class Untranslatable extends Error {}

const isSingleLike = (s: SlotRef) => s.kind === 'single';

/**
 * Translates a SurveyJS expression to the expression language, reading names through `names`
 * (lower-cased SurveyJS name → slot). Throws with the reason when it cannot be said.
 */
export function translateSurveyJsExpression(src: string, names: Map<string, NameEntry>): Node {
  let tree: SjNode;
  try {
    tree = parseSurveyJsExpression(src);
  } catch (e) {
    if (e instanceof SjSyntaxError) throw new Untranslatable(`it does not parse (${e.message})`);
    throw e;
  }

  const resolve = (raw: string): { slot?: SlotRef; all?: SlotRef[] } => {
    const name = raw.trim().replace(/^#/, '').toLowerCase();
    const whole = names.get(name);
    if (whole?.slot) return { slot: whole.slot };
    if (whole?.parts) return { all: [...whole.parts.values()] };
    const dot = name.indexOf('.');
    if (dot > 0) {
      const part = names.get(name.slice(0, dot))?.parts?.get(name.slice(dot + 1));
      if (part) return { slot: part };
    }
    throw new Untranslatable(`{${raw}} is not a question that was imported`);
  };
  const slotOf = (n: SjNode): SlotRef | undefined => (n.t === 'var' ? resolve(n.name).slot : undefined);
  const ref = (s: SlotRef): Node => ({ k: 'ref', name: s.id, at: 0 });
  const constant = (v: string | number | boolean | null): Node =>
    v === null ? { k: 'null' } : typeof v === 'number' ? { k: 'num', v } : typeof v === 'boolean' ? { k: 'bool', v } : { k: 'str', v };
  const and = (nodes: Node[]): Node => nodes.reduce((a, b) => ({ k: 'bin', op: 'and', left: a, right: b }));
  const or = (nodes: Node[]): Node => nodes.reduce((a, b) => ({ k: 'bin', op: 'or', left: a, right: b }));
  const not = (n: Node): Node => ({ k: 'not', arg: n });
  /** The values a constant (or an array of them) stands for. */
  const constants = (n: SjNode): (string | number | boolean | null)[] => {
    if (n.t === 'const') return [n.v];
    if (n.t === 'array' && n.items.every((i) => i.t === 'const')) return n.items.map((i) => (i as { v: string | number | boolean | null }).v);
    throw new Untranslatable('it compares a question with something other than values');
  };
  /** A value as the slot stores it: a choice value through the sanitizing map, true/false for yes/no. */
  const valueFor = (slot: SlotRef, v: string | number | boolean | null): Node => {
    if (slot.values && v !== null) {
      const key = String(v);
      const hit = slot.values.get(key) ?? [...slot.values].find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
      if (hit !== undefined) return { k: 'str', v: hit };
    }
    if (slot.kind === 'bool') {
      if (v === true || v === 'true' || (slot.trueValue !== undefined && String(v) === String(slot.trueValue))) return { k: 'bool', v: true };
      if (v === false || v === 'false' || (slot.falseValue !== undefined && String(v) === String(slot.falseValue))) return { k: 'bool', v: false };
    }
    return constant(v);
  };
  const eq = (slot: SlotRef, v: string | number | boolean | null): Node => ({ k: 'bin', op: '==', left: ref(slot), right: valueFor(slot, v) });
  const has = (slot: SlotRef, v: string | number | boolean | null): Node => ({ k: 'bin', op: 'contains', left: ref(slot), right: valueFor(slot, v) });
  const inList = (slot: SlotRef, vs: (string | number | boolean | null)[]): Node =>
    vs.length === 1 ? eq(slot, vs[0]) : { k: 'bin', op: 'in', left: ref(slot), right: { k: 'list', items: vs.map((v) => valueFor(slot, v)) } };

  /** `{q} contains x`: element of a checkbox answer; for one answer, text containment (SurveyJS compares text). */
  const contains = (slot: SlotRef, right: SjNode): Node => {
    const vs = constants(right);
    if (slot.kind === 'multi') return and(vs.map((v) => has(slot, v)));
    // SurveyJS: a text answer contains the right side written as text (an array joined by commas).
    const needle = vs.map((v) => String(v)).join(',');
    if (isSingleLike(slot) && slot.values) {
      const matching = [...slot.values].filter(([source]) => source.includes(needle)).map(([, value]) => value);
      if (!matching.length) throw new Untranslatable(`no choice of {${slot.id}} contains "${needle}"`);
      return matching.length === 1 ? { k: 'bin', op: '==', left: ref(slot), right: { k: 'str', v: matching[0] } } : { k: 'bin', op: 'in', left: ref(slot), right: { k: 'list', items: matching.map((v): Node => ({ k: 'str', v })) } };
    }
    if (slot.kind === 'text') return { k: 'bin', op: 'contains', left: ref(slot), right: { k: 'str', v: needle } };
    throw new Untranslatable(`"contains" on {${slot.id}}, which is not a choice or text question`);
  };
  const anyOf = (slot: SlotRef, right: SjNode): Node => {
    const vs = constants(right);
    if (!vs.length) throw new Untranslatable('"anyof" an empty list');
    return slot.kind === 'multi' ? or(vs.map((v) => has(slot, v))) : inList(slot, vs);
  };

  const tr = (n: SjNode): Node => {
    switch (n.t) {
      case 'var': {
        const r = resolve(n.name);
        if (!r.slot) throw new Untranslatable(`{${n.name}} has one answer per row or field; name one, as {${n.name}.row}`);
        return ref(r.slot);
      }
      case 'const':
        return constant(n.v);
      case 'array':
        return { k: 'list', items: n.items.map(tr) };
      case 'un': {
        if (n.op === 'negate') return not(tr(n.arg));
        if (n.op === 'minus') return { k: 'neg', arg: tr(n.arg) };
        if (n.arg.t !== 'var') throw new Untranslatable(`"${n.op}" of something other than a question`);
        const r = resolve(n.arg.name);
        const answered = (s: SlotRef): Node => ({ k: 'call', fn: 'answered', args: [ref(s)], at: 0 });
        if (r.slot) return n.op === 'notempty' ? answered(r.slot) : not(answered(r.slot));
        // A whole matrix (or multiple text) is answered when any row is.
        const any = or(r.all!.map(answered));
        return n.op === 'notempty' ? any : not(any);
      }
      case 'fn': {
        const fn = n.name.toLowerCase();
        if (fn === 'count' && n.args.length === 1) return { k: 'call', fn: 'count', args: [tr(n.args[0])], at: 0 };
        if (fn === 'round' && n.args.length === 1) return { k: 'call', fn: 'round', args: [tr(n.args[0])], at: 0 };
        if ((fn === 'min' || fn === 'max') && n.args.length > 0) return { k: 'call', fn, args: n.args.map(tr), at: 0 };
        throw new Untranslatable(`the function ${n.name}() has no equivalent`);
      }
      case 'bin': {
        const { op, l, r } = n;
        switch (op) {
          case 'or':
          case 'and':
            return { k: 'bin', op, left: tr(l), right: tr(r) };
          case 'equal':
          case 'notequal': {
            const slot = slotOf(l) ?? slotOf(r);
            const other = slotOf(l) ? r : l;
            let node: Node;
            if (slot && (other.t === 'const' || other.t === 'array')) {
              if (slot.kind === 'multi') {
                // A checkbox answer equals a list when it holds exactly those values.
                if (other.t !== 'array') throw new Untranslatable('it compares a checkbox question with one value');
                const vs = constants(other);
                node = and([...vs.map((v) => has(slot, v)), { k: 'bin', op: '==', left: { k: 'call', fn: 'count', args: [ref(slot)], at: 0 }, right: { k: 'num', v: vs.length } }]);
              } else {
                if (other.t === 'array') throw new Untranslatable('it compares a one-answer question with a list');
                node = eq(slot, other.v);
              }
            } else node = { k: 'bin', op: '==', left: tr(l), right: tr(r) };
            // SurveyJS "a != b" is true when a is empty; "not (a == b)" keeps that.
            return op === 'equal' ? node : not(node);
          }
          case 'less':
          case 'lessorequal':
          case 'greater':
          case 'greaterorequal': {
            const sym = { less: '<', lessorequal: '<=', greater: '>', greaterorequal: '>=' } as const;
            return { k: 'bin', op: sym[op], left: tr(l), right: tr(r) };
          }
          case 'plus':
          case 'minus':
          case 'mul':
          case 'div': {
            const sym = { plus: '+', minus: '-', mul: '*', div: '/' } as const;
            return { k: 'bin', op: sym[op], left: tr(l), right: tr(r) };
          }
          case 'mod':
          case 'power':
            throw new Untranslatable(`the operator "${op === 'mod' ? '%' : '^'}" has no equivalent`);
          case 'contains':
          case 'notcontains': {
            const slot = slotOf(l);
            const node: Node = slot ? contains(slot, r) : { k: 'bin', op: 'contains', left: tr(l), right: tr(r) };
            return op === 'contains' ? node : not(node);
          }
          case 'anyof':
          case 'noneof': {
            const slot = slotOf(l);
            if (!slot) throw new Untranslatable(`"${op}" of something other than a question`);
            const node = anyOf(slot, r);
            return op === 'anyof' ? node : not(node);
          }
          case 'allof': {
            const slot = slotOf(l);
            if (!slot) throw new Untranslatable('"allof" of something other than a question');
            const vs = constants(r);
            if (slot.kind === 'multi') return and(vs.map((v) => has(slot, v)));
            if (vs.length === 1) return eq(slot, vs[0]);
            throw new Untranslatable('"allof" several values on a one-answer question');
          }
        }
      }
    }
  };
  return tr(tree);
}

// =============================================================================================
// Text

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', ndash: '–', mdash: '—', hellip: '…', laquo: '«', raquo: '»', eacute: 'é', egrave: 'è', agrave: 'à', ccedil: 'ç' };
const looksLikeHtml = (s: string) => /<\/?[a-z][^>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(s);

function decodeEntities(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return namedEntities[e.toLowerCase()] ?? m;
  });
}

/** HTML as plain text: blocks and <br> become line breaks, list items "- ", links "text (url)". */
export function htmlToText(html: string): string {
  let s = html.replace(/\s+/g, ' ');
  s = s.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<a\b[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, _q, href: string, inner: string) => {
    const text = inner.replace(/<[^>]+>/g, '').trim();
    return href && !text.includes(href) && !href.startsWith('#') ? `${text} (${href})` : text;
  });
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<li\b[^>]*>/gi, '\n- ');
  s = s.replace(/<\/?(p|div|h[1-6]|ul|ol|table|tr|blockquote|section|article|header|footer|hr)\b[^>]*>/gi, '\n\n');
  s = s.replace(/<[^>]+>/g, '');
  s = decodeEntities(s);
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text as HTML paragraphs (the inverse of {@link htmlToText} for plain text). */
function textToHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(esc).join('<br>')}</p>`)
    .join('');
}

// =============================================================================================
// Import

interface Cond {
  /** A SurveyJS expression, or a condition already in the expression language. */
  sj?: string;
  ours?: Node;
  where: string;
  /** The element or page the condition is on, for notes. */
  owner: string;
}
interface PendingItem {
  item: Item;
  conds: Cond[];
  calc?: { src: string; where: string };
  where: string;
}
interface PendingSection {
  section: Omit<Section, 'items'>;
  conds: Cond[];
  items: PendingItem[];
}

const unsupportedTypes: Record<string, string> = {
  file: 'file uploads',
  signaturepad: 'signatures',
  paneldynamic: 'dynamic panels (repeated groups)',
  matrixdynamic: 'dynamic matrices',
  matrixdropdown: 'drop-down matrices',
  ranking: 'ranking',
  imagepicker: 'image pickers',
  image: 'images',
};
/** Element properties with logic the instrument model has no place for. */
const ignoredLogic = ['enableIf', 'requiredIf', 'setValueIf', 'setValueExpression', 'resetValueIf', 'defaultValueExpression', 'choicesVisibleIf', 'choicesEnableIf', 'rowsVisibleIf', 'columnsVisibleIf', 'defaultValue', 'correctAnswer'];

function idFrom(name: string): string {
  if (/^[a-z][a-z0-9_]*$/.test(name) && name.length <= 64 && !(reservedWords as readonly string[]).includes(name)) return name;
  let s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!s) s = 'q';
  if (!/^[a-z]/.test(s)) s = `q_${s}`;
  if ((reservedWords as readonly string[]).includes(s)) s = `${s}_q`;
  return s.slice(0, 64).replace(/_+$/, '');
}

function unique(base: string, used: Set<string>, max = 64): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base.slice(0, max - String(n).length - 1)}_${n}`;
  used.add(id);
  return id;
}

const numberOf = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

class Importer {
  readonly notes: ImportNote[] = [];
  private readonly noteKeys = new Set<string>();
  readonly names = new Map<string, NameEntry>();
  private readonly itemIds = new Set<string>();
  private readonly sectionIds = new Set<string>();
  readonly langs = new Set<LanguageCode>();
  private readonly otherLocales = new Map<string, number>();
  readonly labelSets: Record<string, LabelSet> = {};
  skipped = 0;
  private scores = 0;
  private htmlTexts = 0;
  private helpProps = 0;
  private readonly requiredDropped: string[] = [];
  private readonly renamed: string[] = [];
  readonly sections: PendingSection[] = [];

  constructor(
    readonly defLang: LanguageCode,
    readonly kind: InstrumentDefinition['kind'],
  ) {}

  note(severity: ImportNote['severity'], where: string, message: string): void {
    const key = `${where}\u0000${message}`;
    if (this.noteKeys.has(key)) return;
    this.noteKeys.add(key);
    this.notes.push({ severity, where, message });
  }

  /** A SurveyJS localizable string (plain, or { default, fr, … }) as localized text. */
  text(v: unknown, where: string, asHtml = false): LocalizedText | undefined {
    const entries: [string, unknown][] = typeof v === 'string' || typeof v === 'number' ? [['default', String(v)]] : isObj(v) ? Object.entries(v) : [];
    const out: LocalizedText = {};
    // `default` first, so that an explicit key of the same language wins.
    entries.sort(([a], [b]) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
    for (const [key, raw] of entries) {
      if (typeof raw !== 'string') continue;
      const lang = key === 'default' ? this.defLang : (key.toLowerCase().split('-')[0] as LanguageCode);
      if (!(languageCodes as readonly string[]).includes(lang)) {
        if (raw.trim()) this.otherLocales.set(key, (this.otherLocales.get(key) ?? 0) + 1);
        continue;
      }
      let s = raw;
      if (asHtml) s = htmlToText(s);
      else if (looksLikeHtml(s)) {
        s = htmlToText(s);
        this.htmlTexts++;
      } else s = s.trim();
      if (!s) continue;
      if (s.length > maxText) {
        s = `${s.slice(0, maxText - 1).trimEnd()}…`;
        this.note('changed', where, `A ${lang} text was longer than ${maxText} characters and was cut.`);
      }
      out[lang] = s;
    }
    if (!Object.keys(out).length) return undefined;
    for (const lang of Object.keys(out) as LanguageCode[]) this.langs.add(lang);
    return out;
  }

  /** Text in the survey's own language (a name shown as a title). */
  plain(s: string): LocalizedText {
    this.langs.add(this.defLang);
    return { [this.defLang]: s.trim().slice(0, maxText) || '?' };
  }

  itemId(name: string): string {
    const id = unique(idFrom(name), this.itemIds);
    if (id !== name) this.renamed.push(`${name} → ${id}`);
    return id;
  }

  register(name: string, entry: NameEntry, where: string): void {
    const key = name.toLowerCase();
    if (this.names.has(key)) {
      this.note('changed', where, `The name "${name}" is used by an earlier element too; conditions naming it read the first one.`);
      return;
    }
    this.names.set(key, entry);
  }

  convertPage(page: Raw, index: number): void {
    const name = typeof page.name === 'string' && page.name.trim() ? page.name : `page${index + 1}`;
    const where = name;
    const id = unique(idFrom(name), this.sectionIds);
    const title = this.text(page.title, where) ?? this.plain(name);
    const description = this.text(page.description, where);
    const conds: Cond[] = [];
    if (typeof page.visibleIf === 'string' && page.visibleIf.trim()) conds.push({ sj: page.visibleIf, where, owner: `page "${name}"` });
    if (page.visible === false) {
      conds.push({ ours: { k: 'bool', v: false }, where, owner: `page "${name}"` });
      this.note('changed', where, 'The page is hidden (visible: false); its section is never shown.');
    }
    const section: PendingSection = { section: { id, title, ...(description ? { description } : {}) }, conds, items: [] };
    this.sections.push(section);
    this.convertElements(Array.isArray(page.elements) ? page.elements : [], section, where, []);
  }

  private convertElements(elements: unknown[], section: PendingSection, path: string, inherited: Cond[]): void {
    elements.forEach((el, i) => {
      if (!isObj(el)) return;
      this.convertElement(el, section, path, inherited, i);
    });
  }

  private push(section: PendingSection, item: Item, conds: Cond[], where: string, calc?: PendingItem['calc']): void {
    section.items.push({ item, conds, where, ...(calc ? { calc } : {}) });
  }

  private convertElement(el: Raw, section: PendingSection, path: string, inherited: Cond[], index: number): void {
    const type = typeof el.type === 'string' ? el.type.toLowerCase() : '';
    const name = typeof el.name === 'string' && el.name.trim() ? el.name : `${type || 'element'}${index + 1}`;
    const where = `${path}/${name}`;
    const conds = [...inherited];
    if (typeof el.visibleIf === 'string' && el.visibleIf.trim()) conds.push({ sj: el.visibleIf, where, owner: `"${name}"` });
    if (el.visible === false) {
      conds.push({ ours: { k: 'bool', v: false }, where, owner: `"${name}"` });
      this.note('changed', where, 'The element is hidden (visible: false); it is never shown.');
    }

    if (type === 'panel' || type === 'flowpanel') {
      const title = this.text(el.title, where);
      const description = this.text(el.description, where);
      if (title || description) {
        const id = this.itemId(name);
        this.push(section, { id, type: 'note', text: (title ?? description)!, ...(title && description ? { help: description } : {}) }, conds, where);
        this.note('changed', where, `Panel: its ${title ? 'title' : 'description'} became a note before its questions, which joined the page's section${typeof el.visibleIf === 'string' ? '; its condition was added to each of them' : ''}.`);
      } else {
        this.note('info', where, `Panel without a title: its questions joined the page's section${typeof el.visibleIf === 'string' ? '; its condition was added to each of them' : ''}.`);
      }
      this.convertElements(Array.isArray(el.elements) ? el.elements : [], section, where, conds);
      return;
    }
    if (unsupportedTypes[type] || !type) {
      this.skip(where, `${unsupportedTypes[type] ?? 'elements without a type'} cannot be held by an instrument; "${name}" was skipped.`);
      return;
    }

    const ignored = ignoredLogic.filter((k) => el[k] !== undefined && el[k] !== '');
    if (ignored.length) this.note('unsupported', where, `Ignored: ${ignored.map((k) => (typeof el[k] === 'string' ? `${k} "${el[k]}"` : k)).join(', ')}.`);
    if (Array.isArray(el.validators) && el.validators.length) {
      const other = el.validators.filter((v) => !(isObj(v) && v.type === 'numeric'));
      if (other.length) this.note('unsupported', where, `Validators ignored: ${other.map((v) => (isObj(v) ? String(v.type) : '?')).join(', ')}.`);
    }

    const base = () => this.base(el, name, where);
    switch (type) {
      case 'text': {
        const b = base();
        const inputType = typeof el.inputType === 'string' ? el.inputType.toLowerCase() : 'text';
        this.register(name, { slot: { id: b.id, kind: this.textElement(section, el, b, conds, where, inputType) } }, where);
        return;
      }
      case 'comment': {
        const b = base();
        const maxLength = numberOf(el.maxLength);
        this.push(section, { ...b, type: 'text', multiline: true, ...(maxLength && maxLength >= 1 ? { maxLength: Math.min(10_000, Math.round(maxLength)) } : {}) }, conds, where);
        this.register(name, { slot: { id: b.id, kind: 'text' } }, where);
        return;
      }
      case 'radiogroup':
      case 'dropdown':
      case 'checkbox':
      case 'tagbox': {
        const multiple = type === 'checkbox' || type === 'tagbox';
        if (!multiple && this.booleanChoices(el)) {
          // Our own export of a yes/no question with "don't know": true / false / "DK".
          const b = base();
          const dk = (el.choices as unknown[]).some((c) => (isObj(c) ? c.value : c) === 'DK');
          this.push(section, { ...b, type: 'yes_no', ...(dk ? { dontKnow: true } : {}) }, conds, where);
          this.register(name, { slot: { id: b.id, kind: 'bool' } }, where);
          this.note('info', where, `A ${type} of the values true and false${dk ? ' and "DK"' : ''} became a yes/no question${dk ? ' with "don\'t know"' : ''}; its choice texts were not kept.`);
          return;
        }
        const b = base();
        const made = this.choices(el, where, multiple);
        if (!made) {
          this.skip(where, `"${name}" has no choices in the file (${el.choicesByUrl ? 'they come from a web service' : el.choicesFromQuestion ? 'they come from another question' : 'none listed'}); it was skipped.`);
          return;
        }
        const { choices, values } = made;
        if (multiple) {
          const min = numberOf(el.minSelectedChoices);
          const max = numberOf(el.maxSelectedChoices);
          this.push(section, { ...b, type: 'multiple_choice', choices, ...(min && min > 0 ? { minSelect: Math.round(min) } : {}), ...(max && max >= 1 ? { maxSelect: Math.round(max) } : {}) }, conds, where);
        } else {
          this.push(section, { ...b, type: 'single_choice', choices, ...(type === 'dropdown' ? { display: 'dropdown' as const } : {}) }, conds, where);
        }
        const slot: SlotRef = { id: b.id, kind: multiple ? 'multi' : 'single', values };
        this.register(name, { slot }, where);
        this.extras(el, name, b.id, slot, section, conds, where);
        return;
      }
      case 'boolean': {
        const b = base();
        this.push(section, { ...b, type: 'yes_no' }, conds, where);
        this.register(name, { slot: { id: b.id, kind: 'bool', trueValue: el.valueTrue, falseValue: el.valueFalse } }, where);
        if (el.valueTrue !== undefined || el.valueFalse !== undefined) this.note('changed', where, 'Answers are stored as true and false, not as valueTrue / valueFalse.');
        if (el.labelTrue !== undefined || el.labelFalse !== undefined) this.note('changed', where, 'The labels labelTrue / labelFalse were not kept; the product shows its own yes and no.');
        return;
      }
      case 'rating':
        this.rating(el, name, base(), section, conds, where);
        return;
      case 'matrix':
        this.matrix(el, name, section, conds, where);
        return;
      case 'html': {
        const text = this.text(el.html, where, true);
        if (!text) {
          this.skip(where, `The HTML element "${name}" has no text; it was skipped.`);
          return;
        }
        this.push(section, { id: this.itemId(name), type: 'note', text }, conds, where);
        this.register(name, {}, where);
        return;
      }
      case 'expression': {
        if (typeof el.expression !== 'string' || !el.expression.trim()) {
          this.skip(where, `The expression element "${name}" has no expression; it was skipped.`);
          return;
        }
        const b = base();
        delete b.required;
        this.push(section, { ...b, type: 'calc', expression: '0' }, conds, where, { src: el.expression, where });
        this.register(name, { slot: { id: b.id, kind: 'calc' } }, where);
        return;
      }
      case 'multipletext': {
        const items = Array.isArray(el.items) ? el.items.filter(isObj) : [];
        if (!items.length) {
          this.skip(where, `"${name}" has no text boxes; it was skipped.`);
          return;
        }
        const b = base();
        this.push(section, { id: b.id, type: 'note', text: b.text, ...(b.help ? { help: b.help } : {}) }, conds, where);
        const parts = new Map<string, SlotRef>();
        items.forEach((field, fi) => {
          const fieldName = typeof field.name === 'string' && field.name.trim() ? field.name : `text${fi + 1}`;
          const fb = { id: this.itemId(`${b.id}_${idFrom(fieldName)}`), text: this.text(field.title, `${where}.${fieldName}`) ?? this.plain(fieldName), ...(field.isRequired === true ? this.requiredFlag(`${where}.${fieldName}`) : {}) };
          const inputType = typeof field.inputType === 'string' ? field.inputType.toLowerCase() : 'text';
          parts.set(fieldName.toLowerCase(), { id: fb.id, kind: this.textElement(section, field, fb, conds, `${where}.${fieldName}`, inputType) });
        });
        this.register(name, { parts }, where);
        this.note('changed', where, `Multiple text boxes: the title became a note followed by one question per box (${items.length}).`);
        return;
      }
      default:
        this.skip(where, `The element type "${type}" has no equivalent; "${name}" was skipped.`);
    }
  }

  private skip(where: string, message: string): void {
    this.skipped++;
    this.note('unsupported', where, message);
  }

  private requiredFlag(where: string): { required?: true } {
    if (this.kind === 'survey') {
      this.requiredDropped.push(where);
      return {};
    }
    return { required: true };
  }

  private base(el: Raw, name: string, where: string): { id: string; text: LocalizedText; help?: LocalizedText; required?: true } {
    const id = this.itemId(name);
    const text = this.text(el.title, where) ?? this.plain(name);
    let help = this.text(el.description, where);
    if (!help && el.help !== undefined) {
      help = this.text(el.help, where);
      if (help) this.helpProps++;
    }
    return { id, text, ...(help ? { help } : {}), ...(el.isRequired === true ? this.requiredFlag(where) : {}) };
  }

  /** A text question (or a multiple-text box) by its inputType; returns the slot kind. */
  private textElement(section: PendingSection, el: Raw, b: { id: string; text: LocalizedText; help?: LocalizedText; required?: true }, conds: Cond[], where: string, inputType: string): SlotRef['kind'] {
    if (inputType === 'number' || inputType === 'range') {
      let min = numberOf(el.min);
      let max = numberOf(el.max);
      for (const v of Array.isArray(el.validators) ? el.validators : []) {
        if (isObj(v) && v.type === 'numeric') {
          min ??= numberOf(v.minValue);
          max ??= numberOf(v.maxValue);
        }
      }
      if (min !== undefined && max !== undefined && min > max) min = max = undefined;
      const step = numberOf(el.step);
      this.push(section, { ...b, type: 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(step === 1 ? { integer: true } : {}) }, conds, where);
      if (inputType === 'range') this.note('changed', where, 'A slider (inputType range) became a number question.');
      return 'number';
    }
    if (inputType === 'date') {
      const iso = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
      let min = iso(el.min);
      let max = iso(el.max);
      if ((el.min !== undefined && !min) || (el.max !== undefined && !max)) this.note('unsupported', where, 'A date limit that is not a fixed date (YYYY-MM-DD) was ignored.');
      if (min && max && min > max) min = max = undefined;
      this.push(section, { ...b, type: 'date', ...(min ? { min } : {}), ...(max ? { max } : {}) }, conds, where);
      return 'date';
    }
    const formats: Record<string, 'email' | 'phone' | 'url'> = { email: 'email', tel: 'phone', url: 'url' };
    if (!['text', 'email', 'tel', 'url'].includes(inputType)) this.note('changed', where, `The input type "${inputType}" became a text question.`);
    const maxLength = numberOf(el.maxLength);
    this.push(section, { ...b, type: 'text', ...(formats[inputType] ? { format: formats[inputType] } : {}), ...(maxLength && maxLength >= 1 ? { maxLength: Math.min(10_000, Math.round(maxLength)) } : {}) }, conds, where);
    return 'text';
  }

  /** A radiogroup whose choice values are the booleans true and false (and "DK"). */
  private booleanChoices(el: Raw): boolean {
    if (!Array.isArray(el.choices) || el.hasOther || el.showOtherItem || el.hasNone || el.showNoneItem) return false;
    const values = el.choices.map((c) => (isObj(c) ? c.value : c));
    return values.includes(true) && values.includes(false) && values.every((v) => v === true || v === false || v === 'DK') && values.length === new Set(values).size;
  }

  private choiceList(raw: unknown[], where: string): { choices: Choice[]; values: Map<string, string> } {
    const used = new Set<string>();
    const choices: Choice[] = [];
    const values = new Map<string, string>();
    const changed: string[] = [];
    raw.forEach((c, i) => {
      const o = isObj(c) ? c : { value: c };
      if (o.value === undefined || o.value === null || (typeof o.value === 'object' && o.value !== null)) return;
      const source = String(o.value);
      if (values.has(source)) return;
      if (o.score !== undefined || o.scoreValue !== undefined) this.scores++;
      if (o.visibleIf !== undefined || o.enableIf !== undefined) this.note('unsupported', where, `The condition on the choice "${source}" was ignored.`);
      let value = source.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 64);
      if (!value.replace(/_/g, '')) value = `v${i + 1}`;
      if (specialValues.has(value)) value = value.toLowerCase();
      value = unique(value, used);
      if (value !== source) changed.push(`"${source}" → "${value}"`);
      values.set(source, value);
      choices.push({ value, label: this.text(o.text, where) ?? this.plain(source) });
    });
    if (changed.length) this.note('changed', where, `Choice values changed to letters, digits, dots, dashes and underscores (NA, DK and PNS are kept for the product's own answers): ${changed.join(', ')}.`);
    return { choices, values };
  }

  private choices(el: Raw, where: string, multiple: boolean): { choices: Choice[]; values: Map<string, string> } | null {
    let raw: unknown[] = Array.isArray(el.choices) ? el.choices : [];
    if (!raw.length && numberOf(el.choicesMax) !== undefined) {
      // A dropdown of numbers from choicesMin to choicesMax.
      const min = numberOf(el.choicesMin) ?? 0;
      const step = Math.max(1, numberOf(el.choicesStep) ?? 1);
      raw = [];
      for (let v = min; v <= numberOf(el.choicesMax)! && raw.length < 200; v += step) raw.push(v);
    }
    if (!raw.length) return null;
    const { choices, values } = this.choiceList(raw, where);
    if (!choices.length) return null;
    const order = typeof el.choicesOrder === 'string' ? el.choicesOrder.toLowerCase() : 'none';
    if (order === 'asc' || order === 'desc') {
      const key = (c: Choice) => c.label[this.defLang] ?? c.label.en ?? c.label.fr ?? c.label.es ?? '';
      choices.sort((a, b) => key(a).localeCompare(key(b), this.defLang) * (order === 'asc' ? 1 : -1));
      this.note('changed', where, `The choices are listed sorted (choicesOrder ${order}) by their ${this.defLang} text; SurveyJS sorts by the respondent's language.`);
    } else if (order === 'random') this.note('unsupported', where, 'Random choice order (choicesOrder random) is not kept; choices are listed in file order.');
    if (el.hasNone === true || el.showNoneItem === true) {
      const value = unique('none', new Set(choices.map((c) => c.value)));
      choices.push({ value, label: this.text(el.noneText, where) ?? { ...words.none } });
      values.set('none', value);
      if (multiple) this.note('changed', where, `"None" is an ordinary choice here; it does not clear the others.`);
    }
    if (el.hasOther === true || el.showOtherItem === true) {
      const value = unique('other', new Set(choices.map((c) => c.value)));
      choices.push({ value, label: this.text(el.otherText, where) ?? { ...words.other } });
      values.set('other', value);
    }
    if (el.hasSelectAll === true || el.showSelectAllItem === true) this.note('unsupported', where, '"Select all" is not offered.');
    if (choices.length > 200) {
      this.note('unsupported', where, `Only the first 200 of ${choices.length} choices were kept.`);
      choices.length = 200;
    }
    return { choices, values };
  }

  /** The text box of "Other" (and the comment box): a text item shown after the question. */
  private extras(el: Raw, name: string, id: string, slot: SlotRef, section: PendingSection, conds: Cond[], where: string): void {
    const other = el.hasOther === true || el.showOtherItem === true;
    const comment = el.hasComment === true || el.showCommentArea === true;
    if (!other && !comment) return;
    const value = slot.values!.get('other')!;
    const textId = this.itemId(`${id}_${other ? 'other' : 'comment'}`);
    const show: Node[] = other ? [{ k: 'bin', op: slot.kind === 'multi' ? 'contains' : '==', left: { k: 'ref', name: id, at: 0 }, right: { k: 'str', v: value } }] : [];
    const text = other ? (this.text(el.otherPlaceholder ?? el.otherPlaceHolder, where) ?? { ...words.specify }) : (this.text(el.commentText, where) ?? { ...words.comment });
    this.push(section, { id: textId, type: 'text', text, ...(comment && !other ? { multiline: true } : {}) }, [...conds, ...show.map((ours) => ({ ours, where, owner: `"${name}"` }))], where);
    // SurveyJS keeps the text as "<name>-Comment".
    this.register(`${name}-Comment`, { slot: { id: textId, kind: 'text' } }, where);
    this.note('changed', where, other ? `"Other" became the choice "${value}" and a text question "${textId}" shown when it is chosen.` : `The comment box became a text question "${textId}".`);
  }

  private labelSet(labels: LocalizedText[]): string {
    const key = JSON.stringify(labels);
    for (const [name, set] of Object.entries(this.labelSets)) if (JSON.stringify(set.labels) === key) return name;
    const name = unique(`scale${labels.length}`, new Set(Object.keys(this.labelSets)));
    this.labelSets[name] = { points: labels.length, labels };
    return name;
  }

  private rating(el: Raw, name: string, b: { id: string; text: LocalizedText; help?: LocalizedText; required?: true }, section: PendingSection, conds: Cond[], where: string): void {
    const rateValues = Array.isArray(el.rateValues) ? el.rateValues : [];
    const minLabel = this.text(el.minRateDescription, where);
    const maxLabel = this.text(el.maxRateDescription, where);
    const asChoices = (raw: unknown[], why: string) => {
      const { choices, values } = this.choiceList(raw, where);
      this.push(section, { ...b, type: 'single_choice', choices }, conds, where);
      this.register(name, { slot: { id: b.id, kind: 'single', values } }, where);
      this.note('changed', where, `The rating became a single choice question: ${why}.`);
    };
    const rating = (min: number, max: number, dk: boolean, lo = minLabel, hi = maxLabel) => {
      this.push(section, { ...b, type: 'rating', min, max, ...(lo ? { minLabel: lo } : {}), ...(hi ? { maxLabel: hi } : {}), ...(dk ? { dontKnow: true } : {}) }, conds, where);
      this.register(name, { slot: { id: b.id, kind: 'ordinal' } }, where);
    };
    const fits = (min: number, max: number) => Number.isInteger(min) && Number.isInteger(max) && min >= 0 && min <= 10 && max <= 100 && max > min;
    if (rateValues.length) {
      const points = rateValues.map((r) => (isObj(r) ? { value: r.value, text: r.text } : { value: r, text: undefined }));
      for (const r of rateValues) if (isObj(r) && (r.score !== undefined || r.scoreValue !== undefined)) this.scores++;
      const special = new Set<string>();
      while (points.length && typeof points[points.length - 1].value === 'string' && ['NA', 'DK'].includes(points[points.length - 1].value as string)) special.add(points.pop()!.value as string);
      const nums = points.map((r) => numberOf(r.value));
      const consecutive = nums.length >= 2 && nums.every((n, i) => n !== undefined && Number.isInteger(n) && n === nums[0]! + i);
      if (!consecutive) return asChoices(rateValues, 'its values are not consecutive whole numbers');
      const labels = points.map((r) => this.text(r.text, where));
      const labelled = labels.some((l, i) => l && Object.values(l).some((t) => t !== String(nums[i])));
      const [min, max] = [nums[0]!, nums[nums.length - 1]!];
      if (labelled && min === 1 && max <= 11) {
        // Labelled points 1..n: a likert item on a label set of those labels.
        const labelSet = this.labelSet(labels.map((l, i) => l ?? this.plain(String(i + 1))));
        this.push(section, { ...b, type: 'likert', labelSet, ...(special.has('NA') ? { notApplicable: true } : {}), ...(special.has('DK') ? { dontKnow: true } : {}) }, conds, where);
        this.register(name, { slot: { id: b.id, kind: 'ordinal' } }, where);
        return;
      }
      if (special.has('NA') || !fits(min, max)) return asChoices(rateValues, special.has('NA') ? 'a rating has no "does not apply"' : `its points ${min} to ${max} are outside a rating`);
      if (labelled) this.note('changed', where, 'Only the labels of the end points were kept.');
      return rating(min, max, special.has('DK'), minLabel ?? labels[0], maxLabel ?? labels[labels.length - 1]);
    }
    const min = numberOf(el.rateMin) ?? 1;
    const step = numberOf(el.rateStep) ?? 1;
    const count = numberOf(el.rateCount);
    const max = numberOf(el.rateMax) ?? (count ? min + (count - 1) * step : 5);
    if (step === 1 && fits(min, max)) return rating(min, max, false);
    const values: number[] = [];
    for (let v = min; v <= max && values.length < 200; v += step > 0 ? step : 1) values.push(v);
    asChoices(values, `its points (${min} to ${max} by ${step}) are not a rating of whole numbers from 0–10 up`);
  }

  private matrix(el: Raw, name: string, section: PendingSection, conds: Cond[], where: string): void {
    const norm = (v: unknown) => (isObj(v) ? { value: v.value, text: v.text } : { value: v, text: undefined });
    const columns = (Array.isArray(el.columns) ? el.columns : []).map(norm).filter((c) => c.value !== undefined && c.value !== null);
    const rows = (Array.isArray(el.rows) ? el.rows : []).map(norm).filter((r) => r.value !== undefined && r.value !== null);
    if (!columns.length || !rows.length) {
      this.skip(where, `The matrix "${name}" has no ${columns.length ? 'rows' : 'columns'}; it was skipped.`);
      return;
    }
    const b = this.base(el, name, where);
    const special = new Set<string>();
    const points = [...columns];
    while (points.length && typeof points[points.length - 1].value === 'string' && ['NA', 'DK'].includes(points[points.length - 1].value as string)) special.add(points.pop()!.value as string);
    const ordinal = points.length >= 2 && points.length <= 11 && points.every((c, i) => numberOf(c.value) === i + 1);
    const parts = new Map<string, SlotRef>();
    if (ordinal && rows.length <= 50) {
      const labelSet = this.labelSet(points.map((c) => this.text(c.text, where) ?? this.plain(String(c.value))));
      const used = new Set<string>();
      const matrixRows = rows.map((r) => {
        const id = unique(idFrom(String(r.value)), used);
        parts.set(String(r.value).toLowerCase(), { id: `${b.id}.${id}`, kind: 'ordinal' });
        return { id, text: this.text(r.text, where) ?? this.plain(String(r.value)) };
      });
      this.push(section, { ...b, type: 'matrix', labelSet, rows: matrixRows, ...(special.has('NA') ? { notApplicable: true } : {}), ...(special.has('DK') ? { dontKnow: true } : {}) }, conds, where);
    } else {
      // Columns that are not the points 1..n of a scale: one choice question per row.
      this.push(section, { id: b.id, type: 'note', text: b.text, ...(b.help ? { help: b.help } : {}) }, conds, where);
      const { choices, values } = this.choiceList(
        columns.map((c) => ({ value: c.value, text: c.text })),
        where,
      );
      for (const r of rows) {
        const id = this.itemId(`${b.id}_${idFrom(String(r.value))}`);
        this.push(section, { id, type: 'single_choice', text: this.text(r.text, where) ?? this.plain(String(r.value)), choices: choices.map((c) => ({ ...c })), ...(b.required ? { required: true } : {}) }, conds, where);
        parts.set(String(r.value).toLowerCase(), { id, kind: 'single', values });
      }
      this.note('changed', where, `The matrix columns are not the points 1 to n of a scale${rows.length > 50 ? ' (or it has more than 50 rows)' : ''}: its title became a note followed by one single choice question per row (${rows.length}).`);
    }
    this.register(name, { parts }, where);
  }

  /** Notes gathered over the whole file. */
  finish(survey: Raw): void {
    if (this.scores) this.note('unsupported', 'survey', `${this.scores} choice${this.scores === 1 ? ' carries' : 's carry'} a score (score / scoreValue); choices have no scores in an instrument, so they were dropped. Scores could become a scale only for ordinal items; none was made.`);
    if (this.requiredDropped.length) {
      const list = this.requiredDropped.slice(0, 5).join(', ') + (this.requiredDropped.length > 5 ? ` and ${this.requiredDropped.length - 5} more` : '');
      this.note('changed', 'survey', `Required (isRequired) dropped on ${this.requiredDropped.length} question${this.requiredDropped.length === 1 ? '' : 's'}, as every survey question must be skippable: ${list}.`);
    }
    for (const [locale, n] of this.otherLocales) this.note('unsupported', 'survey', `${n} text${n === 1 ? '' : 's'} in the locale "${locale}" dropped: instruments hold English, French and Spanish.`);
    if (this.htmlTexts) this.note('info', 'survey', `${this.htmlTexts} text${this.htmlTexts === 1 ? '' : 's'} contained HTML and became plain text.`);
    if (this.helpProps) this.note('info', 'survey', `${this.helpProps} element${this.helpProps === 1 ? ' has' : 's have'} a "help" property (not a standard SurveyJS property); it became the question's help.`);
    if (this.renamed.length) this.note('info', 'survey', `${this.renamed.length} name${this.renamed.length === 1 ? '' : 's'} became ids of lower-case letters, digits and underscores, e.g. ${this.renamed.slice(0, 3).join(', ')}.`);
    for (const key of ['triggers', 'calculatedValues', 'completedHtmlOnCondition', 'navigateToUrlOnCondition']) {
      if (Array.isArray(survey[key]) && survey[key].length) this.note('unsupported', 'survey', `The survey's ${key} (${survey[key].length}) were ignored.`);
    }
    if (survey.completedHtml !== undefined) this.note('unsupported', 'survey', 'The closing page (completedHtml) was ignored.');
  }
}

/** Reads a SurveyJS definition (JSON text, its bytes, or the parsed object) into an instrument. */
export function importSurveyJs(input: string | Buffer | object, opts: ImportOptions): ImportResult {
  let survey: unknown = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const text = (Buffer.isBuffer(input) ? input.toString('utf8') : input).replace(/^\uFEFF/, '');
    try {
      survey = JSON.parse(text);
    } catch (e) {
      throw new InteropFormatError(`The file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  if (!isObj(survey)) throw new InteropFormatError('This is not a SurveyJS definition: it is not a JSON object.');
  const pages: Raw[] = Array.isArray(survey.pages) ? survey.pages.filter(isObj) : Array.isArray(survey.elements) ? [{ name: 'page1', elements: survey.elements }] : [];
  if (!pages.length || !pages.some((p) => Array.isArray(p.elements))) throw new InteropFormatError('This is not a SurveyJS definition: it has no pages or elements.');

  const locale = typeof survey.locale === 'string' ? survey.locale.toLowerCase().split('-')[0] : '';
  const defLang: LanguageCode = (languageCodes as readonly string[]).includes(locale) ? (locale as LanguageCode) : 'en';
  const kind = opts.kind ?? 'survey';
  const im = new Importer(defLang, kind);
  if (locale && locale !== defLang) im.note('changed', 'survey', `The survey's locale is "${survey.locale}"; its default texts were read as English.`);

  pages.forEach((page, i) => im.convertPage(page, i));

  // Second pass: conditions and calculations, in order, each reading only what stands before it.
  const known = new Set(im.sections.flatMap((s) => s.items.map((p) => p.item.id)));
  const before = new Set<string>();
  /** The condition in the expression language, or why it cannot be (noted unless `quiet`). */
  const translate = (cond: Cond, what: string, quiet = false): Node | string => {
    if (cond.ours) return cond.ours;
    const drop = (why: string) => {
      if (!quiet) im.note('unsupported', cond.where, `The ${what} of ${cond.owner}, "${cond.sj}", was dropped: ${why}.`);
      return why;
    };
    let node: Node;
    try {
      node = translateSurveyJsExpression(cond.sj!, im.names);
    } catch (e) {
      if (e instanceof Untranslatable) return drop(e.message);
      throw e;
    }
    const src = formatExpression(node);
    if (src.length > 1000) return drop('it is longer than 1000 characters once translated');
    try {
      for (const ref of referencesOf(parseExpression(src))) {
        const itemId = ref.split('.')[0];
        if (!before.has(ref)) return drop(known.has(itemId) ? `it reads "${ref}", which comes later (conditions read only earlier answers)` : `"${ref}" was not imported`);
      }
    } catch {
      return drop('it does not translate to a valid condition');
    }
    return node;
  };
  const combine = (conds: Cond[], what: string): string | undefined => {
    const nodes = conds.map((c) => translate(c, what)).filter((n): n is Node => typeof n !== 'string');
    if (!nodes.length) return undefined;
    return formatExpression(nodes.reduce((a, b) => ({ k: 'bin', op: 'and', left: a, right: b })));
  };

  const sections: Section[] = im.sections.map((ps) => {
    const showIf = combine(ps.conds, 'condition (visibleIf)');
    const items: Item[] = [];
    for (const pi of ps.items) {
      const item = { ...pi.item } as Item;
      if (pi.calc && item.type === 'calc') {
        const node = translate({ sj: pi.calc.src, where: pi.calc.where, owner: `"${item.id}"` }, 'expression', true);
        if (typeof node === 'string') {
          im.skipped++;
          im.note('unsupported', pi.calc.where, `The expression element "${item.id}" was skipped: its expression "${pi.calc.src}" cannot be translated, as ${node}.`);
          known.delete(item.id);
          continue;
        }
        item.expression = formatExpression(node);
      }
      const itemShowIf = combine(pi.conds, 'condition (visibleIf)');
      if (itemShowIf) item.showIf = itemShowIf;
      items.push(item);
      if (item.type === 'calc') before.add(item.id);
      for (const slot of specOf(item).slots(item)) before.add(slot.id);
    }
    return { ...ps.section, ...(showIf ? { showIf } : {}), items };
  });
  const title = im.text(survey.title, 'survey') ?? (opts.title ? im.plain(opts.title) : im.plain(opts.id));
  const description = im.text(survey.description, 'survey');
  im.finish(survey);
  const languages = languageCodes.filter((l) => im.langs.has(l));
  const defaultLanguage = languages.includes(defLang) ? defLang : (languages[0] ?? defLang);
  if (!languages.length) languages.push(defLang);

  const definition: InstrumentDefinition = {
    schemaVersion: 1,
    id: opts.id,
    version: 1,
    kind,
    audience: opts.audience ?? 'staff',
    title,
    ...(description ? { description } : {}),
    defaultLanguage,
    languages,
    labelSets: im.labelSets,
    sections,
    scales: [],
    source: { format: 'surveyjs' },
  };
  // Texts the importer wrote itself ("Other", "Please specify"…) exist in all three languages;
  // keep only the instrument's.
  keepLanguages(definition, new Set(languages));
  return {
    format: 'surveyjs',
    definition,
    notes: im.notes,
    counts: { sections: sections.length, items: sections.reduce((n, s) => n + s.items.length, 0), skipped: im.skipped },
  };
}

const isLocalized = (v: Raw) => {
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => (languageCodes as readonly string[]).includes(k)) && Object.values(v).every((t) => typeof t === 'string');
};

function keepLanguages(value: unknown, langs: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => keepLanguages(v, langs));
  if (!isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (isObj(v) && isLocalized(v)) {
      const kept = Object.fromEntries(Object.entries(v).filter(([lang]) => langs.has(lang)));
      if (Object.keys(kept).length) value[k] = kept;
    } else keepLanguages(v, langs);
  }
}

// =============================================================================================
// Export

/** An expression of the expression language in SurveyJS syntax. */
export function toSurveyJsExpression(node: Node): string {
  // SurveyJS binds contains/anyof tighter than arithmetic; comparisons and arithmetic as usual.
  const prec = (n: Node): number => {
    if (n.k !== 'bin') return 9;
    return { or: 1, and: 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5, in: 7, contains: 7 }[n.op];
  };
  const operand = (n: Node, parent: number, right: boolean): string => {
    const p = prec(n);
    const s = sj(n);
    return p < parent || (p === parent && (right || parent === 3 || parent === 7)) ? `(${s})` : s;
  };
  const str = (s: string) => `'${s.replace(/['"]/g, '\\$&')}'`;
  const sj = (n: Node): string => {
    switch (n.k) {
      case 'num':
        return String(n.v);
      case 'str':
        return str(n.v);
      case 'bool':
        return String(n.v);
      case 'null':
        return 'null';
      case 'ref':
        return `{${n.name}}`;
      case 'list':
        return `[${n.items.map(sj).join(', ')}]`;
      case 'not':
        return `!(${sj(n.arg)})`;
      case 'neg':
        // SurveyJS has a minus sign only on number literals.
        return n.arg.k === 'num' ? `-${n.arg.v}` : `0 - ${operand(n.arg, 4, true)}`;
      case 'call': {
        const args = n.args.map(sj).join(', ');
        if (n.fn === 'answered') return n.args[0].k === 'ref' ? `${sj(n.args[0])} notempty` : `count(${args}) > 0`;
        // No abs() in SurveyJS: max(x, 0 - x) is the same number.
        if (n.fn === 'abs') return `max(${args}, 0 - ${operand(n.args[0], 4, true)})`;
        return `${n.fn}(${args})`;
      }
      case 'bin': {
        const p = prec(n);
        const l = () => operand(n.left, p, false);
        const r = () => operand(n.right, p, true);
        switch (n.op) {
          case '==':
            return `${l()} = ${r()}`;
          case '!=': {
            // Ours is false when a side is unanswered; SurveyJS's is true. Say "answered and different".
            const guards = [n.left, n.right].filter((s) => s.k === 'ref').map((s) => `${sj(s)} notempty`);
            return guards.length ? `(${[...guards, `${l()} != ${r()}`].join(' and ')})` : `${l()} != ${r()}`;
          }
          case 'in':
            return n.right.k === 'list' ? `${l()} anyof ${sj(n.right)}` : `${operand(n.right, p, false)} contains ${operand(n.left, p, true)}`;
          default:
            return `${l()} ${n.op} ${r()}`;
        }
      }
    }
  };
  return sj(node);
}

/**
 * The instrument as a SurveyJS survey: sections → pages, items → elements, show-if → visibleIf,
 * texts as `{ default: en, fr, es }` (a plain string when the text has English only).
 *
 * SurveyJS JSON cannot hold, so they are not written: scales (and their bands), tags, label-set
 * names and favourable points, rating bands, a number's unit and "don't know", a note's help,
 * demographic kinds (the "prefer not to say" choice is written, as value "PNS"), the instrument's
 * id, version, kind, audience, grade band and estimated minutes.
 *
 * Likert items are written as SurveyJS ratings whose rateValues are the points 1..n with the label
 * set's labels (plus "NA" / "DK" values), so they read back as likert items; a plain rating is
 * rateMin..rateMax with min/max descriptions (rateValues when it offers "don't know").
 */
export function exportSurveyJs(def: InstrumentDefinition): Record<string, unknown> {
  // SurveyJS's `default` is English unless `locale` says otherwise; set it only without English.
  const baseLang: LanguageCode = def.languages.includes('en') ? 'en' : def.defaultLanguage;
  const T = (t: LocalizedText | undefined): string | Record<string, string> | undefined => {
    if (!t) return undefined;
    const out: Record<string, string> = {};
    if (t[baseLang]) out.default = t[baseLang];
    for (const lang of languageCodes) if (lang !== baseLang && t[lang] && def.languages.includes(lang)) out[lang] = t[lang];
    const keys = Object.keys(out);
    if (!keys.length) return undefined;
    return keys.length === 1 && keys[0] === 'default' ? out.default : out;
  };
  const W = (key: keyof typeof words) => T(words[key]);
  const html = (t: LocalizedText) => {
    const out: LocalizedText = {};
    for (const lang of languageCodes) if (t[lang]) out[lang] = textToHtml(t[lang]);
    return T(out);
  };
  const expr = (src: string | undefined) => {
    if (!src) return undefined;
    try {
      return toSurveyJsExpression(parseExpression(src));
    } catch {
      return undefined;
    }
  };
  const clean = (o: Raw): Raw => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

  const element = (item: Item): Raw => {
    const common = { name: item.id, title: T(item.text), description: T(item.help), isRequired: item.required ? true : undefined, visibleIf: expr(item.showIf) };
    switch (item.type) {
      case 'likert': {
        const set = def.labelSets[item.labelSet];
        const rateValues: Raw[] = (set?.labels ?? []).map((label, i) => clean({ value: i + 1, text: T(label) }));
        if (item.notApplicable) rateValues.push({ value: 'NA', text: W('NA') });
        if (item.dontKnow) rateValues.push({ value: 'DK', text: W('DK') });
        return clean({ type: 'rating', ...common, rateValues });
      }
      case 'rating': {
        const descriptions = { minRateDescription: T(item.minLabel), maxRateDescription: T(item.maxLabel) };
        if (item.dontKnow) {
          const rateValues: unknown[] = Array.from({ length: item.max - item.min + 1 }, (_, i) => item.min + i);
          rateValues.push({ value: 'DK', text: W('DK') });
          return clean({ type: 'rating', ...common, rateValues, ...descriptions });
        }
        return clean({ type: 'rating', ...common, rateMin: item.min, rateMax: item.max, rateCount: item.max - item.min + 1, ...descriptions });
      }
      case 'single_choice':
      case 'multiple_choice': {
        const choices: Raw[] = item.choices.map((c) => clean({ value: c.value, text: T(c.label) }));
        if (item.demographic) choices.push(clean({ value: 'PNS', text: W('PNS'), isExclusive: item.type === 'multiple_choice' ? true : undefined }));
        if (item.type === 'single_choice') return clean({ type: item.display === 'dropdown' ? 'dropdown' : 'radiogroup', ...common, choices });
        return clean({ type: 'checkbox', ...common, choices, minSelectedChoices: item.minSelect, maxSelectedChoices: item.maxSelect });
      }
      case 'yes_no':
        // SurveyJS's boolean has no third answer: with "don't know" it is a radiogroup of the values
        // true, false and "DK" (which reads back as a yes/no question with "don't know").
        if (item.dontKnow) return clean({ type: 'radiogroup', ...common, choices: [{ value: true, text: W('yes') }, { value: false, text: W('no') }, { value: 'DK', text: W('DK') }] });
        return clean({ type: 'boolean', ...common });
      case 'number':
        return clean({ type: 'text', ...common, inputType: 'number', min: item.min, max: item.max, step: item.integer ? 1 : undefined });
      case 'text': {
        const inputType = item.format ? { email: 'email', phone: 'tel', url: 'url' }[item.format] : undefined;
        return clean({ type: item.multiline ? 'comment' : 'text', ...common, inputType: item.multiline ? undefined : inputType, maxLength: item.maxLength });
      }
      case 'date':
        return clean({ type: 'text', ...common, inputType: 'date', min: item.min, max: item.max });
      case 'matrix': {
        const set = def.labelSets[item.labelSet];
        const columns: Raw[] = (set ? set.labels : []).map((label, i) => clean({ value: i + 1, text: T(label) }));
        if (item.notApplicable) columns.push({ value: 'NA', text: W('NA') });
        if (item.dontKnow) columns.push({ value: 'DK', text: W('DK') });
        return clean({ type: 'matrix', ...common, columns, rows: item.rows.map((r) => clean({ value: r.id, text: T(r.text) })) });
      }
      case 'note':
        return clean({ type: 'html', name: item.id, html: html(item.text), visibleIf: common.visibleIf });
      case 'calc':
        return clean({ type: 'expression', name: item.id, title: common.title, description: common.description, visibleIf: common.visibleIf, expression: expr(item.expression) });
    }
  };

  return clean({
    title: T(def.title),
    description: T(def.description),
    locale: baseLang === 'en' ? undefined : baseLang,
    pages: def.sections.map((s) => clean({ name: s.id, title: T(s.title), description: T(s.description), visibleIf: expr(s.showIf), elements: s.items.map(element) })),
  });
}
