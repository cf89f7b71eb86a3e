import { Anchor, Button, Group, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { SuccessNote } from '../../../../client/components/FormParts.js';
import { pick } from '../../../instruments/model/text.js';
import type { ResourceDetail } from '../../resources.contract.js';
import { useReviewMutation, useSuggestionsQuery } from '../resources.api.js';
import { useResourceLabels } from './labels.js';
import { TagBadge } from './ResultCard.js';

/** Publish or decline a suggestion, with a note for whoever made it. */
export function ReviewControls({ resource, onReviewed }: { resource: ResourceDetail; onReviewed?: (decision: 'publish' | 'decline', r: ResourceDetail) => void }) {
  const { t } = useTranslation();
  const lang = useResourceLabels().lang;
  const review = useReviewMutation();
  const [note, setNote] = useState('');
  const title = pick(resource.title, lang);
  // Once reviewed, the suggestion leaves the list (or the review box its page) while the answer
  // is still being handled: the promise, unlike a callback of this component, still reports it.
  const decide = (decision: 'publish' | 'decline') =>
    review.mutateAsync({ id: resource.id, decision, note }).then(
      (r) => onReviewed?.(decision, r),
      () => undefined,
    );
  const pending = review.isPending ? review.variables?.decision : undefined;
  return (
    <Stack gap="xs">
      <Textarea
        label={t('resources.review.note', { name: resource.suggestedBy ?? t('resources.review.someone') })}
        description={t('resources.review.noteHelp')}
        autosize
        minRows={2}
        maxLength={1000}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <ErrorAlert error={review.error} />
      <Group gap="xs">
        <Button size="sm" loading={pending === 'publish'} disabled={!!pending} onClick={() => decide('publish')} aria-label={t('resources.review.publishNamed', { title })}>
          {t('resources.review.publish')}
        </Button>
        <Button size="sm" variant="default" loading={pending === 'decline'} disabled={!!pending} onClick={() => decide('decline')} aria-label={t('resources.review.declineNamed', { title })}>
          {t('resources.review.decline')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Suggestions waiting for one network's curators, oldest first, each with its review controls. */
export function SuggestionsPanel({ network }: { network: { id: number; name: string } }) {
  const { t } = useTranslation();
  const labels = useResourceLabels();
  const suggestions = useSuggestionsQuery(network.id);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState<{ title: string; decision: 'publish' | 'decline' } | null>(null);
  const items = suggestions.data?.items ?? [];
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} ref={heading} tabIndex={-1} className="resource-focus-target" mb="sm">
        {items.length ? t('resources.suggestions.title', { network: network.name, n: items.length }) : t('resources.suggestions.titlePlain', { network: network.name })}
      </Title>
      <SuccessNote show={!!done}>{done ? t(`resources.suggestions.${done.decision === 'publish' ? 'published' : 'declined'}`, { title: done.title }) : ''}</SuccessNote>
      {suggestions.isLoading ? (
        <Loader size="sm" role="status" aria-label={t('common.loading')} />
      ) : suggestions.error ? (
        <ErrorAlert error={suggestions.error} />
      ) : items.length === 0 ? (
        <Text>{t('resources.suggestions.none')}</Text>
      ) : (
        <ul className="resource-plain-list">
          {items.map((s) => (
            <li key={s.id}>
              <Paper withBorder p="md" component="article" aria-labelledby={`suggestion-${s.id}`}>
                <Stack gap="xs">
                  <Group justify="space-between" align="flex-start" gap="xs">
                    <Title order={3} size="h5" id={`suggestion-${s.id}`} className="resource-min0 resource-break">
                      <Anchor component={Link} to={`/resources/${s.id}`} inherit>
                        {pick(s.title, labels.lang)}
                      </Anchor>
                    </Title>
                    <TagBadge>{labels.type(s.type)}</TagBadge>
                  </Group>
                  <Text size="sm">{t('resources.suggestions.from', { name: s.suggestedBy ?? t('resources.review.someone'), org: s.suggestedOrgName ?? '' })}</Text>
                  <Text size="sm" lineClamp={3}>
                    {pick(s.summary, labels.lang)}
                  </Text>
                  <ReviewControls
                    resource={s}
                    onReviewed={(decision) => {
                      setDone({ title: pick(s.title, labels.lang), decision });
                      // The reviewed suggestion leaves the list: the keyboard goes back to the panel's heading.
                      heading.current?.focus();
                    }}
                  />
                </Stack>
              </Paper>
            </li>
          ))}
        </ul>
      )}
    </Paper>
  );
}
