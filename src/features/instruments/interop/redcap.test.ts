import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { extdataPath } from '../../../server/test/extdata.js';
import { contentDir } from '../server/content.js';
import { type Answers, calcValues, visibleItems } from '../model/answers.js';
import type { InstrumentDefinition, Item } from '../model/instrument.schema.js';
import { allItems, allSlots } from '../model/item-types.js';
import type { LocalizedText } from '../model/text.js';
import { validateDefinition } from '../model/validate.js';
import { type ImportNote, type ImportResult, InteropFormatError } from './interop.types.js';
import { exportRedcap, importRedcap } from './redcap.js';

const HBCD = extdataPath('redcap/hbcd_redcap_sample_datadictionary.csv');
const SCID = extdataPath('redcap/scid5_score_sheet_instrument.csv');
const APSI = extdataPath('redcap/apsi_redcap_dict_reproschema_test.csv');
const BFI = extdataPath('likert_survey/psych_bfi.csv');

const HEADER =
  '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"';

const errorsOf = (def: unknown) => validateDefinition(def).issues.filter((i) => i.severity === 'error');
const items = (r: ImportResult) => allItems(r.definition).map(({ item }) => item);
const itemById = (r: ImportResult, id: string) => {
  const item = items(r).find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
};
const notesAt = (r: ImportResult, where: string) => r.notes.filter((n) => n.where === where);
/** The note for a first field record_id (text), REDCap's record id, which the importer leaves out. */
const RECORD_ID_NOTE: ImportNote = {
  severity: 'info',
  where: 'record_id',
  message: "REDCap's record id (the project's first field) is not a question; it was left out. Schoolwell identifies records itself.",
};
const countBy = (notes: ImportNote[]) => notes.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.severity]: (acc[n.severity] ?? 0) + 1 }), {});

/** A data dictionary from rows of the 18 columns given as objects (only the cells that matter). */
type Cells = Partial<Record<'name' | 'form' | 'section' | 'type' | 'label' | 'choices' | 'note' | 'validation' | 'min' | 'max' | 'identifier' | 'branching' | 'required' | 'matrix' | 'annotation', string>>;
function dictionary(rows: Cells[]): string {
  const cell = (s = '') => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const line = (r: Cells) =>
    [r.name, r.form ?? 'form_one', r.section, r.type, r.label ?? r.name, r.choices, r.note, r.validation, r.min, r.max, r.identifier, r.branching, r.required, '', '', r.matrix, '', r.annotation].map(cell).join(',');
  return [HEADER, ...rows.map(line)].join('\n') + '\n';
}

describe('importRedcap: the real data dictionaries in shared/extdata/redcap', () => {
  /*
   * Expected counts come from a one-off script, not from the importer: each file read with
   * csv-parse/sync ({ bom: true, relax_column_count: true }), rows counted by Field Type (column 4),
   * distinct Form Names (column 2, in order), non-blank Section Headers (column 3) and whether a
   * form's first row carries one:
   *
   *   for (const r of rows) { types[r[3]]++; if (r[1] !== prev) { sections++; prev = r[1] } else if (r[2].trim()) sections++ }
   *
   * A form gives one section, and each Section Header one more, except a header on a form's first
   * row, which titles that form's section.
   *
   * REDCap makes a project's first field its record id. When the first row is a text field named
   * record_id (apsi and hbcd; not scid5), the importer leaves it out with one info note, so the
   * script counts from the second row for those files: `rows = rows.slice(1)` before the loop.
   */

  /*
   * apsi: 30 rows; the first, record_id (text), is REDCap's record id and is left out → 29 fields
   * (25 radio, 4 text) in 2 forms. Its 3 Section Headers stand on apsi_date (row 2 of the file, now
   * the first imported row, so the first row of form 1), apsi_social_dev (inside form 1) and
   * cams_r_1 (the first row of form 2): 2 of them title their form's section, 1 starts another.
   *   sections = 2 forms + 3 headers − 2 on a form's first row = 3;
   *   items per section: apsi_date … apsi_person_completing = 3, apsi_social_dev … apsi_total = 14,
   *   cams_r_1 … cams_r_12 = 12 (no matrix groups); 3 + 14 + 12 = 29.
   */
  it('apsi: 30 fields, record_id left out → 29 (25 radio, 4 text), 2 forms, 3 headers of which 2 on a form\'s first row → 3 sections, nothing skipped', () => {
    const r = importRedcap(readFileSync(APSI), { id: 'apsi' });
    expect(errorsOf(r.definition)).toEqual([]);
    expect(r.counts).toEqual({ sections: 3, items: 29, skipped: 0 });
    // The only note: record_id, REDCap's record id, left out (once).
    expect(r.notes).toEqual([RECORD_ID_NOTE]);
    expect(items(r).some((i) => i.id === 'record_id')).toBe(false);
    expect(items(r)[0].id).toBe('apsi_date');
    expect(r.definition.sections.map((s) => s.items.length)).toEqual([3, 14, 12]);
    expect(itemById(r, 'apsi_date')).toMatchObject({ type: 'date' });
    expect(itemById(r, 'apsi_total')).toMatchObject({ type: 'number', integer: true });
    // Codes 0, 1, 2, 3, 5 as written; a comma inside a label is part of the label.
    expect(itemById(r, 'apsi_social_dev')).toMatchObject({
      type: 'single_choice',
      choices: [
        { value: '0', label: { en: '0 - Not stressful' } },
        { value: '1', label: { en: '1 - Sometimes creates stress' } },
        { value: '2', label: { en: '2 - Often creates stress' } },
        { value: '3', label: { en: '3 - Very stressful on a daily basis' } },
        { value: '5', label: { en: "5 - So stressful sometimes we feel we can't cope" } },
      ],
    });
    expect(itemById(r, 'apsi_agressive').text.en).toBe('Aggressive behavior (siblings, peers)');
    // 1..4 on one radio field stays a single choice (no likert is guessed).
    expect(itemById(r, 'cams_r_1')).toMatchObject({ type: 'single_choice', choices: [{ value: '1' }, { value: '2' }, { value: '3' }, { value: '4' }] });
    expect(r.definition.title).toEqual({ en: 'Autism parenting stress index apsi' });
    // The header on apsi_date, now the form's first imported row, titles the form's section.
    expect(r.definition.sections[0].title.en).toMatch(/^Autism Parenting Stress Index for the Qigong Sensory Training Program Instructions:/);
    // <u>…</u> in a section header is dropped, its text kept.
    expect(r.definition.sections[1].title.en).toMatch(/^Stress Ratings Please rate the following aspects of your child's health according to how much stress it causes you and\/or your family by clicking/);
    expect(r.definition.sections[2].title.en).toMatch(/^Instructions: People have a variety of ways/);
  });

  it('scid5: 107 fields (96 dropdown, 11 text), 1 form, 8 headers, the first on row 1 → 8 sections; its 57 branching rules all translate', () => {
    const r = importRedcap(readFileSync(SCID), { id: 'scid5' });
    expect(errorsOf(r.definition)).toEqual([]);
    expect(r.counts).toEqual({ sections: 8, items: 107, skipped: 0 });
    expect(r.notes).toEqual([]);
    // Its first field is scid_p8, not record_id: nothing is left out, no record id note.
    expect(notesAt(r, 'record_id')).toEqual([]);
    expect(items(r)[0].id).toBe('scid_p8');
    expect(items(r).filter((i) => i.showIf).length).toBe(57);
    // "[scid_p8] = "3" " (double quotes, trailing blank) → an equality on the choice code.
    expect(itemById(r, 'scid_p9').showIf).toBe('scid_p8 == "3"');
    expect(itemById(r, 'scid_p35').showIf).toBe('scid_p34 == "3"');
    // Every field says Required = y; team instruments keep it.
    expect(items(r).every((i) => i.required === true)).toBe(true);
    // Multi-line HTML: the div and its line break go, the text stays.
    expect(itemById(r, 'scid_p20')).toMatchObject({ type: 'single_choice', display: 'dropdown', text: { en: 'Substance/medication-induced bipolar disorder (current)' } });
    // A multi-line section header keeps its paragraphs, without <em> and <center>.
    expect(r.definition.sections[0].title.en).toBe("* Note: Specific disorders are listed below for disorder categories marked 'yes' in SCID High Level Screener\n\nBipolar and related disorders");
    expect(r.definition.sections.map((s) => s.title.en).slice(1)).toEqual([
      'Depressive Disorders',
      'Schizophrenia and psychotic disorders',
      'Substance use disorders',
      'Anxiety disorders',
      'Obsessive-compulsive and related disorders',
      'Feeding and eating disorders',
      'Trauma and stressor-related disorders',
    ]);
  });

  it('scid5 as a survey: Required is dropped, with one note naming the fields', () => {
    const r = importRedcap(readFileSync(SCID), { id: 'scid5', kind: 'survey', audience: 'student' });
    expect(errorsOf(r.definition)).toEqual([]);
    expect(items(r).some((i) => i.required)).toBe(false);
    expect(r.notes).toEqual([{ severity: 'changed', where: 'Required Field?', message: expect.stringMatching(/^Survey questions are never required; "required" was dropped from scid_p8, .* and 97 more\.$/) }]);
  });

  /*
   * hbcd: 474 fields; the first, record_id (text, form setup, no section header, annotation,
   * alignment or branching, and named by no other row), is REDCap's record id and is left out →
   * 473 fields — text 99, radio 218, yesno 2, descriptive 77, dropdown 14, calc 36, checkbox 7,
   * sql 20; 12 forms (setup keeps setup_lmp and the rows after it); 16 section headers, 1 of them on
   * a form's first row.
   *   skipped = 20 sql + 32 calc = 52: of the 36 calcs, 20 are jQuery snippets ("$('#…').prop(…)"),
   *     11 use if() (pex_bm_apa1_flag01, pex_bm_apa2_depr_00{1..8}_i_01, pex_bm_apa2_depr_flag01,
   *     …_pregcurr_004), 1 sums those if() calcs (pex_bm_apa2_depr_score); 4 are plain arithmetic
   *     (…_healthhx_008, _010, _011, …_pregcurr_006) and are kept.
   *   items = 473 − 52 = 421 (the 8 matrix groups all have codes 999/777, so none merges into a matrix).
   *   sections = 12 + 16 − 1 = 27 (unchanged: record_id carried no header and setup has other rows).
   * Branching logic: 331 fields have some; 291 of them are imported fields. Of those, 12 name an event
   * or smart variable ([event-name], [screening_arm_1][…]), 1 names itself, 68 name a later field
   * (mostly "show x only while its don't-know box x_dk, further down, is blank") → 81 dropped, 210 kept.
   */
  it('hbcd: 474 fields, record_id left out → 27 sections, 421 items, 52 skipped; each loss reported', () => {
    const buffer = readFileSync(HBCD);
    expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the file starts with a UTF-8 BOM
    const r = importRedcap(buffer, { id: 'hbcd' });
    expect(errorsOf(r.definition)).toEqual([]);
    expect(r.counts).toEqual({ sections: 27, items: 421, skipped: 52 });
    expect(r.definition).toMatchObject({ schemaVersion: 1, id: 'hbcd', version: 1, kind: 'self_assessment', audience: 'team', defaultLanguage: 'en', languages: ['en'], source: { format: 'redcap' }, scales: [], labelSets: {} });
    expect(r.definition.title).toEqual({ en: 'Setup' });

    // BOM handled: the first field is read as record_id, not "\uFEFFrecord_id", so it is recognised
    // as REDCap's record id and left out, with one note; the first item is the next field.
    expect(notesAt(r, 'record_id')).toEqual([RECORD_ID_NOTE]);
    expect(r.notes.filter((n) => n.message === RECORD_ID_NOTE.message)).toHaveLength(1);
    expect(items(r).some((i) => i.id.includes('record_id'))).toBe(false);
    expect(items(r)[0]).toMatchObject({ id: 'setup_lmp', type: 'date', text: { en: 'Last menstrual period (LMP)' } });

    const unsupported = r.notes.filter((n) => n.severity === 'unsupported');
    expect(unsupported.filter((n) => n.message.startsWith('An sql field')).length).toBe(20);
    expect(unsupported.filter((n) => n.message.startsWith('The calculation')).length).toBe(32);
    expect(unsupported.filter((n) => n.message.startsWith('Branching logic')).length).toBe(81);
    expect(countBy(r.notes)).toEqual({ unsupported: 133, changed: 69, info: 3 });
    expect(items(r).filter((i) => i.showIf).length).toBe(210);

    // An sql field is reported by name.
    expect(notesAt(r, 'pex_bm_health_preg_i_illness_003_i_03')).toEqual([{ severity: 'unsupported', where: 'pex_bm_health_preg_i_illness_003_i_03', message: expect.stringContaining('An sql field') }]);
    expect(items(r).some((i) => i.id === 'pex_bm_health_preg_i_illness_003_i_03')).toBe(false);

    // A calc with if() is skipped as unsupported, its expression quoted.
    expect(notesAt(r, 'pex_bm_apa1_flag01')).toEqual([
      { severity: 'unsupported', where: 'pex_bm_apa1_flag01', message: 'The calculation "if(([pex_bm_apa1_suic_001] > 0 AND [pex_bm_apa1_suic_001] < 777), 1, 0)" cannot be expressed here (the function if()); the field was left out.' },
    ]);
    // A sum of skipped calcs goes too, saying why.
    expect(notesAt(r, 'pex_bm_apa2_depr_score')[0].message).toContain('[pex_bm_apa2_depr_001_i_01] was not imported');
    // Arithmetic calcs are kept, reading earlier answers and earlier calcs.
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_008')).toMatchObject({ type: 'calc', expression: '(pex_bm_health_preg_i_healthhx_007_i_01 * 12 + pex_bm_health_preg_i_healthhx_007_i_02) * 2.54' });
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_011')).toMatchObject({
      type: 'calc',
      expression: 'pex_bm_health_preg_i_healthhx_010 * 10000 / (pex_bm_health_preg_i_healthhx_008 * pex_bm_health_preg_i_healthhx_008)',
    });
    // The 311-choice weight dropdown (90…400, each labelled with itself) became a whole number.
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_009')).toMatchObject({ type: 'number', integer: true, min: 90, max: 400 });
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_010')).toMatchObject({ type: 'calc', expression: 'pex_bm_health_preg_i_healthhx_009 / 2.2046' });

    // A matrix group whose codes are not 1..n stays separate single-choice questions, noted once.
    expect(notesAt(r, 'pex_bm_apa2_depr_m01')).toEqual([
      { severity: 'changed', where: 'pex_bm_apa2_depr_m01', message: expect.stringContaining('(8 fields) was kept as separate single-choice questions: its choice codes are 1, 2, 3, 4, 5, 999, 777, not 1 to 7') },
    ]);
    expect(r.notes.filter((n) => n.message.startsWith('Matrix group')).length).toBe(8);
    // HTML in choice labels: <font color="gray">Don't know</font> → Don't know.
    expect(itemById(r, 'pex_bm_apa2_depr_001')).toMatchObject({
      type: 'single_choice',
      choices: [{ value: '1', label: { en: 'Never' } }, { value: '2' }, { value: '3' }, { value: '4' }, { value: '5' }, { value: '999', label: { en: "Don't know" } }, { value: '777', label: { en: 'Decline to answer' } }],
    });

    // Branching logic translations.
    expect(itemById(r, 'pex_bm_apa2_anx_001').showIf).toBe('pex_bm_apa1_anx_001 >= 2 or pex_bm_apa1_anx_002 >= 2 or pex_bm_apa1_anx_003 >= 2');
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_i_pregcurr_i_art_004_i_00').showIf).toBe(
      'pex_bm_health_preg_i_healthhx_i_pregcurr_i_art_003 contains "6" or pex_bm_health_preg_i_healthhx_i_pregcurr_i_art_003 contains "8"',
    );
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_007_i_dk').showIf).toBe('not answered(pex_bm_health_preg_i_healthhx_007_i_01) and not answered(pex_bm_health_preg_i_healthhx_007_i_02)');
    expect(itemById(r, 'pex_bm_health_preg_i_illness_002_i_dk').showIf).toBe('pex_bm_health_preg_i_illness_001 == "1" and not answered(pex_bm_health_preg_i_illness_002)');
    // Untranslatable: an event reference and a smart variable; a later field; the field itself.
    expect(itemById(r, 'pex_bm_health_preg_i_healthhx_006_i_pre').showIf).toBeUndefined();
    expect(notesAt(r, 'pex_bm_health_preg_i_healthhx_006_i_pre')[0].message).toBe(
      'Branching logic "[screening_arm_1][recruitment_period] =\'1\'" was dropped ([screening_arm_1][…] names another event or instance); the question is always shown.',
    );
    expect(itemById(r, 'child_introduction_v4').showIf).toBeUndefined();
    expect(notesAt(r, 'child_introduction_v4')[0]).toMatchObject({ severity: 'unsupported', message: expect.stringContaining('[event-name]') });
    expect(notesAt(r, 'pex_bm_health_preg_i_healthhx_007_i_01')[0].message).toContain('[pex_bm_health_preg_i_healthhx_007_i_dk] comes later');
    expect(notesAt(r, 'pex_bm_health_preg_i_illness_005_i_11')[0].message).toContain('is the field itself');

    // HTML stripped from a descriptive field, spans and all.
    expect(itemById(r, 'child_introduction_v4')).toMatchObject({
      type: 'note',
      text: { en: expect.stringMatching(/^This first set of surveys will ask you all about your child.* There are 11 surveys in this section and all together they will take a little over an hour to complete\.$/) },
    });
    expect(items(r).some((i) => /<|&[a-z]+;/.test(i.text.en ?? ''))).toBe(false);
    // The multi-paragraph descriptive text keeps its paragraphs.
    expect(itemById(r, 'remote_introduction').text.en).toContain('Development (HBCD) Study! These surveys will help us learn more about your child\'s development. There will be questions about your child, yourself, and your family and home.\n\nYou can only answer');

    // Columns that are not imported are reported once each.
    expect(r.notes.filter((n) => n.severity === 'info').map((n) => n.where)).toEqual(['record_id', 'Field Annotation', 'Custom Alignment']);
    expect(notesAt(r, 'Field Annotation')[0].message).toContain('86 field(s)');
  });

  it('reads the BOM from a string as well as from a buffer', () => {
    const text = readFileSync(HBCD, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const r = importRedcap(text, { id: 'hbcd' });
    expect(r.counts).toEqual({ sections: 27, items: 421, skipped: 52 });
    expect(notesAt(r, 'record_id')).toEqual([RECORD_ID_NOTE]);
  });

  it('refuses a CSV that is not a data dictionary, naming the columns it expects', () => {
    expect(() => importRedcap(readFileSync(BFI), { id: 'bfi' })).toThrow(InteropFormatError);
    expect(() => importRedcap(readFileSync(BFI), { id: 'bfi' })).toThrow(
      /not a REDCap data dictionary: its header must have the columns "Variable \/ Field Name", "Form Name", "Field Type", "Field Label"/,
    );
    expect(() => importRedcap('', { id: 'x' })).toThrow(InteropFormatError);
    expect(() => importRedcap('a,"b\n', { id: 'x' })).toThrow(InteropFormatError);
  });
});

describe('importRedcap: rules', () => {
  it('leaves out record_id only as the first field, of type text, followed by others', () => {
    // The first field, record_id, text, with others after it: REDCap's record id, left out once.
    const r = importRedcap(dictionary([{ name: 'record_id', type: 'text', label: 'Record ID' }, { name: 'q', type: 'yesno' }]), { id: 'x' });
    expect(items(r).map((i) => i.id)).toEqual(['q']);
    expect(r.notes).toEqual([RECORD_ID_NOTE]);
    expect(r.counts).toEqual({ sections: 1, items: 1, skipped: 0 });
    // Anywhere else, of another type, or alone, it is a question like any other.
    for (const rows of [
      [{ name: 'q', type: 'yesno' }, { name: 'record_id', type: 'text' }],
      [{ name: 'record_id', type: 'dropdown', choices: '1, A | 2, B' }, { name: 'q', type: 'yesno' }],
      [{ name: 'record_id', type: 'text' }],
    ]) {
      const kept = importRedcap(dictionary(rows), { id: 'x' });
      expect(items(kept).map((i) => i.id)).toContain('record_id');
      expect(kept.notes).not.toContainEqual(RECORD_ID_NOTE);
    }
  });

  it('matches headers case-insensitively, and reads REDCap API metadata names', () => {
    const lower = dictionary([{ name: 'q1', type: 'yesno', label: 'OK?' }]).replace(HEADER, HEADER.toLowerCase());
    expect(importRedcap(lower, { id: 'x' }).counts.items).toBe(1);
    const api = 'field_name,form_name,section_header,field_type,field_label,select_choices_or_calculations\nq1,f,,radio,Pick,"1, A | 2, B"\n';
    expect(itemById(importRedcap(api, { id: 'x' }), 'q1')).toMatchObject({ type: 'single_choice', choices: [{ value: '1' }, { value: '2' }] });
  });

  it('throws when nothing is importable', () => {
    expect(() => importRedcap(dictionary([{ name: 'q', type: 'sql', choices: 'select 1' }, { name: 'f', type: 'file' }]), { id: 'x' })).toThrow(new InteropFormatError('The data dictionary has no importable fields.'));
  });

  it('parses choices in every spelling, keeps codes as written and sanitises the rest', () => {
    const r = importRedcap(
      dictionary([
        { name: 'a', type: 'radio', choices: '1,Yes|2,No' },
        { name: 'b', type: 'dropdown', choices: '1, Yes, definitely | 2, No &amp; never | 3, <b>Maybe</b>' },
        { name: 'c', type: 'checkbox', choices: 'x.1, One | y-2, Two | z_3, Three' },
        { name: 'd', type: 'radio', choices: 'a b, Space | NA, Not applicable | a_b, Clash' },
      ]),
      { id: 'x' },
    );
    expect(errorsOf(r.definition)).toEqual([]);
    expect(itemById(r, 'a')).toMatchObject({ choices: [{ value: '1', label: { en: 'Yes' } }, { value: '2', label: { en: 'No' } }] });
    expect(itemById(r, 'b')).toMatchObject({ display: 'dropdown', choices: [{ label: { en: 'Yes, definitely' } }, { label: { en: 'No & never' } }, { label: { en: 'Maybe' } }] });
    expect(itemById(r, 'c')).toMatchObject({ type: 'multiple_choice', choices: [{ value: 'x.1' }, { value: 'y-2' }, { value: 'z_3' }] });
    expect((itemById(r, 'd') as Extract<Item, { type: 'single_choice' }>).choices.map((c) => c.value)).toEqual(['a_b', 'na', 'a_b_2']);
    expect(notesAt(r, 'd')).toEqual([{ severity: 'changed', where: 'd', message: expect.stringContaining('"a b" → "a_b", "NA" → "na", "a_b" → "a_b_2"') }]);
  });

  it('maps each field type', () => {
    const r = importRedcap(
      dictionary([
        { name: 'tf', type: 'truefalse', label: 'True?' },
        { name: 'yn', type: 'yesno', label: 'Yes?' },
        { name: 'd1', type: 'text', validation: 'date_mdy', min: '2020-01-01', max: 'today' },
        { name: 'n1', type: 'text', validation: 'integer', min: '0', max: '10' },
        { name: 'n2', type: 'text', validation: 'number_2dp', min: '1.5' },
        { name: 'em', type: 'text', validation: 'email' },
        { name: 'ph', type: 'text', validation: 'phone' },
        { name: 'dt', type: 'text', validation: 'datetime_seconds_mdy' },
        { name: 'nt', type: 'notes', label: 'Comments', note: '<i>Optional</i>' },
        { name: 'sl', type: 'slider', label: 'How sure?', choices: 'Not sure | Somewhat | Very sure' },
        { name: 's2', type: 'slider', label: 'Scale', choices: 'Low | High', min: '1', max: '10' },
        { name: 'ds', type: 'descriptive', label: '<h3>Part two</h3><p>Read this.</p>' },
        { name: 'fi', type: 'file', label: 'Upload' },
        { name: 'sg', type: 'file', validation: 'signature', label: 'Sign' },
        { name: 'sq', type: 'sql', choices: 'select value from t' },
        { name: 'zz', type: 'weird' },
        { name: 'pid', type: 'text', identifier: 'y', label: 'Participant name' },
      ]),
      { id: 'x' },
    );
    expect(errorsOf(r.definition)).toEqual([]);
    expect(r.counts).toEqual({ sections: 1, items: 13, skipped: 4 });
    expect(itemById(r, 'tf')).toMatchObject({ type: 'yes_no' });
    expect(notesAt(r, 'tf')).toEqual([{ severity: 'changed', where: 'tf', message: expect.stringContaining('True/False field became a Yes/No question') }]);
    expect(itemById(r, 'yn')).toMatchObject({ type: 'yes_no' });
    expect(itemById(r, 'd1')).toEqual({ id: 'd1', type: 'date', text: { en: 'd1' }, min: '2020-01-01' });
    expect(notesAt(r, 'd1').map((n) => n.message)).toEqual([expect.stringContaining('The date maximum "today" was not kept')]);
    expect(itemById(r, 'n1')).toMatchObject({ type: 'number', integer: true, min: 0, max: 10 });
    expect(itemById(r, 'n2')).toMatchObject({ type: 'number', min: 1.5 });
    expect(itemById(r, 'n2')).not.toHaveProperty('integer');
    expect(itemById(r, 'em')).toMatchObject({ type: 'text', format: 'email' });
    expect(itemById(r, 'ph')).toMatchObject({ type: 'text', format: 'phone' });
    expect(itemById(r, 'dt')).toMatchObject({ type: 'text' });
    expect(notesAt(r, 'dt').map((n) => n.message)).toContain('The text validation "datetime_seconds_mdy" has no equivalent; the question takes free text.');
    expect(itemById(r, 'nt')).toEqual({ id: 'nt', type: 'text', multiline: true, text: { en: 'Comments' }, help: { en: 'Optional' } });
    expect(itemById(r, 'sl')).toEqual({ id: 'sl', type: 'rating', text: { en: 'How sure?' }, min: 0, max: 100, minLabel: { en: 'Not sure' }, maxLabel: { en: 'Very sure' } });
    expect(notesAt(r, 'sl')).toEqual([{ severity: 'changed', where: 'sl', message: 'The slider became a rating from 0 to 100 with its end labels (the middle label "Somewhat" was not kept).' }]);
    expect(itemById(r, 's2')).toMatchObject({ type: 'rating', min: 1, max: 10, minLabel: { en: 'Low' }, maxLabel: { en: 'High' } });
    expect(itemById(r, 'ds')).toEqual({ id: 'ds', type: 'note', text: { en: 'Part two\n\nRead this.' } });
    for (const [where, text] of [
      ['fi', 'A file upload field'],
      ['sg', 'A signature field'],
      ['sq', 'An sql field'],
      ['zz', 'The field type "weird"'],
    ]) {
      expect(notesAt(r, where)).toEqual([{ severity: 'unsupported', where, message: expect.stringContaining(text) }]);
    }
    expect(notesAt(r, 'pid')).toEqual([{ severity: 'info', where: 'pid', message: expect.stringContaining('anonymous surveys must not ask for identifying information') }]);
  });

  it('makes a matrix of a matrix group coded 1..n, and keeps other groups as single choices', () => {
    const likert = '1, Never | 2, Sometimes | 3, Often | 4, Always';
    const r = importRedcap(
      dictionary([
        { name: 'intro', type: 'yesno', label: 'Start?' },
        { name: 'feel_calm', type: 'radio', section: 'How often do you…', label: 'feel calm', choices: likert, matrix: 'feel', branching: "[intro] = '1'", required: 'y' },
        { name: 'feel_tired', type: 'radio', label: 'feel tired', choices: likert, matrix: 'feel', branching: "[intro] = '1'", required: 'y' },
        { name: 'after', type: 'text', branching: "[feel_tired] >= 3 or [feel_calm] = '1'" },
        { name: 'g_a', type: 'radio', label: 'A', choices: '0, No | 1, Yes', matrix: 'grid' },
        { name: 'g_b', type: 'radio', label: 'B', choices: '0, No | 1, Yes', matrix: 'grid' },
        { name: 'five', type: 'radio', choices: '1, a | 2, b | 3, c | 4, d | 5, e' },
        { name: 'again', type: 'radio', label: 'Same labels', choices: likert, matrix: 'again_m' },
        { name: 'p_a', type: 'radio', label: 'PA', choices: '1, No | 2, Yes', matrix: 'pair' },
        { name: 'p_b', type: 'radio', section: 'More', label: 'PB', choices: '1, No | 2, Yes', matrix: 'pair' },
      ]),
      { id: 'x' },
    );
    expect(errorsOf(r.definition)).toEqual([]);
    expect(r.counts).toEqual({ sections: 3, items: 9, skipped: 0 });
    // A Section Header inside a group starts a second matrix (REDCap shows it as a new one too).
    expect(itemById(r, 'pair')).toMatchObject({ type: 'matrix', labelSet: 'pair', rows: [{ id: 'p_a' }] });
    expect(itemById(r, 'pair_2')).toMatchObject({ type: 'matrix', labelSet: 'pair', text: { en: 'More' }, rows: [{ id: 'p_b' }] });
    expect(itemById(r, 'feel')).toEqual({
      id: 'feel',
      type: 'matrix',
      text: { en: 'How often do you…' },
      labelSet: 'feel',
      rows: [
        { id: 'calm', text: { en: 'feel calm' } },
        { id: 'tired', text: { en: 'feel tired' } },
      ],
      showIf: 'intro == true',
      required: true,
    });
    expect(r.definition.labelSets).toEqual({
      feel: { points: 4, labels: [{ en: 'Never' }, { en: 'Sometimes' }, { en: 'Often' }, { en: 'Always' }] },
      pair: { points: 2, labels: [{ en: 'No' }, { en: 'Yes' }] },
    });
    // The second matrix with the same labels shares the label set.
    expect(itemById(r, 'again_m')).toMatchObject({ type: 'matrix', labelSet: 'feel', rows: [{ id: 'again' }] });
    // References to matrix rows name the slot group.row; row answers are points.
    expect(itemById(r, 'after').showIf).toBe('feel.tired >= 3 or feel.calm == 1');
    expect(itemById(r, 'g_a')).toMatchObject({ type: 'single_choice' });
    expect(itemById(r, 'g_b')).toMatchObject({ type: 'single_choice' });
    expect(notesAt(r, 'grid')).toEqual([{ severity: 'changed', where: 'grid', message: expect.stringContaining('its choice codes are 0, 1, not 1 to 2') }]);
    expect(itemById(r, 'five')).toMatchObject({ type: 'single_choice' });
  });

  it('translates branching logic, and drops what it cannot with a note naming the field and the logic', () => {
    const r = importRedcap(
      dictionary([
        { name: 'chk', type: 'checkbox', choices: '1, A | 2, B | 3, C' },
        { name: 'yn', type: 'yesno' },
        { name: 'num', type: 'text', validation: 'number' },
        { name: 'pick', type: 'radio', choices: '1, A | 2, B | x y, C' },
        { name: 'dt', type: 'text', validation: 'date_ymd' },
        { name: 'b1', type: 'text', branching: "[chk(2)] = '1' AND ([yn] = '1' OR [num] > 3.5)" },
        { name: 'b2', type: 'text', branching: "[chk(3)] = '0' and [pick] <> '2'" },
        { name: 'b3', type: 'text', branching: "[pick] <> '' or [num] = ''" },
        { name: 'b4', type: 'text', branching: '[pick] = "x y" or [num] <= -2 or [dt] > \'2024-01-31\'' },
        { name: 'b5', type: 'text', branching: 'sum([chk(1)], [chk(2)], [chk(3)]) >= 2' },
        { name: 'b6', type: 'text', branching: "[yn] = '0' or 5 < [num]" },
        { name: 'x1', type: 'text', branching: "[event-name] = 'v1_arm_1'" },
        { name: 'x2', type: 'text', branching: "[user-name] = 'admin'" },
        { name: 'x3', type: 'text', branching: "datediff([dt], 'today', 'd') > 7" },
        { name: 'x4', type: 'text', branching: "if([num] > 1, 1, 0) = 1" },
        { name: 'x5', type: 'text', branching: "[later] = '1'" },
        { name: 'x6', type: 'text', branching: "[nowhere] = '1'" },
        { name: 'x7', type: 'text', branching: "[chk] = '1'" },
        { name: 'later', type: 'yesno' },
      ]),
      { id: 'x', kind: 'survey', audience: 'staff' },
    );
    expect(errorsOf(r.definition)).toEqual([]);
    const show = (id: string) => itemById(r, id).showIf;
    expect(show('b1')).toBe('chk contains "2" and (yn == true or num > 3.5)');
    // <> reads as not (… == …): REDCap's <> is true on a blank answer.
    expect(show('b2')).toBe('not (chk contains "3") and not (pick == "2")');
    expect(show('b3')).toBe('answered(pick) or not answered(num)');
    // Codes are matched to their sanitised values.
    expect(show('b4')).toBe('pick == "x_y" or num <= -2 or dt > "2024-01-31"');
    // The sum of every option of a checkbox is how many are ticked.
    expect(show('b5')).toBe('count(chk) >= 2');
    expect(show('b6')).toBe('yn == false or num > 5');
    const dropped = (id: string, reason: string) => {
      expect(show(id)).toBeUndefined();
      expect(notesAt(r, id)).toEqual([{ severity: 'unsupported', where: id, message: expect.stringMatching(new RegExp(`^Branching logic ".*" was dropped \\(.*${reason}.*\\); the question is always shown\\.$`)) }]);
    };
    dropped('x1', 'the smart variable \\[event-name\\]');
    dropped('x2', 'the smart variable \\[user-name\\]');
    dropped('x3', 'the function datediff\\(\\)');
    dropped('x4', 'the function if\\(\\)');
    dropped('x5', '\\[later\\] comes later');
    dropped('x6', '\\[nowhere\\] is not a field of this file');
    dropped('x7', 'the checkbox \\[chk\\] is compared without naming an option');
    // Every kept condition parses and reads earlier answers only: validateDefinition says so.
    expect(items(r).filter((i) => i.showIf).length).toBe(6);
  });

  it('translates calculations: arithmetic, round/abs/min/max, sum as +', () => {
    const r = importRedcap(
      dictionary([
        { name: 'a', type: 'text', validation: 'integer' },
        { name: 'b', type: 'text', validation: 'number' },
        { name: 'c1', type: 'calc', choices: 'round(([a] + [b]) / 2, 0) + abs(-[b]) - max([a], 3)' },
        { name: 'c2', type: 'calc', choices: 'sum([a], [b], [c1])' },
        { name: 'c3', type: 'calc', choices: 'mean([a], [b])' },
        { name: 'c4', type: 'calc', choices: 'round([a] / 3, 2)' },
        { name: 'c5', type: 'calc', choices: '[c6] + 1' },
        { name: 'c6', type: 'calc', choices: '' },
      ]),
      { id: 'x' },
    );
    expect(errorsOf(r.definition)).toEqual([]);
    expect(itemById(r, 'c1')).toMatchObject({ type: 'calc', expression: 'round((a + b) / 2) + abs(-b) - max(a, 3)' });
    expect(itemById(r, 'c2')).toMatchObject({ type: 'calc', expression: 'a + b + c1' });
    expect(notesAt(r, 'c2')).toEqual([{ severity: 'changed', where: 'c2', message: expect.stringContaining("REDCap's sum skips blanks") }]);
    expect(notesAt(r, 'c3')[0]).toMatchObject({ severity: 'unsupported', message: expect.stringContaining('"mean([a], [b])"') });
    expect(notesAt(r, 'c4')[0].message).toContain('the function round()');
    expect(notesAt(r, 'c5')[0].message).toContain('[c6] comes later');
    expect(r.counts).toEqual({ sections: 1, items: 4, skipped: 4 });
    expect(calcValues(r.definition, { a: 4, b: 2 })).toEqual({ c1: 3 + 2 - 4, c2: 4 + 2 + 1 });
  });

  it('keeps ids unique and valid, reports once per ignored column, and reads Latin-1', () => {
    const csv = dictionary([
      { name: 'Q1', type: 'yesno', annotation: '@HIDDEN' },
      { name: 'q1', type: 'yesno', annotation: '@READONLY' },
      { name: '2nd', type: 'yesno', branching: "[Q1] = '1'" },
      { name: 'and', type: 'yesno' },
      { name: 'café', type: 'text', label: 'Café' },
    ]);
    const r = importRedcap(Buffer.from(csv, 'latin1'), { id: 'x' });
    expect(errorsOf(r.definition)).toEqual([]);
    expect(items(r).map((i) => i.id)).toEqual(['q1', 'q1_2', 'f_2nd', 'and_', 'cafe']);
    expect(itemById(r, 'f_2nd').showIf).toBe('q1 == true');
    expect(itemById(r, 'cafe').text).toEqual({ en: 'Café' });
    expect(r.notes.filter((n) => n.where === 'file')).toEqual([{ severity: 'changed', where: 'file', message: expect.stringContaining('Windows-1252') }]);
    expect(r.notes.filter((n) => n.where === 'Field Annotation')).toEqual([{ severity: 'info', where: 'Field Annotation', message: expect.stringContaining('2 field(s) had one: Q1, q1') }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Export and round trip

const en = (t: LocalizedText | undefined) => t?.en ?? t?.fr ?? t?.es;

describe('exportRedcap', () => {
  const def: InstrumentDefinition = {
    schemaVersion: 1,
    id: 'demo-form',
    version: 1,
    kind: 'self_assessment',
    audience: 'team',
    title: { en: 'Demo' },
    defaultLanguage: 'en',
    languages: ['en', 'fr'],
    labelSets: { freq4: { points: 4, labels: [{ en: 'Never', fr: 'Jamais' }, { en: 'Sometimes' }, { en: 'Often' }, { en: 'Always' }] } },
    sections: [
      {
        id: 'one',
        title: { en: 'Part one', fr: 'Partie un' },
        description: { en: 'About you.' },
        items: [
          { id: 'consent', type: 'yes_no', text: { en: 'Do you agree, "really"?', fr: 'Êtes-vous d\'accord ?' }, required: true },
          { id: 'name', type: 'text', text: { en: 'Name & role <optional>' }, help: { en: 'Line one\nLine two' } },
          { id: 'services', type: 'multiple_choice', text: { en: 'Services' }, choices: [{ value: 'a', label: { en: 'A, or | B' } }, { value: 'b', label: { en: 'B' } }, { value: 'c', label: { en: 'C' } }] },
          { id: 'grade', type: 'single_choice', display: 'dropdown', text: { en: 'Grade' }, choices: [{ value: 'g6', label: { en: 'Six' } }, { value: 'g7', label: { en: 'Seven' } }] },
          { id: 'often', type: 'matrix', text: { en: 'How often…' }, labelSet: 'freq4', rows: [{ id: 'calm', text: { en: 'Calm' } }, { id: 'tired', text: { en: 'Tired' } }], showIf: 'consent == true' },
          { id: 'feel', type: 'likert', text: { en: 'I feel fine' }, labelSet: 'freq4', showIf: 'often.calm >= 3 and grade != "g6"' },
          { id: 'level', type: 'rating', text: { en: 'Level' }, min: 1, max: 5, minLabel: { en: 'Low' }, maxLabel: { en: 'High' } },
          { id: 'slide', type: 'rating', text: { en: 'Slide' }, min: 0, max: 100, minLabel: { en: 'None' }, maxLabel: { en: 'All' } },
        ],
      },
      {
        id: 'two',
        title: { en: 'Part two' },
        showIf: 'not (services contains "c")',
        items: [
          { id: 'hours', type: 'number', text: { en: 'Hours' }, min: 0, max: 40, integer: true, showIf: 'grade in ["g6", "g7"] or not answered(services)' },
          { id: 'fte', type: 'number', text: { en: 'FTE' }, min: 0, max: 1.5 },
          { id: 'mail', type: 'text', format: 'email', text: { en: 'Email' }, showIf: 'not (hours < 10) and count(services) >= 2' },
          { id: 'notes', type: 'text', multiline: true, text: { en: 'Notes' }, showIf: 'not (feel == 4) or not answered(fte)' },
          { id: 'when', type: 'date', text: { en: 'When' }, min: '2024-01-01', max: '2025-12-31', showIf: 'name != "x"' },
          { id: 'info', type: 'note', text: { en: 'Thanks.' }, showIf: 'consent' },
          { id: 'total', type: 'calc', text: { en: 'Total' }, expression: 'round((hours + fte) / 2) + max(often.calm, often.tired) - abs(-count(services))' },
          { id: 'odd', type: 'yes_no', text: { en: 'Odd' }, showIf: 'name contains "x"' },
        ],
      },
    ],
    scales: [],
  };

  it('writes REDCap\'s header, one row per answer slot, and CSV quoting', () => {
    expect(errorsOf(def)).toEqual([]);
    const csv = exportRedcap(def);
    const lines = csv.split('\n');
    expect(lines[0]).toBe(HEADER);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.every((r) => Object.keys(r).length === 18)).toBe(true);
    // REDCap takes a project's first field as its record id: the first row is one, the rest empty.
    expect(lines[1]).toBe('record_id,demo_form,,text,Record ID,,,,,,,,,,,,,');
    expect(rows[0]).toEqual({ ...Object.fromEntries(Object.keys(rows[0]).map((k) => [k, ''])), 'Variable / Field Name': 'record_id', 'Form Name': 'demo_form', 'Field Type': 'text', 'Field Label': 'Record ID' });
    expect(rows.filter((r) => r['Variable / Field Name'] === 'record_id')).toHaveLength(1);
    expect(rows.map((r) => r['Variable / Field Name'])).toEqual(['record_id', 'consent', 'name', 'services', 'grade', 'often_calm', 'often_tired', 'feel', 'level', 'slide', 'hours', 'fte', 'mail', 'notes', 'when', 'info', 'total', 'odd']);
    expect(new Set(rows.map((r) => r['Form Name']))).toEqual(new Set(['demo_form']));
    expect(rows.map((r) => r['Section Header'])).toEqual(['', 'Part one\n\nAbout you.', '', '', '', '', '', '', '', '', 'Part two', '', '', '', '', '', '', '']);
    const row = (name: string) => rows.find((r) => r['Variable / Field Name'] === name)!;
    // A quote doubled, a comma quoted, HTML-significant characters escaped (REDCap shows labels as HTML).
    expect(lines.slice(2, 5).join('\n')).toBe('consent,demo_form,"Part one\n\nAbout you.",yesno,"Do you agree, ""really""?",,,,,,,,y,,,,,');
    expect(row('consent')['Field Label']).toBe('Do you agree, "really"?');
    expect(row('name')).toMatchObject({ 'Field Type': 'text', 'Field Label': 'Name &amp; role &lt;optional&gt;', 'Field Note': 'Line one\nLine two' });
    expect(row('services')).toMatchObject({ 'Field Type': 'checkbox', 'Choices, Calculations, OR Slider Labels': 'a, A, or / B | b, B | c, C' });
    expect(row('grade')).toMatchObject({ 'Field Type': 'dropdown', 'Choices, Calculations, OR Slider Labels': 'g6, Six | g7, Seven' });
    expect(row('often_calm')).toMatchObject({ 'Field Type': 'radio', 'Matrix Group Name': 'often', 'Choices, Calculations, OR Slider Labels': '1, Never | 2, Sometimes | 3, Often | 4, Always', 'Branching Logic (Show field only if...)': "[consent] = '1'" });
    expect(row('often_tired')['Matrix Group Name']).toBe('often');
    expect(row('feel')).toMatchObject({ 'Field Type': 'radio', 'Branching Logic (Show field only if...)': "[often_calm] >= 3 and [grade] <> '' and [grade] <> 'g6'" });
    expect(row('level')['Choices, Calculations, OR Slider Labels']).toBe('1, 1 - Low | 2, 2 | 3, 3 | 4, 4 | 5, 5 - High');
    expect(row('slide')).toMatchObject({ 'Field Type': 'slider', 'Choices, Calculations, OR Slider Labels': 'None |  | All', 'Text Validation Min': '0', 'Text Validation Max': '100' });
    // A section's condition joins each of its fields' (REDCap sections have none).
    expect(row('hours')).toMatchObject({
      'Text Validation Type OR Show Slider Number': 'integer',
      'Text Validation Min': '0',
      'Text Validation Max': '40',
      'Branching Logic (Show field only if...)': "[services(c)] = '0' and ([grade] = 'g6' or [grade] = 'g7' or ([services(a)] = '0' and [services(b)] = '0' and [services(c)] = '0'))",
    });
    expect(row('fte')).toMatchObject({ 'Text Validation Type OR Show Slider Number': 'number', 'Text Validation Max': '1.5' });
    expect(row('mail')).toMatchObject({ 'Text Validation Type OR Show Slider Number': 'email', 'Branching Logic (Show field only if...)': "[services(c)] = '0' and ([hours] = '' or [hours] >= 10) and sum([services(a)], [services(b)], [services(c)]) >= 2" });
    expect(row('notes')).toMatchObject({ 'Field Type': 'notes', 'Branching Logic (Show field only if...)': "[services(c)] = '0' and ([feel] <> '4' or [fte] = '')" });
    expect(row('when')).toMatchObject({ 'Text Validation Type OR Show Slider Number': 'date_ymd', 'Text Validation Min': '2024-01-01', 'Text Validation Max': '2025-12-31' });
    expect(row('info')).toMatchObject({ 'Field Type': 'descriptive', 'Branching Logic (Show field only if...)': "[services(c)] = '0' and [consent] = '1'" });
    expect(row('total')).toMatchObject({ 'Field Type': 'calc', 'Choices, Calculations, OR Slider Labels': 'round(([hours] + [fte]) / 2, 0) + max([often_calm], [often_tired]) - abs(-sum([services(a)], [services(b)], [services(c)]))' });
    // "contains" on a text has no REDCap form: the condition is kept in the annotation for a person to redo.
    // The section's part is kept; the field is then shown more often, never less.
    expect(row('odd')).toMatchObject({ 'Branching Logic (Show field only if...)': "[services(c)] = '0'", 'Field Annotation': 'Schoolwell show-if, not expressible as REDCap branching logic: name contains "x"' });
  });

  it('adds no record_id row when the instrument has an item called record_id', () => {
    const withId = (first: boolean): InstrumentDefinition => {
      const own: Item = { id: 'record_id', type: 'number', text: { en: 'Pupil number' }, integer: true };
      const q: Item = { id: 'q', type: 'yes_no', text: { en: 'Q' } };
      return { ...def, languages: ['en'], labelSets: {}, sections: [{ id: 's', title: { en: 'S' }, items: first ? [own, q] : [q, own] }] };
    };
    for (const first of [true, false]) {
      const d = withId(first);
      expect(errorsOf(d)).toEqual([]);
      const rows = parse(exportRedcap(d), { columns: true }) as Record<string, string>[];
      // One row per item, the instrument's own record_id among them, and no other.
      expect(rows.map((r) => r['Variable / Field Name'])).toEqual(first ? ['record_id', 'q'] : ['q', 'record_id']);
      expect(rows.find((r) => r['Variable / Field Name'] === 'record_id')).toMatchObject({ 'Field Type': 'text', 'Text Validation Type OR Show Slider Number': 'integer', 'Field Label': 'Pupil number' });
      expect(exportRedcap(d).split('\n').filter((l) => l.startsWith('record_id,'))).toHaveLength(1);
    }
  });

  it('writes another language where there is one, the default language where not', () => {
    const rows = parse(exportRedcap(def, 'fr'), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ 'Variable / Field Name': 'record_id', 'Field Label': 'Record ID', 'Section Header': '' });
    expect(rows[1]).toMatchObject({ 'Section Header': 'Partie un\n\nAbout you.', 'Field Label': "Êtes-vous d'accord ?" });
    expect(rows[5]['Choices, Calculations, OR Slider Labels']).toBe('1, Jamais | 2, Sometimes | 3, Often | 4, Always');
  });

  it('guards comparisons of two answers against blanks, which REDCap finds equal', () => {
    const two: InstrumentDefinition = {
      ...def,
      labelSets: {},
      sections: [
        {
          id: 's',
          title: { en: 'S' },
          items: [
            { id: 'x', type: 'number', text: { en: 'X' } },
            { id: 'y', type: 'number', text: { en: 'Y' } },
            { id: 'same', type: 'yes_no', text: { en: 'Same' }, showIf: 'x == y' },
            { id: 'differ', type: 'yes_no', text: { en: 'Differ' }, showIf: 'not (x == y)' },
            { id: 'ne', type: 'yes_no', text: { en: 'Ne' }, showIf: 'x != y' },
          ],
        },
      ],
    };
    expect(errorsOf(two)).toEqual([]);
    const rows = parse(exportRedcap(two), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['Variable / Field Name'])).toEqual(['record_id', 'x', 'y', 'same', 'differ', 'ne']);
    expect(rows.map((r) => r['Branching Logic (Show field only if...)'])).toEqual(['', '', '', "[x] <> '' and [x] = [y]", "[x] = '' or [x] <> [y]", "[x] <> '' and [y] <> '' and [x] <> [y]"]);
    const back = importRedcap(exportRedcap(two), { id: 'two' });
    expect(errorsOf(back.definition)).toEqual([]);
    // The record_id row goes in and comes back out, with its one note.
    expect(back.notes).toEqual([RECORD_ID_NOTE]);
    expect(allSlots(back.definition).map((s) => s.id)).toEqual(['x', 'y', 'same', 'differ', 'ne']);
    for (const answers of [{}, { x: 1 }, { y: 1 }, { x: 1, y: 1 }, { x: 1, y: 2 }] as Answers[]) {
      expect([...visibleItems(back.definition, answers)]).toEqual([...visibleItems(two, answers)]);
    }
  });

  it('round trips what REDCap can hold: slots, codes, labels, conditions, calculations', () => {
    const back = importRedcap(exportRedcap(def), { id: def.id, title: 'Demo' });
    expect(errorsOf(back.definition)).toEqual([]);
    expect(back.counts).toEqual({ sections: 2, items: 16, skipped: 0 });
    // Only the unexpressible condition is lost (odd is then always shown); the record_id row the
    // export added is left out again, with its one note.
    expect(back.notes).toEqual([RECORD_ID_NOTE, expect.objectContaining({ severity: 'changed', where: 'slide' }), expect.objectContaining({ severity: 'info', where: 'Field Annotation' })]);
    expect(items(back).some((i) => i.id === 'record_id')).toBe(false);
    expect(allSlots(back.definition).map((s) => s.id)).toEqual(allSlots(def).map((s) => s.id));
    expect(itemById(back, 'often')).toEqual({ id: 'often', type: 'matrix', text: { en: 'Often' }, labelSet: 'often', rows: [{ id: 'calm', text: { en: 'Calm' } }, { id: 'tired', text: { en: 'Tired' } }], showIf: 'consent == true' });
    expect(back.definition.labelSets.often).toEqual({ points: 4, labels: [{ en: 'Never' }, { en: 'Sometimes' }, { en: 'Often' }, { en: 'Always' }] });
    expect(itemById(back, 'slide')).toMatchObject({ type: 'rating', min: 0, max: 100, minLabel: { en: 'None' }, maxLabel: { en: 'All' } });
    expect(itemById(back, 'name')).toMatchObject({ text: { en: 'Name & role <optional>' }, help: { en: 'Line one\nLine two' } });
    expect(itemById(back, 'services')).toMatchObject({ choices: [{ value: 'a', label: { en: 'A, or / B' } }, { value: 'b' }, { value: 'c' }] });
    expect(itemById(back, 'total')).toMatchObject({ type: 'calc', expression: 'round((hours + fte) / 2) + max(often.calm, often.tired) - abs(-count(services))' });
    expect(itemById(back, 'feel').showIf).toBe('often.calm >= 3 and answered(grade) and not (grade == "g6")');

    const odd = (d: InstrumentDefinition) => d.sections[1].items.find((i) => i.id === 'odd')!;
    const withoutOdd: InstrumentDefinition = { ...def, sections: [def.sections[0], { ...def.sections[1], items: def.sections[1].items.map((i) => (i === odd(def) ? { ...i, showIf: undefined } : i)) }] };
    for (const answers of answerSets(def)) {
      const converted = forImported(def, answers);
      expect([...visibleItems(back.definition, converted)]).toEqual([...visibleItems(withoutOdd, answers)]);
      expect(calcValues(back.definition, converted)).toEqual(calcValues(def, answers));
    }
  });
});

/*
 * What a REDCap data dictionary cannot hold, so the round trip below does not expect it back:
 * - translations (one language per export; fr/es are not compared), the instrument's title and
 *   description (the form name is the instrument id), section ids and descriptions (a section
 *   header is one text: title and description come back joined as the title);
 * - scales, tags, bands, units, maxLength, minSelect/maxSelect, demographic kinds, the url format;
 * - answers that are not choices: NA, DK and PNS;
 * - likert vs choice: a likert item comes back as a single choice coded 1..n with the label set's
 *   labels, a rating of up to 11 points as a single choice coded min..max ("1 - Emerging" … "6 -
 *   Mastery"), wider ratings as a slider (a rating again); a matrix comes back as a matrix but its
 *   own text is not held (REDCap's matrix header is a section header);
 * - show-if text: conditions come back meaning the same (checked by evaluating visibleItems on
 *   answer sets), not always written the same (`x in [a, b]` → `x == "a" or x == "b"`).
 */
describe('round trip of every shipped instrument through REDCap', () => {
  const folders = readdirSync(path.join(contentDir, 'instruments'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

  it('finds the shipped instruments', () => {
    expect(folders.length).toBeGreaterThanOrEqual(8);
  });

  for (const folder of folders) {
    it(folder, () => {
      const { definition: def, issues } = validateDefinition(JSON.parse(readFileSync(path.join(contentDir, 'instruments', folder, 'v1.json'), 'utf8')));
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      const original = def!;
      const back = importRedcap(exportRedcap(original), { id: original.id, kind: original.kind, audience: original.audience, title: en(original.title) });
      expect(errorsOf(back.definition)).toEqual([]);
      // The only note: the record_id row the export added (no shipped instrument has a record_id item).
      expect(allItems(original).some(({ item }) => item.id === 'record_id')).toBe(false);
      expect(back.notes).toEqual([RECORD_ID_NOTE]);
      expect(back.counts).toEqual({ sections: original.sections.length, items: allItems(original).length, skipped: 0 });
      expect(back.definition).toMatchObject({ id: original.id, kind: original.kind, audience: original.audience, title: { en: en(original.title) }, languages: ['en'] });

      // Sections: same number, in order, titled with title + description.
      expect(back.definition.sections.map((s) => s.title.en)).toEqual(original.sections.map((s) => [en(s.title), en(s.description)].filter(Boolean).join('\n\n')));
      // Item ids per section, answer slot ids, and each item as far as REDCap holds it.
      expect(back.definition.sections.map((s) => s.items.map((i) => i.id))).toEqual(original.sections.map((s) => s.items.map((i) => i.id)));
      expect(allSlots(back.definition).map((s) => s.id)).toEqual(allSlots(original).map((s) => s.id));
      const got = allItems(back.definition).map(({ item }) => ({ ...item, showIf: undefined }));
      expect(got).toEqual(allItems(original).map(({ item }) => heldByRedcap(original, item)));

      // Show-if semantics: the same items are shown for the same answers.
      const sets = answerSets(original);
      const shownSets = new Set<string>();
      for (const answers of sets) {
        const shown = [...visibleItems(original, answers)];
        shownSets.add(shown.join());
        expect([...visibleItems(back.definition, forImported(original, answers))]).toEqual(shown);
      }
      // The answer sets do reach both sides of the conditions there are.
      const conditional = allItems(original).filter(({ item }) => item.showIf).length;
      if (conditional) expect(shownSets.size).toBeGreaterThan(1);
    });
  }
});

/** An item as it comes back from REDCap (English only; see the list above). */
function heldByRedcap(def: InstrumentDefinition, item: Item): Record<string, unknown> {
  const base: Record<string, unknown> = { id: item.id, text: { en: en(item.text) }, showIf: undefined };
  if (item.help) base.help = { en: en(item.help) };
  if (item.required && item.type !== 'note' && item.type !== 'calc') base.required = true;
  const labels = (s: string) => def.labelSets[s].labels.map((l, k) => ({ value: String(k + 1), label: { en: en(l) } }));
  switch (item.type) {
    case 'likert':
      return { ...base, type: 'single_choice', choices: labels(item.labelSet) };
    case 'rating': {
      if (item.max - item.min + 1 > 11) return { ...base, type: 'rating', min: item.min, max: item.max, ...(item.minLabel && { minLabel: { en: en(item.minLabel) } }), ...(item.maxLabel && { maxLabel: { en: en(item.maxLabel) } }) };
      const choices = [];
      for (let v = item.min; v <= item.max; v++) {
        const end = v === item.min ? en(item.minLabel) : v === item.max ? en(item.maxLabel) : undefined;
        choices.push({ value: String(v), label: { en: end ? `${v} - ${end}` : String(v) } });
      }
      return { ...base, type: 'single_choice', choices };
    }
    case 'single_choice':
      return { ...base, type: 'single_choice', choices: item.choices.map((c) => ({ value: c.value, label: { en: en(c.label) } })), ...(item.display === 'dropdown' && { display: 'dropdown' }) };
    case 'multiple_choice':
      return { ...base, type: 'multiple_choice', choices: item.choices.map((c) => ({ value: c.value, label: { en: en(c.label) } })) };
    case 'yes_no':
      return { ...base, type: 'yes_no' };
    case 'number':
      return { ...base, type: 'number', ...(item.integer && { integer: true }), ...(item.min !== undefined && { min: item.min }), ...(item.max !== undefined && { max: item.max }) };
    case 'text':
      return { ...base, type: 'text', ...(item.multiline && { multiline: true }), ...((item.format === 'email' || item.format === 'phone') && { format: item.format }) };
    case 'date':
      return { ...base, type: 'date', ...(item.min && { min: item.min }), ...(item.max && { max: item.max }) };
    case 'note':
      return { ...base, type: 'note' };
    case 'calc':
      return { ...base, type: 'calc', expression: expect.any(String) };
    case 'matrix':
      return { ...base, type: 'matrix', text: expect.any(Object), labelSet: expect.any(String), rows: item.rows.map((r) => ({ id: r.id, text: { en: en(r.text) } })) };
  }
}

/**
 * Answer sets that reach both sides of typical conditions: none; every slot at its low end (first
 * choice, one box ticked, no, the minimum); at its high end (last choice, every box, yes, the
 * maximum); and a mix by position.
 */
function answerSets(def: InstrumentDefinition): Answers[] {
  const sets: Answers[] = [{}, {}, {}, {}, {}];
  allSlots(def).forEach((slot, k) => {
    const item = slot.item;
    const values = (): [Answers[string], Answers[string]] | null => {
      switch (item.type) {
        case 'likert':
        case 'matrix': {
          const points = def.labelSets[item.labelSet].points;
          return [1, points];
        }
        case 'rating':
          return [item.min, item.max];
        case 'single_choice':
          return [item.choices[0].value, item.choices[item.choices.length - 1].value];
        case 'multiple_choice':
          return [[item.choices[0].value], item.choices.map((c) => c.value)];
        case 'yes_no':
          return [false, true];
        case 'number':
          return [item.min ?? 0, item.max ?? 12];
        case 'text':
          return ['a', 'x'];
        case 'date':
          return ['2024-01-01', '2025-06-30'];
        default:
          return null;
      }
    };
    const v = values();
    if (!v) return;
    sets[1][slot.id] = v[0];
    sets[2][slot.id] = v[1];
    sets[3][slot.id] = v[k % 2];
    if (k % 3 !== 0) sets[4][slot.id] = v[(k + 1) % 2];
  });
  return sets;
}

/** The same answers for the imported instrument: likert and rating points are choice codes there. */
function forImported(def: InstrumentDefinition, answers: Answers): Answers {
  const out: Answers = {};
  for (const slot of allSlots(def)) {
    if (!(slot.id in answers)) continue;
    const v = answers[slot.id];
    const asChoice = slot.item.type === 'likert' || (slot.item.type === 'rating' && slot.item.max - slot.item.min + 1 <= 11);
    out[slot.id] = asChoice ? String(v) : v;
  }
  return out;
}
