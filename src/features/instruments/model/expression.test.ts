import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, formatExpression, type Node, parseExpression, referencesOf, truthy, type Value } from './expression.js';

/** Evaluates `src` against a plain record of answers (missing names read as null). */
function run(src: string, answers: Record<string, Value> = {}): Value {
  return evaluate(parseExpression(src), (name) => (Object.hasOwn(answers, name) ? answers[name] : null));
}

/** The error parseExpression throws for `src` (fails the test when it parses). */
function parseError(src: string): ExpressionError {
  try {
    parseExpression(src);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`expected "${src}" not to parse`);
}

/** The tree without source positions, which differ between two spellings of one expression. */
function strip(node: Node): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === 'at' ? undefined : value)));
}

const roundTrip = (src: string) => {
  const first = parseExpression(src);
  const text = formatExpression(first);
  expect(strip(parseExpression(text)), `${src}  ->  ${text}`).toEqual(strip(first));
  // Formatting is stable: the formatted text formats to itself.
  expect(formatExpression(parseExpression(text))).toBe(text);
  return text;
};

describe('parseExpression: trees', () => {
  it('reads literals, references and matrix rows', () => {
    expect(parseExpression('42')).toEqual({ k: 'num', v: 42 });
    expect(parseExpression('3.5')).toEqual({ k: 'num', v: 3.5 });
    expect(parseExpression('.5')).toEqual({ k: 'num', v: 0.5 });
    expect(parseExpression('1e3')).toEqual({ k: 'num', v: 1000 });
    expect(parseExpression('2.5E-1')).toEqual({ k: 'num', v: 0.25 });
    expect(parseExpression('true')).toEqual({ k: 'bool', v: true });
    expect(parseExpression('FALSE')).toEqual({ k: 'bool', v: false });
    expect(parseExpression('null')).toEqual({ k: 'null' });
    expect(parseExpression('  q1  ')).toEqual({ k: 'ref', name: 'q1', at: 2 });
    expect(parseExpression('climate.safe')).toEqual({ k: 'ref', name: 'climate.safe', at: 0 });
    expect(parseExpression('[]')).toEqual({ k: 'list', items: [] });
  });

  it('keeps names that only start like keywords or functions as references', () => {
    expect(parseExpression('notes')).toEqual({ k: 'ref', name: 'notes', at: 0 });
    expect(parseExpression('android')).toEqual({ k: 'ref', name: 'android', at: 0 });
    expect(parseExpression('inside')).toEqual({ k: 'ref', name: 'inside', at: 0 });
    // A function name not followed by "(" is a reference.
    expect(parseExpression('count + 1')).toEqual({ k: 'bin', op: '+', left: { k: 'ref', name: 'count', at: 0 }, right: { k: 'num', v: 1 } });
  });

  it('binds * / over + -, and groups each level to the left', () => {
    expect(strip(parseExpression('1 + 2 * 3'))).toEqual({ k: 'bin', op: '+', left: { k: 'num', v: 1 }, right: { k: 'bin', op: '*', left: { k: 'num', v: 2 }, right: { k: 'num', v: 3 } } });
    expect(strip(parseExpression('10 - 4 - 3'))).toEqual({ k: 'bin', op: '-', left: { k: 'bin', op: '-', left: { k: 'num', v: 10 }, right: { k: 'num', v: 4 } }, right: { k: 'num', v: 3 } });
  });

  it('binds comparison over and, and over or; not takes a whole comparison', () => {
    const t = strip(parseExpression('a or b and c == 1')) as { op: string; right: { op: string; right: { op: string } } };
    expect(t.op).toBe('or');
    expect(t.right.op).toBe('and');
    expect(t.right.right.op).toBe('==');
    expect(strip(parseExpression('not a == 1'))).toEqual({ k: 'not', arg: { k: 'bin', op: '==', left: { k: 'ref', name: 'a' }, right: { k: 'num', v: 1 } } });
    expect(strip(parseExpression('not a and b'))).toEqual({ k: 'bin', op: 'and', left: { k: 'not', arg: { k: 'ref', name: 'a' } }, right: { k: 'ref', name: 'b' } });
  });

  it('reads a single "=" as "==", and keywords and functions in any case', () => {
    expect(parseExpression('q1 = 2')).toEqual(parseExpression('q1 == 2'));
    expect(strip(parseExpression('q1 = 2 AND NOT q2 Or q3 IN [1] and q4 CONTAINS "x"'))).toEqual(strip(parseExpression('q1 == 2 and not q2 or q3 in [1] and q4 contains "x"')));
    expect(parseExpression('ROUND(q1)')).toEqual({ k: 'call', fn: 'round', args: [{ k: 'ref', name: 'q1', at: 6 }], at: 0 });
  });

  it('reads quoted text with either quote and backslash escapes', () => {
    expect(parseExpression('"a b"')).toEqual({ k: 'str', v: 'a b' });
    expect(parseExpression("'single'")).toEqual({ k: 'str', v: 'single' });
    expect(parseExpression(`'say "hi"'`)).toEqual({ k: 'str', v: 'say "hi"' });
    expect(parseExpression(`"it's"`)).toEqual({ k: 'str', v: "it's" });
    expect(parseExpression(String.raw`"a \"quoted\" word"`)).toEqual({ k: 'str', v: 'a "quoted" word' });
    expect(parseExpression(String.raw`'it\'s'`)).toEqual({ k: 'str', v: "it's" });
    expect(parseExpression(String.raw`"back\\slash"`)).toEqual({ k: 'str', v: 'back\\slash' });
    // Only the quote and the backslash are escapes: "\n" is an escaped n, not a line break.
    expect(parseExpression(String.raw`"\n"`)).toEqual({ k: 'str', v: 'n' });
    expect(parseExpression('""')).toEqual({ k: 'str', v: '' });
    expect(parseExpression('"and or not"')).toEqual({ k: 'str', v: 'and or not' });
  });
});

describe('parseExpression: errors with positions', () => {
  const cases: [string, string, RegExp | string, number][] = [
    ['unclosed string', 'q1 == "abc', 'A quoted text is not closed.', 6],
    ['string closed only by an escaped quote', String.raw`q1 == "abc\"`, 'A quoted text is not closed.', 6],
    ['string ending in a lone backslash', 'x == "abc\\', 'A quoted text is not closed.', 5],
    ['unknown function', 'q1 > 2 and bar(q1)', 'Unknown function "bar".', 11],
    ['unknown function at the start', 'foo()', 'Unknown function "foo".', 0],
    ['one-argument function given two', 'x + round(q1, 2)', 'round() takes 1 value.', 4],
    ['one-argument function given none', 'abs()', 'abs() takes 1 value.', 0],
    ['answered() given two', 'answered(q1, q2)', 'answered() takes 1 value.', 0],
    ['min() given none', '1 + min()', 'min() needs at least one value.', 4],
    ['max() given none', 'max()', 'max() needs at least one value.', 0],
    ['trailing value', 'q1 == 1 2', 'Unexpected "2".', 8],
    ['trailing name', 'q1 q2', 'Unexpected "q2".', 3],
    ['chained comparison', '1 < 2 < 3', 'Unexpected "<".', 6],
    ['closing bracket without opening', 'q1)', 'Unexpected ")".', 2],
    ['unexpected character #', 'q1 # 2', 'Unexpected character "#".', 3],
    ['unexpected character &', 'q1 && q2', 'Unexpected character "&".', 3],
    ['lone !', 'q1 ! q2', 'Unexpected character "!".', 3],
    ['lone dot', 'q1 == .', 'Unexpected character ".".', 6],
    ['ends too early', 'q1 +', 'The expression ends too early.', 4],
    ['empty', '', 'The expression ends too early.', 0],
    ['only blanks', '   ', 'The expression ends too early.', 3],
    ['unclosed bracket', '(q1 + 2', 'Expected ")".', 7],
    ['unclosed call', 'round(q1', 'Expected ")".', 8],
    ['unclosed list', 'q1 in [1, 2', 'Expected "]".', 11],
    ['trailing comma in a list', 'q1 in [1, ]', 'Unexpected "]".', 10],
    ['operator in place of a value', 'q1 == and', 'Unexpected "and".', 6],
    ['number too large', 'q1 > 1e999', 'The number is too large.', 5],
  ];
  it.each(cases)('%s: %s', (_what, src, message, position) => {
    const e = parseError(src);
    expect(e.message).toBe(message);
    expect(e.position).toBe(position);
    expect(e.name).toBe('ExpressionError');
  });

  it('allows 49 nested brackets and refuses 50 at the innermost value', () => {
    expect(parseExpression(`${'('.repeat(49)}a${')'.repeat(49)}`)).toEqual({ k: 'ref', name: 'a', at: 49 });
    const e = parseError(`${'('.repeat(50)}a${')'.repeat(50)}`);
    expect(e.message).toBe('The expression is nested too deeply.');
    expect(e.position).toBe(50);
  });

  it('counts every kind of nesting: not, minus, lists and calls', () => {
    expect(parseError(`${'not '.repeat(60)}a`).message).toBe('The expression is nested too deeply.');
    expect(parseError(`${'-'.repeat(60)}1`).message).toBe('The expression is nested too deeply.');
    expect(parseError(`${'['.repeat(60)}${']'.repeat(60)}`).message).toBe('The expression is nested too deeply.');
    expect(parseError(`${'abs('.repeat(60)}1${')'.repeat(60)}`).message).toBe('The expression is nested too deeply.');
  });

  it('does not count a long flat chain as nesting', () => {
    const sum = Array.from({ length: 150 }, (_, i) => `q${i}`).join('+');
    expect(referencesOf(parseExpression(sum)).size).toBe(150);
  });

  it('refuses text over 1000 characters at position 0', () => {
    const e = parseError(`q1 == "${'x'.repeat(1000)}"`);
    expect(e.message).toBe('The expression is too long.');
    expect(e.position).toBe(0);
    expect(() => parseExpression(`"${'x'.repeat(998)}"`)).not.toThrow();
  });
});

describe('evaluate', () => {
  it('computes arithmetic with the usual precedence', () => {
    expect(run('1 + 2 * 3')).toBe(7); // 2*3 = 6, +1 = 7 (not (1+2)*3 = 9)
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('10 - 4 - 3')).toBe(3); // (10-4)-3 = 3, not 10-(4-3) = 9
    expect(run('12 / 3 / 2')).toBe(2); // (12/3)/2 = 2, not 12/(3/2) = 8
    expect(run('-2 * 3')).toBe(-6);
    expect(run('2 - -1')).toBe(3);
    expect(run('-(1 + 2)')).toBe(-3);
    expect(run('7 / 2')).toBe(3.5);
    expect(run('(q1 + q2) / 2', { q1: 4, q2: 5 })).toBe(4.5);
  });

  it('reads booleans and numeric text as numbers in arithmetic', () => {
    expect(run('true + true')).toBe(2);
    expect(run('"3" + 1')).toBe(4);
    expect(run('"abc" + 1')).toBeNull();
    expect(run('" " + 1')).toBeNull();
    expect(run('-"2"')).toBe(-2);
    expect(run('-"x"')).toBeNull();
  });

  it('binds and over or, and not over and', () => {
    expect(run('true or false and false')).toBe(true); // true or (false and false); (true or false) and false would be false
    expect(run('false and false or true')).toBe(true);
    expect(run('not false and false')).toBe(false); // (not false) and false; not (false and false) would be true
    expect(run('not 1 == 2')).toBe(true); // not (1 == 2)
    expect(run('not not true')).toBe(true);
    expect(run('1 + 1 == 2 and 2 * 2 > 3')).toBe(true);
  });

  it('treats "=" as "=="', () => {
    expect(run('q1 = 3', { q1: 3 })).toBe(true);
    expect(run('q1 = 3', { q1: 4 })).toBe(false);
  });

  it('compares numbers and numeric text as one', () => {
    expect(run('q1 == "2"', { q1: 2 })).toBe(true);
    expect(run('q1 == 2', { q1: '2' })).toBe(true);
    expect(run('q1 == 2', { q1: ' 2 ' })).toBe(true);
    expect(run('q1 == 0', { q1: '' })).toBe(false); // empty text is not zero
    expect(run('q1 == "b"', { q1: 'b' })).toBe(true);
    expect(run('q1 != "b"', { q1: 'c' })).toBe(true);
    expect(run('q1 == true', { q1: true })).toBe(true);
    expect(run('q1 == 1', { q1: true })).toBe(false); // equality does not convert booleans
    expect(run('q1 > 0', { q1: true })).toBe(true); // ordering does
    expect(run('q1 == ["a"]', { q1: ['a'] })).toBe(false); // lists are never equal
    expect(run('3 >= 3 and 3 <= 3 and 2 < 3 and 3 > 2')).toBe(true);
    expect(run('"10" > 9')).toBe(true);
    expect(run('"b" > "a"')).toBe(false); // text does not order
  });

  it('tests membership with in [..]', () => {
    expect(run('q3 in [1, 2]', { q3: 2 })).toBe(true);
    expect(run('q3 in [1, 2]', { q3: 3 })).toBe(false);
    expect(run('q3 in ["a", "b"]', { q3: 'b' })).toBe(true);
    expect(run('q3 in [1, 2]', { q3: '1' })).toBe(true);
    expect(run('q3 in []', { q3: 1 })).toBe(false);
    expect(run('q3 in 1', { q3: 1 })).toBe(false); // not a list
    expect(run('q3 in [1, q4]', { q3: 5, q4: 5 })).toBe(true);
    expect(run('q3 in services', { q3: 'nurse', services: ['counsellor', 'nurse'] })).toBe(true);
  });

  it('tests lists and text with contains', () => {
    const answers = { supports: ['counsellor', 'nurse'], note: 'school nurse' };
    expect(run('supports contains "counsellor"', answers)).toBe(true);
    expect(run('supports contains "psychologist"', answers)).toBe(false);
    expect(run('note contains "nurse"', answers)).toBe(true);
    expect(run('note contains "doctor"', answers)).toBe(false);
    expect(run('[1, 2] contains "2"')).toBe(true);
    expect(run('5 contains 5')).toBe(false);
    expect(run('[] contains 1')).toBe(false);
    expect(run('missing contains "a"')).toBe(false);
  });

  it('calls answered, count, round, abs, min and max', () => {
    expect(run('answered(q1)', { q1: 0 })).toBe(true);
    expect(run('answered(q1)', { q1: false })).toBe(true);
    expect(run('answered(q1)')).toBe(false);
    expect(run('answered(q1)', { q1: '' })).toBe(false);
    expect(run('answered(q1)', { q1: [] })).toBe(false);
    expect(run('not answered(q5)')).toBe(true);
    expect(run('count(services)', { services: ['a', 'b', 'c'] })).toBe(3);
    expect(run('count(services)', { services: [] })).toBe(0);
    expect(run('count(services)')).toBe(0);
    expect(run('count(q1)', { q1: 'x' })).toBe(1);
    expect(run('count(services) >= 2', { services: ['a', 'b'] })).toBe(true);
    expect(run('round(2.4)')).toBe(2);
    expect(run('round(2.5)')).toBe(3);
    expect(run('round(-2.5)')).toBe(-2); // Math.round: halves go up, towards +infinity
    expect(run('round(q1 / 3)', { q1: 10 })).toBe(3);
    expect(run('abs(-3)')).toBe(3);
    expect(run('abs(q1 - q2)', { q1: 2, q2: 5 })).toBe(3);
    expect(run('min(4, 2, 9)')).toBe(2);
    expect(run('max(4, 2, 9)')).toBe(9);
    expect(run('max(7)')).toBe(7);
    expect(run('min(q1, q2)', { q1: 4 })).toBe(4); // missing answers are skipped
    expect(run('max(q1, q2)')).toBeNull(); // nothing to compare
    expect(run('max("3", 2)')).toBe(3);
  });

  describe('null semantics', () => {
    it('makes every comparison with a missing answer false', () => {
      for (const src of ['q1 == 1', 'q1 != 1', 'q1 < 1', 'q1 <= 1', 'q1 > 1', 'q1 >= 1', 'q1 == null', 'null == null', 'q1 != null', 'q1 in [1, null]', '1 in [q1]']) {
        expect(run(src), src).toBe(false);
      }
    });

    it('so "not" of such a comparison is true', () => {
      expect(run('not q1 == 1')).toBe(true);
      expect(run('not q1 != 1')).toBe(true);
    });

    it('makes arithmetic with null null', () => {
      for (const src of ['q1 + 1', '1 - q1', 'q1 * 2', 'q1 / 2', '2 / q1', '-q1', 'round(q1)', 'abs(q1)', 'null + 1', '(q1 + 1) * 2']) {
        expect(run(src), src).toBeNull();
      }
      expect(run('(q1 + q2) / 2 > 3', { q1: 5 })).toBe(false);
    });

    it('makes division by zero null', () => {
      expect(run('1 / 0')).toBeNull();
      expect(run('0 / 0')).toBeNull();
      expect(run('q1 / (q2 - q2)', { q1: 1, q2: 3 })).toBeNull();
      expect(run('1 / 0 > 0')).toBe(false);
      expect(run('0 / 5')).toBe(0);
    });

    it('reads null as false in and/or/not', () => {
      expect(run('q1 and true')).toBe(false);
      expect(run('q1 or true')).toBe(true);
      expect(run('not q1')).toBe(true);
    });
  });

  it('never reads anything but the lookup', () => {
    const asked: string[] = [];
    evaluate(parseExpression('constructor == 1 or __proto__ == 1 or toString == 1'), (name) => {
      asked.push(name);
      return null;
    });
    expect(asked).toEqual(['constructor', '__proto__', 'toString']);
  });

  it('reads an undefined lookup result as null', () => {
    expect(evaluate(parseExpression('q1'), () => undefined as unknown as Value)).toBeNull();
  });
});

describe('truthy', () => {
  it('is false only for null, false, 0, empty text and empty lists', () => {
    for (const v of [null, false, 0, '', []] as Value[]) expect(truthy(v), JSON.stringify(v)).toBe(false);
    for (const v of [true, 1, -1, 'x', '0', [0], [null]] as Value[]) expect(truthy(v), JSON.stringify(v)).toBe(true);
  });
});

describe('referencesOf', () => {
  it('finds every name once, in lists, calls, not, minus and both sides of operators', () => {
    const refs = referencesOf(parseExpression('q1 > 2 and not answered(q2) or -q3 in [q4, 5, q1] or max(m.r1, m.r2 * 2) contains "q9"'));
    expect([...refs].sort()).toEqual(['m.r1', 'm.r2', 'q1', 'q2', 'q3', 'q4']);
  });

  it('is empty for an expression of literals, and adds to a given set', () => {
    expect(referencesOf(parseExpression('1 + 2 == 3 and "a" in ["a"]')).size).toBe(0);
    const out = new Set(['x']);
    expect(referencesOf(parseExpression('y'), out)).toBe(out);
    expect([...out]).toEqual(['x', 'y']);
  });
});

describe('formatExpression', () => {
  it('writes canonical text', () => {
    expect(formatExpression(parseExpression('q1=2 AND q2   in[1,2]'))).toBe('q1 == 2 and q2 in [1, 2]');
    expect(formatExpression(parseExpression('(q1 + q2) / 2 > 3'))).toBe('(q1 + q2) / 2 > 3');
    expect(formatExpression(parseExpression('q1 + q2 + q3'))).toBe('q1 + q2 + q3');
    expect(formatExpression(parseExpression('q1 - (q2 - q3)'))).toBe('q1 - (q2 - q3)');
    expect(formatExpression(parseExpression('a or b and c'))).toBe('a or b and c');
    expect(formatExpression(parseExpression('(a or b) and c'))).toBe('(a or b) and c');
    expect(formatExpression(parseExpression('NOT (a AND b)'))).toBe('not (a and b)');
    expect(formatExpression(parseExpression("COUNT(s) >= 2 and s contains 'x'"))).toBe('count(s) >= 2 and s contains "x"');
    expect(formatExpression(parseExpression('-(a + 1)'))).toBe('-(a + 1)');
    expect(formatExpression(parseExpression('null != true'))).toBe('null != true');
  });

  it('keeps the brackets a "not" needs', () => {
    // (not a) == b and not (a == b) are different trees; the first needs its brackets.
    expect(roundTrip('(not a) == b')).toBe('(not a) == b');
    expect(roundTrip('(not a) + 1')).toBe('(not a) + 1');
    expect(roundTrip('x + not a')).toBe('x + (not a)');
    expect(roundTrip('-not a')).toBe('-(not a)');
    expect(roundTrip('not a and b')).toBe('not a and b');
    expect(roundTrip('a or not b')).toBe('a or not b');
    expect(roundTrip('not not a')).toBe('not not a');
  });

  it('writes text back in the language\'s own escapes', () => {
    expect(formatExpression(parseExpression(String.raw`'say "hi" \\ bye'`))).toBe(String.raw`"say \"hi\" \\ bye"`);
    // A line break inside quotes stays a line break (JSON's "\n" would read back as "n").
    expect(roundTrip('q1 == "two\nlines"')).toBe('q1 == "two\nlines"');
    expect(roundTrip('q1 == "tab\there"')).toBe('q1 == "tab\there"');
  });

  it('writes numbers that read back as the same number', () => {
    for (const src of ['0.1 + 0.2', '1e21', '1e-7', '123456789012345680000', '.5', '5.', '0']) roundTrip(src);
    expect(formatExpression(parseExpression('1e21'))).toBe('1e+21');
  });

  it('round-trips a sum too long to bracket every step', () => {
    const src = Array.from({ length: 120 }, (_, i) => `q${i}`).join('+');
    expect(roundTrip(src)).toBe(Array.from({ length: 120 }, (_, i) => `q${i}`).join(' + '));
  });

  it.each([
    'q1 == 2',
    'grade >= 6 and gender != "prefer_not"',
    'q3 in [1, 2]',
    'supports contains "counsellor"',
    'not answered(q5)',
    '(q1 + q2) / 2 > 3',
    'count(services) >= 2',
    'a - (b - c) * (d / (e / f))',
    '(a == b) == c',
    '(a < b) != (c > d)',
    'a or (b or c)',
    'a and (b and c) or d',
    '(a or b) and (c or d)',
    'not (a or b) and not c == 1',
    '--a',
    '-(-a)',
    'a - -1',
    '-a * -b',
    'min(a, b + 1, max(c, 2)) / abs(-d)',
    'round((a + b) / 2) in [1, 2, 3]',
    '[] contains null',
    '[[1, 2], [a]] contains [1]',
    'x == \'it\\\'s\'',
    '"\\\\" == "\\""',
  ])('round-trips %s', (src) => {
    roundTrip(src);
  });
});

describe('formatExpression: random expressions', () => {
  // A small seeded generator (fast-check is not installed): mulberry32.
  function rng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const binOps = ['or', 'and', '==', '!=', '<', '<=', '>', '>=', 'in', 'contains', '+', '-', '*', '/'] as const;
  const names = ['q1', 'q2', 'grade', 'm.r1', 'Q9', 'count', 'min', 'notes', 'x_1'];
  const texts = ['', 'a', 'two words', 'say "hi"', "it's", 'back\\slash', 'line\nbreak', 'and', 'ünï', '\\"'];
  const fns: [string, number][] = [
    ['answered', 1],
    ['count', 1],
    ['round', 1],
    ['abs', 1],
    ['min', -1],
    ['max', -1],
  ];

  /** A random tree of the shape the parser produces (no positions). */
  function tree(r: () => number, depth: number): Node {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const leaf = depth <= 0 || r() < 0.25;
    if (leaf) {
      switch (Math.floor(r() * 5)) {
        case 0:
          return { k: 'num', v: pick([0, 1, 2, 3.5, 10, 0.25, 1e21, 1e-7, 123]) };
        case 1:
          return { k: 'str', v: pick(texts) };
        case 2:
          return r() < 0.5 ? { k: 'bool', v: r() < 0.5 } : { k: 'null' };
        default:
          return { k: 'ref', name: pick(names) } as Node;
      }
    }
    switch (Math.floor(r() * 6)) {
      case 0:
        return { k: 'not', arg: tree(r, depth - 1) };
      case 1:
        return { k: 'neg', arg: tree(r, depth - 1) };
      case 2:
        return { k: 'list', items: Array.from({ length: Math.floor(r() * 3) }, () => tree(r, depth - 1)) };
      case 3: {
        const [fn, arity] = pick(fns);
        const n = arity === -1 ? 1 + Math.floor(r() * 3) : arity;
        return { k: 'call', fn, args: Array.from({ length: n }, () => tree(r, depth - 1)) } as Node;
      }
      default:
        return { k: 'bin', op: pick(binOps), left: tree(r, depth - 1), right: tree(r, depth - 1) };
    }
  }

  /**
   * The same tree spelled untidily: every operand bracketed, random blanks, keywords and function
   * names in random case, "=" for "==", either quote, needless escapes.
   */
  function untidy(n: Node, r: () => number): string {
    const sp = () => [' ', '  ', '\t', ' \n '][Math.floor(r() * 4)];
    const cased = (w: string) => (r() < 0.3 ? w.toUpperCase() : r() < 0.5 ? w[0].toUpperCase() + w.slice(1) : w);
    const sub = (x: Node) => (x.k === 'bin' || x.k === 'not' || x.k === 'neg' ? `(${sp()}${untidy(x, r)}${sp()})` : untidy(x, r));
    switch (n.k) {
      case 'num':
        return String(n.v);
      case 'str': {
        const q = r() < 0.5 ? '"' : "'";
        const body = [...n.v].map((c) => (c === q || c === '\\' ? `\\${c}` : /[a-z]/.test(c) && r() < 0.2 ? `\\${c}` : c)).join('');
        return `${q}${body}${q}`;
      }
      case 'bool':
        return cased(String(n.v));
      case 'null':
        return cased('null');
      case 'ref':
        return n.name;
      case 'list':
        return `[${n.items.map((x) => `${sp()}${untidy(x, r)}`).join(',')}${sp()}]`;
      case 'not':
        return `${cased('not')} ${sub(n.arg)}`;
      case 'neg':
        return `-${sub(n.arg)}`;
      case 'call':
        return `${cased(n.fn)}(${n.args.map((x) => untidy(x, r)).join(`${sp()},`)})`;
      case 'bin': {
        const op = n.op === '==' && r() < 0.5 ? '=' : /^[a-z]+$/.test(n.op) ? cased(n.op) : n.op;
        return `${sub(n.left)}${sp()}${op}${sp()}${sub(n.right)}`;
      }
    }
  }

  it('parse(format(parse(x))) equals parse(x) for 2000 random expressions', () => {
    const r = rng(20240917);
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const t = tree(r, 1 + Math.floor(r() * 5));
      const src = untidy(t, r);
      if (src.length > 1000) continue; // beyond the language's length limit
      const parsed = parseExpression(src);
      expect(strip(parsed), src).toEqual(strip(t));
      const text = formatExpression(parsed);
      expect(strip(parseExpression(text)), `${src}\n  ->  ${text}`).toEqual(strip(parsed));
      checked++;
    }
    expect(checked).toBeGreaterThan(1900);
  });

  it('a formatted expression evaluates like the original', () => {
    const r = rng(7);
    const answers: Record<string, Value> = { q1: 3, q2: '2', grade: 7, 'm.r1': 4, Q9: ['a', 'b'], count: 0, min: 'x', notes: '', x_1: true };
    const lookup = (name: string) => answers[name] ?? null;
    for (let i = 0; i < 500; i++) {
      const t = tree(r, 4);
      expect(evaluate(parseExpression(formatExpression(t)), lookup)).toEqual(evaluate(t, lookup));
    }
  });
});
