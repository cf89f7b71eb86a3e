import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdministration } from '../src/features/surveys/server/surveys.service.js';
import { createAdministrationBody } from '../src/features/surveys/surveys.contract.js';
import { queryRows } from '../src/server/db/client.js';
import { actorOf } from '../src/server/test/factories.js';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

const ZONE = 'America/Los_Angeles';

/** The wall-clock time `hours` from now in a zone, as a datetime-local input takes it. */
function wallClock(hours: number, timeZone = ZONE): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(Date.now() + hours * 3_600_000));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** True when the keyboard focus is on the element, inside it, or on the block that holds it. */
const isFocused = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => !!document.activeElement && document.activeElement !== document.body && (el === document.activeElement || el.contains(document.activeElement) || document.activeElement.contains(el)));

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

describe('a district coordinator runs a survey', () => {
  it('sets it up for two schools, shares links, prints codes, watches a response arrive, extends, closes and deletes', async () => {
    const { page, context } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Cedar Valley School District' }).first().click();
    await page.getByRole('tab', { name: 'Surveys' }).click();
    // The demo's surveys are listed (network-wide ones cover the district's schools).
    await page.getByRole('table', { name: /^Surveys of Cedar Valley School District/ }).waitFor();
    const districtUrl = page.url().replace(/\/surveys$/, '');

    await page.getByRole('link', { name: 'Set up a survey' }).click();
    await page.waitForURL(/\/surveys\/new$/);
    await page.getByLabel('Instrument', { exact: true }).selectOption('student_connectedness_elementary');
    await page.getByLabel(/^Title/).fill('Spring student survey');
    await page.getByRole('radio', { name: 'Only the schools I choose' }).check();
    for (const school of ['Alder Creek Elementary School', 'Birch Hollow Elementary School']) {
      await page.getByRole('checkbox', { name: new RegExp(`^${school}`) }).check();
    }
    await page.getByText('2 schools chosen').waitFor();
    await page.getByLabel('Time zone', { exact: true }).selectOption(ZONE);
    // Default texts are there in every language offered, ready to accept.
    expect(await page.getByLabel('Notice in English').inputValue()).toContain('Your school wants to know');
    expect(await page.getByLabel('Assent text in French').inputValue()).toContain("C'est toi qui choisis");
    await page.getByRole('checkbox', { name: 'Single-use codes' }).check();
    await expectAccessible(page, 'set-up form');

    // A closing before the opening: the server's message sits under the closing, which takes the focus.
    await page.getByLabel(/^Opens/).fill(wallClock(-1));
    await page.getByLabel(/^Closes/).fill(wallClock(-2));
    await page.getByRole('button', { name: 'Set up the survey' }).click();
    await page.getByText('The survey must close after it opens.').waitFor();
    await expect.poll(() => page.getByLabel(/^Closes/).evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page, 'set-up form with an error');
    await page.getByLabel(/^Closes/).fill(wallClock(48));
    await page.getByRole('button', { name: 'Set up the survey' }).click();
    await page.waitForURL(/\/surveys\/\d+$/);
    const surveyUrl = page.url();

    // The administration page: the window in its own zone, a link and a code per school.
    await page.getByRole('heading', { level: 1, name: 'Spring student survey' }).waitFor();
    await page.getByText('The survey is set up.', { exact: false }).waitFor();
    expect(await page.getByText(/P[DS]T$/).count()).toBeGreaterThan(0);
    const schools = page.getByRole('table', { name: '2 schools taking part, with their links and counts' });
    const links: Record<string, string> = {};
    for (const school of ['Alder Creek Elementary School', 'Birch Hollow Elementary School']) {
      const row = schools.getByRole('row', { name: new RegExp(`^${school}`) });
      const text = (await row.textContent())!;
      const link = new RegExp(`${e2e.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/s/([A-Z0-9]{8})`).exec(text);
      expect(link, `${school} has its open link`).not.toBeNull();
      links[school] = link![1];
      expect(text).toContain(`${link![1].slice(0, 4)}-${link![1].slice(4)}`);
      expect(await row.getByRole('button', { name: `Copy link: ${school}` }).count()).toBe(1);
    }
    expect(links['Alder Creek Elementary School']).not.toBe(links['Birch Hollow Elementary School']);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
    await schools.getByRole('button', { name: 'Copy link: Birch Hollow Elementary School' }).click();
    await schools.getByRole('button', { name: 'Link copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${e2e.baseUrl}/s/${links['Birch Hollow Elementary School']}`);
    await page.getByText('0 responses so far').waitFor();
    await expectAccessible(page, 'administration page');

    // Codes for one class: a PDF arrives through the API client, and the coordinator is warned.
    await page.getByLabel('School', { exact: true }).selectOption({ label: 'Alder Creek Elementary School' });
    await page.getByLabel(/^Class 1/).fill('4B');
    await page.getByLabel(/^Codes for class 1/).fill('12');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Make the codes and download the PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^survey-codes-\d+-\d+\.pdf$/);
    expect(readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByText('These codes are shown only this once', { exact: false }).waitFor();
    await expect.poll(() => isFocused(page, 'text=12 codes made for Alder Creek Elementary School')).toBe(true);
    await expect.poll(async () => schools.getByRole('row', { name: /^Alder Creek/ }).textContent()).toContain('0 of 12 printed');
    await expectAccessible(page, 'codes printed');

    // One response through Alder Creek's open link; the monitor counts it within its refresh.
    const answered = await page.request.post('/api/public/responses', { data: { code: links['Alder Creek Elementary School'], submissionId: randomUUID(), language: 'en', answers: {} } });
    expect(answered.status()).toBe(201);
    await expect.poll(() => page.getByText('1 response so far').count(), { timeout: 25_000 }).toBe(1);
    expect(await page.getByText('1 blank (no question answered)').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Responses per day' }).getByRole('row').count()).toBe(2);
    await expect.poll(async () => page.getByRole('table', { name: /^Responses per school/ }).getByRole('row', { name: /^Alder Creek/ }).textContent()).toMatch(/^Alder Creek Elementary School1412/);

    // Extend, then close now: each says what happened, and the keyboard is on the message.
    await page.getByLabel(`New closing time (${ZONE}) *`).fill(wallClock(24 * 5));
    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    await page.getByText('The survey now closes on', { exact: false }).waitFor();
    await expect.poll(() => isFocused(page, '[role="status"]:has-text("The survey now closes on")')).toBe(true);
    await page.getByRole('button', { name: 'Close now' }).click();
    await page.getByText('The survey is closed. It takes no more responses.').waitFor();
    expect(await page.getByText('Closed', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Reopen until then' }).count()).toBe(1);
    // A closed survey's counts are final: the monitor says so (and stops asking every 10 seconds).
    await page.getByText('The survey is closed: these counts are final', { exact: false }).waitFor();
    const closed = await page.request.get(`/api/public/surveys/${links['Birch Hollow Elementary School']}`);
    expect((await closed.json()).state).toBe('closed');

    // Delete every response, after a confirmation that says what goes and what stays.
    await page.getByRole('button', { name: 'Delete every response…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete every response?' });
    await dialog.getByText('This deletes 1 response to “Spring student survey”, at every school, for good.', { exact: false }).waitFor();
    await expectAccessible(page, 'delete confirmation');
    await dialog.getByRole('button', { name: 'Delete 1 response' }).click();
    await page.getByText('1 response was deleted.').waitFor();
    await expect.poll(() => isFocused(page, '[role="status"]:has-text("1 response was deleted.")')).toBe(true);
    await page.getByText('0 responses so far').waitFor();
    await expectAccessible(page, 'after deletion');

    // On a phone the page fits the width (wide tables scroll inside themselves) and stays accessible.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await expectAccessible(page, 'administration page on a phone');

    // The organisation's Surveys tab lists it, linked, with its state.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${districtUrl}/surveys`);
    const listed = page.getByRole('row', { name: /^Spring student survey/ });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('Closed');
    expect(await listed.getByRole('link', { name: 'Spring student survey' }).getAttribute('href')).toBe(new URL(surveyUrl).pathname);
    await expectAccessible(page, 'surveys tab with a survey');
    await context.close();
  });
});

describe('a school team sees its part of a district survey', () => {
  it('only its own school, and no management', async () => {
    const db = e2e.database.db;
    const orgs = await queryRows<{ id: number; name: string }>(db, sql`select id, name from organizations where name in ('Cedar Valley School District', 'Alder Creek Elementary School', 'Birch Hollow Elementary School')`);
    const id = (name: string) => orgs.find((o) => o.name === name)!.id;
    const [coordinator] = await queryRows<{ id: number }>(db, sql`select id from users where email = 'coordinator@demo.schoolwell.test'`);
    const utc = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
    await createAdministration(
      db,
      await actorOf(db, coordinator.id),
      createAdministrationBody.parse({
        orgId: id('Cedar Valley School District'),
        instrumentId: 'student_connectedness_elementary',
        title: 'District family check-in',
        schoolIds: [id('Alder Creek Elementary School'), id('Birch Hollow Elementary School')],
        languages: ['en', 'es'],
        opensAt: utc(-1),
        closesAt: utc(24),
        timeZone: 'UTC',
        consent: 'passive',
        notice: { en: 'About this survey.', es: 'Sobre esta encuesta.' },
        assent: { en: 'Your choice.', es: 'Tú decides.' },
        accessCodes: true,
      }),
    );

    const { page, context } = await newPage(e2e);
    await signIn(page, 'member@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Alder Creek Elementary School' }).first().click();
    await page.getByRole('tab', { name: 'Surveys' }).click();
    await page.getByRole('link', { name: 'District family check-in' }).click();
    await page.waitForURL(/\/surveys\/\d+$/);
    const schools = page.getByRole('table', { name: '1 school taking part, with its link and counts' });
    await schools.waitFor();
    expect(await schools.locator('tbody tr').count()).toBe(1);
    expect(await schools.getByRole('row', { name: /^Alder Creek Elementary School/ }).count()).toBe(1);
    expect(await page.getByText('Birch Hollow').count()).toBe(0);
    await page.getByText('0 responses so far').waitFor();
    for (const name of ['Close now', 'Extend', 'Delete every response…', 'Make the codes and download the PDF']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await page.getByRole('heading', { name: 'Manage the survey' }).count()).toBe(0);
    await expectAccessible(page, 'administration page for a school member');
    await context.close();
  });
});
