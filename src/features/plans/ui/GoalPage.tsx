import { Anchor, Badge, Button, Group, Loader, Modal, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { Section } from '../../../client/components/FormParts.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { RecommendedResources } from '../../resources/ui/RecommendedResources.js';
import type { ActionView, GoalDetail } from '../plans.contract.js';
import { type ActionStatus, actionStatuses, priorityCriteria, type PriorityRatings } from '../plans.model.js';
import { CheckBadge, ElementTags, GoalFigures, StatusBadge, StatusSelect } from './PlanParts.js';
import { usePlanMutation, usePlanPeopleQuery, useGoalQuery } from './plans.api.js';

/** A goal: where it stands against its target, its actions, notes, comments and attachments. */
export function GoalPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const goal = useGoalQuery(id);
  if (goal.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (!goal.data) {
    return (
      <>
        <PageTitle>{t('plans.goalTitle')}</PageTitle>
        <ErrorAlert error={goal.error} />
      </>
    );
  }
  const g = goal.data;
  return (
    <>
      <Group gap="xs" mb="xs">
        <Anchor component={Link} to={`/plans/${g.plan.id}`} size="sm">
          {t('plans.backToPlan', { title: g.plan.title })}
        </Anchor>
        <Text size="sm" c="dark.5">
          {g.plan.orgName}
        </Text>
      </Group>
      <PageTitle>{g.title}</PageTitle>
      <Stack gap="xs" mb="lg">
        <Group gap="xs">
          <CheckBadge check={g.check} />
          <ElementTags elements={g.elements} />
        </Group>
        <GoalFigures goal={g} />
        {g.check.link && (
          <Anchor component={Link} to={g.check.link} size="sm">
            {t('plans.seeResults', { period: g.check.period })}
          </Anchor>
        )}
        {g.description && <Text>{g.description}</Text>}
        {g.can.manage && <EditGoal goal={g} />}
      </Stack>
      <Actions goal={g} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mt="xl">
        <Notes goal={g} />
        <Attachments goal={g} />
      </SimpleGrid>
    </>
  );
}

function EditGoal({ goal }: { goal: GoalDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const [title, setTitle] = useState(goal.title);
  const [description, setDescription] = useState(goal.description);
  const [target, setTarget] = useState<number | string>(goal.target ?? '');
  const [targetDate, setTargetDate] = useState(goal.targetDate ?? '');
  const save = usePlanMutation(() => api<GoalDetail>('PATCH', `/api/goals/${goal.id}`, { title, description, target: target === '' ? null : Number(target), targetDate: targetDate || null }));
  const remove = usePlanMutation(() => api<{ ok: true }>('DELETE', `/api/goals/${goal.id}`));
  const fields = ['title', 'description', 'target', 'targetDate'];
  return (
    <Group>
      <Button variant="light" size="compact-sm" onClick={open}>
        {t('plans.editGoal')}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={close} title={t('plans.editGoal')} size="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(undefined, { onSuccess: close });
          }}
          noValidate
        >
          <Stack>
            <TextInput label={t('plans.goalTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={fieldError(save.error, 'title')} data-autofocus />
            <Textarea label={t('plans.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} error={fieldError(save.error, 'description')} />
            <Group grow align="flex-start">
              <NumberInput label={t('plans.target')} value={target} onChange={setTarget} decimalScale={1} error={fieldError(save.error, 'target')} />
              <TextInput type="date" label={t('plans.targetDate')} value={targetDate} onChange={(e) => setTargetDate(e.currentTarget.value)} error={fieldError(save.error, 'targetDate')} />
            </Group>
            {!isFieldError(save.error, fields) && <ErrorAlert error={save.error ?? remove.error} />}
            <Group justify="space-between">
              <Button type="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
              <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => navigate(`/plans/${goal.plan.id}`) })}>
                {t('plans.deleteGoal')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}

type ActionDraft = { title: string; description: string; owner: string; ownerName: string; startsOn: string; dueOn: string; status: ActionStatus; priority: Partial<PriorityRatings> };
const SOMEONE_ELSE = 'name';

function draftOf(a?: ActionView): ActionDraft {
  return {
    title: a?.title ?? '',
    description: a?.description ?? '',
    owner: a?.owner ? (a.owner.id !== null ? String(a.owner.id) : SOMEONE_ELSE) : '',
    ownerName: a?.owner && a.owner.id === null ? a.owner.name : '',
    startsOn: a?.startsOn ?? '',
    dueOn: a?.dueOn ?? '',
    status: a?.status ?? 'not_started',
    priority: a?.priority ?? {},
  };
}

/** The body the API takes for a draft: an owner with an account, or a name; priority only when fully rated. */
function bodyOf(d: ActionDraft) {
  const rated = priorityCriteria.every((c) => d.priority[c]);
  return {
    title: d.title,
    description: d.description,
    ownerId: d.owner && d.owner !== SOMEONE_ELSE ? Number(d.owner) : null,
    ownerName: d.owner === SOMEONE_ELSE && d.ownerName.trim() ? d.ownerName.trim() : null,
    startsOn: d.startsOn || null,
    dueOn: d.dueOn || null,
    status: d.status,
    priority: rated ? d.priority : null,
  };
}

/** The fields of an action, for adding one or changing it. */
function ActionForm({ planId, initial, submitLabel, onSubmit, pending, error }: { planId: number; initial?: ActionView; submitLabel: string; onSubmit: (body: ReturnType<typeof bodyOf>, reset: () => void) => void; pending: boolean; error: unknown }) {
  const { t } = useTranslation();
  const people = usePlanPeopleQuery(planId).data?.items ?? [];
  const [d, setD] = useState<ActionDraft>(draftOf(initial));
  const set = <K extends keyof ActionDraft>(k: K, v: ActionDraft[K]) => setD((prev) => ({ ...prev, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(bodyOf(d), () => setD(draftOf()));
  };
  const fields = ['title', 'description', 'ownerId', 'ownerName', 'startsOn', 'dueOn', 'status', 'priority'];
  const ratings = ['', '1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v || '—' }));
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('plans.actionTitle')} value={d.title} onChange={(e) => set('title', e.currentTarget.value)} required error={fieldError(error, 'title')} />
        <Textarea label={t('plans.description')} value={d.description} onChange={(e) => set('description', e.currentTarget.value)} autosize minRows={1} error={fieldError(error, 'description')} />
        <Group grow align="flex-start">
          <NativeSelect
            label={t('plans.owner')}
            value={d.owner}
            onChange={(e) => set('owner', e.currentTarget.value)}
            data={[{ value: '', label: t('plans.noOwner') }, ...people.map((p) => ({ value: String(p.id), label: `${p.name} (${t(`roles.${p.role}`)}, ${p.orgName})` })), { value: SOMEONE_ELSE, label: t('plans.someoneElse') }]}
            error={fieldError(error, 'ownerId')}
          />
          {d.owner === SOMEONE_ELSE && <TextInput label={t('plans.ownerName')} description={t('plans.ownerNameHelp')} value={d.ownerName} onChange={(e) => set('ownerName', e.currentTarget.value)} error={fieldError(error, 'ownerName')} />}
        </Group>
        <Group grow align="flex-start">
          <TextInput type="date" label={t('plans.startsOn')} value={d.startsOn} onChange={(e) => set('startsOn', e.currentTarget.value)} error={fieldError(error, 'startsOn')} />
          <TextInput type="date" label={t('plans.dueOn')} value={d.dueOn} onChange={(e) => set('dueOn', e.currentTarget.value)} error={fieldError(error, 'dueOn')} />
          <NativeSelect label={t('plans.statusLabel')} value={d.status} onChange={(e) => set('status', e.currentTarget.value as ActionStatus)} data={actionStatuses.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))} />
        </Group>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend>
            <Text size="sm" fw={500}>
              {t('plans.priority')}
            </Text>
            <Text size="xs" c="dark.5">
              {t('plans.priorityHelp')}
            </Text>
          </legend>
          <Group grow mt={4}>
            {priorityCriteria.map((c) => (
              <NativeSelect key={c} label={t(`plans.criteria.${c}`)} value={d.priority[c] ? String(d.priority[c]) : ''} onChange={(e) => set('priority', { ...d.priority, [c]: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })} data={ratings} />
            ))}
          </Group>
        </fieldset>
        {!isFieldError(error, fields) && <ErrorAlert error={error} />}
        <Group>
          <Button type="submit" loading={pending} disabled={!d.title.trim()}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Actions({ goal }: { goal: GoalDetail }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<ActionView | null>(null);
  const add = usePlanMutation((body: ReturnType<typeof bodyOf>) => api<ActionView>('POST', `/api/goals/${goal.id}/actions`, body));
  const change = usePlanMutation((v: { id: number; body: Record<string, unknown> }) => api<ActionView>('PATCH', `/api/actions/${v.id}`, v.body));
  const remove = usePlanMutation((actionId: number) => api<{ ok: true }>('DELETE', `/api/actions/${actionId}`));
  return (
    <section aria-labelledby="actions-title">
      <Title order={2} size="h3" mb="sm" id="actions-title">
        {t('plans.actions')}
      </Title>
      {goal.actions.length === 0 ? (
        <Text mb="md">{goal.can.manage ? t('plans.noActionsCanAdd') : t('plans.noActions')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table withTableBorder striped captionSide="top" mb="md">
            <Table.Caption>{t('plans.actionsOf', { title: goal.title })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('plans.action')}</Table.Th>
                <Table.Th>{t('plans.owner')}</Table.Th>
                <Table.Th>{t('plans.dates')}</Table.Th>
                <Table.Th>{t('plans.statusLabel')}</Table.Th>
                <Table.Th>{t('plans.priority')}</Table.Th>
                {goal.can.manage && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {goal.actions.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row">
                    {a.title}
                    {a.description && (
                      <Text size="xs" c="dark.5">
                        {a.description}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>{a.owner?.name ?? '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {[a.startsOn, a.dueOn].filter(Boolean).join(' – ') || '—'}
                    {a.overdue && (
                      <Text size="xs" c="red.9">
                        {t('plans.overdue')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {goal.can.manage ? (
<StatusSelect title={a.title} status={a.status} onChange={(status) => change.mutate({ id: a.id, body: { status } })} />
                    ) : (
                      <StatusBadge status={a.status} />
                    )}
                  </Table.Td>
                  <Table.Td>{a.priorityScore === null ? '—' : t('plans.priorityScore', { score: a.priorityScore })}</Table.Td>
                  {goal.can.manage && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(a)} aria-label={t('plans.withItem', { action: t('plans.edit'), item: a.title })}>
                          {t('plans.edit')}
                        </Button>
                        <Button size="compact-sm" variant="subtle" color="red" loading={remove.isPending && remove.variables === a.id} onClick={() => remove.mutate(a.id)} aria-label={t('plans.withItem', { action: t('plans.remove'), item: a.title })}>
                          {t('plans.remove')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ErrorAlert error={change.error ?? remove.error} />
      {goal.can.manage && (
        <Section title={t('plans.addAction')}>
          <ActionForm planId={goal.plan.id} submitLabel={t('plans.addAction')} pending={add.isPending} error={add.error} onSubmit={(body, reset) => add.mutate(body, { onSuccess: reset })} />
        </Section>
      )}
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing !== null} onClose={() => setEditing(null)} title={editing ? t('plans.editAction', { title: editing.title }) : ''} size="lg">
        {editing && <ActionForm planId={goal.plan.id} initial={editing} submitLabel={t('common.save')} pending={change.isPending} error={change.error} onSubmit={(body) => change.mutate({ id: editing.id, body }, { onSuccess: () => setEditing(null) })} />}
      </Modal>
    </section>
  );
}

function Notes({ goal }: { goal: GoalDetail }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<'comment' | 'progress'>('comment');
  const [actionId, setActionId] = useState('');
  const [body, setBody] = useState('');
  const add = usePlanMutation(() => api<GoalDetail>('POST', `/api/goals/${goal.id}/notes`, { kind, body, actionId: actionId ? Number(actionId) : null }));
  const remove = usePlanMutation((id: number) => api<{ ok: true }>('DELETE', `/api/plan-notes/${id}`));
  const actionTitle = (id: number | null) => goal.actions.find((a) => a.id === id)?.title;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="notes-title">
      <Title order={2} size="h3" mb="sm" id="notes-title">
        {t('plans.notes')}
      </Title>
      {goal.notes.length === 0 && <Text c="dark.5">{t('plans.noNotes')}</Text>}
      <Stack gap="sm" mb="md">
        {goal.notes.map((n) => (
          <div key={n.id}>
            <Group gap="xs">
              <Badge variant="light" c="dark.7" tt="none">
                {t(`plans.noteKinds.${n.kind}`)}
              </Badge>
              <Text size="xs" c="dark.5">
                {n.author?.name ?? '—'} · {new Date(n.createdAt).toLocaleDateString(i18n.language)}
                {n.actionId !== null && ` · ${actionTitle(n.actionId) ?? ''}`}
              </Text>
              {n.canDelete && (
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(n.id)} aria-label={t('plans.withItem', { action: t('plans.remove'), item: t(`plans.noteKinds.${n.kind}`) })}>
                  {t('plans.remove')}
                </Button>
              )}
            </Group>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{n.body}</Text>
          </div>
        ))}
      </Stack>
      {goal.can.manage && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(undefined, { onSuccess: () => setBody('') });
          }}
          noValidate
        >
          <Stack gap="xs">
            <Group grow align="flex-start">
              <NativeSelect label={t('plans.noteKind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as 'comment' | 'progress')} data={(['comment', 'progress'] as const).map((k) => ({ value: k, label: t(`plans.noteKinds.${k}`) }))} />
              <NativeSelect label={t('plans.aboutAction')} value={actionId} onChange={(e) => setActionId(e.currentTarget.value)} data={[{ value: '', label: t('plans.wholeGoal') }, ...goal.actions.map((a) => ({ value: String(a.id), label: a.title }))]} error={fieldError(add.error, 'actionId')} />
            </Group>
            <Textarea label={t('plans.noteBody')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} required error={fieldError(add.error, 'body')} />
            {!isFieldError(add.error, ['actionId', 'body']) && <ErrorAlert error={add.error ?? remove.error} />}
            <Group>
              <Button type="submit" loading={add.isPending} disabled={!body.trim()}>
                {t('plans.addNote')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}

function Attachments({ goal }: { goal: GoalDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const attach = usePlanMutation((resourceId: number) => api<GoalDetail>('POST', `/api/goals/${goal.id}/attachments`, { resourceId }));
  const link = usePlanMutation(() => api<GoalDetail>('POST', `/api/goals/${goal.id}/attachments`, { url, title }));
  const remove = usePlanMutation((id: number) => api<{ ok: true }>('DELETE', `/api/plan-attachments/${id}`));
  const attached = goal.attachments.flatMap((a) => (a.resource ? [a.resource.id] : []));
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="attachments-title">
      <Title order={2} size="h3" mb="sm" id="attachments-title">
        {t('plans.attachments')}
      </Title>
      {goal.attachments.length === 0 && <Text c="dark.5">{t('plans.noAttachments')}</Text>}
      <Stack gap={6} mb="md">
        {goal.attachments.map((a) => {
          const label = a.resource ? pick(a.resource.title, lang) : (a.title ?? a.url ?? '');
          return (
            <Group key={a.id} gap="xs" wrap="nowrap" justify="space-between">
              {a.resource ? (
                <Anchor component={Link} to={`/resources/${a.resource.id}`}>
                  {label}
                </Anchor>
              ) : a.url?.startsWith('/') ? (
                <Anchor component={Link} to={a.url}>
                  {label}
                </Anchor>
              ) : (
                <Anchor href={a.url ?? undefined} target="_blank" rel="noopener noreferrer">
                  {label} <Text span size="xs">({t('plans.opensElsewhere')})</Text>
                </Anchor>
              )}
              {goal.can.manage && (
                <Button size="compact-xs" variant="subtle" color="red" loading={remove.isPending && remove.variables === a.id} onClick={() => remove.mutate(a.id)} aria-label={t('plans.withItem', { action: t('plans.detach'), item: label })}>
                  {t('plans.detach')}
                </Button>
              )}
            </Group>
          );
        })}
      </Stack>
      <ErrorAlert error={attach.error ?? remove.error} />
      {goal.can.manage && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            link.mutate(undefined, {
              onSuccess: () => {
                setUrl('');
                setTitle('');
              },
            });
          }}
          noValidate
        >
          <Stack gap="xs" mb="lg">
            <Group grow align="flex-start">
              <TextInput label={t('plans.linkTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fieldError(link.error, 'title')} />
              <TextInput label={t('plans.linkUrl')} placeholder="https://" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError(link.error, 'url')} />
            </Group>
            {!isFieldError(link.error, ['title', 'url']) && <ErrorAlert error={link.error} />}
            <Group>
              <Button type="submit" variant="light" loading={link.isPending} disabled={!url.trim() || !title.trim()}>
                {t('plans.attachLink')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {goal.elements.length > 0 && <RecommendedResources elements={goal.elements} attached={attached} onAttach={goal.can.manage ? (resourceId) => attach.mutate(resourceId) : undefined} attaching={attach.isPending ? (attach.variables ?? null) : null} />}
    </Paper>
  );
}
