import { Group, NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorUnder } from '../../../surveys/ui/components/errors.js';
import type { SurveyReport } from '../../reports.contract.js';
import type { FigureText } from './figures.js';

export interface ViewChange {
  org?: string;
  by?: string;
  filter?: string;
}

interface OrgChoice {
  id: number;
  name: string;
}

/**
 * Which organisation, what side by side, and which respondents: every choice goes into the page's
 * address (so a view can be shared and the back button undoes it). A filter cannot be combined
 * with demographic groups side by side; the server's message for a refused choice sits under it.
 */
export function ReportControls({
  report,
  by,
  filter,
  above,
  below,
  error,
  text,
  onChange,
}: {
  report: SurveyReport;
  by: string;
  filter: string;
  above: OrgChoice[];
  below: OrgChoice[];
  error: unknown;
  text: FigureText;
  onChange: (change: ViewChange) => void;
}) {
  const { t } = useTranslation();
  const org = report.org;
  const groupedByQuestion = by !== '' && by !== 'school';
  const orgData = [
    ...(above.length ? [{ group: t('reports.controls.above'), items: above.map((o) => ({ value: String(o.id), label: o.name })) }] : []),
    { group: t('reports.controls.this'), items: [{ value: String(org.id), label: org.name }] },
    ...(below.length ? [{ group: t('reports.controls.below'), items: below.map((o) => ({ value: String(o.id), label: o.name })) }] : []),
  ];
  const byData = [
    { value: '', label: t('reports.controls.byNone') },
    ...(org.kind === 'school' ? [] : [{ value: 'school', label: t(org.kind === 'district' ? 'reports.controls.bySchool' : 'reports.controls.byBelow') }]),
    ...report.dimensions.map((d) => ({ value: d.id, label: text.dimension(d) })),
  ];
  const filterData = [
    { value: '', label: t('reports.controls.everyone') },
    ...report.dimensions.map((d) => ({ group: text.dimension(d), items: d.groups.map((g) => ({ value: `${d.id}:${g.key}`, label: `${text.dimension(d)}: ${text.group(g)}` })) })),
  ];
  // A choice from a shared address that this survey does not offer stays visible, marked by the server's error, until changed.
  if (by && !byData.some((o) => o.value === by)) byData.push({ value: by, label: by });
  // A filter may hold two answers ("grade:g7,gender_identity:girl"): the second combines with the first.
  const [first = '', second = ''] = filter.split(',');
  const firstDim = report.dimensions.find((d) => d.id === first.split(':')[0]);
  const alsoData = [
    { value: '', label: t('reports.controls.alsoNone') },
    ...report.dimensions
      .filter((d) => !d.multi && d.id !== firstDim?.id)
      .map((d) => ({ group: text.dimension(d), items: d.groups.map((g) => ({ value: `${d.id}:${g.key}`, label: `${text.dimension(d)}: ${text.group(g)}` })) })),
  ];
  const canCombine = !!first && by === '' && !!firstDim && !firstDim.multi;
  if (first && !groupedByQuestion && !report.dimensions.some((d) => d.groups.some((g) => `${d.id}:${g.key}` === first))) filterData.push({ value: first, label: first });
  if (second && !alsoData.some((o) => 'items' in o && o.items.some((i) => i.value === second))) alsoData.push({ value: second, label: second });
  return (
    <Group align="flex-start" gap="md" className="no-print report-controls" role="group" aria-label={t('reports.controls.label')}>
      <NativeSelect
        w={{ base: '100%', sm: 280 }}
        label={t('reports.controls.org')}
        value={String(org.id)}
        data={orgData}
        error={errorUnder(error, 'org')}
        onChange={(e) => onChange({ org: e.currentTarget.value })}
      />
      <NativeSelect
        w={{ base: '100%', sm: 280 }}
        label={t('reports.controls.by')}
        value={by}
        data={byData}
        error={errorUnder(error, 'by')}
        // Groups side by side take the place of a filter; a combined filter shows one group, nothing beside it.
        onChange={(e) => {
          const next = e.currentTarget.value;
          onChange(next && next !== 'school' ? { by: next, filter: '' } : next ? { by: next, filter: first } : { by: next });
        }}
      />
      <NativeSelect
        w={{ base: '100%', sm: 320 }}
        label={t('reports.controls.filter')}
        value={groupedByQuestion ? '' : first}
        data={filterData}
        disabled={groupedByQuestion}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        description={groupedByQuestion ? t('reports.controls.filterDisabled') : t('reports.controls.filterHelp')}
        error={errorUnder(error, 'filter')}
        onChange={(e) => {
          const next = e.currentTarget.value;
          const keep = second && next && second.split(':')[0] !== next.split(':')[0];
          onChange({ filter: keep ? `${next},${second}` : next });
        }}
      />
      <NativeSelect
        w={{ base: '100%', sm: 320 }}
        label={t('reports.controls.also')}
        value={canCombine ? second : ''}
        data={alsoData}
        disabled={!canCombine}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        description={canCombine ? t('reports.controls.alsoHelp') : t('reports.controls.alsoDisabled')}
        onChange={(e) => onChange({ filter: e.currentTarget.value ? `${first},${e.currentTarget.value}` : first })}
      />
    </Group>
  );
}
