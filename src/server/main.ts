import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { syncShippedContent } from '../features/instruments/server/content.sync.js';
import { markInterruptedImports } from '../features/organizations/server/directory/directory.service.js';
import { startRollupJob } from '../features/surveys/server/surveys.rollup.js';
import { DEMO_OPEN_LINK } from './demo/demo.surveys.js';
import { demoAccounts, DEMO_PASSWORD, seedDemoIfEmpty } from './demo/demo.seed.js';

/** Starts the product: settings, database and migrations, demo data on an empty database, HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, onIdleError: (err) => console.warn(`Database connection closed by the server: ${err.message}`) });
  await database.migrate();
  const content = await syncShippedContent(database.db);
  for (const warning of content.warnings) console.warn(`Content: ${warning}`);
  const seeded = config.seedDemo ? await seedDemoIfEmpty(database.db) : false;
  // An import is one transaction, so one the server stopped in the middle of wrote nothing.
  await markInterruptedImports(database.db);
  const app = await buildApp({ db: database.db, config });
  // Survey responses are counted into the report roll-ups in the background, in batches.
  const stopRollups = startRollupJob(database.db, { intervalMs: config.surveyRollupIntervalMs, ...(database.driver === 'pglite' ? { targetMs: 20, share: 0.25 } : {}), onError: (err) => app.log.error({ err }, 'survey roll-up failed; it will run again') });
  const stop = async () => {
    await app.close();
    await stopRollups();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
  const where = database.driver === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
  const lines = [`Schoolwell is running at ${config.publicUrl} (${where}).`];
  if (config.seedDemo) {
    lines.push(seeded ? 'Demo data was created.' : 'Demo accounts (if the demo was seeded):', `Password for every demo account: ${DEMO_PASSWORD}`);
    for (const a of demoAccounts) lines.push(`  ${a.email.padEnd(36)} ${a.description}`);
    lines.push(`An open demo survey to answer in another tab: ${config.publicUrl}/s/${DEMO_OPEN_LINK}`);
  }
  if (config.devOutbox && !config.smtpUrl) lines.push(`Mail goes to the development outbox, for operators: ${config.publicUrl}/dev/outbox`);
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
