import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/server/db/client.js';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

const fr = JSON.parse(readFileSync(new URL('../src/features/reports/ui/locales/fr.json', import.meta.url), 'utf8')).reports;

const FALL = /^Fall \d{4} student survey \(grades 3–6\)$/;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

const administrationId = async (title: string) => (await queryRows<{ id: number }>(e2e.database.db, sql`select id from survey_administrations where title like ${title} order by id desc limit 1`))[0].id;

/**
 * Waits on the results page until the roll-up has counted the demo's responses: right after a
 * start the counts fill in the background, and the page says "no respondents" until then.
 */
async function waitForRespondents(page: Page) {
  await expect
    .poll(
      async () => {
        await page.getByRole('heading', { level: 1 }).waitFor();
        if ((await page.getByText(/^[\d,]+ respondents$/).count()) > 0) return true;
        await page.reload();
        return false;
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(true);
}

const favourableCards = (page: Page) => page.locator('.report-card');

describe('survey results', () => {
  it('a district coordinator reads the fall survey: headline, schools side by side, a filter kept in the address, groups with a withheld one, in French too', async () => {
    const { page } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Cedar Valley School District' }).first().click();
    await page.getByRole('tab', { name: 'Surveys' }).click();
    await page.getByRole('link', { name: FALL }).click();
    await page.waitForURL(/\/surveys\/\d+$/);
    await page.getByRole('link', { name: 'See results' }).click();
    await page.waitForURL(/\/surveys\/\d+\/results$/);
    await waitForRespondents(page);

    // Headline: each scale's share favourable beside the state, with its trend since spring.
    await page.getByRole('heading', { level: 1, name: /: results for Cedar Valley School District$/ }).waitFor();
    await page.getByText('compared with Washington').waitFor();
    expect(await favourableCards(page).count()).toBe(7);
    const belonging = favourableCards(page).filter({ has: page.getByRole('heading', { name: 'Belonging' }) });
    expect(await belonging.textContent()).toMatch(/\d+% favourable.*Washington: \d+%/);
    expect(await belonging.getByRole('img', { name: /^Favourable over time: Spring \d{4}.*: \d+%; Fall \d{4}.*: \d+%$/ }).count()).toBe(1);
    expect(await belonging.getByText(/^(Up|Down) \d+ points? since Spring|^The same as in Spring/).count()).toBe(1);
    // Every question's answers, in order, with the words of its label set; reverse-worded ones marked.
    await page.getByRole('heading', { level: 2, name: 'Questions' }).waitFor();
    expect(await page.getByRole('img', { name: /^Answers: No, never \d+%, Sometimes \d+%, Most of the time \d+%, Yes, always \d+%$/ }).count()).toBeGreaterThan(10);
    expect(await page.getByText('worded the other way round').count()).toBeGreaterThan(0);
    await page.getByRole('heading', { level: 2, name: 'Framework elements' }).waitFor();
    await page.getByText('Trusting and caring relationships').waitFor();
    await expectAccessible(page, 'results at a glance');

    // Schools side by side: a heat map (a table of % favourable) and, behind a button, the details.
    await page.getByLabel('Side by side', { exact: true }).selectOption({ label: 'Schools' });
    await page.waitForURL(/by=school/);
    const heat = page.getByRole('table', { name: /^% favourable: the darker the cell/ });
    await heat.waitFor();
    expect(await heat.getByRole('link').allTextContents()).toEqual(['Alder Creek Elementary School', 'Birch Hollow Elementary School', 'Foxglove Elementary School', 'Maple Terrace Elementary School']);
    const heatFigure = page.getByRole('figure', { name: '% favourable by school and scale' });
    expect(await heatFigure.getByText(/^4 organisations side by side\. They differ most on /).count()).toBe(1);
    await heatFigure.getByRole('button', { name: 'Show the table' }).click();
    const details = page.getByRole('table', { name: '% favourable by school and scale: respondents, % favourable and average score' });
    await details.waitFor({ state: 'visible' });
    expect(await details.getByRole('row').count()).toBe(5);
    await expectAccessible(page, 'schools side by side');

    // A filter goes into the address; a reload keeps the whole view.
    await page.getByLabel('Respondents', { exact: true }).selectOption({ label: 'Gender identity: Girl' });
    await page.waitForURL(/filter=gender_identity%3Agirl/);
    expect(page.url()).toContain('by=school');
    await page.getByText('Only respondents who answered Gender identity: Girl.', { exact: true }).waitFor();
    await page.reload();
    await page.getByText('Only respondents who answered Gender identity: Girl.', { exact: true }).waitFor();
    expect(await page.getByLabel('Respondents', { exact: true }).inputValue()).toBe('gender_identity:girl');
    expect(await page.getByLabel('Side by side', { exact: true }).inputValue()).toBe('school');
    await heat.waitFor();
    await expectAccessible(page, 'filtered to girls, schools side by side');
    // The back button undoes the filter.
    await page.goBack();
    await expect.poll(() => page.getByLabel('Respondents', { exact: true }).inputValue()).toBe('');
    expect(page.url()).not.toContain('filter=');

    // Two answers combined, with nothing side by side: shown, or explained where a crossed group is small.
    await page.getByLabel('Side by side', { exact: true }).selectOption('');
    await page.waitForURL((u) => !u.searchParams.has('by'));
    await expect.poll(() => page.getByLabel('Side by side', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Respondents', { exact: true }).selectOption({ label: 'Gender identity: Girl' });
    await page.waitForURL(/filter=gender_identity%3Agirl/);
    expect(page.url()).not.toContain('by=');
    const also = page.getByLabel('And also', { exact: true });
    await expect.poll(() => also.isDisabled()).toBe(false);
    const second = await also.locator('option').nth(1).getAttribute('value');
    await also.selectOption(second!);
    await page.waitForURL(/filter=gender_identity%3Agirl%2C/);
    await page.getByText(/^Only respondents who answered Gender identity: Girl and /).waitFor();
    await expectAccessible(page, 'two answers combined');

    // An export of what is shown: prepared in the background, then a download link.
    await page.getByLabel('Respondents', { exact: true }).selectOption('');
    await page.waitForURL((u) => !u.searchParams.has('filter'));
    await page.getByRole('button', { name: 'CSV' }).click();
    await page.getByRole('link', { name: /^Download / }).waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'an export ready');

    // Groups side by side replace the filter, which says why it cannot be used; a withheld group is explained.
    await page.getByLabel('Respondents', { exact: true }).selectOption({ label: 'Gender identity: Boy' });
    await page.waitForURL(/filter=/);
    await page.getByLabel('Side by side', { exact: true }).selectOption({ label: 'Gender identity' });
    await page.waitForURL(/by=gender_identity/);
    expect(page.url()).not.toContain('filter=');
    await expect.poll(() => page.getByLabel('Respondents', { exact: true }).isDisabled()).toBe(true);
    await page.getByText('Not with groups side by side: two questions about respondents are never combined', { exact: false }).waitFor();
    const groups = page.getByRole('figure', { name: '% favourable by Gender identity' });
    await groups.waitFor();
    expect(await groups.getByText(/is withheld to protect privacy|are withheld to protect privacy/).count()).toBe(1);
    await groups.getByRole('button', { name: 'Show the table' }).click();
    const groupTable = page.getByRole('table', { name: '% favourable by Gender identity: respondents, % favourable and average score' });
    await groupTable.waitFor({ state: 'visible' });
    expect(await groupTable.getByText(/^(Withheld so that a smaller group cannot be worked out|Fewer than 10 respondents: not shown to protect privacy)$/).count()).toBeGreaterThan(0);
    expect(await groupTable.getByRole('row', { name: /^Girl/ }).count()).toBe(1);
    await expectAccessible(page, 'gender identity side by side');

    // A school's name opens its own results; the trail leads back to the district.
    await page.getByLabel('Side by side', { exact: true }).selectOption({ label: 'Schools' });
    await heat.getByRole('link', { name: 'Birch Hollow Elementary School' }).click();
    await page.getByRole('heading', { level: 1, name: /: results for Birch Hollow Elementary School$/ }).waitFor();
    expect(page.url()).toMatch(/org=\d+/);
    expect(page.url()).not.toContain('by=school');
    await page.getByText('compared with Cedar Valley School District').waitFor();
    await page.getByRole('navigation', { name: 'Organisations above' }).getByRole('link', { name: 'Cedar Valley School District' }).click();
    await page.getByRole('heading', { level: 1, name: /: results for Cedar Valley School District$/ }).waitFor();

    // On a phone the page fits the width: wide tables scroll inside themselves.
    await page.setViewportSize({ width: 320, height: 800 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });

    // In French, the figures and their words follow.
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { level: 2, name: fr.sections.overview }).waitFor();
    await expect.poll(() => page.getByText(/^[\d\s  ]+ répondants$/).count()).toBe(1);
    expect(await page.getByText(/\d+\s%\sfavorables/).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'results in French');
  });

  it('a school team sees its own school beside the district, and a survey still open says when results come', async () => {
    const fall = await administrationId('Fall % student survey (grades 3–6)');
    const open = await administrationId('Student check-in%');
    const { page } = await newPage(e2e);
    await signIn(page, 'member@demo.schoolwell.test');
    await page.goto(`/surveys/${fall}`);
    await page.getByRole('link', { name: 'See results' }).click();
    await waitForRespondents(page);
    await page.getByRole('heading', { level: 1, name: /: results for Alder Creek Elementary School$/ }).waitFor();
    await page.getByText('compared with Cedar Valley School District').waitFor();
    expect(await favourableCards(page).first().getByText(/^Cedar Valley School District: \d+%$/).count()).toBe(1);
    // Only their school to choose, and no schools to put side by side.
    expect(await page.getByLabel('Organisation', { exact: true }).locator('option').allTextContents()).toEqual(['Alder Creek Elementary School']);
    expect(await page.getByLabel('Side by side', { exact: true }).locator('option').allTextContents()).not.toContain('Schools');
    await expectAccessible(page, 'school results');

    // Small groups at one school: withheld, in words.
    await page.getByLabel('Side by side', { exact: true }).selectOption({ label: 'Gender identity' });
    await page.waitForURL(/by=gender_identity/);
    const groups = page.getByRole('figure', { name: '% favourable by Gender identity' });
    await groups.getByRole('button', { name: 'Show the table' }).click();
    await groups.getByText('Fewer than 10 respondents: not shown to protect privacy').first().waitFor();
    await expectAccessible(page, 'school results by gender identity');

    // A filter this survey cannot take (from a hand-made address): the server's words sit under the control.
    await page.goto(`/surveys/${fall}/results?filter=role:teacher`);
    await page.getByText('This survey did not ask "role"', { exact: false }).waitFor();
    expect(await page.getByLabel('Respondents', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByText('These results cannot be shown as chosen', { exact: false }).waitFor();
    await expectAccessible(page, 'a refused filter');
    await page.getByLabel('Respondents', { exact: true }).selectOption('');
    await page.getByRole('heading', { level: 2, name: 'At a glance' }).waitFor();

    // The district's own results are not theirs to open.
    await page.goto(`/surveys/${fall}/results?org=${(await page.evaluate(async (id) => (await (await fetch(`/api/surveys/${id}/report`)).json()).parent.id, fall))}`);
    await page.getByRole('alert').waitFor();

    // A survey still open: results come when it closes, and the page says when.
    await page.goto(`/surveys/${open}/results`);
    await page.getByText(/^Results appear once the survey closes on .+\.$/).waitFor();
    await expectAccessible(page, 'results of an open survey');
  });
});
