import { Alert, Anchor, List, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportJob, ImportProgress } from '../../surveys.import.contract.js';
import { ScrollTable } from './ScrollTable.js';

/** A running import's progress, then its report: what was imported, left out and not recognised. */
export function ImportProgressPanel({ progress, job, starting }: { progress: ImportProgress | undefined; job: ImportJob | undefined; starting: boolean }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => x.toLocaleString(i18n.language);
  const total = progress?.total ?? 0;
  const done = progress?.status === 'done';
  // Reading and writing each make half of the bar.
  const pct = done ? 100 : total > 0 ? Math.round(((progress!.read + progress!.written) / (2 * total)) * 100) : 0;
  const status = starting || !progress ? 'starting' : progress.status === 'running' ? progress.phase : progress.status;
  return (
    <Paper withBorder p="lg" component="section" aria-label={t('surveyImport.step3')}>
      <Title order={2} size="h3" mb="sm">
        {t('surveyImport.step3')}
      </Title>
      <Text fw={500} role="status" aria-live="polite">
        {t(`surveyImport.status.${status}`)}
      </Text>
      <Progress value={pct} aria-label={t('surveyImport.progress')} animated={!done && progress?.status !== 'failed'} my="sm" />
      {progress && <Text size="sm">{t('surveyImport.counts', { read: n(progress.read), written: n(progress.written), total: n(progress.total) })}</Text>}
      {job?.status === 'failed' && (
        <Alert color="red" role="alert" mt="sm" title={t('surveyImport.failedTitle')}>
          {job.error}
        </Alert>
      )}
      {job?.status === 'done' && job.report && <Report job={job} />}
    </Paper>
  );
}

function Report({ job }: { job: ImportJob }) {
  const { t, i18n } = useTranslation();
  const report = job.report!;
  const n = (x: number) => x.toLocaleString(i18n.language);
  return (
    <Stack gap="md" mt="md">
      <Alert color="teal">
        <Text fw={600} mb={4}>
          {t('surveyImport.doneTitle', { count: report.imported, n: n(report.imported) })}
        </Text>
        <Anchor component={Link} to={`/surveys/${job.administrationId}`}>
          {t('surveyImport.open', { title: job.title })}
        </Anchor>
      </Alert>
      <ScrollTable label={t('surveyImport.perSchoolCaption')}>
        <Table withTableBorder captionSide="top" maw={560}>
          <Table.Caption>{t('surveyImport.perSchoolCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('surveyImport.fields.school')}</Table.Th>
              <Table.Th scope="col">{t('surveyImport.responses')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.perSchool.map((s) => (
              <Table.Tr key={s.orgId}>
                <Table.Th scope="row" fw={400}>
                  {s.name}
                </Table.Th>
                <Table.Td>{n(s.responses)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>

      <Title order={3} size="h4">
        {t('surveyImport.skippedTitle')}
      </Title>
      {report.skipped.length === 0 ? (
        <Text>{t('surveyImport.noneSkipped')}</Text>
      ) : (
        <List>
          {report.skipped.map((s) => (
            <List.Item key={s.reason}>{t(`surveyImport.skipped.${s.reason}`, { count: s.count, lines: s.lines.join(', ') })}</List.Item>
          ))}
        </List>
      )}

      <Title order={3} size="h4">
        {t('surveyImport.unmappedTitle', { count: report.unmappedColumns.length })}
      </Title>
      <Text>{report.unmappedColumns.length ? report.unmappedColumns.join(', ') : t('surveyImport.noneUnmapped')}</Text>

      <Title order={3} size="h4">
        {t('surveyImport.invalidTitle')}
      </Title>
      {report.invalid.length === 0 ? (
        <Text>{t('surveyImport.noneInvalid')}</Text>
      ) : (
        <ScrollTable label={t('surveyImport.invalidCaption')}>
          <Table withTableBorder captionSide="top">
            <Table.Caption>{t('surveyImport.invalidCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('surveyImport.column')}</Table.Th>
                <Table.Th scope="col">{t('surveyImport.question')}</Table.Th>
                <Table.Th scope="col">{t('surveyImport.value')}</Table.Th>
                <Table.Th scope="col">{t('surveyImport.rows')}</Table.Th>
                <Table.Th scope="col">{t('surveyImport.firstLines')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.invalid.map((v) => (
                <Table.Tr key={`${v.column}|${v.value}`}>
                  <Table.Th scope="row" fw={400}>
                    {v.column}
                  </Table.Th>
                  <Table.Td>{v.target}</Table.Td>
                  <Table.Td>{v.value}</Table.Td>
                  <Table.Td>{n(v.count)}</Table.Td>
                  <Table.Td>{v.lines.join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
