import { ExpressionError, parseExpression, referencesOf, reservedWords } from './expression.js';
import { type InstrumentDefinition, instrumentDefinition, type Item } from './instrument.schema.js';
import { allItems, allSlots, specOf } from './item-types.js';
import { type LanguageCode, type LocalizedText } from './text.js';

export interface DefinitionIssue {
  /** Where, as a dotted path into the definition (sections.0.items.3.showIf). */
  path: string;
  message: string;
  /** Errors stop publishing; warnings (missing translations) are reported only. */
  severity: 'error' | 'warning';
}

/**
 * Everything that must hold before a version is published, beyond the shape: unique ids, label
 * sets and scale items that exist, show-if and calc expressions that parse and read only earlier
 * answers, skippable survey and demographic questions, and translations for every language.
 * `knownTags`, when given, is the set of framework elements tags may name.
 */
export function validateDefinition(input: unknown, knownTags?: Set<string>): { definition: InstrumentDefinition | null; issues: DefinitionIssue[] } {
  const parsed = instrumentDefinition.safeParse(input);
  if (!parsed.success) {
    return { definition: null, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, severity: 'error' as const })) };
  }
  const def = parsed.data;
  const issues: DefinitionIssue[] = [];
  const error = (path: string, message: string) => issues.push({ path, message, severity: 'error' });

  if (!def.languages.includes(def.defaultLanguage)) error('defaultLanguage', 'The default language must be one of the instrument\'s languages.');
  for (const [name, set] of Object.entries(def.labelSets)) {
    if (set.labels.length !== set.points) error(`labelSets.${name}.labels`, `A ${set.points}-point label set needs ${set.points} labels, not ${set.labels.length}.`);
    if (set.favorableFrom !== undefined && set.favorableFrom > set.points) error(`labelSets.${name}.favorableFrom`, 'Favourable answers must start within the scale.');
  }

  if (knownTags) for (const tag of def.tags ?? []) if (!knownTags.has(tag)) error('tags', `No framework element "${tag}".`);

  const sectionIds = new Set<string>();
  const itemIds = new Set<string>();
  const slots = new Map(allSlots(def).map((s) => [s.id, s]));
  // Every item, so that a later one is reported as later, not as missing.
  const items = new Map(allItems(def).map(({ item }) => [item.id, item]));
  // Slots and items answered before the current point, for show-if ordering.
  const before = new Set<string>();
  const checkExpression = (path: string, src: string | undefined, known: Set<string>, what: string) => {
    if (!src) return;
    try {
      for (const ref of referencesOf(parseExpression(src))) {
        const item = items.get(ref);
        if (!slots.has(ref) && !item) error(path, `${what} names "${ref}", which is not a question of this instrument.`);
        // A note or a whole matrix has no value of its own: the expression would read nothing, always.
        else if (!slots.has(ref) && item?.type !== 'calc') error(path, `${what} names "${ref}", which takes no answer${item?.type === 'matrix' ? `; name a row, as "${ref}.${item.rows[0].id}"` : ''}.`);
        else if (!known.has(ref)) error(path, `${what} reads "${ref}", which comes later; it can only read earlier answers.`);
      }
    } catch (e) {
      if (e instanceof ExpressionError) error(path, `${what}: ${e.message} (at character ${e.position + 1})`);
      else throw e;
    }
  };

  def.sections.forEach((section, si) => {
    const sp = `sections.${si}`;
    if (sectionIds.has(section.id)) error(`${sp}.id`, `Another section is already called "${section.id}".`);
    sectionIds.add(section.id);
    checkExpression(`${sp}.showIf`, section.showIf, before, 'The condition');
    section.items.forEach((item, ii) => {
      const ip = `${sp}.items.${ii}`;
      if (itemIds.has(item.id)) error(`${ip}.id`, `Another question is already called "${item.id}".`);
      if ((reservedWords as readonly string[]).includes(item.id)) error(`${ip}.id`, `"${item.id}" is a word of the condition language; choose another id.`);
      itemIds.add(item.id);
      checkExpression(`${ip}.showIf`, item.showIf, before, 'The condition');
      checkItem(def, item, ip, error);
      if (item.type === 'calc') checkExpression(`${ip}.expression`, item.expression, before, 'The calculation');
      if (def.kind === 'survey' && item.required) error(`${ip}.required`, 'Every survey question must be skippable.');
      if ('demographic' in item && item.demographic && item.required) error(`${ip}.required`, 'Demographic questions are always skippable.');
      if (knownTags) for (const tag of item.tags ?? []) if (!knownTags.has(tag)) error(`${ip}.tags`, `No framework element "${tag}".`);
      if (knownTags && item.type === 'matrix')
        item.rows.forEach((row, ri) => {
          for (const tag of row.tags ?? []) if (!knownTags.has(tag)) error(`${ip}.rows.${ri}.tags`, `No framework element "${tag}".`);
        });
      before.add(item.id);
      for (const s of specOf(item).slots(item)) before.add(s.id);
    });
  });

  const scaleIds = new Set<string>();
  def.scales.forEach((scale, i) => {
    const p = `scales.${i}`;
    if (scaleIds.has(scale.id)) error(`${p}.id`, `Another scale is already called "${scale.id}".`);
    scaleIds.add(scale.id);
    for (const id of scale.items) {
      const slot = slots.get(id);
      if (!slot) error(`${p}.items`, `The scale names "${id}", which is not a question of this instrument.`);
      else if (slot.kind !== 'ordinal') error(`${p}.items`, `"${id}" is not answered on a scale, so it cannot be scored.`);
    }
    if (new Set(scale.items).size !== scale.items.length) error(`${p}.items`, 'A question is listed twice in the scale.');
    for (const id of scale.reverse ?? []) if (!scale.items.includes(id)) error(`${p}.reverse`, `"${id}" is reverse-coded but not in the scale.`);
    const bands = [...(scale.bands ?? [])].sort((a, b) => a.min - b.min);
    bands.forEach((b, bi) => {
      if (b.min > b.max) error(`${p}.bands`, `Band "${b.id}" starts above its end.`);
      if (bi > 0 && b.min <= bands[bi - 1].max) error(`${p}.bands`, `Bands "${bands[bi - 1].id}" and "${b.id}" overlap.`);
    });
    if (knownTags) for (const tag of scale.tags ?? []) if (!knownTags.has(tag)) error(`${p}.tags`, `No framework element "${tag}".`);
  });

  for (const t of missingTranslations(def)) issues.push({ path: t.path, message: `No ${languageNames[t.language]} text.`, severity: 'warning' });
  return { definition: def, issues };
}

function checkItem(def: InstrumentDefinition, item: Item, path: string, error: (path: string, message: string) => void): void {
  if ((item.type === 'likert' || item.type === 'matrix') && !def.labelSets[item.labelSet]) error(`${path}.labelSet`, `There is no label set "${item.labelSet}".`);
  if (item.type === 'rating' && item.min >= item.max) error(`${path}.max`, 'The top of the scale must be above its bottom.');
  if (item.type === 'number' && item.min !== undefined && item.max !== undefined && item.min > item.max) error(`${path}.max`, 'The largest value must not be below the smallest.');
  if (item.type === 'date' && item.min !== undefined && item.max !== undefined && item.min > item.max) error(`${path}.max`, 'The latest date must not be before the earliest.');
  if (item.type === 'single_choice' || item.type === 'multiple_choice') {
    const values = item.choices.map((c) => c.value);
    if (new Set(values).size !== values.length) error(`${path}.choices`, 'Two choices have the same value.');
    if (values.includes('PNS') || values.includes('NA') || values.includes('DK')) error(`${path}.choices`, 'NA, DK and PNS are kept for "not applicable", "don\'t know" and "prefer not to say".');
  }
  if (item.type === 'multiple_choice' && item.minSelect !== undefined && item.maxSelect !== undefined && item.minSelect > item.maxSelect) error(`${path}.maxSelect`, 'The most choices must not be below the fewest.');
  if (item.type === 'matrix') {
    const rows = item.rows.map((r) => r.id);
    if (new Set(rows).size !== rows.length) error(`${path}.rows`, 'Two rows have the same id.');
  }
}

const languageNames: Record<LanguageCode, string> = { en: 'English', fr: 'French', es: 'Spanish' };

/** Every text of the definition that lacks one of its languages, with where it is. */
export function missingTranslations(def: InstrumentDefinition): { path: string; language: LanguageCode }[] {
  const out: { path: string; language: LanguageCode }[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}.${i}`));
    if (!value || typeof value !== 'object') return;
    if (isLocalized(value)) {
      for (const lang of def.languages) if (!(value as LocalizedText)[lang]) out.push({ path, language: lang });
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
  };
  visit(def, '');
  return out;
}

function isLocalized(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === 'en' || k === 'fr' || k === 'es') && Object.values(value).every((v) => typeof v === 'string');
}
