import { Button, NativeSelect, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LanguageCode, pick } from '../../../instruments/model/text.js';
import type { ExplicitValue, ImportColumn, ImportTarget, Inspection } from '../../surveys.import.contract.js';
import { readValue } from '../../surveys.import.mapping.js';
import { answerOptions, explicitOf, optionOf, readingWords } from './importAnswers.js';
import { ScrollTable } from './ScrollTable.js';

export type Explicit = Record<string, ExplicitValue>;

interface Props {
  inspection: Inspection;
  schoolColumn: number | null;
  targets: Record<number, string>;
  onTarget: (column: number, target: string) => void;
  values: Record<number, Explicit>;
  onValue: (column: number, raw: string, value: ExplicitValue | undefined) => void;
  errorFor: (column: number) => string | undefined;
}

const short = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The file's columns, the question each fills, and how their values read as answers. */
export function ImportColumnsTable({ inspection, schoolColumn, targets, onTarget, values, onValue, errorFor }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const [open, setOpen] = useState<Set<number>>(new Set());
  const byId = new Map(inspection.targets.map((x) => [x.id, x]));
  const taken = new Set(Object.values(targets).filter(Boolean));
  const nameOf = (c: ImportColumn) => c.name || t('surveyImport.unnamed', { n: c.index + 1 });
  const toggle = (i: number) => setOpen((s) => (s.has(i) ? new Set([...s].filter((x) => x !== i)) : new Set([...s, i])));
  const options = (c: ImportColumn) => [
    { value: '', label: t('surveyImport.notImported') },
    ...(['rated', 'demographic'] as const).map((kind) => ({
      group: t(`surveyImport.targetKinds.${kind}`),
      items: inspection.targets
        .filter((x) => x.kind === kind)
        .map((x) => ({ value: x.id, label: short(`${x.id} · ${pick(x.text, lang)}`), disabled: taken.has(x.id) && targets[c.index] !== x.id })),
    })),
  ];
  return (
    <ScrollTable label={t('surveyImport.columnsCaption')}>
      <Table withTableBorder captionSide="top" verticalSpacing="xs">
        <Table.Caption>{t('surveyImport.columnsCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('surveyImport.column')}</Table.Th>
            <Table.Th scope="col">{t('surveyImport.valuesInFile')}</Table.Th>
            <Table.Th scope="col">{t('surveyImport.question')}</Table.Th>
            <Table.Th scope="col">{t('surveyImport.answers')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {inspection.columns.map((c) => {
            const target = byId.get(targets[c.index] ?? '');
            const explicit = values[c.index] ?? {};
            const unrecognised = target ? c.values.filter((v) => readValue(target, v.value, explicit).kind === 'invalid') : [];
            const panel = `import-values-${c.index}`;
            return (
              <Fragment key={c.index}>
                <Table.Tr>
                  <Table.Th scope="row" fw={500}>
                    {nameOf(c)}
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm">{c.values.slice(0, 3).map((v) => t('surveyImport.valueCount', { value: short(v.value, 30), count: v.count })).join(', ')}</Text>
                    <Text size="xs" c="dimmed">
                      {t('surveyImport.distinct', { count: c.distinct })} · {t('surveyImport.blanks', { count: c.missing })}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={260}>
                    {c.identifier ? (
                      <Text size="sm">{t('surveyImport.identifier')}</Text>
                    ) : c.index === schoolColumn ? (
                      <Text size="sm">{t('surveyImport.schoolColumnNote')}</Text>
                    ) : (
                      <NativeSelect
                        aria-label={t('surveyImport.questionFor', { column: nameOf(c) })}
                        value={targets[c.index] ?? ''}
                        onChange={(e) => onTarget(c.index, e.currentTarget.value)}
                        data={options(c)}
                        error={errorFor(c.index)}
                      />
                    )}
                  </Table.Td>
                  <Table.Td>
                    {target && (
                      <>
                        <Text size="sm" c={unrecognised.length ? 'red.8' : undefined}>
                          {unrecognised.length ? t('surveyImport.unrecognised', { count: unrecognised.length, rows: unrecognised.reduce((n, v) => n + v.count, 0) }) : t('surveyImport.allRecognised')}
                        </Text>
                        <Button variant="subtle" size="compact-sm" px={0} onClick={() => toggle(c.index)} aria-expanded={open.has(c.index)} aria-controls={panel}>
                          {open.has(c.index) ? t('surveyImport.hideValues') : t('surveyImport.checkValues', { column: nameOf(c) })}
                        </Button>
                      </>
                    )}
                  </Table.Td>
                </Table.Tr>
                {target && open.has(c.index) && (
                  <Table.Tr id={panel}>
                    <Table.Td colSpan={4}>
                      <ValuesTable column={c} name={nameOf(c)} target={target} explicit={explicit} onValue={(raw, v) => onValue(c.index, raw, v)} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/** Each value of one column, how it reads, and a choice of answer for it. */
function ValuesTable({ column, name, target, explicit, onValue }: { column: ImportColumn; name: string; target: ImportTarget; explicit: Explicit; onValue: (raw: string, v: ExplicitValue | undefined) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const shown = column.values.slice(0, 100);
  return (
    <Table captionSide="top" withRowBorders={false} maw={720}>
      <Table.Caption>{t('surveyImport.valuesCaption', { column: name })}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('surveyImport.value')}</Table.Th>
          <Table.Th scope="col">{t('surveyImport.rows')}</Table.Th>
          <Table.Th scope="col">{t('surveyImport.answer')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shown.map((v) => {
          const automatic = readValue(target, v.value);
          return (
            <Table.Tr key={v.value}>
              <Table.Th scope="row" fw={400}>
                {v.value}
              </Table.Th>
              <Table.Td>{v.count.toLocaleString(lang)}</Table.Td>
              <Table.Td>
                <NativeSelect
                  size="xs"
                  aria-label={t('surveyImport.answerFor', { value: v.value, column: name })}
                  value={optionOf(explicit[v.value])}
                  onChange={(e) => onValue(v.value, explicitOf(e.currentTarget.value))}
                  data={answerOptions(target, automatic, t, lang)}
                  error={readValue(target, v.value, explicit).kind === 'invalid' ? readingWords(target, { kind: 'invalid' }, t, lang) : undefined}
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
