import { and, eq, sql } from 'drizzle-orm';
import { assessmentAnswers, assessments, assessmentScores } from '../../features/assessments/server/assessments.tables.js';
import { validateAnswers } from '../../features/instruments/model/answers.js';
import type { InstrumentDefinition, Item } from '../../features/instruments/model/instrument.schema.js';
import { allSlots, type AnswerValue, specOf } from '../../features/instruments/model/item-types.js';
import { scoreAll } from '../../features/instruments/model/scoring.js';
import { loadPublishedDefinition } from '../../features/instruments/server/instruments.service.js';
import { organizations } from '../../features/organizations/server/organizations.tables.js';
import type { Tx } from '../db/client.js';

/** A small seeded random generator, so the demo is the same on every machine. */
/** A small seeded generator: the demo is the same on every machine. */
export function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A plausible answer for every answerable slot; `lean` (0–1) is how far along the school is. */
function answersFor(def: InstrumentDefinition, rnd: () => number, lean: number, enrolment: number): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {};
  for (const slot of allSlots(def)) {
    const item = slot.item as Item;
    if (!specOf(item).answerable || rnd() < 0.04) continue;
    const range = specOf(item).range?.(item as never, { labelSets: def.labelSets });
    if (slot.kind === 'ordinal' && range) {
      if ('dontKnow' in item && item.dontKnow && rnd() < 0.05) out[slot.id] = 'DK';
      else out[slot.id] = Math.max(range.min, Math.min(range.max, Math.round(range.min + lean * (range.max - range.min) + (rnd() - 0.5) * 2.2)));
    } else if (item.type === 'single_choice') out[slot.id] = item.choices[Math.floor(rnd() * item.choices.length)].value;
    else if (item.type === 'multiple_choice') out[slot.id] = [...new Set([0, 1].map(() => item.choices[Math.floor(rnd() * item.choices.length)].value))];
    else if (item.type === 'yes_no') out[slot.id] = rnd() < 0.3 + lean * 0.6;
    else if (item.type === 'number') {
      if (item.id === 'enrolment') out[slot.id] = enrolment;
      else {
        const max = Math.min(item.max ?? 10, 3);
        const v = Math.round(rnd() * max * (0.5 + lean) * 2) / 2;
        out[slot.id] = Math.max(item.min ?? 0, item.integer ? Math.round(v) : v);
      }
    }
  }
  return out;
}

/**
 * Two school years of team assessments for the demo: a profile and a quality self-assessment for
 * most schools, most submitted, some under way this year, a few never started, so every dashboard
 * shows something real.
 */
export async function seedDemoAssessments(tx: Tx, opts: { currentYear: string; startedBy: number }): Promise<number> {
  const defs = (await Promise.all(['school_mh_profile', 'quality_school'].map((id) => loadPublishedDefinition(tx as never, id, 1)))).filter((d): d is InstrumentDefinition => !!d);
  if (defs.length === 0) return 0;
  const first = Number(opts.currentYear.slice(0, 4));
  const years = [`${first - 1}-${first}`, opts.currentYear];
  const schools = await tx.select().from(organizations).where(and(eq(organizations.kind, 'school'), eq(organizations.status, 'active')));
  let created = 0;
  for (const school of schools) {
    // One school in nine has never started, so "never" shows on the dashboards too.
    if (school.id % 9 === 0) continue;
    const rnd = random(school.id * 7919);
    const lean = 0.25 + rnd() * 0.55;
    for (const [yi, year] of years.entries()) {
      for (const def of defs) {
        const roll = rnd();
        // Last year: nine schools in ten finished. This year: seven submitted, two under way, one not started.
        const status = yi === 0 ? (roll < 0.9 ? 'submitted' : null) : roll < 0.7 ? 'submitted' : roll < 0.88 ? 'in_progress' : null;
        if (!status) continue;
        const raw = answersFor(def, rnd, Math.min(1, lean + yi * 0.08), school.enrolment ?? 400);
        const { answers } = validateAnswers(def, raw);
        const [row] = await tx
          .insert(assessments)
          .values({ orgId: school.id, stateId: school.stateId, instrumentId: def.id, instrumentVersion: def.version, schoolYear: year, term: 'full_year', status, startedBy: opts.startedBy, submittedBy: status === 'submitted' ? opts.startedBy : null, submittedAt: status === 'submitted' ? sql`now()` : null })
          .returning({ id: assessments.id });
        const kept = status === 'submitted' ? answers : Object.fromEntries(Object.entries(answers).slice(0, Math.floor(Object.keys(answers).length / 2)));
        const entries = Object.entries(kept);
        if (entries.length) await tx.insert(assessmentAnswers).values(entries.map(([slotId, value]) => ({ assessmentId: row.id, slotId, value, updatedBy: opts.startedBy })));
        if (status === 'submitted') {
          const scores = scoreAll(def, answers);
          if (scores.length) await tx.insert(assessmentScores).values(scores.map((s) => ({ assessmentId: row.id, scaleId: s.scaleId, score: s.score, band: s.band, answered: s.answered, total: s.total })));
        }
        created++;
      }
    }
  }
  return created;
}
