import type { OrgKind, OrgStatus } from '../../../shared/organizations.js';
import type { OrgSummary } from '../organizations.contract.js';

/** Narrows database rows to the published summary shape; new columns never leak by accident. */
export function presentOrgSummary(row: {
  id: number;
  parentId: number | null;
  kind: string;
  code: string;
  name: string;
  status: string;
  country: string | null;
  gradeSpan: string | null;
  enrolment: number | null;
  childCount?: number;
}): OrgSummary {
  return {
    id: row.id,
    parentId: row.parentId,
    kind: row.kind as OrgKind,
    code: row.code,
    name: row.name,
    status: row.status as OrgStatus,
    country: row.country,
    gradeSpan: row.gradeSpan,
    enrolment: row.enrolment,
    childCount: row.childCount ?? 0,
  };
}
