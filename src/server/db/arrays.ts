import { type SQL, sql } from 'drizzle-orm';

/** A list of whole numbers as one SQL `int[]` value, each element a bound parameter. */
export const intArray = (xs: readonly number[]): SQL => (xs.length ? sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::int[]` : sql`'{}'::int[]`);

/** A list of strings as one SQL `text[]` value, each element a bound parameter. */
export const textArray = (xs: readonly string[]): SQL => (xs.length ? sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]` : sql`'{}'::text[]`);
