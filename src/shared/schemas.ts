import { z } from 'zod';
import { errorCodes } from './errors.js';

/** Shared building blocks of request and response schemas. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.enum(errorCodes), message: z.string(), field: z.string().optional() }),
});
export const okSchema = z.object({ ok: z.literal(true) });
/** A row id in a URL: plain digits only ("1e0", "0x1" and " 1" are not ids), within 32 bits. */
export const idString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Use a whole-number id.')
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, 'This id is out of range.');
export const idParam = z.object({ id: idString });
export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address.').max(254);
export const passwordSchema = z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.');
export const localeSchema = z.enum(['en', 'fr', 'es']);
export type Locale = z.infer<typeof localeSchema>;
export const paginationQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** Error responses every authenticated route may give, for the OpenAPI document. */
export const authErrors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema } as const;
