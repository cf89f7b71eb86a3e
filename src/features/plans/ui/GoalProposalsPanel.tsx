import { Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import type { GoalDetail, PlanSummary } from '../plans.contract.js';
import { useDismissProposalMutation, useGoalProposalsQuery, usePlanMutation } from './plans.api.js';

/** The goals a team proposed from its results, waiting for the plan to take them up. */
export function GoalProposalsPanel({ org, currentPlan }: { org: OrgDetail; currentPlan: PlanSummary | null }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const list = useGoalProposalsQuery(org.id);
  const dismiss = useDismissProposalMutation();
  const take = usePlanMutation((p: { id: number; title: string }) => api<GoalDetail>('POST', `/api/plans/${currentPlan!.id}/goals`, { title: p.title.slice(0, 200), from: { kind: 'proposal', proposalId: p.id } }));
  const lang = i18n.language as LanguageCode;
  const items = list.data?.items ?? [];
  return (
    <Stack gap="md">
      <Text>{t('plans.proposalsIntro')}</Text>
      <ErrorAlert error={list.error ?? dismiss.error ?? take.error} />
      {list.data && items.length === 0 && <Text c="dark.5">{t('plans.noProposals')}</Text>}
      {items.length > 0 && (
        <Table withTableBorder striped captionSide="top">
          <Table.Caption>{t('plans.proposalsCaption', { name: org.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('plans.goal')}</Table.Th>
              <Table.Th>{t('plans.rating')}</Table.Th>
              <Table.Th>{t('plans.from')}</Table.Th>
              <Table.Th>{t('plans.proposedBy')}</Table.Th>
              {org.can['plan.manage'] && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => {
              const title = pick(p.title, lang);
              return (
                <Table.Tr key={p.id}>
                  <Table.Th scope="row">{title}</Table.Th>
                  <Table.Td>{p.value ?? '—'}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/assessments/${p.assessmentId}/results`}>
                      {t(`assessments.terms.${p.term}`)} {p.schoolYear}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {p.proposedBy ?? '—'} · {new Date(p.proposedAt).toLocaleDateString(i18n.language)}
                  </Table.Td>
                  {org.can['plan.manage'] && (
                    <Table.Td>
                      {currentPlan && (
                        <Button size="compact-sm" variant="light" mr="xs" loading={take.isPending && take.variables?.id === p.id} onClick={() => take.mutate({ id: p.id, title }, { onSuccess: (goal) => navigate(`/goals/${goal.id}`) })} aria-label={t('plans.withItem', { action: t('plans.addToPlan', { plan: currentPlan.title }), item: title })}>
                          {t('plans.addToPlan', { plan: currentPlan.title })}
                        </Button>
                      )}
                      <Button size="compact-sm" variant="subtle" loading={dismiss.isPending && dismiss.variables === p.id} onClick={() => dismiss.mutate(p.id)} aria-label={t('plans.withItem', { action: t('plans.dismiss'), item: title })}>
                        {t('plans.dismiss')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
