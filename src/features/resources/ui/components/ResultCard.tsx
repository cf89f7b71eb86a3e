import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { pick } from '../../../instruments/model/text.js';
import type { SearchResult } from '../../resources.contract.js';
import { Highlighted } from './Highlighted.js';
import { withEllipses } from './highlight.js';
import type { ResourceLabels } from './labels.js';

type Item = SearchResult['items'][number];

/** Small grey-on-white tags that keep AA contrast. */
export function TagBadge({ children, outline = false }: { children: string; outline?: boolean }) {
  return (
    <Badge variant={outline ? 'outline' : 'light'} color={outline ? 'gray.7' : undefined} c="dark.7" tt="none" fw={600}>
      {children}
    </Badge>
  );
}

/** One search result: title and summary with the matched words marked, its type and tags. */
export function ResultCard({ item, labels }: { item: Item; labels: ResourceLabels }) {
  const { t } = useTranslation();
  const title = item.highlight?.title ?? pick(item.title, labels.lang);
  const full = pick(item.summary, labels.lang);
  const summary = item.highlight ? withEllipses(item.highlight.summary, full) : full;
  const headingId = `resource-result-${item.id}`;
  const line = (label: string, values: string[]) =>
    values.length > 0 && (
      <Text size="sm">
        <Text span fw={600} size="sm">
          {label}
        </Text>{' '}
        {values.join(', ')}
      </Text>
    );
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={headingId} className="resource-min0 resource-break">
            <Anchor component={Link} to={`/resources/${item.id}`} inherit>
              <Highlighted text={title} />
            </Anchor>
          </Title>
          <Group gap={6}>
            <TagBadge>{labels.type(item.type)}</TagBadge>
            {item.example && <TagBadge outline>{t('resources.card.example')}</TagBadge>}
            {item.file && <TagBadge outline>{t('resources.card.file')}</TagBadge>}
            {!item.shipped && <TagBadge outline>{t('resources.card.network')}</TagBadge>}
          </Group>
        </Group>
        <Text size="sm" lineClamp={item.highlight ? undefined : 3}>
          <Highlighted text={summary} />
        </Text>
        {line(t('resources.card.for'), item.audiences.map(labels.audience))}
        {line(t('resources.card.languages'), item.languages.map(labels.language))}
        {line(t('resources.card.elements'), item.elements.map(labels.element))}
      </Stack>
    </Paper>
  );
}
