import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../../server/db/client.js';
import { makeSurveyWorld, startServerProcess, syntheticAnswers } from '../../../server/test/survey-world.js';
import { createTestDatabase } from '../../../server/test/test-db.js';

// The product runs as its own process here, on a data folder (PGlite) or a PostgreSQL database,
// and is killed with SIGKILL in the middle of a load: nothing it acknowledged may be missing.
const dir = mkdtempSync(path.join(tmpdir(), 'sw-durability-'));
let cleanup: () => Promise<void> = async () => {};
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged response exactly once across a SIGKILL', { timeout: 180_000 }, async () => {
    const prepared = await createTestDatabase({ dataDir: dir });
    const { links } = await makeSurveyWorld(prepared.db, 5);
    const url = prepared.url;
    // PGlite allows one process on a data folder: hand it over to the server.
    if (url) cleanup = prepared.close;
    else await prepared.close();
    const env: Record<string, string> = url ? { DATABASE_URL: url } : { DATA_DIR: dir };

    const first = await startServerProcess(env);
    const acked: string[] = [];
    const sentAs = new Map<string, number>();
    let sent = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const id = randomUUID();
        const i = sent++;
        sentAs.set(id, i);
        try {
          const res = await fetch(`${first.base}/api/public/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: links[i % links.length], submissionId: id, language: 'en', answers: syntheticAnswers(i) }) });
          if (res.status === 201) acked.push(id);
          else if (res.status !== 200) throw new Error(`unexpected ${res.status} ${await res.text()}`);
        } catch (err) {
          if (!stop) throw err;
        }
      }
    };
    const clients = Array.from({ length: 16 }, client);
    // Kill once a few hundred are acknowledged, with requests still in flight.
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.allSettled(clients);
    await first.exited;
    const ackedAtKill = [...acked];
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(300);

    // Restart on the same data: retries of acknowledged submissions are recognised, not doubled.
    const second = await startServerProcess(env);
    for (const id of ackedAtKill.slice(0, 20)) {
      const i = sentAs.get(id)!;
      const res = await fetch(`${second.base}/api/public/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: links[i % links.length], submissionId: id, language: 'en', answers: syntheticAnswers(i) }) });
      expect(res.status).toBe(200);
    }
    second.child.kill('SIGTERM');
    await second.exited;

    const check = url ? await openDatabase({ url }) : await openDatabase({ dataDir: dir });
    try {
      const rows = await queryRows<{ submission_id: string; n: number }>(check.db, sql`select submission_id::text, count(*)::int as n from survey_responses group by 1`);
      const stored = new Map(rows.map((r) => [r.submission_id, r.n]));
      const missing = ackedAtKill.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // Requests cut off by the kill may or may not be stored; never more than were sent.
      expect(rows.length).toBeLessThanOrEqual(sent);
    } finally {
      await check.close();
    }
  });
});
