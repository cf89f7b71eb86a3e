import { Alert, Button, Group, Paper, Progress, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../client/api.js';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { exportFormats, type SurveyExportFormat, type SurveyExportJob, type SurveyExportRequest } from '../../reports.export.contract.js';

type Scope = SurveyExportRequest['scope'];
const languages = ['en', 'fr', 'es'] as const;

function useStartExportMutation(administrationId: number) {
  return useMutation({ mutationFn: (body: SurveyExportRequest) => api<{ jobId: string }>('POST', `/api/surveys/${administrationId}/exports`, body) });
}

/** An export's progress, asked for twice a second until it is done or failed. */
function useExportJobQuery(jobId: string | null) {
  return useQuery({
    queryKey: ['reports', 'exports', jobId],
    queryFn: () => api<SurveyExportJob>('GET', `/api/exports/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'done' || q.state.data.status === 'failed') ? false : 500),
  });
}

/**
 * Exports the results on screen as CSV, XLSX or a PDF report, for this organisation or for it and
 * every one below it: the server prepares the file in the background (progress shown here) with
 * the same privacy rules as the page, then offers it to download.
 */
export function ExportMenu({ administrationId, orgId }: { administrationId: number; orgId: number }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const [scope, setScope] = useState<Scope>('org');
  // The export started for the organisation on screen; moving to another one leaves it behind.
  const [started, setStarted] = useState<{ jobId: string; orgId: number; administrationId: number } | null>(null);
  const current = started && started.orgId === orgId && started.administrationId === administrationId ? started : null;
  const start = useStartExportMutation(administrationId);
  const job = useExportJobQuery(current?.jobId ?? null);
  const busy = start.isPending || (!!current && (!job.data || job.data.status === 'queued' || job.data.status === 'running'));
  const lang = languages.find((l) => l === i18n.language) ?? 'en';
  const run = (format: SurveyExportFormat) => start.mutate({ org: orgId, format, scope, lang }, { onSuccess: (r) => setStarted({ jobId: r.jobId, orgId, administrationId }) });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} className="no-print">
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {t('reportExports.title')}
        </Title>
        <Text size="sm">{t('reportExports.intro')}</Text>
        <Radio.Group label={t('reportExports.scope')} value={scope} onChange={(v) => setScope(v as Scope)}>
          <Group mt="xs" gap="md">
            <Radio value="org" label={t('reportExports.scopeOrg')} />
            <Radio value="org_and_below" label={t('reportExports.scopeBelow')} />
          </Group>
        </Radio.Group>
        <Group gap="sm" role="group" aria-label={t('reportExports.formats')}>
          {exportFormats.map((f) => (
            <Button key={f} variant="light" onClick={() => run(f)} disabled={busy && !(start.isPending && start.variables?.format === f)} loading={start.isPending && start.variables?.format === f}>
              {t(`reportExports.format.${f}`)}
            </Button>
          ))}
        </Group>
        <ErrorAlert error={start.error} />
        <div aria-live="polite">{current && <ExportProgress jobId={current.jobId} job={job.data} error={job.error} />}</div>
      </Stack>
    </Paper>
  );
}

function ExportProgress({ jobId, job, error }: { jobId: string; job: SurveyExportJob | undefined; error: unknown }) {
  const { t } = useTranslation();
  if (error) return <ErrorAlert error={error} />;
  const pct = job?.status === 'done' ? 100 : job && job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  const working = !job || job.status === 'queued' || job.status === 'running';
  return (
    <Stack gap="xs">
      <Text size="sm">
        {!job || job.status === 'queued'
          ? t('reportExports.queued')
          : job.status === 'running'
            ? job.total > 0
              ? t('reportExports.running', { done: job.done, total: job.total })
              : t('reportExports.starting')
            : job.status === 'done'
              ? t('reportExports.ready')
              : t('reportExports.failed')}
      </Text>
      <Progress value={pct} aria-label={t('reportExports.progress')} animated={working} />
      {job?.status === 'failed' && <Alert color="red">{job.error}</Alert>}
      {job?.status === 'done' && (
        <Group gap="sm">
          <Button component="a" href={`/api/exports/${jobId}/file`} download={job.fileName}>
            {t('reportExports.download', { fileName: job.fileName })}
          </Button>
          <Text size="sm">
            {t('reportExports.kept')}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
