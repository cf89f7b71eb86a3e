import { Alert, Anchor, Button, Group, Loader, Modal, Pagination, Paper, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMeQuery } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { SuccessNote } from '../../../client/components/FormParts.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { pick } from '../../instruments/model/text.js';
import type { SearchResult } from '../resources.contract.js';
import { FacetFilters } from './components/FacetFilters.js';
import { useResourceLabels } from './components/labels.js';
import { type FormMode, ResourceForm, type Target } from './components/ResourceForm.js';
import { ResultCard } from './components/ResultCard.js';
import { SuggestionsPanel } from './components/Suggestions.js';
import { useHandedNote } from './components/useHandedNote.js';
import { hasFilters, type LibraryView, noFilters, PAGE_SIZE, readView, writeView } from './libraryView.js';
import { type FacetKey, facetKeys, type SearchRequest, useCollectionsQuery, useOpenFacetCounts, useResourceSearchQuery } from './resources.api.js';
import './resources.css';

/**
 * The resource library: full-text search in three languages, filters for every tag with counts,
 * curated collections, and for curators the suggestions waiting. Everything a reader chooses
 * lives in the address, so a link shows the same view and Back undoes the last change.
 */
export function ResourceLibraryPage() {
  const { t } = useTranslation();
  const labels = useResourceLabels();
  const navigate = useNavigate();
  const deleted = useHandedNote<string>('deleted');
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const request: SearchRequest = { q: view.q, filters: view.filters, collection: view.collection, lang: labels.lang, offset: (view.page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  const search = useResourceSearchQuery(request);
  const open = useOpenFacetCounts(request);
  const { curated, suggestFrom } = useLibraryRoles();
  const [form, setForm] = useState<FormMode | null>(null);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const phone = useMediaQuery('(max-width: 48em)');

  // From the address as it is now, not as the last render saw it: the router renders a new address
  // in a transition, and a change made meanwhile (a quick second click) must not undo the first.
  const update = (change: Partial<LibraryView> | ((current: LibraryView) => Partial<LibraryView>)) =>
    setParams(() => {
      const current = readView(new URLSearchParams(window.location.search));
      return writeView({ ...current, page: 1, ...(typeof change === 'function' ? change(current) : change) });
    });
  const toggleFacet = (key: FacetKey, value: string) =>
    update((current) => {
      const values = current.filters[key];
      return { filters: { ...current.filters, [key]: values.includes(value) ? values.filter((v) => v !== value) : [...values, value] } };
    });
  const landing = !view.q && !view.collection && !hasFilters(view.filters) && view.page === 1;
  const data = search.data;
  const counts = data ? (Object.fromEntries(facetKeys.map((k) => [k, open[k] ?? data.facets[k]])) as SearchResult['facets']) : null;
  // Words that found nothing were searched again with the closest spelling the library knows.
  const corrected = data?.corrected ?? null;
  const spellingNote = corrected ? t('resources.library.corrected', { q: view.q, corrected }) : null;
  const activeCount = facetKeys.reduce((n, k) => n + view.filters[k].length, 0);

  return (
    <Stack gap="lg">
      <div>
        <PageTitle>{t('resources.library.title')}</PageTitle>
        <Text maw={760}>{t('resources.library.intro')}</Text>
      </div>
      <SuccessNote show={!!deleted}>{t('resources.library.deleted', { title: deleted ?? '' })}</SuccessNote>
      {(curated.length > 0 || suggestFrom.length > 0) && (
        <Group gap="sm">
          {curated.length > 0 && <Button onClick={() => setForm('add')}>{t('resources.library.add')}</Button>}
          {suggestFrom.length > 0 && (
            <Button variant={curated.length ? 'default' : 'filled'} onClick={() => setForm('suggest')}>
              {t('resources.library.suggest')}
            </Button>
          )}
        </Group>
      )}
      {curated.map((n) => (
        <SuggestionsPanel key={n.id} network={n} />
      ))}

      <SearchForm initial={view.q} onSearch={(q) => update({ q })} />

      {view.collection && <CollectionBanner id={view.collection} onLeave={() => update({ collection: undefined })} />}
      {landing && <CollectionsSection />}

      <div className="resource-layout">
        <aside aria-label={t('resources.facets.title')}>
          <Button hiddenFrom="md" variant="default" fullWidth mb="sm" aria-expanded={filtersOpen} aria-controls="resource-filters" onClick={() => setFiltersOpen((o) => !o)}>
            {activeCount ? t('resources.facets.toggleActive', { n: activeCount }) : t('resources.facets.toggle')}
          </Button>
          <div id="resource-filters" className="resource-filters" data-open={filtersOpen}>
            {counts ? <FacetFilters filters={view.filters} counts={counts} labels={labels} onToggle={toggleFacet} onClear={() => update({ filters: noFilters() })} /> : null}
          </div>
        </aside>

        <section aria-labelledby="resource-results-heading" className="resource-min0">
          <Title order={2} size="h3" id="resource-results-heading" ref={resultsHeading} tabIndex={-1} className="resource-focus-target" mb="xs">
            {view.q ? t('resources.library.resultsFor', { q: corrected ?? view.q }) : landing ? t('resources.library.browse') : t('resources.library.results')}
          </Title>
          <Group gap="sm" mb="sm" wrap="wrap">
            <Text role="status" aria-live="polite" fw={600}>
              {!data ? t('resources.library.searching') : t('resources.library.count', { count: data.total })}
              {spellingNote && <VisuallyHidden> {spellingNote}</VisuallyHidden>}
            </Text>
            {view.q && !!data?.total && (
              <Button variant="subtle" size="compact-sm" onClick={() => update({ q: '' })}>
                {t('resources.library.clearSearch')}
              </Button>
            )}
          </Group>
          {spellingNote && (
            <Alert color="blue" variant="light" mb="sm">
              {spellingNote}
            </Alert>
          )}
          <ErrorAlert error={search.error} />
          {!data && search.isLoading ? (
            <Loader role="status" aria-label={t('resources.library.searching')} />
          ) : data ? (
            <Results data={data} view={view} labels={labels} fetching={search.isFetching} onClear={() => update({ filters: noFilters(), collection: undefined })} onClearSearch={() => update({ q: '' })} onFirstPage={() => update({})} />
          ) : null}
          {data && data.total > PAGE_SIZE && (
            <nav aria-label={t('resources.library.pages')}>
              <Pagination
                mt="md"
                total={Math.min(Math.ceil(data.total / PAGE_SIZE), Math.floor(10_000 / PAGE_SIZE) + 1)}
                value={view.page}
                onChange={(page) => {
                  update({ page });
                  resultsHeading.current?.focus();
                }}
                getControlProps={(c) => ({ 'aria-label': t(`pager.${c}`) })}
                getItemProps={(p) => ({ 'aria-label': t('pager.page', { page: p }), 'aria-current': p === view.page ? 'page' : undefined })}
              />
            </nav>
          )}
        </section>
      </div>

      <Modal
        opened={form !== null}
        onClose={() => setForm(null)}
        title={form === 'add' ? t('resources.form.addTitle') : t('resources.form.suggestTitle')}
        size="xl"
        fullScreen={!!phone}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {form && form !== 'edit' && (
          <ResourceForm
            mode={form}
            targets={form === 'add' ? curated : suggestFrom}
            onCancel={() => setForm(null)}
            onDone={(r) => {
              setForm(null);
              navigate(`/resources/${r.id}`, { state: { created: form } });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

/**
 * The networks whose library the user curates, and the organisations a suggestion may come from
 * (teams where the user may suggest, leaving out the libraries they curate themselves).
 */
function useLibraryRoles(): { curated: Target[]; suggestFrom: Target[] } {
  const { data: me } = useMeQuery();
  const memberships = me?.memberships ?? [];
  const curated = memberships.filter((m) => m.orgKind === 'network' && m.abilities['resource.curate']).map((m) => ({ id: m.orgId, name: m.orgName }));
  const suggestFrom = memberships.filter((m) => m.abilities['resource.suggest'] && !curated.some((c) => c.id === m.orgId)).map((m) => ({ id: m.orgId, name: m.orgName }));
  return { curated, suggestFrom };
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  // Back or a link changes the words in the address: the box follows, keeping the keyboard in it.
  const [shown, setShown] = useState(initial);
  if (shown !== initial) {
    setShown(initial);
    setValue(initial);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(value.trim());
  };
  return (
    <form role="search" onSubmit={submit} aria-label={t('resources.library.searchLabel')}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          type="search"
          label={t('resources.library.searchLabel')}
          description={t('resources.library.searchHelp')}
          placeholder={t('resources.library.searchPlaceholder')}
          maxLength={200}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 0 }}
        />
        <Button type="submit">{t('resources.library.searchButton')}</Button>
      </Group>
    </form>
  );
}

function Results(props: { data: SearchResult; view: LibraryView; labels: ReturnType<typeof useResourceLabels>; fetching: boolean; onClear: () => void; onClearSearch: () => void; onFirstPage: () => void }) {
  const { t } = useTranslation();
  const { data, view } = props;
  if (data.items.length === 0) {
    const narrowed = hasFilters(view.filters) || !!view.collection;
    return (
      <Paper withBorder p="lg">
        <Title order={3} size="h4" mb="xs">
          {data.total > 0 ? t('resources.empty.pastEnd') : t('resources.empty.title')}
        </Title>
        <Text mb="sm">{data.total > 0 ? t('resources.empty.pastEndHelp') : narrowed ? t('resources.empty.narrowed') : view.q ? t('resources.empty.words') : t('resources.empty.library')}</Text>
        <Group gap="sm">
          {data.total > 0 && <Button onClick={props.onFirstPage}>{t('resources.empty.firstPage')}</Button>}
          {data.total === 0 && narrowed && <Button onClick={props.onClear}>{t('resources.facets.clear')}</Button>}
          {data.total === 0 && view.q && (
            <Button variant={narrowed ? 'default' : 'filled'} onClick={props.onClearSearch}>
              {t('resources.library.clearSearch')}
            </Button>
          )}
        </Group>
      </Paper>
    );
  }
  return (
    <div aria-busy={props.fetching} className={props.fetching ? 'resource-stale' : undefined}>
      <ul className="resource-plain-list">
        {data.items.map((item) => (
          <li key={item.id}>
            <ResultCard item={item} labels={props.labels} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The collection the library is narrowed to, with a way back to everything. */
function CollectionBanner({ id, onLeave }: { id: number; onLeave: () => void }) {
  const { t } = useTranslation();
  const lang = useResourceLabels().lang;
  const collection = useCollectionsQuery().data?.items.find((c) => c.id === id);
  return (
    <Paper withBorder p="md" bg="gray.0">
      <Text fw={700}>{collection ? t('resources.collections.current', { title: pick(collection.title, lang) }) : t('resources.collections.currentUnknown')}</Text>
      {collection && (
        <Text size="sm" mt={4}>
          {pick(collection.description, lang)}
        </Text>
      )}
      <Button variant="subtle" size="compact-sm" mt="xs" onClick={onLeave}>
        {t('resources.collections.leave')}
      </Button>
    </Paper>
  );
}

/** Curated collections, each opening the library narrowed to it. */
function CollectionsSection() {
  const { t } = useTranslation();
  const lang = useResourceLabels().lang;
  const collections = useCollectionsQuery();
  const items = collections.data?.items.filter((c) => c.resources > 0) ?? [];
  if (collections.error) return <ErrorAlert error={collections.error} />;
  if (!items.length) return null;
  return (
    <section aria-labelledby="resource-collections-heading">
      <Title order={2} size="h3" id="resource-collections-heading" mb="xs">
        {t('resources.collections.title')}
      </Title>
      <ul className="resource-grid-list">
        {items.map((c) => (
          <li key={c.id}>
            <Paper withBorder p="md" h="100%">
              <Anchor component={Link} to={`/resources?collection=${c.id}`} fw={600} className="resource-break">
                {pick(c.title, lang)}
              </Anchor>
              <Text size="sm" mt={4} lineClamp={3}>
                {pick(c.description, lang)}
              </Text>
              <Text size="sm" mt={4} c="dimmed">
                {t('resources.collections.count', { count: c.resources })}
              </Text>
            </Paper>
          </li>
        ))}
      </ul>
    </section>
  );
}
