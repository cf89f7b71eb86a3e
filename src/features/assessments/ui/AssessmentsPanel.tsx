import { Anchor, Badge, Button, Checkbox, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { fieldError } from '../../../client/forms.js';
import { useInstrumentsQuery } from '../../instruments/ui/instruments.api.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import { currentSchoolYear, terms } from '../assessments.contract.js';
import { useAssessmentsQuery, useStartAssessmentMutation } from './assessments.api.js';

/** An organisation's assessments (and those below it), and starting a new one. */
export function AssessmentsPanel({ org }: { org: OrgDetail }) {
  const { t, i18n } = useTranslation();
  const list = useAssessmentsQuery(org.id);
  const instruments = useInstrumentsQuery({});
  const titles = new Map((instruments.data?.items ?? []).map((i) => [i.id, pick(i.title, i18n.language as LanguageCode)]));
  return (
    <Stack gap="lg">
      <ErrorAlert error={list.error} />
      {list.data && list.data.items.length === 0 && <Text>{org.can['assessment.run'] ? t('assessments.noneCanStart') : t('assessments.none')}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table withTableBorder striped captionSide="top">
          <Table.Caption>{t('assessments.listCaption', { name: org.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assessments.instrument')}</Table.Th>
              <Table.Th>{t('fields.organization')}</Table.Th>
              <Table.Th>{t('assessments.period')}</Table.Th>
              <Table.Th>{t('fields.status')}</Table.Th>
              <Table.Th>{t('assessments.answered')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Anchor component={Link} to={a.status === 'submitted' ? `/assessments/${a.id}/results` : `/assessments/${a.id}`}>
                    {titles.get(a.instrumentId) ?? a.instrumentId}
                  </Anchor>
                </Table.Td>
                <Table.Td>{a.orgName}</Table.Td>
                <Table.Td>
                  {t(`assessments.terms.${a.term}`)} {a.schoolYear}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={a.status === 'submitted' ? 'teal' : 'yellow'} c="dark.7" tt="none">
                    {t(`assessments.status.${a.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {a.answered} / {a.total}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {org.can['assessment.run'] && org.status === 'active' && <StartForm org={org} />}
    </Stack>
  );
}

function StartForm({ org }: { org: OrgDetail }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const profiles = useInstrumentsQuery({ kind: 'profile' });
  const selfAssessments = useInstrumentsQuery({ kind: 'self_assessment' });
  const options = [...(profiles.data?.items ?? []), ...(selfAssessments.data?.items ?? [])].filter((i) => i.publishedVersion !== null);
  const [instrumentId, setInstrumentId] = useState('');
  const [schoolYear, setSchoolYear] = useState(currentSchoolYear());
  const [term, setTerm] = useState<string>('full_year');
  const [copyPrevious, setCopyPrevious] = useState(true);
  const start = useStartAssessmentMutation();
  const chosen = instrumentId || options[0]?.id || '';
  const years = [-1, 0, 1].map((d) => {
    const y = Number(currentSchoolYear().slice(0, 4)) + d;
    return `${y}-${y + 1}`;
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ orgId: org.id, instrumentId: chosen, schoolYear, term, copyPrevious }, { onSuccess: (a) => navigate(`/assessments/${a.id}`) });
  };
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="sm">
        {t('assessments.startTitle')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          <NativeSelect label={t('assessments.instrument')} value={chosen} onChange={(e) => setInstrumentId(e.currentTarget.value)} data={options.map((i) => ({ value: i.id, label: pick(i.title, i18n.language as LanguageCode) }))} error={fieldError(start.error, 'instrumentId')} />
          <Group grow>
            <NativeSelect label={t('assessments.schoolYear')} value={schoolYear} onChange={(e) => setSchoolYear(e.currentTarget.value)} data={years} error={fieldError(start.error, 'schoolYear')} />
            <NativeSelect label={t('assessments.term')} value={term} onChange={(e) => setTerm(e.currentTarget.value)} data={terms.map((x) => ({ value: x, label: t(`assessments.terms.${x}`) }))} error={fieldError(start.error, 'term')} />
          </Group>
          <Checkbox label={t('assessments.copyPrevious')} checked={copyPrevious} onChange={(e) => setCopyPrevious(e.currentTarget.checked)} />
          <ErrorAlert error={start.error && !fieldError(start.error, 'term') && !fieldError(start.error, 'instrumentId') ? start.error : null} />
          <Group>
            <Button type="submit" loading={start.isPending} disabled={!chosen}>
              {t('assessments.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
