import { List, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SurveyReport } from '../../reports.contract.js';
import { TableToggle } from './ChartFigure.js';
import { DataTable } from './DataTable.js';
import type { FigureText, Scale } from './figures.js';
import { Sparkline } from './Sparkline.js';

/** The change from the last administration with a figure to this one, in words (null when none can be told). */
function useChange() {
  const { t } = useTranslation();
  return (s: Scale): string => {
    if (s.trend.length < 2) return t('reports.trend.first');
    const now = s.trend[s.trend.length - 1].figure;
    const before = [...s.trend.slice(0, -1)].reverse().find((p) => !p.figure.withheld && p.figure.favourable.value !== null);
    if (!before) return t('reports.trend.noEarlier');
    // A coded share ("95 % or more") has no exact value to subtract from.
    if (now.withheld || now.favourable.value === null || now.favourable.coded || before.figure.favourable.coded) return t('reports.trend.cannotTell', { title: before.title });
    const diff = Math.round(now.favourable.value - before.figure.favourable.value!);
    return diff === 0 ? t('reports.trend.same', { title: before.title }) : t(diff > 0 ? 'reports.trend.up' : 'reports.trend.down', { count: Math.abs(diff), title: before.title });
  };
}

/** Each scale's % favourable beside the parent organisation, with its mean, respondents and trend. */
export function Headline({ report, text }: { report: SurveyReport; text: FigureText }) {
  const { t } = useTranslation();
  const change = useChange();
  const parent = report.parent;
  // Every administration any scale's trend names, oldest first: the columns of the trend table.
  const admins = [...new Map(report.scales.flatMap((s) => s.trend).map((p) => [p.administrationId, p])).values()].sort((a, b) => a.closesAt.localeCompare(b.closesAt));
  const trendLabel = (s: Scale) => t('reports.trend.label', { values: s.trend.map((p) => `${p.title}: ${text.figure(p.figure)}`).join('; ') });
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        {report.scales.map((s) => {
          const mean = text.mean(s.method, s.overall);
          return (
            <Paper key={s.id} withBorder p="md" className="report-card">
              <Title order={3} size="h4" mb={4}>
                {s.title}
              </Title>
              {s.overall.withheld || s.overall.n === 0 ? (
                <Text fw={600}>{text.figure(s.overall)}</Text>
              ) : (
                <Text>
                  <Text span fz={30} fw={700} lh={1.2}>
                    {text.percent(s.overall.favourable)}
                  </Text>{' '}
                  {t('reports.favourable')}
                </Text>
              )}
              {parent && s.parent && (
                <Text size="sm">{t('reports.beside', { org: parent.name, value: text.figure(s.parent) })}</Text>
              )}
              {mean && (
                <Text size="xs" c="dimmed">
                  {mean}
                </Text>
              )}
              {s.overall.n !== null && s.overall.n > 0 && <Text size="sm">{t('reports.scoreCount', { count: s.overall.n, n: text.count(s.overall.n) })}</Text>}
              {s.bands.length > 0 && !s.overall.withheld && (
                <List size="sm" spacing={0} mt={4}>
                  {s.bands.map((b, i) => (
                    <List.Item key={b.id}>
                      {b.label}: {text.percent(s.overall.bands[i]?.percent ?? { value: null, coded: null })}
                    </List.Item>
                  ))}
                </List>
              )}
              <div className="report-trend">
                <Sparkline trend={s.trend} label={trendLabel(s)} />
                <Text size="sm">{change(s)}</Text>
              </div>
            </Paper>
          );
        })}
      </SimpleGrid>
      <TableToggle>
        <DataTable
          caption={t('reports.overview.tableCaption', { org: report.org.name })}
          head={[t('reports.columns.scale'), t('reports.columns.scored'), t('reports.columns.favourable'), t('reports.columns.mean'), t('reports.columns.method'), ...(parent ? [t('reports.columns.parentFavourable', { org: parent.name })] : [])]}
        >
          {report.scales.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Th scope="row">{s.title}</Table.Th>
              <Table.Td>{s.overall.withheld ? text.withheld(s.overall.withheld) : text.count(s.overall.n ?? 0)}</Table.Td>
              <Table.Td>{text.figure(s.overall)}</Table.Td>
              <Table.Td>{text.meanValue(s.method, s.overall) ?? '—'}</Table.Td>
              <Table.Td>{text.methodWords(s.method)}</Table.Td>
              {parent && <Table.Td>{s.parent ? text.figure(s.parent) : '—'}</Table.Td>}
            </Table.Tr>
          ))}
        </DataTable>
        <DataTable caption={t('reports.trend.caption')} head={[t('reports.columns.scale'), ...admins.map((a) => a.title)]}>
          {report.scales.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Th scope="row">{s.title}</Table.Th>
              {admins.map((a) => {
                const p = s.trend.find((x) => x.administrationId === a.administrationId);
                return <Table.Td key={a.administrationId}>{p ? text.figure(p.figure) : '—'}</Table.Td>;
              })}
            </Table.Tr>
          ))}
        </DataTable>
      </TableToggle>
    </>
  );
}
