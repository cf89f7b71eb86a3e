import { Code, Group, NativeSelect, Pagination, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import type { AuditPage as AuditData } from '../audit.contract.js';

const PAGE_SIZE = 50;
const groups = ['auth', 'org', 'member', 'partner'] as const;
const actions = ['auth.login', 'auth.login_failed', 'auth.password_changed', 'auth.reset_requested', 'auth.password_reset', 'org.created', 'org.updated', 'org.moved', 'org.archived', 'org.restored', 'org.imported', 'partner.linked', 'partner.unlinked', 'member.invited', 'member.invitation_revoked', 'member.invitation_accepted', 'member.role_changed', 'member.removed'];

/** Whole groups filter by prefix ("org."), single actions by their full name. */
function actionOptions(t: (k: string) => string) {
  return [
    { value: '', label: t('audit.allActions') },
    ...groups.map((g) => ({ group: t(`audit.groups.${g}`), items: [{ value: `${g}.`, label: t(`audit.groups.${g}`) }, ...actions.filter((a) => a.startsWith(`${g}.`)).map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))] })),
  ];
}

/** The audit log for admins, filtered by action, person and dates; filters live in the URL. */
export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = { action: params.get('action') ?? '', actor: params.get('actor') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const page = Number(params.get('page') ?? '1') || 1;
  const [debounced] = useDebouncedValue(filters, 300);
  const qs = new URLSearchParams({ offset: String((page - 1) * PAGE_SIZE), limit: String(PAGE_SIZE) });
  for (const [k, v] of Object.entries(debounced)) if (v) qs.set(k, v);
  const { data, error } = useQuery({ queryKey: ['audit', qs.toString()], queryFn: () => api<AuditData>('GET', `/api/audit?${qs}`), placeholderData: keepPreviousData });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('page');
    setParams(next, { replace: true });
  };
  const pages = Math.max(1, Math.ceil((data?.total ?? 0) / PAGE_SIZE));
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Group align="flex-end" mb="md">
        <NativeSelect label={t('audit.action')} value={filters.action} onChange={(e) => set('action', e.currentTarget.value)} data={actionOptions(t)} />
        <TextInput label={t('audit.actor')} type="email" value={filters.actor} onChange={(e) => set('actor', e.currentTarget.value)} />
        <TextInput label={t('audit.from')} type="date" value={filters.from} onChange={(e) => set('from', e.currentTarget.value)} />
        <TextInput label={t('audit.to')} type="date" value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} />
      </Group>
      <ErrorAlert error={error} />
      {data && data.total === 0 && <Text>{t('audit.empty')}</Text>}
      {data && data.total > 0 && (
        <>
          <Table captionSide="top" striped withTableBorder>
            <Table.Caption>{t('audit.caption', { count: data.total })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.when')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('fields.organization')}</Table.Th>
                <Table.Th>{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                  <Table.Td>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Table.Td>
                  <Table.Td>{e.actorEmail ?? '—'}</Table.Td>
                  <Table.Td>{e.orgName ?? '—'}</Table.Td>
                  <Table.Td>{e.details ? <Code>{JSON.stringify(e.details)}</Code> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {pages > 1 && (
            <Pagination
              mt="sm"
              total={pages}
              value={page}
              onChange={(p) => {
                const next = new URLSearchParams(params);
                next.set('page', String(p));
                setParams(next);
              }}
              getControlProps={(c) => ({ 'aria-label': t(`pager.${c}`) })}
              getItemProps={(p) => ({ 'aria-label': t('pager.page', { page: p }) })}
            />
          )}
        </>
      )}
    </>
  );
}
