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
