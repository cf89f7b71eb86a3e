import { Anchor, Group, Pagination, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { OrgKindBadge } from '../../../client/components/OrgKindBadge.js';
import type { OrgList } from '../organizations.contract.js';

/** A page of organisations as a table with a pager; used for search results and children. */
export function OrgTable({ data, page, pageSize, onPage, caption }: { data: OrgList; page: number; pageSize: number; onPage: (p: number) => void; caption: string }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(data.total / pageSize));
  return (
    <>
      <Table captionSide="top" striped highlightOnHover withTableBorder>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('fields.name')}</Table.Th>
            <Table.Th>{t('fields.kind')}</Table.Th>
            <Table.Th>{t('fields.code')}</Table.Th>
            <Table.Th>{t('fields.gradeSpan')}</Table.Th>
            <Table.Th>{t('fields.enrolment')}</Table.Th>
            <Table.Th>{t('fields.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.items.map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                <Anchor component={Link} to={`/orgs/${o.id}`}>
                  {o.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <OrgKindBadge kind={o.kind} country={o.country} />
              </Table.Td>
              <Table.Td>{o.code}</Table.Td>
              <Table.Td>{o.gradeSpan ?? '—'}</Table.Td>
              <Table.Td>{o.enrolment?.toLocaleString() ?? '—'}</Table.Td>
              <Table.Td>{t(`status.${o.status}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between" mt="sm">
        <Text size="sm" c="dark.5">
          {t('orgs.results', { count: data.total })}
        </Text>
        {pages > 1 && (
          <Pagination total={pages} value={page} onChange={onPage} getControlProps={(c) => ({ 'aria-label': t(`pager.${c}`) })} getItemProps={(p) => ({ 'aria-label': t('pager.page', { page: p }) })} />
        )}
      </Group>
    </>
  );
}
