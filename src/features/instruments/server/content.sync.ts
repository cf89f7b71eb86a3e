import { and, eq, isNull, sql } from 'drizzle-orm';
import { contentHash } from '../../../server/content-hash.js';
import type { Db } from '../../../server/db/client.js';
import { frameworks } from '../../frameworks/server/frameworks.tables.js';
import { syncShippedTemplates } from '../../plans/server/plans.templates.js';
import { syncShippedLibrary } from '../../resources/server/resources.service.js';
import { elementRefs, readShippedFrameworks, readShippedInstruments } from './content.js';
import { instruments, instrumentVersions } from './instruments.tables.js';

export interface SyncReport {
  frameworks: { added: number; updated: number };
  instruments: { added: number };
  warnings: string[];
}

/**
 * Brings the shipped frameworks, instruments, plan templates and starter library into the database at start. A shipped framework
 * follows its file until someone edits it here. A shipped instrument version is published, and a
 * published version never changes: a file edited after publishing is reported, not applied (bump
 * the version instead). Invalid files are reported and skipped.
 */
export async function syncShippedContent(db: Db): Promise<SyncReport> {
  const report: SyncReport = { frameworks: { added: 0, updated: 0 }, instruments: { added: 0 }, warnings: [] };
  const fw = readShippedFrameworks();
  for (const f of fw) {
    if (!f.definition || f.issues.some((i) => i.severity === 'error')) {
      report.warnings.push(`Skipped ${f.file}: ${f.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
      continue;
    }
    const hash = contentHash(f.definition);
    const [row] = await db.select().from(frameworks).where(eq(frameworks.id, f.definition.id));
    if (!row) {
      await db.insert(frameworks).values({ id: f.definition.id, definition: f.definition, contentHash: hash });
      report.frameworks.added++;
    } else if (row.ownerOrgId === null && row.editedAt === null && row.contentHash !== hash) {
      await db.update(frameworks).set({ definition: f.definition, contentHash: hash, updatedAt: sql`now()` }).where(and(eq(frameworks.id, row.id), isNull(frameworks.editedAt)));
      report.frameworks.updated++;
    }
  }
  const tags = elementRefs(fw.flatMap((f) => (f.definition ? [f.definition] : [])));
  for (const entry of readShippedInstruments(undefined, tags)) {
    const def = entry.definition;
    if (!def || entry.issues.some((i) => i.severity === 'error')) {
      report.warnings.push(`Skipped ${entry.file}: ${entry.issues.filter((i) => i.severity === 'error').map((i) => `${i.path} ${i.message}`).join('; ')}`);
      continue;
    }
    const hash = contentHash(def);
    const [owner] = await db.select({ ownerOrgId: instruments.ownerOrgId }).from(instruments).where(eq(instruments.id, def.id));
    if (owner && owner.ownerOrgId !== null) {
      report.warnings.push(`Skipped ${entry.file}: an organisation's own instrument already uses the id "${def.id}".`);
      continue;
    }
    const [existing] = await db.select().from(instrumentVersions).where(and(eq(instrumentVersions.instrumentId, def.id), eq(instrumentVersions.version, def.version)));
    if (existing) {
      if (existing.contentHash !== hash) report.warnings.push(`${entry.file} changed after it was published; published versions never change. Give the change a new version number.`);
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.insert(instruments).values({ id: def.id, kind: def.kind, audience: def.audience }).onConflictDoNothing();
      await tx.insert(instrumentVersions).values({ instrumentId: def.id, version: def.version, status: 'published', definition: def, contentHash: hash, publishedAt: sql`now()` });
    });
    report.instruments.added++;
  }
  const known = new Set((await db.select({ id: frameworks.id }).from(frameworks)).map((f) => f.id));
  report.warnings.push(...(await syncShippedTemplates(db, known)));
  report.warnings.push(...(await syncShippedLibrary(db, tags)));
  return report;
}
