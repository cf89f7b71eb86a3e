import { z } from 'zod';
import { audiences, gradeBands, instrumentDefinition, instrumentKinds } from './model/instrument.schema.js';
import { localizedText } from './model/text.js';

export const instrumentIdParam = z.object({ id: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_-]*$/) });
export const versionParams = instrumentIdParam.extend({ version: z.coerce.number().int().min(1) });

export const definitionIssue = z.object({ path: z.string(), message: z.string(), severity: z.enum(['error', 'warning']) });

export const instrumentSummary = z.object({
  id: z.string(),
  ownerOrgId: z.number().nullable(),
  ownerName: z.string().nullable(),
  kind: z.enum(instrumentKinds),
  audience: z.enum(audiences),
  gradeBand: z.enum(gradeBands).nullable(),
  title: localizedText,
  description: localizedText.nullable(),
  languages: z.array(z.string()),
  /** The newest published version, if any, and the open draft, if any. */
  publishedVersion: z.number().nullable(),
  draftVersion: z.number().nullable(),
  itemCount: z.number(),
  scaleCount: z.number(),
  /** Every framework element the items or scales are tagged with. */
  tags: z.array(z.string()),
  canManage: z.boolean(),
});
export type InstrumentSummary = z.infer<typeof instrumentSummary>;

export const instrumentListQuery = z.object({
  kind: z.enum(instrumentKinds).optional(),
  audience: z.enum(audiences).optional(),
  tag: z.string().max(130).optional(),
  q: z.string().trim().max(100).optional(),
});
export const instrumentList = z.object({ items: z.array(instrumentSummary) });

export const versionInfo = z.object({
  version: z.number(),
  status: z.enum(['draft', 'published']),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});
export const instrumentDetail = instrumentSummary.extend({ versions: z.array(versionInfo) });

export const versionDetail = z.object({
  instrumentId: z.string(),
  version: z.number(),
  status: z.enum(['draft', 'published']),
  definition: instrumentDefinition,
  /** Publish-time checks: errors block publishing, warnings (missing translations) do not. */
  issues: z.array(definitionIssue),
  canEdit: z.boolean(),
});
export type VersionDetail = z.infer<typeof versionDetail>;

export const cloneBody = z.object({
  ownerOrgId: z.number().int().positive(),
  /** Id of the new instrument; leave out to add a new version of an instrument you manage. */
  newId: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_-]*$/, 'Use lower-case letters, digits, dashes and underscores.').optional(),
});
export const saveDraftBody = z.object({ definition: instrumentDefinition });

export const importQuery = z.object({
  format: z.enum(['redcap', 'surveyjs', 'xlsform']).optional(),
  ownerOrgId: z.coerce.number().int().positive(),
  id: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_-]*$/, 'Use lower-case letters, digits, dashes and underscores.'),
  kind: z.enum(instrumentKinds).optional(),
  audience: z.enum(audiences).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  fileName: z.string().max(255).optional(),
  /** true: convert and report only; false: store as a draft. */
  preview: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});
export const importNoteSchema = z.object({ severity: z.enum(['unsupported', 'changed', 'info']), where: z.string(), message: z.string() });
export const importResponse = z.object({
  format: z.enum(['redcap', 'surveyjs', 'xlsform']),
  stored: z.boolean(),
  definition: instrumentDefinition,
  notes: z.array(importNoteSchema),
  counts: z.object({ sections: z.number(), items: z.number(), skipped: z.number() }),
  issues: z.array(definitionIssue),
});
export type ImportResponse = z.infer<typeof importResponse>;
export const exportQuery = z.object({ format: z.enum(['redcap', 'surveyjs']), lang: z.enum(['en', 'fr', 'es']).default('en') });
