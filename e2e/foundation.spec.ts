import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extdataPath } from '../src/server/test/extdata.js';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

const fr = JSON.parse(readFileSync(new URL('../src/client/locales/fr.json', import.meta.url), 'utf8'));
const es = JSON.parse(readFileSync(new URL('../src/client/locales/es.json', import.meta.url), 'utf8'));

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

/** Reads the development outbox as the demo operator, the one account allowed to. */
async function latestMailTo(email: string): Promise<string> {
  const login = await fetch(`${e2e.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'operator@demo.schoolwell.test', password: 'schoolwell-demo' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const res = await fetch(`${e2e.baseUrl}/dev/outbox.json`, { headers: { cookie } });
  const mails = (await res.json()) as { to: string; text: string }[];
  const mail = mails.find((m) => m.to === email);
  if (!mail) throw new Error(`no mail to ${email}`);
  return mail.text;
}

function linkIn(text: string): string {
  const url = text.match(/https?:\/\/\S+/)?.[0];
  if (!url) throw new Error('no link in mail');
  return new URL(url).pathname;
}

describe('a newcomer signs in and finds their way', () => {
  it('signs in, browses the tree down to a school, and every page passes axe', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/orgs');
    await page.waitForURL(/\/login\?next=/);
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Email').fill('admin@demo.schoolwell.test');
    await page.getByLabel(/^Password/).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not right');
    await page.getByLabel(/^Password/).fill('schoolwell-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/orgs$/);
    await expectAccessible(page, 'organisation tree');

    await page.getByRole('button', { name: 'Show what is in Northstar School Wellbeing Coalition' }).click();
    await page.getByRole('button', { name: 'Show what is in Manitoba' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Hide what is in Manitoba' }).getAttribute('aria-expanded')).toBe('true');
    // Canadian districts are called school boards.
    await expect.poll(() => page.getByText('School board', { exact: true }).count()).toBe(3);
    await page.getByRole('button', { name: 'Show what is in Red River School Board' }).click();
    await page.getByRole('link', { name: 'Kildonan Collegiate' }).click();
    await page.waitForURL(/\/orgs\/\d+$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Kildonan Collegiate');
    await expectAccessible(page, 'school overview');
    for (const tab of ['Members', 'Partners', 'Settings']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(200);
      await expectAccessible(page, `school ${tab} tab`);
    }

    // Search by code prefix and by name.
    await page.getByRole('link', { name: 'Organisations', exact: true }).first().click();
    await page.getByLabel('Search by name or code').fill('5300202');
    await expect.poll(() => page.getByRole('table').getByRole('link').allTextContents()).toEqual(
      expect.arrayContaining(['Riverbend School District']),
    );
    await page.getByLabel('Search by name or code').fill('heron');
    await expect.poll(() => page.getByRole('table').getByRole('link').allTextContents()).toEqual(['Heron Point Elementary School']);
    await expectAccessible(page, 'search results');

    for (const path of ['/import', '/audit', '/account', '/no-such-page']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expectAccessible(page, path);
    }
    await context.close();
  });

  it('keeps people inside their own organisations', async () => {
    const { context, page } = await newPage(e2e);
    await signIn(page, 'viewer@demo.schoolwell.test');
    await expect.poll(() => page.locator('ul.tree-list.root > li a').allTextContents()).toEqual(['Alder Creek Elementary School']);
    // Another school of the same district exists, but the viewer must not learn even that.
    const ids = await page.evaluate(async () => {
      const res = await fetch('/api/orgs?q=Elementary');
      return (await res.json()).items.map((o: { name: string }) => o.name);
    });
    expect(ids).toEqual(['Alder Creek Elementary School']);
    await page.goto('/orgs/1');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Organisation not found');
    await expect.poll(() => page.getByRole('tab').count()).toBe(0);
    await context.close();
  });
});

describe('invitations and passwords', () => {
  it('a coordinator invites a new team member, who joins through the mailed link', async () => {
    const coordinator = await newPage(e2e);
    await signIn(coordinator.page, 'coordinator@demo.schoolwell.test');
    await coordinator.page.getByRole('button', { name: 'Show what is in Cedar Valley School District' }).click();
    await coordinator.page.getByRole('link', { name: 'Foxglove Elementary School' }).click();
    await coordinator.page.getByRole('tab', { name: 'Members' }).click();
    // Coordinators may bring in team members and viewers, not admins.
    await expect.poll(() => coordinator.page.getByLabel('Role', { exact: true }).locator('option').allTextContents()).toEqual(['Team member', 'Viewer']);
    await coordinator.page.getByLabel(/^Email/).fill('new.counsellor@example.test');
    await coordinator.page.getByRole('button', { name: 'Send the invitation' }).click();
    await expect.poll(() => coordinator.page.getByRole('status').textContent()).toContain('new.counsellor@example.test');
    await expectAccessible(coordinator.page, 'members with an open invitation');

    const invitee = await newPage(e2e);
    await invitee.page.goto(linkIn(await latestMailTo('new.counsellor@example.test')));
    await invitee.page.getByText('Foxglove Elementary School').first().waitFor();
    await expectAccessible(invitee.page, 'invitation');
    await invitee.page.getByLabel(/^Name/).fill('Nia Counsellor');
    await invitee.page.getByLabel(/^New password/).fill('a long new password');
    await invitee.page.getByLabel(/^Type the new password again/).fill('a long new password');
    await invitee.page.getByRole('button', { name: 'Accept the invitation' }).click();
    await invitee.page.waitForURL(/\/orgs$/);
    await expect.poll(() => invitee.page.locator('ul.tree-list.root > li a').allTextContents()).toEqual(['Foxglove Elementary School']);

    await coordinator.page.reload();
    await expect.poll(() => coordinator.page.getByRole('cell', { name: 'new.counsellor@example.test' }).count()).toBe(1);
    await coordinator.context.close();
    await invitee.context.close();
  });

  it('resets a forgotten password through a one-time link', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expectAccessible(page, 'forgot password');
    await page.getByLabel(/^Email/).fill('member@demo.schoolwell.test');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('status').waitFor();
    const path = linkIn(await latestMailTo('member@demo.schoolwell.test'));
    await page.goto(path);
    await expectAccessible(page, 'reset password');
    await page.getByLabel(/^New password/).fill('my brand new password');
    await page.getByLabel(/^Type the new password again/).fill('my brand new password');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByRole('status').waitFor();
    await signIn(page, 'member@demo.schoolwell.test', 'my brand new password');
    // The link is spent.
    await page.goto(path);
    await page.getByLabel(/^New password/).fill('another new password');
    await page.getByLabel(/^Type the new password again/).fill('another new password');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('expired or was already used');
    await context.close();
  });
});

describe('languages', () => {
  it('switches between English, French and Spanish, and the choice persists', async () => {
    const { context, page } = await newPage(e2e);
    await signIn(page, 'partner@demo.schoolwell.test');
    await page.getByLabel('Language').selectOption('fr');
    await expect.poll(() => page.getByRole('link', { name: fr.nav.account }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await expectAccessible(page, 'French organisation page');
    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: fr.nav.account }).count()).toBe(1);
    const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()).user.locale);
    expect(me).toBe('fr');
    await page.getByLabel(fr.nav.language).selectOption('es');
    await expect.poll(() => page.getByRole('button', { name: es.nav.signOut }).count()).toBe(1);
    await page.getByRole('button', { name: es.nav.signOut }).click();
    await page.waitForURL(/\/login/);
    // Signed out, the device still remembers Spanish.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(es.login.title);
    await expectAccessible(page, 'Spanish sign-in');
    await context.close();
  });
});

describe('directory import from the browser', () => {
  it('imports the Massachusetts directory under the network with progress and a summary', async () => {
    const { context, page } = await newPage(e2e);
    await signIn(page, 'admin@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Import schools' }).click();
    await page.locator('input[type=file]').setInputFiles(extdataPath('school_directory/ma_public_schools_2017.csv'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
    // 1 state + 410 districts + 1,861 schools, all open in 2017.
    expect(await page.getByText('2272 created').count()).toBe(1);
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await expectAccessible(page, 'import summary');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Nothing changed: the directory was already up to date.').waitFor({ timeout: 60_000 });
    expect(await page.getByText('2272 unchanged').count()).toBe(1);
    await context.close();
  });
});
