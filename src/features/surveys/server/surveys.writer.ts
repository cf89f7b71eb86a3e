import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../server/db/client.js';
import { conflict } from '../../../server/http/errors.js';

/** One response as stored (see survey_responses). */
export interface ResponseRow {
  administrationId: number;
  orgId: number;
  stateId: number | null;
  instrumentVersion: number;
  language: string;
  submissionId: string;
  ratings: (number | null)[];
  groups: Record<string, string | string[]>;
  other: Record<string, unknown>;
  blank: boolean;
  /** The day of submission on the administration's clock (never the time). */
  submittedOn: string;
}

export const responseColumns = sql`administration_id, org_id, state_id, instrument_version, language, submission_id, ratings, groups, other, blank, submitted_on`;

/** The values of one row, in `responseColumns` order. */
export function responseValues(r: ResponseRow): SQL {
  return sql`${r.administrationId}::int, ${r.orgId}::int, ${r.stateId}::int, ${r.instrumentVersion}::int, ${r.language}, ${r.submissionId}::uuid,
    ${`{${r.ratings.map((x) => (x === null ? 'NULL' : String(x))).join(',')}}`}::smallint[], ${JSON.stringify(r.groups)}::jsonb, ${JSON.stringify(r.other)}::jsonb, ${r.blank}, ${r.submittedOn}::date`;
}

const MAX_BATCH = 250;
const MAX_IN_FLIGHT = 3;

/**
 * Writes open-link responses in group commits: while earlier inserts are in flight, arriving
 * responses wait and go together in the next multi-row insert (one statement, one commit). Nothing
 * waits on a timer: an idle server writes a response at once. Each caller's promise resolves only
 * after the commit that holds its row, so an acknowledgement always means stored.
 */
class ResponseWriter {
  private queue: { row: ResponseRow; resolve: (inserted: boolean) => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  /** Resolves true when stored now, false when this submission was stored before (a retry). */
  write(row: ResponseRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      // Wait one turn of the event loop: requests already received are read first and join this
      // batch (embedded PGlite answers within the turn, so nothing would queue up otherwise).
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private scheduled = false;

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: ResponseWriter['queue']): Promise<void> {
    let rows: { submission_id: string }[];
    try {
      rows = await this.insert(batch);
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      // One bad row must not fail the others: write them one by one, so only it fails.
      for (const b of batch) await this.flush([b]);
      return;
    }
    const inserted = new Set(rows.map((r) => r.submission_id));
    // A retry is the same submission to the same school's survey; an id already stored for
    // another one is refused rather than taken as stored.
    const others = batch.filter((b) => !inserted.has(b.row.submissionId.toLowerCase()));
    const stored = others.length
      ? await queryRows<{ submission_id: string; administration_id: number; org_id: number }>(
          this.db,
          sql`select submission_id::text, administration_id, org_id from survey_responses where submission_id = any(${`{${others.map((b) => b.row.submissionId.toLowerCase()).join(',')}}`}::uuid[])`,
        ).catch(() => null)
      : [];
    // The same submission twice in one batch: the first is stored, the second is its retry.
    const answered = new Set<string>();
    for (const b of batch) {
      const id = b.row.submissionId.toLowerCase();
      const earlier = stored?.find((x) => x.submission_id === id);
      if (!inserted.has(id) && earlier && (earlier.administration_id !== b.row.administrationId || earlier.org_id !== b.row.orgId)) {
        b.reject(conflict('This submission id was already used for another survey. Start a new response.', 'submissionId'));
        continue;
      }
      b.resolve(inserted.has(id) && !answered.has(id));
      answered.add(id);
    }
  }

  private insert(batch: ResponseWriter['queue']) {
    return queryRows<{ submission_id: string }>(
      this.db,
      sql`insert into survey_responses (${responseColumns}) values ${sql.join(batch.map((b) => sql`(${responseValues(b.row)})`), sql`, `)}
          on conflict (submission_id) do nothing returning submission_id`,
    );
  }
}

const writers = new WeakMap<Db, ResponseWriter>();

/** The response writer of a database (one per process and database). */
export function writerFor(db: Db): ResponseWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new ResponseWriter(db)));
  return w;
}
