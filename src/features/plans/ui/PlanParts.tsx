import { Badge, Group, NativeSelect, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { elementNames, useFrameworksQuery } from '../../frameworks/ui/frameworks.api.js';
import type { GoalCheck } from '../plans.contract.js';
import { type ActionStatus, actionStatuses } from '../plans.model.js';

/** Colours chosen for contrast with dark text on a light badge (status is also said in words). */
const checkColour: Record<GoalCheck['status'], string> = { unmeasured: 'gray', waiting: 'gray', met: 'teal', improving: 'blue', not_improving: 'orange', missed: 'red' };
const statusColour: Record<ActionStatus, string> = { not_started: 'gray', in_progress: 'blue', done: 'teal', blocked: 'red', cancelled: 'gray' };

/** Where a goal stands against its target, in words. */
export function CheckBadge({ check }: { check: GoalCheck }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={checkColour[check.status]} c="dark.7" tt="none">
      {t(`plans.check.${check.status}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: ActionStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={statusColour[status]} c="dark.7" tt="none">
      {t(`plans.status.${status}`)}
    </Badge>
  );
}

/** A number as the plan shows it: whole, or to one decimal. */
export const figure = (n: number | null | undefined) => (n === null || n === undefined ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The names of framework elements a goal is tagged with. */
export function ElementTags({ elements }: { elements: string[] }) {
  const { i18n } = useTranslation();
  const names = elementNames(useFrameworksQuery().data?.items, i18n.language);
  if (!elements.length) return null;
  return (
    <Group gap={4}>
      {elements.map((e) => (
        <Badge key={e} variant="outline" color="gray" c="dark.6" tt="none" fw={500}>
          {names.get(e)?.element ?? e}
        </Badge>
      ))}
    </Group>
  );
}

/** Baseline → latest → target of a goal, in one line of words. */
export function GoalFigures({ goal }: { goal: { baseline: number | null; target: number | null; targetDate: string | null; check: GoalCheck } }) {
  const { t } = useTranslation();
  const parts = [
    goal.baseline !== null ? t('plans.figures.baseline', { value: figure(goal.baseline) }) : null,
    goal.check.current !== null ? t('plans.figures.latest', { value: figure(goal.check.current), period: goal.check.period }) : goal.check.withheld ? t('plans.figures.withheld') : null,
    goal.target !== null ? (goal.targetDate ? t('plans.figures.targetBy', { value: figure(goal.target), date: goal.targetDate }) : t('plans.figures.target', { value: figure(goal.target) })) : null,
  ].filter(Boolean);
  if (!parts.length) return null;
  return (
    <Text size="sm" c="dark.6">
      {parts.join(' · ')}
    </Text>
  );
}

/** The school year a day falls in, September to August. */
export function schoolYearOf(day = new Date()): { startsOn: string; endsOn: string; label: string } {
  const y = day.getMonth() >= 7 ? day.getFullYear() : day.getFullYear() - 1;
  return { startsOn: `${y}-09-01`, endsOn: `${y + 1}-08-31`, label: `${y}–${y + 1}` };
}

/** An action's status as a select that saves on change (for those who may manage the plan). */
export function StatusSelect({ title, status, onChange }: { title: string; status: ActionStatus; onChange: (status: ActionStatus) => void }) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      size="xs"
      miw={130}
      aria-label={t('plans.withItem', { action: t('plans.statusLabel'), item: title })}
      value={status}
      onChange={(e) => onChange(e.currentTarget.value as ActionStatus)}
      data={actionStatuses.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))}
    />
  );
}
