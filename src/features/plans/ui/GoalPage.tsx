import { PageTitle } from '../../../client/components/PageTitle.js';

export function GoalPage() {
  return <PageTitle>Plans</PageTitle>;
}
