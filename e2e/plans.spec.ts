import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/server/db/client.js';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

describe('from a weak score to a goal, actions, resources, and the district\'s view', () => {
  it('a coordinator makes a goal of the weakest domain in two clicks, adds actions with owners, attaches three recommended resources; the district sees it', async () => {
    const db = e2e.database.db;
    // Alder Creek's latest submitted quality self-assessment and its weakest tagged domain, read from the database.
    const [assessment] = await queryRows<{ id: number; org_id: number; district_id: number }>(
      db,
      sql`select a.id, a.org_id, o.parent_id as district_id from assessments a join organizations o on o.id = a.org_id
          where o.name = 'Alder Creek Elementary School' and a.instrument_id = 'quality_school' and a.status = 'submitted'
          order by a.school_year desc, a.submitted_at desc limit 1`,
    );
    const [weakest] = await queryRows<{ scale_id: string; score: number }>(db, sql`select scale_id, score from assessment_scores where assessment_id = ${assessment.id} and scale_id <> 'overall' and score is not null order by score, scale_id limit 1`);
    const title = JSON.parse((await queryRows<{ d: string }>(db, sql`select definition::text as d from instrument_versions where instrument_id = 'quality_school' and version = 1`))[0].d).scales.find((s: { id: string }) => s.id === weakest.scale_id).title.en;

    const { page } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.goto(`/assessments/${assessment.id}/results`);
    const row = page.getByRole('row', { name: new RegExp(`^${title}`) });
    await row.getByText('Weakest domain').waitFor();
    await expectAccessible(page, 'assessment results with plan hand-off and recommendations');

    // Click one: the goal, filled in from the result. Click two: added to a new plan for the year.
    await row.getByRole('button', { name: `Make this a plan goal: ${title}` }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('textbox', { name: /^Goal/ }).inputValue()).toBe(`Strengthen ${title}`);
    await dialog.getByText(/will start with this goal/).waitFor();
    await expectAccessible(page, 'make a goal dialog');
    await dialog.getByRole('button', { name: 'Add the goal' }).click();
    await page.waitForURL(/\/goals\/\d+$/);
    await page.getByRole('heading', { level: 1, name: `Strengthen ${title}` }).waitFor();
    await page.getByText('Waiting for new results').waitFor();
    await page.getByText(`Started at ${Number.isInteger(weakest.score) ? weakest.score : weakest.score.toFixed(1)}`).waitFor();

    // Two actions: one owned by a team member, one by a partner without an account.
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add an action' }) });
    await form.getByRole('textbox', { name: /^What will be done/ }).fill('Set a monthly team meeting with an agenda');
    await form.getByLabel('Owner', { exact: true }).selectOption({ label: 'Morgan Member (Team member, Alder Creek Elementary School)' });
    await form.getByLabel('Due').fill('2027-01-31');
    await form.getByLabel('Importance').selectOption('5');
    for (const c of ['Cost', 'Time', 'Commitment', 'Feasibility']) await form.getByLabel(c).selectOption('4');
    await form.getByRole('button', { name: 'Add an action' }).click();
    await page.getByRole('row', { name: /Set a monthly team meeting/ }).getByText('21 of 25').waitFor();
    await form.getByRole('textbox', { name: /^What will be done/ }).fill('Invite the community clinic to the team');
    await form.getByLabel('Owner', { exact: true }).selectOption({ label: 'Someone without an account…' });
    await form.getByLabel('Their name').fill('Dr. Rivera (community clinic)');
    await form.getByRole('button', { name: 'Add an action' }).click();
    await page.getByRole('row', { name: /Invite the community clinic/ }).getByText('Dr. Rivera (community clinic)').waitFor();

    // Three recommended resources, attached one after another.
    const recommended = page.getByRole('region', { name: 'Recommended resources' });
    for (let i = 0; i < 3; i++) {
      await recommended.getByRole('button', { name: /^Attach/ }).first().click();
      await expect.poll(async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from plan_attachments`))[0].n).toBe(i + 1);
    }
    const attachments = page.locator('section[aria-labelledby="attachments-title"]');
    await expect.poll(() => attachments.getByRole('link').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => recommended.getByText('Attached').count()).toBe(3);
    await expectAccessible(page, 'goal page with actions and attachments');

    // The plan: its board and its timeline.
    await page.getByRole('link', { name: /^Back to / }).click();
    await page.getByRole('heading', { level: 4, name: `Strengthen ${title}` }).waitFor();
    await expectAccessible(page, 'plan board');
    await page.getByText('Timeline', { exact: true }).click();
    await page.getByRole('row', { name: /Set a monthly team meeting/ }).waitFor();
    expect(page.url()).toContain('view=timeline');
    await expectAccessible(page, 'plan timeline');

    // The district sees Alder Creek's plan in its progress, beside the schools that had one.
    await page.goto(`/orgs/${assessment.district_id}/plans`);
    const progress = page.getByRole('table', { name: 'Current plans by organisation' });
    const alder = progress.getByRole('row', { name: /^Alder Creek Elementary School/ });
    await alder.waitFor();
    expect(await alder.getByRole('cell').allInnerTexts()).toEqual(['1 of 1', '1', '0', '2', '0', '0', '0', '0', '0']);
    const element = JSON.parse((await queryRows<{ d: string }>(db, sql`select definition::text as d from frameworks where id = 'quality'`))[0].d).elements.find((e: { id: string }) => e.id === weakest.scale_id).name.en;
    await page.getByRole('table', { name: 'Goals and actions by framework element' }).getByRole('row', { name: new RegExp(`^${element} \\(`) }).waitFor();
    await expectAccessible(page, 'district plans tab');
  });
});
