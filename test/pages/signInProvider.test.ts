/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApi } from '../../api/server';
import { registerPages } from '../../pages';
import { loadConfig } from '../../temporal.config';
import { startOpenIdProvider, type OpenIdProvider } from '../auth/openIdProvider';

/**
 * The sign-in through the council's identity provider in a real browser (Debian's Chromium via
 * playwright-core, as test/pages/pages.test.ts drives it): the sign-in page with the provider's
 * button passes axe-core's WCAG 2.2 A and AA checks, with and without its error summary; the button
 * takes the browser to the provider on loopback (./openIdProvider.ts) and back, signed in. Only the
 * journey map is visited, which reads no journey, so no Temporal server is needed.
 */

const chromiumPath = process.env.CARE_CHROMIUM_PATH ?? '/usr/bin/chromium';
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

let op: OpenIdProvider;
let app: FastifyInstance;
let browser: Browser;
let base: string;

/** A free port on loopback: the redirect URL registered with the provider names it before the server starts. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  op = await startOpenIdProvider();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const client = { clientId: 'care-pages', redirectUrl: `${base}/sign-in/callback` };
  op.register(client);
  const config = loadConfig({
    ...op.env(client),
    CARE_API_PORT: String(port),
    CARE_API_TOKENS: '{}',
    CARE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'care-signin-browser-')),
  });
  app = await buildApi({
    client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    config,
    extend: registerPages(config),
  });
  await app.listen({ host: '127.0.0.1', port });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await op?.stop();
});

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(wcag).analyze();
  expect(
    results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
  ).toEqual([]);
}

test('the sign-in page with the provider’s button passes axe, and the button signs the person in', async () => {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));

  await page.goto('/journey-map');
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  const button = page.getByRole('button', { name: 'Sign in with Example Council ID', exact: true });
  await expect(button.isVisible()).resolves.toBe(true);
  // the token form stays for development tokens on this machine, below the button
  await expect(page.getByLabel('API token').isVisible()).resolves.toBe(true);
  await expectAccessible(page);

  // the person declines at the provider: back on the sign-in page with an error summary, still accessible
  op.signInAs('deny');
  await button.click();
  await page.waitForURL((url) => url.pathname === '/sign-in/callback');
  expect(await page.locator('.govuk-error-summary').innerText()).toContain(
    'Example Council ID did not sign you in',
  );
  expect(await page.title()).toMatch(/^Error: Sign in/);
  await expectAccessible(page);

  op.signInAs({
    sub: 'ann-sub',
    preferred_username: 'ann@example-council.test',
    roles: ['practitioner'],
    groups: ['north'],
  });
  await page.getByRole('button', { name: 'Sign in with Example Council ID', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/journey-map');
  expect(await page.getByRole('link', { name: /Sign out/ }).innerText()).toBe(
    'Sign out (ann@example-council.test, practitioner)',
  );
  // the browser holds only the session cookie: no token in it, nor in the page's storage
  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name)).toEqual(['care-session']);
  expect(
    await page.evaluate(() => Object.keys(localStorage).length + Object.keys(sessionStorage).length),
  ).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
});
