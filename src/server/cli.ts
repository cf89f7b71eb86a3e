import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { users } from '../features/auth/server/auth.tables.js';
import { presetIds } from '../features/organizations/directory.contract.js';
import { importQuery } from '../features/instruments/instruments.contract.js';
import { convertInstrumentFile, importInstrument } from '../features/instruments/server/instruments.import.js';
import { importDirectory } from '../features/organizations/server/directory/directory.service.js';
import { findOrgsByCode } from '../features/organizations/server/organizations.queries.js';
import type { PresetId } from '../features/organizations/server/directory/directory.parse.js';
import { writeAudit } from '../features/audit/server/audit.service.js';
import type { Actor } from './authz/scope.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { AppError } from './http/errors.js';
import { hashPassword } from './security/passwords.js';
import { passwordSchema, emailSchema } from '../shared/schemas.js';

const usage = `Usage: schoolwell <command> [options]

Commands:
  create-admin --email E [--name N] [--password-file F]
      Create a platform operator (or make an existing account one). The password is asked for
      on the terminal, read from the first line of F, or from standard input when piped.
  import-orgs FILE [--preset cde|ccd|hifld|ma-dese] [--under CODE] [--dry-run] [--json]
      Import a school directory CSV under the network or state with code CODE (default: the
      only network). Re-importing the same file changes nothing.
  import-instrument FILE --owner CODE [--id ID] [--format redcap|surveyjs|xlsform]
                    [--kind profile|self_assessment|survey] [--audience team|student|staff|family]
                    [--dry-run] [--json]
      Import a REDCap data dictionary (.csv), SurveyJS JSON (.json) or XLSForm (.xlsx) as a draft
      instrument owned by the organisation CODE, with a report of what could not be carried over.
  migrate
      Apply database migrations and exit.

The database is the one npm start uses: DATABASE_URL when set, otherwise DATA_DIR (./data).
Run 'schoolwell <command> --help' for a command's options.`;

/** The command line acts with full rights: whoever runs it already holds the database. */
const cliActor: Actor = { userId: 0, email: 'command line', isOperator: true, grants: [] };

async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    const stdin = process.stdin;
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (ch: string) => {
      if (ch === '\r' || ch === '\n' || ch === '\u0004') {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.off('data', onData);
        process.stderr.write('\n');
        resolve(value);
      } else if (ch === '\u0003') {
        process.exit(130);
      } else if (ch === '\u007f') {
        value = value.slice(0, -1);
      } else {
        value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function createAdmin(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { email: { type: 'string' }, name: { type: 'string' }, 'password-file': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.email) {
    console.log('Usage: schoolwell create-admin --email E [--name N] [--password-file F]');
    return values.help ? 0 : 2;
  }
  const email = emailSchema.safeParse(values.email);
  if (!email.success) return fail(`--email: ${email.error.issues[0].message}`);
  const raw = values['password-file'] ? readFileSync(values['password-file'], 'utf8').split(/\r?\n/)[0] : await readSecret('Password for the new operator: ');
  const password = passwordSchema.safeParse(raw);
  if (!password.success) return fail(`password: ${password.error.issues[0].message}`);
  const hash = await hashPassword(password.data);
  await withDatabase(async (db) => {
    const [existing] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email.data));
    if (existing) await db.update(users).set({ isOperator: true, passwordHash: hash }).where(eq(users.id, existing.id));
    else await db.insert(users).values({ email: email.data, name: values.name ?? email.data.split('@')[0], passwordHash: hash, isOperator: true });
    await writeAudit(db, { action: 'operator.created', actor: cliActor, details: { email: email.data, existing: Boolean(existing) } });
    console.log(existing ? `${email.data} is now a platform operator; its password was replaced.` : `Created platform operator ${email.data}.`);
  });
  return 0;
}

async function importOrgs(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { preset: { type: 'string' }, under: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length !== 1) {
    console.log('Usage: schoolwell import-orgs FILE [--preset cde|ccd|hifld|ma-dese] [--under CODE] [--dry-run] [--json]');
    return values.help ? 0 : 2;
  }
  if (values.preset && !(presetIds as readonly string[]).includes(values.preset)) return fail(`--preset must be one of ${presetIds.join(', ')}.`);
  const file = positionals[0];
  if (!existsSync(file)) return fail(`file not found: ${file}`);
  const summary = await withDatabase((db) =>
    importDirectory(db, cliActor, {
      input: file,
      preset: values.preset as PresetId | undefined,
      underCode: values.under,
      dryRun: Boolean(values['dry-run']),
      fileName: file,
      onProgress: (phase, done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${phase === 'parse' ? 'Reading' : 'Writing'} ${done}${total ? ` / ${total}` : ''} rows   `);
      },
    }),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (values.json) {
    console.log(JSON.stringify(summary));
  } else {
    const { created, updated, unchanged, archived, skipped } = summary;
    console.log(`${summary.dryRun ? 'Dry run (nothing written): ' : ''}${created} created, ${updated} updated, ${unchanged} unchanged, ${archived} archived, ${skipped} skipped (format: ${summary.preset}).`);
    if (created + updated + archived === 0 && !summary.dryRun) console.log('Nothing changed: the directory was already up to date.');
    for (const e of summary.errors.slice(0, 50)) console.log(`  line ${e.line}: ${e.message}`);
    if (summary.errors.length > 50) console.log(`  … and ${summary.errors.length - 50} more (use --json for all).`);
  }
  return 0;
}

async function importInstrumentCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      owner: { type: 'string' },
      id: { type: 'string' },
      format: { type: 'string' },
      kind: { type: 'string' },
      audience: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || positionals.length !== 1 || !values.owner) {
    console.log('Usage: schoolwell import-instrument FILE --owner CODE [--id ID] [--format redcap|surveyjs|xlsform] [--kind K] [--audience A] [--dry-run] [--json]');
    return values.help ? 0 : 2;
  }
  const file = positionals[0];
  if (!existsSync(file)) return fail(`file not found: ${file}`);
  const query = importQuery.safeParse({
    ownerOrgId: 1,
    id: values.id ?? (path.basename(file).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '') || 'imported'),
    format: values.format,
    kind: values.kind,
    audience: values.audience,
  });
  if (!query.success) return fail(`${query.error.issues[0].path.join('.')}: ${query.error.issues[0].message}`);
  const data = readFileSync(file);
  const result = await withDatabase(async (db) => {
    const owners = await findOrgsByCode(db, values.owner!);
    if (owners.length !== 1) throw new AppError('not_found', owners.length ? `Several organisations have the code ${values.owner}; give the path of codes (NETWORK/CODE).` : `No organisation has the code ${values.owner}.`);
    const opts = { ...query.data, fileName: path.basename(file), ownerOrgId: owners[0].id };
    if (values['dry-run']) return { ...(await convertInstrumentFile(data, opts)), stored: false };
    return { ...(await importInstrument(db, cliActor, data, opts)), stored: true };
  });
  if (values.json) {
    console.log(JSON.stringify({ format: result.format, stored: result.stored, id: result.definition.id, counts: result.counts, notes: result.notes, issues: result.issues }));
    return 0;
  }
  const { sections, items, skipped } = result.counts;
  console.log(`${result.stored ? `Imported as draft ${result.definition.id} v1` : 'Dry run (nothing stored)'}: ${sections} sections, ${items} questions, ${skipped} skipped (format: ${result.format}).`);
  for (const n of result.notes.slice(0, 60)) console.log(`  ${n.severity.padEnd(11)} ${n.where}: ${n.message}`);
  if (result.notes.length > 60) console.log(`  … and ${result.notes.length - 60} more (use --json for all).`);
  const warnings = result.issues.filter((i) => i.severity === 'warning').length;
  if (warnings) console.log(`${warnings} texts have no translation yet; add them in the editor before publishing in other languages.`);
  return 0;
}

function fail(message: string): number {
  console.error(`schoolwell: ${message}`);
  return 1;
}

/** Entry point of the `schoolwell` command. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'create-admin':
        return await createAdmin(rest);
      case 'import-orgs':
        return await importOrgs(rest);
      case 'import-instrument':
        return await importInstrumentCommand(rest);
      case 'migrate':
        await withDatabase(async () => console.log('Migrations applied.'));
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage);
        return command ? 0 : 2;
      default:
        console.error(`schoolwell: unknown command '${command}'.\n`);
        console.log(usage);
        return 2;
    }
  } catch (err) {
    if (err instanceof AppError) return fail(err.message);
    if (err instanceof Error && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT') return fail(`file not found: ${(err as NodeJS.ErrnoException).path}`);
    if (err instanceof TypeError && err.message.includes('Unknown option')) return fail(err.message);
    throw err;
  }
}
