import { Badge, Button, Group, NativeSelect, Pagination, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { useVersionQuery } from '../../instruments/ui/instruments.api.js';
import type { OrgDetail } from '../../organizations/organizations.contract.js';
import { currentSchoolYear } from '../assessments.contract.js';
import { coverageLevels } from '../coverage.contract.js';
import { useBandsQuery, useCoverageQuery, useCoverageSchoolsQuery, useHeatmapQuery, useTrendQuery } from './coverage.api.js';

const INSTRUMENTS = ['school_mh_profile', 'quality_school'];
const QUALITY = 'quality_school';
const PAGE = 25;
const levelColor = { this_year: 'teal', in_progress: 'yellow', last_year: 'blue', never: 'gray' } as const;

/** Census coverage and quality of the schools below a district, state or network. */
export function CoveragePanel({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const first = Number(currentSchoolYear().slice(0, 4));
  const [year, setYear] = useState(currentSchoolYear());
  const years = [0, -1, -2].map((d) => `${first + d}-${first + d + 1}`);
  return (
    <Stack gap="xl">
      <Group align="flex-end">
        <NativeSelect label={t('assessments.schoolYear')} value={year} onChange={(e) => setYear(e.currentTarget.value)} data={years} w={200} />
        {(['csv', 'xlsx'] as const).map((f) => (
          <Button key={f} variant="subtle" component="a" href={`/api/orgs/${org.id}/coverage/export?schoolYear=${year}&instruments=${INSTRUMENTS.join(',')}&format=${f}`} download>
            {t('coverage.exportCoverage', { format: f.toUpperCase() })}
          </Button>
        ))}
        {(['csv', 'xlsx'] as const).map((f) => (
          <Button key={`s${f}`} variant="subtle" component="a" href={`/api/orgs/${org.id}/quality/scores/export?instrumentId=${QUALITY}&format=${f}`} download>
            {t('coverage.exportScores', { format: f.toUpperCase() })}
          </Button>
        ))}
      </Group>
      <CoverageCounts org={org} year={year} />
      <SchoolTable org={org} year={year} />
      <Quality org={org} year={year} />
    </Stack>
  );
}

function CoverageCounts({ org, year }: { org: OrgDetail; year: string }) {
  const { t } = useTranslation();
  const { data, error } = useCoverageQuery(org.id, year, INSTRUMENTS);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return null;
  if (data.schools === 0) return <Text>{t('coverage.noSchools')}</Text>;
  const pct = (n: number) => `${Math.round((n / data.schools) * 100)} %`;
  return (
    <section aria-labelledby="coverage-title">
      <Title order={2} size="h3" id="coverage-title" mb="sm">
        {t('coverage.title', { count: data.schools })}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {data.instruments.map((i) => (
          <Paper key={i.instrumentId} withBorder p="md">
            <Text fw={600} mb="xs">
              {t(`coverage.instruments.${i.instrumentId}`, { defaultValue: i.instrumentId })}
            </Text>
            <Table captionSide="top">
              <Table.Caption>{t('coverage.countsCaption', { year })}</Table.Caption>
              <Table.Tbody>
                {coverageLevels.map((l) => (
                  <Table.Tr key={l}>
                    <Table.Th scope="row">{t(`coverage.levels.${l}`)}</Table.Th>
                    <Table.Td>{i.counts[l]}</Table.Td>
                    <Table.Td>{pct(i.counts[l])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        ))}
      </SimpleGrid>
    </section>
  );
}

function SchoolTable({ org, year }: { org: OrgDetail; year: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [level, setLevel] = useState('');
  const [sort, setSort] = useState('name');
  const [page, setPage] = useState(1);
  const [debounced] = useDebouncedValue(q, 250);
  const { data, error } = useCoverageSchoolsQuery(org.id, { schoolYear: year, instruments: INSTRUMENTS, q: debounced || undefined, level: level || undefined, sort, offset: (page - 1) * PAGE, limit: PAGE });
  return (
    <section aria-labelledby="schools-title">
      <Title order={2} size="h3" id="schools-title" mb="sm">
        {t('coverage.schoolsTitle')}
      </Title>
      <Group align="flex-end" mb="sm">
        <TextInput label={t('orgs.search')} type="search" value={q} onChange={(e) => (setQ(e.currentTarget.value), setPage(1))} />
        <NativeSelect label={t('coverage.profileFilter')} value={level} onChange={(e) => (setLevel(e.currentTarget.value), setPage(1))} data={[{ value: '', label: t('instruments.any') }, ...coverageLevels.map((l) => ({ value: l, label: t(`coverage.levels.${l}`) }))]} />
        <NativeSelect label={t('coverage.sort')} value={sort} onChange={(e) => setSort(e.currentTarget.value)} data={['name', 'district', 'level'].map((s) => ({ value: s, label: t(`coverage.sorts.${s}`) }))} />
      </Group>
      <ErrorAlert error={error} />
      {data && (
        <>
          <Table withTableBorder striped captionSide="top">
            <Table.Caption>{t('coverage.schoolsCaption', { count: data.total })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('orgKind.district')}</Table.Th>
                {INSTRUMENTS.map((i) => (
                  <Table.Th key={i}>{t(`coverage.instruments.${i}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Th scope="row">{s.name}</Table.Th>
                  <Table.Td>{s.district ?? '—'}</Table.Td>
                  {s.levels.map((l, i) => (
                    <Table.Td key={i}>
                      <Badge variant="light" color={levelColor[l]} c="dark.7" tt="none">
                        {t(`coverage.levels.${l}`)}
                      </Badge>
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.total > PAGE && (
            <Pagination mt="sm" total={Math.ceil(data.total / PAGE)} value={page} onChange={setPage} getControlProps={(c) => ({ 'aria-label': t(`pager.${c}`) })} getItemProps={(p) => ({ 'aria-label': t('pager.page', { page: p }) })} />
          )}
        </>
      )}
    </section>
  );
}

/** Shades of the heat map: light for low scores, dark for high; the number is always written. */
function shade(mean: number | null): { background: string; color: string } {
  if (mean === null) return { background: 'transparent', color: 'inherit' };
  const level = Math.max(0, Math.min(1, (mean - 1) / 5));
  const light = 96 - level * 60;
  // From 96 % down to 36 % lightness, dark text keeps a contrast above 5:1 on every shade.
  return { background: `hsl(165 55% ${light}%)`, color: '#111' };
}

function Quality({ org, year }: { org: OrgDetail; year: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const def = useVersionQuery(QUALITY, 1).data?.definition;
  const heat = useHeatmapQuery(org.id, year, QUALITY);
  const bands = useBandsQuery(org.id, year, QUALITY);
  const trend = useTrendQuery(org.id, QUALITY);
  const scaleName = (id: string) => (def ? pick(def.scales.find((s) => s.id === id)?.title, lang, def.defaultLanguage) || id : id);
  const bandIds = def?.scales[0]?.bands?.map((b) => b.id) ?? ['emerging', 'progressing', 'mastery'];
  const bandName = (id: string) => (def ? pick(def.scales[0]?.bands?.find((b) => b.id === id)?.label, lang, def.defaultLanguage) || id : id);
  return (
    <section aria-labelledby="quality-title">
      <Title order={2} size="h3" id="quality-title" mb="sm">
        {t('coverage.qualityTitle')}
      </Title>
      <ErrorAlert error={heat.error ?? bands.error ?? trend.error} />
      {heat.data && heat.data.rows.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <Table withTableBorder captionSide="top" mb="lg">
            <Table.Caption>{t('coverage.heatmapCaption', { year })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('coverage.schoolsCol')}</Table.Th>
                {heat.data.scales.map((s) => (
                  <Table.Th key={s}>{scaleName(s)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {heat.data.rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Th scope="row">{r.name}</Table.Th>
                  <Table.Td>{r.schools}</Table.Td>
                  {r.means.map((m, i) => (
                    <Table.Td key={i} style={shade(m)}>
                      {m === null ? '—' : m.toFixed(1)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {bands.data && (
        <Table withTableBorder striped captionSide="top" mb="lg">
          <Table.Caption>{t('coverage.bandsCaption', { year })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('instruments.scale')}</Table.Th>
              {bandIds.map((b) => (
                <Table.Th key={b}>{bandName(b)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bands.data.scales.map((s) => (
              <Table.Tr key={s.scaleId}>
                <Table.Th scope="row">{scaleName(s.scaleId)}</Table.Th>
                {bandIds.map((b) => (
                  <Table.Td key={b}>{s.counts[b] ?? 0}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {trend.data && trend.data.periods.length > 0 && (
        <Table withTableBorder striped captionSide="top">
          <Table.Caption>{t('coverage.trendCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('instruments.scale')}</Table.Th>
              {trend.data.periods.map((p) => (
                <Table.Th key={`${p.schoolYear}-${p.term}`}>
                  {t(`assessments.terms.${p.term}`)} {p.schoolYear}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trend.data.scales.map((s) => (
              <Table.Tr key={s.scaleId}>
                <Table.Th scope="row">{scaleName(s.scaleId)}</Table.Th>
                {s.shares.map((x, i) => (
                  <Table.Td key={i}>{x.share === null ? '—' : `${Math.round(x.share)} % (${x.schools})`}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
