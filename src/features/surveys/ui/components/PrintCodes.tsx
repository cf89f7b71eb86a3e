import { Alert, Anchor, Button, Group, NativeSelect, NumberInput, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { Section } from '../../../../client/components/FormParts.js';
import { fieldError } from '../../../../client/forms.js';
import i18n from '../../../../client/i18n.js';
import type { LanguageCode } from '../../../instruments/model/text.js';
import type { AdministrationDetail } from '../../surveys.contract.js';
import { usePrintCodesMutation } from '../surveys.api.js';
import { errorUnder, focusFirstError } from './errors.js';

interface ClassRow {
  key: number;
  label: string;
  count: number | '';
}

/** Saves a file the browser already holds (a blob URL), as a download. */
function saveFile(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/**
 * Makes single-use codes for one school, per class or as one batch, and downloads the PDF of
 * slips. The request carries the CSRF header, so it goes through the API client and the file is
 * handed to the browser as a blob URL. The codes exist only in that file: the coordinator is told.
 */
export function PrintCodes({ a }: { a: AdministrationDetail }) {
  const { t } = useTranslation();
  const print = usePrintCodesMutation(a.id);
  const [orgId, setOrgId] = useState(String(a.sites[0]?.orgId ?? ''));
  const [mode, setMode] = useState<'classes' | 'count'>('classes');
  const [rows, setRows] = useState<ClassRow[]>([{ key: 1, label: '', count: 25 }]);
  const [count, setCount] = useState<number | ''>(30);
  const [lang, setLang] = useState<LanguageCode>(a.languages[0]);
  const [file, setFile] = useState<{ url: string; name: string; codes: number; school: string } | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const alert = useRef<HTMLDivElement>(null);
  const done = useRef<HTMLDivElement>(null);
  const nextKey = useRef(2);

  // The blob URL holds the only copy of the codes: let it go when it is replaced or the page closes.
  useEffect(() => () => void (file && URL.revokeObjectURL(file.url)), [file]);
  useEffect(() => {
    if (print.error) focusFirstError(form.current, alert.current);
  }, [print.error]);
  useEffect(() => {
    if (file) done.current?.focus();
  }, [file]);

  const school = a.sites.find((s) => String(s.orgId) === orgId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A batch without a class still needs a label on its slips: "All classes", in the slips' language.
    const classes = mode === 'count' ? [{ label: i18n.getFixedT(lang)('surveys.codes.anyClass'), count: Number(count) || 0 }] : rows.map((r) => ({ label: r.label.trim(), count: Number(r.count) || 0 }));
    print.mutate(
      { orgId: Number(orgId), classes, lang },
      {
        onSuccess: ({ blob, fileName }) => {
          const name = fileName ?? `survey-codes-${a.id}-${orgId}.pdf`;
          const url = URL.createObjectURL(blob);
          saveFile(url, name);
          setFile({ url, name, codes: classes.reduce((n, c) => n + c.count, 0), school: school?.name ?? '' });
        },
      },
    );
  };
  const setRow = (key: number, patch: Partial<ClassRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const rowError = (i: number, field: 'label' | 'count') => errorUnder(print.error, `classes.${i}.${field}`);
  const shownFields = ['orgId', 'classes', 'lang'];
  return (
    <Section title={t('surveys.codes.title')}>
      <Stack>
        <Text size="sm">{t('surveys.codes.help')}</Text>
        {file && (
          <div ref={done} tabIndex={-1}>
            <Alert color="yellow" role="status" styles={{ title: { color: 'var(--mantine-color-dark-8)' } }} title={t('surveys.codes.doneTitle', { count: file.codes, n: file.codes.toLocaleString(i18n.language), school: file.school })}>
              <Text size="sm" mb="xs">
                {t('surveys.codes.onlyOnce')}
              </Text>
              <Anchor href={file.url} download={file.name} size="sm">
                {t('surveys.codes.downloadAgain', { file: file.name })}
              </Anchor>
            </Alert>
          </div>
        )}
        <form ref={form} onSubmit={submit} noValidate>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect label={t('surveys.schools.school')} value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)} data={a.sites.map((s) => ({ value: String(s.orgId), label: s.name }))} error={errorUnder(print.error, 'orgId')} />
              <NativeSelect label={t('surveys.codes.language')} value={lang} onChange={(e) => setLang(e.currentTarget.value as LanguageCode)} data={a.languages.map((l) => ({ value: l, label: t(`languageNames.${l}`) }))} error={errorUnder(print.error, 'lang')} />
            </SimpleGrid>
            <Radio.Group label={t('surveys.codes.how')} value={mode} onChange={(v) => setMode(v as 'classes' | 'count')}>
              <Group mt="xs">
                <Radio value="classes" label={t('surveys.codes.byClass')} />
                <Radio value="count" label={t('surveys.codes.byCount')} />
              </Group>
            </Radio.Group>
            {mode === 'classes' ? (
              <Stack gap="xs">
                {rows.map((r, i) => (
                  <Group key={r.key} align="flex-end" wrap="wrap">
                    <TextInput label={t('surveys.codes.className', { n: i + 1 })} value={r.label} onChange={(e) => setRow(r.key, { label: e.currentTarget.value })} error={rowError(i, 'label')} required maw={260} />
                    <NumberInput label={t('surveys.codes.classCount', { n: i + 1 })} value={r.count} min={1} max={500} onChange={(v) => setRow(r.key, { count: typeof v === 'number' ? v : '' })} error={rowError(i, 'count')} required maw={180} />
                    {rows.length > 1 && (
                      <Button variant="subtle" color="red" onClick={() => setRows(rows.filter((x) => x.key !== r.key))} aria-label={t('surveys.codes.removeClass', { n: i + 1 })}>
                        {t('surveys.codes.remove')}
                      </Button>
                    )}
                  </Group>
                ))}
                <Group>
                  <Button variant="default" onClick={() => setRows([...rows, { key: nextKey.current++, label: '', count: 25 }])}>
                    {t('surveys.codes.addClass')}
                  </Button>
                </Group>
              </Stack>
            ) : (
              <NumberInput label={t('surveys.codes.count')} value={count} min={1} max={500} onChange={(v) => setCount(typeof v === 'number' ? v : '')} error={errorUnder(print.error, 'classes')} maw={220} />
            )}
            {mode === 'classes' && fieldError(print.error, 'classes') && (
              <Text c="red.9" size="sm">
                {fieldError(print.error, 'classes')}
              </Text>
            )}
            <div ref={alert} tabIndex={-1}>
              <ErrorAlert error={print.error && !shownFields.some((f) => errorUnder(print.error, f)) ? print.error : null} />
            </div>
            <Group>
              {/* A long label wraps on a phone instead of running out of the button. */}
              <Button type="submit" loading={print.isPending} disabled={!orgId} h="auto" mih={36} py={6} styles={{ label: { whiteSpace: 'normal' } }}>
                {t('surveys.codes.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Section>
  );
}
