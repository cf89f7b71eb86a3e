import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../../server/db/client.js';
import type { InstrumentDefinition } from '../../instruments/model/instrument.schema.js';
import { allSlots, specOf } from '../../instruments/model/item-types.js';
import { instrumentVersions } from '../../instruments/server/instruments.tables.js';
import { surveyLayouts, surveyScaleItems } from './surveys.tables.js';
import { and, eq } from 'drizzle-orm';

/** Rated (ordinal) answer slots in the order responses store them in their ratings array. */
export function ratedSlots(def: InstrumentDefinition): string[] {
  return allSlots(def)
    .filter((s) => s.kind === 'ordinal')
    .map((s) => s.id);
}

/** The rows that describe an instrument version's scales to the roll-up (see survey_scale_items). */
export function scaleItemRows(def: InstrumentDefinition): (typeof surveyScaleItems.$inferInsert)[] {
  const rated = ratedSlots(def);
  const ranges = new Map(allSlots(def).map((s) => [s.id, specOf(s.item).range?.(s.item as never, { labelSets: def.labelSets }) ?? null]));
  return def.scales.flatMap((scale, i) => {
    const reverse = new Set(scale.reverse ?? []);
    const bands = [...(scale.bands ?? [])].sort((a, b) => a.min - b.min);
    return scale.items.flatMap((slotId) => {
      const place = rated.indexOf(slotId);
      const range = ranges.get(slotId);
      // A scale item that is not rated (or unknown) counts for nothing, as in scoreScale.
      if (place < 0 || !range) return [];
      return [
        {
          instrumentId: def.id,
          instrumentVersion: def.version,
          scale: i + 1,
          item: place + 1,
          reverse: reverse.has(slotId),
          lo: range.min,
          hi: range.max,
          favFrom: range.favorableFrom,
          method: scale.method,
          minAnswered: scale.minAnswered ?? 0.5,
          itemCount: scale.items.length,
          bandMins: bands.map((b) => b.min),
          bandMax: bands.length ? bands[bands.length - 1].max : null,
        },
      ];
    });
  });
}

/**
 * Describes to the roll-up every instrument version an administration uses and that is not
 * described yet. Cheap when there is nothing to do (one query over administrations).
 */
export async function ensureLayouts(db: DbOrTx): Promise<void> {
  const missing = await queryRows<{ instrument_id: string; instrument_version: number }>(
    db,
    sql`select distinct a.instrument_id, a.instrument_version from survey_administrations a
        where not exists (select 1 from survey_layouts l where l.instrument_id = a.instrument_id and l.instrument_version = a.instrument_version)`,
  );
  for (const m of missing) {
    const [v] = await db
      .select({ definition: instrumentVersions.definition })
      .from(instrumentVersions)
      .where(and(eq(instrumentVersions.instrumentId, m.instrument_id), eq(instrumentVersions.version, m.instrument_version)));
    if (!v) continue;
    const rows = scaleItemRows(v.definition);
    if (rows.length) await db.insert(surveyScaleItems).values(rows).onConflictDoNothing();
    await db.insert(surveyLayouts).values({ instrumentId: m.instrument_id, instrumentVersion: m.instrument_version, rated: ratedSlots(v.definition) }).onConflictDoNothing();
  }
}
