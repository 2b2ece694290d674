import { journeyEventSchema, type JourneyEventType } from '../../machines/events';
import { eventDocs, type SendableEventType } from '../../machines/eventExamples';
import { initialContext } from '../../machines/journeyContext';
import { derbyshire } from '../../machines/policyProfile';
import { ruleBook } from '../../machines/rules';
import { checkedFirst, eventGroups, onlyFor, roleByAmount, whenItHappened } from '../../pages/eventChoices';
import {
  allFields,
  checkTyped,
  childName,
  eventForms,
  itemWordsOf,
  problemsFrom,
  readDate,
  type FormField,
  type Typed,
} from '../../pages/eventForms';
import { poundsInWords, wordsTable } from '../../pages/words';

/**
 * The event forms are generated from the catalogue's schemas (pages/eventForms.ts). What a person
 * would type for each event's documented example — dates as day, month and year, amounts as
 * "£9,360", lists row by row — must come back as that event, so no field of any event is missing
 * from its form or read back wrongly; and what is wrong is said in GOV.UK's words against its field.
 */

const londonParts = (iso: string) =>
  Object.fromEntries(
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

/** What a person types into a field for a value (the inverse of the form's reading). */
function typedFor(field: FormField, name: string, value: unknown, typed: Typed): void {
  if (value === undefined) return;
  switch (field.kind) {
    case 'group':
      for (const child of field.children!)
        typedFor(child, childName(name, child.key), (value as Record<string, unknown>)[child.key], typed);
      return;
    case 'list':
      (value as Record<string, unknown>[]).forEach((item, row) => {
        for (const child of field.children!)
          typedFor(child, childName(`${name}[${row}]`, child.key), item[child.key], typed);
      });
      typed[`rows.${name}`] = String((value as unknown[]).length);
      return;
    case 'lines':
      typed[name] = (value as string[]).join('\n');
      return;
    case 'checkboxes':
      typed[name] = value as string[];
      return;
    case 'date': {
      const [year, month, day] = String(value).split('-');
      Object.assign(typed, {
        [`${name}-day`]: String(Number(day)),
        [`${name}-month`]: String(Number(month)),
        [`${name}-year`]: year,
      });
      return;
    }
    case 'money':
      // as people write amounts: "£9,360"
      typed[name] = poundsInWords(value as number);
      return;
    default:
      typed[name] = String(value);
  }
}

const sendable = Object.keys(eventDocs).filter(
  (t) => t !== 'REFERRAL_RECEIVED' && t !== 'JOURNEY_IMPORTED',
) as SendableEventType[];

test.each(sendable)('%s: its example, typed into its form, is the same event', (type) => {
  const form = eventForms.get(type)!;
  expect(form).toBeDefined();
  const example = eventDocs[type].example as Record<string, unknown>;
  const when = londonParts(String(example.occurredAt));
  const typed: Typed = {
    type,
    eventId: String(example.eventId),
    'occurredAt-day': when.day,
    'occurredAt-month': when.month,
    'occurredAt-year': when.year,
    'occurredAt-hour': when.hour,
    'occurredAt-minute': when.minute,
  };
  for (const field of form.fields) typedFor(field, field.key, example[field.path], typed);
  const { read, problems } = checkTyped(form, typed, 'practitioner', new Date('2026-12-01T10:00:00Z'));
  expect(problems).toEqual([]);
  const actor = { userId: 'ann.practitioner', role: 'practitioner' as const };
  // the same instant, however it is written
  const event = (body: Record<string, unknown>) => {
    const parsed = journeyEventSchema().parse({ ...body, actor });
    return { ...parsed, occurredAt: Date.parse(parsed.occurredAt) };
  };
  expect(event(read.body)).toEqual(event(example));
  // every field has a label in words; a list says what one of its rows is
  for (const field of allFields(form.fields)) {
    expect(field.label).not.toMatch(/^$|[a-z][A-Z]/);
    if (field.kind === 'list') expect(itemWordsOf(field.key)).not.toBe('row');
  }
});

test('every choice of every form has its words in the one words table', () => {
  const missing = [...eventForms.values()].flatMap((form) =>
    allFields(form.fields)
      .filter((f) => f.options)
      .flatMap((f) =>
        f
          .options!.filter(
            (o) => wordsTable[`${f.key}=${o.value}`] === undefined && wordsTable[o.value] === undefined,
          )
          .map((o) => `${form.type}.${f.path}: ${o.value}`),
      ),
  );
  expect(missing).toEqual([]);
  const route = allFields(eventForms.get('REFERRAL_RECEIVED')!.fields).find((f) => f.key === 'source')!;
  expect(route.options!.find((o) => o.value === 'gp')!.text).toBe('GP');
  const management = allFields(eventForms.get('PLAN_SUBMITTED')!.fields).find(
    (f) => f.key === 'budgetManagement',
  )!;
  expect(management.kind).toBe('checkboxes');
  expect(management.options!.map((o) => o.text)).toContain('Direct payment');
});

test('amounts of money are asked in pounds; other numbers are not', () => {
  const kinds = (type: string) =>
    Object.fromEntries(allFields(eventForms.get(type)!.fields).map((f) => [f.path, f.kind]));
  expect(kinds('PLAN_SIGNED_OFF')).toMatchObject({
    finalBudget: 'money',
    'costing.reasonableCost': 'money',
    'costing.assessedContribution': 'money',
    'costing.otherFunding': 'money',
    'costing.shortTermPreventativeCost': 'money',
    'costing.s117Aftercare': 'yesNo',
  });
  expect(kinds('PLAN_SUBMITTED')).toMatchObject({
    'plan.personalBudget': 'money',
    'plan.directPayment.amount': 'money',
    'plan.directPayment.purchases[].shortStay.lengthWeeks': 'number',
    'plan.directPayment.purchases[].shortStay.weeksSincePreviousStay': 'number',
  });
  expect(kinds('ASSESSMENT_COMPLETED')).toMatchObject({ 'eligibleNeeds[].points': 'whole' });
  expect(kinds('SERVICES_ACTIVATED')).toMatchObject({ firstReviewAgreedFor: 'date' });
});

test('"£9,360" is £9,360; what is not an amount is said so, naming the field', () => {
  const form = eventForms.get('SURPLUS_RECOVERED')!;
  const read = (amount: string) => checkTyped(form, { type: form.type, amount }, 'practitioner', new Date());
  for (const [typed, value] of [
    ['£9,360', 9360],
    ['9360', 9360],
    [' £ 9,360.50 ', 9360.5],
    ['£1,000,000', 1_000_000],
  ] as const) {
    expect(read(typed).read.body.amount).toBe(value);
    expect(read(typed).problems).toEqual([]);
  }
  for (const typed of ['£9,36', 'nine thousand', '£9360.555', '-£120'])
    expect(read(typed).problems).toEqual([
      {
        name: 'amount',
        text: 'Enter the amount recovered as an amount in pounds, like £9,360 or £9,360.50',
        href: '#SURPLUS_RECOVERED-amount',
      },
    ]);
  // a balance may be below zero
  const flagged = eventForms.get('DIRECT_PAYMENT_VARIATION_FLAGGED')!;
  expect(
    checkTyped(flagged, { type: flagged.type, balance: '-£120' }, 'practitioner', new Date()).read.body
      .balance,
  ).toBe(-120);
});

test('dates in UK order, said wrong in GOV.UK’s words', () => {
  const date = (day: string, month: string, year: string) =>
    readDate({ 'd-day': day, 'd-month': month, 'd-year': year }, 'd', 'the date of death');
  expect(date('4', '12', '2026')).toEqual({ empty: false, value: '2026-12-04' });
  expect(date('04', 'Dec', '2026')).toEqual({ empty: false, value: '2026-12-04' });
  expect(date('29', 'february', '2028')).toEqual({ empty: false, value: '2028-02-29' });
  expect(date('', '', '')).toEqual({ empty: true });
  expect(date('29', '2', '2026').problem).toBe('The date of death must be a real date');
  expect(date('4', '', '2026').problem).toBe('The date of death must include a month');
  expect(date('', '', '2026').problem).toBe('The date of death must include a day and a month');
  expect(date('4', '12', '26').problem).toBe('The year must include 4 numbers');
});

test('an empty form: each field it needs asked for, in the order of the form, nothing sent', () => {
  const form = eventForms.get('PLAN_SIGNED_OFF')!;
  const { problems } = checkTyped(
    form,
    {
      type: form.type,
      finalBudget: 'lots',
      'occurredAt-day': '31',
      'occurredAt-month': '2',
      'occurredAt-year': '2026',
    },
    'practitioner',
    new Date(),
  );
  expect(problems.map((p) => p.text)).toEqual([
    'Enter the final personal budget as an amount in pounds, like £9,360 or £9,360.50',
    'Enter the reasonable cost',
    'Enter the assessed contribution',
    'Enter the other funding',
    'Select yes or no for “Section 117 aftercare”',
    'Select yes or no for “The person agreed”',
    'Enter the worker',
    'Enter the format of the copy',
    'The date the plan was signed off must be a real date',
  ]);
  expect(problems[0]!.href).toBe('#PLAN_SIGNED_OFF-finalBudget');
  expect(problems.at(-1)!.href).toBe('#PLAN_SIGNED_OFF-occurredAt-day');
});

test('a row left empty is no item; a problem in a row names the row, and the row it came from', () => {
  const form = eventForms.get('ASSESSMENT_COMPLETED')!;
  const typed: Typed = {
    type: form.type,
    'rows.eligibleNeeds': '3',
    'eligibleNeeds[0].need': 'personal care',
    'eligibleNeeds[0].points': '60',
    // row 2 left empty
    'eligibleNeeds[2].need': 'social participation',
  };
  const { read, problems } = checkTyped(form, typed, 'practitioner', new Date());
  expect(read.body.eligibleNeeds).toEqual([
    { need: 'personal care', points: 60 },
    { need: 'social participation' },
  ]);
  expect(problems).toContainEqual({
    name: 'eligibleNeeds[2].points',
    text: 'Enter the points in row 3 of eligible needs',
    href: '#ASSESSMENT_COMPLETED-eligibleNeeds-2--points',
  });
});

test('a refusal is shown against the nearest field the form has, in words, with its rule', () => {
  const form = eventForms.get('PLAN_SUBMITTED')!;
  const problems = problemsFrom(form, {
    error: 'refused',
    reasons: [
      { ruleId: 'R-PLN-3', message: 'the plan has no contingency plan', field: 'plan.contingencyPlan' },
      {
        ruleId: 'R-PLN-4',
        message: 'a prohibited purchase',
        field: 'plan.directPayment.purchases[1].category',
        accepted: 'not unlawful',
      },
      {
        ruleId: 'R-TIM-1',
        message: 'occurredAt 2026-03-01T09:30:00Z is before the referral',
        field: 'occurredAt',
        accepted: '2026-03-02T09:30:00Z or later',
      },
      { message: 'the stage does not take it' },
    ],
  });
  expect(problems).toEqual([
    {
      name: 'plan.contingencyPlan',
      href: '#PLAN_SUBMITTED-plan-contingencyPlan',
      text: 'The contingency plan: the plan has no contingency plan',
      ruleId: 'R-PLN-3',
    },
    {
      name: 'plan.directPayment.purchases[1].category',
      href: '#PLAN_SUBMITTED-plan-directPayment-purchases-1--category',
      text: 'The category in row 2 of what it buys: a prohibited purchase (not unlawful)',
      ruleId: 'R-PLN-4',
    },
    {
      name: 'occurredAt',
      href: '#PLAN_SUBMITTED-occurredAt-day',
      text: 'The date the plan was submitted: Sunday 1 March 2026 at 9:30am is before the referral (Monday 2 March 2026 at 9:30am or later)',
      ruleId: 'R-TIM-1',
    },
    { href: '#form-PLAN_SUBMITTED', text: 'the stage does not take it' },
  ]);
});

test('every form is under one plain heading, and says when it happened in a sentence', () => {
  const grouped = eventGroups.flatMap((g) => g.events);
  expect(new Set(grouped).size).toBe(grouped.length);
  const offered = [...eventForms.keys()].filter((t) => t !== 'JOURNEY_IMPORTED');
  expect([...grouped].sort()).toEqual([...offered].sort());
  for (const type of eventForms.keys()) expect(whenItHappened[type as JourneyEventType]).toBeDefined();
});

test('events that send a letter or move money are checked first; others are not', () => {
  for (const type of ['ASSESSMENT_COMPLETED', 'PLAN_SIGNED_OFF', 'SURPLUS_RECOVERED', 'REVIEW_COMPLETED'])
    expect({ type, checked: checkedFirst(type) }).toEqual({ type, checked: true });
  for (const type of ['WORKER_ALLOCATED', 'ASSESSMENT_STARTED', 'COMPLAINT_RAISED'])
    expect({ type, checked: checkedFirst(type) }).toEqual({ type, checked: false });
});

test('the forms offered to a role are what the rules let it record: every event the rules answer by role is in the table', () => {
  const context = initialContext({
    personId: 'P-1',
    profile: derbyshire,
    bankHolidays: [],
  });
  const byRole = [...eventForms.keys()].filter((type) => {
    const rule = ruleBook[type as JourneyEventType] as {
      check?: (c: typeof context, e: unknown) => { message: string }[];
    };
    if (!rule.check) return false;
    const example = eventDocs[type as SendableEventType].example;
    const as = (role: string) =>
      rule.check!(context, { ...example, actor: { userId: 'someone', role } }).map((r) =>
        r.message.replace(/someone is an? \w+/, ''),
      );
    return JSON.stringify(as('practitioner')) !== JSON.stringify(as('manager'));
  });
  expect(byRole.filter((t) => !roleByAmount.includes(t as JourneyEventType)).sort()).toEqual(
    Object.keys(onlyFor).sort(),
  );
});
