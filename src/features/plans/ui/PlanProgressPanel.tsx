import { Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { elementNames, useFrameworksQuery } from '../../frameworks/ui/frameworks.api.js';
import { actionStatuses } from '../plans.model.js';
import { usePlanProgressQuery } from './plans.api.js';

/** Progress of the current plans below a district or state: by organisation, then by framework element. */
export function PlanProgressPanel({ orgId }: { orgId: number }) {
  const { t, i18n } = useTranslation();
  const progress = usePlanProgressQuery(orgId);
  const names = elementNames(useFrameworksQuery().data?.items, i18n.language);
  const p = progress.data;
  const statusHeads = actionStatuses.map((s) => <Table.Th key={s}>{t(`plans.status.${s}`)}</Table.Th>);
  return (
    <section aria-labelledby="plan-progress">
      <Title order={2} size="h3" mb="xs" id="plan-progress">
        {t('plans.progress.title')}
      </Title>
      <ErrorAlert error={progress.error} />
      {p && (
        <Stack>
          <Text>{t('plans.progress.summary', { withPlan: p.total.withPlan, schools: p.total.organizations, goals: p.total.goals, met: p.total.goalsMet, overdue: p.total.overdue })}</Text>
          {p.rows.length > 0 && (
            <Table.ScrollContainer minWidth={700}>
              <Table withTableBorder striped captionSide="top">
                <Table.Caption>{t('plans.progress.byOrg')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('plans.progress.org')}</Table.Th>
                    <Table.Th>{t('plans.progress.withPlan')}</Table.Th>
                    <Table.Th>{t('plans.goals')}</Table.Th>
                    <Table.Th>{t('plans.progress.met')}</Table.Th>
                    {statusHeads}
                    <Table.Th>{t('plans.overdue')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.rows.map((r) => (
                    <Table.Tr key={r.orgId}>
                      <Table.Th scope="row">{r.orgName}</Table.Th>
                      <Table.Td>{t('plans.progress.ofSchools', { n: r.withPlan, of: r.organizations })}</Table.Td>
                      <Table.Td>{r.goals}</Table.Td>
                      <Table.Td>{r.goalsMet}</Table.Td>
                      {actionStatuses.map((s) => (
                        <Table.Td key={s}>{r.actions[s]}</Table.Td>
                      ))}
                      <Table.Td>{r.overdue}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {p.byElement.length > 0 ? (
            <Table.ScrollContainer minWidth={700}>
              <Table withTableBorder striped captionSide="top">
                <Table.Caption>{t('plans.progress.byElement')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('plans.progress.element')}</Table.Th>
                    <Table.Th>{t('plans.goals')}</Table.Th>
                    {statusHeads}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.byElement.map((e) => (
                    <Table.Tr key={e.element}>
                      <Table.Th scope="row">{names.get(e.element) ? `${names.get(e.element)!.element} (${names.get(e.element)!.framework})` : e.element}</Table.Th>
                      <Table.Td>{e.goals}</Table.Td>
                      {actionStatuses.map((s) => (
                        <Table.Td key={s}>{e.actions[s]}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Text c="dark.5">{t('plans.progress.none')}</Text>
          )}
        </Stack>
      )}
    </section>
  );
}
