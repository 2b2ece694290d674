import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PaymentArrangements } from '../../activities';
import { Outbox } from '../../activities/outbox';
import { outboxPaymentArrangements } from '../../activities/paymentArrangements';
import { englandAndWalesCalendar } from '../../machines/calendar';
import type { InstructPayments } from '../../machines/effects';
import { TechnicalIssue } from '../../workflows/searchAttributes';
import { eventually } from '../support/eventually';
import { ev, pathToActivation } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { MINUTE, serverNow, skipTo } from '../support/timeTravel';

/**
 * The council's payment arrangements are a port (activities/paymentArrangements.ts): the journey
 * instructs them (stop, suspend, resume, recover a surplus) through an activity that is retried,
 * shows as a technical issue while it keeps failing, and delivers each instruction once.
 */

let env: TestWorkflowEnvironment;
/** a worker with the default port: instructions go to the outbox's payments/ folder */
let kit: JourneyKit;
/** a worker whose payment arrangements are down until `paymentsUp` */
let failingKit: JourneyKit;
let paymentsUp = false;
let attempts = 0;
const delivered: InstructPayments[] = [];

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
  failingKit = await journeyKit(env);
  const outbox = outboxPaymentArrangements(new Outbox(failingKit.outboxDir));
  const flaky: PaymentArrangements = {
    async instructPayments(instruction) {
      attempts++;
      if (!paymentsUp) throw new Error('direct-payment finance system is down');
      await outbox.instructPayments(instruction);
      delivered.push(instruction);
    },
  };
  await failingKit.startWorker({ payments: flaky });
});
afterAll(async () => {
  await kit?.teardown();
  await failingKit?.teardown();
  await env?.teardown();
});

const calendar = englandAndWalesCalendar();

/** A journey with services in place (council-managed, so something is being paid). */
async function activeJourney(testKit: JourneyKit, personId: string): Promise<void> {
  await testKit.startJourney(personId);
  await testKit.sendOnTime(personId, pathToActivation(await serverNow(env)));
}

async function died(testKit: JourneyKit, personId: string): Promise<void> {
  const now = await serverNow(env);
  await testKit.send(personId, ev('PERSON_DIED', now, { dateOfDeath: calendar.londonDateOf(now) }));
}

const technicalIssue = async (testKit: JourneyKit, personId: string) =>
  (await testKit.handle(personId).describe()).typedSearchAttributes.get(TechnicalIssue);

it('R-END-5: death instructs the payment arrangements to stop', async () => {
  await activeJourney(kit, 'pay-died');
  await died(kit, 'pay-died');
  const instructions = await eventually(() => {
    const items = kit.outbox('payments');
    expect(items).toHaveLength(1);
    return items;
  });
  const text = instructions[0]!.text;
  expect(text).toContain('Instruction: stop');
  expect(text).toContain('Reason: death');
  expect(text).toContain('About: pay-died');
  // the journey closes once its side effects are done, with one instruction
  expect(await kit.handle('pay-died').result()).toMatchObject({ closure: { reason: 'died' } });
  expect(kit.outbox('payments')).toHaveLength(1);
});

it('payment arrangements that keep failing show as a technical issue; once they recover, the instruction goes once', async () => {
  await activeJourney(failingKit, 'pay-flaky');
  await died(failingKit, 'pay-flaky');
  // the activity's retries (seconds apart) are used up: the journey shows what keeps failing
  await skipTo(env, Date.parse(await serverNow(env)) + 5 * MINUTE);
  await eventually(async () =>
    expect(await technicalIssue(failingKit, 'pay-flaky')).toBe('instructPayments'),
  );
  expect(attempts).toBeGreaterThanOrEqual(5);
  expect(delivered).toHaveLength(0);
  expect((await failingKit.handle('pay-flaky').describe()).status.name).toBe('RUNNING');

  // the finance system is back; the journey tries again within the hour
  paymentsUp = true;
  await skipTo(env, Date.parse(await serverNow(env)) + 2 * 60 * MINUTE);
  await eventually(async () =>
    expect((await failingKit.handle('pay-flaky').describe()).status.name).toBe('COMPLETED'),
  );
  expect(delivered).toHaveLength(1);
  expect(delivered[0]).toMatchObject({ type: 'instructPayments', instruction: 'stop', reason: 'death' });
  expect(failingKit.outbox('payments')).toHaveLength(1);
  expect(await technicalIssue(failingKit, 'pay-flaky')).toBeUndefined();
});
