import { z } from 'zod';
import { instrumentDefinition } from '../instruments/model/instrument.schema.js';
import { languageSchema } from '../instruments/model/text.js';

/**
 * What the respondent page and the public survey API exchange. No account, no identity: a code
 * (a school's open link, or a single-use access code) is the only key.
 */

/** Link codes and single-use codes: letters and digits, typed case-insensitively (dashes ignored). */
export const surveyCode = z
  .string()
  .trim()
  .min(4, 'A survey code has at least 4 characters.')
  .max(40, 'A survey code has at most 40 characters.')
  .regex(/^[A-Za-z0-9-]+$/, 'A survey code has letters and digits only.')
  .transform((c) => c.replace(/-/g, '').toUpperCase());

export const publicSurveyParams = z.object({ code: surveyCode });
export const publicSurveyQuery = z.object({ lang: languageSchema.optional() });

/** open: answer now; not_open: before the opening; closed: after the closing; used: a single-use code already answered. */
export const surveyState = z.enum(['open', 'not_open', 'closed', 'used']);
export type SurveyState = z.infer<typeof surveyState>;

export const publicSurvey = z.object({
  state: surveyState,
  /** The code as normalised (upper case, no dashes): what the page sends back. */
  code: z.string(),
  /** Languages offered, and the one this payload is in (asked for, else the first offered). */
  languages: z.array(languageSchema),
  language: languageSchema,
  title: z.string(),
  schoolName: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  consent: z.enum(['active', 'passive']),
  /** The notice (to families, or to staff) and the assent text shown to the respondent. */
  notice: z.string(),
  assent: z.string(),
  /**
   * The instrument version, every text in `language` only, without the demographic questions the
   * administration does not ask. Absent unless the state is open.
   */
  instrument: instrumentDefinition.nullable(),
});
export type PublicSurvey = z.infer<typeof publicSurvey>;

export const responseBody = z.object({
  code: surveyCode,
  /** Made by the respondent's device (a random UUID): retrying the same submission stores it once. */
  submissionId: z
    .string()
    // Version 4 only: random. Versions 1 and 7 carry the time (and version 1 the device's address).
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'submissionId is a random (version 4) UUID made by the device.')
    .transform((id) => id.toLowerCase()),
  language: languageSchema,
  /** Answers by question id (slot id for matrix rows); every question may be skipped. */
  answers: z.record(z.string().max(130), z.unknown()),
});
export type ResponseBody = z.infer<typeof responseBody>;

export const responseAck = z.object({ ok: z.literal(true), submissionId: z.string() });

export const declineBody = z.object({ code: surveyCode });
