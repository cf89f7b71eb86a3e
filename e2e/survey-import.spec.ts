import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/server/db/client.js';
import { extdataPath } from '../src/server/test/extdata.js';
import { type E2E, expectAccessible, newPage, signIn, startE2E } from './support.js';

const UCI = extdataPath('likert_survey/uci_student_mat.csv');

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

describe('a district coordinator imports past results', () => {
  it('matches the UCI file to a survey, watches it import, reads the report and opens the closed survey', async () => {
    // Worked out from the file by hand: rows per school, and mothers' education "0" (not on a 1–5 scale).
    const rows = readFileSync(UCI, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const perSchool = (s: string) => rows.filter((r) => r[0] === s).length;
    const medu0 = rows.filter((r) => r[6] === '0').length;

    const { page, context } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.getByRole('link', { name: 'Cedar Valley School District' }).first().click();
    await page.getByRole('tab', { name: 'Surveys' }).click();
    await page.getByRole('link', { name: 'Import past results' }).click();
    await page.waitForURL(/\/surveys\/import$/);
    await page.getByRole('heading', { level: 1, name: 'Import past survey results' }).waitFor();
    await expectAccessible(page, 'import page, first step');

    // Step 1: the survey and the file.
    await page.getByLabel('Survey the results answer').selectOption('student_connectedness_secondary');
    await page.locator('input[type=file]').setInputFiles(UCI);
    await page.getByRole('button', { name: 'Read the file' }).click();
    const step2 = page.getByRole('region', { name: '2. Match the file to the survey' });
    await step2.getByText('395 rows and 33 columns read from uci_student_mat.csv.').waitFor();

    // The school column is proposed by its name; its values are matched to two of the district's schools.
    expect(await page.getByLabel('Column that names the school').inputValue()).toBe('0');
    // Chosen by name (the option reads "name (code)").
    for (const [value, school] of [['GP', 'Alder Creek Elementary School'], ['MS', 'Birch Hollow Elementary School']]) {
      const select = page.getByLabel(`School for “${value}”`);
      await select.selectOption((await select.locator('option', { hasText: school }).getAttribute('value'))!);
    }
    await page.getByLabel(/^Day it was given/).fill('2019-05-14');
    await page.getByLabel('Time zone', { exact: true }).selectOption('UTC');

    // "sex" is proposed for the gender question; its letters are given their answers by hand.
    expect(await page.getByLabel('Question for column sex').inputValue()).toBe('gender_identity');
    await page.getByRole('button', { name: 'Check the values of sex' }).click();
    expect(await page.getByRole('button', { name: 'Hide the values' }).getAttribute('aria-expanded')).toBe('true');
    await page.getByLabel('Answer for “F” in column sex').selectOption({ label: 'Girl' });
    await page.getByLabel('Answer for “M” in column sex').selectOption({ label: 'Boy' });
    await page.getByLabel('Question for column famrel').selectOption('belong_part');
    await page.getByLabel('Question for column goout').selectOption('peer_friend');
    await page.getByLabel('Question for column Medu').selectOption('adult_believe');
    const medu = page.getByRole('row', { name: /^Medu/ });
    await medu.getByText(`1 value not recognised (${medu0} rows)`, { exact: false }).waitFor();
    expect(await page.getByRole('row', { name: /^sex/ }).getByText('Every value recognised').count()).toBe(1);
    await expectAccessible(page, 'matching step');

    // Step 3: the import runs with its progress, then the report.
    await page.getByRole('button', { name: 'Import 395 rows' }).click();
    const step3 = page.getByRole('region', { name: '3. Import' });
    await step3.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    await step3.getByRole('status').filter({ hasText: 'Import finished' }).waitFor();
    await step3.getByText('395 of 395 rows read, 395 responses written').waitFor();
    await step3.getByText('395 responses imported into a closed survey').waitFor();
    const perSchoolTable = step3.getByRole('table', { name: 'Responses imported per school' });
    expect(await perSchoolTable.getByRole('row', { name: /^Alder Creek Elementary School/ }).textContent()).toBe(`Alder Creek Elementary School${perSchool('GP')}`);
    expect(await perSchoolTable.getByRole('row', { name: /^Birch Hollow Elementary School/ }).textContent()).toBe(`Birch Hollow Elementary School${perSchool('MS')}`);
    await step3.getByRole('heading', { name: '28 columns not imported' }).waitFor();
    expect(await step3.getByText('age, address, famsize', { exact: false }).count()).toBe(1);
    const invalid = step3.getByRole('table', { name: 'Values left unanswered because no answer was found for them, per column' });
    expect(await invalid.getByRole('row', { name: /^Medu/ }).textContent()).toMatch(new RegExp(`^Meduadult_believe0${medu0}`));
    await step3.getByText('None: every row was imported.').waitFor();
    await expectAccessible(page, 'import report');

    // What was stored: the day, the schools, the answers.
    const link = step3.getByRole('link', { name: /^Open the survey “.+ \(past results\)”$/ });
    const administrationId = Number((await link.getAttribute('href'))!.split('/').pop());
    const [stored] = await queryRows<{ n: number; girls: number; days: string[] }>(
      e2e.database.db,
      sql`select count(*)::int as n, count(*) filter (where groups->>'gender_identity' = 'girl')::int as girls, array_agg(distinct submitted_on::text) as days
          from survey_responses where administration_id = ${administrationId}`,
    );
    expect(stored).toEqual({ n: 395, girls: rows.filter((r) => r[1] === 'F').length, days: ['2019-05-14'] });

    // The new administration: closed, with its two schools.
    await link.click();
    await page.waitForURL(`**/surveys/${administrationId}`);
    await page.getByRole('heading', { level: 1, name: /\(past results\)$/ }).waitFor();
    expect(await page.getByText('Closed', { exact: true }).count()).toBeGreaterThan(0);
    await page.getByText('395 responses so far').waitFor();
    await expectAccessible(page, 'imported administration');
    await context.close();
  });

  it('says what to fix when a file cannot be read', async () => {
    const { page, context } = await newPage(e2e);
    await signIn(page, 'coordinator@demo.schoolwell.test');
    await page.goto('/orgs');
    await page.getByRole('link', { name: 'Cedar Valley School District' }).first().click();
    await page.getByRole('tab', { name: 'Surveys' }).click();
    await page.getByRole('link', { name: 'Import past results' }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'results.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004 not a csv') });
    await page.getByRole('button', { name: 'Read the file' }).click();
    await page.getByText('This is a spreadsheet or a ZIP file. Save the sheet as "CSV UTF-8" and upload that.').waitFor();
    await expectAccessible(page, 'import page with a refused file');
    await context.close();
  });
});
