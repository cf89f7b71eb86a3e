import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOrgQuery } from '../../../organizations/ui/organizations.api.js';
import { MakeGoal } from '../../../plans/ui/MakeGoal.js';
import { RecommendedResources } from '../../../resources/ui/RecommendedResources.js';
import type { SurveyReport } from '../../reports.contract.js';
import type { FigureText } from './figures.js';

/**
 * From these results to a plan: the tagged scales from the lowest favourable share up, each of
 * which can become a goal for this organisation (and the group filtered on), and the resources
 * tagged like the lowest one. Only figures the report shows are offered.
 */
export function PlanFromResults({ report, text }: { report: SurveyReport; text: FigureText }) {
  const { t } = useTranslation();
  const org = useOrgQuery(report.org.id).data;
  const scales = report.scales
    .filter((s) => s.tags.length > 0 && !s.overall.withheld && s.overall.favourable.value !== null && !s.overall.favourable.coded)
    .sort((a, b) => a.overall.favourable.value! - b.overall.favourable.value!);
  if (!scales.length) return <Text>{t('reports.plan.nothing')}</Text>;
  const canPlan = !!org?.can['plan.manage'] && !report.alsoFilter;
  const group = report.filter ? { questionId: report.filter.dim, value: report.filter.group } : null;
  const who = report.filter ? `${report.org.name}, ${report.filter.label}` : report.org.name;
  return (
    <>
      <Table.ScrollContainer minWidth={420} mb="lg">
      <Table withTableBorder striped captionSide="top">
        <Table.Caption>{t('reports.plan.caption', { who })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('reports.plan.scale')}</Table.Th>
            <Table.Th>{t('reports.favourable')}</Table.Th>
            {canPlan && <Table.Th className="no-print">{t('reports.plan.goal')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scales.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Th scope="row">{s.title}</Table.Th>
              <Table.Td>{text.percent(s.overall.favourable)}</Table.Td>
              {canPlan && (
                <Table.Td className="no-print">
                  <MakeGoal
                    orgId={report.org.id}
                    label={s.title}
                    from={{ kind: 'survey', administrationId: report.administration.id, scaleId: s.id, metric: 'percent_favorable', group }}
                    suggestion={{ title: t('reports.plan.titleFor', { name: s.title, who }), baseline: s.overall.favourable.value, target: Math.min(100, Math.round(s.overall.favourable.value! + 5)), frameworkId: s.tags[0].split(':')[0] }}
                  />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      </Table.ScrollContainer>
      <div className="no-print">
        <RecommendedResources elements={scales[0].tags} />
      </div>
    </>
  );
}
