import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../server/db/client.js';
import { createTestDatabase } from '../../../server/test/test-db.js';
import { rollUpResponses } from './surveys.rollup.js';
import { type ResponseRow, responseColumns, responseValues } from './surveys.writer.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** Counts per school, item, value and group, straight from the responses (no roll-up). */
async function fromResponses() {
  return queryRows<{ org_id: number; item: number; value: number; dim: string; grp: string; n: number }>(
    database.db,
    sql`with cells as (
          select org_id, ratings, '' as dim, '' as grp from survey_responses
          union all
          select r.org_id, r.ratings, g.key, v.grp from survey_responses r cross join lateral jsonb_each(r.groups) g
          cross join lateral jsonb_array_elements_text(case jsonb_typeof(g.value) when 'array' then g.value else jsonb_build_array(g.value) end) v(grp))
        select org_id, x.ord::int as item, x.v::int as value, dim, grp, count(*)::int as n
        from cells cross join lateral unnest(ratings) with ordinality x(v, ord) where x.v is not null group by 1, 2, 3, 4, 5
        union all select org_id, 0, 0, dim, grp, count(*)::int from cells group by 1, 4, 5
        order by 1, 2, 3, 4, 5`,
  );
}

describe('survey roll-up', () => {
  it('equals the counts made straight from the responses, batch after batch, for random data', async () => {
    const fc = (await import('fast-check')).default;
    const rating = fc.option(fc.constantFrom(1, 2, 3, 4, 5, -1, -3), { nil: null });
    const response = fc.record({
      orgId: fc.constantFrom(101, 102, 103),
      ratings: fc.array(rating, { minLength: 6, maxLength: 6 }),
      grade: fc.option(fc.constantFrom('g6', 'g7', 'PNS'), { nil: undefined }),
      groups: fc.option(fc.subarray(['newcomer', 'disability', 'none']), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(response, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 15 }), async (list, batch) => {
        await database.db.execute(sql`delete from survey_responses`);
        await database.db.execute(sql`delete from survey_item_counts`);
        const rows: ResponseRow[] = list.map((r) => ({
          administrationId: 1, orgId: r.orgId, stateId: null, instrumentVersion: 1, language: 'en', submissionId: randomUUID(), ratings: r.ratings,
          groups: { ...(r.grade ? { grade: r.grade } : {}), ...(r.groups ? { self_described_group: r.groups } : {}) }, other: {}, blank: false, submittedOn: '2026-11-22',
        }));
        await database.db.execute(sql`insert into survey_responses (${responseColumns}) values ${sql.join(rows.map((r) => sql`(${responseValues(r)})`), sql`, `)}`);
        // Counted in batches of any size: the sum is the same as counting at once.
        while ((await rollUpResponses(database.db, batch)) > 0);
        const rolled = await queryRows<{ org_id: number; item: number; value: number; dim: string; grp: string; n: number }>(
          database.db,
          sql`select org_id, item::int, value::int, dim, grp, n from survey_item_counts order by 1, 2, 3, 4, 5`,
        );
        expect(rolled).toEqual(await fromResponses());
      }),
      { numRuns: 40 },
    );
  });
});
