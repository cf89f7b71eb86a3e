import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { makeWorld, TEST_PASSWORD } from '../../../server/test/factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  ctx = await startTestApp();
  world = await makeWorld(ctx.db);
});
afterAll(() => ctx.close());

describe('sign-in', () => {
  it('refuses /api/me without a session', async () => {
    const res = await new Agent(ctx.app).get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('signs in, reports memberships and abilities, and signs out', async () => {
    const agent = new Agent(ctx.app);
    const login = await agent.post('/api/auth/login', { email: 'Coord@Example.test', password: TEST_PASSWORD });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'sw_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = (await agent.get('/api/me')).json();
    expect(me.user.email).toBe('coord@example.test');
    expect(me.memberships).toHaveLength(1);
    expect(me.memberships[0]).toMatchObject({ orgId: world.districtA.id, role: 'coordinator' });
    expect(me.memberships[0].abilities['member.invite']).toBe(true);
    expect(me.memberships[0].abilities['org.create']).toBe(false);
    expect((await agent.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await agent.get('/api/me')).statusCode).toBe(401);
  });
});
