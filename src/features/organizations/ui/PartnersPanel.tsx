import { Anchor, Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { OrgKindBadge } from '../../../client/components/OrgKindBadge.js';
import type { OrgDetail } from '../organizations.contract.js';
import { useOrgListQuery, usePartnerLinkMutation, usePartnerLinksQuery } from './organizations.api.js';

/** Partners serving a school or district; for a partner, the schools and districts it serves. */
export function PartnersPanel({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const links = usePartnerLinksQuery(org.id);
  const isPartner = org.kind === 'partner';
  const canLink = !isPartner && org.can['partner.link'] && org.status === 'active';
  const directory = useOrgListQuery({ kind: 'partner', limit: 200 }, canLink);
  const mutate = usePartnerLinkMutation(org.id);
  const [choice, setChoice] = useState('');
  const linkedIds = new Set(links.data?.items.map((o) => o.id));
  const options = (directory.data?.items ?? []).filter((p) => !linkedIds.has(p.id));
  return (
    <Stack>
      <ErrorAlert error={links.error ?? mutate.error} />
      {links.data && links.data.total === 0 && <Text>{isPartner ? t('partners.noneServed') : canLink ? t('partners.noneCanLink') : t('partners.none')}</Text>}
      {links.data && links.data.total > 0 && (
        <Table captionSide="top" withTableBorder striped>
          <Table.Caption>{isPartner ? t('partners.served', { name: org.name }) : t('partners.linked', { name: org.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.name')}</Table.Th>
              <Table.Th>{t('fields.kind')}</Table.Th>
              {canLink && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/orgs/${p.id}`}>
                    {p.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <OrgKindBadge kind={p.kind} country={p.country} />
                </Table.Td>
                {canLink && (
                  <Table.Td>
                    <Button size="xs" variant="subtle" color="red" onClick={() => mutate.mutate({ partnerId: p.id, link: false })} aria-label={t('partners.unlinkNamed', { name: p.name })}>
                      {t('partners.unlink')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canLink && (
        <Group align="flex-end">
          <NativeSelect
            label={t('partners.choose')}
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value)}
            data={[{ value: '', label: options.length ? t('partners.pick') : t('partners.noneAvailable') }, ...options.map((p) => ({ value: String(p.id), label: p.name }))]}
          />
          <Button
            disabled={!choice}
            loading={mutate.isPending}
            onClick={() => {
              mutate.mutate({ partnerId: Number(choice), link: true });
              setChoice('');
            }}
          >
            {t('partners.link')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
