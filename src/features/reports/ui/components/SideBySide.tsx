import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ScaleFigure, SurveyReport } from '../../reports.contract.js';
import { ChartFigure } from './ChartFigure.js';
import { DataTable } from './DataTable.js';
import { columnOrder, type FigureText } from './figures.js';
import { HATCH, heatColour, textOn } from './palette.js';

type T = (k: string, o?: Record<string, unknown>) => string;
type Column = SurveyReport['columns'][number];

const shownValue = (f: ScaleFigure) => (f.withheld || f.n === 0 ? null : f.favourable.value);

/** The scale whose shown columns lie furthest apart, with its highest and lowest column. */
function widestGap(report: SurveyReport, name: (c: Column) => string) {
  let best: { scale: string; high: number; low: number; spread: number } | null = null;
  for (const s of report.scales) {
    const shown = s.columns.map((f, i) => ({ i, v: shownValue(f) })).filter((x): x is { i: number; v: number } => x.v !== null);
    if (shown.length < 2) continue;
    const high = shown.reduce((a, b) => (b.v > a.v ? b : a));
    const low = shown.reduce((a, b) => (b.v < a.v ? b : a));
    if (!best || high.v - low.v > best.spread) best = { scale: s.title, high: high.i, low: low.i, spread: high.v - low.v };
  }
  if (!best) return null;
  const s = report.scales.find((x) => x.title === best!.scale)!;
  return { scale: best.scale, high: name(report.columns[best.high]), highValue: s.columns[best.high], low: name(report.columns[best.low]), lowValue: s.columns[best.low] };
}

/** The summary of a side-by-side chart: how many columns, how many withheld, where they differ most. */
function describe(report: SurveyReport, text: FigureText, t: T, name: (c: Column) => string, kind: 'orgs' | 'groups'): string {
  const withheld = report.columns.filter((c) => c.withheld).length;
  const parts = [t(`reports.side.count.${kind}`, { count: report.columns.length })];
  const gap = widestGap(report, name);
  if (gap) parts.push(t('reports.side.widest', { scale: gap.scale, high: gap.high, highValue: text.percent(gap.highValue.favourable), low: gap.low, lowValue: text.percent(gap.lowValue.favourable) }));
  if (withheld) parts.push(t('reports.side.withheldCount', { count: withheld }));
  return parts.join(' ');
}

/** Details of every column and scale, one row each: respondents with a score, % favourable, mean. */
function DetailTable({ report, text, name, caption }: { report: SurveyReport; text: FigureText; name: (c: Column) => string; caption: string }) {
  const { t } = useTranslation();
  return (
    <DataTable caption={caption} head={[t('reports.columns.column'), t('reports.columns.respondents'), ...report.scales.map((s) => s.title)]}>
      {columnOrder(report.columns).map((i) => (
        <Table.Tr key={report.columns[i].key}>
          <Table.Th scope="row">{name(report.columns[i])}</Table.Th>
          <Table.Td>{report.columns[i].withheld ? text.withheld(report.columns[i].withheld) : text.count(report.columns[i].n ?? 0)}</Table.Td>
          {report.scales.map((s) => {
            const f = s.columns[i];
            const mean = f.withheld ? null : text.meanValue(s.method, f);
            return (
              <Table.Td key={s.id}>
                {text.figure(f)}
                {mean && <Text size="xs">{t('reports.side.average', { value: mean })}</Text>}
              </Table.Td>
            );
          })}
        </Table.Tr>
      ))}
    </DataTable>
  );
}

function HeatCell({ f, text }: { f: ScaleFigure; text: FigureText }) {
  const v = shownValue(f);
  if (v === null) {
    return (
      <Table.Td className="report-heat-cell" style={{ background: HATCH, color: '#212529' }}>
        {f.withheld ? text.withheldShort(f.withheld) : '—'}
      </Table.Td>
    );
  }
  const bg = heatColour(v);
  return (
    <Table.Td className="report-heat-cell" style={{ background: bg, color: textOn(bg) }}>
      {text.percentShort(f.favourable)}
    </Table.Td>
  );
}

/**
 * Organisations below × scales: % favourable in each cell, in colour and in figures; withheld cells
 * hatched grey and worded. Each organisation's name opens its own results.
 */
export function HeatMap({ report, text, orgLink, onOrg }: { report: SurveyReport; text: FigureText; orgLink: (id: string) => string; onOrg: () => void }) {
  const { t } = useTranslation();
  const name = (c: Column) => c.label;
  const title = report.org.kind === 'district' ? t('reports.side.heatTitleSchools') : t('reports.side.heatTitle', { org: report.org.name });
  return (
    <ChartFigure title={title} description={describe(report, text, t, name, 'orgs')} table={<DetailTable report={report} text={text} name={name} caption={t('reports.side.detailCaption', { title })} />}>
      <DataTable caption={t('reports.side.heatCaption')} className="report-heat" striped={false} head={[t('reports.columns.organisation'), t('reports.columns.respondents'), ...report.scales.map((s) => s.title)]}>
        <Table.Tr>
          <Table.Th scope="row">{t('reports.side.everyone', { org: report.org.name })}</Table.Th>
          <Table.Td>{report.respondents.withheld ? text.withheldShort(report.respondents.withheld) : text.count(report.respondents.n ?? 0)}</Table.Td>
          {report.scales.map((s) => (
            <HeatCell key={s.id} f={s.overall} text={text} />
          ))}
        </Table.Tr>
        {report.columns.map((c, i) => (
          <Table.Tr key={c.key}>
            <Table.Th scope="row">
              <Anchor component={Link} to={orgLink(c.key)} onClick={onOrg} className="report-touch">
                {c.label}
              </Anchor>
            </Table.Th>
            <Table.Td>{c.withheld ? text.withheldShort(c.withheld) : text.count(c.n ?? 0)}</Table.Td>
            {report.scales.map((s) => (
              <HeatCell key={s.id} f={s.columns[i]} text={text} />
            ))}
          </Table.Tr>
        ))}
      </DataTable>
      <div className="report-heat-legend">
        <span>{text.percentOf(0)}</span>
        <span className="report-gradient" aria-hidden />
        <span>{text.percentOf(100)}</span>
        <span className="report-swatch" style={{ background: HATCH }} aria-hidden />
        <span>{t('reports.side.hatchLegend', { k: report.k })}</span>
      </div>
    </ChartFigure>
  );
}

/** Demographic groups side by side: one bar per group for each scale, everyone first for reference. */
export function GroupBars({ report, text }: { report: SurveyReport; text: FigureText }) {
  const { t } = useTranslation();
  const name = (c: Column) => text.group(c);
  const dim = report.dimensions.find((d) => d.id === report.by);
  const title = t('reports.side.groupTitle', { dimension: dim ? text.dimension(dim) : report.by });
  const everyone = t('reports.side.everyoneShort');
  return (
    <ChartFigure title={title} description={describe(report, text, t, name, 'groups')} table={<DetailTable report={report} text={text} name={name} caption={t('reports.side.detailCaption', { title })} />}>
      <div className="report-groups">
        {report.scales.map((s) => {
          const rows = [{ key: '', label: everyone, f: s.overall }, ...columnOrder(report.columns).map((i) => ({ key: report.columns[i].key, label: name(report.columns[i]), f: s.columns[i] }))];
          return (
            <div key={s.id} className="report-group-block">
              <Text fw={600} size="sm" mb={4}>
                {s.title}
              </Text>
              <div role="img" aria-label={`${s.title}: ${rows.map((r) => `${r.label} ${text.figure(r.f)}`).join('; ')}`}>
                {rows.map((r) => {
                  const v = shownValue(r.f);
                  return (
                    <div key={r.key} className="report-group-row">
                      <span className="report-group-label">{r.label}</span>
                      {v === null ? (
                        <span className="report-group-withheld" style={{ background: HATCH }}>
                          {r.f.withheld ? text.withheldShort(r.f.withheld) : t('reports.noAnswers')}
                        </span>
                      ) : (
                        <>
                          <span className="report-group-area">
                            <span className={r.key ? 'report-group-bar' : 'report-group-bar report-group-bar-all'} style={{ width: `${v}%` }} />
                          </span>
                          <span className="report-group-value">{text.percentShort(r.f.favourable)}</span>
                        </>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
    </ChartFigure>
  );
}
