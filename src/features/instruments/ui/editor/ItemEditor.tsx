import { ActionIcon, Button, Checkbox, Group, MultiSelect, NativeSelect, NumberInput, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ExpressionError, parseExpression } from '../../model/expression.js';
import { demographicKinds, type InstrumentDefinition, type Item, type ItemType } from '../../model/instrument.schema.js';
import { itemTypes } from '../../model/item-types.js';
import type { LanguageCode } from '../../model/text.js';
import type { DefinitionIssue } from '../../model/validate.js';
import { messagesAt, type Path } from './editor-state.js';
import { LocalizedField } from './LocalizedField.js';

const typeNames = Object.keys(itemTypes) as ItemType[];

/** A new item of another type that keeps what the old one shared (id, text, help, logic, tags). */
export function retype(item: Item, type: ItemType, def: InstrumentDefinition): Item {
  const base = { id: item.id, text: item.text, help: item.help, showIf: item.showIf, tags: item.tags };
  const labelSet = Object.keys(def.labelSets)[0] ?? 'agree5';
  const choices = 'choices' in item ? item.choices : [{ value: 'a', label: { [def.defaultLanguage]: 'A' } }, { value: 'b', label: { [def.defaultLanguage]: 'B' } }];
  switch (type) {
    case 'likert':
      return { ...base, type, labelSet };
    case 'rating':
      return { ...base, type, min: 1, max: 6 };
    case 'single_choice':
    case 'multiple_choice':
      return { ...base, type, choices };
    case 'matrix':
      return { ...base, type, labelSet, rows: [{ id: 'r1', text: item.text }] };
    case 'calc':
      return { ...base, type, expression: '0' };
    default:
      return { ...base, type } as Item;
  }
}

/** A show-if or calculation box that says at once whether the expression reads. */
function ExpressionInput({ label, value, onChange, error, description }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void; error?: string; description?: string }) {
  let local: string | undefined;
  if (value) {
    try {
      parseExpression(value);
    } catch (e) {
      if (e instanceof ExpressionError) local = `${e.message} (${e.position + 1})`;
    }
  }
  return <TextInput label={label} description={description} ff="monospace" value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value || undefined)} error={local ?? error} />;
}

export function ItemEditor({ item, path, def, issues, tagOptions, onChange, onRemove, onMove }: {
  item: Item;
  path: Path;
  def: InstrumentDefinition;
  issues: DefinitionIssue[];
  tagOptions: { group: string; items: { value: string; label: string }[] }[];
  onChange: (item: Item) => void;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const { t } = useTranslation();
  const langs = def.languages as LanguageCode[];
  const err = (...p: Path) => messagesAt(issues, [...path, ...p]);
  const set = (patch: Partial<Item>) => onChange({ ...item, ...patch } as Item);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group align="flex-end" justify="space-between">
          <Group align="flex-end">
            <TextInput label={t('editor.id')} value={item.id} onChange={(e) => set({ id: e.currentTarget.value })} error={err('id')} w={200} ff="monospace" />
            <NativeSelect label={t('editor.type')} value={item.type} onChange={(e) => onChange(retype(item, e.currentTarget.value as ItemType, def))} data={typeNames.map((x) => ({ value: x, label: t(`editor.types.${x}`) }))} />
          </Group>
          <Group gap={4}>
            <ActionIcon variant="subtle" color="dark" aria-label={t('editor.moveUp', { id: item.id })} onClick={() => onMove(-1)}>
              <span aria-hidden="true">↑</span>
            </ActionIcon>
            <ActionIcon variant="subtle" color="dark" aria-label={t('editor.moveDown', { id: item.id })} onClick={() => onMove(1)}>
              <span aria-hidden="true">↓</span>
            </ActionIcon>
            <Button size="xs" variant="subtle" color="red" onClick={onRemove}>
              {t('editor.removeItem')}
            </Button>
          </Group>
        </Group>
        <LocalizedField label={t('editor.text')} value={item.text} languages={langs} onChange={(v) => set({ text: v ?? { [def.defaultLanguage]: '' } })} error={err('text')} required multiline />
        <LocalizedField label={t('editor.help')} value={item.help} languages={langs} onChange={(v) => set({ help: v })} />
        <TypeFields item={item} def={def} err={err} set={set} />
        <ExpressionInput label={t('editor.showIf')} description={t('editor.showIfHelp')} value={item.showIf} onChange={(v) => set({ showIf: v })} error={err('showIf')} />
        {item.type === 'calc' && <ExpressionInput label={t('editor.expression')} value={item.expression} onChange={(v) => set({ expression: v ?? '' } as Partial<Item>)} error={err('expression')} />}
        <MultiSelect label={t('editor.tags')} data={tagOptions} value={item.tags ?? []} onChange={(v) => set({ tags: v.length ? v : undefined })} searchable error={err('tags')} />
        {def.kind !== 'survey' && item.type !== 'note' && item.type !== 'calc' && <Checkbox label={t('editor.required')} checked={!!item.required} onChange={(e) => set({ required: e.currentTarget.checked || undefined })} />}
      </Stack>
    </Paper>
  );
}

function TypeFields({ item, def, err, set }: { item: Item; def: InstrumentDefinition; err: (...p: Path) => string | undefined; set: (patch: Partial<Item>) => void }) {
  const { t } = useTranslation();
  const langs = def.languages as LanguageCode[];
  const labelSets = Object.keys(def.labelSets).map((k) => ({ value: k, label: `${k} (${def.labelSets[k].points})` }));
  const flags = (
    <Group>
      {'notApplicable' in item || item.type === 'likert' || item.type === 'matrix' ? (
        <Checkbox label={t('editor.allowNA')} checked={!!(item as { notApplicable?: boolean }).notApplicable} onChange={(e) => set({ notApplicable: e.currentTarget.checked || undefined } as Partial<Item>)} />
      ) : null}
      {['likert', 'matrix', 'rating', 'yes_no', 'number'].includes(item.type) && (
        <Checkbox label={t('editor.allowDK')} checked={!!(item as { dontKnow?: boolean }).dontKnow} onChange={(e) => set({ dontKnow: e.currentTarget.checked || undefined } as Partial<Item>)} />
      )}
    </Group>
  );
  switch (item.type) {
    case 'likert':
      return (
        <>
          <NativeSelect label={t('editor.labelSet')} value={item.labelSet} data={labelSets} onChange={(e) => set({ labelSet: e.currentTarget.value })} error={err('labelSet')} />
          {flags}
        </>
      );
    case 'rating':
      return (
        <>
          <Group grow>
            <NumberInput label={t('editor.min')} value={item.min} min={0} max={10} onChange={(v) => set({ min: Number(v) || 0 })} error={err('min')} />
            <NumberInput label={t('editor.max')} value={item.max} min={1} max={100} onChange={(v) => set({ max: Number(v) || 1 })} error={err('max')} />
          </Group>
          <LocalizedField label={t('editor.minLabel')} value={item.minLabel} languages={langs} onChange={(v) => set({ minLabel: v })} />
          <LocalizedField label={t('editor.maxLabel')} value={item.maxLabel} languages={langs} onChange={(v) => set({ maxLabel: v })} />
          {flags}
        </>
      );
    case 'single_choice':
    case 'multiple_choice':
      return (
        <>
          <ChoicesEditor item={item} langs={langs} set={set} error={err('choices')} />
          <NativeSelect
            label={t('editor.demographic')}
            value={item.demographic ?? ''}
            onChange={(e) => set({ demographic: (e.currentTarget.value || undefined) as never })}
            data={[{ value: '', label: t('editor.notDemographic') }, ...demographicKinds.map((k) => ({ value: k, label: t(`editor.demographics.${k}`) }))]}
          />
        </>
      );
    case 'number':
      return (
        <>
          <Group grow>
            <NumberInput label={t('editor.min')} value={item.min ?? ''} onChange={(v) => set({ min: typeof v === 'number' ? v : undefined })} />
            <NumberInput label={t('editor.max')} value={item.max ?? ''} onChange={(v) => set({ max: typeof v === 'number' ? v : undefined })} error={err('max')} />
          </Group>
          <Checkbox label={t('editor.integer')} checked={!!item.integer} onChange={(e) => set({ integer: e.currentTarget.checked || undefined })} />
          <LocalizedField label={t('editor.unit')} value={item.unit} languages={langs} onChange={(v) => set({ unit: v })} />
          {flags}
        </>
      );
    case 'text':
      return <Checkbox label={t('editor.multiline')} checked={!!item.multiline} onChange={(e) => set({ multiline: e.currentTarget.checked || undefined })} />;
    case 'yes_no':
      return flags;
    case 'matrix':
      return (
        <>
          <NativeSelect label={t('editor.labelSet')} value={item.labelSet} data={labelSets} onChange={(e) => set({ labelSet: e.currentTarget.value })} error={err('labelSet')} />
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              {t('editor.rows')}
            </Text>
            {item.rows.map((r, i) => (
              <Group key={i} align="flex-start" wrap="nowrap">
                <TextInput label={t('editor.id')} value={r.id} w={140} ff="monospace" onChange={(e) => set({ rows: item.rows.map((x, j) => (j === i ? { ...x, id: e.currentTarget.value } : x)) })} />
                <LocalizedField label={t('editor.rowText')} value={r.text} languages={langs} onChange={(v) => set({ rows: item.rows.map((x, j) => (j === i ? { ...x, text: v ?? { [def.defaultLanguage]: '' } } : x)) })} />
                <Button size="xs" variant="subtle" color="red" mt={24} onClick={() => set({ rows: item.rows.filter((_, j) => j !== i) })}>
                  {t('editor.remove')}
                </Button>
              </Group>
            ))}
            <Button size="xs" variant="light" w="fit-content" onClick={() => set({ rows: [...item.rows, { id: `r${item.rows.length + 1}`, text: { [def.defaultLanguage]: '' } }] })}>
              {t('editor.addRow')}
            </Button>
            {err('rows') && <Text c="red.8" size="sm">{err('rows')}</Text>}
          </Stack>
          {flags}
        </>
      );
    default:
      return null;
  }
}

function ChoicesEditor({ item, langs, set, error }: { item: Extract<Item, { choices: unknown }>; langs: LanguageCode[]; set: (patch: Partial<Item>) => void; error?: string }) {
  const { t } = useTranslation();
  const choices = item.choices;
  const update = (next: typeof choices) => set({ choices: next } as Partial<Item>);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('editor.choices')}
      </Text>
      {choices.map((c, i) => (
        <Group key={i} align="flex-start" wrap="nowrap">
          <TextInput label={t('editor.value')} value={c.value} w={140} ff="monospace" onChange={(e) => update(choices.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))} />
          <LocalizedField label={t('editor.choiceLabel')} value={c.label} languages={langs} onChange={(v) => update(choices.map((x, j) => (j === i ? { ...x, label: v ?? { [langs[0]]: '' } } : x)))} />
          <Button size="xs" variant="subtle" color="red" mt={24} onClick={() => update(choices.filter((_, j) => j !== i))} aria-label={t('editor.removeChoice', { value: c.value })}>
            {t('editor.remove')}
          </Button>
        </Group>
      ))}
      <Button size="xs" variant="light" w="fit-content" onClick={() => update([...choices, { value: `c${choices.length + 1}`, label: { [langs[0]]: '' } }])}>
        {t('editor.addChoice')}
      </Button>
      {error && (
        <Text c="red.8" size="sm">
          {error}
        </Text>
      )}
    </Stack>
  );
}
