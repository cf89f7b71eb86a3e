import { PageTitle } from '../../../client/components/PageTitle.js';

/** Placeholder until the library pages are written. */
export function ResourcePage() {
  return <PageTitle>Resources</PageTitle>;
}
