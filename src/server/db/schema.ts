// Every table of the product, re-exported from its feature so Drizzle and migrations see one schema.
export * from '../../features/organizations/server/organizations.tables.js';
export * from '../../features/auth/server/auth.tables.js';
export * from '../../features/members/server/members.tables.js';
export * from '../../features/audit/server/audit.tables.js';
export * from '../mail/mail.tables.js';
export * from '../../features/frameworks/server/frameworks.tables.js';
export * from '../../features/instruments/server/instruments.tables.js';
export * from '../../features/assessments/server/assessments.tables.js';
export * from '../../features/plans/server/plans.tables.js';
export * from '../../features/surveys/server/surveys.tables.js';
export * from '../../features/resources/server/resources.tables.js';
