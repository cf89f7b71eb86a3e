/**
 * The matching of a past-results file to an instrument, checked before an import runs: which
 * slots a column can fill, which columns can never be imported, what each value becomes, and each
 * row's school. No database here.
 */
import type { z } from 'zod';
import { badRequest } from '../../../server/http/errors.js';
import type { InstrumentDefinition, Item } from '../../instruments/model/instrument.schema.js';
import { allSlots, specOf } from '../../instruments/model/item-types.js';
import type { ImportSchool, ImportTarget, runImportBody } from '../surveys.import.contract.js';
import { acceptable, type Answer, compact, type Reading, readValue, schoolMatcher } from '../surveys.import.mapping.js';
import type { Table } from './surveys.import.parse.js';

export type RunBody = z.output<typeof runImportBody>;
/** What the plan needs of an inspected file. */
export interface Inspected {
  table: Table;
  targets: ImportTarget[];
  def: InstrumentDefinition;
}

/** The answer slots a column can fill: rated items and matrix rows, and demographic questions. */
export function importTargets(def: InstrumentDefinition): ImportTarget[] {
  const out: ImportTarget[] = [];
  for (const slot of allSlots(def)) {
    const item: Item = slot.item;
    const text = slot.rowId && item.type === 'matrix' ? (item.rows.find((r) => r.id === slot.rowId)?.text ?? item.text) : item.text;
    if (slot.kind === 'ordinal') {
      const range = specOf(item).range?.(item, { labelSets: def.labelSets });
      if (!range) continue;
      const points = range.max - range.min + 1;
      const set = 'labelSet' in item ? def.labelSets[item.labelSet] : undefined;
      const labels = set
        ? set.labels.slice(0, points)
        : Array.from({ length: points }, (_, i) => (item.type === 'rating' ? (i === 0 ? item.minLabel : i === points - 1 ? item.maxLabel : undefined) : undefined) ?? null);
      const special = [...('notApplicable' in item && item.notApplicable ? (['NA'] as const) : []), ...('dontKnow' in item && item.dontKnow ? (['DK'] as const) : [])];
      out.push({ id: slot.id, kind: 'rated', text, min: range.min, max: range.max, labels, special, choices: [], demographic: null, multiple: false });
    } else if ((item.type === 'single_choice' || item.type === 'multiple_choice') && item.demographic) {
      out.push({ id: slot.id, kind: 'demographic', text, min: null, max: null, labels: [], special: ['PNS'], choices: item.choices, demographic: item.demographic, multiple: item.type === 'multiple_choice' });
    }
  }
  return out;
}

const IDENTIFIER_NAMES = new Set(['', 'id', 'rowid', 'row', 'rownames', 'rownumber', 'respondent', 'respondentid', 'studentid', 'recordid', 'responseid', 'uuid']);

/** Unnamed, called like an id, or a different value on every row: a row number or a person's id. */
export function isIdentifier(col: Table['columns'][number], rows: number): boolean {
  const key = compact(col.name);
  return IDENTIFIER_NAMES.has(key) || key.startsWith('unnamed') || col.codes === null || (rows >= 20 && col.distinct === rows);
}

/** A column's name, or its place when it has none. */
export const columnLabel = (t: Table, i: number) => t.columns[i].name || `(column ${i + 1}, unnamed)`;

export interface ColumnPlan {
  index: number;
  target: ImportTarget;
  codes: Uint16Array;
  /** What each distinct value of the column becomes. */
  readings: Reading[];
  invalid: Map<number, { count: number; lines: number[] }>;
}

/** The next day after an ISO day. */
export const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Checks the matching of columns before anything runs (each column once, to a slot of the
 * instrument, never an identifier; every explicit answer one the slot takes) and works out what
 * each distinct value of each column becomes.
 * @throws AppError validation_failed (columns | columns.N.column | columns.N.target | columns.N.values)
 */
export function planColumns(upload: Inspected, body: RunBody, schoolColumn: number | null): ColumnPlan[] {
  const { table, targets, def } = upload;
  const slots = new Map(allSlots(def).map((s) => [s.id, s]));
  const seenTargets = new Set<string>();
  const seenColumns = new Set<number>();
  const plans = body.columns.map((c, i): ColumnPlan => {
    const field = `columns.${i}`;
    const col = table.columns[c.column];
    if (!col) throw badRequest(`The file has no column ${c.column + 1}.`, `${field}.column`);
    const name = columnLabel(table, c.column);
    if (c.column === schoolColumn) throw badRequest(`Column "${name}" already gives the school.`, `${field}.column`);
    if (seenColumns.has(c.column)) throw badRequest(`Column "${name}" is matched twice.`, `${field}.column`);
    if (isIdentifier(col, table.rows)) throw badRequest(`Column "${name}" looks like row numbers or identifiers (unnamed, or a different value on every row); it is never imported.`, `${field}.column`);
    const target = targets.find((t) => t.id === c.target);
    if (!target) throw badRequest(`"${c.target}" is not a rated or demographic question of this instrument.`, `${field}.target`);
    if (seenTargets.has(target.id)) throw badRequest(`Two columns are matched to "${target.id}".`, `${field}.target`);
    seenColumns.add(c.column);
    seenTargets.add(target.id);
    const wrong = Object.entries(c.values).find(([, v]) => !acceptable(target, v));
    if (wrong) throw badRequest(`Column "${name}": ${JSON.stringify(wrong[1])} is not an answer "${target.id}" takes (for the value "${wrong[0]}").`, `${field}.values`);
    const slot = slots.get(target.id)!;
    const check = (value: Answer) => specOf(slot.item).check(slot.item, slot, value, { labelSets: def.labelSets }) === null;
    const readings = col.dict.map((raw, code): Reading => {
      if (code === 0) return Object.hasOwn(c.values, '') ? readValue(target, '', c.values) : { kind: 'missing' };
      const r = readValue(target, raw, c.values);
      // The instrument's own check has the last word on what an answer may be.
      return r.kind === 'answer' && !check(r.value) ? { kind: 'invalid' } : r;
    });
    return { index: c.column, target, codes: col.codes!, readings, invalid: new Map() };
  });
  if (!plans.length) throw badRequest('Match at least one column to a question of the instrument.', 'columns');
  return plans;
}

/** Where each row's school comes from: one school, or each distinct value of a column → school id (0: none given). */
export interface SchoolPlan {
  column: number | null;
  bySchoolCode: number[];
  fixed: number | null;
}

/**
 * Checks the school matching: one active school of the organisation, or a column whose every
 * value names one (by the map, else by code or name).
 * @throws AppError validation_failed (school.schoolId | school.column | school.map)
 */
export function planSchools(upload: Inspected, body: RunBody, schools: ImportSchool[], orgName: string): SchoolPlan {
  const known = new Set(schools.map((s) => s.id));
  if ('schoolId' in body.school) {
    if (!known.has(body.school.schoolId)) throw badRequest(`Organisation ${body.school.schoolId} is not an active school of ${orgName}.`, 'school.schoolId');
    return { column: null, bySchoolCode: [], fixed: body.school.schoolId };
  }
  const { column, map } = body.school;
  const col = upload.table.columns[column];
  if (!col) throw badRequest(`The file has no column ${column + 1}.`, 'school.column');
  if (!col.codes) throw badRequest(`Column "${columnLabel(upload.table, column)}" has too many different values to name schools.`, 'school.column');
  const stranger = Object.values(map).find((id) => !known.has(id));
  if (stranger !== undefined) throw badRequest(`Organisation ${stranger} is not an active school of ${orgName}.`, 'school.map');
  // Values named in the map go to that school; the others to the school whose code or name they are.
  const match = schoolMatcher(schools);
  const schoolOf = (v: string) => map[v] ?? match(v);
  const unmatched = col.dict.slice(1).filter((v) => schoolOf(v) === null);
  if (unmatched.length) {
    const shown = unmatched.slice(0, 5).map((v) => `"${v}"`).join(', ');
    throw badRequest(`Choose a school for ${unmatched.length === 1 ? 'this value' : 'these values'} of column "${columnLabel(upload.table, column)}": ${shown}${unmatched.length > 5 ? ` and ${unmatched.length - 5} more` : ''}.`, 'school.map');
  }
  return { column, bySchoolCode: col.dict.map((v, code) => (code === 0 ? 0 : schoolOf(v)!)), fixed: null };
}
