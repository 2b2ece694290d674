import { journeyEventSchema } from '../../machines/events';
import { eventDocs, type SendableEventType } from '../../machines/eventExamples';
import {
  allFields,
  eventBodyFrom,
  eventForms,
  problemsFrom,
  type FormField,
  type Typed,
} from '../../pages/eventForms';

/**
 * The event forms of the case page are generated from the catalogue's schemas (pages/eventForms.ts).
 * What a person would type for each event's documented example must come back as that event, so
 * no field of any event is missing from its form or read back wrongly.
 */

/** What a person types into a field for a value (the inverse of the form's reading). */
function typedFor(field: FormField, value: unknown, typed: Typed): void {
  if (value === undefined) return;
  switch (field.kind) {
    case 'group':
      for (const child of field.children!) {
        typedFor(child, (value as Record<string, unknown>)[child.path.split('.').at(-1)!], typed);
      }
      return;
    case 'lines':
      typed[field.name] = (value as string[]).join('\n');
      return;
    case 'json':
      typed[field.name] = JSON.stringify(value);
      return;
    default:
      typed[field.name] = String(value);
  }
}

const actor = { userId: 'ann.practitioner', role: 'practitioner' as const };
const sendable = Object.keys(eventDocs).filter((t) => t !== 'REFERRAL_RECEIVED') as SendableEventType[];

test.each(sendable)('%s: its example, typed into its form, is the same event', (type) => {
  const form = eventForms.get(type)!;
  expect(form).toBeDefined();
  const example = eventDocs[type].example as Record<string, unknown>;
  const typed: Typed = { type, eventId: String(example.eventId), occurredAt: String(example.occurredAt) };
  for (const field of form.fields) typedFor(field, example[field.path], typed);
  const body = eventBodyFrom(form, typed);
  expect(journeyEventSchema().parse({ ...body, actor })).toEqual(
    journeyEventSchema().parse({ ...example, actor }),
  );
  // every field has a label, and a hint saying what it means or what it takes
  for (const field of allFields(form.fields)) {
    expect(field.label).not.toBe('');
    expect(field.hint).not.toBe('');
  }
});

test('a refusal is shown against the nearest field the form has, with its rule and what is accepted', () => {
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
        message: 'before the referral',
        field: 'occurredAt',
        accepted: '2026-03-02T09:30Z or later',
      },
      { message: 'the stage does not take it' },
    ],
  });
  expect(problems).toEqual([
    {
      href: '#PLAN_SUBMITTED-plan-contingencyPlan',
      path: 'plan.contingencyPlan',
      text: 'R-PLN-3: the plan has no contingency plan',
    },
    {
      href: '#PLAN_SUBMITTED-plan-directPayment-purchases',
      path: 'plan.directPayment.purchases',
      text: 'R-PLN-4: a prohibited purchase (accepted: not unlawful)',
    },
    {
      href: '#PLAN_SUBMITTED-occurredAt',
      path: 'occurredAt',
      text: 'R-TIM-1: before the referral (accepted: 2026-03-02T09:30Z or later)',
    },
    { href: '#form-PLAN_SUBMITTED', text: 'the stage does not take it' },
  ]);
});
