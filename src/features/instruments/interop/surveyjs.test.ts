import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Answers, calcValues, visibleItems } from '../model/answers.js';
import type { InstrumentDefinition, Item, LabelSet } from '../model/instrument.schema.js';
import { allItems, allSlots } from '../model/item-types.js';
import type { LocalizedText } from '../model/text.js';
import { validateDefinition } from '../model/validate.js';
import { InteropFormatError } from './interop.types.js';
import { exportSurveyJs, importSurveyJs, parseSurveyJsExpression } from './surveyjs.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const aiaPath = '/work/shared/extdata/survey_definitions/surveyjs_canada_aia_survey-enfr.json';
const instrumentsDir = join(import.meta.dirname, '../../../../content/instruments');

const errorsOf = (def: unknown) => validateDefinition(def).issues.filter((i) => i.severity === 'error');
const itemsOf = (def: InstrumentDefinition) => allItems(def).map(({ item }) => item);
const itemOf = (def: InstrumentDefinition, id: string) => {
  const item = itemsOf(def).find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
};

// =============================================================================================
describe('importSurveyJs: the Canada Algorithmic Impact Assessment (bilingual, 18 pages)', () => {
  const raw = JSON.parse(readFileSync(aiaPath, 'utf8')) as Raw;
  const result = importSurveyJs(readFileSync(aiaPath), { id: 'aia', title: 'Algorithmic Impact Assessment' });
  const def = result.definition;
  /** Every element of the file in order, panels included, with their page. */
  const elements: Raw[] = [];
  const walk = (els: Raw[]) =>
    els.forEach((e) => {
      elements.push(e);
      if (e.elements) walk(e.elements);
    });
  raw.pages.forEach((p: Raw) => walk(p.elements));

  it('is a valid survey definition in English and French', () => {
    expect(errorsOf(def)).toEqual([]);
    expect(result.format).toBe('surveyjs');
    expect(def).toMatchObject({ schemaVersion: 1, id: 'aia', version: 1, kind: 'survey', audience: 'staff', defaultLanguage: 'en', languages: ['en', 'fr'], scales: [], labelSets: {}, source: { format: 'surveyjs' } });
    // The survey has no title of its own.
    expect(def.title).toEqual({ en: 'Algorithmic Impact Assessment' });
  });

  it('has the counts of the file', () => {
    // Established with a one-off script, not with the importer:
    //   node -e 'const s=require("/work/shared/extdata/survey_definitions/surveyjs_canada_aia_survey-enfr.json");
    //     const n={}, titled=[]; const walk=els=>els.forEach(e=>{n[e.type]=(n[e.type]||0)+1;
    //     if(e.type==="panel"&&e.title) titled.push(e.name); if(e.elements) walk(e.elements)});
    //     s.pages.forEach(p=>walk(p.elements)); console.log(s.pages.length, n, titled.length)'
    //   → 18 { html: 4, panel: 17, text: 13, dropdown: 16, radiogroup: 130, comment: 120, checkbox: 16 } 6
    // 316 elements: 17 panels (flattened) and 299 others, all of supported types (none has
    // hasOther/showOtherItem, inputType, rateValues or columns). Items: the 299 plus one note for
    // each of the 6 panels with a title = 305. Nothing skipped.
    expect(raw.pages).toHaveLength(18);
    expect(elements).toHaveLength(316);
    expect(result.counts).toEqual({ sections: 18, items: 305, skipped: 0 });
    const byType: Record<string, number> = {};
    for (const item of itemsOf(def)) byType[item.type] = (byType[item.type] ?? 0) + 1;
    // text 13 + comment 120; radiogroup 130 + dropdown 16; checkbox 16; html 4 + titled panels 6.
    expect(byType).toEqual({ text: 133, single_choice: 146, multiple_choice: 16, note: 10 });
    expect(itemsOf(def).filter((i) => i.type === 'text' && i.multiline)).toHaveLength(120);
    expect(itemsOf(def).filter((i) => i.type === 'single_choice' && i.display === 'dropdown')).toHaveLength(16);
    // 116 elements and 8 pages have visibleIf (node: elements.filter(e=>e.visibleIf).length); all translate.
    expect(elements.filter((e) => e.visibleIf)).toHaveLength(116);
    expect(itemsOf(def).filter((i) => i.showIf)).toHaveLength(116);
    expect(def.sections.filter((s) => s.showIf)).toHaveLength(8);
  });

  it('keeps both languages of every text, element by element', () => {
    // Items follow the file's elements in order: panels without a title leave no item.
    const sources = elements.filter((e) => e.type !== 'panel' || e.title);
    const items = itemsOf(def);
    expect(items).toHaveLength(sources.length);
    let checked = 0;
    sources.forEach((src, i) => {
      const item = items[i];
      const text = src.type === 'html' ? src.html : src.title;
      expect(Object.keys(item.text).sort()).toEqual(Object.keys(text).map((k) => (k === 'default' ? 'en' : k)).sort());
      if (src.type !== 'html') {
        expect(item.text).toEqual({ en: text.default.trim(), fr: text.fr.trim() });
        checked++;
      }
      for (const c of src.choices ?? []) {
        const choice = (item as Extract<Item, { type: 'single_choice' }>).choices.find((x) => x.value === c.value);
        expect(choice?.label).toEqual({ en: c.text.default.trim(), fr: c.text.fr.trim() });
      }
    });
    // 301 titles in the file (295 questions, 6 panels), every one in English and French.
    expect(checked).toBe(301);
  });

  it('reads specific questions in both languages', () => {
    expect(itemOf(def, 'project_details_phase')).toEqual({
      id: 'project_details_phase',
      type: 'single_choice',
      text: { en: 'Project Phase', fr: 'Phase du projet' },
      choices: [
        { value: 'item1', label: { en: 'Design', fr: 'Conception' } },
        { value: 'item2', label: { en: 'Implementation', fr: 'Mise en oeuvre' } },
      ],
    });
    expect(itemOf(def, 'impact6')).toMatchObject({
      type: 'single_choice',
      display: 'dropdown',
      text: { en: 'Are the impacts resulting from the decision reversible?', fr: 'Les incidences de la décision sont-elles réversibles?' },
      choices: expect.arrayContaining([{ value: 'item2-2', label: { en: 'Likely reversible', fr: 'Probablement réversible' } }]),
    });
    expect(itemOf(def, 'project_details_respondent')).toEqual({
      id: 'project_details_respondent',
      type: 'text',
      text: { en: 'Name of Respondent', fr: 'Nom de la personne sondée' },
      help: { en: 'The name of the respondent is the name of the person that answers the questions.', fr: 'Le nom de la personne répondant aux questions.' },
    });
    expect(itemOf(def, 'about_algorithm3')).toMatchObject({ type: 'multiple_choice', text: { en: 'Is the algorithm (Check all that apply):', fr: "L'algorithme est (cochez toutes les réponses qui s'appliquent) :" } });
    // Trailing spaces of the file are trimmed.
    expect(itemOf(def, 'about_algorithm5').text).toEqual({ en: 'Is the model:', fr: 'Le modèle est :' });
    // HTML elements become notes in plain text, links kept as "text (url)".
    const welcome = itemOf(def, 'welcome1');
    expect(welcome.type).toBe('note');
    expect(welcome.text.en).toMatch(/^Algorithmic Impact Assessment v1\.0\.1\n\n1\. What is the Algorithmic Impact Assessment \(AIA\) Tool\?\n\n/);
    expect(welcome.text.en).toContain('Directive on Automated Decision-Making (https://www.tbs-sct.gc.ca/pol/doc-eng.aspx?id=32592)');
    expect(welcome.text.fr).toMatch(/^Évaluation de l'incidence algorithmique v1\.0\.1\n\n/);
    expect(welcome.text.en).not.toMatch(/<|&amp;/);
    expect(itemOf(def, 'about_algorithm_intro').text).toEqual({ en: 'Will your algorithm have any of the following characteristics:', fr: "Votre algorithme aura-t-il l'une des caractéristiques suivantes :" });
    // The file's own "help" property (not SurveyJS's) becomes help, in both languages, without HTML.
    expect(itemOf(def, 'about_algorithm2').help?.en).toMatch(/black box problem\. The goal/);
    expect(itemOf(def, 'about_algorithm2').help?.fr).toMatch(/problème de boîte noire/);
    // Panels with a title: a note before their questions.
    const fairness = def.sections.find((s) => s.id === 'fairness_design')!;
    expect(fairness.items[0]).toEqual({ id: 'fairness_design_panel_ms', type: 'note', text: { en: 'Procedural Fairness', fr: 'Équité procédurale' } });
    // Pages become sections, titled by title or name.
    expect(def.sections.map((s) => s.id).slice(0, 4)).toEqual(['welcome', 'project_details', 'business_drivers', 'risk_profile']);
    expect(def.sections[0].title).toEqual({ en: 'welcome' });
    expect(def.sections[1].title).toEqual({ en: 'Project Details', fr: 'Détails du projet' });
    expect(def.sections.find((s) => s.id === 'consultation_design')!.title).toEqual({ en: 'Consultations' });
  });

  it('translates visibleIf', () => {
    const cases: [string, string, string][] = [
      // [element, SurveyJS, expression language]
      ['motivation_other', '{businessDrivers1} contains "item6"', 'business_drivers1 contains "item6"'],
      ['business_drivers10', '{businessDrivers9} contains "item1-0"', 'business_drivers9 == "item1-0"'],
      ['risk_profile4_b', '{riskProfile4} = "item2-0" or {riskProfile4} = "item3-4"', 'risk_profile4 == "item2-0" or risk_profile4 == "item3-4"'],
      // `contains` on a one-answer question is text containment in SurveyJS: "item2" is in "item2-0".
      ['about_system3_a', '{aboutSystem3} contains ["item2"]', 'about_system3 == "item2-0"'],
      ['about_system2', '{aboutSystem1} contains ["item6"]', 'about_system1 contains "item6"'],
      ['about_system5_c', '({aboutSystem5} = "item1-0" or {aboutSystem5} = "item3-2") and {aboutSystem5B} = "item1-0"', '(about_system5 == "item1-0" or about_system5 == "item3-2") and about_system5_b == "item1-0"'],
      ['risk_profile9', '{projectDetailsPhase} = "item1"', 'project_details_phase == "item1"'],
      ['about_data_source14_a', '{aboutDataSource1} = "item1-2" and {aboutDataSource14} contains "item6-1"', 'about_data_source1 == "item1-2" and about_data_source14 contains "item6-1"'],
    ];
    for (const [id, source, expected] of cases) {
      expect(elements.some((e) => e.visibleIf === source)).toBe(true);
      expect(itemOf(def, id).showIf).toBe(expected);
    }
    // Page visibleIf → section showIf.
    expect(def.sections.find((s) => s.id === 'privacy_implementation')!.showIf).toBe('project_details_phase == "item2"');
    // And they work: the design pages for the design phase only.
    const shown = visibleItems(def, { project_details_phase: 'item1', about_system3: 'item3-1' });
    expect(shown.has('privacy_design5') || shown.has('privacy_design1')).toBe(true);
    expect(shown.has('privacy_implementation1')).toBe(false);
    expect(shown.has('about_system3_b')).toBe(true);
    expect(shown.has('about_system3_a')).toBe(false);
  });

  it('reports what changed, and keeps the values that carry the AIA scores', () => {
    const summary = result.notes.map((n) => `${n.severity} ${n.where}: ${n.message}`);
    expect(result.notes.filter((n) => n.severity === 'unsupported')).toEqual([]);
    expect(summary).toContain('changed survey: Required (isRequired) dropped on 1 question, as every survey question must be skippable: projectDetails/projectDetailsPanel-NS/projectDetailsPhase.');
    expect(result.notes.filter((n) => n.message.startsWith('Panel: its title became a note'))).toHaveLength(6);
    expect(result.notes.filter((n) => n.message.startsWith('Panel without a title'))).toHaveLength(11);
    expect(summary).toContain('changed consultationImplementation/consultationImplementationPanel-MS/consultation-intro: The name "consultation-intro" is used by an earlier element too; conditions naming it read the first one.');
    expect(summary).toContain('changed projectDetails/projectDetailsPanel-NS/projectDetailsDepartment-NS: The choices are listed sorted (choicesOrder asc) by their en text; SurveyJS sorts by the respondent\'s language.');
    expect(summary).toContain('info survey: 3 elements have a "help" property (not a standard SurveyJS property); it became the question\'s help.');
    expect(result.notes).toHaveLength(6 + 11 + 1 + 1 + 1 + 1 + 1 + 1); // + required, duplicate, sort, help, html, names
    // No choice has a SurveyJS score / scoreValue, so there is no score note. The AIA tool keeps
    // its scores in the choice values instead ("item1-3": choice 1, 3 points; read by its own
    // code, with panels named -RS / -MS for raw and mitigation scores): the values come through
    // unchanged, so the scores survive as data, but nothing is scored.
    expect(result.notes.some((n) => /\bscores?\b/i.test(n.message))).toBe(false);
    expect((itemOf(def, 'risk_profile1') as Extract<Item, { type: 'single_choice' }>).choices.map((c) => c.value)).toEqual(['item1-3', 'item2-0']);
    const department = itemOf(def, 'project_details_department_ns') as Extract<Item, { type: 'single_choice' }>;
    const labels = department.choices.map((c) => c.label.en!);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
  });
});

// =============================================================================================
describe('importSurveyJs: element types, names and conditions', () => {
  const fixture = {
    title: { default: 'Fixture', fr: 'Essai', de: 'Probe' },
    triggers: [{ type: 'complete', expression: '{Age} < 5' }],
    pages: [
      {
        name: 'Page One',
        title: 'First',
        elements: [
          { type: 'radiogroup', name: 'Q 1', title: { default: 'Colour?', fr: 'Couleur?', es: '¿Color?' }, choices: [{ value: 'red one', text: { default: 'Red', fr: 'Rouge' } }, { value: 'NA', text: 'N/A' }, 'blue'], hasOther: true, isRequired: true },
          { type: 'checkbox', name: 'Pets.Owned', choices: [{ value: 'cat', text: 'Cat', score: 1 }, { value: 'dog', text: 'Dog', score: 2 }], showNoneItem: true },
          { type: 'text', name: 'Age', inputType: 'number', min: 0, max: 120, step: 1 },
          { type: 'text', name: 'email', inputType: 'email', maxLength: 80 },
          { type: 'text', name: 'born', inputType: 'date', min: '1900-01-01' },
          { type: 'text', name: 'when', inputType: 'time' },
          { type: 'comment', name: 'why', maxLength: 300, visibleIf: "{Q 1} = 'red one'" },
          { type: 'boolean', name: 'and', title: 'Agree?' },
          { type: 'dropdown', name: 'grade', choices: [1, 2, 3], visibleIf: '{Age} >= 10 && {and} = true' },
          { type: 'tagbox', name: 'tags', choices: ['a', 'b'], maxSelectedChoices: 2 },
          { type: 'rating', name: 'sat', rateMin: 0, rateMax: 10, minRateDescription: 'Bad', maxRateDescription: { default: 'Good', fr: 'Bon' } },
          { type: 'rating', name: 'agree', rateValues: [{ value: 1, text: 'Disagree' }, { value: 2, text: 'Neutral' }, { value: 3, text: 'Agree' }] },
          { type: 'rating', name: 'odd', rateMin: 1, rateMax: 9, rateStep: 2 },
          { type: 'matrix', name: 'grid', columns: [{ value: 1, text: 'Never' }, { value: 2, text: 'Sometimes' }, { value: 3, text: 'Often' }], rows: [{ value: 'Row A', text: 'A' }, 'b'] },
          { type: 'matrix', name: 'mood', title: 'Mood', columns: ['happy', 'sad'], rows: ['morning', 'evening'] },
        ],
      },
      {
        name: 'page2',
        visibleIf: '{Age} notempty',
        elements: [
          { type: 'html', name: 'intro', html: '<h3>Hello &amp; welcome</h3><p>Line one<br>line two</p>' },
          { type: 'panel', name: 'p1', title: 'About you', visibleIf: "{Pets.Owned} contains 'cat'", elements: [{ type: 'text', name: 'catname', visibleIf: '{Pets.Owned} anyof ["cat", "dog"]' }] },
          { type: 'expression', name: 'total', title: 'Total', expression: '{Age} + {sat}' },
          { type: 'expression', name: 'label', expression: "iif({Age} > 18, 'adult', 'minor')" },
          { type: 'multipletext', name: 'contact', title: 'Contact', items: [{ name: 'phone', inputType: 'tel' }, { name: 'city' }] },
          { type: 'file', name: 'upload' },
          { type: 'signaturepad', name: 'sign' },
          { type: 'paneldynamic', name: 'kids', templateElements: [{ type: 'text', name: 'kid' }] },
          { type: 'matrixdynamic', name: 'md', columns: [{ name: 'c' }] },
          { type: 'matrixdropdown', name: 'mdd', columns: [{ name: 'c' }], rows: ['r'] },
          { type: 'ranking', name: 'rank', choices: ['x', 'y'] },
          { type: 'imagepicker', name: 'pic', choices: [{ value: 'i', imageLink: 'x.png' }] },
          { type: 'text', name: 't1', visibleIf: "{grid.Row A} > 1 and {mood.morning} = 'happy'" },
          { type: 'text', name: 't2', visibleIf: "{Q 1} <> 'blue' || {Q 1} empty" },
          { type: 'text', name: 't3', visibleIf: "{Pets.Owned} notcontains 'dog'" },
          { type: 'text', name: 't4', visibleIf: "{Pets.Owned} allof ['cat', 'dog']" },
          { type: 'text', name: 't5', visibleIf: "{Q 1} anyof ['blue', 'NA']" },
          { type: 'text', name: 't6', visibleIf: 'age({born}) > 18' },
          { type: 'text', name: 't7', visibleIf: '{panel.x} = 1' },
          { type: 'text', name: 't8', visibleIf: '{later} = 1' },
          { type: 'text', name: 't9', visibleIf: '{contact.city} notempty', enableIf: '{Age} > 1', requiredIf: '{Age} > 2' },
          { type: 'text', name: 't10', visibleIf: "{Q 1-Comment} contains 'x' and {Pets.Owned} = ['cat']" },
          { type: 'text', name: 'later' },
        ],
      },
    ],
  };
  const result = importSurveyJs(fixture, { id: 'fixture' });
  const def = result.definition;
  const notes = result.notes.map((n) => `${n.severity} ${n.where}: ${n.message}`);

  it('is valid, with the languages present and counts of what was made', () => {
    expect(errorsOf(def)).toEqual([]);
    expect(def.languages).toEqual(['en', 'fr', 'es']);
    expect(def.title).toEqual({ en: 'Fixture', fr: 'Essai' });
    // Page One: 15 elements + the "other" text + 2 rows of the choice matrix (its title a note) = 18.
    // page2: 23 elements - 7 unsupported - 1 untranslatable expression - 1 panel + its note
    //        + 2 multiple-text boxes = 18.
    expect(result.counts).toEqual({ sections: 2, items: 36, skipped: 8 });
    expect(def.sections.map((s) => s.id)).toEqual(['page_one', 'page2']);
  });

  it('maps element types', () => {
    expect(itemOf(def, 'q_1')).toEqual({
      id: 'q_1',
      type: 'single_choice',
      text: { en: 'Colour?', fr: 'Couleur?', es: '¿Color?' },
      choices: [
        { value: 'red_one', label: { en: 'Red', fr: 'Rouge' } },
        { value: 'na', label: { en: 'N/A' } },
        { value: 'blue', label: { en: 'blue' } },
        { value: 'other', label: { en: 'Other', fr: 'Autre', es: 'Otro' } },
      ],
    });
    expect(itemOf(def, 'q_1_other')).toEqual({ id: 'q_1_other', type: 'text', text: { en: 'Please specify', fr: 'Veuillez préciser', es: 'Especifique' }, showIf: 'q_1 == "other"' });
    expect(itemOf(def, 'pets_owned')).toMatchObject({ type: 'multiple_choice', choices: [{ value: 'cat' }, { value: 'dog' }, { value: 'none', label: { en: 'None' } }] });
    expect(itemOf(def, 'age')).toEqual({ id: 'age', type: 'number', text: { en: 'Age' }, min: 0, max: 120, integer: true });
    expect(itemOf(def, 'email')).toMatchObject({ type: 'text', format: 'email', maxLength: 80 });
    expect(itemOf(def, 'born')).toMatchObject({ type: 'date', min: '1900-01-01' });
    expect(itemOf(def, 'when')).toMatchObject({ type: 'text' });
    expect(itemOf(def, 'why')).toMatchObject({ type: 'text', multiline: true, maxLength: 300, showIf: 'q_1 == "red_one"' });
    // "and" is a word of the expression language.
    expect(itemOf(def, 'and_q')).toEqual({ id: 'and_q', type: 'yes_no', text: { en: 'Agree?' } });
    expect(itemOf(def, 'grade')).toMatchObject({ type: 'single_choice', display: 'dropdown', choices: [{ value: '1' }, { value: '2' }, { value: '3' }], showIf: 'age >= 10 and and_q == true' });
    expect(itemOf(def, 'tags')).toMatchObject({ type: 'multiple_choice', maxSelect: 2 });
    expect(itemOf(def, 'sat')).toMatchObject({ type: 'rating', min: 0, max: 10, minLabel: { en: 'Bad' }, maxLabel: { en: 'Good', fr: 'Bon' } });
    expect(itemOf(def, 'agree')).toMatchObject({ type: 'likert', labelSet: 'scale3' });
    expect(def.labelSets.scale3).toEqual({ points: 3, labels: [{ en: 'Disagree' }, { en: 'Neutral' }, { en: 'Agree' }] });
    expect(itemOf(def, 'odd')).toMatchObject({ type: 'single_choice', choices: ['1', '3', '5', '7', '9'].map((value) => ({ value })) });
    expect(itemOf(def, 'grid')).toMatchObject({ type: 'matrix', labelSet: 'scale3_2', rows: [{ id: 'row_a', text: { en: 'A' } }, { id: 'b', text: { en: 'b' } }] });
    expect(def.labelSets.scale3_2.labels).toEqual([{ en: 'Never' }, { en: 'Sometimes' }, { en: 'Often' }]);
    expect(itemOf(def, 'mood')).toEqual({ id: 'mood', type: 'note', text: { en: 'Mood' } });
    expect(itemOf(def, 'mood_morning')).toMatchObject({ type: 'single_choice', text: { en: 'morning' }, choices: [{ value: 'happy' }, { value: 'sad' }] });
    expect(itemOf(def, 'intro')).toEqual({ id: 'intro', type: 'note', text: { en: 'Hello & welcome\n\nLine one\nline two' } });
    expect(itemOf(def, 'p1')).toEqual({ id: 'p1', type: 'note', text: { en: 'About you' }, showIf: 'pets_owned contains "cat"' });
    expect(itemOf(def, 'total')).toEqual({ id: 'total', type: 'calc', text: { en: 'Total' }, expression: 'age + sat' });
    expect(itemOf(def, 'contact')).toEqual({ id: 'contact', type: 'note', text: { en: 'Contact' } });
    expect(itemOf(def, 'contact_phone')).toMatchObject({ type: 'text', format: 'phone' });
    expect(itemOf(def, 'contact_city')).toMatchObject({ type: 'text' });
    for (const id of ['label', 'upload', 'sign', 'kids', 'md', 'mdd', 'rank', 'pic']) expect(itemsOf(def).some((i) => i.id === id)).toBe(false);
  });

  it('translates conditions, and drops what it cannot say, naming the element and the expression', () => {
    expect(def.sections[1].showIf).toBe('answered(age)');
    const shown: Record<string, string | undefined> = Object.fromEntries(itemsOf(def).map((i) => [i.id, i.showIf]));
    expect(shown.catname).toBe('pets_owned contains "cat" and (pets_owned contains "cat" or pets_owned contains "dog")');
    expect(shown.t1).toBe('grid.row_a > 1 and mood_morning == "happy"');
    // "<>" is true in SurveyJS when there is no answer: so is "not (… == …)".
    expect(shown.t2).toBe('not (q_1 == "blue") or not answered(q_1)');
    expect(shown.t3).toBe('not (pets_owned contains "dog")');
    expect(shown.t4).toBe('pets_owned contains "cat" and pets_owned contains "dog"');
    expect(shown.t5).toBe('q_1 in ["blue", "na"]');
    expect(shown.t9).toBe('answered(contact_city)');
    // "{q-Comment}" is the text of "Other"; a checkbox equals a list when it holds exactly it.
    expect(shown.t10).toBe('q_1_other contains "x" and (pets_owned contains "cat" and count(pets_owned) == 1)');
    for (const id of ['t6', 't7', 't8']) expect(shown[id]).toBeUndefined();
    expect(notes).toContain('unsupported page2/t6: The condition (visibleIf) of "t6", "age({born}) > 18", was dropped: the function age() has no equivalent.');
    expect(notes).toContain('unsupported page2/t7: The condition (visibleIf) of "t7", "{panel.x} = 1", was dropped: {panel.x} is not a question that was imported.');
    expect(notes).toContain('unsupported page2/t8: The condition (visibleIf) of "t8", "{later} = 1", was dropped: it reads "later", which comes later (conditions read only earlier answers).');
    expect(notes).toContain(`unsupported page2/label: The expression element "label" was skipped: its expression "iif({Age} > 18, 'adult', 'minor')" cannot be translated, as the function iif() has no equivalent.`);
    expect(notes).toContain('unsupported page2/t9: Ignored: enableIf "{Age} > 1", requiredIf "{Age} > 2".');
  });

  it('notes every change', () => {
    expect(notes).toContain('unsupported survey: 2 choices carry a score (score / scoreValue); choices have no scores in an instrument, so they were dropped. Scores could become a scale only for ordinal items; none was made.');
    expect(notes.filter((n) => /\bscores?\b/.test(n))).toHaveLength(1);
    expect(notes).toContain('changed Page One/Q 1: Choice values changed to letters, digits, dots, dashes and underscores (NA, DK and PNS are kept for the product\'s own answers): "red one" → "red_one", "NA" → "na".');
    expect(notes).toContain('changed Page One/Q 1: "Other" became the choice "other" and a text question "q_1_other" shown when it is chosen.');
    expect(notes).toContain('changed survey: Required (isRequired) dropped on 1 question, as every survey question must be skippable: Page One/Q 1.');
    expect(notes).toContain('unsupported survey: 1 text in the locale "de" dropped: instruments hold English, French and Spanish.');
    expect(notes).toContain("unsupported survey: The survey's triggers (1) were ignored.");
    expect(notes).toContain('changed Page One/when: The input type "time" became a text question.');
    expect(notes).toContain('changed Page One/odd: The rating became a single choice question: its points (1 to 9 by 2) are not a rating of whole numbers from 0–10 up.');
    expect(notes).toContain('changed Page One/mood: The matrix columns are not the points 1 to n of a scale: its title became a note followed by one single choice question per row (2).');
    expect(notes).toContain('changed page2/p1: Panel: its title became a note before its questions, which joined the page\'s section; its condition was added to each of them.');
    expect(notes).toContain('changed page2/contact: Multiple text boxes: the title became a note followed by one question per box (2).');
    for (const name of ['upload', 'sign', 'kids', 'md', 'mdd', 'rank', 'pic']) expect(result.notes.some((n) => n.severity === 'unsupported' && n.where === `page2/${name}` && n.message.includes('skipped'))).toBe(true);
    expect(notes.some((n) => n.startsWith('info survey: ') && n.includes('Q 1 → q_1'))).toBe(true);
  });

  it('keeps required for team instruments', () => {
    const team = importSurveyJs(fixture, { id: 'fixture', kind: 'self_assessment', audience: 'team' }).definition;
    expect(itemOf(team, 'q_1').required).toBe(true);
    expect(team).toMatchObject({ kind: 'self_assessment', audience: 'team' });
  });

  it('reads the default texts in the survey locale, and a survey of elements without pages', () => {
    const fr = importSurveyJs(JSON.stringify({ locale: 'fr', title: 'Sondage', elements: [{ type: 'text', name: 'nom', title: { default: 'Nom', en: 'Name' } }] }), { id: 'fr' });
    expect(errorsOf(fr.definition)).toEqual([]);
    expect(fr.definition).toMatchObject({ defaultLanguage: 'fr', languages: ['en', 'fr'], title: { fr: 'Sondage' } });
    expect(itemOf(fr.definition, 'nom').text).toEqual({ fr: 'Nom', en: 'Name' });
    expect(fr.counts).toEqual({ sections: 1, items: 1, skipped: 0 });
  });

  it('parses SurveyJS precedence: contains binds tighter than comparison, ! takes one factor', () => {
    expect(parseSurveyJsExpression('!{a} = 1')).toEqual({ t: 'bin', op: 'equal', l: { t: 'un', op: 'negate', arg: { t: 'var', name: 'a' } }, r: { t: 'const', v: 1 } });
    expect(parseSurveyJsExpression("{a} contains 'x' = true")).toMatchObject({ op: 'equal', l: { op: 'contains' } });
    expect(parseSurveyJsExpression('{a} = yes or {b} empty')).toEqual({
      t: 'bin',
      op: 'or',
      l: { t: 'bin', op: 'equal', l: { t: 'var', name: 'a' }, r: { t: 'const', v: 'yes' } },
      r: { t: 'un', op: 'empty', arg: { t: 'var', name: 'b' } },
    });
  });

  it('refuses what is not a SurveyJS definition', () => {
    const family = readFileSync(join(instrumentsDir, 'family_connectedness/v1.json'), 'utf8');
    for (const input of [family, '{}', '[]', '{"pages": []}', '{"pages": [{"name": "p"}]}', 'not json', 'field_name,form_name\nq1,f\n', Buffer.from('{"title": "x"}')]) {
      expect(() => importSurveyJs(input, { id: 'x' })).toThrow(InteropFormatError);
    }
    expect(() => importSurveyJs({ sections: [] }, { id: 'x' })).toThrow(/no pages or elements/);
  });
});

// =============================================================================================
// Round trips: importSurveyJs(exportSurveyJs(def)).
//
// What SurveyJS JSON cannot hold, so what does not come back:
// - scales (and their bands), tags (items, rows, instrument), gradeBand, estimatedMinutes, the
//   source; id, version, kind and audience come from the import options;
// - label-set names and favorableFrom: likert items are written as ratings with rateValues 1..n
//   labelled with the label set, and come back as likert items on a label set named
//   scale<points> (scale5, scale5_2…) with the same points and labels; "NA"/"DK" rateValues come
//   back as notApplicable/dontKnow; matrices likewise (their columns);
// - rating bands; a number's unit and dontKnow; a note's help;
// - demographic: the "prefer not to say" choice is written with value "PNS", a value kept for the
//   product's own answers, so it comes back as an ordinary choice "pns" and the item is no longer
//   demographic;
// - `required: false` comes back as no `required`, `display: 'radio'` as no display;
// - `a != b` is written "({a} notempty and {a} != b)" (SurveyJS's != is true when a is empty) and
//   comes back as `answered(a) and not (a == b)`; abs(x) as max(x, 0 - x); -x as 0 - x. Every
//   other condition comes back as written.

const pns = { en: 'Prefer not to say', fr: 'Je préfère ne pas répondre', es: 'Prefiero no responder' };

/** What a definition should come back as, by the list above. */
function expectedBack(def: InstrumentDefinition, opts: { showIf?: Record<string, string>; expression?: Record<string, string> } = {}): Raw {
  const langs = new Set<string>(def.languages);
  const only = (t: LocalizedText) => Object.fromEntries(Object.entries(t).filter(([l]) => langs.has(l)));
  const names = new Map<string, string>();
  const labelSets: Record<string, LabelSet> = {};
  for (const item of itemsOf(def)) {
    if ((item.type !== 'likert' && item.type !== 'matrix') || names.has(item.labelSet)) continue;
    const { labels, points } = def.labelSets[item.labelSet];
    const same = Object.entries(labelSets).find(([, s]) => JSON.stringify(s.labels) === JSON.stringify(labels));
    let name = same?.[0] ?? `scale${points}`;
    for (let n = 2; !same && labelSets[name]; n++) name = `scale${points}_${n}`;
    labelSets[name] = { points, labels };
    names.set(item.labelSet, name);
  }
  const item = (i: Item): Raw => {
    const out: Raw = { ...i };
    delete out.tags;
    if (!out.required) delete out.required;
    if (i.showIf && opts.showIf?.[i.id]) out.showIf = opts.showIf[i.id];
    if (i.type === 'calc' && opts.expression?.[i.id]) out.expression = opts.expression[i.id];
    switch (i.type) {
      case 'likert':
        out.labelSet = names.get(i.labelSet);
        break;
      case 'matrix':
        out.labelSet = names.get(i.labelSet);
        out.rows = i.rows.map(({ id, text }) => ({ id, text }));
        break;
      case 'rating':
        delete out.bands;
        break;
      case 'number':
        delete out.unit;
        delete out.dontKnow;
        break;
      case 'note':
        delete out.help;
        break;
      case 'single_choice':
      case 'multiple_choice':
        if (out.display === 'radio') delete out.display;
        if (i.demographic) {
          out.choices = [...i.choices, { value: 'pns', label: only(pns) }];
          delete out.demographic;
        }
        break;
    }
    return out;
  };
  return {
    schemaVersion: 1,
    id: def.id,
    version: 1,
    kind: def.kind,
    audience: def.audience,
    title: def.title,
    ...(def.description ? { description: def.description } : {}),
    defaultLanguage: def.defaultLanguage,
    languages: def.languages,
    labelSets,
    sections: def.sections.map((s) => ({ id: s.id, title: s.title, ...(s.description ? { description: s.description } : {}), ...(s.showIf ? { showIf: opts.showIf?.[s.id] ?? s.showIf } : {}), items: s.items.map(item) })),
    scales: [],
    source: { format: 'surveyjs' },
  };
}

/** Answer sets over every slot (random but fixed), and none at all. */
function answerSets(def: InstrumentDefinition, count = 24): Answers[] {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pickOne = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const sets: Answers[] = [{}];
  for (let n = 0; n < count; n++) {
    const a: Answers = {};
    for (const slot of allSlots(def)) {
      if (rand() < 0.25) continue;
      const it = slot.item;
      if (it.type === 'likert' || it.type === 'matrix') a[slot.id] = 1 + Math.floor(rand() * def.labelSets[it.labelSet].points);
      else if (it.type === 'rating') a[slot.id] = it.min + Math.floor(rand() * (it.max - it.min + 1));
      else if (it.type === 'single_choice') a[slot.id] = pickOne(it.choices).value;
      else if (it.type === 'multiple_choice') a[slot.id] = it.choices.filter(() => rand() < 0.4).map((c) => c.value);
      else if (it.type === 'yes_no') a[slot.id] = rand() < 0.5;
      else if (it.type === 'number') a[slot.id] = pickOne([0, 1, 2, 3, 7, 30]);
      else if (it.type === 'text') a[slot.id] = pickOne(['', 'a text', 'x']);
      else if (it.type === 'date') a[slot.id] = pickOne(['2001-02-03', '2024-05-01']);
    }
    sets.push(a);
  }
  return sets;
}

/** The round trip shows and hides the same items (and computes the same values) on every answer set. */
function expectSameSemantics(def: InstrumentDefinition, back: InstrumentDefinition): void {
  const sets = answerSets(def);
  for (const answers of sets) {
    expect([...visibleItems(back, answers)].sort()).toEqual([...visibleItems(def, answers)].sort());
    expect(calcValues(back, answers)).toEqual(calcValues(def, answers));
  }
  // Each condition is both true and false on some answer set, so the comparison means something.
  for (const { item } of allItems(def).filter(({ item }) => item.showIf)) {
    const seen = new Set(sets.map((a) => visibleItems(def, a).has(item.id)));
    expect(seen, item.id).toEqual(new Set([true, false]));
  }
}

const roundTrip = (def: InstrumentDefinition) => {
  // Through JSON text, as a file would go.
  const json = JSON.parse(JSON.stringify(exportSurveyJs(def)));
  return importSurveyJs(json, { id: def.id, kind: def.kind, audience: def.audience });
};

describe('round trip of every shipped instrument', () => {
  const ids = readdirSync(instrumentsDir).sort();
  it('finds the shipped instruments', () => {
    expect(ids).toEqual(['family_connectedness', 'pillars_reflection', 'quality_district', 'quality_school', 'school_mh_profile', 'staff_connectedness', 'student_connectedness_elementary', 'student_connectedness_secondary']);
  });
  for (const id of ids) {
    it(id, () => {
      const def = validateDefinition(JSON.parse(readFileSync(join(instrumentsDir, id, 'v1.json'), 'utf8'))).definition!;
      const result = roundTrip(def);
      const back = result.definition;
      expect(errorsOf(back)).toEqual([]);
      // Sections, item ids, texts in en/fr/es, choices, matrix rows, required flags, conditions:
      // exactly as listed above.
      expect(back).toEqual(expectedBack(def));
      expect(allSlots(back).map((s) => s.id)).toEqual(allSlots(def).map((s) => s.id));
      expectSameSemantics(def, back);
      expect(result.counts).toEqual({ sections: def.sections.length, items: itemsOf(def).length, skipped: 0 });
      expect(result.notes.filter((n) => n.severity === 'unsupported')).toEqual([]);
    });
  }

  it('writes SurveyJS JSON: localized strings, likert as labelled ratings, conditions', () => {
    const profile = JSON.parse(readFileSync(join(instrumentsDir, 'school_mh_profile/v1.json'), 'utf8')) as InstrumentDefinition;
    const out = exportSurveyJs(profile) as Raw;
    expect(out.locale).toBeUndefined();
    expect(out.title).toEqual({ default: profile.title.en, fr: profile.title.fr, es: profile.title.es });
    const els: Raw[] = out.pages.flatMap((p: Raw) => p.elements);
    const el = (name: string) => els.find((e) => e.name === name)!;
    expect(el('team_frequency').visibleIf).toBe('{team_exists} = true');
    expect(el('screening_focus').visibleIf).toBe("{screening_done} anyof ['yes', 'some']");
    expect(el('partner_types').visibleIf).toBe('!({partner_count} = 0)');
    expect(el('funding_main_source').visibleIf).toBe('count({funding_sources}) > 1');
    expect(el('staff_other_roles').visibleIf).toBe('{staff_other_school} > 0 or {staff_other_community} > 0');
    expect(el('staff_other_school')).toMatchObject({ type: 'text', inputType: 'number', min: 0, max: 100 });

    const family = JSON.parse(readFileSync(join(instrumentsDir, 'family_connectedness/v1.json'), 'utf8')) as InstrumentDefinition;
    const fam: Raw[] = (exportSurveyJs(family) as Raw).pages.flatMap((p: Raw) => p.elements);
    const likert = itemOf(family, 'comm_responds') as Extract<Item, { type: 'likert' }>;
    expect(likert).toMatchObject({ type: 'likert', labelSet: 'agree5', notApplicable: true });
    expect(fam.find((e) => e.name === likert.id)).toEqual({
      type: 'rating',
      name: likert.id,
      title: { default: likert.text.en, fr: likert.text.fr, es: likert.text.es },
      rateValues: [
        ...family.labelSets.agree5.labels.map((l, i) => ({ value: i + 1, text: { default: l.en, fr: l.fr, es: l.es } })),
        { value: 'NA', text: { default: 'Does not apply', fr: "Ne s'applique pas", es: 'No aplica' } },
      ],
    });
    const grade = fam.find((e) => e.name === 'child_grade_band')!;
    expect(grade.type).toBe('radiogroup');
    expect(grade.choices.at(-1)).toEqual({ value: 'PNS', text: { default: pns.en, fr: pns.fr, es: pns.es } });
  });
});

describe('round trip of every item type', () => {
  const t = (en: string, fr = `${en} (fr)`): LocalizedText => ({ en, fr });
  const ch = (...values: string[]) => values.map((v) => ({ value: v, label: t(v) }));
  const synthetic = validateDefinition({
    schemaVersion: 1,
    id: 'synthetic',
    version: 3,
    kind: 'self_assessment',
    audience: 'team',
    title: t('Synthetic'),
    defaultLanguage: 'en',
    languages: ['en', 'fr'],
    labelSets: { freq4: { points: 4, labels: [t('Never'), t('Sometimes'), t('Often'), t('Always')], favorableFrom: 3 } },
    sections: [
      {
        id: 'one',
        title: t('One'),
        items: [
          { id: 'consent', type: 'yes_no', text: t('Consent?'), required: true },
          { id: 'role', type: 'single_choice', display: 'dropdown', text: t('Role'), choices: ch('teacher', 'counsellor', 'other') },
          { id: 'supports', type: 'multiple_choice', text: t('Supports'), choices: ch('a', 'b', 'c'), minSelect: 1, maxSelect: 2, showIf: 'consent == true' },
          { id: 'often', type: 'likert', labelSet: 'freq4', text: t('How often?'), notApplicable: true, dontKnow: true, showIf: 'supports contains "a"' },
          { id: 'grid', type: 'matrix', labelSet: 'freq4', text: t('Grid'), rows: [{ id: 'r1', text: t('Row 1'), tags: ['x:y'] }, { id: 'r2', text: t('Row 2') }], dontKnow: true },
          { id: 'score', type: 'rating', min: 0, max: 10, minLabel: t('Low'), maxLabel: t('High'), text: t('Score') },
          { id: 'years', type: 'number', min: 0, max: 40, integer: true, text: t('Years'), help: t('Whole years.') },
          { id: 'started', type: 'date', min: '2000-01-01', max: '2030-12-31', text: t('Started') },
          { id: 'email', type: 'text', format: 'email', maxLength: 200, text: t('Email') },
          { id: 'site', type: 'text', format: 'url', text: t('Site') },
          { id: 'phone', type: 'text', format: 'phone', text: t('Phone'), showIf: 'role != "other"' },
          { id: 'story', type: 'text', multiline: true, text: t('Story'), showIf: 'not answered(phone) and grid.r1 >= 3' },
          { id: 'intro', type: 'note', text: { en: 'Read this.\n\nSecond & last <b> paragraph,\non two lines.', fr: 'Lisez ceci.' } },
          { id: 'mean', type: 'calc', text: t('Mean'), expression: '(grid.r1 + grid.r2) / 2' },
          { id: 'gap', type: 'calc', text: t('Gap'), expression: 'abs(score - years) + max(1, years) - round(score / 3) + count(supports)' },
        ],
      },
      {
        id: 'two',
        title: t('Two'),
        description: t('More'),
        showIf: 'mean > 2 or role in ["teacher", "counsellor"]',
        items: [
          { id: 'extra', type: 'yes_no', dontKnow: true, text: t('Extra?') },
          { id: 'why', type: 'text', text: t('Why?'), showIf: 'extra == false or -score < -5' },
        ],
      },
    ],
    scales: [{ id: 'sc', title: t('Scale'), items: ['often', 'grid.r1'], method: 'mean' }],
  }).definition!;

  it('is a valid instrument to start with', () => {
    expect(errorsOf(synthetic)).toEqual([]);
  });

  it('comes back as listed', () => {
    const result = roundTrip(synthetic);
    expect(errorsOf(result.definition)).toEqual([]);
    expect(result.definition).toEqual(
      expectedBack(synthetic, {
        showIf: { phone: 'answered(role) and not (role == "other")', why: 'extra == false or 0 - score < -5' },
        expression: { gap: 'max(score - years, 0 - (score - years)) + max(1, years) - round(score / 3) + count(supports)' },
      }),
    );
    expectSameSemantics(synthetic, result.definition);
    expect(result.notes).toEqual([{ severity: 'info', where: 'two/extra', message: 'A radiogroup of the values true and false and "DK" became a yes/no question with "don\'t know"; its choice texts were not kept.' }]);
  });

  it('writes a French-only instrument with locale fr and plain strings', () => {
    const fr = { ...synthetic, languages: ['fr'], defaultLanguage: 'fr' } as InstrumentDefinition;
    const out = exportSurveyJs(fr) as Raw;
    expect(out.locale).toBe('fr');
    expect(out.title).toBe('Synthetic (fr)');
    const back = importSurveyJs(out, { id: 'synthetic', kind: 'self_assessment', audience: 'team' }).definition;
    expect(back).toMatchObject({ defaultLanguage: 'fr', languages: ['fr'], title: { fr: 'Synthetic (fr)' } });
    expect(itemOf(back, 'often').text).toEqual({ fr: 'How often? (fr)' });
    expect(errorsOf(back)).toEqual([]);
  });
});
