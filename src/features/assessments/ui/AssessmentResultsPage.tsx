import { Anchor, Badge, Button, Group, List, Loader, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { answerInWords, slotLabeller } from '../../instruments/model/item-types.js';
import type { AssessmentResults } from '../assessments.contract.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { MakeGoal } from '../../plans/ui/MakeGoal.js';
import { ProposeGoal } from '../../plans/ui/ProposeGoal.js';
import { RecommendedResources } from '../../resources/ui/RecommendedResources.js';
import { useResultsQuery } from './assessments.api.js';

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : n.toFixed(digits));

/** What a submitted assessment says: scores and bands, change, comparisons, strengths and priorities. */
export function AssessmentResultsPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const { data, error, isLoading } = useResultsQuery(id);
  if (isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (error || !data) {
    return (
      <>
        <PageTitle>{t('assessments.resultsTitle')}</PageTitle>
        <ErrorAlert error={error} />
      </>
    );
  }
  const def = data.definition;
  const lang = (def.languages.includes(i18n.language as LanguageCode) ? i18n.language : def.defaultLanguage) as LanguageCode;
  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang, def.defaultLanguage);
  const slotText = slotLabeller(def, lang);
  const factText = answerInWords(def, lang, {
    DK: t('respondent.dontKnow'),
    NA: t('respondent.notApplicable'),
    PNS: t('respondent.preferNotToSay'),
    yes: t('respondent.yes'),
    no: t('respondent.no'),
  });
  // A fact beside a district or state: the mean (and students per staff member) of a number, the
  // share giving the same answer to a choice.
  const factAround = (f: AssessmentResults['facts'][number], c: AssessmentResults['facts'][number]['comparisons'][number]) => {
    if (!c.enough) return t('assessments.notEnoughSchools', { count: c.contributors, min: data.minimumGroup });
    if (c.shares) {
      const chosen = (Array.isArray(f.value) ? f.value : [f.value]).map(String);
      return chosen.map((v) => t('assessments.shareOf', { answer: factText(f.slotId, v === 'true' ? true : v === 'false' ? false : v), share: c.shares![v] ?? 0 })).join(', ');
    }
    if (c.mean === null) return '—';
    return c.studentsPer ? t('assessments.meanWithRatio', { mean: fmt(c.mean), ratio: c.studentsPer }) : t('assessments.meanOf', { mean: fmt(c.mean) });
  };
  const bandLabel = (scaleId: string, band: string | null) => {
    const b = def.scales.find((s) => s.id === scaleId)?.bands?.find((x) => x.id === band);
    return b ? text(b.label) : '—';
  };
  // The weakest tagged domain is where a plan most likely starts: marked, and its resources shown.
  const tagged = data.scales.filter((s) => s.score !== null && (def.scales.find((x) => x.id === s.scaleId)?.tags?.length ?? 0) > 0);
  const weakest = tagged.length > 1 ? tagged.reduce((a, b) => (b.score! < a.score! ? b : a)) : null;
  const weakestTags = weakest ? (def.scales.find((x) => x.id === weakest.scaleId)?.tags ?? []) : [];
  // A target one band up (or half a point when there is no band above).
  const suggestTarget = (scaleId: string, score: number) => {
    const next = def.scales.find((x) => x.id === scaleId)?.bands?.filter((b) => b.min > score).sort((a, b) => a.min - b.min)[0];
    return next ? next.min : Math.round((score + 0.5) * 10) / 10;
  };
  return (
    <>
      <Group gap="xs" mb="xs">
        <Anchor component={Link} to={`/assessments/${id}`} size="sm">
          {t('assessments.backToAnswers')}
        </Anchor>
        <Text size="sm" c="dark.5">
          {data.assessment.orgName} · {t(`assessments.terms.${data.assessment.term}`)} {data.assessment.schoolYear}
        </Text>
      </Group>
      <PageTitle>{t('assessments.resultsOf', { title: text(def.title) })}</PageTitle>
      <Group mb="md" className="no-print">
        <Button variant="light" onClick={() => window.print()}>
          {t('assessments.print')}
        </Button>
        <Button variant="light" component="a" href={`/api/assessments/${id}/results.pdf?lang=${lang}`} download>
          {t('assessments.downloadPdf')}
        </Button>
      </Group>
      {def.scales.length > 0 && (
        <Table withTableBorder striped captionSide="top" mb="xl">
          <Table.Caption>{t('assessments.scalesCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('instruments.scale')}</Table.Th>
              <Table.Th>{t('assessments.score')}</Table.Th>
              <Table.Th>{t('instruments.bands')}</Table.Th>
              <Table.Th>{t('assessments.change')}</Table.Th>
              <Table.Th>{t('assessments.comparison')}</Table.Th>
              {data.can.proposeGoal && <Table.Th className="no-print">{t('plans.planColumn')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.scales.map((s) => {
              const scale = def.scales.find((x) => x.id === s.scaleId)!;
              const change = s.score !== null && s.previous?.score !== null && s.previous ? s.score - s.previous.score! : null;
              return (
                <Table.Tr key={s.scaleId}>
                  <Table.Th scope="row">
                    {text(scale.title)}
                    {weakest?.scaleId === s.scaleId && (
                      <Badge ml="xs" variant="light" color="orange" c="dark.7" tt="none">
                        {t('plans.weakest')}
                      </Badge>
                    )}
                  </Table.Th>
                  <Table.Td>{s.score === null ? t('assessments.notEnoughAnswers', { answered: s.answered, total: s.total }) : fmt(s.score)}</Table.Td>
                  <Table.Td>
                    {s.band ? (
                      <Badge variant="light" c="dark.7" tt="none">
                        {bandLabel(s.scaleId, s.band)}
                      </Badge>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{change === null ? (s.previous ? '—' : t('assessments.firstTime')) : `${change > 0 ? '+' : ''}${fmt(change)} (${t(`assessments.terms.${s.previous!.term}`)} ${s.previous!.schoolYear})`}</Table.Td>
                  <Table.Td>
                    {s.comparisons.length === 0
                      ? '—'
                      : s.comparisons.map((c) => (
                          <div key={c.orgId}>
                            {c.orgName}: {c.enough ? fmt(c.mean) : t('assessments.notEnoughSchools', { count: c.contributors, min: data.minimumGroup })}
                          </div>
                        ))}
                  </Table.Td>
                  {data.can.proposeGoal && (
                    <Table.Td className="no-print">
                      {s.score !== null && scale.tags?.length ? (
                        <MakeGoal
                          orgId={data.assessment.orgId}
                          from={{ kind: 'assessment', assessmentId: id, scaleId: s.scaleId }}
                          label={text(scale.title)}
                          emphasis={weakest?.scaleId === s.scaleId}
                          suggestion={{ title: t('plans.make.titleFor', { name: text(scale.title) }), baseline: s.score, target: suggestTarget(s.scaleId, s.score), frameworkId: scale.tags[0].split(':')[0] }}
                        />
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {(data.strengths.length > 0 || data.priorities.length > 0) && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mb="xl">
          {(['strengths', 'priorities'] as const).map((list) => (
            <Paper key={list} withBorder p="lg">
              <Title order={2} size="h3" mb="sm">
                {t(`assessments.${list}`)}
              </Title>
              <List spacing="xs">
                {data[list].map((s) => (
                  <List.Item key={s.slotId}>
                    {slotText(s.slotId)} — <strong>{s.value}</strong>{' '}
                    {data.can.proposeGoal && (
                      <span className="no-print">
                        <ProposeGoal assessmentId={id} orgId={data.assessment.orgId} slotId={s.slotId} label={slotText(s.slotId)} />
                      </span>
                    )}
                  </List.Item>
                ))}
              </List>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      {weakest && (
        <Paper withBorder p="lg" mb="xl" className="no-print">
          <RecommendedResources elements={weakestTags} headingOrder={2} />
        </Paper>
      )}
      {data.facts.length > 0 && (
        <Table withTableBorder striped captionSide="top">
          <Table.Caption>{t('assessments.factsCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assessments.question')}</Table.Th>
              <Table.Th>{t('assessments.answer')}</Table.Th>
              <Table.Th>{t('assessments.studentsPer')}</Table.Th>
              <Table.Th>{t('assessments.factsAround')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.facts.map((f) => (
              <Table.Tr key={f.slotId}>
                <Table.Th scope="row">{slotText(f.slotId)}</Table.Th>
                <Table.Td>{factText(f.slotId, f.value)}</Table.Td>
                <Table.Td>{f.studentsPer ?? '—'}</Table.Td>
                <Table.Td>
                  {f.comparisons.length === 0
                    ? '—'
                    : f.comparisons.map((c) => (
                        <div key={c.orgId}>
                          {c.orgName}: {factAround(f, c)}
                        </div>
                      ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
