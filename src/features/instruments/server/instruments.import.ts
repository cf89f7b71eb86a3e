import { sql } from 'drizzle-orm';
import { type Actor, assertCan } from '../../../server/authz/scope.js';
import { contentHash } from '../../../server/content-hash.js';
import type { Db } from '../../../server/db/client.js';
import { AppError, conflict } from '../../../server/http/errors.js';
import { writeAudit } from '../../audit/server/audit.service.js';
import { findOrg } from '../../organizations/server/organizations.queries.js';
import { type ImportOptions, type ImportResult, type InteropFormat, InteropFormatError } from '../interop/interop.types.js';
import { exportRedcap, importRedcap } from '../interop/redcap.js';
import { exportSurveyJs, importSurveyJs } from '../interop/surveyjs.js';
import { importXlsForm } from '../interop/xlsform.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';
import type { LanguageCode } from '../model/text.js';
import { type DefinitionIssue, validateDefinition } from '../model/validate.js';
import { instruments, instrumentVersions } from './instruments.tables.js';

/** The format of an uploaded file, from its name, or from its first bytes when the name says nothing. */
export function detectFormat(fileName: string | undefined, data: Buffer): InteropFormat {
  const ext = fileName?.toLowerCase().split('.').pop();
  if (ext === 'csv') return 'redcap';
  if (ext === 'json') return 'surveyjs';
  if (ext === 'xlsx') return 'xlsform';
  if (data[0] === 0x50 && data[1] === 0x4b) return 'xlsform'; // "PK": a zip, as xlsx files are
  const start = data.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return 'surveyjs';
  return 'redcap';
}

/**
 * Converts an uploaded instrument file (REDCap data dictionary, SurveyJS JSON, XLSForm) into a
 * definition and an honest report, without storing anything.
 * @throws AppError bad_file (not that format, or nothing importable)
 */
export async function convertInstrumentFile(data: Buffer, opts: ImportOptions & { format?: InteropFormat; fileName?: string }): Promise<ImportResult & { issues: DefinitionIssue[] }> {
  const format = opts.format ?? detectFormat(opts.fileName, data);
  let result: ImportResult;
  try {
    if (format === 'redcap') result = importRedcap(data, opts);
    else if (format === 'surveyjs') result = importSurveyJs(data, opts);
    else result = await importXlsForm(data, opts);
  } catch (err) {
    if (err instanceof InteropFormatError) throw new AppError('bad_file', err.message, 'file');
    if (err instanceof SyntaxError) throw new AppError('bad_file', `This is not valid ${format === 'surveyjs' ? 'JSON' : 'input'}: ${err.message}`, 'file');
    throw err;
  }
  const { issues } = validateDefinition(result.definition);
  return { ...result, issues };
}

/**
 * Imports an instrument file as a new draft instrument owned by an organisation where the caller
 * may manage instruments. All or nothing: the draft is stored only when the definition is sound.
 * @throws AppError bad_file | not_found | forbidden | conflict (id in use) | validation_failed
 */
export async function importInstrument(
  db: Db,
  actor: Actor,
  data: Buffer,
  opts: ImportOptions & { format?: InteropFormat; fileName?: string; ownerOrgId: number },
): Promise<ImportResult & { issues: DefinitionIssue[] }> {
  const owner = await findOrg(db, opts.ownerOrgId);
  assertCan(actor, 'instrument.manage', owner, 'Organisation');
  const converted = await convertInstrumentFile(data, opts);
  const errors = converted.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new AppError('validation_failed', `The imported instrument has ${errors.length} problem(s); first: ${errors[0].path} ${errors[0].message}`, 'file');
  const def = converted.definition;
  await db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: instruments.id }).from(instruments).where(sql`${instruments.id} = ${def.id}`);
    if (clash) throw conflict('Another instrument already has this id.', 'id');
    await tx.insert(instruments).values({ id: def.id, ownerOrgId: owner!.id, kind: def.kind, audience: def.audience, createdBy: actor.userId });
    await tx.insert(instrumentVersions).values({ instrumentId: def.id, version: 1, status: 'draft', definition: def, contentHash: contentHash(def), createdBy: actor.userId });
    await writeAudit(tx, {
      action: 'instrument.imported',
      actor,
      org: owner!,
      targetType: 'instrument',
      targetId: `${def.id}@1`,
      details: { format: converted.format, fileName: opts.fileName ?? null, items: converted.counts.items, skipped: converted.counts.skipped, notes: converted.notes.length },
    });
  });
  return converted;
}

/** An instrument version as a file in another format: body, media type and file name. */
export function exportInstrument(def: InstrumentDefinition, format: 'redcap' | 'surveyjs', lang: LanguageCode = 'en'): { body: string; type: string; fileName: string } {
  if (format === 'redcap') return { body: exportRedcap(def, lang), type: 'text/csv; charset=utf-8', fileName: `${def.id}-v${def.version}-redcap-${lang}.csv` };
  return { body: `${JSON.stringify(exportSurveyJs(def), null, 2)}\n`, type: 'application/json; charset=utf-8', fileName: `${def.id}-v${def.version}-surveyjs.json` };
}
