import { Anchor, Badge, Breadcrumbs, Button, Group, Loader, SimpleGrid, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { OrgKindBadge, useOrgKindLabel } from '../../../client/components/OrgKindBadge.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { AssessmentsPanel } from '../../assessments/ui/AssessmentsPanel.js';
import { CoveragePanel } from '../../assessments/ui/CoveragePanel.js';
import { PlansPanel } from '../../plans/ui/PlansPanel.js';
import { MembersPanel } from '../../members/ui/MembersPanel.js';
import { SurveysPanel } from '../../surveys/ui/SurveysPanel.js';
import type { OrgDetail } from '../organizations.contract.js';
import { childKinds, CreateOrgModal } from './CreateOrgModal.js';
import { useOrgListQuery, useOrgQuery } from './organizations.api.js';
import { OrgSettingsPanel } from './OrgSettingsPanel.js';
import { OrgTable } from './OrgTable.js';
import { PartnersPanel } from './PartnersPanel.js';

const tabs = ['overview', 'organizations', 'coverage', 'assessments', 'surveys', 'plans', 'members', 'partners', 'settings'] as const;
type Tab = (typeof tabs)[number];

export function OrgPage() {
  const { t } = useTranslation();
  const params = useParams();
  const id = Number(params.id);
  const navigate = useNavigate();
  const tab: Tab = tabs.includes(params.tab as Tab) ? (params.tab as Tab) : 'overview';
  const { data: org, error, isLoading } = useOrgQuery(id);
  if (isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (error || !org) {
    return (
      <>
        <PageTitle>{t('orgs.notFound')}</PageTitle>
        <ErrorAlert error={error} />
      </>
    );
  }
  const canSettings = org.can['org.update'] || org.can['org.move'] || org.can['org.archive'];
  const showPartners = org.kind === 'school' || org.kind === 'district' || org.kind === 'partner';
  const showChildren = org.kind !== 'school' && org.kind !== 'partner';
  const showAssessments = org.kind !== 'partner';
  return (
    <>
      {org.ancestors.length > 0 && (
        <nav aria-label={t('orgs.breadcrumb')}>
          <Breadcrumbs mb="xs">
            {org.ancestors.map((a) => (
              <Anchor key={a.id} component={Link} to={`/orgs/${a.id}`} size="sm" className="crumb">
                {a.name}
              </Anchor>
            ))}
          </Breadcrumbs>
        </nav>
      )}
      <Group gap="sm" align="center" mb="xs">
        <OrgKindBadge kind={org.kind} country={org.country} />
        {org.status === 'archived' && (
          <Badge color="gray" c="dark.7" variant="light">
            {t('status.archived')}
          </Badge>
        )}
        {org.role && (
          <Text size="sm" c="dark.5">
            {t('orgs.yourRole', { role: t(`roles.${org.role}`) })}
          </Text>
        )}
      </Group>
      <PageTitle>{org.name}</PageTitle>
      <Tabs value={tab} onChange={(v) => navigate(`/orgs/${id}${v === 'overview' ? '' : `/${v}`}`)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">{t('orgs.tabs.overview')}</Tabs.Tab>
          {showChildren && <Tabs.Tab value="organizations">{t('orgs.tabs.organizations')}</Tabs.Tab>}
          {showChildren && <Tabs.Tab value="coverage">{t('orgs.tabs.coverage')}</Tabs.Tab>}
          {showAssessments && <Tabs.Tab value="assessments">{t('orgs.tabs.assessments')}</Tabs.Tab>}
          {showAssessments && <Tabs.Tab value="surveys">{t('orgs.tabs.surveys')}</Tabs.Tab>}
          {showAssessments && <Tabs.Tab value="plans">{t('orgs.tabs.plans')}</Tabs.Tab>}
          <Tabs.Tab value="members">{t('orgs.tabs.members')}</Tabs.Tab>
          {showPartners && <Tabs.Tab value="partners">{t('orgs.tabs.partners')}</Tabs.Tab>}
          {canSettings && <Tabs.Tab value="settings">{t('orgs.tabs.settings')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Overview org={org} />
        </Tabs.Panel>
        {showChildren && (
          <Tabs.Panel value="organizations">
            <Children org={org} />
          </Tabs.Panel>
        )}
        {showChildren && (
          <Tabs.Panel value="coverage">
            <CoveragePanel org={org} />
          </Tabs.Panel>
        )}
        {showAssessments && (
          <Tabs.Panel value="assessments">
            <AssessmentsPanel org={org} />
          </Tabs.Panel>
        )}
        {showAssessments && (
          <Tabs.Panel value="surveys">
            <SurveysPanel org={org} />
          </Tabs.Panel>
        )}
        {showAssessments && (
          <Tabs.Panel value="plans">
            <PlansPanel org={org} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="members">
          <MembersPanel orgId={org.id} />
        </Tabs.Panel>
        {showPartners && (
          <Tabs.Panel value="partners">
            <PartnersPanel org={org} />
          </Tabs.Panel>
        )}
        {canSettings && (
          <Tabs.Panel value="settings">
            <OrgSettingsPanel org={org} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" c="dark.5">
        {label}
      </Text>
      <Text fw={500}>{value}</Text>
    </div>
  );
}

function Overview({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const kindLabel = useOrgKindLabel();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg">
      <Fact label={t('fields.code')} value={org.code} />
      <Fact label={t('fields.kind')} value={kindLabel(org.kind, org.country)} />
      <Fact label={t('fields.status')} value={t(`status.${org.status}`)} />
      {org.gradeSpan && <Fact label={t('fields.gradeSpan')} value={org.gradeSpan} />}
      {org.enrolment !== null && <Fact label={t('fields.enrolment')} value={org.enrolment.toLocaleString()} />}
      {org.country && <Fact label={t('fields.country')} value={t(`countries.${org.country}`, { defaultValue: org.country })} />}
      {org.languages.length > 0 && <Fact label={t('fields.languages')} value={org.languages.map((l) => t(`languageNames.${l}`)).join(', ')} />}
      {org.childCount > 0 && <Fact label={t('orgs.subOrganizations')} value={org.childCount.toLocaleString()} />}
    </SimpleGrid>
  );
}

const PAGE_SIZE = 50;

function Children({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [creating, { open, close }] = useDisclosure(false);
  const list = useOrgListQuery({ parentId: org.id, q: debouncedQ.trim() || undefined, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const canCreate = org.can['org.create'] && org.status === 'active' && childKinds(org.kind).length > 0;
  return (
    <>
      <Group justify="space-between" align="flex-end" mb="md">
        <TextInput
          label={t('orgs.searchWithin', { name: org.name })}
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          style={{ flex: 1, maxWidth: 420 }}
        />
        {canCreate && <Button onClick={open}>{t('orgs.create.button')}</Button>}
      </Group>
      <ErrorAlert error={list.error} />
      {list.data && list.data.total === 0 && (
        <Text>{debouncedQ ? t('orgs.noResults') : canCreate ? t('orgs.noChildrenCanCreate') : t('orgs.noChildren')}</Text>
      )}
      {list.data && list.data.total > 0 && <OrgTable data={list.data} page={page} pageSize={PAGE_SIZE} onPage={setPage} caption={t('orgs.childrenOf', { name: org.name })} />}
      {creating && <CreateOrgModal parent={org} opened={creating} onClose={close} />}
    </>
  );
}
