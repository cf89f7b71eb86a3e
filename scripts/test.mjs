// `npm test`: the whole suite. API and unit tests on embedded PGlite, the same tests again on
// PostgreSQL (TEST_DATABASE_URL, or a throwaway cluster when a server is installed), then the
// browser tests in Debian's Chromium. Prints one closing line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
const strict = process.env.CI === 'true';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extra = process.argv.slice(2);
const work = mkdtempSync(path.join(tmpdir(), 'schoolwell-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
let exitCode = 0;

function run(label, project, env = {}, wrap = []) {
  const out = path.join(work, `${label.replace(/\W+/g, '-')}.json`);
  const cmd = [...wrap, process.execPath, vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra];
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (!existsSync(out)) {
    lines.push(`${label}: did not run (exit ${r.status})`);
    totals.failed++;
    exitCode = 1;
    return;
  }
  const j = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = j.numPendingTests + (j.numTodoTests ?? 0);
  totals.passed += j.numPassedTests;
  totals.failed += j.numFailedTests;
  totals.skipped += skipped;
  lines.push(`${label}: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
  if (r.status !== 0) exitCode = 1;
}

function skip(label, why) {
  lines.push(`${label}: not run — ${why}`);
  if (strict) {
    totals.failed++;
    exitCode = 1;
  }
}

/** Types and lint rules (jsx-a11y, no `any`, no browser↔server imports) before any test. */
function check(label, args) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  lines.push(`${label}: ${ok ? 'passed' : 'failed'}`);
  totals[ok ? 'passed' : 'failed']++;
  if (!ok) exitCode = 1;
}
check('type check', [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root]);
check('lint', [path.join(root, 'node_modules/eslint/bin/eslint.js'), root]);

run('api and unit tests on PGlite', 'api', { TEST_DATABASE_URL: '' });

const pgRoot = '/usr/lib/postgresql';
const hasPgServer = existsSync(pgRoot) && readdirSync(pgRoot).some((v) => existsSync(path.join(pgRoot, v, 'bin/initdb')));
if (process.env.TEST_DATABASE_URL) run('api and unit tests on PostgreSQL', 'api');
else if (hasPgServer) run('api and unit tests on PostgreSQL', 'api', {}, ['bash', path.join(root, 'scripts/with-postgres.sh')]);
else skip('api and unit tests on PostgreSQL', "no PostgreSQL server here (Debian's postgresql package; .ci/run installs it)");

if (existsSync(chromium)) run('browser tests in Chromium', 'e2e', { TEST_DATABASE_URL: '' });
else skip('browser tests in Chromium', `no browser at ${chromium} (Debian's chromium package; .ci/run installs it)`);

rmSync(work, { recursive: true, force: true });
console.log(`\n${lines.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
