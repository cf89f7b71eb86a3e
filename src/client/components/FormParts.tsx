import { Alert, Button, Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled, bordered block of a page: one form or one group of settings. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** A polite confirmation that screen readers announce without moving focus. */
export function SuccessNote({ show, children }: { show: boolean; children: ReactNode }) {
  if (!show) return null;
  return (
    <Alert color="teal" role="status">
      {children}
    </Alert>
  );
}

/** The submit button of a form, showing progress while the request runs. */
export function SubmitRow({ loading, disabled, children }: { loading: boolean; disabled?: boolean; children: ReactNode }) {
  return (
    <Group>
      <Button type="submit" loading={loading} disabled={disabled}>
        {children}
      </Button>
    </Group>
  );
}
