import { Button, Text, Title } from '@mantine/core';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A table behind a "show the table" button: the data of a chart, for reading or a screen reader. Always printed. */
export function TableToggle({ children, initiallyOpen = false }: { children: ReactNode; initiallyOpen?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(initiallyOpen);
  const id = useId();
  return (
    <>
      <Button variant="subtle" size="compact-sm" className="no-print report-touch" mt="xs" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {open ? t('reports.table.hide') : t('reports.table.show')}
      </Button>
      <div id={id} className={open ? 'report-table' : 'report-table report-table-closed'}>
        {children}
      </div>
    </>
  );
}

/**
 * A chart with its title, a summary in words (the figure's accessible description) and its data
 * as a real table behind a toggle.
 */
export function ChartFigure({ title, description, children, table }: { title: string; description: ReactNode; children: ReactNode; table: ReactNode }) {
  const id = useId();
  return (
    <figure className="report-figure" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <figcaption>
        <Title order={3} size="h4" id={`${id}-title`} mb={4}>
          {title}
        </Title>
        <Text size="sm" id={`${id}-desc`} mb="sm">
          {description}
        </Text>
      </figcaption>
      {children}
      <TableToggle>{table}</TableToggle>
    </figure>
  );
}
