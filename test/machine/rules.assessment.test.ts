/** JOURNEY.md "Assessment and eligibility": R-ASM-1..6. */
import type { EventOf } from '../../machines/events';
import { ev, pathToActivation } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyThrough,
  newJourney,
  onlyDeadline,
  run,
  stageValue,
  step,
  type Snapshot,
  ROAD_START,
  roadDay,
} from './journeyHarness';

const T = ROAD_START;
const at = roadDay;

/** Assessment in progress, consent not yet recorded. */
const inProgress = (): Snapshot => journeyThrough('ASSESSMENT_STARTED');
/** Assessment in progress with consent (the usual precondition of completing it). */
const ready = (): Snapshot => journeyThrough('ORDINARY_RESIDENCE_ESTABLISHED');

type Completed = Omit<EventOf<'ASSESSMENT_COMPLETED'>, 'type' | 'eventId' | 'occurredAt' | 'actor'>;
const assessment = (overrides: Partial<Completed> = {}) =>
  ev('ASSESSMENT_COMPLETED', at(3), {
    presentingNeeds: ['help washing and dressing'],
    eligibleNeeds: [
      { need: 'personal care', points: 60 },
      { need: 'social participation', points: 18 },
    ],
    ineligibleNeeds: ['gardening'],
    unmetEligibleNeeds: [{ need: 'personal care', points: 60 }],
    outcomes: ['stay living at home'],
    informalSupport: 'some',
    equipmentConsidered: true,
    ...overrides,
  });

describe('R-ASM-1 the assessment identifies needs and outcomes', () => {
  it('R-ASM-1: presenting, eligible, ineligible and unmet eligible needs and outcomes are recorded', () => {
    const done = accept(ready(), assessment());
    expect(done.context.assessment).toMatchObject({
      startedAt: at(2),
      completedAt: at(3),
      eligibleNeeds: [
        { need: 'personal care', points: 60 },
        { need: 'social participation', points: 18 },
      ],
      ineligibleNeeds: ['gardening'],
      unmetEligibleNeeds: [{ need: 'personal care', points: 60 }],
      outcomes: ['stay living at home'],
      informalSupport: 'some',
      equipmentConsidered: true,
    });
  });

  it('R-ASM-1: an unmet need must be one of the eligible needs', () => {
    const wrong = assessment({ unmetEligibleNeeds: [{ need: 'housework', points: 5 }] });
    const reasons = expectRefused(ready(), wrong, 'R-ASM-1');
    expect(reasons.find((r) => r.ruleId === 'R-ASM-1')?.message).toMatch(
      /"housework" is not among the eligible needs/,
    );
  });

  it('R-ASM-1: an assessment cannot be completed before it has started', () => {
    const notStarted = journeyThrough('TRIAGED');
    expect(stageValue(notStarted)).toEqual({ assessment: 'notStarted' });
    expectRefused(notStarted, assessment(), undefined);
  });
});

describe('R-ASM-2 capacity and involvement; an independent advocate where needed', () => {
  const difficulty = (appropriatePersonAvailable: boolean) =>
    ev('INVOLVEMENT_DIFFICULTY_ASSESSED', at(2, 12), {
      substantialDifficulty: true,
      appropriatePersonAvailable,
    });
  const advocate = ev('ADVOCATE_ARRANGED', at(2, 15), { advocateId: 'advocate-9', organisation: 'POhWER' });

  it('R-ASM-2: a capacity assessment is recorded for the specific decision', () => {
    const assessed = accept(
      inProgress(),
      ev('CAPACITY_ASSESSED', at(2, 11), { decision: 'where to live', hasCapacity: false }),
    );
    expect(assessed.context.capacityAssessments).toEqual([
      { decision: 'where to live', hasCapacity: false, at: at(2, 11) },
    ]);
  });

  it('R-ASM-2: substantial difficulty and nobody appropriate → the assessment cannot be finalised until an advocate is arranged', () => {
    const needs = accept(ready(), difficulty(false));
    expect((needs.value as { open: { advocacy: string } }).open.advocacy).toBe('required');
    expect(needs.context.advocacy).toEqual({ required: true, requiredSince: at(2, 12) });
    expectRefused(needs, assessment(), 'R-ASM-2');
    const arranged = accept(needs, advocate);
    expect((arranged.value as { open: { advocacy: string } }).open.advocacy).toBe('arranged');
    expect(stageValue(accept(arranged, assessment()))).toEqual({ indicativeBudget: 'calculating' });
  });

  it('R-ASM-2: with an appropriate person to help, no advocate is required', () => {
    // Accepted (checkEvent allows it) and recorded, though no advocate is needed.
    const fine = accept(ready(), difficulty(true));
    expect((fine.value as { open: { advocacy: string } }).open.advocacy).toBe('notNeeded');
    expect(fine.context.advocacy).toEqual({ required: false, involvementAssessedAt: at(2, 12) });
    expect(stageValue(accept(fine, assessment()))).toEqual({ indicativeBudget: 'calculating' });
  });

  it('R-ASM-2: the plan cannot be finalised either (planning start and sign-off wait for the advocate)', () => {
    const events = pathToActivation(T);
    const shared = run(newJourney(), events.slice(0, 10)).snapshot;
    expect(stageValue(shared)).toEqual({ indicativeBudget: 'shared' });
    const needs = accept(shared, difficulty(false));
    expectRefused(needs, events[10] as EventOf<'PLANNING_STARTED'>, 'R-ASM-2');
    // Planning already under way when the difficulty comes to light: sign-off waits.
    const submitted = run(newJourney(), events.slice(0, 12)).snapshot;
    const late = accept(
      submitted,
      ev('INVOLVEMENT_DIFFICULTY_ASSESSED', at(6, 12), {
        substantialDifficulty: true,
        appropriatePersonAvailable: false,
      }),
    );
    const signOff = events[12] as EventOf<'PLAN_SIGNED_OFF'>;
    expectRefused(late, signOff, 'R-ASM-2');
    const arranged = accept(late, ev('ADVOCATE_ARRANGED', at(6, 15), { advocateId: 'advocate-9' }));
    // R-SGN-1: once there is an advocate, they are part of the sign-off.
    expectRefused(arranged, signOff, 'R-SGN-1');
    const withAdvocate = { ...signOff, agreedBy: { ...signOff.agreedBy, advocate: 'advocate-9' } };
    expect(stageValue(accept(arranged, withAdvocate))).toBe('setUp');
  });
});

describe('R-ASM-3 consent to share information', () => {
  it('R-ASM-3: the assessment cannot be completed until consent (and its limits) is recorded', () => {
    expectRefused(inProgress(), assessment(), 'R-ASM-3');
    const consented = accept(
      inProgress(),
      ev('CONSENT_RECORDED', at(2, 11), { consentGiven: true, limits: 'not with the landlord' }),
    );
    expect(consented.context.consent).toEqual({
      consentGiven: true,
      limits: 'not with the landlord',
      at: at(2, 11),
    });
    expect(stageValue(accept(consented, assessment()))).toEqual({ indicativeBudget: 'calculating' });
  });
});

describe('R-ASM-4 a carer identified is offered a carer’s assessment', () => {
  const identified = () => accept(ready(), ev('CARER_IDENTIFIED', at(2, 12), { carerId: 'carer-7' }));

  it('R-ASM-4: the assessment cannot be completed until the identified carer has been offered an assessment', () => {
    const withCarer = identified();
    expectRefused(withCarer, assessment(), 'R-ASM-4');
    const offered = accept(
      withCarer,
      ev('CARER_ASSESSMENT_OFFERED', at(2, 13), { carerId: 'carer-7', accepted: false }),
    );
    expect(offered.context.carer).toEqual({
      carerId: 'carer-7',
      identifiedAt: at(2, 12),
      offeredAt: at(2, 13),
      accepted: false,
    });
    expect(stageValue(accept(offered, assessment()))).toEqual({ indicativeBudget: 'calculating' });
  });

  it('R-ASM-4: an offer to a carer not identified on this journey is refused', () => {
    expectRefused(
      identified(),
      ev('CARER_ASSESSMENT_OFFERED', at(2, 13), { carerId: 'someone-else', accepted: true }),
      'R-ASM-4',
    );
  });

  it('R-ASM-4: a declined offer opens no carer journey; an accepted one does', () => {
    const declined = step(
      identified(),
      ev('CARER_ASSESSMENT_OFFERED', at(2, 13), { carerId: 'carer-7', accepted: false }),
    );
    expect(declined.effects).toEqual([]);
    const accepted = step(
      identified(),
      ev('CARER_ASSESSMENT_OFFERED', at(2, 13), { carerId: 'carer-7', accepted: true }),
    );
    expect(accepted.effects.map((e) => e.type)).toEqual(['openCarerJourney']);
  });
});

describe('R-ASM-5 not eligible: written decision with information and advice, then close', () => {
  it('R-ASM-5: no eligible needs closes the journey and sends the decision letter with the information and advice given', () => {
    const { snapshot, effects } = step(
      ready(),
      assessment({ eligibleNeeds: [], unmetEligibleNeeds: [], ineligibleNeeds: ['gardening', 'shopping'] }),
    );
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.closure).toEqual({ reason: 'notEligible', at: at(3) });
    expect(effects).toEqual([
      expect.objectContaining({
        type: 'sendLetter',
        letter: 'decisionLetter',
        ruleId: 'R-ASM-5',
        recipients: ['person-1'],
        data: {
          eligibleNeeds: [],
          ineligibleNeeds: ['gardening', 'shopping'],
          informationAndAdvice: ['Falls prevention leaflet'],
        },
      }),
    ]);
  });

  it('R-ASM-5: eligible needs all met without the council also close with a written decision (no RAS request)', () => {
    const { snapshot, effects } = step(ready(), assessment({ unmetEligibleNeeds: [] }));
    expect(snapshot.context.closure?.reason).toBe('eligibleNeedsMetOtherwise');
    expect(effects.map((e) => e.type)).toEqual(['sendLetter']);
  });
});

describe('R-ASM-6 fluctuating needs: pause and resume', () => {
  it('R-ASM-6: a paused assessment cannot be completed; resumed, it can — and its deadlines’ history is unchanged', () => {
    // From the emergency route so the assessment carries a (met) R-EMG-1 deadline.
    const started = run(newJourney(), [
      ev('REFERRAL_RECEIVED', T, {
        referralId: 'r',
        receivedDate: '2026-03-02',
        source: 'gp',
        urgency: 'emergency',
        summary: 'fluctuating needs',
        subject: 'person',
      }),
      ev('TRIAGED', at(0, 11), { route: 'emergencyInterimSupport', reason: 'emergency' }),
      ev('INTERIM_SUPPORT_STARTED', at(0, 12), {
        services: ['night sitting'],
        managerApproval: { managerId: 'manager.bob' },
        caseNotesCompleted: true,
      }),
      ev('ASSESSMENT_STARTED', at(1), {}),
      ev('UNIVERSAL_OFFER_GIVEN', at(1), {
        informationAndAdvice: ['advice'],
        signposting: [],
        prevention: [],
      }),
      ev('CONSENT_RECORDED', at(1), { consentGiven: true }),
    ]).snapshot;
    const before = started.context.deadlines;
    expect(onlyDeadline(started, 'emergencyAssessmentStart').status).toBe('met');

    const paused = accept(
      started,
      ev('ASSESSMENT_PAUSED', at(2), { reason: 'needs fluctuate: observe over 4 weeks' }),
    );
    expect(stageValue(paused)).toEqual({ assessment: 'paused' });
    expectRefused(paused, assessment({}), undefined);

    const resumed = accept(paused, ev('ASSESSMENT_RESUMED', at(30), {}));
    expect(stageValue(resumed)).toEqual({ assessment: 'inProgress' });
    expect(resumed.context.deadlines).toEqual(before);
    expect(resumed.context.assessment?.startedAt).toBe(at(1));
    expect(stageValue(accept(resumed, { ...assessment(), occurredAt: at(31) }))).toEqual({
      indicativeBudget: 'calculating',
    });
  });

  it('R-ASM-6: only a paused assessment can be resumed', () => {
    expectRefused(ready(), ev('ASSESSMENT_RESUMED', at(4), {}), undefined);
  });
});
