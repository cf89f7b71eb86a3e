import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A titled part of a survey form: a named region, so a screen reader can jump between parts.
 * `focusable` lets a script move the keyboard to its heading (a step that has just appeared).
 */
export function Block({ title, focusable, children }: { title: string; focusable?: boolean; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-label={title}>
      <Title order={2} size="h3" mb="sm" tabIndex={focusable ? -1 : undefined}>
        {title}
      </Title>
      <Stack>{children}</Stack>
    </Paper>
  );
}
