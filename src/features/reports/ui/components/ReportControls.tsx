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
  if (filter && !groupedByQuestion && !report.dimensions.some((d) => d.groups.some((g) => `${d.id}:${g.key}` === filter))) filterData.push({ value: filter, label: filter });
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
        // Groups side by side take the place of a filter: two questions are never crossed.
        onChange={(e) => {
          const next = e.currentTarget.value;
          onChange(next && next !== 'school' ? { by: next, filter: '' } : { by: next });
        }}
      />
      <NativeSelect
        w={{ base: '100%', sm: 320 }}
        label={t('reports.controls.filter')}
        value={groupedByQuestion ? '' : filter}
        data={filterData}
        disabled={groupedByQuestion}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        description={groupedByQuestion ? t('reports.controls.filterDisabled') : t('reports.controls.filterHelp')}
        error={errorUnder(error, 'filter')}
        onChange={(e) => onChange({ filter: e.currentTarget.value })}
      />
    </Group>
  );
}
