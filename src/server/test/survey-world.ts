import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { syncShippedContent } from '../../features/instruments/server/content.sync.js';
import { createAdministration } from '../../features/surveys/server/surveys.service.js';
import type { Db } from '../db/client.js';
import { actorOf, makeOrg, makeOrgsBulk, makeUser } from './factories.js';

/**
 * A district of `schools` schools with an open student survey, for the ingest benchmark and the
 * durability test: returns the open link code of every school.
 */
export async function makeSurveyWorld(db: Db, schools: number): Promise<{ administrationId: number; links: string[] }> {
  await syncShippedContent(db);
  const network = await makeOrg(db, null, 'network', { name: 'Survey network' });
  const state = await makeOrg(db, network, 'state', { name: 'Survey state' });
  const district = await makeOrg(db, state, 'district', { name: 'Survey district' });
  await makeOrgsBulk(db, district, 'school', schools, 'Survey school');
  const user = await makeUser(db, { role: 'coordinator', org: district });
  const actor = await actorOf(db, user.id);
  const now = Date.now();
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  const a = await createAdministration(db, actor, {
    orgId: district.id, instrumentId: 'student_connectedness_secondary', title: 'Load', languages: ['en', 'fr', 'es'],
    opensAt: local(now - 3_600_000), closesAt: local(now + 86_400_000), timeZone: 'UTC', consent: 'passive',
    notice: { en: 'n', fr: 'n', es: 'n' }, assent: { en: 'a', fr: 'a', es: 'a' }, demographics: ['grade', 'gender_identity'], openLink: true, accessCodes: false,
  });
  return { administrationId: a.id, links: a.sites.map((s) => s.linkCode!) };
}

/** A plausible response: 36 ratings (a few skipped) and two demographic answers. */
export function syntheticAnswers(i: number): Record<string, unknown> {
  return { belong_part: 1 + (i % 5), belong_myself: 1 + ((i * 7) % 5), adult_trust: 1 + ((i * 3) % 5), peer_friend: 1 + ((i * 11) % 5), safe_school: 1 + ((i * 13) % 5), eng_interest: 1 + ((i * 17) % 5), grade: `g${6 + (i % 7)}`, gender_identity: ['girl', 'boy', 'non_binary', 'another_way'][i % 4] };
}

/** A free TCP port on this machine. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Runs the product (`src/server/main.ts`) as its own process on a database, as `npm start` does,
 * and resolves once it listens. The caller may SIGKILL it.
 */
export async function startServerProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; base: string; exited: Promise<number | null> }> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], {
    env: { ...process.env, NODE_ENV: 'production', SEED_DEMO: 'false', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), SURVEY_RATE_LIMIT_PER_MINUTE: '100000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Schoolwell is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); if (process.env.SHOW_SERVER) process.stderr.write(d); });
    child.once('exit', () => reject(new Error(`server exited:\n${output}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

/**
 * A light HTTP/1.1 client for load runs (keep-alive sockets, no fetch machinery), so the load
 * generator takes as little of the machine's CPU as it can from the server it measures.
 */
export function jsonPoster(base: string, sockets: number): { post: (path: string, body: string) => Promise<{ status: number; body: string }>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(base);
  return {
    post: (p, body) =>
      new Promise((resolve, reject) => {
        const req = http.request({ agent, host: url.hostname, port: url.port, path: p, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
