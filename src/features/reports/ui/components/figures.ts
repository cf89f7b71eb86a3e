import { useTranslation } from 'react-i18next';
import type { ItemFigure, ScaleFigure, ShownPercent, SurveyReport } from '../../reports.contract.js';

export type Scale = SurveyReport['scales'][number];
export type Item = SurveyReport['items'][number];
export type Reason = ScaleFigure['withheld'];
export type Method = Scale['method'];

/** Answers that are not groups of their own kind: the server names them by their code only. */
const SPECIAL_GROUPS = new Set(['PNS', 'DK', 'NA']);

/** Column positions with the answers that are not groups of their own kind ("prefer not to say") last. */
export function columnOrder(columns: { key: string }[]): number[] {
  return columns.map((_, i) => i).sort((a, b) => Number(SPECIAL_GROUPS.has(columns[a].key)) - Number(SPECIAL_GROUPS.has(columns[b].key)));
}

/**
 * Figures in words, in the reader's language: percentages (with "5 % or less" / "95 % or more"
 * for small groups), withheld figures with the reason, means as the scale scores them.
 */
export function useFigureText(k: number) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const whole = new Intl.NumberFormat(lang);
  const decimals = (d: number) => new Intl.NumberFormat(lang, { minimumFractionDigits: d, maximumFractionDigits: d });
  const percentOf = (value: number) => pct.format(value / 100);
  return {
    /** A percentage in full words: "89 %", "5 % or less", or a dash when there is none. */
    percent: (p: ShownPercent): string => (p.coded ? t(`reports.coded.${p.coded}`) : p.value === null ? '—' : percentOf(p.value)),
    /** The same, short enough for a bar or a cell: "≤ 5 %". */
    percentShort: (p: ShownPercent): string => (p.coded ? t(`reports.codedShort.${p.coded}`) : p.value === null ? '—' : percentOf(p.value)),
    percentOf,
    count: (n: number) => whole.format(n),
    withheld: (reason: Reason) => (reason ? t(`reports.withheld.${reason}`, { k }) : ''),
    withheldShort: (reason: Reason) => (reason ? t(`reports.withheldShort.${reason}`, { k }) : ''),
    /** The mean as the scale scores it, or null when it would undo the coding of a small group's share. */
    meanValue: (method: Method, f: Pick<ScaleFigure, 'mean' | 'favourable'>): string | null => {
      if (f.mean === null) return null;
      // A percent-favourable scale's mean is about the favourable share: a coded share keeps it hidden.
      if (method === 'percent_favorable' && f.favourable.coded) return null;
      return method === 'percent_favorable' ? percentOf(f.mean) : decimals(method === 'mean' ? 2 : 1).format(f.mean);
    },
    /** The mean in a sentence that says how the scale is scored. */
    mean(method: Method, f: Pick<ScaleFigure, 'mean' | 'favourable'>): string | null {
      const value = this.meanValue(method, f);
      return value === null ? null : t(`reports.method.${method}`, { value });
    },
    /** How a scale's score is made, in words. */
    methodWords: (method: Method) => t(`reports.methodName.${method}`),
    /** A question's mean answer; not shown beside coded shares, which an exact mean could undo (two answer points make it the share itself). */
    itemMean: (f: Pick<ItemFigure, 'mean' | 'favourable' | 'distribution'>) => (f.mean === null || f.favourable.coded || f.distribution.some((d) => d.coded) ? '—' : decimals(2).format(f.mean)),
    /** A group's name; codes such as "prefer not to say" in words. */
    group: (g: { key: string; label: string }) => (SPECIAL_GROUPS.has(g.key) && g.label === g.key ? t(`reports.specialGroups.${g.key}`) : g.label),
    /** A demographic question's short name ("Gender identity"), else its question text. */
    dimension: (d: { id: string; label: string }) => t(`reports.dimensions.${d.id}`, { defaultValue: d.label }),
    /** A figure's value or why there is none, in words. */
    figure: (f: { withheld: Reason; favourable: ShownPercent; n: number | null }) => (f.withheld ? t(`reports.withheld.${f.withheld}`, { k }) : f.n === 0 ? t('reports.noAnswers') : f.favourable.coded ? t(`reports.coded.${f.favourable.coded}`) : f.favourable.value === null ? '—' : percentOf(f.favourable.value)),
  };
}
export type FigureText = ReturnType<typeof useFigureText>;

