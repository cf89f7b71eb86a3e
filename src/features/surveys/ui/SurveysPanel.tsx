import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { useInstrumentsQuery } from '../../instruments/ui/instruments.api.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import { ScrollTable } from './components/ScrollTable.js';
import { StateBadge } from './components/StateBadge.js';
import { useAdministrationsQuery } from './surveys.api.js';
import { formatInZone } from './zonedTime.js';

/** The survey administrations given by an organisation, below it, or covering its schools. */
export function SurveysPanel({ org }: { org: OrgDetail }) {
  const { t, i18n } = useTranslation();
  const list = useAdministrationsQuery(org.id);
  const instruments = useInstrumentsQuery({ kind: 'survey' });
  const titles = new Map((instruments.data?.items ?? []).map((i) => [i.id, pick(i.title, i18n.language as LanguageCode)]));
  const canRun = org.can['survey.run'] && org.status === 'active';
  const items = list.data?.items ?? [];
  return (
    <Stack gap="lg">
      {canRun && (
        <Group>
          <Button component={Link} to={`/orgs/${org.id}/surveys/new`}>
            {t('surveys.setUp')}
          </Button>
          <Button variant="default" component={Link} to={`/orgs/${org.id}/surveys/import`}>
            {t('surveyImport.link')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={list.error} />
      {list.data && items.length === 0 && <Text>{canRun ? t('surveys.noneCanRun') : t('surveys.none')}</Text>}
      {items.length > 0 && (
        <ScrollTable label={t('surveys.listCaption', { name: org.name })}>
          <Table withTableBorder striped captionSide="top">
            <Table.Caption>{t('surveys.listCaption', { name: org.name })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('surveys.fields.title')}</Table.Th>
                <Table.Th scope="col">{t('surveys.fields.instrument')}</Table.Th>
                <Table.Th scope="col">{t('surveys.fields.givenBy')}</Table.Th>
                <Table.Th scope="col">{t('surveys.fields.window')}</Table.Th>
                <Table.Th scope="col">{t('fields.status')}</Table.Th>
                <Table.Th scope="col">{t('surveys.fields.schools')}</Table.Th>
                <Table.Th scope="col">{t('surveys.fields.responses')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row" fw={400}>
                    <Anchor component={Link} to={`/surveys/${a.id}`}>
                      {a.title}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>{titles.get(a.instrumentId) ?? a.instrumentId}</Table.Td>
                  <Table.Td>{a.orgName}</Table.Td>
                  <Table.Td>
                    {t('surveys.windowRange', { opens: formatInZone(a.opensAt, a.timeZone, i18n.language), closes: formatInZone(a.closesAt, a.timeZone, i18n.language) })}
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={a.state} />
                  </Table.Td>
                  <Table.Td>{a.schools.toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>{a.responses.toLocaleString(i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
