import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { extdataPath } from '../../../server/test/extdata.js';
import type { Item } from '../model/instrument.schema.js';
import { validateDefinition } from '../model/validate.js';
import { type ImportResult, InteropFormatError } from './interop.types.js';
import { type Cell, importXlsForm, importXlsFormSheets, languageOf, parseXlsType, toIdentifier, translateXlsExpression, type XlsRef, type XlsResolve } from './xlsform.js';

const LIBERIA = extdataPath('survey_definitions/xlsform_liberiaCoverage.xlsx');

const itemsOf = (r: ImportResult) => r.definition.sections.flatMap((s) => s.items);
const item = (r: ImportResult, id: string): Item => {
  const found = itemsOf(r).find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};
const notesAt = (r: ImportResult, row: number) => r.notes.filter((n) => n.where === `survey row ${row}`);
const bySeverity = (r: ImportResult) => r.notes.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.severity]: (acc[n.severity] ?? 0) + 1 }), {});
const errorsOf = (r: ImportResult) => validateDefinition(r.definition).issues.filter((i) => i.severity === 'error');

/**
 * A minimal .xlsx writer for synthetic workbooks (read-excel-file only reads): a ZIP archive with
 * stored (uncompressed) entries, inline-string cells and numeric cells.
 */
function xlsx(sheets: Record<string, (string | number | null)[][]>): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const colName = (i: number) => (i >= 26 ? String.fromCharCode(64 + Math.floor(i / 26)) : '') + String.fromCharCode(65 + (i % 26));
  const names = Object.keys(sheets);
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
      '</Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets>${names.map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
  };
  names.forEach((n, i) => {
    const rows = sheets[n]
      .map((row, r) => {
        const cells = row
          .map((v, c) => {
            const ref = `${colName(c)}${r + 1}`;
            if (v === null || v === '') return '';
            return typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
          })
          .join('');
        return `<row r="${r + 1}">${cells}</row>`;
      })
      .join('');
    files[`xl/worksheets/sheet${i + 1}.xml`] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${ns}"><sheetData>${rows}</sheetData></worksheet>`;
  });

  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const fname = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    locals.push(local, fname, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(fname.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, fname);
    offset += 30 + fname.length + data.length;
  }
  const dir = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(files).length, 8);
  eocd.writeUInt16LE(Object.keys(files).length, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, eocd]);
}

describe('importXlsForm on a real XLSForm (Liberia coverage survey)', () => {
  let result: ImportResult;
  beforeAll(async () => {
    result = await importXlsForm(LIBERIA, { id: 'liberia_coverage' });
  });

  it('makes a definition that validates without any issue', () => {
    expect(result.format).toBe('xlsform');
    expect(validateDefinition(result.definition).issues).toEqual([]);
    const d = result.definition;
    expect({ schemaVersion: d.schemaVersion, id: d.id, version: d.version, kind: d.kind, audience: d.audience, defaultLanguage: d.defaultLanguage, languages: d.languages, title: d.title, source: d.source, labelSets: d.labelSets, scales: d.scales }).toEqual({
      schemaVersion: 1,
      id: 'liberia_coverage',
      version: 1,
      kind: 'survey',
      audience: 'family',
      // settings: default_language "English"; the only label and hint columns are "::English (en)".
      defaultLanguage: 'en',
      languages: ['en'],
      title: { en: 'Liberia Coverage Survey' },
      source: { format: 'xlsform' },
      labelSets: {},
      scales: [],
    });
  });

  /*
   * Expected counts, established from the raw sheet by a one-off script independent of the
   * importer (read-excel-file, then plain array work):
   *
   *   const rows = (await readExcelFile(LIBERIA)).find((s) => s.sheet === 'survey').data;
   *   const T = 0, N = 1, CALC = 10;
   *   const begin = rows.findIndex((r) => r[T] === 'begin repeat');   // index 53 → row 54
   *   const end = rows.findIndex((r) => r[T] === 'end repeat');       // index 223 → row 224
   *   rows.slice(begin + 1, end).filter((r) => r[T] && !/^(begin|end) group$/.test(r[T])).length  // 110
   *   // typed rows outside the repeat, not begin/end group: 55, of which 6 calculations use
   *   // if()/once()/indexed-repeat() (county, child, c2, cname, cage, csex) → 49 items, 116 skipped
   *   // top-level groups outside the repeat: admin, mother_data, ifa, icf, mnp, vit (6); runs of
   *   // ungrouped rows yielding items: rows 3–5, 18–19, 30, 230, 251–255 (5) → 11 sections
   *
   * Notes, from the same rows (outside the repeat, on the 49 imported items):
   *   changed 47 = 33 required "yes" (not note/calc) + 2 repeated choice names (spid, ea) + 1 ea
   *     (389 unique choices > 200) became text + 1 HTML label (consent1) + 10 labels with ${cname}
   *   unsupported 34 = 6 calculations + 1 repeat + 2 constraints (team, ifa5) + 16 rows with an
   *     image + 1 list with choice images (vit) + 2 choice_filters (spid, ea) + 6 conditions with
   *     mod (mcheck2, child_random; groups ifa, icf, mnp, vit)
   *   info 3 = appearances no-calendar (sdate) and ex:org.opendatakit.counter (counter, mcounter)
   */
  it('has the counts established from the sheet', () => {
    expect(result.counts).toEqual({ sections: 11, items: 49, skipped: 116 });
    expect(itemsOf(result)).toHaveLength(49);
    expect(bySeverity(result)).toEqual({ changed: 47, unsupported: 34, info: 3 });
    expect(result.notes).toHaveLength(84);
    expect(result.notes.every((n) => /^survey row \d+$/.test(n.where))).toBe(true);
    expect(result.notes.filter((n) => /is required in the form/.test(n.message))).toHaveLength(33);
    expect(result.notes.filter((n) => /^The media of "/.test(n.message))).toHaveLength(16);
  });

  it('makes sections of top-level groups and of the questions between them, in form order', () => {
    const d = result.definition;
    expect(d.sections.map((s) => [s.id, s.items.length])).toEqual([
      ['general', 2],
      ['admin', 7],
      ['general_2', 2],
      ['mother_data', 6],
      ['general_3', 1],
      ['ifa', 9],
      ['icf', 5],
      ['general_4', 1],
      ['mnp', 8],
      ['vit', 5],
      ['general_5', 3],
    ]);
    expect(d.sections[1].title).toEqual({ en: 'Identifying Data' });
    expect(d.sections[0].title).toEqual({ en: 'Liberia Coverage Survey' });
    // Row 21: begin group mother_data, relevant ${consent2} = '1'.
    expect(d.sections[3].showIf).toBe('consent2 == "1"');
  });

  it('maps a select_one with its choices and labels (row 9, list surveyarea)', () => {
    expect(item(result, 'cid')).toEqual({
      id: 'cid',
      type: 'single_choice',
      text: { en: 'Survey area' },
      choices: [
        { value: '1', label: { en: 'Urban Montserrado' } },
        { value: '2', label: { en: 'Grand Bassa' } },
      ],
    });
    expect(notesAt(result, 9)).toEqual([{ severity: 'changed', where: 'survey row 9', message: '"cid" is required in the form; survey questions are always skippable, so it is optional here.' }]);
  });

  it('maps select_multiple, hints and translated conditions (rows 34–38)', () => {
    const ifa3a = item(result, 'ifa3a');
    expect(ifa3a.type).toBe('multiple_choice');
    expect(ifa3a.type === 'multiple_choice' && ifa3a.choices.map((c) => c.value)).toEqual(['1', '2', '3', '88']);
    expect(ifa3a.help).toEqual({ en: 'Tick all that apply. Do not prompt. Probe "Any other reasons?"' });
    // selected(${ifa3}, '2') on a select_one → equality; on a select_multiple → contains.
    expect(ifa3a.showIf).toBe('ifa3 == "2"');
    expect(item(result, 'ifa3a_other').showIf).toBe('ifa3a contains "88"');
    expect(item(result, 'ifa2').help).toEqual({ en: 'Show iron-folic acid sample/tablets/photo' });
    expect(notesAt(result, 34).map((n) => n.message)).toContain('The media of "ifa2" (image iron.jpg) are not carried over.');
    // Row 251: ${ch} = 0.
    expect(item(result, 'no_children').showIf).toBe('ch == 0');
  });

  it('skips the repeat and everything inside it with one note (rows 54–224)', () => {
    expect(notesAt(result, 54)).toEqual([
      { severity: 'unsupported', where: 'survey row 54', message: 'The repeat "child_repeat" (rows 54–224) is not supported: it and the 110 questions and calculations inside it were skipped.' },
    ]);
    const ids = itemsOf(result).map((i) => i.id);
    for (const inside of ['name', 'sex', 'muac1', 'q1', 'cov_status', 'next']) expect(ids).not.toContain(inside);
    for (let row = 55; row <= 224; row++) expect(notesAt(result, row)).toEqual([]);
  });

  it('drops constraints and untranslatable conditions with a note naming the expression', () => {
    expect(notesAt(result, 13)).toContainEqual({ severity: 'unsupported', where: 'survey row 13', message: 'The constraint ".>= 1 and .<= 6" of "team" was dropped: answer checks are not supported.' });
    expect(notesAt(result, 41)).toContainEqual({ severity: 'unsupported', where: 'survey row 41', message: 'The constraint ".>= 1 and .<= 180" of "ifa5" was dropped: answer checks are not supported.' });
    expect(notesAt(result, 32)).toEqual([
      {
        severity: 'unsupported',
        where: 'survey row 32',
        message: 'The condition (relevant) "(((${counter} - ${x}) mod ${skip}) = 0 or ${counter} = ${x}) and ${mcheck1} = \'1\' and ${consent2} = \'1\'" of the group "ifa" was dropped: it uses mod, which the expression language does not have.',
      },
    ]);
    expect(result.definition.sections.find((s) => s.id === 'ifa')!.showIf).toBeUndefined();
  });

  it('carries calculations that translate and skips the others', () => {
    // Row 15: calculate hh = ${counter}; row 23: m1 = ${mcounter}.
    expect(item(result, 'hh')).toEqual({ id: 'hh', type: 'calc', text: { en: 'hh' }, expression: 'counter' });
    expect(item(result, 'm1')).toMatchObject({ type: 'calc', expression: 'mcounter' });
    expect(notesAt(result, 10)).toEqual([
      { severity: 'unsupported', where: 'survey row 10', message: '"county" was skipped: its calculation "if(${cid} = \'1\', "Urban Montserrado", "Grand Bassa")" uses if(), which the expression language does not have.' },
    ]);
    expect(notesAt(result, 226)[0].message).toMatch(/^"c2" was skipped: its calculation "indexed-repeat\(\$\{c1\}, \$\{child_repeat\}, \$\{child\}\)" uses indexed-repeat\(\)/);
  });

  it('drops choice filters, keeps the first of repeated choice names, and turns a 389-choice list into text', () => {
    const spid = item(result, 'spid');
    expect(spid.type === 'single_choice' && spid.choices.length).toBe(30);
    expect(notesAt(result, 11).map((n) => n.message)).toEqual([
      'The list "spid" repeats 30 choice names (told apart by choice_filter columns); the first of each was kept.',
      'The choice_filter "county = ${cid}" was dropped (it filters on the choices column county): choice filters are not supported, so the question offers all 30 choices of "spid".',
      '"spid" is required in the form; survey questions are always skippable, so it is optional here.',
    ]);
    expect(item(result, 'ea')).toEqual({ id: 'ea', type: 'text', text: { en: 'Segement number/village name' } });
    expect(notesAt(result, 12).map((n) => n.message)).toContain('"ea" has 389 choices, more than the 200 a choice question can have; it became a text question.');
  });

  it('maps the simple types, cleans HTML and marks piped answers', () => {
    expect(item(result, 'skip')).toEqual({ id: 'skip', type: 'number', integer: true, text: { en: 'What is the sampling interval for this village?' } });
    expect(item(result, 'sdate')).toEqual({ id: 'sdate', type: 'date', text: { en: 'Date of data collection' } });
    expect(item(result, 'mname')).toEqual({ id: 'mname', type: 'text', text: { en: "Mother's name" } });
    const consent1 = item(result, 'consent1');
    expect(consent1.type).toBe('note');
    expect(consent1.text.en).toMatch(/^We are from the Liberian Institute of Statistics and Geo-Information Sevices \(LISGIS\)\. We are/);
    expect(item(result, 'mnp2').text).toEqual({ en: 'Have you received or bought MNP (show sample/photo of MNP) for [cname]?' });
  });

  it('reads the same from bytes as from a path, and keeps required for team instruments', async () => {
    const fromBytes = await importXlsForm(readFileSync(LIBERIA), { id: 'liberia_coverage' });
    expect(fromBytes).toEqual(result);
    const team = await importXlsForm(LIBERIA, { id: 'liberia_team', kind: 'self_assessment', audience: 'team', title: 'Ignored: the file has a title' });
    expect(errorsOf(team)).toEqual([]);
    expect(itemsOf(team).filter((i) => i.required)).toHaveLength(33);
    expect(team.notes.filter((n) => /is required in the form/.test(n.message))).toEqual([]);
    expect(team.definition.title).toEqual({ en: 'Liberia Coverage Survey' });
    expect(team.definition.audience).toBe('team');
  });
});

describe('importXlsForm: files that are not XLSForms', () => {
  it('rejects a CSV file', async () => {
    const csv = readFileSync(extdataPath('redcap/apsi_redcap_dict_reproschema_test.csv'));
    await expect(importXlsForm(csv, { id: 'x' })).rejects.toThrow(InteropFormatError);
    await expect(importXlsForm(Buffer.alloc(0), { id: 'x' })).rejects.toThrow(InteropFormatError);
  });

  it('rejects a ZIP archive that is not a workbook', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    await expect(importXlsForm(broken, { id: 'x' })).rejects.toThrow(InteropFormatError);
  });

  it('rejects a workbook without a survey sheet, or whose survey sheet lacks type and name', async () => {
    const noSurvey = xlsx({ Sheet1: [['type', 'name', 'label'], ['text', 'q1', 'Q1']] });
    await expect(importXlsForm(noSurvey, { id: 'x' })).rejects.toThrow(/no "survey" sheet \(its sheets: Sheet1\)/);
    await expect(importXlsForm(noSurvey, { id: 'x' })).rejects.toBeInstanceOf(InteropFormatError);
    const noName = xlsx({ survey: [['type', 'label'], ['text', 'Q1']] });
    await expect(importXlsForm(noName, { id: 'x' })).rejects.toThrow(/needs "type" and "name" columns/);
    await expect(importXlsForm(noName, { id: 'x' })).rejects.toBeInstanceOf(InteropFormatError);
  });
});

describe('importXlsForm on a synthetic workbook', () => {
  const E = null;
  const survey = [
    // row 1
    ['TYPE', 'Name', 'label::English (en)', 'label::Français (fr)', 'label::Swahili (sw)', 'hint::English (en)', 'Required', 'Relevant', 'Appearance', 'Calculation', 'Constraint', 'parameters'],
    ['start', 'start', E, E, E, E, E, E, E, E, E, E], // 2
    ['end', 'end', E, E, E, E, E, E, E, E, E, E], // 3
    ['start', 'start2', E, E, E, E, E, E, E, E, E, E], // 4: same metadata type, no second note
    ['select_one yn', 'consent', 'Consent?', 'Consentement ?', 'Ridhaa?', E, 'yes', E, 'minimal', E, E, E], // 5
    ['begin group', 'g1', 'Group one', 'Groupe un', E, 'About you', E, "${consent} = 'y'", 'field-list', E, E, E], // 6
    ['select_multiple pets or_other', 'pets', 'Pets', 'Animaux', E, E, E, E, E, E, E, E], // 7
    ['begin_group', 'inner', 'Inner', E, E, E, E, 'count-selected(${pets}) >= 2', E, E, E, E], // 8
    ['integer', 'n_cats', 'How many cats?', 'Combien de chats ?', E, E, 'true', "selected(${pets}, 'cat')", E, E, '. > 0', E], // 9
    ['end group', E, E, E, E, E, E, E, E, E, E, E], // 10
    ['text', 'why', 'Why?', 'Pourquoi ?', E, E, E, "${pets} != ''", 'multiline', E, E, E], // 11
    ['calculate', 'double', E, E, E, E, E, E, E, '${n_cats} * 2', E, E], // 12
    ['end group', E, E, E, E, E, E, E, E, E, E, E], // 13
    ['begin repeat', 'kids', 'Kids', E, E, E, E, E, E, E, E, E], // 14
    ['text', 'kid_name', 'Name', E, E, E, E, E, E, E, E, E], // 15
    ['begin group', 'kid_g', E, E, E, E, E, E, E, E, E, E], // 16
    ['integer', 'kid_age', 'Age', E, E, E, E, E, E, E, E, E], // 17
    ['end group', E, E, E, E, E, E, E, E, E, E, E], // 18
    ['end repeat', E, E, E, E, E, E, E, E, E, E, E], // 19
    ['geopoint', 'where', 'Where?', E, E, E, E, E, E, E, E, E], // 20
    ['range', 'mood', 'Mood', 'Humeur', E, E, E, 'not(${consent} = \'n\')', E, E, E, 'start=1 end=5 step=1'], // 21
    ['range', 'temp', 'Temperature', E, E, E, E, E, E, E, E, 'start=0 end=1 step=0.1'], // 22
    ['acknowledge', 'ok', 'Understood?', E, E, E, E, E, E, E, E, E], // 23
    ['note', 'bye', 'Thanks, ${why}!', 'Merci !', E, E, E, '${ok} = \'OK\' and ${kid_name} != \'\'', E, E, E, E], // 24
    ['date', 'when', 'When?', E, E, E, E, '${later} > 1', E, E, E, E], // 25
    ['decimal', 'later', 'Later', E, E, E, E, '${bye} = 1', E, E, E, E], // 26
    ['select_one size', 'size', 'Size', E, E, E, E, '${consent} != \'n\' and ${why} = \'A b\'', E, E, E, E], // 27
  ];
  const choices = [
    ['list_name', 'name', 'label::English (en)', 'label::Français (fr)'],
    ['yn', 'y', 'Yes', 'Oui'],
    ['yn', 'n', 'No', 'Non'],
    ['pets', 'cat', 'Cat', 'Chat'],
    ['pets', 'dog', 'Dog', 'Chien'],
    ['size', 'A b', 'Big', E],
    ['size', 'NA', 'Not applicable', E],
  ];
  const settings = [
    ['form_title', 'form_id', 'default_language'],
    ['Pets at home', 'pets_home', 'Français (fr)'],
  ];
  let result: ImportResult;
  beforeAll(async () => {
    result = await importXlsForm(xlsx({ survey, choices, settings }), { id: 'pets', kind: 'profile', audience: 'staff' });
  });
  const messages = (row: number) => notesAt(result, row).map((n) => `${n.severity}: ${n.message}`);

  it('validates and reads languages, title and kind from the workbook', () => {
    expect(errorsOf(result)).toEqual([]);
    const d = result.definition;
    expect([d.defaultLanguage, d.languages, d.title, d.kind, d.audience]).toEqual(['fr', ['en', 'fr'], { fr: 'Pets at home' }, 'profile', 'staff']);
    expect(messages(1)).toEqual(['unsupported: The language "Swahili (sw)" is not one Schoolwell offers (English, French, Spanish); its texts were not imported.']);
    // Skipped: start, end, start2 (metadata), kid_name, kid_age (repeat), where (geopoint), temp (range).
    expect(result.counts).toEqual({ sections: 3, items: 11, skipped: 7 });
  });

  it('notes each metadata type once and skips it', () => {
    expect(messages(2)).toEqual(['info: Metadata "start" (filled in by the data collection app) is not imported.']);
    expect(messages(3)).toEqual(['info: Metadata "end" (filled in by the data collection app) is not imported.']);
    expect(messages(4)).toEqual([]);
  });

  it('maps select_one minimal to a dropdown, keeps required for a profile, and builds group sections', () => {
    const d = result.definition;
    expect(d.sections.map((s) => s.id)).toEqual(['general', 'g1', 'general_2']);
    expect(item(result, 'consent')).toEqual({
      id: 'consent',
      type: 'single_choice',
      display: 'dropdown',
      required: true,
      text: { en: 'Consent?', fr: 'Consentement ?' },
      choices: [
        { value: 'y', label: { en: 'Yes', fr: 'Oui' } },
        { value: 'n', label: { en: 'No', fr: 'Non' } },
      ],
    });
    expect(d.sections[1]).toMatchObject({ title: { en: 'Group one', fr: 'Groupe un' }, description: { en: 'About you' }, showIf: 'consent == "y"' });
    expect(d.sections[0].title).toEqual({ fr: 'Pets at home' });
  });

  it('adds an Other choice for or_other and flattens a nested group into its conditions', () => {
    const pets = item(result, 'pets');
    expect(pets.type === 'multiple_choice' && pets.choices).toEqual([
      { value: 'cat', label: { en: 'Cat', fr: 'Chat' } },
      { value: 'dog', label: { en: 'Dog', fr: 'Chien' } },
      { value: 'other', label: { en: 'Other', fr: 'Autre' } },
    ]);
    expect(messages(7)).toEqual(['changed: "pets" has "or_other": an "Other" choice was added; the text box for the other answer is not carried over.']);
    expect(messages(8)).toEqual(['changed: The group "inner" inside "g1" was flattened into the section "g1"; its condition was added to each of its questions.']);
    expect(item(result, 'n_cats')).toEqual({ id: 'n_cats', type: 'number', integer: true, required: true, text: { en: 'How many cats?', fr: 'Combien de chats ?' }, showIf: 'count(pets) >= 2 and pets contains "cat"' });
    expect(messages(9)).toEqual(['unsupported: The constraint ". > 0" of "n_cats" was dropped: answer checks are not supported.']);
    expect(item(result, 'why')).toMatchObject({ type: 'text', multiline: true, showIf: 'answered(pets)' });
    expect(item(result, 'double')).toMatchObject({ type: 'calc', expression: 'n_cats * 2', text: { fr: 'double' } });
  });

  it('skips a repeat with nested groups, counting its questions, and what refers into it', () => {
    expect(messages(14)).toEqual(['unsupported: The repeat "kids" (rows 14–19) is not supported: it and the 2 questions and calculations inside it were skipped.']);
    expect(messages(24)).toContain('unsupported: The condition (relevant) "${ok} = \'OK\' and ${kid_name} != \'\'" of "bye" was dropped: it reads ${kid_name}, which is inside the repeat "kids" (row 14), which was skipped.');
  });

  it('maps unsupported types, ranges and acknowledge', () => {
    expect(messages(20)).toEqual(['unsupported: "where" is a geopoint question, which Schoolwell does not have; it was skipped.']);
    expect(item(result, 'mood')).toEqual({ id: 'mood', type: 'rating', min: 1, max: 5, text: { en: 'Mood', fr: 'Humeur' }, showIf: 'not (consent == "n")' });
    expect(messages(21)).toEqual(['changed: "mood" is a range from 1 to 5; it became a rating.']);
    expect(messages(22)).toEqual(['unsupported: "temp" is a range (start 0, end 1, step 0.1) that a rating cannot hold (whole numbers, step 1, from 0–10 to at most 100); it was skipped.']);
    expect(item(result, 'ok')).toMatchObject({ type: 'yes_no' });
    expect(messages(23)).toEqual(['changed: "ok" is an acknowledge (OK) question; it became a yes/no question.']);
  });

  it('drops conditions that read later questions, notes or skipped ones', () => {
    expect(item(result, 'bye').text).toEqual({ en: 'Thanks, [why]!', fr: 'Merci !' });
    expect(item(result, 'when').showIf).toBeUndefined();
    expect(messages(25)).toEqual(['unsupported: The condition (relevant) "${later} > 1" of "when" was dropped: it reads ${later}, which comes later in the form (a condition can only read earlier answers).']);
    expect(messages(26)).toEqual(['unsupported: The condition (relevant) "${bye} = 1" of "later" was dropped: it reads ${bye}, which is a note and takes no answer.']);
  });

  it('sanitizes choice values; != becomes not (==), true when unanswered as in XPath', () => {
    const size = item(result, 'size');
    expect(size.type === 'single_choice' && size.choices.map((c) => c.value)).toEqual(['A_b', 'NA_']);
    expect(size.showIf).toBe('not (consent == "n") and why == "A b"');
  });
});

describe('translateXlsExpression', () => {
  const refs: Record<string, XlsRef> = {
    q1: { id: 'q1', type: 'single_choice', choiceValues: new Map([['1', '1'], ['2', '2'], ['a b', 'a_b']]) },
    multi: { id: 'multi', type: 'multiple_choice', choiceValues: new Map([['x', 'x'], ['88', '88']]) },
    age: { id: 'age', type: 'number' },
    Weight: { id: 'weight', type: 'number' },
    ack: { id: 'ack', type: 'yes_no', acknowledge: true },
    total: { id: 'total', type: 'calc' },
  };
  const resolve: XlsResolve = (name) => refs[name] ?? { error: 'is not a question of the form' };
  const ok = (src: string) => {
    const t = translateXlsExpression(src, resolve);
    if (!t.ok) throw new Error(`${src}: ${t.reason}`);
    return t.expression;
  };
  const reason = (src: string) => {
    const t = translateXlsExpression(src, resolve);
    return t.ok ? `translated: ${t.expression}` : t.reason;
  };

  it('translates the subset the expression language can say', () => {
    expect(ok("${q1} = '1'")).toBe('q1 == "1"');
    expect(ok('${q1} = 2')).toBe('q1 == "2"');
    expect(ok("${q1}='a b'")).toBe('q1 == "a_b"');
    expect(ok("'1' = ${q1}")).toBe('q1 == "1"');
    expect(ok("selected(${q1}, '2')")).toBe('q1 == "2"');
    expect(ok("selected(${multi}, 'x')")).toBe('multi contains "x"');
    expect(ok("${multi} = 'x'")).toBe('multi contains "x" and count(multi) == 1');
    expect(ok("${age} != ''")).toBe('answered(age)');
    expect(ok("${age} = ''")).toBe('not answered(age)');
    expect(ok("${q1} != '1'")).toBe('not (q1 == "1")');
    expect(ok("not(selected(${multi}, '88'))")).toBe('not (multi contains "88")');
    expect(ok('count-selected(${multi}) >= 2')).toBe('count(multi) >= 2');
    expect(ok("${age} >= 6 and ${age} <= 59 or ${q1} = '1'")).toBe('age >= 6 and age <= 59 or q1 == "1"');
    expect(ok("${age} > 1 and (${q1} = '1' or ${q1} = '2')")).toBe('age > 1 and (q1 == "1" or q1 == "2")');
    expect(ok('(${age} + ${Weight}) div 2 > 3.5')).toBe('(age + weight) / 2 > 3.5');
    expect(ok('-${age} * 2')).toBe('-age * 2');
    expect(ok('round(${Weight} * 10, 0)')).toBe('round(weight * 10)');
    expect(ok('max(${age}, ${Weight}, 1)')).toBe('max(age, weight, 1)');
    expect(ok('abs(${total}) < 1 and true()')).toBe('abs(total) < 1 and true');
    expect(ok("${ack} = 'OK'")).toBe('ack == true');
    expect(ok('"Refer child to treatment"')).toBe('"Refer child to treatment"');
    // A real calculation of the Liberia form (inside its repeat), with tiny coefficients.
    expect(ok('0.000000379386 * ${age} * ${age} - 0.168908042 * ${age} + 39.95107423')).toBe('3.79386e-7 * age * age - 0.168908042 * age + 39.95107423');
  });

  it('says why it cannot translate the rest', () => {
    expect(reason('((${age} - ${Weight}) mod ${age}) = 0')).toBe('uses mod, which the expression language does not have');
    expect(reason("if(${q1} = '1', 'a', 'b')")).toBe('uses if(), which the expression language does not have');
    expect(reason('position(..) <= ${age}')).toBe('uses a path ("..")');
    expect(reason('. >= 1 and . <= 6')).toBe('uses "." (the question\'s own value)');
    expect(reason('jr:choice-name(${q1}, \'${q1}\')')).toBe('uses jr:choice-name(), which the expression language does not have');
    expect(reason('coalesce(${age}, 0)')).toBe('uses coalesce(), which the expression language does not have');
    expect(reason("regex(${age}, '^[0-9]+$')")).toBe('uses regex(), which the expression language does not have');
    expect(reason('indexed-repeat(${age}, ${kids}, 1)')).toBe('uses indexed-repeat(), which the expression language does not have');
    expect(reason('max(${age}, ${kids})')).toBe('reads ${kids}, which is not a question of the form');
    expect(reason("selected(${age}, '1')")).toBe('uses selected() on ${age}, which is not a choice question here');
    expect(reason('${unknown} > 1')).toBe('reads ${unknown}, which is not a question of the form');
    expect(reason('/data/age > 1')).toBe('uses a path ("/")');
    expect(reason('${age} > ')).toBe('ends too early');
    expect(reason("${age} > '1")).toBe('has an unclosed quote');
  });

  it('produces only expressions the expression language parses', () => {
    for (const src of ["${q1} != '1' and not(${age} > 2)", "not(${q1} = '1') or ${age} - -1 > 0", "${age} = ${Weight} and ${q1} != ${q1}"]) {
      const t = translateXlsExpression(src, resolve);
      expect(t.ok).toBe(true);
    }
  });
});

describe('parseXlsType', () => {
  it('reads every kind of type cell', () => {
    expect(parseXlsType('select_one yes_no')).toEqual({ kind: 'select', multiple: false, list: 'yes_no', orOther: false });
    expect(parseXlsType('select_multiple  Reasons or_other')).toEqual({ kind: 'select', multiple: true, list: 'Reasons', orOther: true });
    expect(parseXlsType('Begin Group')).toEqual({ kind: 'begin_group' });
    expect(parseXlsType('end_repeat')).toEqual({ kind: 'end_repeat' });
    expect(parseXlsType('integer')).toEqual({ kind: 'question', type: 'integer' });
    expect(parseXlsType('int')).toEqual({ kind: 'question', type: 'integer' });
    expect(parseXlsType('trigger')).toEqual({ kind: 'question', type: 'acknowledge' });
    expect(parseXlsType('deviceid')).toEqual({ kind: 'metadata', type: 'deviceid' });
    expect(parseXlsType('audit')).toEqual({ kind: 'metadata', type: 'audit' });
    expect(parseXlsType('geoshape')).toEqual({ kind: 'unsupported', type: 'geoshape', known: true });
    expect(parseXlsType('select_one_from_file schools.csv')).toEqual({ kind: 'unsupported', type: 'select_one_from_file schools.csv', known: true });
    expect(parseXlsType('rank colours')).toEqual({ kind: 'unsupported', type: 'rank colours', known: true });
    expect(parseXlsType('frobnicate')).toEqual({ kind: 'unsupported', type: 'frobnicate', known: false });
  });
});

describe('names and languages', () => {
  it('turns names into identifiers', () => {
    expect(toIdentifier('Q1_Age')).toBe('q1_age');
    expect(toIdentifier('1st-visit')).toBe('q_1st_visit');
    expect(toIdentifier('in')).toBe('q_in');
    expect(toIdentifier('élève nom')).toBe('eleve_nom');
    expect(toIdentifier('', 'row_5')).toBe('row_5');
    expect(toIdentifier('x'.repeat(80))).toHaveLength(64);
  });

  it('reads XLSForm language names', () => {
    expect(['English (en)', 'French (fr)', 'Español (es)', 'en', 'Spanish', 'français', 'fr-CA', 'Swahili (sw)', 'Arabic'].map(languageOf)).toEqual(['en', 'fr', 'es', 'en', 'es', 'fr', 'fr', null, null]);
  });

  it('imports sheets given directly, with a plain label column in the default language', () => {
    const rows = (data: (string | null)[][]): Cell[][] => data;
    const r = importXlsFormSheets([{ sheet: 'Survey', data: rows([['type', 'name', 'label'], ['text', 'q1', 'Your name'], [null, null, null], ['note', 'n1', '<b>Bye</b>']]) }], { id: 'plain', title: 'Plain' });
    expect(errorsOf(r)).toEqual([]);
    expect(r.definition.title).toEqual({ en: 'Plain' });
    expect(r.definition.sections).toEqual([{ id: 'general', title: { en: 'Plain' }, items: [{ id: 'q1', type: 'text', text: { en: 'Your name' } }, { id: 'n1', type: 'note', text: { en: 'Bye' } }] }]);
    expect(r.notes).toEqual([{ severity: 'changed', where: 'survey row 4', message: 'HTML formatting was removed from the text.' }]);
  });
});
