import { Alert, Button, Group, Loader, NativeSelect, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMeQuery } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { useOrgKindLabel } from '../../../client/components/OrgKindBadge.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { orgKinds } from '../../../shared/organizations.js';
import { CreateOrgModal } from './CreateOrgModal.js';
import { useOrgListQuery } from './organizations.api.js';
import { OrgTable } from './OrgTable.js';
import { OrgTreeNode } from './OrgTree.js';

const PAGE_SIZE = 50;

/** Where people start: their organisations as a tree, or search results by name or code. */
export function OrgBrowserPage() {
  const { t } = useTranslation();
  const kindLabel = useOrgKindLabel();
  const { data: me } = useMeQuery();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = params.get('kind') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [debouncedQ] = useDebouncedValue(q, 250);
  const searching = debouncedQ.trim() !== '' || kind !== '';
  const roots = useOrgListQuery({}, !searching);
  const results = useOrgListQuery({ q: debouncedQ.trim() || undefined, kind: kind || undefined, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, searching);
  const [creating, { open, close }] = useDisclosure(false);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageTitle>{t('orgs.title')}</PageTitle>
        {me?.user.isOperator && (
          <Button onClick={open} variant="light">
            {t('orgs.create.topLevel')}
          </Button>
        )}
      </Group>
      <Group align="flex-end" mb="md">
        <TextInput
          label={t('orgs.search')}
          placeholder={t('orgs.searchPlaceholder')}
          type="search"
          value={q}
          onChange={(e) => set({ q: e.currentTarget.value, page: '' })}
          style={{ flex: 1, minWidth: 220 }}
        />
        <NativeSelect
          label={t('fields.kind')}
          value={kind}
          onChange={(e) => set({ kind: e.currentTarget.value, page: '' })}
          data={[{ value: '', label: t('orgs.allKinds') }, ...orgKinds.map((k) => ({ value: k, label: kindLabel(k, null) }))]}
        />
      </Group>
      {searching ? (
        <section aria-live="polite" aria-busy={results.isFetching}>
          <ErrorAlert error={results.error} />
          {results.data && results.data.total === 0 && <Text>{t('orgs.noResults')}</Text>}
          {results.data && results.data.total > 0 && <OrgTable data={results.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} caption={t('orgs.searchResults')} />}
        </section>
      ) : (
        <section aria-label={t('orgs.treeLabel')}>
          <ErrorAlert error={roots.error} />
          {roots.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
          {roots.data && roots.data.total === 0 && (
            <Alert color="blue" title={t('orgs.empty.title')}>
              {me?.user.isOperator ? t('orgs.empty.operator') : t('orgs.empty.member')}
            </Alert>
          )}
          {roots.data && roots.data.total > 0 && (
            <ul className="tree-list root">
              {roots.data.items.map((o) => (
                <OrgTreeNode key={o.id} org={o} />
              ))}
            </ul>
          )}
        </section>
      )}
      {creating && <CreateOrgModal parent={null} opened={creating} onClose={close} />}
    </>
  );
}
