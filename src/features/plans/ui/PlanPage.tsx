import { PageTitle } from '../../../client/components/PageTitle.js';

export function PlanPage() {
  return <PageTitle>Plans</PageTitle>;
}
