import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every string the interface shows exists in English, French and Spanish, with the same placeholders. */
const root = new URL('..', import.meta.url).pathname;
function bundles(): { name: string; files: Record<string, Record<string, unknown>> }[] {
  const read = (dir: string) => Object.fromEntries(['en', 'fr', 'es'].map((l) => [l, JSON.parse(readFileSync(join(dir, `${l}.json`), 'utf8'))]));
  const out = [{ name: 'client', files: read(join(root, 'client/locales')) }];
  // Every locales folder under a feature's ui folder, at any depth.
  const walk = (dir: string, name: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === 'locales') out.push({ name, files: read(join(dir, e.name)) });
      else walk(join(dir, e.name), `${name}/${e.name}`);
    }
  };
  for (const f of readdirSync(join(root, 'features'))) walk(join(root, 'features', f, 'ui'), f);
  return out;
}
function flatten(o: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(prefix + k, String(v));
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort().join(',');
// Plural forms differ by language (French has _many, for instance); compare the base keys.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('interface strings', () => {
  for (const b of bundles()) {
    it(`${b.name}: French and Spanish have every English key with the same placeholders`, () => {
      const en = flatten(b.files.en);
      for (const lang of ['fr', 'es']) {
        const other = flatten(b.files[lang]);
        const otherBases = new Set([...other.keys()].map(base));
        const missing = [...en.keys()].filter((k) => !otherBases.has(base(k)));
        expect(missing, `${lang} lacks`).toEqual([]);
        for (const [k, v] of en) if (other.has(k)) expect(placeholders(other.get(k)!), `${lang} ${k}`).toBe(placeholders(v));
      }
    });
  }
  it('feature bundles never reuse a top-level key of another bundle', () => {
    const seen = new Map<string, string>();
    for (const b of bundles()) for (const k of Object.keys(b.files.en)) {
      expect(seen.get(k), `${k} in ${b.name}`).toBeUndefined();
      seen.set(k, b.name);
    }
  });
});
