/** @jsxImportSource preact */
import type { ComponentChildren, JSX, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { Answers } from '../features/instruments/model/answers.js';
import type { InstrumentDefinition, Item, ItemOf, ItemType } from '../features/instruments/model/instrument.schema.js';
import { type AnswerValue, type Slot, specOf } from '../features/instruments/model/item-types.js';
import { type LanguageCode, pick, type Words } from '../features/instruments/model/lang.js';
import type { Messages } from './messages.js';

/**
 * One small renderer per item type (a registry, as in the main app), in plain HTML: every
 * question is a fieldset with its words as the legend; scales are radio groups whose labels are
 * read out; every question can be left blank, and a given answer can be cleared.
 */

export interface ItemProps<T extends ItemType> {
  item: ItemOf<T>;
  def: InstrumentDefinition;
  lang: LanguageCode;
  answers: Answers;
  /** Sets (or, with undefined, clears) the answer of one slot. */
  onAnswer: (slotId: string, value: AnswerValue | undefined) => void;
  m: Messages;
}

type Props = ItemProps<ItemType>;
const words = (p: { def: InstrumentDefinition; lang: LanguageCode }, text: Words | undefined) => pick(text, p.lang, p.def.defaultLanguage);
const legendId = (slotId: string) => `q-${slotId}`;
const helpId = (slotId: string) => `q-${slotId}-help`;

/** The question's frame: legend, help text, the answer controls. */
function Question(p: Props & { slotId: string; children: ComponentChildren; hint?: string; radio?: boolean }) {
  const help = p.item.help ? words(p, p.item.help) : '';
  const described = [help && helpId(p.slotId), p.hint && `${helpId(p.slotId)}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    // One choice among points or options: a radio group, named by its legend.
    <fieldset class="q" role={p.radio ? 'radiogroup' : undefined} aria-describedby={described}>
      <legend id={legendId(p.slotId)}>{words(p, p.item.text)}</legend>
      {help && (
        <p class="help" id={helpId(p.slotId)}>
          {help}
        </p>
      )}
      {p.hint && (
        <p class="help" id={`${helpId(p.slotId)}-hint`}>
          {p.hint}
        </p>
      )}
      {p.children}
    </fieldset>
  );
}

interface Option {
  key: string;
  label: string;
  value: AnswerValue;
}

/** A radio group for one slot, with "clear my answer" once something is chosen. */
function Choices(p: { slotId: string; name: string; options: Option[]; current: AnswerValue | undefined; onAnswer: Props['onAnswer']; m: Messages; inline?: boolean; describedBy?: string }) {
  return (
    <div>
      <div class={p.inline ? 'opts inline' : 'opts'}>
        {p.options.map((o) => (
          <label class="opt" key={o.key}>
            <input type="radio" name={p.name} value={o.key} checked={p.current === o.value} onChange={() => p.onAnswer(p.slotId, o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {p.current !== undefined && (
        <button type="button" class="link" aria-describedby={p.describedBy} onClick={() => p.onAnswer(p.slotId, undefined)}>
          {p.m.clear}
        </button>
      )}
    </div>
  );
}

function specials(p: { m: Messages }, opts: { na?: boolean; dk?: boolean; pns?: boolean }): Option[] {
  return [
    ...(opts.na ? [{ key: 'NA', label: p.m.notApplicable, value: 'NA' }] : []),
    ...(opts.dk ? [{ key: 'DK', label: p.m.dontKnow, value: 'DK' }] : []),
    ...(opts.pns ? [{ key: 'PNS', label: p.m.preferNot, value: 'PNS' }] : []),
  ];
}

function labelOptions(p: Props, labelSet: string): Option[] {
  return (p.def.labelSets[labelSet]?.labels ?? []).map((l, i) => ({ key: String(i + 1), label: words(p, l), value: i + 1 }));
}

function Likert(p: ItemProps<'likert'>) {
  const options = [...labelOptions(p as Props, p.item.labelSet), ...specials(p, { na: p.item.notApplicable, dk: p.item.dontKnow })];
  return (
    <Question {...(p as Props)} slotId={p.item.id} radio>
      <Choices slotId={p.item.id} name={p.item.id} options={options} current={p.answers[p.item.id]} onAnswer={p.onAnswer} m={p.m} describedBy={legendId(p.item.id)} />
    </Question>
  );
}

function Matrix(p: ItemProps<'matrix'>) {
  const options = [...labelOptions(p as Props, p.item.labelSet), ...specials(p, { na: p.item.notApplicable, dk: p.item.dontKnow })];
  return (
    <Question {...(p as Props)} slotId={p.item.id}>
      {p.item.rows.map((row) => {
        const slotId = `${p.item.id}.${row.id}`;
        return (
          <fieldset class="row" role="radiogroup" key={row.id}>
            <legend id={legendId(slotId)}>{words(p, row.text)}</legend>
            <Choices slotId={slotId} name={slotId} options={options} current={p.answers[slotId]} onAnswer={p.onAnswer} m={p.m} describedBy={legendId(slotId)} />
          </fieldset>
        );
      })}
    </Question>
  );
}

function Rating(p: ItemProps<'rating'>) {
  const count = p.item.max - p.item.min + 1;
  // A scale of more than 11 points reads better as a number to type.
  if (count > 11) return <NumberField {...(p as Props)} min={p.item.min} max={p.item.max} integer dk={p.item.dontKnow} />;
  const edge = (v: number) => (v === p.item.min ? p.item.minLabel : v === p.item.max ? p.item.maxLabel : undefined);
  const points: Option[] = Array.from({ length: count }, (_, i) => {
    const v = p.item.min + i;
    const label = edge(v);
    return { key: String(v), label: label ? `${v} – ${words(p, label)}` : String(v), value: v };
  });
  return (
    <Question {...(p as Props)} slotId={p.item.id} radio>
      <Choices slotId={p.item.id} name={p.item.id} options={[...points, ...specials(p, { dk: p.item.dontKnow })]} current={p.answers[p.item.id]} onAnswer={p.onAnswer} m={p.m} inline={!p.item.minLabel && !p.item.maxLabel} describedBy={legendId(p.item.id)} />
    </Question>
  );
}

function SingleChoice(p: ItemProps<'single_choice'>) {
  const options: Option[] = [...p.item.choices.map((c) => ({ key: c.value, label: words(p, c.label), value: c.value })), ...specials(p, { pns: !!p.item.demographic })];
  const current = p.answers[p.item.id];
  if (p.item.display === 'dropdown') {
    return (
      <Question {...(p as Props)} slotId={p.item.id}>
        <select aria-labelledby={legendId(p.item.id)} value={typeof current === 'string' ? current : ''} onChange={(e) => p.onAnswer(p.item.id, e.currentTarget.value || undefined)}>
          <option value="">{p.m.choose}</option>
          {options.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      </Question>
    );
  }
  return (
    <Question {...(p as Props)} slotId={p.item.id} radio>
      <Choices slotId={p.item.id} name={p.item.id} options={options} current={current} onAnswer={p.onAnswer} m={p.m} describedBy={legendId(p.item.id)} />
    </Question>
  );
}

function MultipleChoice(p: ItemProps<'multiple_choice'>) {
  const raw = p.answers[p.item.id];
  const current = Array.isArray(raw) ? raw : [];
  const options: Option[] = [...p.item.choices.map((c) => ({ key: c.value, label: words(p, c.label), value: c.value })), ...specials(p, { pns: !!p.item.demographic })];
  const full = p.item.maxSelect !== undefined && current.filter((v) => v !== 'PNS').length >= p.item.maxSelect;
  const toggle = (key: string, on: boolean) => {
    // "Prefer not to say" stands alone: choosing it clears the rest, choosing another clears it.
    const next = key === 'PNS' ? (on ? ['PNS'] : []) : on ? [...current.filter((v) => v !== 'PNS'), key] : current.filter((v) => v !== key);
    p.onAnswer(p.item.id, next.length ? next : undefined);
  };
  const hint = [p.item.minSelect ? p.m.chooseAtLeast(p.item.minSelect) : '', p.item.maxSelect ? p.m.chooseAtMost(p.item.maxSelect) : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Question {...(p as Props)} slotId={p.item.id} hint={hint}>
      <div class="opts">
        {options.map((o) => {
          const checked = current.includes(o.key);
          return (
            <label class="opt" key={o.key}>
              <input type="checkbox" name={p.item.id} value={o.key} checked={checked} disabled={full && !checked && o.key !== 'PNS'} onChange={(e) => toggle(o.key, e.currentTarget.checked)} />
              <span>{o.label}</span>
            </label>
          );
        })}
      </div>
    </Question>
  );
}

function YesNo(p: ItemProps<'yes_no'>) {
  const options: Option[] = [{ key: 'yes', label: p.m.yes, value: true }, { key: 'no', label: p.m.no, value: false }, ...specials(p, { dk: p.item.dontKnow })];
  return (
    <Question {...(p as Props)} slotId={p.item.id} radio>
      <Choices slotId={p.item.id} name={p.item.id} options={options} current={p.answers[p.item.id]} onAnswer={p.onAnswer} m={p.m} inline describedBy={legendId(p.item.id)} />
    </Question>
  );
}

/** Stores a typed value only when the item takes it (the rest would be refused on sending). */
function takes(p: Props, value: AnswerValue): boolean {
  const slot: Slot = specOf(p.item).slots(p.item)[0];
  return specOf(p.item).check(p.item, slot, value, { labelSets: p.def.labelSets }) === null;
}

/** A "don't know" box beside a field to type in; while ticked, the field is off. */
function DontKnow(p: Props & { slotId: string }) {
  const on = p.answers[p.slotId] === 'DK';
  return (
    <label class="opt dk">
      <input type="checkbox" checked={on} onChange={(e) => p.onAnswer(p.slotId, e.currentTarget.checked ? 'DK' : undefined)} />
      <span>{p.m.dontKnow}</span>
    </label>
  );
}

function NumberField(p: Props & { min?: number; max?: number; integer?: boolean; unit?: Words; dk?: boolean }) {
  const id = p.item.id;
  const current = p.answers[id];
  const [text, setText] = useState(typeof current === 'number' ? String(current) : '');
  const onInput = (e: TargetedEvent<HTMLInputElement>) => {
    const raw = e.currentTarget.value;
    setText(raw);
    const n = raw.trim() === '' ? NaN : Number(raw);
    p.onAnswer(id, Number.isFinite(n) && takes(p, n) ? n : undefined);
  };
  return (
    <Question {...p} slotId={id}>
      <div class="field">
        <input type="number" inputMode={p.integer ? 'numeric' : 'decimal'} step={p.integer ? 1 : 'any'} min={p.min} max={p.max} aria-labelledby={legendId(id)} value={current === 'DK' ? '' : text} disabled={current === 'DK'} onInput={onInput} />
        {p.unit && <span>{words(p, p.unit)}</span>}
      </div>
      {p.dk && <DontKnow {...p} slotId={id} />}
    </Question>
  );
}

const NumberItem = (p: ItemProps<'number'>) => <NumberField {...(p as Props)} min={p.item.min} max={p.item.max} integer={p.item.integer} unit={p.item.unit} dk={p.item.dontKnow} />;

function TextItem(p: ItemProps<'text'>) {
  const id = p.item.id;
  const current = p.answers[id];
  const max = p.item.maxLength ?? (p.item.multiline ? 5000 : 500);
  const value = typeof current === 'string' ? current : '';
  const set = (v: string) => p.onAnswer(id, v === '' ? undefined : v);
  // A text field with the right keyboard: the browser's own email or URL checks would only get in the way.
  const inputMode = p.item.format === 'email' ? 'email' : p.item.format === 'phone' ? 'tel' : p.item.format === 'url' ? 'url' : 'text';
  return (
    <Question {...(p as Props)} slotId={id}>
      {p.item.multiline ? (
        <textarea aria-labelledby={legendId(id)} maxLength={max} rows={5} value={value} onInput={(e) => set(e.currentTarget.value)} />
      ) : (
        <input type="text" inputMode={inputMode} aria-labelledby={legendId(id)} maxLength={max} value={value} onInput={(e) => set(e.currentTarget.value)} />
      )}
    </Question>
  );
}

function DateItem(p: ItemProps<'date'>) {
  const id = p.item.id;
  const current = p.answers[id];
  return (
    <Question {...(p as Props)} slotId={id}>
      <input
        type="date"
        aria-labelledby={legendId(id)}
        min={p.item.min}
        max={p.item.max}
        value={typeof current === 'string' ? current : ''}
        onChange={(e) => {
          const v = e.currentTarget.value;
          p.onAnswer(id, v && takes(p as Props, v) ? v : undefined);
        }}
      />
    </Question>
  );
}

function Note(p: ItemProps<'note'>) {
  return (
    <div class="note">
      <p>{words(p, p.item.text)}</p>
      {p.item.help && <p class="help">{words(p, p.item.help)}</p>}
    </div>
  );
}

const renderers: { [T in ItemType]: ((p: ItemProps<T>) => JSX.Element) | null } = {
  likert: Likert,
  rating: Rating,
  single_choice: SingleChoice,
  multiple_choice: MultipleChoice,
  yes_no: YesNo,
  number: NumberItem,
  text: TextItem,
  date: DateItem,
  matrix: Matrix,
  note: Note,
  // Computed from other answers: never asked.
  calc: null,
};

/** The renderer of an item's type. */
export function ItemView(p: Omit<Props, 'item'> & { item: Item }) {
  const Render = renderers[p.item.type] as ((p: Props) => JSX.Element) | null;
  return Render ? <Render {...(p as Props)} /> : null;
}
