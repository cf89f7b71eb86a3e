import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../server/db/client.js';
import { hashCode } from './surveys.codes.js';

/** What a code opens: an administration at one school, by open link or by a single-use code. */
export interface CodeTarget {
  administrationId: number;
  orgId: number;
  stateId: number | null;
  schoolName: string;
  via: 'link' | 'code';
  /** For a single-use code: its hash (the key to mark it used) and whether it is used already. */
  codeHash: string | null;
  used: boolean;
  instrumentId: string;
  instrumentVersion: number;
  title: string;
  languages: string[];
  opensAt: Date;
  closesAt: Date;
  consentModel: 'active' | 'passive';
  notice: Record<string, string>;
  assent: Record<string, string>;
  demographics: string[];
  timeZone: string;
}

// Open links are read by every respondent of a school: keep them a few seconds (a close or an
// extension in this process forgets them at once). Single-use codes are read from the database.
const LINK_TTL_MS = 5_000;
const linkCache = new Map<string, { at: number; target: CodeTarget | null }>();

/** Forgets cached open links (after a close, an extension or a deletion). */
export function forgetCodes(): void {
  generation++;
  linkCache.clear();
}
// A lookup that started before a forget must not cache what it read (it may predate the change).
let generation = 0;

const columns = sql`a.id as administration_id, o.id as org_id, o.state_id, o.name as school_name, a.instrument_id, a.instrument_version, a.title,
  a.languages, a.opens_at, a.closes_at, a.consent_model, a.notice, a.assent, a.demographics, a.time_zone`;

type Row = { administration_id: number; org_id: number; state_id: number | null; school_name: string; instrument_id: string; instrument_version: number; title: string; languages: string[]; opens_at: Date | string; closes_at: Date | string; consent_model: 'active' | 'passive'; notice: Record<string, string>; assent: Record<string, string>; demographics: string[]; time_zone: string; used?: boolean };

function toTarget(r: Row, via: 'link' | 'code', codeHash: string | null): CodeTarget {
  return {
    administrationId: r.administration_id, orgId: r.org_id, stateId: r.state_id, schoolName: r.school_name, via, codeHash, used: r.used ?? false,
    instrumentId: r.instrument_id, instrumentVersion: r.instrument_version, title: r.title, languages: r.languages, opensAt: new Date(r.opens_at), closesAt: new Date(r.closes_at),
    consentModel: r.consent_model, notice: r.notice, assent: r.assent, demographics: r.demographics, timeZone: r.time_zone,
  };
}

/** What a normalised code opens, or null for an unknown code. */
export async function findCode(db: Db, code: string): Promise<CodeTarget | null> {
  const cached = linkCache.get(code);
  if (cached && Date.now() - cached.at < LINK_TTL_MS) return cached.target;
  const started = generation;
  const [link] = await queryRows<Row>(
    db,
    sql`select ${columns} from survey_sites s join survey_administrations a on a.id = s.administration_id join organizations o on o.id = s.org_id
        where s.link_code = ${code} and a.open_link`,
  );
  if (link) {
    const target = toTarget(link, 'link', null);
    if (linkCache.size > 50_000) linkCache.clear();
    if (started === generation) linkCache.set(code, { at: Date.now(), target });
    return target;
  }
  const hash = hashCode(code);
  const [single] = await queryRows<Row>(
    db,
    sql`select ${columns}, c.used from survey_access_codes c join survey_administrations a on a.id = c.administration_id join organizations o on o.id = c.org_id
        where c.code_hash = ${hash} and a.access_codes`,
  );
  return single ? toTarget(single, 'code', hash) : null;
}
