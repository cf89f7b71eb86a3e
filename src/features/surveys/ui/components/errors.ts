import { ApiError } from '../../../../client/api.js';

/**
 * The server's message for a field or anything inside it ("notice" also takes "notice.fr",
 * "classes" takes "classes.0.count"): schema errors name the exact path, service errors the field.
 */
export function errorUnder(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  return error.field === field || error.field.startsWith(`${field}.`) ? error.message : undefined;
}

/** Moves the keyboard to the first field at fault in a form, else to the given fallback. */
export function focusFirstError(form: HTMLElement | null, fallback: HTMLElement | null): void {
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  // Groups (checkboxes, radios) mark no input invalid: take the first input of the group in error.
  const inGroup = form?.querySelector('.mantine-InputWrapper-error')?.closest('.mantine-InputWrapper-root')?.querySelector<HTMLElement>('input, textarea, select');
  (invalid ?? inGroup ?? fallback)?.focus();
}
