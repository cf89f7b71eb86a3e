import { Anchor, Badge, Button, Group, Loader, NativeSelect, SimpleGrid, Card, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { elementNames, useFrameworksQuery } from '../../frameworks/ui/frameworks.api.js';
import { audiences, instrumentKinds } from '../model/instrument.schema.js';
import { type LanguageCode, pick } from '../model/text.js';
import { useInstrumentsQuery } from './instruments.api.js';

/** Every instrument the person can use, filtered by kind, audience, framework element and words. */
export function InstrumentLibraryPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const [params, setParams] = useSearchParams();
  const filters = { kind: params.get('kind') ?? '', audience: params.get('audience') ?? '', tag: params.get('tag') ?? '', q: params.get('q') ?? '' };
  const [q] = useDebouncedValue(filters.q, 250);
  const list = useInstrumentsQuery({ ...filters, q });
  const frameworks = useFrameworksQuery();
  const names = elementNames(frameworks.data?.items, lang);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const tagOptions = (frameworks.data?.items ?? []).map((f) => ({
    group: pick(f.definition.name, lang),
    items: [{ value: f.id, label: `${pick(f.definition.name, lang)} — ${t('instruments.allElements')}` }, ...f.definition.elements.map((e) => ({ value: `${f.id}:${e.id}`, label: pick(e.name, lang) }))],
  }));
  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageTitle>{t('instruments.title')}</PageTitle>
        <Button component={Link} to="/instruments/import" variant="light">
          {t('importInstrument.title')}
        </Button>
      </Group>
      <Text mb="md" maw={760}>
        {t('instruments.intro')}
      </Text>
      <Group align="flex-end" mb="lg">
        <TextInput label={t('instruments.search')} type="search" value={filters.q} onChange={(e) => set('q', e.currentTarget.value)} style={{ flex: 1, minWidth: 200 }} />
        <NativeSelect label={t('instruments.kind')} value={filters.kind} onChange={(e) => set('kind', e.currentTarget.value)} data={[{ value: '', label: t('instruments.any') }, ...instrumentKinds.map((k) => ({ value: k, label: t(`instruments.kinds.${k}`) }))]} />
        <NativeSelect label={t('instruments.audience')} value={filters.audience} onChange={(e) => set('audience', e.currentTarget.value)} data={[{ value: '', label: t('instruments.any') }, ...audiences.map((a) => ({ value: a, label: t(`instruments.audiences.${a}`) }))]} />
        <NativeSelect label={t('instruments.element')} value={filters.tag} onChange={(e) => set('tag', e.currentTarget.value)} data={[{ value: '', label: t('instruments.any') }, ...tagOptions]} />
      </Group>
      <ErrorAlert error={list.error} />
      {list.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {list.data && list.data.items.length === 0 && <Text>{t('instruments.none')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md" aria-live="polite">
        {list.data?.items.map((i) => (
          <Card key={i.id} withBorder padding="lg" component="article">
            <Group gap="xs" mb="xs">
              <Badge variant="light" c="dark.7" tt="none">
                {t(`instruments.kinds.${i.kind}`)}
              </Badge>
              <Badge variant="light" color="gray" c="dark.7" tt="none">
                {t(`instruments.audiences.${i.audience}`)}
                {i.gradeBand ? ` · ${t(`instruments.gradeBands.${i.gradeBand}`)}` : ''}
              </Badge>
              {i.publishedVersion === null && (
                <Badge variant="light" color="yellow" c="dark.7" tt="none">
                  {t('instruments.draftOnly')}
                </Badge>
              )}
            </Group>
            <Anchor component={Link} to={`/instruments/${i.id}`} fw={600} size="lg">
              {pick(i.title, lang)}
            </Anchor>
            {i.description && (
              <Text size="sm" mt="xs" lineClamp={3}>
                {pick(i.description, lang)}
              </Text>
            )}
            <Text size="sm" c="dark.5" mt="sm">
              {t('instruments.counts', { items: i.itemCount, scales: i.scaleCount })} · {i.ownerName ?? t('instruments.shipped')}
            </Text>
            {i.tags.length > 0 && (
              <Text size="sm" c="dark.5" mt={4} lineClamp={2}>
                {[...new Set(i.tags.map((tag) => names.get(tag)?.framework).filter(Boolean))].join(' · ')}
              </Text>
            )}
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
