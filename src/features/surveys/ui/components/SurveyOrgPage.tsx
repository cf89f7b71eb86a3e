import { Anchor, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../../client/components/PageTitle.js';
import type { InstrumentSummary } from '../../../instruments/instruments.contract.js';
import { useInstrumentsQuery } from '../../../instruments/ui/instruments.api.js';
import type { OrgDetail } from '../../../organizations/organizations.contract.js';
import { useOrgQuery } from '../../../organizations/ui/organizations.api.js';

interface Props {
  title: string;
  intro?: string;
  /** Said instead of the page when the caller may not run surveys here, or there is no survey to use. */
  notAllowed: string;
  noInstruments: string;
  children: (org: OrgDetail, published: InstrumentSummary[]) => ReactNode;
}

/**
 * A page where a coordinator runs surveys for the organisation in the URL: the way back to it,
 * the title, and the page itself with the published surveys, or why there is nothing to do.
 */
export function SurveyOrgPage({ title, intro, notAllowed, noInstruments, children }: Props) {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const org = useOrgQuery(id);
  const instruments = useInstrumentsQuery({ kind: 'survey' });
  if (org.isLoading || instruments.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (!org.data) {
    return (
      <>
        <PageTitle>{t('orgs.notFound')}</PageTitle>
        <ErrorAlert error={org.error} />
      </>
    );
  }
  const published = (instruments.data?.items ?? []).filter((i) => i.publishedVersion !== null);
  return (
    <>
      <Anchor component={Link} to={`/orgs/${id}/surveys`} size="sm">
        {org.data.name}
      </Anchor>
      <PageTitle>{title}</PageTitle>
      {intro && (
        <Text mb="lg" maw={760}>
          {intro}
        </Text>
      )}
      <ErrorAlert error={instruments.error} />
      {!org.data.can['survey.run'] || org.data.status !== 'active' ? <Text>{notAllowed}</Text> : published.length === 0 ? <Text>{noInstruments}</Text> : children(org.data, published)}
    </>
  );
}
