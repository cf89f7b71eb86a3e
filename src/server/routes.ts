import { assessmentRoutes } from '../features/assessments/server/assessments.routes.js';
import { coverageRoutes } from '../features/assessments/server/coverage.routes.js';
import { auditRoutes } from '../features/audit/server/audit.routes.js';
import { authRoutes } from '../features/auth/server/auth.routes.js';
import { frameworkRoutes } from '../features/frameworks/server/frameworks.routes.js';
import { instrumentRoutes } from '../features/instruments/server/instruments.routes.js';
import { memberRoutes } from '../features/members/server/members.routes.js';
import { importRoutes } from '../features/organizations/server/directory/directory.routes.js';
import { organizationRoutes } from '../features/organizations/server/organizations.routes.js';
import { planRoutes } from '../features/plans/server/plans.routes.js';
import { reportExportRoutes } from '../features/reports/server/reports.export.routes.js';
import { reportRoutes } from '../features/reports/server/reports.routes.js';
import { resourceRoutes } from '../features/resources/server/resources.routes.js';
import { surveyImportRoutes } from '../features/surveys/server/surveys.import.routes.js';
import { surveyRoutes } from '../features/surveys/server/surveys.routes.js';
import { systemRoutes } from './system.routes.js';
import type { App, Deps } from './http/types.js';

/** Every route module of the product, listed explicitly (no autoloading). */
export const routeModules: ((app: App, deps: Deps) => Promise<void>)[] = [
  systemRoutes,
  authRoutes,
  organizationRoutes,
  memberRoutes,
  importRoutes,
  auditRoutes,
  frameworkRoutes,
  instrumentRoutes,
  assessmentRoutes,
  coverageRoutes,
  planRoutes,
  surveyRoutes,
  reportRoutes,
  reportExportRoutes,
  surveyImportRoutes,
  resourceRoutes,
];
