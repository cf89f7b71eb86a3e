import { PageTitle } from '../../../client/components/PageTitle.js';

export function MyActionsPage() {
  return <PageTitle>Plans</PageTitle>;
}
