import { Anchor, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { SuccessNote } from '../../../client/components/FormParts.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { useInstrumentQuery } from '../../instruments/ui/instruments.api.js';
import type { AdministrationDetail } from '../surveys.contract.js';
import { ManagePanel } from './components/ManagePanel.js';
import { MonitorPanel } from './components/MonitorPanel.js';
import { PrintCodes } from './components/PrintCodes.js';
import { SchoolsTable } from './components/SchoolsTable.js';
import { StateBadge } from './components/StateBadge.js';
import { useAdministrationQuery, useMonitorQuery } from './surveys.api.js';
import { formatInZone } from './zonedTime.js';

/**
 * One survey administration: its window and consent, each school's link and counts, printing
 * single-use codes, the live monitor, and (for coordinators) closing, extending and deleting.
 * A school team sees only its own school's part; the server filters, the page shows what it gets.
 */
export function AdministrationPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const detail = useAdministrationQuery(id);
  if (detail.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (!detail.data) {
    return (
      <>
        <PageTitle>{t('surveys.notFound')}</PageTitle>
        <ErrorAlert error={detail.error} />
      </>
    );
  }
  return <Administration a={detail.data} />;
}

function Fact({ label, children }: { label: string; children: string }) {
  return (
    <div>
      <Text size="sm" c="dark.5">
        {label}
      </Text>
      <Text fw={500}>{children}</Text>
    </div>
  );
}

function Administration({ a }: { a: AdministrationDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const client = useQueryClient();
  const instrument = useInstrumentQuery(a.instrumentId);
  const live = a.state !== 'closed';
  const monitor = useMonitorQuery(a.id, live);
  const created = Boolean((useLocation().state as { created?: boolean } | null)?.created);
  const createdNote = useRef<HTMLDivElement>(null);

  // Arriving from the set-up form: say it worked, and start reading from there.
  useEffect(() => {
    if (created) createdNote.current?.focus();
  }, [created]);

  // New responses seen by the monitor also refresh each school's counts in the schools table.
  const total = monitor.data?.total;
  const seen = useRef(total);
  useEffect(() => {
    if (total !== undefined && seen.current !== undefined && total !== seen.current) void client.invalidateQueries({ queryKey: ['surveys', 'detail', a.id] });
    seen.current = total;
  }, [total, client, a.id]);

  const access = [a.openLink && t('surveys.access.openLink'), a.accessCodes && t('surveys.access.codes')].filter(Boolean).join(' · ');
  return (
    <Stack gap="lg">
      <div>
        <Group gap="xs" mb="xs">
          <StateBadge state={a.state} />
          <Anchor component={Link} to={`/orgs/${a.orgId}/surveys`} size="sm">
            {a.orgName}
          </Anchor>
        </Group>
        <PageTitle>{a.title}</PageTitle>
        {a.state === 'closed' && (
          <Anchor component={Link} to={`/surveys/${a.id}/results`} fw={600} display="inline-block" py={10}>
            {t('reports.seeResults')}
          </Anchor>
        )}
        <div ref={createdNote} tabIndex={-1}>
          <SuccessNote show={created}>{a.accessCodes && a.can.manage ? t('surveys.createdWithCodes') : t('surveys.created')}</SuccessNote>
        </div>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg">
        <Fact label={t('surveys.fields.instrument')}>{instrument.data ? pick(instrument.data.title, lang as LanguageCode) : a.instrumentId}</Fact>
        <Fact label={t('surveys.fields.opensAt')}>{formatInZone(a.opensAt, a.timeZone, lang)}</Fact>
        <Fact label={t('surveys.fields.closesAt')}>{formatInZone(a.closesAt, a.timeZone, lang)}</Fact>
        <Fact label={t('surveys.fields.timeZone')}>{a.timeZone}</Fact>
        <Fact label={t('surveys.fields.consent')}>{t(`surveys.consent.${a.consent}`)}</Fact>
        <Fact label={t('fields.languages')}>{a.languages.map((l) => t(`languageNames.${l}`)).join(', ')}</Fact>
        <Fact label={t('surveys.fields.access')}>{access}</Fact>
      </SimpleGrid>
      <SchoolsTable a={a} />
      <MonitorPanel monitor={monitor.data} error={monitor.error} live={live} />
      {a.can.manage && a.accessCodes && <PrintCodes a={a} />}
      {a.can.manage && <ManagePanel a={a} responses={monitor.data?.total ?? a.responses} />}
    </Stack>
  );
}
