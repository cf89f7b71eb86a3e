import { z } from 'zod';
import { languageSchema } from '../instruments/model/text.js';

export const exportFormats = ['csv', 'xlsx', 'pdf'] as const;
export type SurveyExportFormat = (typeof exportFormats)[number];

/** What to export of a closed survey's results: one organisation, or it and every one below it. */
export const surveyExportRequest = z.object({
  /** The organisation exported; the one the report would open on when left out. */
  org: z.number().int().positive().optional(),
  format: z.enum(exportFormats, 'Choose csv, xlsx or pdf.'),
  scope: z.enum(['org', 'org_and_below'], 'Choose org or org_and_below.').default('org'),
  lang: languageSchema.default('en'),
});
export type SurveyExportRequest = z.infer<typeof surveyExportRequest>;

export const surveyExportStarted = z.object({ jobId: z.string() });

export const exportJobParams = z.object({ jobId: z.string().uuid('Use the job id the export answered with.') });

/** An export's progress: organisations done out of all of them; the file's name once it is ready. */
export const surveyExportJob = z.object({
  status: z.enum(['queued', 'running', 'done', 'failed']),
  done: z.number(),
  total: z.number(),
  error: z.string().optional(),
  fileName: z.string().optional(),
});
export type SurveyExportJob = z.infer<typeof surveyExportJob>;
