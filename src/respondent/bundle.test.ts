import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Every module the respondent page loads at run time, following value imports only (type imports
 * vanish in the build): relative files by path, packages by name.
 */
function runtimeGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[4] ?? m[5];
      const typeOnly = m[2] !== undefined || (m[3] !== undefined && /^\{[^}]*\}$/.test(m[3].trim()) && m[3].replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type')));
      if (typeOnly) continue;
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      if (spec.endsWith('.css')) continue;
      const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
      visit([`${base}.ts`, `${base}.tsx`].find((f) => existsSync(f)) ?? `${base}.ts`);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(path.join(here, '../..'), f)).sort(), packages: [...packages].sort() };
}

describe('the respondent page', () => {
  it('loads Preact and the Zod-free answer model only (no React, Mantine, i18next, Zod)', () => {
    const graph = runtimeGraph(path.join(here, 'main.tsx'));
    expect(graph.packages).toEqual(['preact', 'preact/hooks']);
    expect(graph.files).toEqual([
      'src/features/instruments/model/answers.ts',
      'src/features/instruments/model/expression.ts',
      'src/features/instruments/model/item-types.ts',
      'src/features/instruments/model/lang.ts',
      'src/respondent/SurveyApp.tsx',
      'src/respondent/flow.ts',
      'src/respondent/items.tsx',
      'src/respondent/main.tsx',
      'src/respondent/messages.ts',
      'src/respondent/store.ts',
    ]);
  });
});
