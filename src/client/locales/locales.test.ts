import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../shared/errors.js';
import { orgKinds } from '../../shared/organizations.js';
import { roles } from '../../shared/permissions.js';

const dir = path.dirname(fileURLToPath(import.meta.url));
const load = (lang: string) => JSON.parse(readFileSync(path.join(dir, `${lang}.json`), 'utf8')) as Record<string, unknown>;

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
  }
  return out;
}

/** Plural variants collapse to their base key: i18next picks the form per language. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const en = flatten(load('en'));

describe('interface translations', () => {
  it('ships English, French and Spanish and nothing half-done', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toEqual(['en.json', 'es.json', 'fr.json']);
  });

  for (const lang of ['fr', 'es']) {
    it(`${lang} has every English text, with the same placeholders`, () => {
      const tr = flatten(load(lang));
      const trBases = new Set([...tr.keys()].map(base));
      const enBases = new Set([...en.keys()].map(base));
      expect([...enBases].filter((k) => !trBases.has(k))).toEqual([]);
      expect([...trBases].filter((k) => !enBases.has(k))).toEqual([]);
      for (const [key, text] of en) {
        const same = tr.get(key) ?? tr.get(`${base(key)}_other`);
        expect(same, `${lang}: ${key}`).toBeTypeOf('string');
        expect(placeholders(same!), `${lang}: placeholders of ${key}`).toEqual(placeholders(text));
      }
    });
  }

  it('names every error code, role and organisation kind', () => {
    for (const code of errorCodes) expect(en.has(`errors.${code}`), code).toBe(true);
    for (const role of roles) expect(en.has(`roles.${role}`) && en.has(`roleHelp.${role}`), role).toBe(true);
    for (const kind of orgKinds) expect(en.has(`orgKind.${kind}`), kind).toBe(true);
  });
});
