import { Accordion, Alert, Button, Checkbox, Group, MultiSelect, NativeSelect, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { useFrameworksQuery } from '../../../frameworks/ui/frameworks.api.js';
import type { VersionDetail } from '../../instruments.contract.js';
import { audiences, type InstrumentDefinition, type Item, instrumentKinds, type Scale } from '../../model/instrument.schema.js';
import { allSlots } from '../../model/item-types.js';
import { type LanguageCode, languageCodes, pick } from '../../model/text.js';
import { validateDefinition } from '../../model/validate.js';
import { useSaveDraftMutation } from '../instruments.api.js';
import { messagesAt, move, type Path, setIn } from './editor-state.js';
import { ItemEditor } from './ItemEditor.js';
import { LocalizedField } from './LocalizedField.js';

/**
 * The structured editor of a draft: details, label sets, sections and their items, scales. Every
 * change is checked at once with the same rules as publishing; problems show beside their field.
 */
export function InstrumentEditor({ detail }: { detail: VersionDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const [def, setDef] = useState<InstrumentDefinition>(() => structuredClone(detail.definition));
  const [dirty, setDirty] = useState(false);
  const save = useSaveDraftMutation(detail.instrumentId, detail.version);
  const frameworks = useFrameworksQuery();
  const tagOptions = useMemo(
    () => (frameworks.data?.items ?? []).map((f) => ({ group: pick(f.definition.name, lang), items: f.definition.elements.map((e) => ({ value: `${f.id}:${e.id}`, label: pick(e.name, lang) })) })),
    [frameworks.data, lang],
  );
  const knownTags = useMemo(() => new Set(tagOptions.flatMap((g) => g.items.map((i) => i.value))), [tagOptions]);
  const { issues } = useMemo(() => validateDefinition(def, knownTags.size ? knownTags : undefined), [def, knownTags]);
  const errors = issues.filter((i) => i.severity === 'error');
  const langs = def.languages as LanguageCode[];
  const update = (path: Path, value: unknown) => {
    setDef((d) => setIn(d, path, value));
    setDirty(true);
  };
  const err = (...p: Path) => messagesAt(issues, p);
  const ordinalSlots = allSlots(def).filter((s) => s.kind === 'ordinal').map((s) => ({ value: s.id, label: s.id }));

  return (
    <Stack gap="lg">
      <Group justify="space-between" className="editor-bar">
        <Text size="sm" aria-live="polite">
          {errors.length ? t('editor.problems', { count: errors.length }) : t('editor.noProblems')}
          {dirty ? ` · ${t('editor.unsaved')}` : save.isSuccess ? ` · ${t('common.saved')}` : ''}
        </Text>
        <Button
          loading={save.isPending}
          disabled={!dirty}
          onClick={() =>
            save.mutate(def, {
              onSuccess: () => setDirty(false),
            })
          }
        >
          {t('editor.save')}
        </Button>
      </Group>
      <ErrorAlert error={save.error} />

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          {t('editor.details')}
        </Title>
        <Stack>
          <LocalizedField label={t('editor.title')} value={def.title} languages={langs} onChange={(v) => update(['title'], v ?? { [def.defaultLanguage]: '' })} error={err('title')} required />
          <LocalizedField label={t('editor.description')} value={def.description} languages={langs} onChange={(v) => update(['description'], v)} multiline />
          <Group grow align="flex-start">
            <NativeSelect label={t('instruments.kind')} value={def.kind} onChange={(e) => update(['kind'], e.currentTarget.value)} data={instrumentKinds.map((k) => ({ value: k, label: t(`instruments.kinds.${k}`) }))} />
            <NativeSelect label={t('instruments.audience')} value={def.audience} onChange={(e) => update(['audience'], e.currentTarget.value)} data={audiences.map((a) => ({ value: a, label: t(`instruments.audiences.${a}`) }))} />
            <NumberInput label={t('editor.minutes')} value={def.estimatedMinutes ?? ''} min={1} max={240} onChange={(v) => update(['estimatedMinutes'], typeof v === 'number' ? v : undefined)} />
          </Group>
          <Checkbox.Group label={t('editor.languages')} value={def.languages} onChange={(v) => v.length && update(['languages'], languageCodes.filter((l) => v.includes(l)))} error={err('languages')}>
            <Group mt="xs">
              {languageCodes.map((l) => (
                <Checkbox key={l} value={l} label={t(`languageNames.${l}`)} />
              ))}
            </Group>
          </Checkbox.Group>
        </Stack>
      </Paper>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          {t('editor.labelSets')}
        </Title>
        <Stack>
          {Object.entries(def.labelSets).map(([name, set]) => (
            <Paper key={name} withBorder p="sm">
              <Group align="flex-end" mb="xs">
                <Text fw={600} ff="monospace">
                  {name}
                </Text>
                <NumberInput
                  label={t('editor.points')}
                  value={set.points}
                  min={2}
                  max={11}
                  w={120}
                  onChange={(v) => {
                    const points = Math.max(2, Math.min(11, Number(v) || 2));
                    const labels = Array.from({ length: points }, (_, i) => set.labels[i] ?? { [def.defaultLanguage]: String(i + 1) });
                    update(['labelSets', name], { ...set, points, labels });
                  }}
                  error={err('labelSets', name, 'labels')}
                />
              </Group>
              <Stack gap="xs">
                {set.labels.map((l, i) => (
                  <LocalizedField key={i} label={t('editor.pointN', { n: i + 1 })} value={l} languages={langs} onChange={(v) => update(['labelSets', name, 'labels', i], v ?? { [def.defaultLanguage]: String(i + 1) })} />
                ))}
              </Stack>
            </Paper>
          ))}
          <AddLabelSet onAdd={(name) => update(['labelSets', name], { points: 5, labels: ['1', '2', '3', '4', '5'].map((x) => ({ [def.defaultLanguage]: x })) })} existing={Object.keys(def.labelSets)} />
        </Stack>
      </Paper>

      <div>
        <Title order={2} size="h3" mb="sm">
          {t('editor.sections')}
        </Title>
        <Accordion multiple variant="separated" defaultValue={[def.sections[0]?.id ?? '']}>
          {def.sections.map((section, si) => (
            <Accordion.Item key={si} value={section.id || String(si)}>
              <Accordion.Control>
                {pick(section.title, lang, def.defaultLanguage) || section.id} · {t('editor.itemCount', { count: section.items.length })}
                {messagesAt(issues, ['sections', si], true) ? ` · ${t('editor.hasProblems')}` : ''}
              </Accordion.Control>
              <Accordion.Panel>
                <Stack>
                  <Group align="flex-end">
                    <TextInput label={t('editor.id')} value={section.id} ff="monospace" onChange={(e) => update(['sections', si, 'id'], e.currentTarget.value)} error={err('sections', si, 'id')} />
                    <Button size="xs" variant="subtle" onClick={() => update(['sections'], move(def.sections, si, -1))}>
                      {t('editor.sectionUp')}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" disabled={def.sections.length === 1} onClick={() => update(['sections'], def.sections.filter((_, j) => j !== si))}>
                      {t('editor.removeSection')}
                    </Button>
                  </Group>
                  <LocalizedField label={t('editor.sectionTitle')} value={section.title} languages={langs} onChange={(v) => update(['sections', si, 'title'], v ?? { [def.defaultLanguage]: '' })} error={err('sections', si, 'title')} required />
                  {section.items.map((item, ii) => (
                    <ItemEditor
                      key={ii}
                      item={item}
                      path={['sections', si, 'items', ii]}
                      def={def}
                      issues={issues}
                      tagOptions={tagOptions}
                      onChange={(next: Item) => update(['sections', si, 'items', ii], next)}
                      onRemove={() => update(['sections', si, 'items'], section.items.filter((_, j) => j !== ii))}
                      onMove={(by) => update(['sections', si, 'items'], move(section.items, ii, by))}
                    />
                  ))}
                  <Button
                    variant="light"
                    w="fit-content"
                    onClick={() => update(['sections', si, 'items'], [...section.items, { id: uniqueId(def, 'q'), type: 'yes_no', text: { [def.defaultLanguage]: '' } }])}
                  >
                    {t('editor.addItem')}
                  </Button>
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
        <Button mt="sm" variant="light" onClick={() => update(['sections'], [...def.sections, { id: uniqueId(def, 'section'), title: { [def.defaultLanguage]: '' }, items: [] }])}>
          {t('editor.addSection')}
        </Button>
      </div>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          {t('editor.scales')}
        </Title>
        <Stack>
          {def.scales.map((scale, i) => (
            <ScaleEditor key={i} scale={scale} index={i} def={def} slots={ordinalSlots} tagOptions={tagOptions} err={err} update={update} />
          ))}
          <Button
            variant="light"
            w="fit-content"
            onClick={() => update(['scales'], [...def.scales, { id: uniqueId(def, 'scale'), title: { [def.defaultLanguage]: '' }, items: ordinalSlots.slice(0, 1).map((s) => s.value), method: 'mean' }])}
            disabled={ordinalSlots.length === 0}
          >
            {t('editor.addScale')}
          </Button>
        </Stack>
      </Paper>
      {errors.length > 0 && (
        <Alert color="red" title={t('editor.problems', { count: errors.length })}>
          {errors.slice(0, 20).map((e, i) => (
            <Text key={i} size="sm">
              <code>{e.path}</code>: {e.message}
            </Text>
          ))}
        </Alert>
      )}
    </Stack>
  );
}

function uniqueId(def: InstrumentDefinition, prefix: string): string {
  const taken = new Set([...def.sections.map((s) => s.id), ...def.sections.flatMap((s) => s.items.map((i) => i.id)), ...def.scales.map((s) => s.id)]);
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

function AddLabelSet({ onAdd, existing }: { onAdd: (name: string) => void; existing: string[] }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const invalid = name !== '' && (!/^[a-z][a-z0-9_]*$/.test(name) || existing.includes(name));
  return (
    <Group align="flex-end">
      <TextInput label={t('editor.newLabelSet')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={invalid ? t('editor.badName') : undefined} ff="monospace" />
      <Button
        variant="light"
        disabled={!name || invalid}
        onClick={() => {
          onAdd(name);
          setName('');
        }}
      >
        {t('editor.addLabelSet')}
      </Button>
    </Group>
  );
}

function ScaleEditor({ scale, index, def, slots, tagOptions, err, update }: {
  scale: Scale;
  index: number;
  def: InstrumentDefinition;
  slots: { value: string; label: string }[];
  tagOptions: { group: string; items: { value: string; label: string }[] }[];
  err: (...p: Path) => string | undefined;
  update: (path: Path, value: unknown) => void;
}) {
  const { t } = useTranslation();
  const p = (...rest: Path) => ['scales', index, ...rest];
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput label={t('editor.id')} value={scale.id} ff="monospace" onChange={(e) => update(p('id'), e.currentTarget.value)} error={err(...p('id'))} />
          <NativeSelect label={t('instruments.method')} value={scale.method} onChange={(e) => update(p('method'), e.currentTarget.value)} data={(['mean', 'sum', 'percent_favorable'] as const).map((m) => ({ value: m, label: t(`instruments.methods.${m}`) }))} />
          <NumberInput label={t('editor.minAnswered')} value={(scale.minAnswered ?? 0.5) * 100} min={0} max={100} suffix=" %" w={140} onChange={(v) => update(p('minAnswered'), (Number(v) || 0) / 100)} />
          <Button size="xs" variant="subtle" color="red" onClick={() => update(['scales'], def.scales.filter((_, j) => j !== index))}>
            {t('editor.removeScale')}
          </Button>
        </Group>
        <LocalizedField label={t('editor.title')} value={scale.title} languages={def.languages as LanguageCode[]} onChange={(v) => update(p('title'), v ?? { [def.defaultLanguage]: '' })} />
        <MultiSelect label={t('editor.scaleItems')} data={slots} value={scale.items} searchable onChange={(v) => update(p('items'), v)} error={err(...p('items'))} />
        <MultiSelect label={t('editor.reverse')} data={slots.filter((s) => scale.items.includes(s.value))} value={scale.reverse ?? []} onChange={(v) => update(p('reverse'), v.length ? v : undefined)} error={err(...p('reverse'))} />
        <MultiSelect label={t('editor.tags')} data={tagOptions} value={scale.tags ?? []} searchable onChange={(v) => update(p('tags'), v.length ? v : undefined)} error={err(...p('tags'))} />
      </Stack>
    </Paper>
  );
}
