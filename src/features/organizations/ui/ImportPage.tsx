import { Alert, Button, Checkbox, FileInput, Group, List, NativeSelect, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { fieldError } from '../../../client/forms.js';
import { presetIds } from '../directory.contract.js';
import type { ImportJob } from '../directory.contract.js';
import { useImportJobQuery, useOrgListQuery, useStartImportMutation } from './organizations.api.js';

/** Upload a school directory, watch it import, read what changed. */
export function ImportPage() {
  const { t } = useTranslation();
  // Only networks and states where this person may import are offered.
  const networks = useOrgListQuery({ kind: 'network', can: 'org.import', limit: 200 });
  const states = useOrgListQuery({ kind: 'state', can: 'org.import', limit: 200 });
  const targets = [...(networks.data?.items ?? []), ...(states.data?.items ?? [])];
  const [underId, setUnderId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preset, setPreset] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useStartImportMutation();
  const job = useImportJobQuery(jobId);
  const chosen = underId || (targets[0] ? String(targets[0].id) : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || !chosen) return;
    setJobId(null);
    start.mutate({ file, underId: Number(chosen), preset: preset || undefined, dryRun }, { onSuccess: (r) => setJobId(r.id) });
  };
  const running = start.isPending || job.data?.status === 'running';
  return (
    <>
      <PageTitle>{t('import.title')}</PageTitle>
      <Text mb="md" maw={720}>
        {t('import.intro')}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Paper withBorder p="lg">
          <form onSubmit={submit} noValidate>
            <Stack>
              {targets.length === 0 && !networks.isLoading && !states.isLoading && <Alert color="blue">{t('import.noTargets')}</Alert>}
              <NativeSelect label={t('import.under')} value={chosen} onChange={(e) => setUnderId(e.currentTarget.value)} data={targets.map((o) => ({ value: String(o.id), label: `${o.name} (${o.code})` }))} />
              <FileInput label={t('import.file')} description={t('import.fileHelp')} accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': t('import.clearFile') }} required error={fieldError(start.error, 'file')} />
              <NativeSelect
                label={t('import.preset')}
                value={preset}
                onChange={(e) => setPreset(e.currentTarget.value)}
                data={[{ value: '', label: t('import.presetAuto') }, ...presetIds.map((p) => ({ value: p, label: t(`import.presets.${p}`) }))]}
              />
              <Checkbox label={t('import.dryRun')} description={t('import.dryRunHelp')} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
              <ErrorAlert error={start.error && !fieldError(start.error, 'file') ? start.error : null} />
              <Group>
                <Button type="submit" disabled={!file || !chosen} loading={running}>
                  {t('import.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
        <div aria-live="polite">{(start.isPending || job.data) && <ImportProgress job={job.data} uploading={start.isPending} />}</div>
      </SimpleGrid>
    </>
  );
}

function ImportProgress({ job, uploading }: { job: ImportJob | undefined; uploading: boolean }) {
  const { t } = useTranslation();
  const total = job?.total ?? 0;
  const pct = job?.status === 'done' ? 100 : total > 0 ? Math.round(((job?.done ?? 0) / total) * 100) : 0;
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="sm">
        {uploading ? t('import.uploading') : job?.status === 'running' ? t('import.running') : job?.status === 'failed' ? t('import.failed') : t('import.done')}
      </Title>
      <Progress value={pct} aria-label={t('import.progress')} animated={job?.status === 'running' || uploading} mb="md" />
      {job?.status === 'failed' && <Alert color="red">{job.error}</Alert>}
      {job?.summary && (
        <Stack gap="xs">
          {job.summary.dryRun && <Alert color="blue">{t('import.dryRunDone')}</Alert>}
          <List>
            {(['created', 'updated', 'unchanged', 'archived', 'skipped'] as const).map((k) => (
              <List.Item key={k}>{t(`import.summary.${k}`, { count: job.summary![k] })}</List.Item>
            ))}
          </List>
          {job.summary.created + job.summary.updated + job.summary.archived === 0 && !job.summary.dryRun && <Text>{t('import.nothingChanged')}</Text>}
          {job.summary.errors.length > 0 && (
            <>
              <Title order={3} size="h4" mt="sm">
                {t('import.problems', { count: job.summary.errors.length })}
              </Title>
              <List size="sm">
                {job.summary.errors.slice(0, 100).map((e) => (
                  <List.Item key={`${e.line}-${e.message}`}>{t('import.lineError', { line: e.line, message: e.message })}</List.Item>
                ))}
              </List>
            </>
          )}
        </Stack>
      )}
    </Paper>
  );
}
