import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdministration } from '../src/features/surveys/server/surveys.service.js';
import { type CreateAdministrationBody, createAdministrationBody } from '../src/features/surveys/surveys.contract.js';
import { queryRows } from '../src/server/db/client.js';
import { actorOf } from '../src/server/test/factories.js';
import { type E2E, expectAccessible, newPage, startE2E } from './support.js';

let e2e: E2E;
/** Open-link codes of Alder Creek Elementary: an open survey, a closed one, one not open yet. */
const codes = { open: '', closed: '', notOpen: '' };
let openId = 0;

/** A wall-clock time `hours` from now, in UTC, as the coordinator's form sends it. */
const utcIn = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);

beforeAll(async () => {
  e2e = await startE2E();
  const db = e2e.database.db;
  const [school] = await queryRows<{ id: number }>(db, sql`select id from organizations where name = 'Alder Creek Elementary School'`);
  const [coordinator] = await queryRows<{ id: number }>(db, sql`select id from users where email = 'coordinator@demo.schoolwell.test'`);
  const actor = await actorOf(db, coordinator.id);
  const give = async (title: string, opensIn: number, closesIn: number) => {
    const body: CreateAdministrationBody = {
      orgId: school.id,
      instrumentId: 'student_connectedness_elementary',
      title,
      languages: ['en', 'fr', 'es'],
      opensAt: utcIn(opensIn),
      closesAt: utcIn(closesIn),
      timeZone: 'UTC',
      consent: 'passive',
      notice: { en: 'Your family got a letter about this survey.', fr: 'Ta famille a reçu une lettre au sujet de ce sondage.', es: 'Tu familia recibió una carta sobre esta encuesta.' },
      assent: { en: 'You can stop at any time.', fr: 'Tu peux arrêter à tout moment.', es: 'Puedes parar cuando quieras.' },
      demographics: ['grade'],
    };
    // Parsed as the route parses it (defaults included: an open link per school).
    const a = await createAdministration(db, actor, createAdministrationBody.parse(body));
    return { id: a.id, code: a.sites[0].linkCode! };
  };
  const open = await give('Spring student survey', -1, 24);
  openId = open.id;
  codes.open = open.code;
  codes.closed = (await give('Fall student survey', -24 * 30, -24 * 20)).code;
  codes.notOpen = (await give('Next year', 24 * 30, 24 * 40)).code;
});
afterAll(() => e2e?.close());

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
/** The scale of one question, found by its words. */
const question = (page: Page, text: string) => page.getByRole('radiogroup', { name: text });
const responses = async () => (await queryRows<{ n: number; lang: string | null }>(e2e.database.db, sql`select count(*)::int as n, max(language) as lang from survey_responses where administration_id = ${openId}`))[0];
const stored = (page: Page, code: string) => page.evaluate((k) => localStorage.getItem(k), `schoolwell.survey.${code}`);

describe('a student answers the survey on a flaky connection', () => {
  it('in French, across pages, skipping some, offline for a while; nothing is lost and the answers arrive once', async () => {
    const { context, page } = await newPage(e2e);
    // Nothing goes anywhere but this server, and the CSP (no inline scripts) holds.
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => void requests.push(r.url()));
    page.on('pageerror', (err) => void problems.push(err.message));
    page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && problems.push(m.text())));
    await page.goto(`/s/${codes.open.toLowerCase()}`);
    await page.getByRole('button', { name: 'Yes, start' }).waitFor();
    expect(await page.getByText('Alder Creek Elementary School').count()).toBe(1);
    await expectAccessible(page, 'welcome (English)');

    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('button', { name: 'Oui, commencer' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.getByText('Ta famille a reçu une lettre au sujet de ce sondage.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')).toBe('true');
    await expectAccessible(page, 'welcome (French)');

    await page.getByRole('button', { name: 'Oui, commencer' }).click();
    await heading(page).filter({ hasText: 'Moi et mon école' }).waitFor();
    expect(await page.getByText('Partie 1 sur 8').count()).toBe(1);
    // The page heading has the focus after the move: the keyboard goes on from there.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    const first = question(page, 'Je sens que je fais partie de mon école.');
    expect(await first.getByRole('radio', { name: 'Parfois' }).isChecked()).toBe(true);
    await first.getByRole('radio', { name: 'Oui, toujours' }).check();
    await question(page, "J'ai hâte d'aller à l'école.").getByRole('radio', { name: 'La plupart du temps' }).check();
    await expectAccessible(page, 'first page with answers');
    expect(JSON.parse((await stored(page, codes.open))!).answers).toEqual({ belong_part: 4, belong_look_forward: 3 });

    // Part 2 skipped entirely: Next always works.
    await page.getByRole('button', { name: 'Suivant' }).click();
    await heading(page).filter({ hasText: 'Les adultes de mon école' }).waitFor();
    await page.getByRole('button', { name: 'Suivant' }).click();
    await heading(page).filter({ hasText: 'Les autres élèves de mon école' }).waitFor();

    // The connection drops: answering and moving on still work, all on the device.
    await context.setOffline(true);
    await question(page, "J'ai au moins un bon ami ou une bonne amie à l'école.").getByRole('radio', { name: 'Oui, toujours' }).check();
    await page.getByRole('button', { name: 'Suivant' }).click();
    await heading(page).filter({ hasText: 'Me sentir en sécurité' }).waitFor();
    await question(page, "Je me sens en sécurité à l'école.").getByRole('radio', { name: 'Non, jamais' }).check();
    // A clear second thought: the answer can be taken back.
    await question(page, "Je me sens en sécurité à l'école.").getByRole('button', { name: 'Effacer ma réponse' }).click();
    expect(await question(page, "Je me sens en sécurité à l'école.").getByRole('radio', { name: 'Non, jamais' }).isChecked()).toBe(false);
    await question(page, 'Je me sens en sécurité à la récréation.').getByRole('radio', { name: 'Parfois' }).check();

    // The tab is reloaded (the connection back for the page itself): same page, same answers.
    await context.setOffline(false);
    await page.reload();
    await heading(page).filter({ hasText: 'Me sentir en sécurité' }).waitFor();
    expect(await page.getByText('Partie 4 sur 8').count()).toBe(1);
    expect(await question(page, 'Je me sens en sécurité à la récréation.').getByRole('radio', { name: 'Parfois' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Retour' }).click();
    await page.getByRole('button', { name: 'Retour' }).click();
    await page.getByRole('button', { name: 'Retour' }).click();
    await heading(page).filter({ hasText: 'Moi et mon école' }).waitFor();
    expect(await question(page, 'Je sens que je fais partie de mon école.').getByRole('radio', { name: 'Oui, toujours' }).isChecked()).toBe(true);

    // On to the end; readable on a 320 px wide phone without sideways scrolling.
    await page.setViewportSize({ width: 320, height: 700 });
    for (let part = 2; part <= 8; part++) {
      await page.getByRole('button', { name: 'Suivant' }).click();
      await page.getByText(`Partie ${part} sur 8`).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    }
    await heading(page).filter({ hasText: 'À propos de toi' }).waitFor();
    // Only the demographic question the school asks, with "prefer not to say".
    expect(await page.getByRole('radiogroup').count()).toBe(1);
    await question(page, 'En quelle année es-tu?').getByRole('radio', { name: 'Je préfère ne pas répondre' }).check();
    await expectAccessible(page, 'last page, 320 px');

    // Sent while offline: it waits, says so, and keeps the answers.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
    await heading(page).filter({ hasText: 'Les réponses attendent d’être envoyées' }).waitFor();
    expect(await page.getByText(/Il n’y a pas de connexion Internet pour le moment/).count()).toBe(1);
    await expectAccessible(page, 'waiting to send');
    expect(JSON.parse((await stored(page, codes.open))!)).toMatchObject({ sending: true, answers: { belong_part: 4, belong_look_forward: 3, peer_friend: 4, safe_recess: 2, grade: 'PNS' } });
    expect((await responses()).n).toBe(0);

    // The connection comes back: sent by itself, acknowledged, thanked, and cleared from the device.
    await context.setOffline(false);
    await heading(page).filter({ hasText: 'Merci!' }).waitFor({ timeout: 30_000 });
    expect(await responses()).toEqual({ n: 1, lang: 'fr' });
    expect(await stored(page, codes.open)).toBeNull();
    await expectAccessible(page, 'thank-you');

    // A reload still thanks; an open link lets the next person on this Chromebook answer too.
    await page.reload();
    await heading(page).filter({ hasText: 'Merci!' }).waitFor();
    await page.getByRole('button', { name: 'Commencer une nouvelle réponse' }).click();
    await page.getByRole('button', { name: 'Oui, commencer' }).waitFor();
    expect((await responses()).n).toBe(1);
    expect(requests.filter((u) => !u.startsWith(`${e2e.baseUrl}/`))).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('in a new tab, asks before going on with answers left on the device (a shared Chromebook)', async () => {
    const { context, page } = await newPage(e2e);
    await page.goto(`/s/${codes.open}`);
    await page.getByRole('button', { name: 'Yes, start' }).click();
    await question(page, 'I feel like I am part of my school.').getByRole('radio', { name: 'Sometimes' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Part 2 of 8').waitFor();
    await page.close();

    const later = await context.newPage();
    await later.goto(`/s/${codes.open}`);
    await later.getByText('Some answers are already saved on this device.').waitFor();
    await expectAccessible(later, 'welcome with saved answers');
    await later.getByRole('button', { name: 'Continue where I stopped' }).click();
    await later.getByText('Part 2 of 8').waitFor();
    await later.getByRole('button', { name: 'Back' }).click();
    expect(await question(later, 'I feel like I am part of my school.').getByRole('radio', { name: 'Sometimes' }).isChecked()).toBe(true);

    // Someone else: starting over forgets the answers left behind.
    const next = await context.newPage();
    await next.goto(`/s/${codes.open}`);
    await next.getByRole('button', { name: 'Start over' }).click();
    await next.getByText('Part 1 of 8').waitFor();
    expect(await question(next, 'I feel like I am part of my school.').getByRole('radio', { name: 'Sometimes' }).isChecked()).toBe(false);
    expect(JSON.parse((await stored(next, codes.open))!).answers).toEqual({});
    await context.close();
  });

  it('asks before sending a response left waiting when the page is opened again, then retries until the server takes it', async () => {
    const { context, page } = await newPage(e2e, { locale: 'es-MX' });
    // The server cannot be reached for the sending only (the page itself loads).
    let down = true;
    await context.route('**/api/public/responses', (route) => (down ? route.abort('connectionrefused') : route.continue()));
    await page.goto(`/s/${codes.open}`);
    await page.getByRole('button', { name: 'Sí, empezar' }).click();
    await question(page, 'Siento que soy parte de mi escuela.').getByRole('radio', { name: 'A veces' }).check();
    for (let part = 2; part <= 8; part++) await page.getByRole('button', { name: 'Siguiente' }).click();
    await page.getByRole('button', { name: 'Enviar mis respuestas' }).click();
    await heading(page).filter({ hasText: 'Las respuestas esperan para enviarse' }).waitFor();
    expect(await page.getByText(/Schoolwell está ocupado o no responde/).count()).toBe(1);
    const before = (await responses()).n;

    // Closed and opened again later, still unsent: a new tab (maybe someone else) asks first.
    await page.close();
    const again = await context.newPage();
    await again.goto(`/s/${codes.open}`);
    await heading(again).filter({ hasText: 'Hay respuestas esperando para enviarse' }).waitFor();
    await expectAccessible(again, 'answers waiting, asked in a new tab');
    await again.getByRole('button', { name: 'Enviar las respuestas guardadas en este dispositivo' }).click();
    await heading(again).filter({ hasText: 'Las respuestas esperan para enviarse' }).waitFor();
    // Now it is this tab's send: a reload goes on sending without a click.
    await again.reload();
    await heading(again).filter({ hasText: 'Las respuestas esperan para enviarse' }).waitFor();
    down = false;
    await again.getByRole('button', { name: 'Intentar ahora' }).click();
    await heading(again).filter({ hasText: '¡Gracias!' }).waitFor({ timeout: 30_000 });
    expect((await responses()).n).toBe(before + 1);
    await context.close();
  });
});

describe('answers the server will not take never block the device', () => {
  it('too long: back to the answers; refused: discarded, and the next person starts afresh', async () => {
    const { context, page } = await newPage(e2e);
    let reply = 413;
    await context.route('**/api/public/responses', (route) =>
      route.fulfill({ status: reply, contentType: 'application/json', body: JSON.stringify({ error: { code: reply === 413 ? 'payload_too_large' : 'bad_request', message: 'x' } }) }),
    );
    let posts = 0;
    page.on('request', (r) => void (r.url().endsWith('/api/public/responses') && posts++));
    await page.goto(`/s/${codes.open}`);
    await page.getByRole('button', { name: 'Yes, start' }).click();
    await question(page, 'I feel like I am part of my school.').getByRole('radio', { name: 'Sometimes' }).check();
    for (let part = 2; part <= 8; part++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    // 413 is final: no retrying, a plain way out.
    await page.getByText('Your answers are too long to send.', { exact: false }).waitFor();
    expect(posts).toBe(1);
    await expectAccessible(page, 'answers too long');
    await page.getByRole('button', { name: 'Back to my answers' }).click();
    await page.getByText('Part 8 of 8').waitFor();

    // A 400 naming no field: stuck answers can be discarded, in this tab or any other.
    reply = 400;
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await heading(page).filter({ hasText: 'Your answers could not be sent' }).waitFor();
    const other = await context.newPage();
    await other.goto(`/s/${codes.open}`);
    await heading(other).filter({ hasText: 'Some answers are waiting to be sent' }).waitFor();
    await other.close();
    await expectAccessible(page, 'answers refused');
    await page.getByRole('button', { name: 'Discard these answers and start over' }).click();
    await page.getByRole('button', { name: 'Yes, start' }).waitFor();
    expect(await stored(page, codes.open)).toBeNull();
    const next = await context.newPage();
    await next.goto(`/s/${codes.open}`);
    await next.getByRole('button', { name: 'Yes, start' }).waitFor();
    await context.close();
  });
});

describe('links that cannot be answered say so plainly, in the respondent’s language', () => {
  it('closed, not yet open, unknown, and no code at all', async () => {
    const en = await newPage(e2e);
    await en.page.goto(`/s/${codes.closed}`);
    await heading(en.page).filter({ hasText: 'This survey is closed' }).waitFor();
    expect(await en.page.getByText('Alder Creek Elementary School').count()).toBe(1);
    await expectAccessible(en.page, 'closed survey');
    await en.context.close();

    const es = await newPage(e2e, { locale: 'es-MX' });
    await es.page.goto(`/s/${codes.notOpen}`);
    await heading(es.page).filter({ hasText: 'Esta encuesta todavía no está abierta' }).waitFor();
    expect(await es.page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect(await es.page.getByText(/^Abre el .+\. Hay que volver en ese momento\.$/).count()).toBe(1);
    await expectAccessible(es.page, 'survey not open yet');
    await es.context.close();

    const fr = await newPage(e2e, { locale: 'fr-CA' });
    await fr.page.goto('/s/NOSUCHCODE1');
    await heading(fr.page).filter({ hasText: 'Ce sondage est introuvable' }).waitFor();
    await expectAccessible(fr.page, 'unknown code');
    await fr.context.close();

    // No code: a small form; codes are typed in any case, with or without dashes.
    const typed = await newPage(e2e);
    await typed.page.goto('/s/');
    await heading(typed.page).filter({ hasText: 'Answer a survey' }).waitFor();
    await typed.page.getByLabel('Survey code').fill('ab');
    await typed.page.getByRole('button', { name: 'Open the survey' }).click();
    await typed.page.getByText('Type a code of at least 4 letters or numbers.').waitFor();
    await expectAccessible(typed.page, 'code form with an error');
    await typed.page.getByLabel('Survey code').fill(`${codes.open.slice(0, 4).toLowerCase()}-${codes.open.slice(4)}`);
    await typed.page.getByRole('button', { name: 'Open the survey' }).click();
    await typed.page.waitForURL(`**/s/${codes.open}`);
    await typed.page.getByRole('button', { name: 'Yes, start' }).waitFor();
    await typed.context.close();
  });
});

describe('saying no', () => {
  it('"No thanks" is counted (nothing else) and closes kindly', async () => {
    const declined = async () => (await queryRows<{ n: number }>(e2e.database.db, sql`select coalesce(sum(declined), 0)::int as n from survey_sites where administration_id = ${openId}`))[0].n;
    const before = await declined();
    const { context, page } = await newPage(e2e);
    await page.goto(`/s/${codes.open}`);
    await page.getByRole('button', { name: 'No thanks' }).click();
    await heading(page).filter({ hasText: 'That is okay' }).waitFor();
    await expectAccessible(page, 'declined');
    await expect.poll(declined).toBe(before + 1);
    expect(await stored(page, codes.open)).toBeNull();
    await context.close();
  });
});
