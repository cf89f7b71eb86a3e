import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../../server/content-hash.js';
import { countRows, makeWorld } from '../../../server/test/factories.js';
import { signIn, startTestApp, type TestContext } from '../../../server/test/harness.js';
import { frameworks } from '../../frameworks/server/frameworks.tables.js';
import { contentDir } from './content.js';
import { syncShippedContent } from './content.sync.js';
import { instruments, instrumentVersions } from './instruments.tables.js';

let ctx: TestContext;

// What ships, counted from the folders rather than listed, so a new instrument needs no test change.
const instrumentFolders = readdirSync(path.join(contentDir, 'instruments'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const versionFiles = instrumentFolders.flatMap((id) => readdirSync(path.join(contentDir, 'instruments', id)).filter((f) => /^v\d+\.json$/.test(f)).map((f) => ({ id, version: Number(f.slice(1, -5)) })));
const fileOf = <T>(...parts: string[]): T => JSON.parse(readFileSync(path.join(contentDir, ...parts), 'utf8')) as T;

beforeAll(async () => {
  // Loads the shipped content once, as `npm start` does.
  ctx = await startTestApp({}, { content: true });
});
afterAll(() => ctx.close());

async function fwRow(id: string) {
  const [row] = await ctx.db.select().from(frameworks).where(eq(frameworks.id, id));
  return row;
}
async function versionRow(id: string, version: number) {
  const [row] = await ctx.db.select().from(instrumentVersions).where(and(eq(instrumentVersions.instrumentId, id), eq(instrumentVersions.version, version)));
  return row;
}
/** Everything sync may touch, to compare before and after. */
async function snapshot() {
  return {
    frameworks: await ctx.db.select().from(frameworks).orderBy(frameworks.id),
    instruments: await ctx.db.select().from(instruments).orderBy(instruments.id),
    versions: await ctx.db.select().from(instrumentVersions).orderBy(instrumentVersions.instrumentId, instrumentVersions.version),
  };
}

describe('syncShippedContent', () => {
  it('loads the four frameworks and every shipped instrument, each version published', async () => {
    expect((await ctx.db.select({ id: frameworks.id, owner: frameworks.ownerOrgId }).from(frameworks).orderBy(frameworks.id))).toEqual(
      ['connectedness', 'pillars', 'quality', 'wellness'].map((id) => ({ id, owner: null })),
    );
    expect(instrumentFolders.length).toBeGreaterThanOrEqual(8);
    const rows = await ctx.db.select().from(instruments).orderBy(instruments.id);
    expect(rows.map((r) => r.id)).toEqual(instrumentFolders);
    for (const r of rows) expect(r.ownerOrgId, r.id).toBeNull();
    const versions = await ctx.db.select().from(instrumentVersions);
    expect(versions).toHaveLength(versionFiles.length);
    for (const { id, version } of versionFiles) {
      const v = versions.find((x) => x.instrumentId === id && x.version === version);
      expect(v, `${id} v${version}`).toBeDefined();
      expect(v!.status, `${id} v${version}`).toBe('published');
      expect(v!.publishedAt, `${id} v${version}`).toBeInstanceOf(Date);
      expect(v!.contentHash).toBe(contentHash(v!.definition));
    }
    // The stored definitions are the files' (after defaults are applied, so compare what the files say).
    const file = fileOf<{ title: unknown; sections: unknown }>('instruments', 'quality_school', 'v1.json');
    expect((await versionRow('quality_school', 1)).definition).toMatchObject({ title: file.title, sections: file.sections });
    expect((await fwRow('quality')).definition).toEqual(fileOf('frameworks', 'quality.json'));
  });

  it('adds nothing when run again', async () => {
    const before = await snapshot();
    const report = await syncShippedContent(ctx.db);
    expect(report).toEqual({ frameworks: { added: 0, updated: 0 }, instruments: { added: 0 }, warnings: [] });
    expect(await snapshot()).toEqual(before);
    expect(await syncShippedContent(ctx.db)).toEqual(report);
  });

  it('refreshes a shipped framework that nobody edited when its file differs', async () => {
    // A stored hash that no longer matches stands for a file changed since the last start.
    const file = fileOf('frameworks', 'pillars.json');
    await ctx.db.execute(sql`update frameworks set definition = jsonb_set(definition, '{name,en}', '"Old name"'), content_hash = 'stale' where id = 'pillars'`);
    const report = await syncShippedContent(ctx.db);
    expect(report.frameworks).toEqual({ added: 0, updated: 1 });
    const row = await fwRow('pillars');
    expect(row.definition).toEqual(file);
    expect(row.contentHash).toBe(contentHash(file));
    expect(row.editedAt).toBeNull();
  });

  it('no longer overwrites a shipped framework once it was edited here', async () => {
    await ctx.db.execute(sql`update frameworks set definition = jsonb_set(definition, '{name,en}', '"Edited by an operator"'), content_hash = 'edited', edited_at = now() where id = 'quality'`);
    const edited = await fwRow('quality');
    const report = await syncShippedContent(ctx.db);
    expect(report).toEqual({ frameworks: { added: 0, updated: 0 }, instruments: { added: 0 }, warnings: [] });
    expect(await fwRow('quality')).toEqual(edited);
    expect((await fwRow('quality')).definition.name.en).toBe('Edited by an operator');
  });

  it('keeps an operator\'s edit made through the API', async () => {
    const w = await makeWorld(ctx.db);
    const operator = await signIn(ctx.app, w.people.operator.email);
    const current = (await fwRow('wellness')).definition;
    const res = await operator.request('PUT', '/api/frameworks/wellness', { definition: { ...current, name: { en: 'Wellbeing', fr: 'Bien-être', es: 'Bienestar' } } });
    expect(res.statusCode).toBe(200);
    const edited = await fwRow('wellness');
    await syncShippedContent(ctx.db);
    expect(await fwRow('wellness')).toEqual(edited);
    expect((await fwRow('wellness')).definition.name.en).toBe('Wellbeing');
  });

  it('reports a published instrument whose file changed, and does not apply the change', async () => {
    // As if the file had been edited after publishing: the stored hash no longer matches it.
    await ctx.db.execute(sql`update instrument_versions set definition = jsonb_set(definition, '{title,en}', '"As first published"'), content_hash = 'as-first-published'
                             where instrument_id = 'quality_school' and version = 1`);
    const before = await versionRow('quality_school', 1);
    const report = await syncShippedContent(ctx.db);
    expect(report.instruments).toEqual({ added: 0 });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain(path.join('quality_school', 'v1.json'));
    expect(report.warnings[0]).toMatch(/changed after it was published/);
    const after = await versionRow('quality_school', 1);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: 'published', contentHash: 'as-first-published' });
    expect(after.definition.title.en).toBe('As first published');
  });

  it('adds back a shipped instrument missing from the database', async () => {
    await ctx.db.delete(instruments).where(eq(instruments.id, 'pillars_reflection'));
    expect(await countRows(ctx.db, "instrument_versions where instrument_id = 'pillars_reflection'")).toBe(0);
    const report = await syncShippedContent(ctx.db);
    expect(report.instruments).toEqual({ added: 1 });
    expect(await versionRow('pillars_reflection', 1)).toMatchObject({ status: 'published', publishedAt: expect.any(Date) });
    const [row] = await ctx.db.select().from(instruments).where(eq(instruments.id, 'pillars_reflection'));
    expect(row.ownerOrgId).toBeNull();
  });
});
