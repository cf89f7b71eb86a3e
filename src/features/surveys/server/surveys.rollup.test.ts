import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { actorOf, makeOrg, makeUser, type TestOrg } from '../../../server/test/factories.js';
import { createTestDatabase } from '../../../server/test/test-db.js';
import { onTreeMove } from '../../../server/tree-events.js';
import { scoreAll } from '../../instruments/model/scoring.js';
import { moveOrg } from '../../organizations/server/organizations.service.js';
import { closedAdministration, publishReportInstrument, reportTestInstrument as def, storeResponses } from '../../reports/server/reports.fixtures.js';
import { followSurveyMove, rollUpResponses } from './surveys.rollup.js';
import { ratedSlots } from './surveys.layout.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let world: { network: TestOrg; state: TestOrg; d1: TestOrg; d2: TestOrg; schools: TestOrg[]; admin: number };
beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  onTreeMove(followSurveyMove);
  await publishReportInstrument(db);
  const network = await makeOrg(db, null, 'network');
  const state = await makeOrg(db, network, 'state');
  const d1 = await makeOrg(db, state, 'district');
  const d2 = await makeOrg(db, state, 'district');
  const schools = [await makeOrg(db, d1, 'school'), await makeOrg(db, d1, 'school'), await makeOrg(db, d2, 'school')];
  const a = await closedAdministration(db, state);
  world = { network, state, d1, d2, schools, admin: a.id };
});
afterAll(() => database.close());

type Answers = Record<string, unknown>;
const rated = ratedSlots(def);

/** What the roll-up must hold, worked out in JavaScript from the answer sets themselves. */
function expected(bySchool: Map<number, Answers[]>, pathOf: (school: number) => number[]) {
  const items = new Map<string, number>();
  const scales = new Map<string, { n: number; sum: number; fav: number; answers: number }>();
  const add = <V>(m: Map<string, V>, key: string, f: (v: V | undefined) => V) => m.set(key, f(m.get(key)));
  for (const [school, list] of bySchool) {
    for (const a of list) {
      const groups: [string, string][] = [['', '']];
      for (const dim of ['grade', 'gender_identity', 'self_described_group']) {
        const v = a[dim];
        for (const g of Array.isArray(v) ? v : v === undefined ? [] : [v]) groups.push([dim, String(g)]);
      }
      const scores = scoreAll(def, a as never);
      for (const org of pathOf(school)) {
        for (const [dim, grp] of groups) {
          add(items, `${org}|0|0|${dim}|${grp}`, (n) => (n ?? 0) + 1);
          rated.forEach((slot, i) => {
            const v = a[slot];
            const value = typeof v === 'number' ? v : v === 'NA' ? -1 : null;
            if (value !== null) add(items, `${org}|${i + 1}|${value}|${dim}|${grp}`, (n) => (n ?? 0) + 1);
          });
          scores.forEach((s, i) => {
            if (!s.valid) return;
            const scale = def.scales[i];
            const favourable = scale.items.filter((id) => {
              const v = a[id];
              if (typeof v !== 'number') return false;
              const [lo, hi, from] = id === 'r1' ? [0, 10, 8] : [1, 5, 4];
              return (scale.reverse?.includes(id) ? lo + hi - v : v) >= from;
            }).length;
            add(scales, `${org}|${i + 1}|0|${dim}|${grp}`, (c) => ({ n: (c?.n ?? 0) + 1, sum: (c?.sum ?? 0) + s.score!, fav: (c?.fav ?? 0) + favourable, answers: (c?.answers ?? 0) + s.answered }));
            const band = s.band ? [...(scale.bands ?? [])].sort((x, y) => x.min - y.min).findIndex((b) => b.id === s.band) + 1 : 0;
            if (band) add(scales, `${org}|${i + 1}|${band}|${dim}|${grp}`, (c) => ({ n: (c?.n ?? 0) + 1, sum: 0, fav: 0, answers: 0 }));
          });
        }
      }
    }
  }
  return { items, scales };
}

async function rolled() {
  const items = await queryRows<{ k: string; n: number }>(database.db, sql`select concat_ws('|', org_id, item, value, dim, grp) as k, n from survey_item_counts where administration_id = ${world.admin} and n <> 0`);
  const scales = await queryRows<{ k: string; n: number; score_sum: number; fav: number; answers: number }>(
    database.db,
    sql`select concat_ws('|', org_id, scale, band, dim, grp) as k, n, score_sum, fav, answers from survey_scale_counts where administration_id = ${world.admin} and n <> 0`,
  );
  return { items: new Map(items.map((r) => [r.k, r.n])), scales: new Map(scales.map((r) => [r.k, { n: r.n, sum: Number(r.score_sum), fav: r.fav, answers: r.answers }])) };
}

function expectSame(got: Awaited<ReturnType<typeof rolled>>, want: ReturnType<typeof expected>) {
  expect(Object.fromEntries(got.items)).toEqual(Object.fromEntries(want.items));
  expect([...got.scales.keys()].sort()).toEqual([...want.scales.keys()].sort());
  for (const [k, w] of want.scales) {
    const g = got.scales.get(k)!;
    expect({ k, n: g.n, fav: g.fav, answers: g.answers }).toEqual({ k, n: w.n, fav: w.fav, answers: w.answers });
    // Exact for counts; sums of scores to 1e-9 of their size (floating sums added batch by batch).
    expect(Math.abs(g.sum - w.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w.sum)));
  }
}

describe('survey roll-up', () => {
  it('equals, at every school and organisation above it, the figures worked out from the answers, counted in batches of any size and after moves', async () => {
    const fc = (await import('fast-check')).default;
    const db = database.db;
    const point = fc.option(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant('NA')), { nil: undefined });
    const answers = fc.record(
      {
        q1: point, q2: point, q3: point, q4: point,
        r1: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        grade: fc.option(fc.constantFrom('g6', 'g7', 'g8', 'PNS'), { nil: undefined }),
        gender_identity: fc.option(fc.constantFrom('girl', 'boy', 'nb'), { nil: undefined }),
        self_described_group: fc.option(fc.subarray(['newcomer', 'disability']), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    const actor = await actorOf(db, (await makeUser(db, { operator: true })).id);
    const paths = async () => new Map((await queryRows<{ id: number; path: string }>(db, sql`select id, path from organizations`)).map((o) => [o.id, o.path.split('/').filter(Boolean).map(Number)]));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(2), answers), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 15 }), fc.boolean(), async (list, batch, move) => {
        await db.execute(sql`delete from survey_responses`);
        await db.execute(sql`delete from survey_item_counts`);
        await db.execute(sql`delete from survey_scale_counts`);
        const bySchool = new Map<number, Answers[]>();
        for (const [i, a] of list) bySchool.set(world.schools[i].id, [...(bySchool.get(world.schools[i].id) ?? []), a as Answers]);
        for (const [school, a] of bySchool) await storeResponses(db, world.admin, school, a);
        while ((await rollUpResponses(db, batch)) > 0);
        let p = await paths();
        expectSame(await rolled(), expected(bySchool, (s) => p.get(s)!));
        if (move) {
          // The first school changes district and back; the counts above it follow.
          await moveOrg(db, { actor, ip: null } as never, world.schools[0].id, world.d2.id);
          p = await paths();
          expectSame(await rolled(), expected(bySchool, (s) => p.get(s)!));
          await moveOrg(db, { actor, ip: null } as never, world.schools[0].id, world.d1.id);
        }
      }),
      { numRuns: 25 },
    );
  });
});
