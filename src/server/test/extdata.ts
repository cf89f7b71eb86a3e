import { fileURLToPath } from 'node:url';

/**
 * A real public file from the project's shared folder (`../shared/extdata` beside the
 * repository, as on every developer machine and in CI).
 */
export function extdataPath(relative: string): string {
  return fileURLToPath(new URL(`../../../../shared/extdata/${relative}`, import.meta.url));
}
