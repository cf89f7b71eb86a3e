import { Container, Paper, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';

/** The narrow card that holds every signed-out form. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Schoolwell`;
  }, [title]);
  return (
    <Container size={440} py={48}>
      <Title order={1} ta="center" mb="lg" size="h2">
        {title}
      </Title>
      <Paper withBorder shadow="sm" p="xl" radius="md">
        {children}
      </Paper>
    </Container>
  );
}
