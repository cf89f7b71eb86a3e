import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { orgKindLabelKey, type OrgKind } from '../../shared/organizations.js';

const colors: Record<OrgKind, string> = { network: 'grape', state: 'indigo', region: 'cyan', district: 'blue', school: 'teal', partner: 'orange' };

/** The localised kind of an organisation ("School board" in Canada, "District" in the US). */
export function useOrgKindLabel() {
  const { t } = useTranslation();
  return (kind: OrgKind, country: string | null | undefined) => t(orgKindLabelKey(kind, country));
}

export function OrgKindBadge({ kind, country }: { kind: OrgKind; country: string | null }) {
  const label = useOrgKindLabel();
  // Dark text on light fill keeps the contrast ratio above 4.5:1.
  return (
    <Badge color={colors[kind]} variant="light" c="dark.7" tt="none">
      {label(kind, country)}
    </Badge>
  );
}
