// Builds the browser app into dist/client when any source is newer than the last build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRespondentSize, RESPONDENT_BUDGET_BYTES, respondentBundleBytes } from './respondent-size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/client/index.html');
// Both pages and the manifest the respondent size check reads: a build from before any of them is stale.
const outputs = ['dist/client/respondent.html', 'dist/client/.vite/manifest.json'].map((p) => path.join(root, p));

function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, f) => Math.max(m, newest(path.join(p, f))), st.mtimeMs);
}

/** Returns true when a build ran; exits the process when the build fails. */
export function ensureClientBuilt() {
  const sources = ['src', 'index.html', 'respondent.html', 'vite.config.ts', 'package.json'].map((p) => path.join(root, p));
  if (existsSync(built) && outputs.every((o) => existsSync(o)) && !sources.some((s) => newest(s) > statSync(built).mtimeMs)) return false;
  console.log('Building the web app…');
  // Always a production build: run from the tests (NODE_ENV=test) it would otherwise bundle
  // development code, which `npm start` would then serve and the size check would measure.
  const env = { ...process.env, NODE_ENV: 'production' };
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const size = respondentBundleBytes();
  console.log(describeRespondentSize(size));
  if (size.totalGzipBytes > RESPONDENT_BUDGET_BYTES) {
    console.error('The respondent page is over its JavaScript budget (node scripts/respondent-size.mjs lists the files).');
    process.exit(1);
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureClientBuilt();
