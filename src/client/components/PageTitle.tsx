import { Title } from '@mantine/core';
import { useEffect } from 'react';

/** The page's one h1, mirrored into the document title for screen readers and tabs. */
export function PageTitle({ children, order = 1 }: { children: string; order?: 1 | 2 }) {
  useEffect(() => {
    document.title = `${children} · Schoolwell`;
  }, [children]);
  return (
    <Title order={order} mb="md">
      {children}
    </Title>
  );
}
