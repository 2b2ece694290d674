/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '../../temporal.config';
import { englandAndWalesCalendar } from '../../machines/calendar';
import type { JourneyEvent, JourneyEventType } from '../../machines/events';
import { registerPages } from '../../pages';
import { dateInWords } from '../../pages/words';
import { daysAgo, startApiHarness, testTokens, type ApiHarness } from '../api/apiHarness';
import { openTestStore, type TestStore } from '../store/storeKit';
import { eventually } from '../support/eventually';
import { pathToActivation } from '../support/journeyEvents';

/**
 * The case page's forms in a real browser (Debian's Chromium, driven by playwright-core), against
 * the API's own server on a real Temporal dev server and worker, with the case-event store, so the
 * case page shows what each event recorded. Forms are filled as a person would: dates as day,
 * month and year, money as "£9,360", needs with their points added row by row; a bad form comes
 * back with GOV.UK's errors naming each field, beside it, with what was typed kept. Every page and
 * state visited is checked by axe-core (WCAG 2.2 A and AA) and for words people do not use: an ISO
 * date or instant, a camelCase name, "JSON".
 */

const chromiumPath = process.env.CARE_CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = path.resolve(__dirname, '../../docs/screenshots');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** The ordinary road from a referral 20 days ago (one event a day) to services starting. */
const road = pathToActivation(daysAgo(20));
const upTo = (type: JourneyEventType): JourneyEvent[] =>
  road.slice(
    0,
    road.findIndex((e) => e.type === type),
  );
const occurredAtOf = (type: JourneyEventType) => road.find((e) => e.type === type)!.occurredAt;

let store: TestStore;
let api: ApiHarness;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  store = await openTestStore('embedded');
  api = await startApiHarness({ store: store.store, extend: (config) => registerPages(config) });
  baseUrl = await api.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  mkdirSync(screenshots, { recursive: true });
  // the whole road, through the pages from the assessment's findings on
  await api.drive('FORM-1', upTo('ASSESSMENT_COMPLETED'));
  // bad forms
  await api.drive('FORM-2', upTo('ASSESSMENT_COMPLETED'));
  // the indicative budget worked out, not yet shared: a manager may set another figure
  await api.drive('FORM-3', upTo('INDICATIVE_BUDGET_SHARED'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await store?.close();
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

async function signIn(role: Role, next: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  const page = watch(await context.newPage());
  await page.goto(next);
  await page.getByLabel('API token').fill(testTokens[role].token);
  await press(page, 'Sign in');
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
  return { context, page };
}

/** Words a page must not show: what the API and the machine call things, not what people do. */
export function notPlainEnglish(text: string): string[] {
  const checks: [string, RegExp][] = [
    ['an ISO instant', /\b\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?/g],
    ['an ISO date', /\b\d{4}-\d{2}-\d{2}\b/g],
    ['a camelCase name', /\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g],
    ['"JSON"', /\bJSON\b/gi],
  ];
  return checks.flatMap(([what, pattern]) => [...text.matchAll(pattern)].map((m) => `${what}: "${m[0]}"`));
}

/** Every page and state looked at, so the last test can say which were. */
const looked: string[] = [];

/**
 * The page as it is now: no WCAG 2.2 A or AA violation (axe-core), and only words people use in
 * its visible text (not in addresses or attributes).
 */
async function look(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).withTags(wcag).analyze();
  expect({
    state,
    violations: results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
  }).toEqual({ state, violations: [] });
  const text = await page.evaluate(() => document.body.innerText);
  expect({ state, words: notPlainEnglish(text) }).toEqual({ state, words: [] });
  looked.push(state);
}

const shoot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

/** A London date and time in the parts the date inputs take. */
function londonParts(iso: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return {
    day: parts.day!,
    month: parts.month!,
    year: parts.year!,
    hour: parts.hour!,
    minute: parts.minute!,
  };
}

/** Fills an event form's "when it happened" with an instant's London date and time. */
async function fillWhen(page: Page, type: string, iso: string) {
  const when = londonParts(iso);
  for (const part of ['day', 'month', 'year', 'hour', 'minute'] as const)
    await page.locator(`#${type}-occurredAt-${part}`).fill(when[part]);
}

/** Presses a form's button and waits for the page it answers with. */
async function press(page: Page, name: string, within: Page | ReturnType<Page['locator']> = page) {
  await Promise.all([page.waitForEvent('load'), within.getByRole('button', { name }).click()]);
}

const banner = (page: Page) => page.locator('.govuk-notification-banner').innerText();

test('the words check finds what it is for', () => {
  expect(notPlainEnglish('Due 2026-03-02T09:30:00Z, budgetManagement, as JSON, on 2026-03-02')).toEqual([
    'an ISO instant: "2026-03-02T09:30:00Z"',
    'an ISO date: "2026-03-02"',
    'a camelCase name: "budgetManagement"',
    '"JSON": "JSON"',
  ]);
  expect(notPlainEnglish('Friday 4 December 2026 at 10:30am, ann.practitioner, R-EMG-1, £9,360')).toEqual([]);
});

test('a practitioner records the assessment (needs added row by row), the sign-off ("£9,360") and services starting (a date), each checked first, and the case page shows what was recorded', async () => {
  const { context, page } = await signIn('practitioner', '/worktray');
  await look(page, 'worktray');
  await page.goto('/cases/FORM-1');
  await look(page, 'case page: assessment');

  // What must happen next leads, with its form: the assessment's findings
  const lead = page.locator('.app-next-step');
  expect(await lead.getAttribute('data-next-step')).toBe('ASSESSMENT_COMPLETED');
  const form = lead.locator('form[data-event="ASSESSMENT_COMPLETED"]');
  await form
    .locator('#ASSESSMENT_COMPLETED-presentingNeeds')
    .fill('help washing and dressing\nfalls at night');
  await form.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--need').fill('personal care');
  await form.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--points').fill('60');
  // "Add another": the form comes back with a second row, what was typed kept
  await press(page, 'Add another eligible need', form);
  expect(new URL(page.url()).pathname).toBe('/cases/FORM-1/events');
  expect(await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--need').inputValue()).toBe(
    'personal care',
  );
  expect(await page.locator('#ASSESSMENT_COMPLETED-presentingNeeds').inputValue()).toBe(
    'help washing and dressing\nfalls at night',
  );
  await look(page, 'form: a row added');
  await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-1--need').fill('social participation');
  await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-1--points').fill('18');
  for (const [row, need, points] of [
    [0, 'personal care', '60'],
    [1, 'social participation', '18'],
  ] as const) {
    if (row === 1) await press(page, 'Add another unmet eligible need');
    await page.locator(`#ASSESSMENT_COMPLETED-unmetEligibleNeeds-${row}--need`).fill(need);
    await page.locator(`#ASSESSMENT_COMPLETED-unmetEligibleNeeds-${row}--points`).fill(points);
  }
  await page.locator('#ASSESSMENT_COMPLETED-ineligibleNeeds').fill('gardening');
  await page.locator('#ASSESSMENT_COMPLETED-outcomes').fill('stay living at home');
  await page.getByRole('group', { name: 'Informal support' }).getByLabel('None').check();
  await page.getByRole('group', { name: 'Equipment considered' }).getByLabel('Yes').check();
  const assessedAt = occurredAtOf('ASSESSMENT_COMPLETED');
  await fillWhen(page, 'ASSESSMENT_COMPLETED', assessedAt);
  await shoot(page, 'form-assessment');
  await press(page, 'Continue');

  // Check your answers: it sends a letter, so it is checked before it is sent
  expect(await page.locator('h1').innerText()).toBe('Check your answers before recording');
  const answers = await page.locator('.govuk-summary-list').innerText();
  expect(answers).toContain('Eligible needs, row 2');
  expect(answers).toContain('Need: social participation');
  expect(answers).toContain(dateInWords(assessedAt));
  expect(await page.locator('main').innerText()).toContain(
    'A letter is sent: “The outcome of your needs assessment”',
  );
  await look(page, 'check your answers: assessment');
  await press(page, 'Record assessment completed');
  await page.waitForURL('**/cases/FORM-1');
  expect(await banner(page)).toContain('Assessment completed: recorded.');

  // What was recorded, from the case record (written as the journey applies the event)
  await eventually(async () => {
    await page.reload();
    const needs = page.locator('[data-section="recorded-assessment"] table');
    expect(await needs.innerText()).toMatch(/personal care\s+60[\s\S]*social participation\s+18/);
  }, 15_000);
  expect(await page.locator('[data-section="recorded-assessment"]').innerText()).toContain('falls at night');

  // On to the plan through the API; the journey asks the RAS itself (78 points: £9,360)
  await api.drive(
    'FORM-1',
    road.slice(
      road.findIndex((e) => e.type === 'INDICATIVE_BUDGET_CALCULATED'),
      road.findIndex((e) => e.type === 'PLAN_SIGNED_OFF'),
    ),
  );

  // The sign-off, with the budget as people write it
  await page.goto('/cases/FORM-1');
  await look(page, 'case page: planning');
  await page
    .locator('a[data-event="PLAN_SIGNED_OFF"], .app-next-step[data-next-step="PLAN_SIGNED_OFF"]')
    .first()
    .waitFor();
  if ((await page.locator('.app-next-step').getAttribute('data-next-step')) !== 'PLAN_SIGNED_OFF') {
    await page.locator('a[data-event="PLAN_SIGNED_OFF"]').click();
    await page.waitForURL('**/cases/FORM-1/events/PLAN_SIGNED_OFF');
    await look(page, 'form page: sign-off');
  }
  await page.locator('#PLAN_SIGNED_OFF-finalBudget').fill('£9,360');
  await page.locator('#PLAN_SIGNED_OFF-costing-reasonableCost').fill('£9,360.00');
  await page.locator('#PLAN_SIGNED_OFF-costing-assessedContribution').fill('0');
  await page.locator('#PLAN_SIGNED_OFF-costing-otherFunding').fill('£0');
  await page.getByRole('group', { name: 'Section 117 aftercare' }).getByLabel('No').check();
  await page.getByRole('group', { name: 'The person agreed' }).getByLabel('Yes').check();
  await page.locator('#PLAN_SIGNED_OFF-agreedBy-workerId').fill('ann.practitioner');
  await page.locator('#PLAN_SIGNED_OFF-accessibleFormat').fill('large print');
  await fillWhen(page, 'PLAN_SIGNED_OFF', occurredAtOf('PLAN_SIGNED_OFF'));
  await press(page, 'Continue');
  expect(await page.locator('h1').innerText()).toBe('Check your answers before recording');
  const signOff = await page.locator('main').innerText();
  expect(signOff).toMatch(/Final personal budget\s+£9,360/);
  expect(signOff).toContain('It sets the personal budget the council pays.');
  expect(signOff).toContain('A letter is sent: “Your care and support plan”');
  await look(page, 'check your answers: sign-off');
  await shoot(page, 'check-answers');
  await press(page, 'Record plan signed off');
  await page.waitForURL('**/cases/FORM-1');
  expect(await banner(page)).toContain('Plan signed off: recorded.');

  // Services start, with the first review's date agreed with the person (a date input)
  const startedAt = occurredAtOf('SERVICES_ACTIVATED');
  const calendar = englandAndWalesCalendar();
  const firstReview = calendar.addCalendarWeeks(calendar.londonDateOf(startedAt), 6);
  if ((await page.locator('.app-next-step').getAttribute('data-next-step')) !== 'SERVICES_ACTIVATED') {
    await page.locator('a[data-event="SERVICES_ACTIVATED"]').click();
    await page.waitForURL('**/events/SERVICES_ACTIVATED');
  }
  const [year, month, day] = firstReview.split('-');
  await page.locator('#SERVICES_ACTIVATED-firstReviewAgreedFor-day').fill(String(Number(day)));
  await page.locator('#SERVICES_ACTIVATED-firstReviewAgreedFor-month').fill(String(Number(month)));
  await page.locator('#SERVICES_ACTIVATED-firstReviewAgreedFor-year').fill(year!);
  await fillWhen(page, 'SERVICES_ACTIVATED', startedAt);
  await press(page, 'Continue');
  expect(await page.locator('main').innerText()).toContain(dateInWords(firstReview));
  await press(page, 'Record services activated');
  await page.waitForURL('**/cases/FORM-1');
  expect(await banner(page)).toContain('Services activated: recorded.');

  // The case page: the signed-off budget and how it is managed, the agreed review, the letters
  await eventually(async () => {
    await page.reload();
    const budget = await page.locator('[data-section="recorded-budget"]').innerText();
    expect(budget).toMatch(/Final personal budget\s+£9,360/);
    expect(budget).toMatch(/How it is managed\s+Managed by the council/);
    expect(await page.locator('[data-section="recorded-reviews"]').innerText()).toContain(
      dateInWords(firstReview),
    );
    expect(await page.locator('#letters ~ .app-table-scroll').first().innerText()).toContain(
      'Your care and support plan',
    );
  }, 15_000);
  const plan = await page.locator('[data-section="recorded-plan"]').innerText();
  expect(plan).toContain('Managed by the council');
  const signedOff = page.locator('.moj-timeline__item[data-event="PLAN_SIGNED_OFF"]');
  expect(await signedOff.innerText()).toContain('ann.practitioner (practitioner)');
  await look(page, 'case page: services started');
  await shoot(page, 'case-recorded');

  // 320 pixels wide: nothing wider than the screen, still accessible
  await page.setViewportSize({ width: 320, height: 800 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await look(page, 'case page at 320 pixels wide');
  await page.screenshot({ path: path.join(screenshots, 'case-320.png') });
  await context.close();
}, 300_000);

test('a bad form comes back with GOV.UK errors naming each field, in the summary and beside the field, with what was typed kept; a refusal names its rule', async () => {
  const { context, page } = await signIn('practitioner', '/cases/FORM-2/events/ASSESSMENT_COMPLETED');
  await look(page, 'form page: assessment');
  await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--need').fill('personal care');
  await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--points').fill('lots');
  await page.locator('#ASSESSMENT_COMPLETED-outcomes').fill('stay at home');
  await page.locator('#ASSESSMENT_COMPLETED-occurredAt-day').fill('3');
  await page.locator('#ASSESSMENT_COMPLETED-occurredAt-year').fill('2026');
  await press(page, 'Continue');

  const summary = page.locator('.govuk-error-summary');
  expect(await summary.locator('h2').innerText()).toBe('There is a problem');
  const listed = await summary.locator('a').allInnerTexts();
  expect(listed).toEqual([
    'Enter at least one of the presenting needs, each on its own line',
    'The points in row 1 of eligible needs must be a whole number, like 12',
    'Select the informal support',
    'Select yes or no for “Equipment considered”',
    'The date the assessment was completed must include a month',
  ]);
  // each links to its field, and the same words are beside it
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(links).toEqual([
    '#ASSESSMENT_COMPLETED-presentingNeeds',
    '#ASSESSMENT_COMPLETED-eligibleNeeds-0--points',
    '#ASSESSMENT_COMPLETED-informalSupport',
    '#ASSESSMENT_COMPLETED-equipmentConsidered',
    '#ASSESSMENT_COMPLETED-occurredAt-day',
  ]);
  for (const [id, words] of [
    ['ASSESSMENT_COMPLETED-presentingNeeds', 'Enter at least one of the presenting needs'],
    [
      'ASSESSMENT_COMPLETED-eligibleNeeds-0--points',
      'The points in row 1 of eligible needs must be a whole number',
    ],
    ['ASSESSMENT_COMPLETED-occurredAt', 'must include a month'],
  ] as const)
    expect(await page.locator(`#${id}-error`).innerText()).toContain(words);
  // what was typed is kept, the bad part too
  expect(await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--need').inputValue()).toBe(
    'personal care',
  );
  expect(await page.locator('#ASSESSMENT_COMPLETED-eligibleNeeds-0--points').inputValue()).toBe('lots');
  expect(await page.locator('#ASSESSMENT_COMPLETED-outcomes').inputValue()).toBe('stay at home');
  expect(await page.locator('#ASSESSMENT_COMPLETED-occurredAt-day').inputValue()).toBe('3');
  expect(await page.title()).toMatch(/^Error: /);
  await look(page, 'form with errors');
  await shoot(page, 'form-errors');
  // nothing was recorded
  const detail = await api.call('GET', '/journeys/FORM-2');
  expect((detail.body.timeline as { type: string }[]).map((e) => e.type)).not.toContain(
    'ASSESSMENT_COMPLETED',
  );

  // Refused by the journey's rules: the rule named and linked beside the field it is about
  await page.goto('/cases/FORM-2/events/WORKER_ALLOCATED');
  await look(page, 'form page: worker allocated');
  await page.locator('#WORKER_ALLOCATED-team').fill('east');
  await page.locator('#WORKER_ALLOCATED-workerId').fill('dee.practitioner');
  await fillWhen(page, 'WORKER_ALLOCATED', '2001-01-01T10:00:00Z');
  await press(page, 'Record worker allocated');
  const refusal = page.locator('#WORKER_ALLOCATED-occurredAt-error');
  expect(await refusal.innerText()).toMatch(
    /^Error:\s+The date the worker was allocated: Monday 1 January 2001 at 10am is before the referral/,
  );
  expect(await refusal.locator('a').first().getAttribute('href')).toMatch(/^\/rules#R-TIM-/);
  expect(await page.locator('#WORKER_ALLOCATED-workerId').inputValue()).toBe('dee.practitioner');
  expect(await page.locator('#WORKER_ALLOCATED-occurredAt-year').inputValue()).toBe('2001');
  await look(page, 'form refused by a rule');
  await context.close();
}, 180_000);

test('forms a role may not use are not offered: the budget override is a manager’s', async () => {
  const practitioner = await signIn('practitioner', '/cases/FORM-3');
  const page = practitioner.page;
  expect(await page.locator('a[data-event="INDICATIVE_BUDGET_OVERRIDDEN"]').count()).toBe(0);
  expect(
    await page
      .locator(
        'a[data-event="INDICATIVE_BUDGET_SHARED"], .app-next-step[data-next-step="INDICATIVE_BUDGET_SHARED"]',
      )
      .count(),
  ).toBeGreaterThan(0);
  expect(await page.locator('main').innerText()).toContain(
    'Only another role can record: indicative budget set by a manager.',
  );
  await look(page, 'case page: indicative budget, practitioner');
  await page.goto('/cases/FORM-3/events/INDICATIVE_BUDGET_OVERRIDDEN');
  expect(await page.locator('.govuk-warning-text').innerText()).toContain('Only a manager can record this.');
  expect(await page.locator('form[data-event]').count()).toBe(0);
  await look(page, 'form page: not for this role');
  await practitioner.context.close();

  const manager = await signIn('manager', '/cases/FORM-3');
  await manager.page.locator('a[data-event="INDICATIVE_BUDGET_OVERRIDDEN"]').click();
  await manager.page.waitForURL('**/events/INDICATIVE_BUDGET_OVERRIDDEN');
  expect(await manager.page.locator('form[data-event="INDICATIVE_BUDGET_OVERRIDDEN"]').count()).toBe(1);
  await look(manager.page, 'form page: budget override, manager');
  // an amount that is not one: said so against the field, what was typed kept
  await manager.page.locator('#INDICATIVE_BUDGET_OVERRIDDEN-amount').fill('£10,4OO');
  await manager.page
    .locator('#INDICATIVE_BUDGET_OVERRIDDEN-reason')
    .fill('The RAS does not count the night care');
  await press(manager.page, 'Continue');
  expect(await manager.page.locator('.govuk-error-summary a').allInnerTexts()).toEqual([
    'Enter the indicative budget, a year as an amount in pounds, like £9,360 or £9,360.50',
  ]);
  expect(await manager.page.locator('#INDICATIVE_BUDGET_OVERRIDDEN-amount').inputValue()).toBe('£10,4OO');
  await look(manager.page, 'form with a bad amount');
  await manager.page.locator('#INDICATIVE_BUDGET_OVERRIDDEN-amount').fill('£10,400');
  await press(manager.page, 'Continue');
  expect(await manager.page.locator('main').innerText()).toMatch(/Indicative budget, a year\s+£10,400/);
  await press(manager.page, 'Record indicative budget set by a manager');
  await manager.page.waitForURL('**/cases/FORM-3');
  const budget = await manager.page.locator('[data-section="recorded-indicative-budget"]').innerText();
  expect(budget).toMatch(/Amount\s+£10,400 a year/);
  expect(budget).toContain('The RAS does not count the night care');
  await manager.context.close();
}, 180_000);

test('every page and state above was looked at', () => {
  expect(looked).toEqual(
    expect.arrayContaining([
      'worktray',
      'case page: assessment',
      'form: a row added',
      'check your answers: assessment',
      'case page: services started',
      'case page at 320 pixels wide',
      'form with errors',
      'form refused by a rule',
      'form page: not for this role',
      'form with a bad amount',
    ]),
  );
});
