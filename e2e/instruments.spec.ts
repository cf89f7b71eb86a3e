import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extdataPath } from '../src/server/test/extdata.js';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

const content = (id: string) => JSON.parse(readFileSync(new URL(`../content/instruments/${id}/v1.json`, import.meta.url), 'utf8'));
const fr = content('student_connectedness_secondary');

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

describe('instrument library', () => {
  it('filters the library, previews a survey in three languages, and shows its framework map', async () => {
    const { context, page } = await newPage(e2e);
    await signIn(page, 'viewer@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Instruments' }).first().click();
    await page.getByRole('link', { name: fr.title.en }).waitFor();
    await expectAccessible(page, 'library');
    await page.getByLabel('Kind').selectOption('self_assessment');
    const selfAssessments = async () => {
      const titles = await page.locator('article a').allTextContents();
      return titles.includes(content('quality_school').title.en) && titles.includes(content('pillars_reflection').title.en) && !titles.includes(fr.title.en);
    };
    await expect.poll(selfAssessments).toBe(true);
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Framework element').selectOption('quality:screening');
    await expect.poll(() => page.locator('article a').count()).toBeGreaterThan(0);

    await page.goto('/instruments/student_connectedness_secondary');
    const firstItem = fr.sections[0].items[0];
    await page.getByText(firstItem.text.en).waitFor();
    await expectAccessible(page, 'preview');
    await page.getByRole('radiogroup', { name: 'Preview in' }).getByText('French', { exact: true }).click();
    await page.getByText(firstItem.text.fr).waitFor();
    expect(await page.locator('[lang="fr"]').count()).toBeGreaterThan(0);
    await page.getByRole('radiogroup', { name: 'Preview in' }).getByText('Spanish', { exact: true }).click();
    await page.getByText(firstItem.text.es).waitFor();
    await expectAccessible(page, 'Spanish preview');

    await page.getByRole('tab', { name: 'By framework element' }).click();
    await page.getByRole('heading', { name: 'School connectedness strategies' }).waitFor();
    await expectAccessible(page, 'framework map');
    await page.getByRole('tab', { name: 'Scales and scoring' }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(1 + fr.scales.length);
    await context.close();
  });

  it('a coordinator copies an instrument into a draft, edits it, sees a problem next to the field, and publishes', async () => {
    const { context, page } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.goto('/instruments/pillars_reflection');
    await page.getByRole('button', { name: 'Copy into a draft' }).click();
    await page.getByLabel('Id of the copy').fill('cedar-pillars');
    await page.getByRole('button', { name: 'Make the draft' }).click();
    await page.waitForURL(/\/instruments\/cedar-pillars\?version=1&tab=edit/);
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    await expectAccessible(page, 'editor');

    // A condition naming a question that does not exist is flagged beside the field at once.
    const showIf = page.getByLabel('Show only if').first();
    await showIf.fill('nonexistent == 1');
    await expect.poll(() => page.getByText('which is not a question of this instrument').first().isVisible()).toBe(true);
    await showIf.fill('');
    const title = page.getByRole('group', { name: 'Title' }).first().getByLabel('English');
    await title.fill('Cedar Valley pillars reflection');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByText('Saved.').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByLabel('Version').inputValue()).toBe('1');
    await expect.poll(() => page.getByRole('tab', { name: 'Edit' }).count()).toBe(0);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Cedar Valley pillars reflection');
    // The district's schools now find it in the library.
    await context.close();
    const viewer = await newPage(e2e);
    await signIn(viewer.page, 'viewer@demo.schoolwell.test');
    await viewer.page.goto('/instruments?q=cedar');
    await viewer.page.getByRole('link', { name: 'Cedar Valley pillars reflection' }).waitFor();
    await viewer.context.close();
  });
});

describe('instrument import and export', () => {
  it('imports the bilingual SurveyJS file with a report and a preview, keeps it as a draft, and exports it for REDCap', async () => {
    const { context, page } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.goto('/instruments');
    await page.getByRole('link', { name: 'Import an instrument' }).click();
    await expectAccessible(page, 'instrument import');
    await page.locator('input[type=file]').setInputFiles(extdataPath('survey_definitions/surveyjs_canada_aia_survey-enfr.json'));
    await page.getByLabel(/^Id of the copy/).fill('aia-assessment');
    await page.getByRole('button', { name: 'Read the file' }).click();
    await page.getByRole('heading', { name: 'What the import will do' }).waitFor({ timeout: 60_000 });
    // 18 pages, 305 questions (see the SurveyJS importer's tests for the count).
    expect(await page.getByText('18 sections and 305 questions from the SurveyJS JSON').count()).toBe(1);
    expect(await page.getByText('Languages found: English, French').count()).toBe(1);
    await expectAccessible(page, 'import report and preview');
    await page.getByRole('button', { name: 'Keep as a draft' }).click();
    await page.waitForURL(/\/instruments\/aia-assessment\?version=1&tab=checks/);
    await expectAccessible(page, 'checks of the imported draft');
    const exported = await page.evaluate(async () => {
      const r = await fetch('/api/instruments/aia-assessment/versions/1/export?format=redcap&lang=fr');
      return { status: r.status, type: r.headers.get('content-type'), head: (await r.text()).split('\n').slice(0, 2) };
    });
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('text/csv');
    expect(exported.head[0]).toMatch(/^"Variable \/ Field Name","Form Name"/);
    expect(exported.head[1]).toMatch(/^record_id,/);
    await context.close();
  });
});
