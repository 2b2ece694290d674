/**
 * JOURNEY.md "Trustworthy time" (R-TIM-1..3): an event's dates are never before the referral,
 * never ahead of the moment it is recorded (beyond the skew allowance), and consistent with the
 * events they depend on; a back-dated entry keeps the record of the deadline having been flagged
 * overdue; an eventId names one event.
 */
import { initialTransition } from 'xstate';
import { checkEvent } from '../../machines/checkEvent';
import type { JourneyEvent } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { derbyshire } from '../../machines/policyProfile';
import { englandAndWalesBankHolidays } from '../../machines/calendar';
import { JourneyRun } from '../../workflows/journeyRun';
import { fingerprintOf, fnv1a64 } from '../../workflows/eventDigest';
import { ev, interimSupportStarted, noIndicators, referral, review, system } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyInput,
  journeyThrough,
  newJourney,
  onlyDeadline,
  parsed,
  roadDay,
  run,
  type Snapshot,
} from './journeyHarness';

const messages = (snapshot: Snapshot, event: JourneyEvent) => {
  const check = checkEvent(snapshot, event);
  return check.allowed ? [] : check.reasons.filter((r) => r.ruleId === 'R-TIM-1').map((r) => r.message);
};
const reached = (deadlineId: string, at: string) =>
  ev('DEADLINE_REACHED', at, { deadlineId }, { actor: system });

describe('R-TIM-1 never before the referral, dates consistent with the events they depend on', () => {
  it('R-TIM-1: an assessment dated 17 days before the referral is refused', () => {
    const triaged = journeyThrough('TRIAGED');
    expect(triaged.context.referrals[0]?.recordedAt).toBe('2026-03-02T10:00:00.000Z');
    const reasons = expectRefused(
      triaged,
      ev('ASSESSMENT_STARTED', '2026-02-13T10:00:00.000Z', {}),
      'R-TIM-1',
    );
    expect(reasons).toContainEqual({
      ruleId: 'R-TIM-1',
      message:
        "occurredAt 2026-02-13T10:00Z is before the referral (2026-03-02T10:00Z): an event cannot happen before the journey's referral",
      field: 'occurredAt',
      accepted: '2026-03-02T10:00Z or later',
    });
    // At the referral's own instant it is fine.
    expect(checkEvent(triaged, ev('ASSESSMENT_STARTED', '2026-03-02T10:00:00.000Z', {})).allowed).toBe(true);
  });

  it('R-TIM-1: the opening referral and the journey’s own timer are exempt; a later referral dated before the first is not', () => {
    // The opening referral may be recorded long after it was made.
    const opened = accept(newJourney(), referral('2025-01-06T09:00:00.000Z', 'R-1'));
    expect(opened.context.referrals).toHaveLength(1);
    expectRefused(opened, referral('2025-01-01T09:00:00.000Z', 'R-2'), 'R-TIM-1');
    // A referral cannot say it was received after it was made.
    expectRefused(
      newJourney(),
      referral('2026-03-02T10:00:00.000Z', 'R-3', { receivedDate: '2026-03-03' }),
      'R-TIM-1',
    );
  });

  it('R-TIM-1: an assessment completed before it started is refused', () => {
    const started = journeyThrough('ORDINARY_RESIDENCE_ESTABLISHED'); // started on day 2
    const completed = ev('ASSESSMENT_COMPLETED', roadDay(1), {
      presentingNeeds: ['help washing'],
      eligibleNeeds: [],
      ineligibleNeeds: [],
      unmetEligibleNeeds: [],
      outcomes: ['stay at home'],
      informalSupport: 'none',
      equipmentConsidered: true,
    });
    expectRefused(started, completed, 'R-TIM-1');
    expect(messages(started, completed)).toEqual([
      'occurredAt 2026-03-03T10:00Z is before the assessment started (2026-03-04T10:00Z)',
    ]);
  });

  it('R-TIM-1: a review dated before services started is refused', () => {
    const live = journeyThrough('SERVICES_ACTIVATED'); // services started on day 9
    expect(live.context.activatedAt).toBe(roadDay(9));
    const early = review(roadDay(8));
    expectRefused(live, early, 'R-TIM-1');
    expect(messages(live, early)).toEqual([
      'occurredAt 2026-03-10T10:00Z is before services started (2026-03-11T10:00Z)',
    ]);
    // A second review cannot be dated before the first.
    const reviewed = accept(live, review(roadDay(40)));
    expect(messages(reviewed, review(roadDay(30)))).toEqual([
      'occurredAt 2026-04-01T10:00Z is before the previous review (2026-04-11T10:00Z)',
    ]);
  });

  it('R-TIM-1: a direct-payment agreement signed next month is refused', () => {
    const signedOff = journeyThrough('PLAN_SIGNED_OFF', { directPayment: true }); // signed off on day 7
    const nextMonth = ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', roadDay(8), { signedOn: '2026-04-10' });
    expectRefused(signedOff, nextMonth, 'R-TIM-1');
    expect(messages(signedOff, nextMonth)).toEqual([
      'signedOn 2026-04-10 is after the day the event occurred (2026-03-10, occurredAt 2026-03-10T10:00Z): an event cannot record a date still to come',
    ]);
    // Nor before the sign-off it follows, whether by its date or by occurredAt.
    const beforeSignOff = ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', roadDay(8), { signedOn: '2026-03-08' });
    expect(messages(signedOff, beforeSignOff)).toEqual([
      'signedOn 2026-03-08 is before the sign-off (2026-03-09)',
    ]);
    const recordedBefore = ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', roadDay(6), { signedOn: '2026-03-08' });
    expect(messages(signedOff, recordedBefore)).toEqual([
      'occurredAt 2026-03-08T10:00Z is before the plan was signed off (2026-03-09T10:00Z)',
      'signedOn 2026-03-08 is before the sign-off (2026-03-09)',
    ]);
    expect(
      checkEvent(signedOff, ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', roadDay(8), { signedOn: '2026-03-09' }))
        .allowed,
    ).toBe(true);
  });

  it('R-TIM-1: a date of death in the future is refused', () => {
    const live = journeyThrough('SERVICES_ACTIVATED');
    const future = ev('PERSON_DIED', roadDay(20), { dateOfDeath: '2026-03-23' });
    expectRefused(live, future, 'R-TIM-1');
    expect(messages(live, future)).toEqual([
      'dateOfDeath 2026-03-23 is after the day the event occurred (2026-03-22, occurredAt 2026-03-22T10:00Z): an event cannot record a date still to come',
    ]);
    // Nor before the referral, when the person was alive to be referred.
    expect(messages(live, ev('PERSON_DIED', roadDay(20), { dateOfDeath: '2026-03-01' }))).toEqual([
      'dateOfDeath 2026-03-01 is before the referral (2026-03-02)',
    ]);
    const died = accept(live, ev('PERSON_DIED', roadDay(20), { dateOfDeath: '2026-03-21' }));
    expect(died.status).toBe('done');
  });

  it('R-TIM-1: a date carried in an event is judged against the London date of occurredAt', () => {
    // 23:30 UTC on 1 June is already 2 June in London (BST).
    const live = journeyThrough('SERVICES_ACTIVATED');
    const lateEvening = '2026-06-01T23:30:00.000Z';
    expect(messages(live, ev('PERSON_DIED', lateEvening, { dateOfDeath: '2026-06-02' }))).toEqual([]);
    expect(messages(live, ev('PERSON_DIED', lateEvening, { dateOfDeath: '2026-06-03' }))).toHaveLength(1);
  });

  it('R-TIM-1: hospital dates and a move date are held to the day and the referral', () => {
    const live = journeyThrough('SERVICES_ACTIVATED');
    expect(
      messages(
        live,
        ev('HOSPITAL_ADMITTED', roadDay(20), { admittedOn: '2026-03-25', hospital: 'Royal Derby' }),
      ),
    ).toHaveLength(1);
    const admitted = accept(
      live,
      ev('HOSPITAL_ADMITTED', roadDay(20), { admittedOn: '2026-03-22', hospital: 'Royal Derby' }),
    );
    const discharge = (dischargedOn: string) =>
      ev('HOSPITAL_DISCHARGED', roadDay(25), {
        dischargedOn,
        dischargeProtocolFollowed: true,
        needsChanged: false,
      });
    expect(messages(admitted, discharge('2026-03-28'))).toHaveLength(1);
    expect(messages(admitted, discharge('2026-03-27'))).toEqual([]);
    // A move is told in advance (R-TRF-1), but not dated before the referral.
    const move = (moveDate: string) =>
      ev('MOVED_AWAY', roadDay(20), { moveDate, receivingCouncil: 'Sheffield', consentToShareRecords: true });
    expect(messages(live, move('2026-04-10'))).toEqual([]);
    expect(messages(live, move('2026-02-10'))).toEqual([
      'moveDate 2026-02-10 is before the referral (2026-03-02)',
    ]);
  });

  it('R-TIM-1: an end letter posted before the reassessment copy went out is refused', () => {
    const live = journeyThrough('SERVICES_ACTIVATED');
    const ending = run(live, [
      { ...review(roadDay(60), 'servicesToEnd'), indicators: noIndicators },
      ev('REASSESSMENT_COMPLETED', roadDay(70), {
        outcome: 'endServices',
        reasons: 'eligible needs now met by the family',
        unmetEligibleNeeds: [],
        informalSupport: 'substantial',
        thirdPartySources: ['daughter'],
      }),
      ev('REASSESSMENT_COPY_PROVIDED', roadDay(75), { to: ['person-1'] }), // Sat 16 May 2026
    ]).snapshot;
    const letter = (postedOn: string, at = roadDay(80)) =>
      ev('SERVICE_END_LETTER_POSTED', at, {
        postedOn,
        reasons: 'needs met by informal support',
        alternativesDiscussed: 'befriending service',
      });
    const early = letter('2026-05-15');
    expectRefused(ending, early, 'R-TIM-1');
    expect(messages(ending, early)).toEqual([
      'postedOn 2026-05-15 is before the day the reassessment copy went out (2026-05-16)',
    ]);
    expect(messages(ending, letter('2026-05-16', roadDay(74)))).toEqual(
      expect.arrayContaining([
        'occurredAt 2026-05-15T10:00Z is before the reassessment copy went out (2026-05-16T10:00Z)',
      ]),
    );
    expect(messages(ending, letter('2026-05-16'))).toEqual([]);
    // And the reassessment cannot come before the review that called for it.
    const reviewed = accept(live, { ...review(roadDay(60), 'servicesToEnd'), indicators: noIndicators });
    expect(
      messages(
        reviewed,
        ev('REASSESSMENT_COMPLETED', roadDay(59), {
          outcome: 'endServices',
          reasons: 'needs met',
          unmetEligibleNeeds: [],
          informalSupport: 'substantial',
          thirdPartySources: [],
        }),
      ),
    ).toEqual([
      'occurredAt 2026-04-30T10:00Z is before the review that called for the reassessment (2026-05-01T10:00Z)',
    ]);
  });

  it('R-TIM-1: an edition-1 journey is not held to the time rules', () => {
    const edition1 = initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 1 })[0];
    const opened = accept(edition1, referral('2026-03-02T10:00:00.000Z', 'R-1'));
    expect(messages(opened, referral('2026-02-01T10:00:00.000Z', 'R-2'))).toEqual([]);
    expect(checkEvent(opened, referral('2026-02-01T10:00:00.000Z', 'R-2')).allowed).toBe(true);
  });
});

describe('R-TIM-1 the upper bound: not later than the moment it is recorded, beyond the skew allowance', () => {
  const input = {
    personId: 'person-1',
    subject: 'person' as const,
    profile: derbyshire,
    bankHolidays: [...englandAndWalesBankHolidays],
  };
  const now = '2026-03-02T12:00:00.000Z';

  it('R-TIM-1: an event more than the profile’s allowance ahead of the recording is refused, naming the field and the allowance', () => {
    const journey = new JourneyRun(input, now);
    const opening = parsed(referral('2026-03-02T11:00:00.000Z', 'R-1'));
    journey.apply(opening, 'update', now);
    const ahead = ev('TRIAGED', '2026-03-02T12:06:00.000Z', {
      route: 'emergencyInterimSupport',
      reason: 'tonight',
    });
    expect(journey.judge(ahead, now)).toEqual({
      kind: 'refused',
      event: expect.objectContaining({ eventId: ahead.eventId }),
      reasons: [
        {
          ruleId: 'R-TIM-1',
          message:
            'occurredAt 2026-03-02T12:06:00.000Z is later than the moment it is recorded (2026-03-02T12:00:00.000Z) by more than the allowance of 5 minutes for clock skew: an event cannot be recorded before it happens',
          field: 'occurredAt',
          accepted: '2026-03-02T12:00:00.000Z or earlier, with its offset (leave occurredAt out for now)',
        },
      ],
    });
    expect(journey.judge({ ...ahead, occurredAt: '2026-03-02T12:05:00.000Z' }, now).kind).toBe('accept');
  });

  it('R-TIM-1: the allowance is the profile’s timing.clockSkewAllowanceMinutes; edition 1 keeps 5 minutes as invalid', () => {
    const strict = new JourneyRun(
      { ...input, profile: { ...derbyshire, timing: { clockSkewAllowanceMinutes: 1 } } },
      now,
    );
    strict.apply(parsed(referral('2026-03-02T11:00:00.000Z', 'R-1')), 'update', now);
    const ahead = ev('TRIAGED', '2026-03-02T12:02:00.000Z', {
      route: 'emergencyInterimSupport',
      reason: 'tonight',
    });
    const verdict = strict.judge(ahead, now);
    expect(verdict.kind).toBe('refused');
    expect(verdict.kind === 'refused' && verdict.reasons[0]?.message).toMatch(
      /allowance of 1 minute for clock skew/,
    );

    const edition1 = new JourneyRun(input, now, 1);
    edition1.apply(parsed(referral('2026-03-02T11:00:00.000Z', 'R-1')), 'update', now);
    expect(edition1.judge({ ...ahead, occurredAt: '2026-03-02T12:06:00.000Z' }, now)).toEqual({
      kind: 'invalid',
      problems: ['occurredAt 2026-03-02T12:06:00.000Z is in the future'],
    });
  });
});

describe('R-TIM-2 a back-dated entry is met by its real date and recorded late', () => {
  /** Referral → emergency interim support on Mon 2 March: the assessment must begin by the end of Thu 5 March. */
  function flaggedOverdue(): Snapshot {
    const interim = run(newJourney(), [
      referral('2026-03-02T09:00:00.000Z', 'R-1', { urgency: 'emergency' }),
      ev('TRIAGED', '2026-03-02T09:30:00.000Z', {
        route: 'emergencyInterimSupport',
        reason: 'carer in hospital',
      }),
      interimSupportStarted('2026-03-02T10:00:00.000Z', ['emergency home care']),
    ]).snapshot;
    const clock = onlyDeadline(interim, 'emergencyAssessmentStart');
    expect(clock.overdueAt).toBe('2026-03-06T00:00:00.000Z');
    return accept(interim, reached(clock.id, clock.overdueAt));
  }

  it('R-TIM-2: a back-dated ASSESSMENT_STARTED after the emergency clock was flagged overdue is met by its real date and recorded late', () => {
    const overdue = flaggedOverdue();
    expect(onlyDeadline(overdue, 'emergencyAssessmentStart')).toMatchObject({
      status: 'overdue',
      flaggedOverdueAt: '2026-03-06T00:00:00.000Z',
    });
    // Recorded on the 9th, it really began on the 5th: within the 3 working days.
    const started = accept(overdue, ev('ASSESSMENT_STARTED', '2026-03-05T14:00:00.000Z', {}));
    expect(onlyDeadline(started, 'emergencyAssessmentStart')).toMatchObject({
      status: 'met',
      closedAt: '2026-03-05T14:00:00.000Z',
      flaggedOverdueAt: '2026-03-06T00:00:00.000Z',
      recordedLate: true,
    });
  });

  it('R-TIM-2: one that really began after the deadline is met late, however it is entered', () => {
    const late = accept(flaggedOverdue(), ev('ASSESSMENT_STARTED', '2026-03-06T09:00:00.000Z', {}));
    const clock = onlyDeadline(late, 'emergencyAssessmentStart');
    expect(clock).toMatchObject({ status: 'metLate', flaggedOverdueAt: '2026-03-06T00:00:00.000Z' });
    expect(clock.recordedLate).toBeUndefined();
  });

  it('R-TIM-2: met before it was flagged, nothing is recorded late', () => {
    const interim = run(newJourney(), [
      referral('2026-03-02T09:00:00.000Z', 'R-1', { urgency: 'emergency' }),
      ev('TRIAGED', '2026-03-02T09:30:00.000Z', {
        route: 'emergencyInterimSupport',
        reason: 'carer in hospital',
      }),
      interimSupportStarted('2026-03-02T10:00:00.000Z', ['emergency home care']),
      ev('ASSESSMENT_STARTED', '2026-03-04T10:00:00.000Z', {}),
    ]).snapshot;
    const clock = onlyDeadline(interim, 'emergencyAssessmentStart');
    expect(clock.status).toBe('met');
    expect(clock.flaggedOverdueAt).toBeUndefined();
    expect(clock.recordedLate).toBeUndefined();
  });
});

describe('R-TIM-2 the managers an escalation reached are told it has been resolved (the run, without Temporal)', () => {
  const input = {
    personId: 'person-1',
    subject: 'person' as const,
    profile: derbyshire,
    bankHolidays: [...englandAndWalesBankHolidays],
  };
  const setUp = '2026-03-02T10:00:00.000Z';
  const afterOverdue = '2026-03-06T09:00:00.000Z';
  function escalated(rulesVersion?: number, escalate = true): JourneyRun {
    const journey = new JourneyRun(input, setUp, rulesVersion);
    for (const event of [
      referral('2026-03-02T09:00:00.000Z', 'R-1', { urgency: 'emergency' }),
      ev('TRIAGED', '2026-03-02T09:30:00.000Z', { route: 'emergencyInterimSupport', reason: 'tonight' }),
      interimSupportStarted(setUp, ['home care']),
    ])
      journey.apply(parsed(event), 'update', setUp);
    journey.reachDueDeadlines(afterOverdue);
    if (escalate) journey.queueDueNotices(afterOverdue);
    return journey;
  }
  const noticeJobs = (journey: JourneyRun) =>
    journey.jobs.flatMap((job) => (job.kind === 'notice' ? [job.notice] : []));

  it('R-TIM-2: a back-dated meeting event queues one "resolved" notice for an escalated deadline', () => {
    const journey = escalated();
    expect(noticeJobs(journey).map((n) => n.id)).toEqual(['emergencyAssessmentStart-1:escalation-1']);
    journey.apply(parsed(ev('ASSESSMENT_STARTED', '2026-03-04T10:00:00.000Z', {})), 'update', afterOverdue);
    expect(noticeJobs(journey).at(-1)).toMatchObject({
      id: 'emergencyAssessmentStart-1:resolved',
      kind: 'resolved',
      at: afterOverdue,
      deadline: { status: 'met', recordedLate: true },
      resolution: {
        status: 'met',
        closedAt: '2026-03-04T10:00:00.000Z',
        recordedAt: afterOverdue,
        recordedLate: true,
      },
    });
    // Queued once, and carried across continue-as-new as sent.
    journey.queueDueNotices('2026-04-01T09:00:00.000Z');
    expect(noticeJobs(journey).filter((n) => n.kind === 'resolved')).toHaveLength(1);
    expect(journey.carry(afterOverdue).sentNotificationIds).toContain('emergencyAssessmentStart-1:resolved');
  });

  it('R-TIM-2: nothing to resolve when no escalation went out, or on an edition-1 journey', () => {
    const notEscalated = escalated(undefined, false);
    notEscalated.apply(
      parsed(ev('ASSESSMENT_STARTED', '2026-03-04T10:00:00.000Z', {})),
      'update',
      afterOverdue,
    );
    expect(noticeJobs(notEscalated)).toEqual([]);
    const edition1 = escalated(1);
    edition1.apply(parsed(ev('ASSESSMENT_STARTED', '2026-03-04T10:00:00.000Z', {})), 'update', afterOverdue);
    expect(noticeJobs(edition1).map((n) => n.kind)).toEqual(['escalation']);
  });

  it('R-TIM-2: a deadline escalated and then cancelled (the person died) is resolved as no longer applying', () => {
    const journey = escalated();
    journey.apply(
      parsed(ev('PERSON_DIED', afterOverdue, { dateOfDeath: '2026-03-05' })),
      'update',
      afterOverdue,
    );
    expect(noticeJobs(journey).at(-1)).toMatchObject({
      kind: 'resolved',
      resolution: { status: 'cancelled', recordedLate: false },
      deadline: { status: 'cancelled', flaggedOverdueAt: '2026-03-06T00:00:00.000Z' },
    });
  });
});

describe('R-TIM-3 an eventId names one event', () => {
  const input = {
    personId: 'person-1',
    subject: 'person' as const,
    profile: derbyshire,
    bankHolidays: [...englandAndWalesBankHolidays],
  };
  const now = '2026-03-04T12:00:00.000Z';
  function journeyWith(first: JourneyEvent, rulesVersion?: number): JourneyRun {
    const journey = new JourneyRun(input, now, rulesVersion);
    journey.apply(parsed(referral('2026-03-02T09:00:00.000Z', 'R-1')), 'update', now);
    journey.apply(
      parsed(
        ev('TRIAGED', '2026-03-02T10:00:00.000Z', { route: 'emergencyInterimSupport', reason: 'tonight' }),
      ),
      'update',
      now,
    );
    journey.apply(parsed(first), 'update', now);
    return journey;
  }
  const interim = ev(
    'INTERIM_SUPPORT_STARTED',
    '2026-03-02T11:00:00.000Z',
    { services: ['home care'], managerApproval: { managerId: 'manager.bob' }, caseNotesCompleted: true },
    { eventId: 'e-7' },
  );

  it('R-TIM-3: the same eventId with different content is a conflict naming both', () => {
    const journey = journeyWith(interim);
    const other = ev('ASSESSMENT_STARTED', '2026-03-03T10:00:00.000Z', {}, { eventId: 'e-7' });
    const verdict = journey.judge(other, now);
    expect(verdict).toMatchObject({
      kind: 'conflict',
      conflict: {
        eventId: 'e-7',
        earlier: { type: 'INTERIM_SUPPORT_STARTED', occurredAt: '2026-03-02T11:00:00.000Z' },
        attempted: { type: 'ASSESSMENT_STARTED', occurredAt: '2026-03-03T10:00:00.000Z' },
        onlyOccurredAtDiffers: false,
      },
      reasons: [
        {
          ruleId: 'R-TIM-3',
          message:
            'eventId e-7 was already used for INTERIM_SUPPORT_STARTED at 2026-03-02T11:00:00.000Z; this is a different event (ASSESSMENT_STARTED at 2026-03-03T10:00:00.000Z): send it with an eventId of its own',
        },
      ],
    });
    // Same type, different details; same details, different time.
    expect(journey.judge({ ...interim, services: ['day care'] }, now)).toMatchObject({
      kind: 'conflict',
      reasons: [
        {
          message: expect.stringContaining(
            '(INTERIM_SUPPORT_STARTED at 2026-03-02T11:00:00.000Z with different details)',
          ),
        },
      ],
    });
    expect(journey.judge({ ...interim, occurredAt: '2026-03-02T11:30:00.000Z' }, now)).toMatchObject({
      kind: 'conflict',
      conflict: { onlyOccurredAtDiffers: true },
    });
  });

  it('R-TIM-3: the same eventId with the same content is a duplicate, applied once (whoever delivers it)', () => {
    const journey = journeyWith(interim);
    expect(journey.judge(interim, now)).toEqual({ kind: 'duplicate', eventId: 'e-7' });
    expect(journey.judge({ ...interim, actor: { userId: 'cms', role: 'integration' } }, now).kind).toBe(
      'duplicate',
    );
    // Key order and defaults do not make it different.
    const reordered = Object.fromEntries(Object.entries(interim).reverse());
    expect(journey.judge(reordered, now).kind).toBe('duplicate');
  });

  it('R-TIM-3: the fingerprints survive continue-as-new; ids carried without one stay duplicates', () => {
    const carried = journeyWith(interim).carry(now);
    expect(carried.seenEventDigests).toContainEqual(['e-7', fingerprintOf(parsed(interim))]);
    const next = new JourneyRun({ ...input, carried }, now);
    expect(next.judge({ ...interim, services: ['day care'] }, now).kind).toBe('conflict');
    expect(next.judge(interim, now).kind).toBe('duplicate');
    const old = new JourneyRun({ ...input, carried: { ...carried, seenEventDigests: undefined } }, now);
    expect(old.judge({ ...interim, services: ['day care'] }, now).kind).toBe('duplicate');
  });

  it('R-TIM-3: an edition-1 run keeps treating any resent id as a duplicate', () => {
    const journey = journeyWith(interim, 1);
    expect(journey.judge({ ...interim, services: ['day care'] }, now)).toEqual({
      kind: 'duplicate',
      eventId: 'e-7',
    });
  });

  it('R-TIM-3: the content digest is FNV-1a 64 (published test vectors)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});

describe('control characters: refused at the edge since edition 5, read as history accepted them before', () => {
  const input = {
    personId: 'person-1',
    subject: 'person' as const,
    profile: derbyshire,
    bankHolidays: [...englandAndWalesBankHolidays],
  };
  const now = '2026-03-02T12:00:00.000Z';
  const withTab = ev('WORKER_ALLOCATED', '2026-03-02T11:30:00.000Z', {
    team: 'north\tteam',
    workerId: 'worker.ann',
  });

  it('an edition-5 journey refuses a control character, naming the field', () => {
    const journey = new JourneyRun(input, now);
    journey.apply(parsed(referral('2026-03-02T11:00:00.000Z', 'R-1')), 'update', now);
    const verdict = journey.judge(withTab, now);
    expect(verdict.kind).toBe('invalid');
    expect(verdict.kind === 'invalid' && verdict.problems.join(' ')).toMatch(/team.*control characters/);
  });

  it('a journey judged by an earlier edition accepts what its history may hold, blanked, so it replays as it ran', () => {
    const journey = new JourneyRun(input, now, 4);
    journey.apply(parsed(referral('2026-03-02T11:00:00.000Z', 'R-1')), 'update', now);
    const verdict = journey.judge(withTab, now);
    expect(verdict).toMatchObject({ kind: 'accept', event: { team: 'north team' } });
  });
});
