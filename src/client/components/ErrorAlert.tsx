import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';

/** Shows an API error in the reader's language; the server's message is the fallback. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = errorMessage(error, t);
  return (
    <Alert color="red" title={title ?? t('errors.title')} role="alert">
      {message}
    </Alert>
  );
}

export function errorMessage(error: unknown, t: (key: string, opts?: Record<string, unknown>) => string): string {
  if (error instanceof ApiError) {
    // Field-specific server messages carry the detail; general codes have our own words.
    const generic = t(`errors.${error.code}`, { defaultValue: '' });
    if (error.field || !generic) return error.message;
    return generic;
  }
  return t('errors.internal');
}
