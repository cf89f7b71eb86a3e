import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { syncShippedContent } from '../src/features/instruments/server/content.sync.js';
import { buildApp } from '../src/server/app.js';
import { testConfig } from '../src/server/config.js';
import type { Database } from '../src/server/db/client.js';
import { seedDemoIfEmpty } from '../src/server/demo/demo.seed.js';
import type { App } from '../src/server/http/types.js';
import { createTestDatabase } from '../src/server/test/test-db.js';
import { ensureClientBuilt } from '../scripts/build-client.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface E2E {
  app: App;
  database: Database;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The real product for a browser test: built web app, server on a free loopback port, a fresh
 * database with the demo seeded, and Debian's Chromium driven by Playwright.
 */
export async function startE2E(): Promise<E2E> {
  ensureClientBuilt();
  const database = await createTestDatabase();
  await syncShippedContent(database.db);
  await seedDemoIfEmpty(database.db);
  const config = testConfig({ loginRateLimitPerMinute: 10_000 });
  const app = await buildApp({ db: database.db, config, serveClient: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  config.publicUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The machine has no network: background services would only fail and slow the browser down.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    app,
    database,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await database.close();
    },
  };
}

export async function newPage(e2e: E2E, opts: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl, locale: opts.locale ?? 'en-US', viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the real form. */
export async function signIn(page: Page, email: string, password = 'schoolwell-demo'): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/orgs/);
}

/** Runs axe-core on the page as it is now and returns the violations (expect none). */
export async function axeViolations(page: Page): Promise<{ id: string; help: string; nodes: string[] }[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/** Fails the test with the list of axe-core violations on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), `axe violations on ${what}`).toEqual([]);
}

