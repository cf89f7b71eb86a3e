import { ActionIcon, Anchor, Button, Group, Loader, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { OrgKindBadge } from '../../../client/components/OrgKindBadge.js';
import type { OrgSummary } from '../organizations.contract.js';
import { useOrgListQuery } from './organizations.api.js';

const PAGE = 50;

/**
 * The organisation tree as nested disclosure lists: each branch loads its children on demand,
 * fifty at a time, so a state with thousands of schools stays quick.
 */
export function OrgTreeNode({ org }: { org: OrgSummary }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const listId = `org-children-${org.id}`;
  return (
    <li>
      <div className="tree-row">
        {org.childCount > 0 ? (
          <ActionIcon
            variant="subtle"
            color="dark"
            size="lg"
            aria-expanded={open}
            aria-controls={listId}
            aria-label={t(open ? 'orgs.tree.collapse' : 'orgs.tree.expand', { name: org.name })}
            onClick={() => setOpen((o) => !o)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </ActionIcon>
        ) : (
          <span className="tree-spacer" />
        )}
        <Anchor component={Link} to={`/orgs/${org.id}`} fw={500}>
          {org.name}
        </Anchor>
        <OrgKindBadge kind={org.kind} country={org.country} />
        <Text size="sm" c="dark.5">
          {org.code}
        </Text>
        {org.childCount > 0 && (
          <Text size="sm" c="dark.5">
            {t('orgs.tree.children', { count: org.childCount })}
          </Text>
        )}
      </div>
      {open && <OrgChildren parentId={org.id} id={listId} />}
    </li>
  );
}

function OrgChildren({ parentId, id }: { parentId: number; id: string }) {
  const [pages, setPages] = useState(1);
  return (
    <ul className="tree-list" id={id}>
      {Array.from({ length: pages }, (_, i) => (
        <OrgChildPage key={i} parentId={parentId} offset={i * PAGE} isLast={i === pages - 1} onMore={() => setPages((p) => p + 1)} />
      ))}
    </ul>
  );
}

function OrgChildPage({ parentId, offset, isLast, onMore }: { parentId: number; offset: number; isLast: boolean; onMore: () => void }) {
  const { t } = useTranslation();
  const { data, isLoading } = useOrgListQuery({ parentId, offset, limit: PAGE });
  if (isLoading || !data) {
    return (
      <li>
        <Loader size="sm" role="status" aria-label={t('common.loading')} />
      </li>
    );
  }
  const shown = Math.min(offset + PAGE, data.total);
  return (
    <>
      {data.items.map((o) => (
        <OrgTreeNode key={o.id} org={o} />
      ))}
      {isLast && shown < data.total && (
        <li>
          <Group gap="sm" py={4}>
            <Button variant="light" size="xs" onClick={onMore}>
              {t('orgs.tree.more')}
            </Button>
            <Text size="sm" c="dark.5">
              {t('orgs.tree.showing', { shown, total: data.total })}
            </Text>
          </Group>
        </li>
      )}
    </>
  );
}
