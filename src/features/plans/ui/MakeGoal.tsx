import { Button, Modal, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import type { GoalDetail, GoalInput, PlanDetail } from '../plans.contract.js';
import { figure, schoolYearOf } from './PlanParts.js';
import { usePlanMutation, usePlansQuery } from './plans.api.js';

export interface GoalSuggestion {
  title: string;
  /** The figure the goal starts from, shown for context; the server reads it again from the result. */
  baseline: number | null;
  target: number | null;
  /** The framework a new plan would be organised by (that of the result's first tag). */
  frameworkId: string;
}

const NEW_PLAN = 'new';

/**
 * "Make this a plan goal" beside a result. The first click opens the goal filled in from the
 * result (title, tags, starting figure, a target, the current plan); the second adds it — to the
 * current plan, or to a new plan for this school year when there is none — and opens the goal.
 */
export function MakeGoal({ orgId, from, suggestion, label, emphasis = false }: { orgId: number; from: NonNullable<GoalInput['from']>; suggestion: GoalSuggestion; label: string; emphasis?: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const plans = usePlansQuery(opened ? orgId : null);
  const year = schoolYearOf();
  const current = (plans.data?.items ?? []).filter((p) => p.current);
  const [planChoice, setPlanChoice] = useState<string | null>(null);
  const [title, setTitle] = useState(suggestion.title);
  const [target, setTarget] = useState<number | string>(suggestion.target ?? '');
  const chosen = planChoice ?? (current[0] ? String(current[0].id) : NEW_PLAN);
  const canCreate = plans.data?.can.create ?? false;
  const targetDate = chosen === NEW_PLAN ? year.endsOn : (current.find((p) => String(p.id) === chosen)?.endsOn ?? year.endsOn);
  const add = usePlanMutation(async (): Promise<number> => {
    const goal = { title, target: target === '' ? null : Number(target), targetDate, from };
    if (chosen !== NEW_PLAN) return (await api<GoalDetail>('POST', `/api/plans/${chosen}/goals`, goal)).id;
    const plan = await api<PlanDetail>('POST', `/api/orgs/${orgId}/plans`, { title: t('plans.make.newPlanTitle', { year: year.label }), frameworkId: suggestion.frameworkId, startsOn: year.startsOn, endsOn: year.endsOn, language: i18n.language, goals: [goal] });
    return plan.goals[0].id;
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined, { onSuccess: (goalId) => navigate(`/goals/${goalId}`) });
  };
  const blocked = plans.data && chosen === NEW_PLAN && !canCreate;
  return (
    <>
      <Button size="compact-sm" variant={emphasis ? 'filled' : 'light'} onClick={open} aria-label={t('plans.withItem', { action: t('plans.propose'), item: label })}>
        {t('plans.propose')}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={close} title={t('plans.make.title', { name: label })} size="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            {suggestion.baseline !== null && <Text size="sm">{t('plans.make.startsFrom', { value: figure(suggestion.baseline) })}</Text>}
            <TextInput label={t('plans.goalTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required error={fieldError(add.error, 'title')} data-autofocus />
            <NumberInput label={t('plans.target')} description={t('plans.make.targetHelp')} value={target} onChange={setTarget} decimalScale={1} error={fieldError(add.error, 'target')} />
            {plans.data && current.length > 0 && (
              <NativeSelect
                label={t('plans.make.plan')}
                value={chosen}
                onChange={(e) => setPlanChoice(e.currentTarget.value)}
                data={[...current.map((p) => ({ value: String(p.id), label: p.title })), ...(canCreate ? [{ value: NEW_PLAN, label: t('plans.make.newPlan', { year: year.label }) }] : [])]}
              />
            )}
            {plans.data && current.length === 0 && <Text size="sm">{canCreate ? t('plans.make.willCreate', { title: t('plans.make.newPlanTitle', { year: year.label }) }) : t('plans.make.askCoordinator')}</Text>}
            {!isFieldError(add.error, ['title', 'target']) && <ErrorAlert error={add.error ?? plans.error} />}
            <Button type="submit" loading={add.isPending} disabled={!plans.data || !!blocked || !title.trim()}>
              {t('plans.make.submit')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
