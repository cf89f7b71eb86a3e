import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

const quality = JSON.parse(readFileSync(new URL('../content/instruments/quality_school/v1.json', import.meta.url), 'utf8'));
const teaming = quality.sections.find((s: { id: string }) => s.id === 'teaming').items as { id: string; text: { en: string } }[];

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

/** Picks a point on a 1–6 rating question, found by its words. */
async function rate(page: Page, text: string, point: number) {
  const group = page.getByRole('radiogroup', { name: text });
  await group.getByRole('radio', { name: new RegExp(`^${point}( ·|$)`) }).check();
}

describe('a team fills a self-assessment together', () => {
  it('two members answer at the same time, see each other, and the coordinator submits; the scores are as computed by hand', async () => {
    const coordinator = await newPage(e2e);
    await signIn(coordinator.page, 'coordinator@demo.schoolwell.test');
    await coordinator.page.getByRole('button', { name: 'Show what is in Cedar Valley School District' }).click();
    await coordinator.page.getByRole('link', { name: 'Alder Creek Elementary School' }).click();
    await coordinator.page.getByRole('tab', { name: 'Assessments' }).click();
    await coordinator.page.getByLabel('Instrument', { exact: true }).selectOption('quality_school');
    // The demo already holds this school year's assessment; this one is for the fall term.
    await coordinator.page.getByLabel('Term', { exact: true }).selectOption('fall');
    await coordinator.page.getByLabel(/Start from the answers/).uncheck();
    await coordinator.page.getByRole('button', { name: 'Start', exact: true }).click();
    await coordinator.page.waitForURL(/\/assessments\/\d+$/);
    const url = coordinator.page.url();
    await coordinator.page.getByText('0 of 50 questions answered').waitFor();
    await expectAccessible(coordinator.page, 'assessment form');

    const member = await newPage(e2e);
    await signIn(member.page, 'member@demo.schoolwell.test');
    await member.page.goto(url);
    await member.page.getByText('0 of 50 questions answered').waitFor();

    // At the same time: the member rates the first four teaming questions, the coordinator the last four.
    // Points 6, 5, 4, 3 and 2, 2, 1 and "don't know" → (6+5+4+3+2+2+1)/7 = 23/7 = 3.29 → progressing.
    await Promise.all([
      (async () => {
        for (const [i, p] of [6, 5, 4, 3].entries()) await rate(member.page, teaming[i].text.en, p);
      })(),
      (async () => {
        for (const [i, p] of [2, 2, 1].entries()) await rate(coordinator.page, teaming[4 + i].text.en, p);
        await coordinator.page.getByRole('radiogroup', { name: teaming[7].text.en }).getByRole('radio', { name: "Don't know" }).check();
      })(),
    ]);
    // Each sees the other's answers within seconds, marked with who gave them.
    await expect.poll(() => coordinator.page.getByText('8 of 50 questions answered').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => member.page.getByText('8 of 50 questions answered').count(), { timeout: 20_000 }).toBe(1);
    expect(await coordinator.page.getByText('Just changed by Morgan Member').count()).toBeGreaterThan(0);
    expect(await coordinator.page.getByRole('radiogroup', { name: teaming[0].text.en }).getByRole('radio', { name: /^6/ }).isChecked()).toBe(true);

    // A note with evidence on one question.
    await member.page.getByRole('button', { name: 'Note and evidence' }).first().click();
    await member.page.getByLabel('Note').first().fill('Minutes are kept in the shared drive.');
    await member.page.getByLabel('Evidence links').first().fill('https://example.org/minutes');
    await member.page.getByLabel('Evidence links').first().blur();
    await expectAccessible(member.page, 'note and evidence');

    await coordinator.page.getByRole('button', { name: 'Submit' }).click();
    await coordinator.page.getByRole('dialog').getByRole('button', { name: 'Submit' }).click();
    await coordinator.page.getByRole('link', { name: 'See the results' }).click();
    await coordinator.page.waitForURL(/\/results$/);
    const teamingRow = coordinator.page.getByRole('row', { name: /^Teaming/ });
    await teamingRow.waitFor();
    await expect.poll(() => teamingRow.textContent()).toContain('3.3');
    expect(await teamingRow.textContent()).toContain('Progressing');
    // Domains nobody answered have no score.
    expect(await coordinator.page.getByRole('row', { name: /^Screening/ }).textContent()).toContain('Not enough answers (0 of 7)');
    await expectAccessible(coordinator.page, 'results');

    // The member's page now refuses answers.
    await expect.poll(() => member.page.getByText('Submitted', { exact: true }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await coordinator.context.close();
    await member.context.close();
  });
});

describe('a school profile beside its district', () => {
  it('shows each fact with the district\'s and state\'s figures, in words, accessibly', async () => {
    const { page, context } = await newPage(e2e);
    await signIn(page, 'member@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Alder Creek Elementary School' }).first().click();
    await page.getByRole('tab', { name: 'Assessments' }).click();
    // Newest first: this school year's profile.
    await page.getByRole('link', { name: 'School mental health profile' }).first().click();
    await page.waitForURL(/\/results$/);
    const enrolment = page.getByRole('row', { name: /^How many students are enrolled/ });
    await enrolment.waitFor();
    expect(await enrolment.textContent()).toMatch(/Cedar Valley School District: (average \d|not enough schools)/);
    // Choices read as words, never as codes.
    expect(await page.getByRole('table', { name: /facts/i }).textContent()).not.toMatch(/\b(true|false|sel_curriculum)\b/);
    await expectAccessible(page, 'profile results');
    await context.close();
  });
});

describe('from results to a plan goal', () => {
  it('a member turns a priority into a proposed goal, finds it on the plans page and sets it aside', async () => {
    const { page, context } = await newPage(e2e);
    await signIn(page, 'member@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Alder Creek Elementary School' }).first().click();
    await page.getByRole('tab', { name: 'Assessments' }).click();
    const submitted = page.getByRole('row').filter({ hasText: 'Quality and sustainability self-assessment (school)' }).filter({ hasText: 'Submitted' }).first();
    await submitted.getByRole('link').click();
    await page.waitForURL(/\/results$/);
    // A priority of the lists (the domains' table has its own goal buttons, drawn before the lists' appear).
    const propose = page.getByRole('listitem').getByRole('button', { name: /^Make this a plan goal: / }).last();
    await propose.waitFor();
    const item = (await propose.getAttribute('aria-label'))!.replace('Make this a plan goal: ', '');
    await propose.click();
    const proposed = page.getByRole('link', { name: `Proposed as a goal · see plans: ${item}` });
    await expect.poll(() => proposed.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page, 'results with a proposed goal');
    await proposed.click();
    await page.waitForURL(/\/plans$/);
    const row = page.getByRole('row', { name: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    await row.waitFor();
    await expectAccessible(page, 'plans tab');
    await row.getByRole('button', { name: `Set aside: ${item}` }).click();
    await page.getByText('No goals proposed yet.', { exact: false }).waitFor();
    await context.close();
  });
});

