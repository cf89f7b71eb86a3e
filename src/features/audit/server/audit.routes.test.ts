import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, makeWorld, TEST_PASSWORD } from '../../../server/test/factories.js';
import { Agent, expectError, startTestApp, type TestContext, signInAll } from '../../../server/test/harness.js';

let ctx: TestContext;
let w: Awaited<ReturnType<typeof makeWorld>>;
const as: Record<string, Agent> = {};
let anon: Agent;

interface Entry {
  id: number;
  at: string;
  action: string;
  actorEmail: string | null;
  orgId: number | null;
  orgName: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

async function read(agent: Agent, query = ''): Promise<{ items: Entry[]; total: number }> {
  const res = await agent.get(`/api/audit?limit=200${query}`);
  if (res.statusCode !== 200) throw new Error(`audit read failed: ${res.statusCode} ${res.body}`);
  return res.json();
}
const key = (e: Entry) => `${e.action} ${e.actorEmail ?? '-'} ${e.orgName ?? '-'}`;

beforeAll(async () => {
  ctx = await startTestApp();
  w = await makeWorld(ctx.db);
  anon = new Agent(ctx.app);
  // Everyone signs in once: one auth.login entry each, with no organisation.
  Object.assign(as, await signInAll(ctx.app, w.people));
  // A failed sign-in for an address nobody has.
  await anon.post('/api/auth/login', { email: 'ghost@example.test', password: TEST_PASSWORD });
  // Work in District A and District B.
  await as.districtAdmin.patch(`/api/orgs/${w.schoolA1.id}`, { name: 'School A1 Renamed' });
  await as.districtAdmin.post(`/api/orgs/${w.schoolA2.id}/invitations`, { email: 'invitee@example.test', role: 'viewer' });
  await as.districtAdmin.patch(`/api/memberships/${w.people.schoolViewer.membershipId}`, { role: 'member' });
  await as.otherAdmin.patch(`/api/orgs/${w.schoolB1.id}`, { name: 'School B1 Renamed' });
  await as.networkAdmin.post(`/api/orgs/${w.schoolB1.id}/archive`);
});
afterAll(() => ctx.close());

describe('GET /api/audit', () => {
  it('needs a session', async () => {
    expectError(await anon.get('/api/audit'), 401, 'unauthenticated');
  });

  it('is for admins only (403 for every other role and for people with no role)', async () => {
    for (const name of ['districtCoordinator', 'schoolMember', 'schoolViewer', 'partnerCoordinator', 'nobody']) {
      expectError(await as[name].get('/api/audit'), 403, 'forbidden');
    }
  });

  it('shows a district admin the work in their district and the sign-ins of its people, nothing else', async () => {
    const { items, total } = await read(as.districtAdmin);
    expect(total).toBe(items.length);
    const seen = items.map(key).sort();
    expect(seen).toEqual(
      [
        'auth.login coord@example.test -',
        'auth.login distadmin@example.test -',
        'auth.login member@example.test -',
        'auth.login viewer@example.test -',
        'member.invited distadmin@example.test School A2',
        'member.role_changed distadmin@example.test School A1 Renamed',
        'org.updated distadmin@example.test School A1 Renamed',
      ].sort(),
    );
    // Newest first.
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    const update = items.find((i) => i.action === 'org.updated')!;
    expect(update).toMatchObject({ orgId: w.schoolA1.id, targetType: 'organization', targetId: String(w.schoolA1.id), details: { before: { name: 'School A1' }, after: { name: 'School A1 Renamed' } } });
    expect(update.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('shows the other district\'s admin only their own district', async () => {
    const seen = (await read(as.otherAdmin)).items.map(key).sort();
    expect(seen).toEqual(['auth.login otheradmin@example.test -', 'org.archived netadmin@example.test School B1 Renamed', 'org.updated otheradmin@example.test School B1 Renamed'].sort());
  });

  it('shows the network admin the whole network and an operator everything', async () => {
    const network = (await read(as.networkAdmin)).items.map(key);
    expect(network).toContain('org.updated otheradmin@example.test School B1 Renamed');
    expect(network).toContain('org.updated distadmin@example.test School A1 Renamed');
    expect(network).toContain('auth.login partner@example.test -');
    // People with no role anywhere, and failed sign-ins of unknown addresses, are not in the network's scope.
    expect(network).not.toContain('auth.login nobody@example.test -');
    expect(network.some((k) => k.startsWith('auth.login_failed'))).toBe(false);
    const all = await read(as.operator);
    expect(all.total).toBe(await countRows(ctx.db, 'audit_log'));
    expect(all.items.find((i) => i.action === 'auth.login_failed')).toMatchObject({ actorEmail: null, details: { email: 'ghost@example.test' } });
  });

  it('audits archiving', async () => {
    const archived = (await read(as.networkAdmin, '&action=org.archived')).items;
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({ actorEmail: 'netadmin@example.test', orgId: w.schoolB1.id, targetId: String(w.schoolB1.id) });
  });

  it('filters by action prefix', async () => {
    expect((await read(as.districtAdmin, '&action=org.')).items.map(key)).toEqual(['org.updated distadmin@example.test School A1 Renamed']);
    expect((await read(as.districtAdmin, '&action=member.')).items.map((i) => i.action).sort()).toEqual(['member.invited', 'member.role_changed']);
    expect((await read(as.districtAdmin, '&action=member.role')).total).toBe(1);
    expect((await read(as.districtAdmin, '&action=auth.login')).total).toBe(4);
    // LIKE wildcards are plain characters.
    expect((await read(as.districtAdmin, '&action=%25')).total).toBe(0);
    expect((await read(as.districtAdmin, '&action=_')).total).toBe(0);
  });

  it('filters by actor email, ignoring case', async () => {
    const mine = await read(as.districtAdmin, '&actor=DistAdmin@Example.test');
    expect(mine.items.map((i) => i.action).sort()).toEqual(['auth.login', 'member.invited', 'member.role_changed', 'org.updated']);
    expect((await read(as.districtAdmin, '&actor=otheradmin@example.test')).total).toBe(0);
  });

  it('filters by organisation (and its subtree), 404 for one outside the scope', async () => {
    const a1 = await read(as.districtAdmin, `&orgId=${w.schoolA1.id}`);
    expect(a1.items.map((i) => i.action).sort()).toEqual(['member.role_changed', 'org.updated']);
    const district = await read(as.networkAdmin, `&orgId=${w.districtA.id}`);
    expect(district.items.map((i) => i.action).sort()).toEqual(['member.invited', 'member.role_changed', 'org.updated']);
    expectError(await as.districtAdmin.get(`/api/audit?orgId=${w.schoolB1.id}`), 404, 'not_found');
    expectError(await as.districtAdmin.get('/api/audit?orgId=987654'), 404, 'not_found');
  });

  it('filters by date (whole UTC days, both ends included)', async () => {
    const newest = (await read(as.districtAdmin)).items[0];
    const day = newest.at.slice(0, 10);
    const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const all = (await read(as.districtAdmin)).total;
    const firstDay = (await read(as.districtAdmin)).items.at(-1)!.at.slice(0, 10);
    expect((await read(as.districtAdmin, `&from=${firstDay}&to=${day}`)).total).toBe(all);
    expect((await read(as.districtAdmin, `&from=${shift(day, 1)}`)).total).toBe(0);
    expect((await read(as.districtAdmin, `&to=${shift(firstDay, -1)}`)).total).toBe(0);
  });

  it('pages with a total', async () => {
    const all = await read(as.networkAdmin);
    const page = (await as.networkAdmin.get('/api/audit?limit=2&offset=1')).json();
    expect(page.total).toBe(all.total);
    expect(page.items.map((i: Entry) => i.id)).toEqual(all.items.slice(1, 3).map((i) => i.id));
  });

  it('refuses bad filters naming the field', async () => {
    expectError(await as.districtAdmin.get('/api/audit?from=yesterday'), 400, 'validation_failed', 'from');
    expectError(await as.districtAdmin.get('/api/audit?to=2026-13-45'), 400, 'validation_failed', 'to');
    expectError(await as.districtAdmin.get('/api/audit?orgId=abc'), 400, 'validation_failed', 'orgId');
    expectError(await as.districtAdmin.get('/api/audit?limit=500'), 400, 'validation_failed', 'limit');
    expectError(await as.districtAdmin.get(`/api/audit?action=${'a'.repeat(61)}`), 400, 'validation_failed', 'action');
  });
});
