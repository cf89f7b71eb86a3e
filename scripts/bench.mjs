// `npm run bench`: the benchmarks on PGlite, then on a throwaway PostgreSQL cluster when a server
// is installed (or on TEST_DATABASE_URL when set).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = [process.execPath, '--import', 'tsx', path.join(root, 'bench/run.ts'), ...process.argv.slice(2)];
const runBench = (env, wrap = []) => {
  const cmd = [...wrap, ...bench];
  return spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
};

let status = runBench({ TEST_DATABASE_URL: '' });
const pgRoot = '/usr/lib/postgresql';
if (process.env.TEST_DATABASE_URL) status ||= runBench({});
else if (existsSync(pgRoot) && readdirSync(pgRoot).some((v) => existsSync(path.join(pgRoot, v, 'bin/initdb')))) status ||= runBench({ PG_DURABLE: '1' }, ['bash', path.join(root, 'scripts/with-postgres.sh')]);
else console.log('PostgreSQL figures skipped: no server installed.');
process.exit(status);
