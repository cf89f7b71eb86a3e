import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../client/api.js';
import type { AdministrationDetail } from '../../surveys/surveys.contract.js';
import type { SurveyReport } from '../reports.contract.js';

/** One view of a survey's results: everything but the language lives in the page's address. */
export interface ReportView {
  org?: number;
  by?: string;
  filter?: string;
  lang: string;
}

export function reportUrl(id: number, view: ReportView): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(view)) if (v !== undefined && v !== '') qs.set(k, String(v));
  return `/api/surveys/${id}/report?${qs}`;
}

/**
 * The results of a closed survey for one view. The view on screen stays while the next one loads,
 * so changing a control never empties the page; a closed survey's figures change only while the
 * roll-up catches up after a start, hence a short freshness.
 */
export function useSurveyReportQuery(id: number, view: ReportView, enabled = true) {
  return useQuery({
    queryKey: ['reports', 'survey', id, view],
    queryFn: () => api<SurveyReport>('GET', reportUrl(id, view)),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}

/** The administration itself (shared with the survey pages' cache), read for its closing date. */
export function useAdministrationDetailQuery(id: number, enabled: boolean) {
  return useQuery({ queryKey: ['surveys', 'detail', id], queryFn: () => api<AdministrationDetail>('GET', `/api/surveys/administrations/${id}`), enabled });
}
