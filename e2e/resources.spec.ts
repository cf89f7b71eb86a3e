import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

type Entry = { id: string; type: string; title: Record<'en' | 'fr' | 'es', string> };
const starter = JSON.parse(readFileSync(new URL('../content/resources/starter.json', import.meta.url), 'utf8')) as { resources: Entry[] };
const entry = (id: string) => starter.resources.find((r) => r.id === id)!;
const fr = JSON.parse(readFileSync(new URL('../src/features/resources/ui/locales/fr.json', import.meta.url), 'utf8')).resources;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

const results = (page: Page) => page.locator('section[aria-labelledby="resource-results-heading"]').getByRole('article');
const countText = (page: Page) => page.getByRole('status').filter({ hasText: /resources? found/ });
const found = async (page: Page) => Number((await countText(page).textContent())!.match(/^(\d+)/)![1]);
const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

/** Searches from the box and waits for the results of these words (or of the close spelling searched instead). */
async function search(page: Page, words: string, heading: RegExp = new RegExp(`^Results for “${words}”$`)) {
  const box = page.getByRole('searchbox', { name: 'Search the library' });
  await box.fill(words);
  await box.press('Enter');
  await page.waitForURL((u) => u.searchParams.get('q') === words);
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
  await expect.poll(() => countText(page).count()).toBe(1);
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
}
/** The note saying that a close spelling was searched instead of the words typed. */
const spellingNote = (page: Page) => page.locator('.mantine-Alert-message').filter({ hasText: /^Nothing matched/ });

describe('resource library', () => {
  it('a school member searches with highlights, forgives a typo, narrows by a tag kept in the address, and opens a resource', async () => {
    const { page } = await newPage(e2e);
    const crashes: string[] = [];
    page.on('pageerror', (e) => crashes.push(e.message));
    await signIn(page, 'member@demo.schoolwell.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('heading', { level: 1, name: 'Resource library' }).waitFor();
    // With no search: the collections, each a way into the library, and everything to browse.
    const collections = page.getByRole('region', { name: 'Collections' });
    await collections.getByRole('link', { name: 'Screening well' }).waitFor();
    expect(await found(page)).toBe(starter.resources.length);
    await expectAccessible(page, 'the library');

    // A collection narrows the library; leaving it shows everything again.
    await collections.getByRole('link', { name: 'Screening well' }).click();
    await page.waitForURL(/collection=\d+/);
    await page.getByText('Collection: Screening well').waitFor();
    await expect.poll(() => found(page)).toBe(7);
    await page.getByRole('button', { name: 'Show the whole library' }).click();
    await page.waitForURL((u) => !u.searchParams.has('collection'));

    // Words: results with the matched words marked; the keyboard stays in the search box.
    await search(page, 'screening');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    expect(await found(page)).toBeGreaterThanOrEqual(7);
    const first = results(page).first();
    expect((await first.locator('mark').first().textContent())!.toLowerCase()).toContain('screening');
    expect(await page.locator('main mark').count()).toBeGreaterThan(5);
    await page.getByRole('heading', { level: 2, name: 'Results for “screening”' }).waitFor();
    expect(await spellingNote(page).count()).toBe(0);
    await expectAccessible(page, 'search results');

    // A typo still finds the title, and says so.
    await search(page, 'bulying', /^Results for “bullying”$/);
    expect(crashes).toEqual([]);
    await expect.poll(() => results(page).first().getByRole('heading').textContent()).toBe(entry('bullying_response_toolkit').title.en);
    // Said on screen, and to screen readers with the count.
    await spellingNote(page).getByText('Nothing matched “bulying”, so these results are for “bullying”.', { exact: true }).waitFor();
    expect(await countText(page).textContent()).toMatch(/found Nothing matched “bulying”, so these results are for “bullying”\.$/);

    // A tag narrows the results, survives a reload, and Back takes it off.
    await search(page, 'screening');
    const before = await found(page);
    const guides = page.getByRole('checkbox', { name: /^Guide \(\d+\)$/ });
    // The box follows the address, which the router updates in a transition: wait for it.
    await guides.click();
    await page.waitForURL(/type=guide/);
    await expect.poll(() => guides.isChecked()).toBe(true);
    const guideCount = starter.resources.filter((r) => r.type === 'guide').length;
    await expect.poll(() => found(page)).toBeLessThan(before);
    const narrowed = await found(page);
    expect(narrowed).toBeLessThanOrEqual(guideCount);
    for (const card of await results(page).all()) expect(await card.getByText('Guide', { exact: true }).count()).toBe(1);
    // Other types stay on offer, with their own counts ("any of these" within a tag).
    expect(await page.getByRole('checkbox', { name: /^Video \(\d+\)$/ }).count()).toBe(1);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Results for “screening”' }).waitFor();
    await expect.poll(() => page.getByRole('checkbox', { name: /^Guide \(\d+\)$/ }).isChecked()).toBe(true);
    await expect.poll(() => found(page)).toBe(narrowed);
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('type') && u.searchParams.get('q') === 'screening');
    await expect.poll(() => page.getByRole('checkbox', { name: /^Guide \(\d+\)$/ }).isChecked()).toBe(false);
    await expect.poll(() => found(page)).toBe(before);

    // A resource in full; its framework elements lead back into the library.
    const title = (await results(page).first().getByRole('heading').textContent())!;
    await results(page).first().getByRole('link').click();
    await page.waitForURL(/\/resources\/\d+$/);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'About this resource' }).waitFor();
    await expectAccessible(page, 'a resource');
    const element = page.getByRole('definition').getByRole('link').first();
    const elementName = (await element.textContent())!;
    await element.click();
    await page.waitForURL(/\/resources\?element=/);
    await page.getByRole('checkbox', { name: new RegExp(`^${elementName} \\(\\d+\\)$`) }).waitFor();
    expect(await page.getByRole('checkbox', { name: new RegExp(`^${elementName} \\(\\d+\\)$`) }).isChecked()).toBe(true);
    expect(crashes).toEqual([]);
  });

  it('a school member suggests a resource with a file, and the network admin publishes it', async () => {
    const member = (await newPage(e2e)).page;
    await signIn(member, 'member@demo.schoolwell.test');
    await member.goto('/resources');
    await member.getByRole('button', { name: 'Suggest a resource' }).click();
    const dialog = member.getByRole('dialog', { name: 'Suggest a resource' });
    await dialog.getByText('Suggested from Alder Creek Elementary School.').waitFor();
    await expectAccessible(member, 'the suggestion form');

    // Nothing typed: the form says what is missing under each field and goes to the first one.
    await dialog.getByRole('button', { name: 'Send the suggestion' }).click();
    await dialog.getByText('Give the resource a title.').waitFor();
    await dialog.getByText('Say in a few words what the resource is.').waitFor();
    expect(await member.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await expectAccessible(member, 'the suggestion form with errors');

    await dialog.getByLabel('Type').selectOption('toolkit');
    await dialog.getByLabel('Title in English').fill('Lunch clubs that work');
    await dialog.getByLabel('Summary in English').fill('How three schools run lunch clubs that give every student a place to belong.');
    await dialog.getByRole('checkbox', { name: 'Students' }).check();
    await dialog.getByRole('checkbox', { name: 'Elementary' }).check();
    await dialog.getByLabel('Framework elements', { exact: true }).fill('Trusting');
    await member.getByRole('option', { name: 'Trusting and caring relationships' }).click();
    await member.keyboard.press('Escape');
    // A wrong address is refused with a message under the field.
    await dialog.getByLabel('Web address').fill('ftp://lunch.example.org');
    await dialog.getByRole('button', { name: 'Send the suggestion' }).click();
    await dialog.getByText('Give an address starting with https:// or a page of this site starting with /.').waitFor();
    await dialog.getByLabel('Web address').fill('https://example.org/lunch-clubs');
    await dialog.getByLabel('Source').fill('Alder Creek Elementary School');
    await dialog.getByLabel('File', { exact: true }).setInputFiles({ name: 'lunch clubs.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 lunch clubs') });
    await dialog.getByRole('button', { name: 'Send the suggestion' }).click();

    await member.waitForURL(/\/resources\/\d+$/);
    const url = member.url();
    await member.getByRole('heading', { level: 1, name: 'Lunch clubs that work' }).waitFor();
    await member.getByText('Thank you. Your suggestion is waiting').waitFor();
    await member.getByText('Suggestion waiting for review').waitFor();
    await member.getByRole('link', { name: /^Download lunch clubs\.pdf \(20 byte/ }).waitFor();
    await member.getByRole('link', { name: 'Open the resource on example.org (another site, opens in a new tab)' }).waitFor();
    expect(await member.getByRole('link', { name: /another site/ }).getAttribute('rel')).toBe('noopener noreferrer');
    await expectAccessible(member, 'a suggestion waiting');
    // The thanks are said once: a reload shows the suggestion without them.
    await member.reload();
    await member.getByText('Suggestion waiting for review').waitFor();
    expect(await member.getByText('Thank you. Your suggestion is waiting').count()).toBe(0);
    // Not in the library until it is published.
    await member.goto('/resources?q=lunch%20clubs');
    await expect.poll(() => countText(member).count()).toBe(1);
    expect(await results(member).filter({ hasText: 'Lunch clubs that work' }).count()).toBe(0);
    // Words that find nothing: the page says what to try next.
    await member.goto('/resources?q=zzqxvj&type=video');
    await member.getByRole('heading', { name: 'No resources match' }).waitFor();
    await member.getByText('Try clearing some filters, or search with fewer or other words.').waitFor();
    await member.getByRole('button', { name: 'Clear all filters' }).last().click();
    await member.waitForURL((u) => !u.searchParams.has('type'));
    await member.getByRole('button', { name: 'Clear the search' }).click();
    await member.waitForURL((u) => !u.searchParams.has('q'));
    await expect.poll(() => found(member)).toBeGreaterThan(starter.resources.length - 1);

    // The network admin reviews it from the library.
    const admin = (await newPage(e2e)).page;
    await signIn(admin, 'admin@demo.schoolwell.test');
    await admin.goto('/resources');
    await admin.getByRole('button', { name: 'Add a resource' }).waitFor();
    const waiting = admin.getByRole('region', { name: /^Suggestions waiting for / });
    const suggestion = waiting.getByRole('article', { name: 'Lunch clubs that work' });
    await suggestion.getByText(/^Suggested by .+ from Alder Creek Elementary School$/).waitFor();
    await expectAccessible(admin, 'suggestions waiting');
    await suggestion.getByLabel(/^Note for /).fill('Thank you, this is lovely.');
    await suggestion.getByRole('button', { name: 'Publish “Lunch clubs that work”' }).click();
    await admin.getByText('“Lunch clubs that work” is published in the library.').waitFor();
    expect(await waiting.getByRole('article', { name: 'Lunch clubs that work' }).count()).toBe(0);

    // Now everyone in the network finds it, with the curators' note for whoever suggested it.
    await member.goto('/resources?q=lunch%20clubs');
    await expect.poll(() => results(member).first().getByRole('heading').textContent()).toBe('Lunch clubs that work');
    await member.goto(url);
    await member.getByText('Note from the curators: Thank you, this is lovely.').waitFor();
    expect(await member.getByText('Suggestion waiting for review').count()).toBe(0);
    expect(await member.getByRole('button', { name: 'Change the description or file' }).count()).toBe(0);
  });

  it('a network admin adds a resource to the library, changes it, and removes it', async () => {
    const { page } = await newPage(e2e);
    await signIn(page, 'admin@demo.schoolwell.test');
    await page.goto('/resources');
    await page.getByRole('button', { name: 'Add a resource' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a resource' });
    await dialog.getByText(/^It joins the library of .+\.$/).waitFor();
    await dialog.getByLabel('Title in English').fill('Our referral map');
    await dialog.getByLabel('Summary in English').fill('Who to call for which need, across the network.');
    await dialog.getByLabel('Web address').fill('/frameworks');
    // An error the server names goes under that field, and the keyboard goes there.
    await page.route('**/api/resources', (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'validation_failed', message: 'source: Name who made it. (in body)', field: 'source' } }) }),
    );
    await dialog.getByRole('button', { name: 'Add to the library' }).click();
    await dialog.getByText('Name who made it.', { exact: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.mantine-InputWrapper-root')?.querySelector('label')?.textContent)).toBe('Source');
    await page.unroute('**/api/resources');
    await dialog.getByLabel('Source').fill('Northstar coalition');
    await dialog.getByRole('button', { name: 'Add to the library' }).click();
    await page.waitForURL(/\/resources\/\d+$/);
    await page.getByText('The resource is in the library.').waitFor();
    // A page of this site opens inside the app.
    await page.getByRole('link', { name: 'Open this page of Schoolwell: /frameworks' }).waitFor();

    await page.getByRole('button', { name: 'Change the description or file' }).click();
    const edit = page.getByRole('dialog', { name: 'Change “Our referral map”' });
    await edit.getByLabel('Title in English').fill('Our network referral map');
    await edit.getByLabel('Licence').fill('CC0');
    await edit.getByLabel('File', { exact: true }).setInputFiles({ name: 'referral-map.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(2048, 1) });
    await expectAccessible(page, 'the change form');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Our network referral map' }).waitFor();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('link', { name: /^Download referral-map\.pdf \(2 kB\)$/ }).waitFor();
    expect(await page.getByRole('definition').filter({ hasText: 'CC0' }).count()).toBe(1);
    const download = await page.evaluate(async (href) => (await fetch(href!)).arrayBuffer().then((b) => b.byteLength), await page.getByRole('link', { name: /^Download/ }).getAttribute('href'));
    expect(download).toBe(2048);

    await page.getByRole('button', { name: 'Remove from the library' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove “Our network referral map”?' });
    await expectAccessible(page, 'the removal confirmation');
    await confirm.getByRole('button', { name: 'Remove it' }).click();
    await page.waitForURL(/\/resources$/);
    await page.getByText('“Our network referral map” was removed from the library.').waitFor();
    await search(page, 'referral map');
    expect(await results(page).filter({ hasText: 'Our network referral map' }).count()).toBe(0);
  });

  it('fits a 320 px screen, folding the filters away, and reads in French', async () => {
    const { page } = await newPage(e2e);
    await signIn(page, 'member@demo.schoolwell.test');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto('/resources?q=screening');
    await expect.poll(() => countText(page).count()).toBe(1);
    const toggle = page.getByRole('button', { name: 'Show or hide the filters' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('checkbox', { name: /^Guide \(\d+\)$/ }).isVisible()).toBe(false);
    await expect.poll(() => noSideScroll(page)).toBe(true);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('checkbox', { name: /^Guide \(\d+\)$/ }).waitFor();
    await expect.poll(() => noSideScroll(page)).toBe(true);
    await expectAccessible(page, 'the library at 320 px');
    await results(page).first().getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: 'About this resource' }).waitFor();
    await expect.poll(() => noSideScroll(page)).toBe(true);

    // French: the interface and the titles.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/resources');
    await page.getByLabel('Language', { exact: true }).selectOption('fr');
    await page.getByRole('heading', { level: 1, name: fr.library.title }).waitFor();
    const bullying = entry('bullying_response_toolkit').title;
    const box = page.getByRole('searchbox', { name: fr.library.searchLabel });
    await box.fill('intimidation');
    await box.press('Enter');
    await expect.poll(() => results(page).first().getByRole('heading').textContent()).toBe(bullying.fr);
    expect(await page.getByRole('checkbox', { name: /^Trousse \(\d+\)$/ }).count()).toBe(1);
    await expectAccessible(page, 'the library in French');
  });
});
