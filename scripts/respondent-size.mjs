// The respondent page's JavaScript weight: every script respondent.html loads (its entry and the
// chunks that entry imports, statically or lazily), gzipped, as read from Vite's build manifest.
// Budget: 80 KB (issue 5: first paint fast on a slow school Chromebook). Run directly, it prints
// the figure and exits 1 over budget; `bench/run.ts` and `build-client.mjs` import it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RESPONDENT_BUDGET_BYTES = 80 * 1024;

/**
 * @param {string} [outDir] the built client (dist/client by default)
 * @returns {{ files: { name: string, gzipBytes: number }[], totalGzipBytes: number }}
 * @throws {Error} when the client is not built or the manifest has no respondent page
 */
export function respondentBundleBytes(outDir = path.join(root, 'dist/client')) {
  const manifestPath = path.join(outDir, '.vite/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No build manifest at ${manifestPath}: build the web app first (npx vite build).`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (!manifest['respondent.html']) throw new Error('The build manifest has no respondent.html entry: is it in vite.config.ts?');
  const seen = new Set();
  const files = [];
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    if (chunk.file.endsWith('.js')) {
      // Gzip at level 9, as a static server or CDN would serve it precompressed.
      const gzipBytes = gzipSync(readFileSync(path.join(outDir, chunk.file)), { level: 9 }).length;
      files.push({ name: chunk.file, gzipBytes });
    }
    for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(k);
  };
  visit('respondent.html');
  return { files, totalGzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0) };
}

/** One line for the build log: "Respondent page JavaScript: 19.9 KB gzipped (budget 80 KB)". */
export function describeRespondentSize(r = respondentBundleBytes()) {
  const kb = (b) => (b / 1024).toFixed(1);
  return `Respondent page JavaScript: ${kb(r.totalGzipBytes)} KB gzipped in ${r.files.length} file${r.files.length === 1 ? '' : 's'} (budget ${kb(RESPONDENT_BUDGET_BYTES)} KB)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = respondentBundleBytes();
  for (const f of r.files) console.log(`  ${f.name}  ${(f.gzipBytes / 1024).toFixed(1)} KB`);
  console.log(describeRespondentSize(r));
  if (r.totalGzipBytes > RESPONDENT_BUDGET_BYTES) {
    console.error('Over budget: the respondent page must stay small for slow school Chromebooks (see src/respondent/main.tsx).');
    process.exit(1);
  }
}
