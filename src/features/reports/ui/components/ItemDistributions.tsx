import { Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SurveyReport } from '../../reports.contract.js';
import { ChartFigure } from './ChartFigure.js';
import { DataTable } from './DataTable.js';
import type { FigureText, Item } from './figures.js';
import { answerColours, HATCH, textOn } from './palette.js';

interface ItemGroup {
  key: string;
  title: string | null;
  points: Item['points'];
  items: Item[];
}

/** Questions by the first scale they belong to, one chart per scale (and per set of answer words). */
function groupItems(report: SurveyReport): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const it of report.items) {
    const scale = report.scales.find((s) => s.id === it.scales[0]);
    const key = `${scale?.id ?? ''}|${it.points.map((p) => p.label).join('|')}`;
    const g = groups.get(key) ?? { key, title: scale?.title ?? null, points: it.points, items: [] };
    g.items.push(it);
    groups.set(key, g);
  }
  return [...groups.values()];
}

function Legend({ points }: { points: Item['points'] }) {
  const { t } = useTranslation();
  const colours = answerColours(points.length);
  return (
    <div className="report-legend">
      <Text size="sm" fw={600} component="span">
        {t('reports.items.legend')}
      </Text>
      <ol className="report-legend-list">
        {points.map((p, i) => (
          <li key={p.value}>
            <span className="report-swatch" style={{ background: colours[i] }} aria-hidden />
            {p.label}
          </li>
        ))}
      </ol>
    </div>
  );
}

function ItemRow({ item, text }: { item: Item; text: FigureText }) {
  const { t } = useTranslation();
  const f = item.overall;
  const colours = answerColours(item.points.length);
  const shown = !f.withheld && f.n !== null && f.n > 0;
  const label = t('reports.items.barLabel', { answers: item.points.map((p, i) => `${p.label} ${text.percent(f.distribution[i])}`).join(', ') });
  return (
    <div className="report-item">
      <div className="report-item-text">
        <Text size="sm" component="span">
          {item.text}
        </Text>{' '}
        {item.reverse && (
          <Badge variant="outline" color="dark" size="sm" tt="none">
            {t('reports.items.reverse')}
          </Badge>
        )}
      </div>
      {shown ? (
        <div className="report-bar" role="img" aria-label={label}>
          {item.points.map((p, i) => {
            const share = f.distribution[i];
            const width = share?.value ?? 0;
            if (width <= 0) return null;
            return (
              <span key={p.value} className="report-segment" style={{ width: `${width}%`, background: colours[i], color: textOn(colours[i]) }} title={`${p.label}: ${text.percent(share)}`}>
                {width >= 9 ? text.percentShort(share) : ''}
              </span>
            );
          })}
        </div>
      ) : (
        <div className="report-bar report-bar-withheld" style={{ background: HATCH }}>
          <Text size="sm" component="span">
            {f.withheld ? text.withheld(f.withheld) : t('reports.noAnswers')}
          </Text>
        </div>
      )}
      <Text size="sm" className="report-item-figures">
        {shown ? t('reports.items.figures', { mean: text.itemMean(f), favourable: text.percent(f.favourable) }) : ''}
      </Text>
    </div>
  );
}

/** In words: how many questions, the ends of the answer scale, and which question is most and least favourable. */
function describe(g: ItemGroup, text: FigureText, t: (k: string, o?: Record<string, unknown>) => string): string {
  const first = t('reports.items.description', { count: g.items.length, first: g.points[0]?.label ?? '', last: g.points[g.points.length - 1]?.label ?? '' });
  const ranked = g.items.filter((i) => !i.overall.withheld && i.overall.favourable.value !== null).sort((a, b) => b.overall.favourable.value! - a.overall.favourable.value!);
  if (ranked.length === 0) return `${first} ${t('reports.items.noneShown')}`;
  if (ranked.length === 1) return first;
  const best = ranked[0];
  const worst = ranked[ranked.length - 1];
  return `${first} ${t('reports.items.extremes', { best: best.text, bestValue: text.percent(best.overall.favourable), worst: worst.text, worstValue: text.percent(worst.overall.favourable) })}`;
}

/** Each rated question's answers as a horizontal stacked bar, grouped by scale, with a table of the same. */
export function ItemDistributions({ report, text }: { report: SurveyReport; text: FigureText }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xl">
      {groupItems(report).map((g) => {
        const title = g.title ? t('reports.items.groupTitle', { scale: g.title }) : t('reports.items.otherTitle');
        return (
          <ChartFigure
            key={g.key}
            title={title}
            description={describe(g, text, t)}
            table={
              <DataTable
                caption={t('reports.items.tableCaption', { title })}
                head={[t('reports.columns.question'), ...g.points.map((p) => p.label), t('reports.columns.answered'), t('reports.columns.itemMean'), t('reports.columns.favourable')]}
              >
                {g.items.map((it) => (
                  <Table.Tr key={it.id}>
                    <Table.Th scope="row" fw={400}>
                      {it.text}
                      {it.reverse ? ` (${t('reports.items.reverse')})` : ''}
                    </Table.Th>
                    {it.overall.withheld ? (
                      <Table.Td colSpan={g.points.length + 3}>{text.withheld(it.overall.withheld)}</Table.Td>
                    ) : (
                      <>
                        {g.points.map((p, i) => (
                          <Table.Td key={p.value}>{text.percent(it.overall.distribution[i])}</Table.Td>
                        ))}
                        <Table.Td>{text.count(it.overall.n ?? 0)}</Table.Td>
                        <Table.Td>{text.itemMean(it.overall)}</Table.Td>
                        <Table.Td>{text.percent(it.overall.favourable)}</Table.Td>
                      </>
                    )}
                  </Table.Tr>
                ))}
              </DataTable>
            }
          >
            <Legend points={g.points} />
            <div className="report-items">
              {g.items.map((it) => (
                <ItemRow key={it.id} item={it} text={text} />
              ))}
            </div>
          </ChartFigure>
        );
      })}
    </Stack>
  );
}
