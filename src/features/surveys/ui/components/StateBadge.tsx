import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdministrationSummary } from '../../surveys.contract.js';

const colors = { open: 'teal', not_open: 'blue', closed: 'gray' } as const;

/** Open, not yet open or closed, in words (dark text on a light fill keeps the contrast). */
export function StateBadge({ state }: { state: AdministrationSummary['state'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={colors[state]} c="dark.7" tt="none" miw="max-content">
      {t(`surveys.state.${state}`)}
    </Badge>
  );
}
