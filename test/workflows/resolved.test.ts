import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { englandAndWalesCalendar } from '../../machines/calendar';
import { eventually } from '../support/eventually';
import { ev, interimSupportStarted, referral } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { MINUTE, serverNow, skipTo } from '../support/timeTravel';
import { wakeSpreadOf } from '../../workflows/wakeSpread';

/**
 * R-TIM-2 on the time-skipping server: a deadline the journey escalated, then met by a back-dated
 * entry, is met by its real date and recorded late — and the manager the escalation reached is
 * told it has been resolved, once.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
const calendar = englandAndWalesCalendar();

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

const noticesFor = (personId: string, deadlineId: string) =>
  kit.outbox('escalations').filter((item) => item.name.startsWith(`${personId}_${deadlineId}_`));

describe('R-TIM-2: the managers an escalation reached are told it has been resolved', () => {
  it('R-TIM-2: after an escalation, a back-dated ASSESSMENT_STARTED sends the escalated manager a "resolved" notice', async () => {
    const personId = 'tim-backdated';
    const setUpAt = new Date(Date.parse(await serverNow(env)) + 30 * MINUTE).toISOString();
    await skipTo(env, setUpAt);
    await kit.startJourney(personId);
    await kit.sendAll(personId, [
      referral(setUpAt),
      ev('WORKER_ALLOCATED', setUpAt, { team: 'north', workerId: 'worker.ann' }),
      ev('TRIAGED', setUpAt, { route: 'emergencyInterimSupport', reason: 'carer admitted to hospital' }),
      interimSupportStarted(setUpAt, ['emergency home care']),
    ]);
    const clock = (await kit.view(personId)).deadlines.find((d) => d.kind === 'emergencyAssessmentStart')!;
    expect(clock.overdueAt).toBe(calendar.workingDaysAfter(setUpAt, 3));

    // The timer flags it overdue and the team's manager is told (when this person's wake-up comes,
    // its own offset after the instant: workflows/wakeSpread.ts).
    await skipTo(env, Date.parse(clock.overdueAt) + wakeSpreadOf(personId).afterMs + MINUTE);
    await eventually(() => expect(noticesFor(personId, clock.id)).toHaveLength(1));
    const [escalation] = noticesFor(personId, clock.id);
    expect(escalation!.text).toMatch(/^To: manager:north \(team north\)\nEscalation 1: OVERDUE/m);

    // Then the practitioner records that the assessment had in fact begun the day after set-up.
    const startedAt = new Date(Date.parse(setUpAt) + 24 * 60 * MINUTE).toISOString();
    await kit.sendAll(personId, [ev('ASSESSMENT_STARTED', startedAt, {})]);
    const met = (await kit.view(personId)).deadlines.find((d) => d.id === clock.id)!;
    expect(met).toMatchObject({
      status: 'met',
      closedAt: startedAt,
      flaggedOverdueAt: clock.overdueAt,
      recordedLate: true,
    });

    await eventually(() => expect(noticesFor(personId, clock.id)).toHaveLength(2));
    const resolved = noticesFor(personId, clock.id).find((n) => n.name.includes(`${clock.id}_resolved`))!;
    expect(resolved.name).toMatch(new RegExp(`^${personId}_${clock.id}_resolved`));
    // Same recipient as the escalation, and it says it is a resolution, with both facts.
    const recipient = (text: string) => text.split('\n').find((line) => line.startsWith('To: '));
    expect(recipient(resolved.text)).toBe('To: manager:north (team north)');
    expect(recipient(resolved.text)).toBe(recipient(escalation!.text));
    expect(resolved.text).toContain(`Resolved: met on ${startedAt} (recorded late, on `);
    expect(resolved.text).toContain('after it had been flagged overdue)');
    expect(resolved.text).toContain('(R-EMG-1)');

    // Once: later events and wake-ups send no second one, and no further escalation goes out.
    await kit.sendAll(personId, [ev('CONSENT_RECORDED', startedAt, { consentGiven: true })]);
    await skipTo(env, Date.parse(clock.overdueAt) + 20 * 24 * 60 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(noticesFor(personId, clock.id).map((n) => n.name.replace(`${personId}_${clock.id}_`, ''))).toEqual(
      [expect.stringMatching(/^escalation-1/), expect.stringMatching(/^resolved/)],
    );
    await kit.handle(personId).terminate('test over');
  });
});
