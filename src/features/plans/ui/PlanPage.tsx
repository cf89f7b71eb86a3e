import { Anchor, Button, Card, Checkbox, Group, Loader, Modal, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { Section, SuccessNote } from '../../../client/components/FormParts.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { useFrameworksQuery } from '../../frameworks/ui/frameworks.api.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { GoalDetail, GoalView, PlanDetail } from '../plans.contract.js';
import { CheckBadge, ElementTags, GoalFigures, StatusBadge } from './PlanParts.js';
import { usePlanMutation, usePlanQuery } from './plans.api.js';

type View = 'board' | 'timeline';

/** A plan: its goals on a board by framework element, or its actions on a timeline. */
export function PlanPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'timeline' ? 'timeline' : 'board';
  const plan = usePlanQuery(id);
  const frameworks = useFrameworksQuery().data?.items ?? [];
  const lang = i18n.language as LanguageCode;
  if (plan.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (!plan.data) {
    return (
      <>
        <PageTitle>{t('plans.plan')}</PageTitle>
        <ErrorAlert error={plan.error} />
      </>
    );
  }
  const p = plan.data;
  const framework = frameworks.find((f) => f.id === p.frameworkId);
  const actionCount = p.goals.reduce((n, g) => n + g.actions.length, 0);
  return (
    <>
      <Group gap="xs" mb="xs">
        <Anchor component={Link} to={`/orgs/${p.orgId}/plans`} size="sm">
          {t('plans.backToPlans', { name: p.orgName })}
        </Anchor>
      </Group>
      <PageTitle>{p.title}</PageTitle>
      {p.parentId && (
        <Anchor component={Link} to={`/plans/${p.parentId}`} size="sm">
          {t('plans.partOfLink')}
        </Anchor>
      )}
      <Text c="dark.6" mb="md">
        {t('plans.planLine', { period: `${p.startsOn} – ${p.endsOn}`, framework: pick(framework?.definition.name, lang) || p.frameworkId, goals: p.goals.length, actions: actionCount })}
      </Text>
      <Group mb="lg" className="no-print">
        <Button variant="light" component="a" href={`/api/plans/${id}/pdf?lang=${lang}`} download>
          {t('plans.downloadPdf')}
        </Button>
        {p.can.publishTemplate && <PublishTemplate plan={p} />}
        {p.can.own && <ArchivePlan plan={p} />}
      </Group>
      <SegmentedControl
        mb="md"
        className="no-print"
        value={view}
        onChange={(v) => setParams((prev) => {
          const next = new URLSearchParams(prev);
          if (v === 'board') next.delete('view');
          else next.set('view', v);
          return next;
        })}
        data={[{ value: 'board', label: t('plans.board') }, { value: 'timeline', label: t('plans.timeline') }]}
        aria-label={t('plans.view')}
      />
      {p.goals.length === 0 && <Text mb="md">{p.can.manage ? t('plans.noGoalsCanAdd') : t('plans.noGoals')}</Text>}
      {view === 'board' ? <Board plan={p} /> : <Timeline plan={p} />}
      {p.can.manage && (
        <Stack mt="xl" className="no-print">
          <AddGoal plan={p} />
        </Stack>
      )}
    </>
  );
}

function GoalCard({ goal }: { goal: GoalView }) {
  const { t } = useTranslation();
  const live = goal.actions.filter((a) => a.status !== 'cancelled');
  const done = live.filter((a) => a.status === 'done').length;
  const overdue = live.filter((a) => a.overdue).length;
  return (
    <Card withBorder padding="sm" component="article">
      <Title order={4} size="h5">
        <Anchor component={Link} to={`/goals/${goal.id}`}>
          {goal.title}
        </Anchor>
      </Title>
      <Group gap="xs" my={4}>
        <CheckBadge check={goal.check} />
      </Group>
      <GoalFigures goal={goal} />
      <ElementTags elements={goal.elements} />
      <Text size="sm">
        {t('plans.doneOf', { done, total: live.length })}
        {overdue > 0 && ` · ${t('plans.overdueCount', { count: overdue })}`}
      </Text>
    </Card>
  );
}

/** Goals in columns, one per element of the plan's framework, in the framework's order. */
function Board({ plan }: { plan: PlanDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const framework = useFrameworksQuery().data?.items.find((f) => f.id === plan.frameworkId);
  if (!framework) return null;
  const columns = framework.definition.elements.map((e) => ({ ref: `${framework.id}:${e.id}`, name: pick(e.name, lang) }));
  const placed = new Set<number>();
  const groups = columns.map((c) => {
    const goals = plan.goals.filter((g) => !placed.has(g.id) && g.elements.includes(c.ref));
    goals.forEach((g) => placed.add(g.id));
    return { ...c, goals };
  });
  const rest = plan.goals.filter((g) => !placed.has(g.id));
  if (rest.length) groups.push({ ref: 'other', name: t('plans.otherGoals'), goals: rest });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: Math.min(4, groups.length) }} spacing="md">
      {groups.map((g) => (
        <section key={g.ref} aria-labelledby={`col-${g.ref}`}>
          <Title order={3} size="h4" mb="xs" id={`col-${g.ref}`}>
            {g.name}
          </Title>
          <Stack gap="xs">
            {g.goals.length ? g.goals.map((goal) => <GoalCard key={goal.id} goal={goal} />) : <Text size="sm" c="dark.5">{t('plans.noGoalsHere')}</Text>}
          </Stack>
        </section>
      ))}
    </SimpleGrid>
  );
}

/** Every action by its dates, with a bar across the plan's period (the dates are in the table too). */
function Timeline({ plan }: { plan: PlanDetail }) {
  const { t } = useTranslation();
  const day = (d: string) => new Date(`${d}T00:00:00Z`).getTime();
  const [from, to] = [day(plan.startsOn), day(plan.endsOn) + 86_400_000];
  const actions = plan.goals.flatMap((g) => g.actions.map((a) => ({ ...a, goal: g }))).sort((a, b) => (a.startsOn ?? a.dueOn ?? '9').localeCompare(b.startsOn ?? b.dueOn ?? '9'));
  if (!actions.length) return <Text>{t('plans.noActions')}</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder striped captionSide="top">
        <Table.Caption>{t('plans.timelineCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('plans.action')}</Table.Th>
            <Table.Th>{t('plans.owner')}</Table.Th>
            <Table.Th>{t('plans.dates')}</Table.Th>
            <Table.Th>{t('plans.statusLabel')}</Table.Th>
            <Table.Th style={{ width: '30%' }}>
              <VisuallyHidden>{t('plans.bar')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {actions.map((a) => {
            const start = a.startsOn ? day(a.startsOn) : a.dueOn ? day(a.dueOn) : null;
            const end = a.dueOn ? day(a.dueOn) + 86_400_000 : start !== null ? start + 86_400_000 : null;
            const left = start === null ? 0 : Math.max(0, Math.min(1, (start - from) / (to - from)));
            const right = end === null ? 0 : Math.max(0, Math.min(1, (end - from) / (to - from)));
            return (
              <Table.Tr key={a.id}>
                <Table.Th scope="row">
                  <Anchor component={Link} to={`/goals/${a.goal.id}`}>
                    {a.title}
                  </Anchor>
                  <Text size="xs" c="dark.5">
                    {a.goal.title}
                  </Text>
                </Table.Th>
                <Table.Td>{a.owner?.name ?? '—'}</Table.Td>
                <Table.Td>{[a.startsOn, a.dueOn].filter(Boolean).join(' – ') || '—'}</Table.Td>
                <Table.Td>
                  <StatusBadge status={a.status} />
                  {a.overdue && (
                    <Text size="xs" c="red.9">
                      {t('plans.overdue')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td aria-hidden="true">
                  {start !== null && (
                    <div style={{ position: 'relative', height: 10, background: 'var(--mantine-color-gray-1)', borderRadius: 4 }}>
                      <div style={{ position: 'absolute', left: `${left * 100}%`, width: `${Math.max(1, (right - left) * 100)}%`, top: 0, bottom: 0, borderRadius: 4, background: a.status === 'done' ? 'var(--mantine-color-teal-7)' : 'var(--mantine-color-blue-7)' }} />
                    </div>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A goal written by hand, tagged with elements of the plan's framework. */
function AddGoal({ plan }: { plan: PlanDetail }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const lang = i18n.language as LanguageCode;
  const framework = useFrameworksQuery().data?.items.find((f) => f.id === plan.frameworkId);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [elements, setElements] = useState<string[]>([]);
  const [target, setTarget] = useState<number | string>('');
  const [targetDate, setTargetDate] = useState(plan.endsOn);
  const add = usePlanMutation(() => api<GoalDetail>('POST', `/api/plans/${plan.id}/goals`, { title, description, elements, target: target === '' ? null : Number(target), targetDate: targetDate || null }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined, { onSuccess: (goal) => navigate(`/goals/${goal.id}`) });
  };
  return (
    <Section title={t('plans.addGoal')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('plans.goalTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={fieldError(add.error, 'title')} />
          <Textarea label={t('plans.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} error={fieldError(add.error, 'description')} />
          {framework && (
            <Checkbox.Group label={pick(framework.definition.name, lang)} value={elements} onChange={setElements} error={fieldError(add.error, 'elements')}>
              <Group mt="xs">
                {framework.definition.elements.map((e) => (
                  <Checkbox key={e.id} value={`${framework.id}:${e.id}`} label={pick(e.name, lang)} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
          <Group grow align="flex-start">
            <NumberInput label={t('plans.target')} description={t('plans.targetHelp')} value={target} onChange={setTarget} decimalScale={1} error={fieldError(add.error, 'target')} />
            <TextInput type="date" label={t('plans.targetDate')} value={targetDate} onChange={(e) => setTargetDate(e.currentTarget.value)} error={fieldError(add.error, 'targetDate')} />
          </Group>
          {!isFieldError(add.error, ['title', 'description', 'elements', 'target', 'targetDate']) && <ErrorAlert error={add.error} />}
          <Group>
            <Button type="submit" loading={add.isPending} disabled={!title.trim()}>
              {t('plans.addGoal')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** A district's plan offered to its schools as a starting point. */
function PublishTemplate({ plan }: { plan: PlanDetail }) {
  const { t, i18n } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [title, setTitle] = useState(plan.title);
  const publish = usePlanMutation(() => api<{ id: number }>('POST', `/api/plans/${plan.id}/template?lang=${i18n.language}`, { title }));
  return (
    <>
      <Button variant="light" onClick={open}>
        {t('plans.publishTemplate')}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={close} title={t('plans.publishTemplate')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            publish.mutate();
          }}
          noValidate
        >
          <Stack>
            <Text size="sm">{t('plans.publishHelp', { name: plan.orgName })}</Text>
            <TextInput label={t('plans.templateTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={fieldError(publish.error, 'title')} data-autofocus />
            {!isFieldError(publish.error, ['title']) && <ErrorAlert error={publish.error} />}
            <SuccessNote show={publish.isSuccess}>{t('plans.published')}</SuccessNote>
            <Button type="submit" loading={publish.isPending} disabled={publish.isSuccess}>
              {t('plans.publish')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function ArchivePlan({ plan }: { plan: PlanDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [confirming, { open, close }] = useDisclosure(false);
  const archive = usePlanMutation(() => api<PlanDetail>('PATCH', `/api/plans/${plan.id}`, { status: plan.status === 'active' ? 'archived' : 'active' }));
  const remove = usePlanMutation(() => api<{ ok: true }>('DELETE', `/api/plans/${plan.id}`));
  return (
    <>
      <Button variant="subtle" loading={archive.isPending} onClick={() => archive.mutate()}>
        {plan.status === 'active' ? t('plans.archive') : t('plans.restore')}
      </Button>
      <Button variant="subtle" color="red" onClick={open}>
        {t('plans.delete')}
      </Button>
      <ErrorAlert error={archive.error} />
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={confirming} onClose={close} title={t('plans.deleteTitle', { title: plan.title })}>
        <Stack>
          <Text>{t('plans.deleteConfirm')}</Text>
          <ErrorAlert error={remove.error} />
          <Group>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => navigate(`/orgs/${plan.orgId}/plans`) })}>
              {t('plans.delete')}
            </Button>
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
