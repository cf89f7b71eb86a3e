import { Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { Section } from '../../../client/components/FormParts.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { useFrameworksQuery } from '../../frameworks/ui/frameworks.api.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import type { PlanDetail, PlanSummary } from '../plans.contract.js';
import { GoalProposalsPanel } from './GoalProposalsPanel.js';
import { PlanProgressPanel } from './PlanProgressPanel.js';
import { schoolYearOf } from './PlanParts.js';
import { usePlanMutation, usePlansQuery, useTemplatesQuery } from './plans.api.js';

/** The Plans tab of an organisation: its plans, a new one, goals proposed from results, progress below. */
export function PlansPanel({ org }: { org: OrgDetail }) {
  const { t, i18n } = useTranslation();
  const plans = usePlansQuery(org.id);
  const frameworks = useFrameworksQuery().data?.items ?? [];
  const lang = i18n.language as LanguageCode;
  const items = plans.data?.items ?? [];
  return (
    <Stack gap="xl">
      <ErrorAlert error={plans.error} />
      {plans.data && items.length === 0 && <Text>{plans.data.can.create ? t('plans.emptyCanCreate') : t('plans.empty')}</Text>}
      {items.length > 0 && (
        <Table withTableBorder striped captionSide="top">
          <Table.Caption>{t('plans.listCaption', { name: org.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('plans.plan')}</Table.Th>
              <Table.Th>{t('plans.period')}</Table.Th>
              <Table.Th>{t('plans.framework')}</Table.Th>
              <Table.Th>{t('plans.goals')}</Table.Th>
              <Table.Th>{t('plans.actionsDone')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => {
              const total = Object.values(p.actions).reduce((a, b) => a + b, 0) - p.actions.cancelled;
              return (
                <Table.Tr key={p.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/plans/${p.id}`}>
                      {p.title}
                    </Anchor>{' '}
                    {p.current && (
                      <Badge variant="light" c="dark.7" tt="none">
                        {t('plans.current')}
                      </Badge>
                    )}
                    {p.status === 'archived' && (
                      <Badge variant="light" color="gray" c="dark.7" tt="none">
                        {t('status.archived')}
                      </Badge>
                    )}
                  </Table.Th>
                  <Table.Td>
                    {p.startsOn} – {p.endsOn}
                  </Table.Td>
                  <Table.Td>{pick(frameworks.find((f) => f.id === p.frameworkId)?.definition.name, lang) || p.frameworkId}</Table.Td>
                  <Table.Td>{p.goals}</Table.Td>
                  <Table.Td>{t('plans.doneOf', { done: p.actions.done, total })}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {plans.data?.can.create && <NewPlanForm org={org} plans={items} />}
      <section>
        <Title order={2} size="h3" mb="sm">
          {t('plans.proposalsTitle')}
        </Title>
        <GoalProposalsPanel org={org} currentPlan={items.find((p) => p.current) ?? null} />
      </section>
      {org.kind !== 'school' && <PlanProgressPanel orgId={org.id} />}
    </Stack>
  );
}

function NewPlanForm({ org, plans }: { org: OrgDetail; plans: PlanSummary[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const lang = i18n.language as LanguageCode;
  const year = schoolYearOf();
  const frameworks = useFrameworksQuery().data?.items ?? [];
  const [title, setTitle] = useState(t('plans.make.newPlanTitle', { year: year.label }));
  const [frameworkId, setFrameworkId] = useState('');
  const [startsOn, setStartsOn] = useState(year.startsOn);
  const [endsOn, setEndsOn] = useState(year.endsOn);
  const [templateId, setTemplateId] = useState('');
  const [parentId, setParentId] = useState('');
  const framework = frameworkId || frameworks[0]?.id || '';
  const templates = useTemplatesQuery(org.id, framework || null).data?.items ?? [];
  const create = usePlanMutation(() => api<PlanDetail>('POST', `/api/orgs/${org.id}/plans`, { title, frameworkId: framework, startsOn, endsOn, templateId: templateId ? Number(templateId) : null, parentId: parentId ? Number(parentId) : null, language: lang }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined, { onSuccess: (plan) => navigate(`/plans/${plan.id}`) });
  };
  const fields = ['title', 'frameworkId', 'startsOn', 'endsOn', 'templateId', 'parentId'];
  const parents = plans.filter((p) => p.status === 'active');
  return (
    <Section title={t('plans.newPlan')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('plans.planTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={fieldError(create.error, 'title')} />
          <NativeSelect
            label={t('plans.framework')}
            description={t('plans.frameworkHelp')}
            value={framework}
            onChange={(e) => {
              setFrameworkId(e.currentTarget.value);
              setTemplateId('');
            }}
            data={frameworks.map((f) => ({ value: f.id, label: pick(f.definition.name, lang) }))}
            error={fieldError(create.error, 'frameworkId')}
          />
          <Group grow align="flex-start">
            <TextInput type="date" label={t('plans.startsOn')} value={startsOn} onChange={(e) => setStartsOn(e.currentTarget.value)} required error={fieldError(create.error, 'startsOn')} />
            <TextInput type="date" label={t('plans.endsOn')} value={endsOn} onChange={(e) => setEndsOn(e.currentTarget.value)} required error={fieldError(create.error, 'endsOn')} />
          </Group>
          <NativeSelect
            label={t('plans.template')}
            description={t('plans.templateHelp')}
            value={templateId}
            onChange={(e) => setTemplateId(e.currentTarget.value)}
            data={[{ value: '', label: t('plans.blank') }, ...templates.map((tp) => ({ value: String(tp.id), label: `${pick(tp.title, lang)}${tp.ownerName ? ` (${tp.ownerName})` : ''} · ${t('plans.templateCounts', { goals: tp.goals, actions: tp.actions })}` }))]}
            error={fieldError(create.error, 'templateId')}
          />
          {parents.length > 0 && (
            <NativeSelect
              label={t('plans.partOf')}
              description={t('plans.partOfHelp')}
              value={parentId}
              onChange={(e) => setParentId(e.currentTarget.value)}
              data={[{ value: '', label: t('plans.standalone') }, ...parents.map((p) => ({ value: String(p.id), label: `${p.title} (${p.startsOn} – ${p.endsOn})` }))]}
              error={fieldError(create.error, 'parentId')}
            />
          )}
          {!isFieldError(create.error, fields) && <ErrorAlert error={create.error} />}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!title.trim() || !framework}>
              {t('plans.createPlan')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
