/** JOURNEY.md "Emergencies": R-EMG-1 (assessment within 3 working days) and R-EMG-2 (interim support ends). */
import type { JourneyEvent } from '../../machines/events';
import { ev, interimSupportStarted, pathToActivation, referral, system } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  newJourney,
  onlyDeadline,
  run,
  stageValue,
  step,
  type Snapshot,
} from './journeyHarness';

/** A referral triaged as an emergency, interim services set up at `setUpAt`. */
function interimSupportFrom(setUpAt: string): {
  snapshot: Snapshot;
  effects: ReturnType<typeof run>['effects'];
} {
  const referred = run(newJourney(), [
    referral('2026-12-10T09:00:00.000Z', 'ref-emergency', { urgency: 'emergency' }),
    ev('TRIAGED', '2026-12-10T09:30:00.000Z', {
      route: 'emergencyInterimSupport',
      reason: 'carer in hospital',
    }),
  ]).snapshot;
  return run(referred, [interimSupportStarted(setUpAt, ['home care 4 visits a day'])]);
}

const assessmentStarted = (at: string) => ev('ASSESSMENT_STARTED', at, {});
const reached = (deadlineId: string, at: string) =>
  ev('DEADLINE_REACHED', at, { deadlineId }, { actor: system });

describe('R-EMG-1 formal assessment must begin within 3 working days of interim services', () => {
  it('R-EMG-1: set up Fri 2026-12-18 → due by the end of Wed 2026-12-23 (dueAt 2026-12-24T00:00:00.000Z)', () => {
    const { snapshot } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    const deadline = onlyDeadline(snapshot, 'emergencyAssessmentStart');
    expect(deadline).toMatchObject({
      ruleId: 'R-EMG-1',
      dueAt: '2026-12-24T00:00:00.000Z',
      overdueAt: '2026-12-24T00:00:00.000Z',
      startedFrom: '2026-12-18T15:00:00.000Z',
      status: 'due',
      effect: 'obligation',
    });
  });

  it('R-EMG-1: set up Thu 2026-12-24 → Christmas and the Boxing Day substitute skipped → end of Thu 2026-12-31', () => {
    const { snapshot } = interimSupportFrom('2026-12-24T11:00:00.000Z');
    expect(onlyDeadline(snapshot, 'emergencyAssessmentStart').dueAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('R-EMG-1: the person is told a fuller assessment will follow', () => {
    const { effects } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'sendLetter',
        letter: 'fullerAssessmentNotice',
        recipients: ['person-1'],
        ruleId: 'R-EMG-1',
        data: { services: ['home care 4 visits a day'] },
      }),
    ]);
  });

  it('R-EMG-1: starting the assessment in time meets the deadline', () => {
    const { snapshot } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    const started = accept(snapshot, assessmentStarted('2026-12-23T16:00:00.000Z'));
    expect(stageValue(started)).toEqual({ assessment: 'inProgress' });
    expect(onlyDeadline(started, 'emergencyAssessmentStart')).toMatchObject({
      status: 'met',
      closedAt: '2026-12-23T16:00:00.000Z',
    });
  });

  it('R-EMG-1: DEADLINE_REACHED marks it overdue; a later start is metLate', () => {
    const { snapshot } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    const id = onlyDeadline(snapshot, 'emergencyAssessmentStart').id;
    // Not before the deadline, and only from the system.
    expectRefused(snapshot, reached(id, '2026-12-23T23:59:59.000Z'), 'R-EMG-1');
    expectRefused(
      snapshot,
      ev('DEADLINE_REACHED', '2026-12-24T00:00:00.000Z', { deadlineId: id }),
      undefined,
    );
    const overdue = accept(snapshot, reached(id, '2026-12-24T00:00:00.000Z'));
    expect(onlyDeadline(overdue, 'emergencyAssessmentStart').status).toBe('overdue');
    expect(stageValue(overdue)).toEqual({ interimSupport: 'inPlace' });
    // It is reached once: a second report is refused.
    expectRefused(overdue, reached(id, '2026-12-24T00:00:01.000Z'), 'R-EMG-1');
    const late = accept(overdue, assessmentStarted('2026-12-29T10:00:00.000Z'));
    expect(onlyDeadline(late, 'emergencyAssessmentStart')).toMatchObject({
      status: 'metLate',
      closedAt: '2026-12-29T10:00:00.000Z',
    });
  });

  it('R-EMG-1: the assessment cannot start before interim services are set up from the emergency route', () => {
    const referred = run(newJourney(), [
      referral('2026-12-10T09:00:00.000Z'),
      ev('TRIAGED', '2026-12-10T09:30:00.000Z', { route: 'emergencyInterimSupport', reason: 'emergency' }),
    ]).snapshot;
    expectRefused(referred, assessmentStarted('2026-12-11T10:00:00.000Z'), undefined);
  });
});

describe('R-EMG-2 interim support continues until long-term services start or the journey closes', () => {
  /** From interim support through the ordinary road to activation (universal offer given on the way, R-IB-1). */
  function activatedAfterEmergency(): Snapshot {
    const { snapshot } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    const road = pathToActivation('2026-12-21T10:00:00.000Z');
    const fromAssessment = road.slice(road.findIndex((e) => e.type === 'ASSESSMENT_STARTED'));
    const offer = road.find((e) => e.type === 'UNIVERSAL_OFFER_GIVEN') as JourneyEvent;
    return run(snapshot, [offer, ...fromAssessment]).snapshot;
  }

  it('R-EMG-2: interim support stays in place through assessment and planning', () => {
    const { snapshot } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    const assessing = accept(snapshot, assessmentStarted('2026-12-21T10:00:00.000Z'));
    expect(assessing.context.interimSupport).toEqual({
      services: ['home care 4 visits a day'],
      startedAt: '2026-12-18T15:00:00.000Z',
      approvedBy: 'manager.bob',
    });
  });

  it('R-EMG-2: interim support ends when long-term services are activated', () => {
    const live = activatedAfterEmergency();
    expect(stageValue(live)).toBe('liveSupport');
    expect(live.context.interimSupport?.endedAt).toBe(live.context.activatedAt);
  });

  it('R-EMG-2: it ends when the journey closes (withdrawn while interim support is in place)', () => {
    const { snapshot } = interimSupportFrom('2026-12-18T15:00:00.000Z');
    const withdrawn = accept(
      snapshot,
      ev('JOURNEY_WITHDRAWN', '2026-12-21T12:00:00.000Z', { reason: 'moved in with family' }),
    );
    expect(withdrawn.status).toBe('done');
    expect(withdrawn.context.interimSupport?.endedAt).toBe('2026-12-21T12:00:00.000Z');
    expect(onlyDeadline(withdrawn, 'emergencyAssessmentStart').status).toBe('cancelled');
  });

  it('R-EMG-2: closing a journey later does not rewrite when interim support ended', () => {
    const live = activatedAfterEmergency();
    const endedAt = live.context.interimSupport?.endedAt;
    const died = step(
      live,
      ev('PERSON_DIED', '2027-03-01T10:00:00.000Z', { dateOfDeath: '2027-03-01' }),
    ).snapshot;
    expect(died.status).toBe('done');
    expect(died.context.interimSupport?.endedAt).toBe(endedAt);
  });
});
