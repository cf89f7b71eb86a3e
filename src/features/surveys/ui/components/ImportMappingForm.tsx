import { Alert, Button, Group, NativeSelect, Radio, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import type { LanguageCode } from '../../../instruments/model/text.js';
import type { ExplicitValue, Inspection, RunImportBody } from '../../surveys.import.contract.js';
import { schoolMatcher } from '../../surveys.import.mapping.js';
import { browserTimeZone, timeZoneOptions } from '../zonedTime.js';
import { errorUnder, focusFirstError } from './errors.js';
import { type Explicit, ImportColumnsTable } from './ImportColumnsTable.js';
import { Block } from './Block.js';
import { ScrollTable } from './ScrollTable.js';

const SCHOOL_VALUES_LISTED = 100;

/** Fields with an input of their own; an error on any other goes to the alert above the button. */
const FIELDS = ['title', 'givenOn', 'timeZone', 'language', 'school.schoolId', 'school.column'];

interface Props {
  inspection: Inspection;
  instrumentTitle: string;
  error: unknown;
  running: boolean;
  onRun: (body: RunImportBody) => void;
}

/** The matching of a file to the instrument, as proposed by the server and corrected by the coordinator. */
export function ImportMappingForm({ inspection, instrumentTitle, error, running, onRun }: Props) {
  const { t, i18n } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  const alert = useRef<HTMLDivElement>(null);
  const usable = inspection.columns.filter((c) => !c.identifier);
  const [title, setTitle] = useState(t('surveyImport.defaultTitle', { instrument: instrumentTitle }));
  const [givenOn, setGivenOn] = useState('');
  const [language, setLanguage] = useState<LanguageCode>(inspection.languages.includes(i18n.language as LanguageCode) ? (i18n.language as LanguageCode) : inspection.languages[0]);
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [schoolMode, setSchoolMode] = useState<'column' | 'fixed'>(inspection.schoolColumn !== null ? 'column' : 'fixed');
  const [schoolColumn, setSchoolColumn] = useState<number>(inspection.schoolColumn ?? usable[0]?.index ?? 0);
  const [schoolMap, setSchoolMap] = useState<Record<string, string>>({});
  const [fixedSchool, setFixedSchool] = useState(String(inspection.schools[0]?.id ?? ''));
  const [targets, setTargets] = useState<Record<number, string>>(() => Object.fromEntries(inspection.columns.filter((c) => c.proposal).map((c) => [c.index, c.proposal!])));
  const [values, setValues] = useState<Record<number, Explicit>>({});

  useEffect(() => {
    if (error) focusFirstError(form.current, alert.current);
  }, [error]);
  // A new file read: the keyboard and screen reader go on to the matching.
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('h2')?.focus();
  }, []);

  const byColumn = schoolMode === 'column' ? schoolColumn : null;
  const mapped = Object.entries(targets)
    .map(([c, target]) => ({ column: Number(c), target }))
    .filter((m) => m.target && m.column !== byColumn)
    .sort((a, b) => a.column - b.column);
  const match = schoolMatcher(inspection.schools);
  const schoolValues = inspection.columns[schoolColumn]?.values ?? [];
  // Values no school's code or name matches come first; a state's thousand schools are not all listed.
  const listed = [...schoolValues].sort((a, b) => Number(match(a.value) !== null) - Number(match(b.value) !== null)).slice(0, SCHOOL_VALUES_LISTED);
  const schoolOf = (value: string) => schoolMap[value] ?? String(match(value) ?? '');
  const err = (field: string) => errorUnder(error, field);
  const errorFor = (column: number) => {
    const at = mapped.findIndex((m) => m.column === column);
    return at >= 0 ? err(`columns.${at}`) : undefined;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const map = Object.fromEntries(schoolValues.map((v) => [v.value, Number(schoolOf(v.value))]).filter(([, id]) => id));
    onRun({
      uploadId: inspection.uploadId,
      title,
      givenOn,
      timeZone,
      language,
      school: schoolMode === 'column' ? { column: schoolColumn, map } : { schoolId: Number(fixedSchool) },
      columns: mapped.map((m) => ({ ...m, values: values[m.column] ?? {} })),
    });
  };
  const setValue = (column: number, raw: string, v: ExplicitValue | undefined) =>
    setValues((all) => {
      const next = { ...(all[column] ?? {}) };
      if (v === undefined) delete next[raw];
      else next[raw] = v;
      return { ...all, [column]: next };
    });
  const schoolOptions = [{ value: '', label: t('surveyImport.chooseSchool') }, ...inspection.schools.map((s) => ({ value: String(s.id), label: `${s.name} (${s.code})` }))];
  const fields = inspection.skipped.find((s) => s.reason === 'fields');

  return (
    <form ref={form} onSubmit={submit} noValidate>
      <Block title={t('surveyImport.step2')} focusable>
        <Text>{t('surveyImport.readSummary', { rows: inspection.rows.toLocaleString(i18n.language), columns: inspection.columns.length, file: inspection.fileName ?? '' })}</Text>
        {fields && <Alert color="yellow">{t('surveyImport.skipped.fields', { count: fields.count, lines: fields.lines.join(', ') })}</Alert>}

        <Title order={3} size="h4">
          {t('surveyImport.administration')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('surveyImport.fields.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={err('title')} />
          <TextInput type="date" label={t('surveyImport.fields.givenOn')} description={t('surveyImport.givenOnHelp')} required value={givenOn} onChange={(e) => setGivenOn(e.currentTarget.value)} error={err('givenOn')} />
          <NativeSelect label={t('surveyImport.fields.language')} value={language} onChange={(e) => setLanguage(e.currentTarget.value as LanguageCode)} data={inspection.languages.map((l) => ({ value: l, label: t(`languageNames.${l}`) }))} error={err('language')} />
          <NativeSelect label={t('surveyImport.fields.timeZone')} value={timeZone} onChange={(e) => setTimeZone(e.currentTarget.value)} data={timeZoneOptions(timeZone)} error={err('timeZone')} />
        </SimpleGrid>

        <Title order={3} size="h4">
          {t('surveyImport.schoolTitle')}
        </Title>
        <Radio.Group label={t('surveyImport.schoolFrom')} value={schoolMode} onChange={(v) => setSchoolMode(v as 'column' | 'fixed')}>
          <Stack gap="xs" mt="xs">
            <Radio value="column" label={t('surveyImport.schoolByColumn')} />
            <Radio value="fixed" label={t('surveyImport.schoolFixed')} />
          </Stack>
        </Radio.Group>
        {schoolMode === 'fixed' ? (
          <NativeSelect label={t('surveyImport.fields.school')} value={fixedSchool} onChange={(e) => setFixedSchool(e.currentTarget.value)} data={schoolOptions} error={err('school.schoolId')} />
        ) : (
          <Stack gap="sm">
            <NativeSelect
              label={t('surveyImport.fields.schoolColumn')}
              value={String(schoolColumn)}
              onChange={(e) => setSchoolColumn(Number(e.currentTarget.value))}
              data={usable.map((c) => ({ value: String(c.index), label: c.name }))}
              error={err('school.column')}
            />
            <ScrollTable label={t('surveyImport.schoolValuesCaption')}>
              <Table captionSide="top" withTableBorder maw={760}>
                <Table.Caption>{t('surveyImport.schoolValuesCaption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('surveyImport.value')}</Table.Th>
                    <Table.Th scope="col">{t('surveyImport.rows')}</Table.Th>
                    <Table.Th scope="col">{t('surveyImport.fields.school')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {listed.map((v) => (
                    <Table.Tr key={v.value}>
                      <Table.Th scope="row" fw={400}>
                        {v.value}
                      </Table.Th>
                      <Table.Td>{v.count.toLocaleString(i18n.language)}</Table.Td>
                      <Table.Td>
                        <NativeSelect aria-label={t('surveyImport.schoolFor', { value: v.value })} value={schoolOf(v.value)} onChange={(e) => setSchoolMap({ ...schoolMap, [v.value]: e.currentTarget.value })} data={schoolOptions} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            {schoolValues.length > listed.length && <Text size="sm">{t('surveyImport.moreSchoolValues', { count: schoolValues.length - listed.length })}</Text>}
          </Stack>
        )}

        <Title order={3} size="h4">
          {t('surveyImport.columnsTitle')}
        </Title>
        <Text size="sm">{t('surveyImport.columnsHelp')}</Text>
        <ImportColumnsTable inspection={inspection} schoolColumn={byColumn} targets={targets} onTarget={(c, v) => setTargets({ ...targets, [c]: v })} values={values} onValue={setValue} errorFor={errorFor} />
        <div ref={alert} tabIndex={-1}>
          <ErrorAlert error={error && !FIELDS.some((f) => errorUnder(error, f)) && !mapped.some((m) => errorFor(m.column)) ? error : null} />
        </div>
        <Group>
          <Button type="submit" loading={running} disabled={mapped.length === 0}>
            {t('surveyImport.run', { count: inspection.rows })}
          </Button>
        </Group>
      </Block>
    </form>
  );
}
