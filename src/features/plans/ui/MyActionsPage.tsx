import { Anchor, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import type { ActionView } from '../plans.contract.js';
import { StatusSelect } from './PlanParts.js';
import { useMyActionsQuery, usePlanMutation } from './plans.api.js';

/** The actions I own across every plan I may read: open ones by due date, then those done. */
export function MyActionsPage() {
  const { t } = useTranslation();
  const list = useMyActionsQuery();
  const change = usePlanMutation((v: { id: number; status: string }) => api<ActionView>('PATCH', `/api/actions/${v.id}`, { status: v.status }));
  const items = list.data?.items ?? [];
  return (
    <>
      <PageTitle>{t('plans.myActions')}</PageTitle>
      <ErrorAlert error={list.error ?? change.error} />
      {list.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {list.data && items.length === 0 && <Text>{t('plans.noMyActions')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table withTableBorder striped captionSide="top">
            <Table.Caption>{t('plans.myActionsCaption', { count: items.filter((a) => a.status !== 'done').length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('plans.action')}</Table.Th>
                <Table.Th>{t('plans.goalTitle')}</Table.Th>
                <Table.Th>{t('plans.dueOn')}</Table.Th>
                <Table.Th>{t('plans.statusLabel')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row">{a.title}</Table.Th>
                  <Table.Td>
                    <Anchor component={Link} to={`/goals/${a.goalId}`}>
                      {a.goalTitle}
                    </Anchor>
                    <Text size="xs" c="dark.5">
                      {a.planTitle} · {a.orgName}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {a.dueOn ?? '—'}
                    {a.overdue && (
                      <Text size="xs" c="red.9">
                        {t('plans.overdue')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
<StatusSelect title={a.title} status={a.status} onChange={(status) => change.mutate({ id: a.id, status })} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
