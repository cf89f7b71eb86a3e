import { z } from 'zod';
import { languageSchema, localizedText } from '../instruments/model/text.js';
import { surveyState } from './surveys.public.contract.js';

/** A moment as the coordinator reads it on a clock in the administration's time zone. */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Write the date and time as 2026-10-05T08:00.')
  .refine((v) => {
    // A real moment reads back as itself (no 30 February, no 25:99); years from 2000.
    const d = new Date(`${v}:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 16) === v && d.getUTCFullYear() >= 2000;
  }, 'That date and time does not exist.');
export const timeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Choose a time zone such as America/Los_Angeles.');

export const createAdministrationBody = z
  .object({
    /** The organisation giving the survey: a school, or a district (or above) for several schools. */
    orgId: z.number().int().positive(),
    instrumentId: z.string().min(1).max(64),
    /** Published version to give; the newest when left out. */
    version: z.number().int().min(1).optional(),
    title: z.string().trim().min(1, 'Give the administration a title.').max(200),
    /** Schools taking part, all below (or equal to) the organisation; every active school when left out. */
    schoolIds: z.array(z.number().int().positive()).min(1).max(20_000).optional(),
    languages: z.array(languageSchema).min(1, 'Offer at least one language.').max(3),
    opensAt: localDateTime,
    closesAt: localDateTime,
    timeZone,
    consent: z.enum(['active', 'passive']),
    /** Notice to families (or staff) and assent text for respondents, in every language offered. */
    notice: localizedText,
    assent: localizedText,
    /** Demographic questions of the instrument to ask (by question id); the others are left out. */
    demographics: z.array(z.string().min(1).max(64)).max(20).default([]),
    openLink: z.boolean().default(true),
    accessCodes: z.boolean().default(false),
  })
  .refine((b) => b.openLink || b.accessCodes, { message: 'Choose an open link, single-use codes, or both.', path: ['openLink'] });
export type CreateAdministrationBody = z.input<typeof createAdministrationBody>;

export const administrationSite = z.object({
  orgId: z.number(),
  name: z.string(),
  code: z.string(),
  /** The school's open link code (null when the administration uses single-use codes only). */
  linkCode: z.string().nullable(),
  enrolment: z.number().nullable(),
  responses: z.number(),
  declined: z.number(),
  codesPrinted: z.number(),
  codesUsed: z.number(),
});

export const administrationSummary = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  instrumentId: z.string(),
  instrumentVersion: z.number(),
  title: z.string(),
  audience: z.string(),
  languages: z.array(languageSchema),
  opensAt: z.string(),
  closesAt: z.string(),
  timeZone: z.string(),
  state: surveyState.exclude(['used']),
  schools: z.number(),
  responses: z.number(),
});
export type AdministrationSummary = z.infer<typeof administrationSummary>;

export const administrationDetail = administrationSummary.extend({
  consent: z.enum(['active', 'passive']),
  notice: localizedText,
  assent: localizedText,
  demographics: z.array(z.string()),
  openLink: z.boolean(),
  accessCodes: z.boolean(),
  sites: z.array(administrationSite),
  can: z.object({ manage: z.boolean() }),
});
export type AdministrationDetail = z.infer<typeof administrationDetail>;

export const administrationListQuery = z.object({ orgId: z.coerce.number().int().positive() });
export const administrationList = z.object({ items: z.array(administrationSummary) });

export const extendBody = z.object({ closesAt: localDateTime });

/** Responses per school and per day, and participation against enrolment. */
export const monitorResponse = z.object({
  days: z.array(z.object({ day: z.string(), responses: z.number() })),
  sites: z.array(z.object({ orgId: z.number(), name: z.string(), responses: z.number(), enrolment: z.number().nullable(), participation: z.number().nullable(), declined: z.number() })),
  total: z.number(),
  blank: z.number(),
});

export const codeBatchBody = z.object({
  orgId: z.number().int().positive(),
  /** One batch per class (a label and how many), or one unlabelled batch of `count`. */
  classes: z.array(z.object({ label: z.string().trim().min(1).max(80), count: z.number().int().min(1).max(500) })).min(1).max(100),
  lang: languageSchema.default('en'),
});
