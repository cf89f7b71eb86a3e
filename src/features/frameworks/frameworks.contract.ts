import { z } from 'zod';
import { identifier } from '../instruments/model/instrument.schema.js';
import { localizedText } from '../instruments/model/text.js';

/**
 * A framework: a named, ordered set of elements (strategies, pillars, domains, themes) that
 * organises instruments, plans, resources and training. Stored as data in content/frameworks/.
 */
export const frameworkElement = z.object({
  id: identifier,
  name: localizedText,
  description: localizedText,
  /** One word for what the element brings about (e.g. "coherence"), where the framework has one. */
  outcome: localizedText.optional(),
});

export const frameworkDefinition = z.object({
  schemaVersion: z.literal(1),
  id: identifier,
  name: localizedText,
  description: localizedText,
  /** What the elements are called: strategy, pillar, domain, theme. */
  elementNoun: localizedText,
  elements: z.array(frameworkElement).min(1).max(30),
});
export type FrameworkDefinition = z.infer<typeof frameworkDefinition>;

export const frameworkSummary = z.object({
  id: z.string(),
  ownerOrgId: z.number().nullable(),
  shipped: z.boolean(),
  definition: frameworkDefinition,
  editedAt: z.string().nullable(),
  /** Whether the caller may edit it (operators for shipped ones, network admins for their own). */
  canEdit: z.boolean(),
});
export type FrameworkSummary = z.infer<typeof frameworkSummary>;
export const frameworkList = z.object({ items: z.array(frameworkSummary) });
export const frameworkIdParam = z.object({ id: identifier });
export const saveFrameworkBody = z.object({ definition: frameworkDefinition });
export const createFrameworkBody = z.object({ ownerOrgId: z.number().int().positive(), definition: frameworkDefinition });
export const networkFrameworksBody = z.object({ frameworkIds: z.array(identifier).max(30) });
export const networkFrameworksResponse = z.object({
  networkId: z.number(),
  networkName: z.string(),
  /** True when the network has not chosen, so every shipped framework applies. */
  usingDefaults: z.boolean(),
  frameworks: z.array(frameworkSummary),
  canChoose: z.boolean(),
});
export type NetworkFrameworks = z.infer<typeof networkFrameworksResponse>;
