import { Anchor, Button } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { useGoalProposalsQuery, useProposeGoalMutation } from './plans.api.js';

/**
 * "Make this a plan goal" beside a strength or priority of results. Once proposed it turns into a
 * link to the organisation's plans page, and keyboard focus follows it there.
 */
export function ProposeGoal({ assessmentId, orgId, slotId, label }: { assessmentId: number; orgId: number; slotId: string; label: string }) {
  const { t } = useTranslation();
  const proposals = useGoalProposalsQuery(orgId, assessmentId);
  const propose = useProposeGoalMutation(assessmentId);
  const [justProposed, setJustProposed] = useState(false);
  const link = useRef<HTMLAnchorElement>(null);
  const proposed = proposals.data?.items.some((p) => p.slotId === slotId) ?? false;
  useEffect(() => {
    if (proposed && justProposed) link.current?.focus();
  }, [proposed, justProposed]);
  if (!proposals.data) return null;
  if (proposed) {
    return (
      <Anchor ref={link} component={Link} to={`/orgs/${orgId}/plans`} size="sm" aria-label={t('plans.withItem', { action: t('plans.proposed'), item: label })}>
        {t('plans.proposed')}
      </Anchor>
    );
  }
  return (
    <>
      <Button size="compact-sm" variant="subtle" loading={propose.isPending} onClick={() => propose.mutate(slotId, { onSuccess: () => setJustProposed(true) })} aria-label={t('plans.withItem', { action: t('plans.propose'), item: label })}>
        {t('plans.propose')}
      </Button>
      <ErrorAlert error={propose.error} />
    </>
  );
}
