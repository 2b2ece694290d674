/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { JourneyEvent } from '../../machines/events';
import type { Role } from '../../temporal.config';
import { registerPages } from '../../pages';
import { daysAgo, startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, pathToActivation, referral } from '../support/journeyEvents';

/**
 * The operations pages in a real browser (issue 13): Debian's Chromium (npm run setup installs it)
 * driven by playwright-core, against the API's own server on a real Temporal dev server and worker.
 * axe-core checks every page against WCAG 2.2 A and AA; each page is screenshotted into
 * docs/screenshots/ for the README.
 */

const chromiumPath = process.env.CARE_CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = path.resolve(__dirname, '../../docs/screenshots');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** R-EMG-1: interim support started `n` working days ago (so past its 3-working-day deadline when n > 3). */
function emergency(team: string, workerId: string, n: number): JourneyEvent[] {
  return [
    referral(workingDaysAgo(n + 1), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', workingDaysAgo(n + 1), { team, workerId }),
    ev('TRIAGED', workingDaysAgo(n), {
      route: 'emergencyInterimSupport',
      reason: 'Carer admitted to hospital',
    }),
    ev('INTERIM_SUPPORT_STARTED', workingDaysAgo(n), {
      services: ['home care twice daily'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ];
}

let api: ApiHarness;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  api = await startApiHarness({ extend: (config) => registerPages(config) });
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  mkdirSync(screenshots, { recursive: true });
  // an emergency 6 working days past interim support: 3 working days overdue (R-EMG-1)
  await api.drive('EMG-1', emergency('north', 'ann.practitioner', 6));
  // an emergency whose interim support started yesterday: due within the next 10 working days
  await api.drive('EMG-2', emergency('south', 'bea.practitioner', 1));
  // services started 11 days ago: the first review (R-REV-2) falls due within 12 weeks
  await api.drive('LIVE-1', pathToActivation(daysAgo(20)));
  await api.drive('TRIAGE-1', [
    referral(daysAgo(1)),
    ev('WORKER_ALLOCATED', daysAgo(1), { team: 'south', workerId: 'cal' }),
  ]);
  await eventually(async () => {
    const list = await api.call('GET', '/journeys?overdue=true');
    expect((list.body.journeys as { personId: string }[]).map((j) => j.personId)).toContain('EMG-1');
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

/** What went wrong in the browser: a script error, or an asset (CSS, JS, fonts) that did not load. */
let browserProblems: string[] = [];
afterEach(() => {
  const problems = browserProblems;
  browserProblems = [];
  expect(problems).toEqual([]);
});

function watch(page: Page): Page {
  page.on('pageerror', (err) => browserProblems.push(`script error: ${err.message}`));
  page.on('response', (response) => {
    if (response.url().includes('/assets/') && response.status() >= 400)
      browserProblems.push(`${response.status()} ${response.url()}`);
  });
  return page;
}

async function signIn(role: Role, next = '/worktray'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  const page = watch(await context.newPage());
  await page.goto(next);
  await page.getByLabel('API token').fill(testTokens[role].token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
  return { context, page };
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(wcag).analyze();
  const violations = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(violations).toEqual([]);
}

const shoot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

test('signing in: a signed, HttpOnly, SameSite session cookie; a wrong token is refused; forms need the CSRF token', async () => {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = watch(await context.newPage());
  await page.goto('/worktray');
  // GOV.UK Frontend's own script ran (it marks the body), its stylesheet and fonts loaded
  expect(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'))).toBe(true);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontFamily)).toContain(
    'GDS Transport',
  );
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  await expectAccessible(page);
  await shoot(page, 'sign-in');

  await page.getByLabel('API token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect(await page.locator('.govuk-error-summary').innerText()).toContain(
    'not one of the configured API tokens',
  );
  await expectAccessible(page);

  await page.getByLabel('API token').fill(testTokens.practitioner.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/worktray');
  const cookie = (await context.cookies()).find((c) => c.name === 'care-session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

  // A form posted without its CSRF token is refused, signed in or not.
  const forged = await page.request.post('/cases/EMG-2/events', { form: { type: 'ASSESSMENT_STARTED' } });
  expect(forged.status()).toBe(403);
  await context.close();
});

test('paging: each section pages on its own, the counts stay whole, the pages are addresses', async () => {
  const { context, page } = await signIn('practitioner', '/worktray?limit=1');
  const overdue = page.locator('table[data-section="overdue"] tr[data-person]');
  expect(await page.locator('[data-count="overdue"]').innerText()).toBe('2');
  expect(await overdue.count()).toBe(1);
  const first = await overdue.getAttribute('data-person');
  await page.getByRole('link', { name: 'Next page of Overdue' }).click();
  await page.waitForURL((url) => url.searchParams.has('overdueCursor'));
  expect(await overdue.count()).toBe(1);
  const second = await overdue.getAttribute('data-person');
  expect([first, second].sort()).toEqual(['EMG-1', 'LIVE-1']);
  // the other sections are still on their first page, with their whole counts
  expect(await page.locator('[data-count="overdue"]').innerText()).toBe('2');
  expect(await page.locator('table[data-section="dueSoon"] tr[data-person="EMG-2"]').count()).toBe(1);
  expect(await page.getByRole('link', { name: 'Next page of Overdue' }).count()).toBe(0);
  await page.getByRole('link', { name: 'First page of Overdue' }).click();
  expect(await overdue.getAttribute('data-person')).toBe(first);
  await context.close();
});

test('an operations lead finds the overdue emergency, is refused with the rule and keeps what was typed, records the assessment start, and sees it leave the overdue list', async () => {
  const { context, page } = await signIn('manager');
  await expectAccessible(page);
  const emg = page.locator('table[data-section="overdue"] tr[data-person="EMG-1"]');
  expect(await emg.count()).toBe(1);
  const text = await emg.innerText();
  expect(text).toContain('R-EMG-1');
  expect(text).toMatch(/\d+ working days? overdue/);
  expect(text).toContain('ann.practitioner');
  expect(text).toContain('Assessment started');
  // EMG-2 is due soon, not overdue
  expect(await page.locator('table[data-section="dueSoon"] tr[data-person="EMG-2"]').count()).toBe(1);
  await shoot(page, 'worktray');

  await emg.getByRole('link', { name: 'EMG-1', exact: true }).click();
  await page.waitForURL('**/cases/EMG-1');
  expect(await page.locator('h1').innerText()).toBe('EMG-1');
  expect(await page.locator('.app-map-current').textContent()).toContain('Emergency interim support');
  await expectAccessible(page);
  await shoot(page, 'case');

  // What must happen next leads: the overdue assessment start, with its form
  expect(await page.locator('.app-next-step').getAttribute('data-next-step')).toBe('ASSESSMENT_STARTED');
  expect(await page.locator('.app-next-step').innerText()).toMatch(/\d+ working days? overdue/);

  // A refused form: a worker allocated "before the referral" (R-TIM-1); the rule shown, the typing kept.
  await page.locator('a[data-event="WORKER_ALLOCATED"]').click();
  await page.waitForURL('**/cases/EMG-1/events/WORKER_ALLOCATED');
  await page.locator('#WORKER_ALLOCATED-team').fill('east');
  await page.locator('#WORKER_ALLOCATED-workerId').fill('dee.practitioner');
  for (const [part, value] of [
    ['day', '1'],
    ['month', '1'],
    ['year', '2001'],
    ['hour', '10'],
    ['minute', '0'],
  ] as const)
    await page.locator(`#WORKER_ALLOCATED-occurredAt-${part}`).fill(value);
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Record worker allocated' }).click(),
  ]);
  const summary = page.locator('.govuk-error-summary');
  expect(await summary.innerText()).toContain('R-TIM-1');
  expect(await summary.locator('a').first().getAttribute('href')).toBe('#WORKER_ALLOCATED-occurredAt-day');
  expect(await page.locator('#WORKER_ALLOCATED-team').inputValue()).toBe('east');
  expect(await page.locator('#WORKER_ALLOCATED-workerId').inputValue()).toBe('dee.practitioner');
  expect(await page.locator('#WORKER_ALLOCATED-occurredAt-year').inputValue()).toBe('2001');
  expect(await page.locator('#WORKER_ALLOCATED-occurredAt-error').innerText()).toContain(
    'before the referral',
  );
  expect(await page.title()).toMatch(/^Error: /);
  await expectAccessible(page);
  await shoot(page, 'case-refused');

  // The assessment start, through the form the case page leads with.
  await page.getByRole('link', { name: 'Back to the case' }).click();
  await page.waitForURL('**/cases/EMG-1');
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Record assessment started' }).click(),
  ]);
  await page.waitForURL('**/cases/EMG-1');
  expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
    'Assessment started: recorded',
  );
  expect(await page.locator('[data-stage]').getAttribute('data-stage')).toBe('assessment');
  const timeline = page.locator('.moj-timeline__item[data-event="ASSESSMENT_STARTED"]');
  expect(await timeline.innerText()).toContain('bob.manager (manager)');
  // met after it was flagged overdue: shown late
  expect(await timeline.innerText()).toContain('Late');

  // It leaves the overdue list (visibility catches up within a second or so).
  await page.getByRole('link', { name: 'Worktray' }).click();
  await eventually(async () => {
    await page.reload();
    expect(await page.locator('table[data-section="overdue"] tr[data-person="EMG-1"]').count()).toBe(0);
  }, 15_000);

  // The back button: the case page again, as it is now (no form resubmitted, nothing stale).
  await page.goBack();
  expect(new URL(page.url()).pathname).toBe('/cases/EMG-1');
  expect(await page.locator('[data-stage]').getAttribute('data-stage')).toBe('assessment');
  await context.close();
});

test('a bookmarked filter: the worktray of one team, from its address alone, and the filter form writes the address', async () => {
  const { context, page } = await signIn('practitioner', '/worktray?team=south');
  expect(await page.locator('#team').inputValue()).toBe('south');
  const people = await page
    .locator('tr[data-person]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-person')));
  expect(people).toEqual(expect.arrayContaining(['EMG-2']));
  expect(people).not.toContain('LIVE-1'); // team north

  await page.locator('#team').fill('north');
  // wait for the navigation the click starts, set up before the click (Playwright's pattern)
  await Promise.all([
    page.waitForURL((url) => url.searchParams.get('team') === 'north'),
    page.getByRole('button', { name: 'Show cases' }).click(),
  ]);
  expect(await page.locator('tr[data-person="EMG-2"]').count()).toBe(0);
  await page.goBack();
  expect(new URL(page.url()).searchParams.get('team')).toBe('south');
  // the filter shown is the address's, not what was typed before (no form state restored)
  expect(await page.locator('#team').inputValue()).toBe('south');
  expect(await page.locator('tr[data-person="EMG-2"]').count()).toBe(1);
  await context.close();
});

test('the case page worked through with the keyboard alone: to the form that leads it, fill it, record it', async () => {
  const { context, page } = await signIn('practitioner', '/cases/EMG-2');
  // the first Tab reaches the skip link
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to main content');
  const seen: string[] = [];
  let found = false;
  for (let i = 0; i < 200 && !found; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { text: el?.innerText?.trim() ?? '', tag: el?.tagName ?? '', id: el?.id ?? '' };
    });
    seen.push(`${focused.tag}:${focused.id || focused.text.slice(0, 40)}`);
    found = focused.id === 'ASSESSMENT_STARTED-occurredAt-day';
  }
  expect(found).toBe(true);
  // day, month, year, hour, minute, then the button
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
    'Record assessment started',
  );
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  await page.waitForURL('**/cases/EMG-2');
  expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
    'Assessment started: recorded',
  );
  // every focusable element on the way showed where focus was
  expect(seen.length).toBeGreaterThan(5);
  await context.close();
});

test('the team dashboard: overdue per team and kind, a 12-week forecast as a chart with its numbers in a table', async () => {
  const { context, page } = await signIn('manager', '/dashboard');
  expect(await page.locator('#forecast ~ .app-chart svg[role="img"]').count()).toBeGreaterThan(0);
  // LIVE-1's first review (R-REV-2) falls in one of the 12 weeks
  const reviews = await page
    .locator('tr', { has: page.locator('th', { hasText: /^Reviews$/ }) })
    .first()
    .locator('td')
    .allInnerTexts();
  expect(reviews).toHaveLength(12);
  expect(reviews.map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
  await expectAccessible(page);
  await shoot(page, 'dashboard');

  await page.getByRole('link', { name: 'north' }).first().click();
  await page.waitForURL('**/teams/north');
  expect(await page.locator('h1').innerText()).toBe('Team north');
  await expectAccessible(page);
  await context.close();
});

test('the journey map and the rules: drawn from the machine, every rule id a link target', async () => {
  const { context, page } = await signIn('practitioner', '/journey-map');
  expect(await page.locator('.app-map svg g').count()).toBeGreaterThan(10);
  expect(await page.locator('table').innerText()).toContain('Assessment started');
  await expectAccessible(page);
  await shoot(page, 'journey-map');
  await page.goto('/rules#R-EMG-1');
  expect(await page.locator('[id="R-EMG-1"]').innerText()).toContain('emergency');
  await expectAccessible(page);
  await page.screenshot({ path: path.join(screenshots, 'rules.png') });
  await context.close();
});

test('an auditor sees every page and no form that changes anything; signing out ends the session', async () => {
  const { context, page } = await signIn('auditor');
  for (const url of ['/worktray', '/cases/TRIAGE-1', '/dashboard', '/journey-map']) {
    await page.goto(url);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('form[method="post"]').count()).toBe(0);
  }
  await page.goto('/cases/TRIAGE-1');
  expect(await page.locator('.govuk-warning-text').innerText()).toContain('auditor');
  // Not only hidden: an event posted by an auditor, with a good CSRF token, is refused.
  await page.goto('/sign-out');
  const csrf = await page.locator('input[name="_csrf"]').inputValue();
  const posted = await page.request.post('/cases/TRIAGE-1/events', {
    form: { _csrf: csrf, type: 'WORKER_ALLOCATED', eventId: 'auditor-try', team: 'north', workerId: 'ada' },
  });
  expect(posted.status()).toBe(403);
  await page.goto('/cases/TRIAGE-1');
  await shoot(page, 'case-auditor');

  await page.getByRole('link', { name: /^Sign out/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in');
  expect(await page.locator('.govuk-notification-banner').innerText()).toContain('signed out');
  await page.goto('/cases/TRIAGE-1');
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  await context.close();
});
