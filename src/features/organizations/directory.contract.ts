import { z } from 'zod';

export const presetIds = ['cde', 'ccd', 'hifld', 'ma-dese'] as const;
export const importQuery = z.object({
  underId: z.coerce.number().int().positive(),
  preset: z.enum(presetIds).optional(),
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  fileName: z.string().max(255).optional(),
});
export const importSummary = z.object({
  preset: z.string(),
  dryRun: z.boolean(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  archived: z.number(),
  skipped: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export const importJob = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  orgId: z.number(),
  fileName: z.string().nullable(),
  preset: z.string().nullable(),
  dryRun: z.boolean(),
  done: z.number(),
  total: z.number().nullable(),
  summary: importSummary.nullable(),
  error: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJob>;
export const importJobParams = z.object({ id: z.string().uuid() });
