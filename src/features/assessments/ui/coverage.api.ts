import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../client/api.js';
import type { bandsResponse, CoverageSchools, CoverageSummary, heatmapResponse, trendResponse } from '../coverage.contract.js';

const qs = (o: Record<string, string | number | undefined>) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== '') as [string, string][]).toString();

export function useCoverageQuery(orgId: number, schoolYear: string, instruments: string[]) {
  return useQuery({ queryKey: ['coverage', orgId, schoolYear, instruments], queryFn: () => api<CoverageSummary>('GET', `/api/orgs/${orgId}/coverage?${qs({ schoolYear, instruments: instruments.join(',') })}`) });
}

export function useCoverageSchoolsQuery(orgId: number, p: { schoolYear: string; instruments: string[]; q?: string; level?: string; sort: string; offset: number; limit: number }) {
  return useQuery({
    queryKey: ['coverage', 'schools', orgId, p],
    queryFn: () => api<CoverageSchools>('GET', `/api/orgs/${orgId}/coverage/schools?${qs({ ...p, instruments: p.instruments.join(',') })}`),
    placeholderData: keepPreviousData,
  });
}

export function useHeatmapQuery(orgId: number, schoolYear: string, instrumentId: string) {
  return useQuery({ queryKey: ['quality', 'heatmap', orgId, schoolYear, instrumentId], queryFn: () => api<z.infer<typeof heatmapResponse>>('GET', `/api/orgs/${orgId}/quality/heatmap?${qs({ schoolYear, instrumentId })}`) });
}

export function useBandsQuery(orgId: number, schoolYear: string, instrumentId: string) {
  return useQuery({ queryKey: ['quality', 'bands', orgId, schoolYear, instrumentId], queryFn: () => api<z.infer<typeof bandsResponse>>('GET', `/api/orgs/${orgId}/quality/bands?${qs({ schoolYear, instrumentId })}`) });
}

export function useTrendQuery(orgId: number, instrumentId: string) {
  return useQuery({ queryKey: ['quality', 'trend', orgId, instrumentId], queryFn: () => api<z.infer<typeof trendResponse>>('GET', `/api/orgs/${orgId}/quality/trend?${qs({ instrumentId })}`) });
}
