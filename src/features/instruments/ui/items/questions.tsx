import { Checkbox, Group, NativeSelect, NumberInput, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { Value } from '../../model/expression.js';
import type { InstrumentDefinition, Item, ItemOf, ItemType } from '../../model/instrument.schema.js';
import type { AnswerValue } from '../../model/item-types.js';
import { type LanguageCode, pick } from '../../model/text.js';

export interface QuestionProps<T extends ItemType> {
  item: ItemOf<T>;
  def: InstrumentDefinition;
  lang: LanguageCode;
  answers: Record<string, AnswerValue>;
  /** Sets (or clears, with undefined) the answer of one slot. */
  onAnswer: (slotId: string, value: AnswerValue | undefined) => void;
  /** Respondent words (Yes, Don't know…) in the instrument's language, not the interface's. */
  t: TFunction;
  computed: Record<string, Value>;
}

const txt = (p: { def: InstrumentDefinition; lang: LanguageCode }, text: Parameters<typeof pick>[0]) => pick(text, p.lang, p.def.defaultLanguage);

/** The question's words as its label, with help text below. */
function labelOf(p: QuestionProps<ItemType>): { label: string; description?: string } {
  return { label: txt(p, p.item.text), description: p.item.help ? txt(p, p.item.help) : undefined };
}

/** Scale points and the extra answers an item allows, as radio options; clicking the chosen one again clears it. */
function PointScale(p: QuestionProps<ItemType> & { slotId: string; label: string; description?: string; points: { value: number; label: string }[]; na?: boolean; dk?: boolean }) {
  const current = p.answers[p.slotId];
  const options = [
    ...p.points.map((pt) => ({ value: String(pt.value), label: pt.label })),
    ...(p.na ? [{ value: 'NA', label: p.t('respondent.notApplicable') }] : []),
    ...(p.dk ? [{ value: 'DK', label: p.t('respondent.dontKnow') }] : []),
  ];
  return (
    <Radio.Group
      label={p.label}
      description={p.description}
      value={current === undefined ? null : String(current)}
      onChange={(v) => p.onAnswer(p.slotId, v === 'NA' || v === 'DK' ? v : Number(v))}
    >
      <Group mt="xs" gap="md">
        {options.map((o) => (
          <Radio key={o.value} value={o.value} label={o.label} />
        ))}
      </Group>
    </Radio.Group>
  );
}

function labelPoints(def: InstrumentDefinition, lang: LanguageCode, name: string) {
  const set = def.labelSets[name];
  return (set?.labels ?? []).map((l, i) => ({ value: i + 1, label: pick(l, lang, def.defaultLanguage) }));
}

const Likert = (p: QuestionProps<'likert'>) => (
  <PointScale {...p} {...labelOf(p as never)} slotId={p.item.id} points={labelPoints(p.def, p.lang, p.item.labelSet)} na={p.item.notApplicable} dk={p.item.dontKnow} />
);

function Rating(p: QuestionProps<'rating'>) {
  const bandOf = (v: number) => p.item.bands?.find((b) => v >= b.min && v <= b.max);
  const points = Array.from({ length: p.item.max - p.item.min + 1 }, (_, i) => {
    const v = p.item.min + i;
    const edge = v === p.item.min ? p.item.minLabel : v === p.item.max ? p.item.maxLabel : undefined;
    const band = bandOf(v);
    return { value: v, label: edge ? `${v} · ${txt(p, edge)}` : band && bandOf(v - 1) !== band ? `${v} · ${txt(p, band.label)}` : String(v) };
  });
  return <PointScale {...p} {...labelOf(p as never)} slotId={p.item.id} points={points} dk={p.item.dontKnow} />;
}

function SingleChoice(p: QuestionProps<'single_choice'>) {
  const { label, description } = labelOf(p as never);
  const choices = [...p.item.choices.map((c) => ({ value: c.value, label: txt(p, c.label) })), ...(p.item.demographic ? [{ value: 'PNS', label: p.t('respondent.preferNotToSay') }] : [])];
  const current = p.answers[p.item.id];
  if (p.item.display === 'dropdown') {
    return (
      <NativeSelect
        label={label}
        description={description}
        value={typeof current === 'string' ? current : ''}
        onChange={(e) => p.onAnswer(p.item.id, e.currentTarget.value || undefined)}
        data={[{ value: '', label: p.t('respondent.choose') }, ...choices]}
      />
    );
  }
  return (
    <Radio.Group label={label} description={description} value={typeof current === 'string' ? current : null} onChange={(v) => p.onAnswer(p.item.id, v)}>
      <Stack mt="xs" gap="xs">
        {choices.map((c) => (
          <Radio key={c.value} value={c.value} label={c.label} />
        ))}
      </Stack>
    </Radio.Group>
  );
}

function MultipleChoice(p: QuestionProps<'multiple_choice'>) {
  const { label, description } = labelOf(p as never);
  const current = Array.isArray(p.answers[p.item.id]) ? (p.answers[p.item.id] as string[]) : [];
  const choices = [...p.item.choices.map((c) => ({ value: c.value, label: txt(p, c.label) })), ...(p.item.demographic ? [{ value: 'PNS', label: p.t('respondent.preferNotToSay') }] : [])];
  return (
    <Checkbox.Group
      label={label}
      description={description}
      value={current}
      onChange={(v) => {
        // "Prefer not to say" stands alone.
        const next = v.includes('PNS') && !current.includes('PNS') ? ['PNS'] : v.filter((x) => x !== 'PNS' || v.length === 1);
        p.onAnswer(p.item.id, next.length ? next : undefined);
      }}
    >
      <Stack mt="xs" gap="xs">
        {choices.map((c) => (
          <Checkbox key={c.value} value={c.value} label={c.label} />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

function YesNo(p: QuestionProps<'yes_no'>) {
  const { label, description } = labelOf(p as never);
  const current = p.answers[p.item.id];
  const value = current === true ? 'yes' : current === false ? 'no' : current === 'DK' ? 'DK' : null;
  return (
    <Radio.Group label={label} description={description} value={value} onChange={(v) => p.onAnswer(p.item.id, v === 'yes' ? true : v === 'no' ? false : 'DK')}>
      <Group mt="xs">
        <Radio value="yes" label={p.t('respondent.yes')} />
        <Radio value="no" label={p.t('respondent.no')} />
        {p.item.dontKnow && <Radio value="DK" label={p.t('respondent.dontKnow')} />}
      </Group>
    </Radio.Group>
  );
}

function NumberQuestion(p: QuestionProps<'number'>) {
  const { label, description } = labelOf(p as never);
  const current = p.answers[p.item.id];
  return (
    <Stack gap={4}>
      <NumberInput
        label={label}
        description={description}
        min={p.item.min}
        max={p.item.max}
        allowDecimal={!p.item.integer}
        rightSection={p.item.unit ? <Text size="xs">{txt(p, p.item.unit)}</Text> : undefined}
        rightSectionWidth={p.item.unit ? 56 : undefined}
        value={typeof current === 'number' ? current : ''}
        disabled={current === 'DK'}
        onChange={(v) => p.onAnswer(p.item.id, typeof v === 'number' ? v : undefined)}
        maw={320}
      />
      {p.item.dontKnow && <Checkbox label={p.t('respondent.dontKnow')} checked={current === 'DK'} onChange={(e) => p.onAnswer(p.item.id, e.currentTarget.checked ? 'DK' : undefined)} />}
    </Stack>
  );
}

function TextQuestion(p: QuestionProps<'text'>) {
  const { label, description } = labelOf(p as never);
  const current = typeof p.answers[p.item.id] === 'string' ? (p.answers[p.item.id] as string) : '';
  const Input = p.item.multiline ? Textarea : TextInput;
  return (
    <Input
      label={label}
      description={description}
      value={current}
      maxLength={p.item.maxLength ?? (p.item.multiline ? 5000 : 500)}
      type={p.item.format === 'email' ? 'email' : undefined}
      autosize={p.item.multiline ? true : undefined}
      minRows={p.item.multiline ? 3 : undefined}
      onChange={(e: { currentTarget: { value: string } }) => p.onAnswer(p.item.id, e.currentTarget.value || undefined)}
    />
  );
}

function DateQuestion(p: QuestionProps<'date'>) {
  const { label, description } = labelOf(p as never);
  const current = typeof p.answers[p.item.id] === 'string' ? (p.answers[p.item.id] as string) : '';
  return <TextInput type="date" label={label} description={description} value={current} min={p.item.min} max={p.item.max} onChange={(e) => p.onAnswer(p.item.id, e.currentTarget.value || undefined)} maw={240} />;
}

function Matrix(p: QuestionProps<'matrix'>) {
  const points = labelPoints(p.def, p.lang, p.item.labelSet);
  return (
    <fieldset className="matrix">
      <legend>{txt(p, p.item.text)}</legend>
      {p.item.help && <Text size="sm">{txt(p, p.item.help)}</Text>}
      <Stack gap="md" mt="xs">
        {p.item.rows.map((r) => (
          <PointScale key={r.id} {...(p as never as QuestionProps<ItemType>)} slotId={`${p.item.id}.${r.id}`} label={txt(p, r.text)} points={points} na={p.item.notApplicable} dk={p.item.dontKnow} />
        ))}
      </Stack>
    </fieldset>
  );
}

const Note = (p: QuestionProps<'note'>) => (
  <div>
    <Text fw={500}>{txt(p, p.item.text)}</Text>
    {p.item.help && <Text size="sm">{txt(p, p.item.help)}</Text>}
  </div>
);

const Calc = (p: QuestionProps<'calc'>) => (
  <Text>
    {txt(p, p.item.text)}: <strong>{p.computed[p.item.id] === null || p.computed[p.item.id] === undefined ? '—' : String(p.computed[p.item.id])}</strong>
  </Text>
);

/** One component per item type; the renderer never switches on types itself. */
export const questionComponents: { [T in ItemType]: (p: QuestionProps<T>) => ReactNode } = {
  likert: Likert,
  rating: Rating,
  single_choice: SingleChoice,
  multiple_choice: MultipleChoice,
  yes_no: YesNo,
  number: NumberQuestion,
  text: TextQuestion,
  date: DateQuestion,
  matrix: Matrix,
  note: Note,
  calc: Calc,
};

export function Question(props: Omit<QuestionProps<ItemType>, 'item'> & { item: Item }) {
  const Component = questionComponents[props.item.type] as (p: QuestionProps<ItemType>) => ReactNode;
  return <Component {...props} />;
}
