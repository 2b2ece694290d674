import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually } from '../support/eventually';
import { ev, interimSupportStarted, pathToActivation, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, MINUTE, serverNow, skipTo } from '../support/timeTravel';
import { wakeSpreadOf } from '../../workflows/wakeSpread';

/**
 * Issue 11 on the time-skipping server (rules edition 4): the indicative budget is dated by the
 * event that asked for it, so a back-dated eligibility decision lets the budget be shared at a
 * back-dated time too (R-IB-3); an unallocated case's reminders and escalations go to the duty
 * worker its profile names, who is the owner of its next step.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

const past = async (days: number) => new Date(Date.parse(await serverNow(env)) - days * DAY).toISOString();

it('R-IB-3: a back-dated eligibility decision dates the RAS answer back too, so the budget can be shared at its real, earlier time', async () => {
  const personId = 'backdated-budget';
  await kit.startJourney(personId);
  // Entered today, all of it happened a week and more ago: the assessment completed 9 days ago.
  const road = pathToActivation(await past(12));
  const shared = road.findIndex((e) => e.type === 'INDICATIVE_BUDGET_SHARED');
  const assessed = road.find((e) => e.type === 'ASSESSMENT_COMPLETED')!;
  const sharing = road[shared]!;
  await kit.sendAll(personId, road.slice(0, shared));

  const calculated = (await kit.view(personId)).indicativeBudget;
  expect(calculated).toEqual({ amount: 9360, basis: expect.any(String), calculatedAt: assessed.occurredAt });

  // The practitioner records the sharing at its real time, eight days ago: after the calculation.
  await expect(kit.send(personId, sharing)).resolves.toMatchObject({ status: 'applied' });
  const budget = (await kit.view(personId)).indicativeBudget!;
  expect(budget.sharedAt).toBe(sharing.occurredAt);
  expect(Date.parse(budget.calculatedAt)).toBeLessThan(Date.parse(budget.sharedAt!));

  // The timeline entry of the RAS answer: dated by the assessment, recorded when it came, with the figure.
  const { timeline } = await kit.timeline(personId);
  const answer = timeline.find((e) => e.type === 'INDICATIVE_BUDGET_CALCULATED')!;
  expect(answer).toMatchObject({
    occurredAt: assessed.occurredAt,
    via: 'system',
    budget: { amount: 9360, basis: budget.basis, calculatedAt: assessed.occurredAt },
  });
  expect(Date.parse(answer.recordedAt)).toBeGreaterThan(Date.parse(sharing.occurredAt));
  // … and so does the case record.
  await eventually(() =>
    expect(
      kit
        .outbox(`case-record/${personId}`)
        .some((f) => f.text.includes('INDICATIVE_BUDGET_CALCULATED') && f.text.includes('"amount": 9360')),
    ).toBe(true),
  );
});

it('an unallocated emergency: the next step is the duty worker’s, and its reminder and escalation go to them, not "duty-manager"', async () => {
  const personId = 'unallocated-emergency';
  const start = new Date(Date.parse(await serverNow(env)) + MINUTE).toISOString();
  await skipTo(env, start);
  await kit.startJourney(personId);
  await kit.sendAll(personId, [
    referral(start),
    ev('TRIAGED', start, { route: 'emergencyInterimSupport', reason: 'no one to provide care tonight' }),
    interimSupportStarted(start),
  ]);
  const view = await kit.view(personId);
  const clock = view.deadlines.find((d) => d.kind === 'emergencyAssessmentStart')!;
  expect(view.nextSteps.find((s) => s.deadlineId === clock.id)).toMatchObject({
    event: 'ASSESSMENT_STARTED',
    allowedNow: true,
    owner: { kind: 'dutyWorker', id: 'duty-worker.derbyshire', team: 'derbyshire-duty' },
    dueBy: clock.dueAt,
  });
  expect(view.allowedEvents[0]).toBe('ASSESSMENT_STARTED');

  // escalated when this person's wake-up comes, its own offset after the instant (workflows/wakeSpread.ts)
  await skipTo(env, Date.parse(clock.overdueAt) + wakeSpreadOf(personId).afterMs + MINUTE);
  const noticesFor = (folder: 'notifications' | 'escalations') =>
    kit.outbox(folder).filter((item) => item.name.startsWith(`${personId}_${clock.id}_`));
  await eventually(() => expect(noticesFor('escalations')).toHaveLength(1));
  expect(noticesFor('escalations')[0]!.text).toContain('To: duty-worker.derbyshire\n');
  expect(noticesFor('escalations')[0]!.text).not.toContain('duty-manager');
  expect(noticesFor('notifications')).toHaveLength(1);
  expect(noticesFor('notifications')[0]!.text).toContain('To: duty-worker.derbyshire\n');
  expect((await kit.view(personId)).nextSteps[0]).toMatchObject({
    deadlineId: clock.id,
    overdueSince: expect.any(String),
  });
});
