import { Alert, Badge, Button, FileInput, Group, List, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../client/api.js';
import { useMeQuery } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { fieldError } from '../../../client/forms.js';
import type { ImportResponse } from '../instruments.contract.js';
import { audiences, instrumentKinds } from '../model/instrument.schema.js';
import { InstrumentPreview } from './InstrumentPreview.js';

const formats = ['redcap', 'surveyjs', 'xlsform'] as const;

/** Upload a REDCap dictionary, SurveyJS JSON or XLSForm; read the report and preview; then keep it as a draft. */
export function InstrumentImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: me } = useMeQuery();
  const owners = (me?.memberships ?? []).filter((m) => m.abilities['instrument.manage']);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [id, setId] = useState('');
  const [kind, setKind] = useState('');
  const [audience, setAudience] = useState('');
  const owner = ownerId || String(owners[0]?.orgId ?? '');
  const send = useMutation({
    mutationFn: (preview: boolean) => {
      const qs = new URLSearchParams({ ownerOrgId: owner, id, preview: String(preview), fileName: file!.name });
      for (const [k, v] of Object.entries({ format, kind, audience })) if (v) qs.set(k, v);
      return api<ImportResponse>('POST', `/api/instruments/import?${qs}`, undefined, { rawBody: file!, contentType: file!.name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    },
    onSuccess: (r) => {
      if (r.stored) navigate(`/instruments/${r.definition.id}?version=1&tab=checks`);
    },
  });
  const result = send.data && !send.data.stored ? send.data : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file && owner && id) send.mutate(true);
  };
  const chooseFile = (f: File | null) => {
    setFile(f);
    if (f && !id) setId(f.name.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 60));
  };
  return (
    <>
      <PageTitle>{t('importInstrument.title')}</PageTitle>
      <Text mb="md" maw={760}>
        {t('importInstrument.intro')}
      </Text>
      {owners.length === 0 && me && !me.user.isOperator && <Alert color="blue">{t('instruments.noOwner')}</Alert>}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Paper withBorder p="lg">
          <form onSubmit={submit} noValidate>
            <Stack>
              <FileInput label={t('importInstrument.file')} description={t('importInstrument.fileHelp')} accept=".csv,.json,.xlsx" value={file} onChange={chooseFile} required clearable clearButtonProps={{ 'aria-label': t('import.clearFile') }} error={fieldError(send.error, 'file')} />
              <NativeSelect label={t('importInstrument.format')} value={format} onChange={(e) => setFormat(e.currentTarget.value)} data={[{ value: '', label: t('importInstrument.formatAuto') }, ...formats.map((f) => ({ value: f, label: t(`importInstrument.formats.${f}`) }))]} />
              <NativeSelect label={t('instruments.owner')} value={owner} onChange={(e) => setOwnerId(e.currentTarget.value)} data={owners.map((m) => ({ value: String(m.orgId), label: m.orgName }))} />
              <TextInput label={t('instruments.newId')} value={id} onChange={(e) => setId(e.currentTarget.value)} required error={fieldError(send.error, 'id')} />
              <Group grow>
                <NativeSelect label={t('instruments.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={[{ value: '', label: t('importInstrument.fromFormat') }, ...instrumentKinds.map((k) => ({ value: k, label: t(`instruments.kinds.${k}`) }))]} />
                <NativeSelect label={t('instruments.audience')} value={audience} onChange={(e) => setAudience(e.currentTarget.value)} data={[{ value: '', label: t('importInstrument.fromFormat') }, ...audiences.map((a) => ({ value: a, label: t(`instruments.audiences.${a}`) }))]} />
              </Group>
              <ErrorAlert error={send.error && !fieldError(send.error, 'file') && !fieldError(send.error, 'id') ? send.error : null} />
              <Group>
                <Button type="submit" loading={send.isPending && send.variables === true} disabled={!file || !owner || !id}>
                  {t('importInstrument.preview')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
        <div aria-live="polite">{result && <Report result={result} onConfirm={() => send.mutate(false)} confirming={send.isPending && send.variables === false} />}</div>
      </SimpleGrid>
      {result && (
        <>
          <Title order={2} size="h3" mt="xl" mb="sm">
            {t('importInstrument.previewTitle')}
          </Title>
          <InstrumentPreview def={result.definition} lang={result.definition.defaultLanguage} />
        </>
      )}
    </>
  );
}

function Report({ result, onConfirm, confirming }: { result: ImportResponse; onConfirm: () => void; confirming: boolean }) {
  const { t } = useTranslation();
  const errors = result.issues.filter((i) => i.severity === 'error');
  const bySeverity = (s: 'unsupported' | 'changed' | 'info') => result.notes.filter((n) => n.severity === s);
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="sm">
        {t('importInstrument.report')}
      </Title>
      <Text mb="sm">{t('importInstrument.counts', { ...result.counts, format: t(`importInstrument.formats.${result.format}`) })}</Text>
      <Text size="sm" mb="sm">
        {t('importInstrument.languages')}: {result.definition.languages.map((l) => t(`languageNames.${l}`)).join(', ')}
      </Text>
      {(['unsupported', 'changed', 'info'] as const).map((s) =>
        bySeverity(s).length ? (
          <div key={s}>
            <Group gap="xs" mt="sm">
              <Badge variant="light" color={s === 'unsupported' ? 'red' : s === 'changed' ? 'yellow' : 'gray'} c="dark.7" tt="none">
                {t(`importInstrument.severity.${s}`, { count: bySeverity(s).length })}
              </Badge>
            </Group>
            <List size="sm" mt={4}>
              {bySeverity(s)
                .slice(0, 50)
                .map((n, i) => (
                  <List.Item key={i}>
                    <code>{n.where}</code>: {n.message}
                  </List.Item>
                ))}
            </List>
          </div>
        ) : null,
      )}
      {errors.length > 0 && <Alert color="red" mt="md">{t('importInstrument.cannotStore', { count: errors.length })}</Alert>}
      <Button mt="md" onClick={onConfirm} loading={confirming} disabled={errors.length > 0}>
        {t('importInstrument.confirm')}
      </Button>
    </Paper>
  );
}
