import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { pick } from '../../instruments/model/text.js';
import { useResourceLabels } from './components/labels.js';
import { useRecommendedQuery } from './resources.api.js';
import './resources.css';

/**
 * A short list of library resources tagged with the same framework elements as a result or a
 * goal, best matches first, each saying which elements it shares. With `onAttach`, each can be
 * attached (to a plan goal, for instance); those in `attached` say so instead.
 */
export function RecommendedResources({
  elements,
  exclude,
  audience,
  onAttach,
  attaching = null,
  attached = [],
  headingOrder = 3,
}: {
  elements: string[];
  exclude?: number[];
  audience?: string[];
  onAttach?: (resourceId: number) => void;
  attaching?: number | null;
  attached?: number[];
  headingOrder?: 2 | 3 | 4;
}) {
  const { t } = useTranslation();
  const labels = useResourceLabels();
  const headingId = useId();
  const recommended = useRecommendedQuery(elements, exclude, audience);
  const items = recommended.data?.items ?? [];
  const libraryLink = elements.length ? `/resources?${new URLSearchParams(elements.map((e) => ['element', e]))}` : '/resources';

  return (
    <section aria-labelledby={headingId} className="resource-recommended">
      <Title order={headingOrder} size={`h${headingOrder + 1}`} id={headingId} mb="xs">
        {t('resources.recommended.title')}
      </Title>
      {recommended.isLoading ? (
        <Loader size="sm" role="status" aria-label={t('resources.recommended.loading')} />
      ) : recommended.error ? (
        <ErrorAlert error={recommended.error} />
      ) : items.length === 0 ? (
        <Text size="sm">
          {elements.length ? t('resources.recommended.none') : t('resources.recommended.noElements')}{' '}
          <Anchor component={Link} to="/resources">
            {t('resources.recommended.browse')}
          </Anchor>
        </Text>
      ) : (
        <Stack gap="xs">
          <ul className="resource-plain-list">
            {items.map((r) => {
              const title = pick(r.title, labels.lang);
              const isAttached = attached.includes(r.id);
              return (
                <li key={r.id}>
                  <Paper withBorder p="sm">
                    <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
                      <Stack gap={4} className="resource-min0">
                        <Anchor component={Link} to={`/resources/${r.id}`} fw={600} className="resource-break">
                          {title}
                        </Anchor>
                        <Group gap="xs">
                          <Badge variant="light" c="dark.7" tt="none">
                            {labels.type(r.type)}
                          </Badge>
                          <Text size="sm">{t('resources.recommended.matched', { elements: r.matched.map(labels.element).join(', ') })}</Text>
                        </Group>
                      </Stack>
                      {onAttach &&
                        (isAttached ? (
                          <Text size="sm" fw={600} c="teal.9">
                            {t('resources.recommended.attached')}
                          </Text>
                        ) : (
                          <Button size="xs" variant="light" loading={attaching === r.id} disabled={attaching !== null && attaching !== r.id} onClick={() => onAttach(r.id)} aria-label={t('resources.recommended.attachNamed', { title })}>
                            {t('resources.recommended.attach')}
                          </Button>
                        ))}
                    </Group>
                  </Paper>
                </li>
              );
            })}
          </ul>
          <Anchor component={Link} to={libraryLink} size="sm">
            {t('resources.recommended.more')}
          </Anchor>
        </Stack>
      )}
    </section>
  );
}
