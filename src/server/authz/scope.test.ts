import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/permissions.js';
import { type Database, queryRows } from '../db/client.js';
import { AppError } from '../http/errors.js';
import { createTestDatabase } from '../test/test-db.js';
import { type Actor, assertCan, can, inScope, inScopeFor, likePrefix, roleAt } from './scope.js';

// A hand-built tree: network 1 > state 2 > district 3 > schools 4 and 5; state 23 is a sibling
// of state 2 whose path starts with the same digit ('/1/23/' vs '/1/2/').
const network = { path: '/1/' };
const state = { path: '/1/2/' };
const district = { path: '/1/2/3/' };
const school4 = { path: '/1/2/3/4/' };
const school5 = { path: '/1/2/3/5/' };
const state23 = { path: '/1/23/' };
const school24 = { path: '/1/23/24/' };

function actor(...grants: [Role, string][]): Actor {
  return {
    userId: 1,
    email: 'a@example.test',
    isOperator: false,
    grants: grants.map(([role, path], i) => ({ membershipId: i + 1, orgId: Number(path.split('/').at(-2)), role, path })),
  };
}
const operator: Actor = { userId: 9, email: 'op@example.test', isOperator: true, grants: [] };
const nobody = actor();

describe('roleAt', () => {
  it('applies a role to its organisation and everything below, never above', () => {
    const a = actor(['coordinator', district.path]);
    expect(roleAt(a, district.path)).toBe('coordinator');
    expect(roleAt(a, school4.path)).toBe('coordinator');
    expect(roleAt(a, state.path)).toBeNull();
    expect(roleAt(a, network.path)).toBeNull();
  });

  it('does not confuse a sibling whose id starts with the same digits', () => {
    const a = actor(['admin', state.path]);
    expect(roleAt(a, state23.path)).toBeNull();
    expect(roleAt(a, school24.path)).toBeNull();
  });

  it('takes the strongest role along the path', () => {
    const a = actor(['viewer', school4.path], ['coordinator', district.path], ['member', state.path]);
    expect(roleAt(a, school4.path)).toBe('coordinator');
    expect(roleAt(a, school5.path)).toBe('coordinator');
    expect(roleAt(a, state.path)).toBe('member');
    const b = actor(['admin', school4.path], ['viewer', network.path]);
    expect(roleAt(b, school4.path)).toBe('admin');
    expect(roleAt(b, school5.path)).toBe('viewer');
  });

  it('gives operators admin everywhere and people without grants nothing', () => {
    expect(roleAt(operator, school24.path)).toBe('admin');
    expect(roleAt(nobody, network.path)).toBeNull();
  });
});

describe('can', () => {
  it('follows the permission table', () => {
    const viewer = actor(['viewer', school4.path]);
    expect(can(viewer, 'org.read', school4)).toBe(true);
    expect(can(viewer, 'member.read', school4)).toBe(true);
    expect(can(viewer, 'org.update', school4)).toBe(false);
    expect(can(viewer, 'member.invite', school4)).toBe(false);
    const coordinator = actor(['coordinator', district.path]);
    expect(can(coordinator, 'member.invite', school5)).toBe(true);
    expect(can(coordinator, 'partner.link', school5)).toBe(true);
    expect(can(coordinator, 'member.manage', school5)).toBe(false);
    expect(can(coordinator, 'audit.read', district)).toBe(false);
    const admin = actor(['admin', district.path]);
    for (const p of ['org.create', 'org.update', 'org.move', 'org.archive', 'org.import', 'member.manage', 'audit.read'] as const) expect(can(admin, p, school4)).toBe(true);
  });

  it('allows nothing outside the scope', () => {
    const admin = actor(['admin', district.path]);
    expect(can(admin, 'org.read', state)).toBe(false);
    expect(can(admin, 'org.read', state23)).toBe(false);
    expect(can(nobody, 'org.read', school4)).toBe(false);
    expect(can(operator, 'audit.read', school24)).toBe(true);
  });
});

describe('assertCan', () => {
  const codeOf = (fn: () => void): string | null => {
    try {
      fn();
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      return `${(err as AppError).statusCode} ${(err as AppError).code}`;
    }
  };

  it('answers 404 for missing and out-of-scope alike, 403 when visible but not allowed', () => {
    const viewer = actor(['viewer', school4.path]);
    expect(codeOf(() => assertCan(viewer, 'org.read', undefined))).toBe('404 not_found');
    expect(codeOf(() => assertCan(viewer, 'org.read', null))).toBe('404 not_found');
    expect(codeOf(() => assertCan(viewer, 'org.read', school5))).toBe('404 not_found');
    expect(codeOf(() => assertCan(viewer, 'org.update', school5))).toBe('404 not_found');
    expect(codeOf(() => assertCan(viewer, 'org.update', school4))).toBe('403 forbidden');
    expect(codeOf(() => assertCan(viewer, 'org.read', school4))).toBeNull();
  });

  it('uses the same message for missing and out of scope', () => {
    const messageOf = (org: { path: string } | undefined) => {
      try {
        assertCan(actor(['viewer', school4.path]), 'org.read', org, 'Organisation');
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(messageOf(undefined)).toBe(messageOf(school24));
  });
});

describe('likePrefix', () => {
  it('escapes LIKE wildcards and appends %', () => {
    expect(likePrefix('/1/2/')).toBe('/1/2/%');
    expect(likePrefix('a%b_c\\')).toBe('a\\%b\\_c\\\\%');
  });
});

describe('inScope and inScopeFor as SQL', () => {
  const dialect = new PgDialect();
  const render = (q: SQL) => dialect.sqlToQuery(q);
  const col = sql.raw('o.path');

  it('fails closed for no grants and opens for operators', () => {
    expect(render(inScope(nobody, col)).sql).toBe('false');
    expect(render(inScope(operator, col)).sql).toBe('true');
    expect(render(inScopeFor(actor(['viewer', school4.path]), 'org.update', col)).sql).toBe('false');
  });

  it('passes each grant as a bound prefix, never spliced into the SQL text', () => {
    const q = render(inScope(actor(['viewer', school4.path], ['admin', state23.path]), col));
    expect(q.params).toEqual(['/1/2/3/4/%', '/1/23/%']);
    expect(q.sql).not.toContain('/1/');
    const forAdmin = render(inScopeFor(actor(['viewer', school4.path], ['admin', state23.path]), 'audit.read', col));
    expect(forAdmin.params).toEqual(['/1/23/%']);
  });

  describe('run against a database', () => {
    let database: Database;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.close());

    const paths = [network, state, district, school4, school5, state23, school24].map((o) => o.path);
    async function visible(condition: (c: SQL) => SQL): Promise<string[]> {
      const values = sql.join(paths.map((p) => sql`(${p})`), sql`, `);
      const rows = await queryRows<{ path: string }>(database.db, sql`select t.path from (values ${values}) as t(path) where ${condition(sql.raw('t.path'))}`);
      return rows.map((r) => r.path).sort();
    }

    it('keeps exactly the rows at and below the grants', async () => {
      expect(await visible((c) => inScope(actor(['member', district.path]), c))).toEqual(['/1/2/3/', '/1/2/3/4/', '/1/2/3/5/']);
      expect(await visible((c) => inScope(actor(['viewer', state.path]), c))).toEqual(['/1/2/', '/1/2/3/', '/1/2/3/4/', '/1/2/3/5/']);
      expect(await visible((c) => inScope(actor(['viewer', school5.path], ['viewer', state23.path]), c))).toEqual(['/1/2/3/5/', '/1/23/', '/1/23/24/']);
      expect(await visible((c) => inScope(nobody, c))).toEqual([]);
      expect(await visible((c) => inScope(operator, c))).toHaveLength(paths.length);
    });

    it('inScopeFor keeps only the grants that hold the permission', async () => {
      const a = actor(['viewer', state.path], ['admin', school24.path]);
      expect(await visible((c) => inScopeFor(a, 'org.update', c))).toEqual(['/1/23/24/']);
      expect(await visible((c) => inScopeFor(a, 'org.read', c))).toEqual(['/1/2/', '/1/2/3/', '/1/2/3/4/', '/1/2/3/5/', '/1/23/24/']);
    });
  });
});
