import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { type Monitor, MONITOR_INTERVAL_MS } from '../surveys.api.js';
import { formatDay } from '../zonedTime.js';
import { percent } from './SchoolsTable.js';
import { ScrollTable } from './ScrollTable.js';

/**
 * The live count, refreshed every few seconds: responses so far and blank ones, per day (a table
 * whose cells carry a bar, so the chart and the numbers are one thing) and per school.
 */
export function MonitorPanel({ monitor, error, live }: { monitor: Monitor | undefined; error: unknown; live: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (x: number) => x.toLocaleString(lang);
  const peak = Math.max(1, ...(monitor?.days ?? []).map((d) => d.responses));
  return (
    <Stack gap="sm" component="section" aria-labelledby="monitor-title">
      <Title order={2} size="h3" id="monitor-title">
        {t('surveys.monitor.title')}
      </Title>
      <Text size="sm">{live ? t('surveys.monitor.help', { seconds: MONITOR_INTERVAL_MS / 1000 }) : t('surveys.monitor.final')}</Text>
      <ErrorAlert error={error} />
      {monitor && (
        <>
          {/* Polite: a changed count is read out when the reader is idle, never interrupting. */}
          <Group gap="xl" aria-live="polite">
            <Text fw={700} size="lg">
              {t('surveys.monitor.total', { count: monitor.total, n: n(monitor.total) })}
            </Text>
            <Text>{t('surveys.monitor.blank', { count: monitor.blank, n: n(monitor.blank) })}</Text>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Paper withBorder p="md">
              {monitor.days.length === 0 ? (
                <Text>{t('surveys.monitor.noneYet')}</Text>
              ) : (
                <Table captionSide="top">
                  <Table.Caption>{t('surveys.monitor.daysCaption')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('surveys.monitor.day')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.fields.responses')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {monitor.days.map((d) => (
                      <Table.Tr key={d.day}>
                        <Table.Th scope="row" fw={400}>
                          {formatDay(d.day, lang)}
                        </Table.Th>
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap">
                            <span style={{ minWidth: '3ch', textAlign: 'right' }}>{n(d.responses)}</span>
                            <div aria-hidden="true" style={{ flex: 1, maxWidth: 220 }}>
                              <div style={{ height: 12, width: `${(d.responses / peak) * 100}%`, minWidth: 2, background: 'var(--mantine-color-brand-8)', borderRadius: 2 }} />
                            </div>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
            <Paper withBorder p="md">
              <ScrollTable label={t('surveys.monitor.schoolsCaption')}>
                <Table captionSide="top">
                  <Table.Caption>{t('surveys.monitor.schoolsCaption')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('surveys.schools.school')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.fields.responses')}</Table.Th>
                      <Table.Th scope="col">{t('fields.enrolment')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.schools.participation')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.schools.declined')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {monitor.sites.map((s) => (
                      <Table.Tr key={s.orgId}>
                        <Table.Th scope="row">{s.name}</Table.Th>
                        <Table.Td>{n(s.responses)}</Table.Td>
                        <Table.Td>{s.enrolment === null ? '—' : n(s.enrolment)}</Table.Td>
                        <Table.Td>{percent(s.participation, lang)}</Table.Td>
                        <Table.Td>{n(s.declined)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </Paper>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
