import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { type ReactNode, type RefObject, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { OrgKindBadge } from '../../../client/components/OrgKindBadge.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import type { OrgKind } from '../../../shared/organizations.js';
import { useOrgQuery } from '../../organizations/ui/organizations.api.js';
import { formatInZone } from '../../surveys/ui/zonedTime.js';
import type { SurveyReport } from '../reports.contract.js';
import './components/report.css';
import { ElementsList } from './components/ElementsList.js';
import { PlanFromResults } from './components/PlanFromResults.js';
import { type FigureText, useFigureText } from './components/figures.js';
import { Headline } from './components/Headline.js';
import { ItemDistributions } from './components/ItemDistributions.js';
import { ReportControls, type ViewChange } from './components/ReportControls.js';
import { ExportMenu } from './export/ExportMenu.js';
import { GroupBars, HeatMap } from './components/SideBySide.js';
import { useAdministrationDetailQuery, useSurveyReportQuery } from './reports.api.js';

/**
 * The results of a closed survey for one organisation: headline scales beside the parent with
 * their trend, groups or organisations side by side, every question's answers, and the framework
 * elements they speak to. The organisation, the grouping and the filter live in the address.
 */
export function SurveyReportPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const org = Number(params.get('org')) || undefined;
  const by = params.get('by') ?? '';
  const filter = params.get('filter') ?? '';
  const lang = i18n.language;
  const report = useSurveyReportQuery(id, { org, by: by || undefined, filter: filter || undefined, lang });
  const status = report.error instanceof ApiError ? report.error.status : null;
  // A refused grouping or filter (400): the plain view of the same organisation keeps the controls up.
  const plain = useSurveyReportQuery(id, { org, lang }, status === 400);
  const closing = useAdministrationDetailQuery(id, status === 409);
  const heading = useRef<HTMLDivElement>(null);

  const data = report.data ?? (status === 400 ? plain.data : undefined);
  const text = useFigureText(data?.k ?? 10);
  if (!data) {
    if (report.isLoading || plain.isLoading) return <Loader role="status" aria-label={t('reports.loading')} />;
    return (
      <>
        <BackToSurvey id={id} />
        <PageTitle>{t('reports.pageTitle')}</PageTitle>
        {status === 409 ? (
          <Alert color="blue" role="status" title={t('reports.empty.notClosedTitle')}>
            {closing.data ? t('reports.empty.notClosed', { date: formatInZone(closing.data.closesAt, closing.data.timeZone, lang) }) : t('reports.empty.notClosedNoDate')}
          </Alert>
        ) : (
          <ErrorAlert error={report.error ?? plain.error} />
        )}
      </>
    );
  }

  const go = (change: ViewChange, base: URLSearchParams = params) => {
    const next = new URLSearchParams(base);
    for (const [k, v] of Object.entries(change)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    return next;
  };
  // Below a district are schools, which have no schools below them: "by school" is dropped there.
  const toOrg = (orgId: string): ViewChange => ({ org: orgId, ...(by === 'school' && data.org.kind === 'district' && orgId !== String(data.parent?.id ?? '') ? { by: '' } : {}) });
  const change = (c: ViewChange) => {
    const delta = c.org ? { ...c, ...toOrg(c.org) } : c;
    // From the address as it is now, not as this render saw it: two quick changes both count.
    setParams((current) => go(delta, current));
    if (c.org) heading.current?.focus();
  };

  return (
    <Stack gap="lg" className="report-page">
      <BackToSurvey id={id} print />
      <ReportHeader report={data} headingRef={heading} text={text} onClearFilter={() => change({ filter: '' })} />
      <ExportMenu administrationId={id} orgId={data.org.id} />
      <ReportBody
        report={data}
        by={by}
        filter={filter}
        text={text}
        error={report.error}
        fetching={report.isFetching}
        stale={report.isPlaceholderData || !report.data}
        onChange={change}
        orgLink={(key) => `?${go(toOrg(key))}`}
        onOrgLink={() => heading.current?.focus()}
      />
    </Stack>
  );
}

function BackToSurvey({ id, print = false }: { id: number; print?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" justify="space-between" className="no-print">
      <Anchor component={Link} to={`/surveys/${id}`} size="sm" className="report-touch">
        {t('reports.backToSurvey')}
      </Anchor>
      {print && (
        <Button variant="light" size="xs" onClick={() => window.print()} className="report-touch">
          {t('reports.print')}
        </Button>
      )}
    </Group>
  );
}

/** The organisations above that the reader may open (from the survey's own organisation down), then this one. */
function useTrail(report: SurveyReport) {
  const detail = useOrgQuery(report.org.id);
  const ancestors = detail.data?.ancestors ?? [];
  const from = ancestors.findIndex((a) => a.id === report.administration.org.id);
  return { above: from >= 0 ? ancestors.slice(from) : ancestors, country: detail.data?.country ?? null };
}

function ReportHeader({ report, headingRef, text, onClearFilter }: { report: SurveyReport; headingRef: RefObject<HTMLDivElement | null>; text: FigureText; onClearFilter: () => void }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { above, country } = useTrail(report);
  const at = (orgId: number) => {
    const next = new URLSearchParams(params);
    next.set('org', String(orgId));
    return `?${next}`;
  };
  return (
    <div>
      {above.length > 0 && (
        <nav aria-label={t('reports.trail')} className="no-print">
          <Breadcrumbs mb="xs">
            {[
              ...above.map((a) => (
                <Anchor key={a.id} component={Link} to={at(a.id)} size="sm" className="crumb report-touch" onClick={() => headingRef.current?.focus()}>
                  {a.name}
                </Anchor>
              )),
              <Text key="here" size="sm" aria-current="page">
                {report.org.name}
              </Text>,
            ]}
          </Breadcrumbs>
        </nav>
      )}
      <div ref={headingRef} tabIndex={-1} className="report-heading">
        <PageTitle>{t('reports.title', { title: report.administration.title, org: report.org.name })}</PageTitle>
      </div>
      <Group gap="sm" mb="xs">
        <OrgKindBadge kind={report.org.kind as OrgKind} country={country} />
        <Text fw={600}>
          {report.respondents.withheld ? text.withheld(report.respondents.withheld) : t('reports.respondents', { count: report.respondents.n ?? 0, n: text.count(report.respondents.n ?? 0) })}
        </Text>
        {report.parent && <Text>{t('reports.comparedWith', { org: report.parent.name })}</Text>}
      </Group>
      {report.filter && (
        <Group gap="sm">
          <Text>{t('reports.filteredTo', { group: filterInWords(report, text, t) })}</Text>
          <Button variant="subtle" size="compact-sm" className="no-print report-touch" onClick={onClearFilter}>
            {t('reports.clearFilter')}
          </Button>
        </Group>
      )}
    </div>
  );
}

function ReportBody(props: {
  report: SurveyReport;
  by: string;
  filter: string;
  text: FigureText;
  error: unknown;
  fetching: boolean;
  stale: boolean;
  onChange: (c: ViewChange) => void;
  orgLink: (key: string) => string;
  onOrgLink: () => void;
}) {
  const { report, text, error } = props;
  const { t, i18n } = useTranslation();
  const { above } = useTrail(report);
  // The organisations below, for the picker: the same request as "by school", so that view is ready.
  const children = useSurveyReportQuery(report.administration.id, { org: report.org.id, by: 'school', lang: i18n.language }, report.org.kind !== 'school');
  const below = children.data && children.data.org.id === report.org.id ? children.data.columns.map((c) => ({ id: Number(c.key), name: c.label })) : [];
  const refused = error instanceof ApiError && error.status === 400;
  const announced = props.fetching ? t('reports.loading') : t('reports.live', { org: report.org.name, view: viewInWords(report, text, t) });
  const n = report.respondents.n;
  return (
    <>
      <ReportControls report={report} by={props.by} filter={props.filter} above={above} below={below} error={error} text={text} onChange={props.onChange} />
      <VisuallyHidden role="status" aria-live="polite">
        {announced}
      </VisuallyHidden>
      {refused ? (
        <Text>{t('reports.empty.refused')}</Text>
      ) : report.respondents.withheld ? (
        <Alert color="gray" title={text.withheld(report.respondents.withheld)}>
          {t('reports.empty.withheldOrg', { org: report.org.name, k: report.k })}
        </Alert>
      ) : n === 0 ? (
        <Alert color="gray" title={t('reports.empty.noRespondentsTitle')}>
          {t('reports.empty.noRespondents', { org: report.org.name })}
        </Alert>
      ) : (
        <div className={props.stale ? 'report-results report-stale' : 'report-results'} aria-busy={props.fetching}>
          <Section id="report-overview" title={t('reports.sections.overview')}>
            <Text size="sm" mb="xs">
              {t('reports.notes.favourable')} {t('reports.notes.privacy', { k: report.k })} {t('reports.notes.coded')}
            </Text>
            <Headline report={report} text={text} />
          </Section>
          {report.by && (
            <Section id="report-side" title={t('reports.sections.side')}>
              {report.columns.length === 0 ? (
                <Text>{t('reports.empty.nothingToCompare')}</Text>
              ) : report.by === 'school' ? (
                <HeatMap report={report} text={text} orgLink={props.orgLink} onOrg={props.onOrgLink} />
              ) : (
                <GroupBars report={report} text={text} />
              )}
            </Section>
          )}
          <Section id="report-items" title={t('reports.sections.items')}>
            <ItemDistributions report={report} text={text} />
          </Section>
          {report.elements.length > 0 && (
            <Section id="report-elements" title={t('reports.sections.elements')}>
              <ElementsList report={report} text={text} />
            </Section>
          )}
          <Section id="report-plan" title={t('reports.sections.plan')}>
            <PlanFromResults report={report} text={text} />
          </Section>
        </div>
      )}
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="report-section">
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </section>
  );
}

/** What is on screen, for the live region: side by side what, and for whom. */
function viewInWords(report: SurveyReport, text: FigureText, t: (k: string, o?: Record<string, unknown>) => string): string {
  const dim = report.dimensions.find((d) => d.id === (report.by ?? report.filter?.dim));
  const parts: string[] = [];
  if (report.by === 'school') parts.push(t('reports.liveBy', { what: t(report.org.kind === 'district' ? 'reports.controls.bySchool' : 'reports.controls.byBelow') }));
  else if (report.by && dim) parts.push(t('reports.liveBy', { what: text.dimension(dim) }));
  if (report.filter) parts.push(t('reports.liveFilter', { group: filterInWords(report, text, t) }));
  return parts.join(' ');
}

/** The filter's answers in words ("Gender identity: Girl"), both of a combined filter joined by "and". */
function filterInWords(report: SurveyReport, text: FigureText, t: (k: string, o?: Record<string, unknown>) => string): string {
  const one = (f: NonNullable<SurveyReport['filter']>) => {
    const dim = report.dimensions.find((d) => d.id === f.dim);
    return `${dim ? text.dimension(dim) : f.dim}: ${text.group({ key: f.group, label: f.label })}`;
  };
  return [report.filter, report.alsoFilter].filter((f) => f !== null).map(one).join(` ${t('reports.and')} `);
}
