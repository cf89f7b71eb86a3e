/**
 * The small, safe expression language of show-if conditions and computed items. Parsed into a
 * tree and evaluated by walking it: no `eval`, no access to anything but the answers.
 *
 *   grade >= 6 and gender != "prefer_not"      q3 in [1, 2]      supports contains "counsellor"
 *   not answered(q5)                            (q1 + q2) / 2 > 3  count(services) >= 2
 *
 * Identifiers name answer slots (`q1`, or `matrix.row`). A missing answer is `null`: comparisons
 * with null are false, arithmetic with null is null.
 */

export type Value = number | string | boolean | null | Value[];

export type Node =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'ref'; name: string; at: number }
  | { k: 'list'; items: Node[] }
  | { k: 'not'; arg: Node }
  | { k: 'neg'; arg: Node }
  | { k: 'bin'; op: BinOp; left: Node; right: Node }
  | { k: 'call'; fn: FnName; args: Node[]; at: number };

type BinOp = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains' | '+' | '-' | '*' | '/';
const functions = { answered: 1, count: 1, round: 1, abs: 1, min: -1, max: -1 } as const;
type FnName = keyof typeof functions;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token = { t: 'num' | 'str' | 'id' | 'op' | 'eof'; v: string; at: number };

const wordOps = new Set(['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null']);
const symbolOps = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '(', ')', '[', ']', ',', '='];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (j >= src.length) throw new ExpressionError('A quoted text is not closed.', i);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?/.exec(src.slice(i))!;
      const word = m[0];
      out.push({ t: wordOps.has(word.toLowerCase()) ? 'op' : 'id', v: wordOps.has(word.toLowerCase()) ? word.toLowerCase() : word, at: i });
      i += word.length;
      continue;
    }
    const sym = symbolOps.find((s) => src.startsWith(s, i));
    if (!sym) throw new ExpressionError(`Unexpected character "${c}".`, i);
    // A single "=" reads as "==", as people write it.
    out.push({ t: 'op', v: sym === '=' ? '==' : sym, at: i });
    i += sym.length;
  }
  out.push({ t: 'eof', v: '', at: src.length });
  return out;
}

/** Parses an expression; throws ExpressionError with the position of the first problem. */
export function parseExpression(src: string): Node {
  if (src.length > 1000) throw new ExpressionError('The expression is too long.', 0);
  const tokens = tokenize(src);
  let p = 0;
  let depth = 0;
  const peek = () => tokens[p];
  const isOp = (v: string) => tokens[p].t === 'op' && tokens[p].v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExpressionError(`Expected "${v}".`, tokens[p].at);
    p++;
  };

  const binary = (ops: BinOp[], next: () => Node): (() => Node) => () => {
    let left = next();
    while (tokens[p].t === 'op' && (ops as string[]).includes(tokens[p].v)) {
      const op = tokens[p++].v as BinOp;
      left = { k: 'bin', op, left, right: next() };
    }
    return left;
  };

  const primary = (): Node => {
    const tok = peek();
    if (++depth > 50) throw new ExpressionError('The expression is nested too deeply.', tok.at);
    try {
      if (tok.t === 'num') {
        // 1e999 would read as Infinity, which no expression can write back.
        if (!Number.isFinite(Number(tok.v))) throw new ExpressionError('The number is too large.', tok.at);
        p++;
        return { k: 'num', v: Number(tok.v) };
      }
      if (tok.t === 'str') {
        p++;
        return { k: 'str', v: tok.v };
      }
      if (tok.t === 'op' && (tok.v === 'true' || tok.v === 'false')) {
        p++;
        return { k: 'bool', v: tok.v === 'true' };
      }
      if (tok.t === 'op' && tok.v === 'null') {
        p++;
        return { k: 'null' };
      }
      if (tok.t === 'op' && tok.v === '(') {
        p++;
        const inner = orExpr();
        expect(')');
        return inner;
      }
      if (tok.t === 'op' && tok.v === '[') {
        p++;
        const items: Node[] = [];
        if (!isOp(']')) {
          do items.push(orExpr());
          while (isOp(',') && ++p);
        }
        expect(']');
        return { k: 'list', items };
      }
      if (tok.t === 'op' && tok.v === '-') {
        p++;
        return { k: 'neg', arg: primary() };
      }
      if (tok.t === 'op' && tok.v === 'not') {
        p++;
        return { k: 'not', arg: comparison() };
      }
      if (tok.t === 'id') {
        p++;
        if (isOp('(')) {
          const fn = tok.v.toLowerCase();
          if (!(fn in functions)) throw new ExpressionError(`Unknown function "${tok.v}".`, tok.at);
          p++;
          const args: Node[] = [];
          if (!isOp(')')) {
            do args.push(orExpr());
            while (isOp(',') && ++p);
          }
          expect(')');
          const arity = functions[fn as FnName];
          if (arity !== -1 && args.length !== arity) throw new ExpressionError(`${fn}() takes ${arity} value.`, tok.at);
          if (arity === -1 && args.length === 0) throw new ExpressionError(`${fn}() needs at least one value.`, tok.at);
          return { k: 'call', fn: fn as FnName, args, at: tok.at };
        }
        return { k: 'ref', name: tok.v, at: tok.at };
      }
      throw new ExpressionError(tok.t === 'eof' ? 'The expression ends too early.' : `Unexpected "${tok.v}".`, tok.at);
    } finally {
      depth--;
    }
  };
  const product = binary(['*', '/'], primary);
  const sum = binary(['+', '-'], product);
  const comparison = (): Node => {
    const left = sum();
    const tok = peek();
    if (tok.t === 'op' && ['==', '!=', '<', '<=', '>', '>=', 'in', 'contains'].includes(tok.v)) {
      p++;
      return { k: 'bin', op: tok.v as BinOp, left, right: sum() };
    }
    return left;
  };
  const andExpr = binary(['and'], comparison);
  const orExpr: () => Node = binary(['or'], andExpr);

  const tree = orExpr();
  if (peek().t !== 'eof') throw new ExpressionError(`Unexpected "${peek().v}".`, peek().at);
  return tree;
}

/** Every answer slot an expression reads, for validation and ordering checks. */
export function referencesOf(node: Node, out = new Set<string>()): Set<string> {
  switch (node.k) {
    case 'ref':
      out.add(node.name);
      break;
    case 'list':
      node.items.forEach((n) => referencesOf(n, out));
      break;
    case 'not':
    case 'neg':
      referencesOf(node.arg, out);
      break;
    case 'bin':
      referencesOf(node.left, out);
      referencesOf(node.right, out);
      break;
    case 'call':
      node.args.forEach((n) => referencesOf(n, out));
      break;
  }
  return out;
}

const isEmpty = (v: Value) => v === null || v === '' || (Array.isArray(v) && v.length === 0);

function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  // Choice values are text, scale points numbers; "2" and 2 are the same answer.
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && a === Number(b);
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  if (Array.isArray(a) || Array.isArray(b)) return false;
  return a === b;
}

function num(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

/** Evaluates a parsed expression against answers; never throws on data, only returns null. */
export function evaluate(node: Node, lookup: (name: string) => Value): Value {
  switch (node.k) {
    case 'num':
    case 'str':
    case 'bool':
      return node.v;
    case 'null':
      return null;
    case 'ref':
      return lookup(node.name) ?? null;
    case 'list':
      return node.items.map((n) => evaluate(n, lookup));
    case 'not':
      return !truthy(evaluate(node.arg, lookup));
    case 'neg': {
      const v = num(evaluate(node.arg, lookup));
      return v === null ? null : -v;
    }
    case 'call': {
      const args = node.args.map((n) => evaluate(n, lookup));
      switch (node.fn) {
        case 'answered':
          return !isEmpty(args[0]);
        case 'count':
          return Array.isArray(args[0]) ? args[0].length : isEmpty(args[0]) ? 0 : 1;
        case 'round': {
          const v = num(args[0]);
          return v === null ? null : Math.round(v);
        }
        case 'abs': {
          const v = num(args[0]);
          return v === null ? null : Math.abs(v);
        }
        case 'min':
        case 'max': {
          const nums = args.map(num).filter((v): v is number => v !== null);
          return nums.length === 0 ? null : node.fn === 'min' ? Math.min(...nums) : Math.max(...nums);
        }
      }
      return null;
    }
    case 'bin': {
      if (node.op === 'and') return truthy(evaluate(node.left, lookup)) && truthy(evaluate(node.right, lookup));
      if (node.op === 'or') return truthy(evaluate(node.left, lookup)) || truthy(evaluate(node.right, lookup));
      const a = evaluate(node.left, lookup);
      const b = evaluate(node.right, lookup);
      switch (node.op) {
        case '==':
          return equal(a, b);
        case '!=':
          return a !== null && b !== null && !equal(a, b);
        case 'in':
          return Array.isArray(b) && b.some((x) => equal(a, x));
        case 'contains':
          return Array.isArray(a) ? a.some((x) => equal(x, b)) : typeof a === 'string' && typeof b === 'string' && a.includes(b);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          // Two dates (YYYY-MM-DD) compare as calendar dates, which their text order is.
          if (typeof a === 'string' && typeof b === 'string' && isoDate.test(a) && isoDate.test(b)) {
            return node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b;
          }
          const x = num(a);
          const y = num(b);
          if (x === null || y === null) return false;
          return node.op === '<' ? x < y : node.op === '<=' ? x <= y : node.op === '>' ? x > y : x >= y;
        }
        default: {
          const x = num(a);
          const y = num(b);
          if (x === null || y === null) return null;
          if (node.op === '+') return x + y;
          if (node.op === '-') return x - y;
          if (node.op === '*') return x * y;
          return y === 0 ? null : x / y;
        }
      }
    }
  }
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Words of the language; no question may be called by one. */
export const reservedWords = ['and', 'or', 'not', 'in', 'contains', 'true', 'false', 'null'] as const;

export function truthy(v: Value): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== false && v !== 0 && v !== '';
}

/** Writes a tree back as text (used by exporters and the editor); parsing it gives the same tree. */
export function formatExpression(node: Node): string {
  switch (node.k) {
    case 'num':
      return String(node.v);
    case 'str':
      // Only the quote and the backslash are escapes in the language (not JSON's \n or \u0000).
      return `"${node.v.replace(/[\\"]/g, '\\$&')}"`;
    case 'bool':
      return String(node.v);
    case 'null':
      return 'null';
    case 'ref':
      return node.name;
    case 'list':
      return `[${node.items.map(formatExpression).join(', ')}]`;
    case 'not':
      return `not ${node.arg.k === 'bin' ? `(${formatExpression(node.arg)})` : formatExpression(node.arg)}`;
    case 'neg':
      return `-${node.arg.k === 'bin' || node.arg.k === 'not' ? `(${formatExpression(node.arg)})` : formatExpression(node.arg)}`;
    case 'call':
      return `${node.fn}(${node.args.map(formatExpression).join(', ')})`;
    case 'bin': {
      const p = precedence[node.op];
      return `${operand(node.left, p, false)} ${node.op} ${operand(node.right, p, true)}`;
    }
  }
}

const precedence: Record<BinOp, number> = { or: 1, and: 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, in: 3, contains: 3, '+': 4, '-': 4, '*': 5, '/': 5 };

/**
 * An operand of a binary operator, in brackets only where the parser needs them: a looser
 * operator, the same one on the right (operators group to the left; comparisons do not chain),
 * and `not`, which reads a whole comparison, under anything but and/or. Bracketing every operand
 * would nest a long sum (q1 + q2 + … + q60) beyond the parser's depth limit.
 */
function operand(n: Node, parent: number, right: boolean): string {
  const wrap = n.k === 'not' ? parent > precedence.and : n.k === 'bin' && (precedence[n.op] < parent || (precedence[n.op] === parent && (right || parent === precedence['=='])));
  return wrap ? `(${formatExpression(n)})` : formatExpression(n);
}
