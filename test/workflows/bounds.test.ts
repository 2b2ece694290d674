import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { pointsTableRas, type ResourceAllocationSystem } from '../../activities/indicativeBudget';
import type { JourneyEvent } from '../../machines/events';
import { limits } from '../../machines/limits';
import { journeyWorkflowId, recordEventSignal } from '../../workflows/definitions';
import { eventually } from '../support/eventually';
import {
  ev,
  hasIndicativeBudget,
  manager,
  pathToActivation,
  practitioner,
  referral,
} from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow } from '../support/timeTravel';

/**
 * Issue 10 points 2 and 4 on the time-skipping server: what used to fail a workflow task (a date
 * the calendar cannot count from, a state too large to continue as new) is refused by the Update
 * with its reason, and the journey's history shows no failed workflow task; the indicative budget
 * comes only from the journey's own RAS, and a RAS answer it cannot apply is recorded.
 */

const EventType = temporal.api.enums.v1.EventType;
let env: TestWorkflowEnvironment;
let kit: JourneyKit;
/** a worker whose RAS answers only when `releaseRas` is called */
let slowKit: JourneyKit;
let releaseRas: () => void = () => undefined;
const rasReleased = new Promise<void>((resolve) => (releaseRas = resolve));

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
  slowKit = await journeyKit(env);
  const slowRas: ResourceAllocationSystem = {
    async calculateIndicativeBudget(request) {
      await rasReleased;
      return pointsTableRas.calculateIndicativeBudget(request);
    },
  };
  await slowKit.startWorker({ ras: slowRas });
});
afterAll(async () => {
  await kit?.teardown();
  await slowKit?.teardown();
  await env?.teardown();
});

const past = async (days: number) => new Date(Date.parse(await serverNow(env)) - days * DAY).toISOString();

async function failedTasks(personId: string) {
  const { events } = await env.client.workflow.getHandle(journeyWorkflowId(personId)).fetchHistory();
  return (events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
}

/** The Update's refusal message, or a failure of the test if it was accepted. */
async function refusalOf(testKit: JourneyKit, personId: string, event: JourneyEvent): Promise<string> {
  const failure = await testKit.send(personId, event).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((failure as WorkflowUpdateFailedError).cause?.message);
}

const road = (start: string) => pathToActivation(start);
const upTo = (events: JourneyEvent[], type: string) =>
  events.slice(0, events.findIndex((e) => e.type === type) + 1);

describe('issue 10: no workflow task fails because of an event’s content', () => {
  it('move dates of 9999-12-31 and 0001-01-01 and an interim start in year 1 are refused by the Update; no WORKFLOW_TASK_FAILED', async () => {
    const live = 'bounds-dates';
    await kit.startJourney(live);
    await kit.sendAll(live, road(await past(12)));
    for (const moveDate of ['9999-12-31', '0001-01-01']) {
      const moved = ev('MOVED_AWAY', await past(0), {
        moveDate,
        receivingCouncil: 'Leeds',
        consentToShareRecords: true,
      });
      expect(await refusalOf(kit, live, moved)).toContain(
        'moveDate: must be between 1900-01-01 and 2200-12-31',
      );
      // by signal too: refused and recorded, the workflow unharmed
      await kit.handle(live).signal(recordEventSignal, { ...moved, eventId: `${moved.eventId}-signal` });
    }
    await eventually(async () => {
      const { refused } = await kit.timeline(live);
      expect(refused.filter((r) => r.type === 'MOVED_AWAY')).toHaveLength(2);
    });
    expect((await kit.view(live)).stage).toBe('liveSupport');

    const emergency = 'bounds-year-1';
    await kit.startJourney(emergency);
    const at = await past(1);
    await kit.sendAll(emergency, [
      referral(at, 'R-1', { urgency: 'emergency' }),
      ev('TRIAGED', at, { route: 'emergencyInterimSupport', reason: 'no one to provide care tonight' }),
    ]);
    const yearOne = {
      ...ev('INTERIM_SUPPORT_STARTED', at, {
        services: ['emergency home care'],
        managerApproval: { managerId: manager.userId },
        caseNotesCompleted: true,
      }),
      occurredAt: '0001-01-01T12:00:00.000Z',
    };
    expect(await refusalOf(kit, emergency, yearOne)).toContain(
      'occurredAt: must be between 1900-01-01 and 2200-12-31',
    );
    expect(await failedTasks(live)).toEqual([]);
    expect(await failedTasks(emergency)).toEqual([]);
  });

  it('referrals cannot grow the state past its budget: a 1 MB summary is refused by the schema, and the referral that would break the budget by the journey, with the reason', async () => {
    const personId = 'bounds-budget';
    await kit.startJourney(personId);
    const at = await past(1);
    await kit.send(personId, referral(at, 'R-0'));
    expect(
      await refusalOf(kit, personId, referral(at, 'R-huge', { summary: 'x'.repeat(1_000_000) })),
    ).toContain('summary: Too big');
    const summary = 's'.repeat(limits.longTextChars);
    let refusal: string | undefined;
    for (let i = 1; i <= 150 && refusal === undefined; i++) {
      refusal = await kit.send(personId, referral(at, `R-${i}`, { summary })).then(
        () => undefined,
        (err: WorkflowUpdateFailedError) => String(err.cause?.message),
      );
    }
    expect(refusal).toMatch(
      /would make the journey's carried state [\d,]+ characters, over its budget of 1,000,000/,
    );
    // the journey still answers and takes events that fit
    const offer = ev('UNIVERSAL_OFFER_GIVEN', at, {
      informationAndAdvice: ['leaflet'],
      signposting: [],
      prevention: [],
    });
    await expect(kit.send(personId, offer)).resolves.toMatchObject({ status: 'applied' });
    expect(await failedTasks(personId)).toEqual([]);
  }, 120_000);
});

describe('issue 10: only the system speaks for the system (R-IB-2)', () => {
  it('R-IB-2: a practitioner’s INDICATIVE_BUDGET_CALCULATED is refused by the Update; the RAS’s own answer is the one applied', async () => {
    const personId = 'ras-own-answer';
    await kit.startJourney(personId);
    const events = road(await past(12));
    const assessed = upTo(events, 'ASSESSMENT_COMPLETED');
    // the practitioner is quicker than the RAS: sent at once after the assessment
    await kit.sendAll(personId, assessed.slice(0, -1));
    await kit.send(personId, assessed.at(-1)!);
    const theirs = ev(
      'INDICATIVE_BUDGET_CALCULATED',
      await past(0),
      { amount: 999_999, basis: 'mine' },
      {
        actor: practitioner,
      },
    );
    expect(await refusalOf(kit, personId, theirs)).toMatch(
      /INDICATIVE_BUDGET_CALCULATED is raised by the system only/,
    );
    await eventually(async () => expect(hasIndicativeBudget(await kit.view(personId))).toBe(true));
    const { timeline } = await kit.timeline(personId);
    const applied = timeline.filter((e) => e.type === 'INDICATIVE_BUDGET_CALCULATED');
    expect(applied).toEqual([
      expect.objectContaining({
        actor: { userId: 'resource-allocation-system', role: 'system' },
        via: 'system',
      }),
    ]);
    // the journey wakes after the RAS answer: its case record has it without waiting for another event
    await eventually(async () =>
      expect(
        kit.outbox(`case-record/${personId}`).some((f) => f.text.includes('resource-allocation-system')),
      ).toBe(true),
    );
    expect(await failedTasks(personId)).toEqual([]);
  });

  it('R-IB-2: a RAS answer arriving after a manager’s override is refused and recorded — on the refused trail and the case record — never dropped', async () => {
    const personId = 'ras-late-answer';
    await slowKit.startJourney(personId);
    await slowKit.sendAll(personId, upTo(road(await past(12)), 'ASSESSMENT_COMPLETED'));
    const override = ev(
      'INDICATIVE_BUDGET_OVERRIDDEN',
      await past(0),
      { amount: 10_400, reason: 'the RAS is down and care starts on Monday' },
      { actor: manager },
    );
    await expect(slowKit.send(personId, override)).resolves.toMatchObject({ status: 'applied' });
    releaseRas();
    await eventually(async () => {
      const { refused } = await slowKit.timeline(personId);
      expect(refused).toEqual([
        expect.objectContaining({ type: 'INDICATIVE_BUDGET_CALCULATED', via: 'system' }),
      ]);
    });
    await eventually(async () =>
      expect(
        slowKit.outbox(`case-record/${personId}`).some((f) => f.text.includes('systemEventRefused')),
      ).toBe(true),
    );
    // the manager's figure stands: the RAS's answer was not applied
    const { timeline } = await slowKit.timeline(personId);
    expect(timeline.map((e) => e.type).filter((t) => t.startsWith('INDICATIVE_BUDGET'))).toEqual([
      'INDICATIVE_BUDGET_OVERRIDDEN',
    ]);
    expect(await failedTasks(personId)).toEqual([]);
  });
});
