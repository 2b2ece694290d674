/**
 * Rules edition 5 (JOURNEY.md 2026-12-07): appeals against a decision on eligibility or the personal
 * budget (R-APL-1, DCC §7.14), direct payments monitored in proportion to risk (R-DPM-1, DCC §7.12,
 * §7.10.2) and temporary support when the person's own contingency arrangements break down
 * (R-DPM-2, DCC §7.10.1). Each is a clock whose limit the policy profile sets; none moves the stage.
 */
import { letterEnvironment, letterView } from '../../activities/letters/documents';
import { englandAndWalesCalendar } from '../../machines/calendar';
import { eventsNow } from '../../machines/checkEvent';
import { describeJourney } from '../../machines/describeJourney';
import type { SendLetter } from '../../machines/effects';
import type { EventOf } from '../../machines/events';
import { derbyshire, type PolicyProfile } from '../../machines/policyProfile';
import { completePlan, ev, pathToActivation, reviewWith, system } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyThrough,
  newJourney,
  onlyDeadline,
  roadDay,
  run,
  stageValue,
  step,
  type Snapshot,
} from './journeyHarness';

const calendar = englandAndWalesCalendar();
const at = roadDay;
/** Services start on road day 9 (Wednesday 11 March 2026). */
const live = (options: { profile?: PolicyProfile; directPayment?: boolean } = {}): Snapshot =>
  journeyThrough('SERVICES_ACTIVATED', options);
const profileWith = (overrides: Partial<PolicyProfile>): PolicyProfile => ({ ...derbyshire, ...overrides });

const appeal = (
  occurredAt: string,
  appealId = 'apl-1',
  about: EventOf<'APPEAL_RAISED'>['about'] = 'personalBudget',
) =>
  ev('APPEAL_RAISED', occurredAt, { appealId, about, grounds: 'the budget does not cover evening visits' });
const decision = (
  occurredAt: string,
  appealId = 'apl-1',
  outcome: EventOf<'APPEAL_DECIDED'>['outcome'] = 'partlyUpheld',
) =>
  ev('APPEAL_DECIDED', occurredAt, {
    appealId,
    outcome,
    reasons: 'an evening visit three nights a week is needed',
  });
const reached = (deadlineId: string, occurredAt: string) =>
  ev('DEADLINE_REACHED', occurredAt, { deadlineId }, { actor: system });
const stepFor = (snapshot: Snapshot, deadlineId: string) =>
  describeJourney(snapshot).nextSteps.find((s) => s.deadlineId === deadlineId);
const londonDate = (instant: string) => calendar.londonDateOf(instant);
/** The last London day a clock allows (its dueAt is the instant that day ends). */
const lastDay = (dueAt: string) => londonDate(new Date(Date.parse(dueAt) - 1).toISOString());

/** Monday 16 March 2026, 10:00: a weekday after services started. */
const MONDAY = at(14);

describe('R-APL-1 a decision on eligibility or the personal budget can be appealed, and is answered in writing', () => {
  it('R-APL-1: nothing can be appealed before a decision exists; the refusal says which decisions can be', () => {
    const assessing = journeyThrough('ASSESSMENT_STARTED');
    const reasons = expectRefused(assessing, appeal(at(2, 12), 'apl-1', 'eligibility'), 'R-APL-1');
    expect(reasons.find((r) => r.ruleId === 'R-APL-1')?.message).toMatch(/no decision to appeal yet/);
    expect(eventsNow(assessing).allowed).not.toContain('APPEAL_RAISED');
  });

  it('R-APL-1: the personal budget is appealed only once the plan is signed off (about); eligibility once assessed', () => {
    const planning = journeyThrough('PLAN_SUBMITTED');
    const reasons = expectRefused(planning, appeal(at(6, 12), 'apl-1', 'personalBudget'), 'R-APL-1');
    const about = reasons.find((r) => r.field === 'about');
    expect(about).toMatchObject({ ruleId: 'R-APL-1', accepted: expect.stringMatching(/eligibility/) });
    expect(about?.message).toMatch(/no personal budget to appeal yet/);
    const appealed = accept(planning, appeal(at(6, 12), 'apl-1', 'eligibility'));
    // it does not stop the journey: the stage is where it was
    expect(stageValue(appealed)).toEqual(stageValue(planning));
    expect(appealed.context.appeals).toEqual([
      expect.objectContaining({ appealId: 'apl-1', about: 'eligibility', raisedAt: at(6, 12) }),
    ]);
  });

  it('R-APL-1: an appeal is never before the decision it is about (occurredAt), nor recorded twice (appealId)', () => {
    const signedOff = journeyThrough('PLAN_SIGNED_OFF');
    const early = expectRefused(signedOff, appeal(at(6), 'apl-1', 'personalBudget'), 'R-TIM-1');
    expect(early.find((r) => r.field === 'occurredAt')?.message).toMatch(
      /before the decision appealed against/,
    );
    const appealed = accept(signedOff, appeal(at(8)));
    const twice = expectRefused(appealed, appeal(at(8, 12)), 'R-APL-1');
    expect(twice.find((r) => r.field === 'appealId')?.accepted).toMatch(/not yet used/);
  });

  it("R-APL-1: the appeal's clock is the profile's working days (20 in Derbyshire; 5 where a profile says 5), stage unchanged", () => {
    const derby = accept(live(), appeal(MONDAY));
    const clock = onlyDeadline(derby, 'appealDecision', 'due');
    expect(clock).toMatchObject({ ruleId: 'R-APL-1', startedFrom: MONDAY, effect: 'obligation' });
    // 20 working days from Monday 16 March 2026, over Good Friday (3 April) and Easter Monday (6 April)
    expect(lastDay(clock.dueAt)).toBe('2026-04-15');
    expect(clock.dueAt).toBe(calendar.workingDaysAfter(MONDAY, 20));
    expect(clock.description).toMatch(/20 working days/);
    expect(stageValue(derby)).toBe('liveSupport');

    const quick = profileWith({ appeals: { decisionWorkingDays: 5 } });
    const fast = accept(live({ profile: quick }), appeal(MONDAY));
    expect(lastDay(onlyDeadline(fast, 'appealDecision').dueAt)).toBe('2026-03-23');
  });

  it('R-APL-1: a journey carried from before the setting existed takes it from the shipped profile of its council', () => {
    const { appeals: _appeals, ...older } = derbyshire;
    const carried = accept(live({ profile: older as PolicyProfile }), appeal(MONDAY));
    expect(lastDay(onlyDeadline(carried, 'appealDecision').dueAt)).toBe('2026-04-15');
  });

  it('R-APL-1: deciding one of two open appeals meets its own clock only, and sends the decision in writing', () => {
    const two = run(live(), [appeal(MONDAY, 'apl-1', 'eligibility'), appeal(at(15), 'apl-2')]).snapshot;
    const [first, second] = two.context.deadlines.filter((d) => d.kind === 'appealDecision');
    const { snapshot: decided, effects } = step(two, decision(at(20), 'apl-2', 'partlyUpheld'));
    const status = (id: string | undefined) => decided.context.deadlines.find((d) => d.id === id)?.status;
    expect(status(second?.id)).toBe('met');
    expect(status(first?.id)).toBe('due');
    expect(stageValue(decided)).toBe('liveSupport');
    expect(decided.context.appeals?.find((a) => a.appealId === 'apl-2')).toMatchObject({
      decidedAt: at(20),
      outcome: 'partlyUpheld',
    });
    const letters = effects.filter((e): e is SendLetter => e.type === 'sendLetter');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      letter: 'appealDecision',
      ruleId: 'R-APL-1',
      recipients: ['person-1'],
      letterId: expect.stringContaining('appealDecision'),
      data: {
        appealId: 'apl-2',
        about: 'personalBudget',
        raisedOn: londonDate(at(15)),
        outcome: 'partlyUpheld',
        reasons: 'an evening visit three nights a week is needed',
        contactPoint: 'worker.ann',
      },
    });
    // the other appeal is still open, and still the worker's next step
    expect(stepFor(decided, first?.id ?? '')).toMatchObject({ event: 'APPEAL_DECIDED', allowedNow: true });
  });

  it('R-APL-1: deciding an unknown or an already decided appeal is refused, naming appealId', () => {
    const appealed = accept(live(), appeal(MONDAY));
    const unknown = expectRefused(appealed, decision(at(16), 'apl-9'), 'R-APL-1');
    expect(unknown.find((r) => r.field === 'appealId')).toMatchObject({ accepted: 'one of: apl-1' });
    const decided = accept(appealed, decision(at(16)));
    const again = expectRefused(decided, decision(at(17)), 'R-APL-1');
    expect(again.find((r) => r.field === 'appealId')?.message).toMatch(/already decided/);
    // with none open, deciding is not among what can happen now
    expect(eventsNow(decided).allowed).not.toContain('APPEAL_DECIDED');
  });

  it('R-APL-1: an open appeal is the worker’s next step: APPEAL_DECIDED, allowed now, due by its clock', () => {
    const appealed = accept(live(), appeal(MONDAY));
    const clock = onlyDeadline(appealed, 'appealDecision');
    expect(stepFor(appealed, clock.id)).toMatchObject({
      because: 'deadline',
      ruleId: 'R-APL-1',
      event: 'APPEAL_DECIDED',
      allowedNow: true,
      owner: { kind: 'worker', id: 'worker.ann' },
      dueBy: clock.dueAt,
    });
  });

  it('R-APL-1: not decided in time it falls overdue, stays a next step, and a late decision is met late', () => {
    const appealed = accept(live(), appeal(MONDAY));
    const clock = onlyDeadline(appealed, 'appealDecision');
    const overdue = accept(appealed, reached(clock.id, clock.overdueAt));
    expect(onlyDeadline(overdue, 'appealDecision').status).toBe('overdue');
    expect(stepFor(overdue, clock.id)).toMatchObject({
      event: 'APPEAL_DECIDED',
      overdueSince: clock.overdueAt,
    });
    const late = accept(overdue, decision(calendar.workingDaysAfter(clock.dueAt, 2)));
    expect(onlyDeadline(late, 'appealDecision').status).toBe('metLate');
  });

  it('R-APL-1: a journey closed as not eligible is final: an appeal cannot be recorded on it', () => {
    const road = pathToActivation(at(0));
    const assessed = road.findIndex((e) => e.type === 'ASSESSMENT_COMPLETED');
    const notEligible = ev('ASSESSMENT_COMPLETED', at(3), {
      ...(road[assessed] as EventOf<'ASSESSMENT_COMPLETED'>),
      eligibleNeeds: [],
      unmetEligibleNeeds: [],
    });
    const closed = run(newJourney(), [...road.slice(0, assessed), notEligible]).snapshot;
    expect(closed.status).toBe('done');
    const reasons = expectRefused(closed, appeal(at(4), 'apl-1', 'eligibility'), undefined);
    expect(reasons[0]?.message).toMatch(/the journey is closed \(notEligible\)/);
  });
});

describe('R-APL-1 decision letters say how to appeal', () => {
  const env = letterEnvironment();
  const render = (letter: SendLetter['letter'], data: Record<string, unknown>) =>
    env.render(
      `${letter}.njk`,
      letterView(
        {
          type: 'sendLetter',
          letterId: `person-1:e-1:${letter}`,
          letter,
          personId: 'person-1',
          recipients: ['person-1'],
          ruleId: 'R-APL-1',
          data,
        },
        undefined,
        { council: 'Derbyshire', dated: '2026-03-16', format: 'standard' },
      ),
    );

  it.each([
    [
      'decisionLetter (not eligible)',
      'decisionLetter',
      { eligibleNeeds: [], ineligibleNeeds: ['gardening'] },
    ],
    [
      'decisionLetter (eligible)',
      'decisionLetter',
      { eligibleNeeds: ['personal care'], unmetEligibleNeeds: ['personal care'], ineligibleNeeds: [] },
    ],
    ['planCopy (the personal budget)', 'planCopy', { personalBudget: 9360, plan: completePlan() }],
  ] as const)('R-APL-1: the %s says, in plain words, how to appeal', (_what, letter, data) => {
    const html = render(letter, data);
    expect(html).toMatch(/You can appeal\. This means asking us to look at your case again\./);
    expect(html).toMatch(/contact us .* and tell us why/);
    expect(html).toMatch(/write to you with our decision/);
  });

  it('R-APL-1: the appeal decision letter gives the outcome and the reasons in words', () => {
    const html = render('appealDecision', {
      about: 'eligibility',
      raisedOn: '2026-03-16',
      outcome: 'notUpheld',
      reasons: 'Your needs are met by your family',
      contactPoint: 'worker.ann',
    });
    expect(html).toContain('our decision about whether your needs are eligible on 16 March 2026');
    expect(html).toContain('your appeal is not upheld: our decision stays as it was');
    expect(html).toContain('Your needs are met by your family');
    expect(html).toContain('you can make a complaint');
    expect(html).not.toMatch(/undefined|notUpheld/);
  });
});

// ---- R-DPM-1 ----------------------------------------------------------------------------------

const flag = (
  occurredAt: string,
  kind: EventOf<'DIRECT_PAYMENT_VARIATION_FLAGGED'>['kind'] = 'significantVariation',
) =>
  ev('DIRECT_PAYMENT_VARIATION_FLAGGED', occurredAt, {
    balance: 4100.25,
    kind,
    details: 'the balance has grown by £1,200 in three months',
  });
const financeContacted = (occurredAt: string) =>
  ev('DIRECT_PAYMENT_FINANCE_CONTACTED', occurredAt, { concerns: true });

describe('R-DPM-1 a flagged direct-payment variation is acted on within the profile’s limit', () => {
  it('R-DPM-1: accepted only while a direct payment is live, refused otherwise saying why', () => {
    const noDirectPayment = expectRefused(live(), flag(MONDAY), 'R-DPM-1');
    expect(noDirectPayment.find((r) => r.ruleId === 'R-DPM-1')?.message).toMatch(
      /no direct payment to monitor/,
    );
    const notStarted = expectRefused(
      journeyThrough('DIRECT_PAYMENT_AGREEMENT_SIGNED', { directPayment: true }),
      flag(at(8, 12)),
      'R-DPM-1',
    );
    expect(notStarted.find((r) => r.ruleId === 'R-DPM-1')?.message).toMatch(/services have not started/);
    const flagged = accept(live({ directPayment: true }), flag(MONDAY, 'accountConcern'));
    expect(stageValue(flagged)).toBe('liveSupport');
    expect(flagged.context.directPaymentVariations).toEqual([
      { kind: 'accountConcern', balance: 4100.25, flaggedAt: MONDAY },
    ]);
  });

  it("R-DPM-1: the clock is the profile's working days (10 in Derbyshire; 3 where a profile says 3)", () => {
    const flagged = accept(live({ directPayment: true }), flag(MONDAY));
    const clock = onlyDeadline(flagged, 'directPaymentVariation', 'due');
    expect(clock.ruleId).toBe('R-DPM-1');
    expect(lastDay(clock.dueAt)).toBe('2026-03-30');
    expect(clock.dueAt).toBe(calendar.workingDaysAfter(MONDAY, 10));
    const tight = profileWith({
      directPaymentMonitoring: { ...derbyshire.directPaymentMonitoring, variationActionWorkingDays: 3 },
    });
    const sooner = accept(live({ directPayment: true, profile: tight }), flag(MONDAY));
    expect(lastDay(onlyDeadline(sooner, 'directPaymentVariation').dueAt)).toBe('2026-03-19');
  });

  it('R-DPM-1: a review after the flag acts on it and meets the clock; it must say what it decided (directPaymentOutcome)', () => {
    const flagged = run(live({ directPayment: true }), [flag(MONDAY), financeContacted(at(15))]).snapshot;
    const clock = onlyDeadline(flagged, 'directPaymentVariation');
    expect(stepFor(flagged, clock.id)).toMatchObject({
      ruleId: 'R-DPM-1',
      event: 'REVIEW_COMPLETED',
      allowedNow: true,
      dueBy: clock.dueAt,
    });
    const silent = expectRefused(flagged, reviewWith(at(18)), 'R-DPM-1');
    expect(silent.find((r) => r.field === 'directPaymentOutcome')).toMatchObject({
      ruleId: 'R-DPM-1',
      accepted: "'continue', 'change' or 'end'",
    });
    const reviewed = accept(flagged, reviewWith(at(18), { directPaymentOutcome: 'change' }));
    expect(onlyDeadline(reviewed, 'directPaymentVariation').status).toBe('met');
    expect(stepFor(reviewed, clock.id)).toBeUndefined();
  });

  it('R-DPM-1: a reassessment, which reviews the budget too, acts on a flag raised during it', () => {
    const reassessing = run(live({ directPayment: true }), [
      financeContacted(at(13)),
      reviewWith(at(14), { outcome: 'reassessment' }),
      flag(at(15)),
    ]).snapshot;
    expect(stageValue(reassessing)).toBe('reassessment');
    const reassessed = accept(
      reassessing,
      ev('REASSESSMENT_COMPLETED', at(20), {
        outcome: 'continue',
        reasons: 'the budget is right; the person is helped to pay her assistant on time',
        unmetEligibleNeeds: [],
        informalSupport: 'some',
        thirdPartySources: [],
      }),
    );
    expect(onlyDeadline(reassessed, 'directPaymentVariation').status).toBe('met');
  });

  it('R-DPM-1: not acted on in time it falls overdue and stays a next step', () => {
    const flagged = accept(live({ directPayment: true }), flag(MONDAY));
    const clock = onlyDeadline(flagged, 'directPaymentVariation');
    const overdue = accept(flagged, reached(clock.id, clock.overdueAt));
    expect(onlyDeadline(overdue, 'directPaymentVariation').status).toBe('overdue');
    expect(stepFor(overdue, clock.id)).toMatchObject({
      event: 'REVIEW_COMPLETED',
      overdueSince: clock.overdueAt,
    });
  });

  it('R-DPM-1: once the agreement has ended there is no account to act on: an open flag is cancelled, a new one refused', () => {
    const ending = run(live({ directPayment: true }), [
      financeContacted(at(13)),
      reviewWith(at(14), { directPaymentOutcome: 'end' }),
      ev('DIRECT_PAYMENT_NOTICE_GIVEN', at(15), {
        by: 'person',
        reason: 'personChoice',
        noticeGivenOn: londonDate(at(15)),
      }),
      flag(at(16)),
    ]).snapshot;
    const end = onlyDeadline(ending, 'directPaymentAgreementEnd');
    const ended = accept(ending, reached(end.id, end.dueAt));
    expect(onlyDeadline(ended, 'directPaymentVariation').status).toBe('cancelled');
    const reasons = expectRefused(ended, flag(at(50)), 'R-DPM-1');
    expect(reasons.find((r) => r.ruleId === 'R-DPM-1')?.message).toMatch(/agreement ended/);
  });
});

// ---- R-DPM-2 ----------------------------------------------------------------------------------

const arranged = (occurredAt: string, supportId = 'tmp-1') =>
  ev('TEMPORARY_SUPPORT_ARRANGED', occurredAt, {
    supportId,
    reason: 'her personal assistant is ill and the back-up has moved away',
    services: ['agency home care, mornings'],
  });
const ended = (occurredAt: string, supportId = 'tmp-1') =>
  ev('TEMPORARY_SUPPORT_ENDED', occurredAt, { supportId });

describe('R-DPM-2 temporary support while the person’s own arrangements have broken down, clocked until it ends', () => {
  it('R-DPM-2: arranged only while services are live, and each under its own id (supportId)', () => {
    const setUp = journeyThrough('PLAN_SIGNED_OFF');
    const early = expectRefused(setUp, arranged(at(8)), 'R-DPM-2');
    expect(early.find((r) => r.ruleId === 'R-DPM-2')?.message).toMatch(/services have not started/);
    const inPlace = accept(live(), arranged(MONDAY));
    expect(stageValue(inPlace)).toBe('liveSupport');
    const twice = expectRefused(inPlace, arranged(at(15)), 'R-DPM-2');
    expect(twice.find((r) => r.field === 'supportId')?.accepted).toMatch(/not yet used/);
  });

  it("R-DPM-2: the clock is the profile's weeks (4 in Derbyshire; 2 where a profile says 2) and a next step", () => {
    const inPlace = accept(live(), arranged(MONDAY));
    const clock = onlyDeadline(inPlace, 'temporarySupport', 'due');
    expect(clock).toMatchObject({ ruleId: 'R-DPM-2', startedFrom: MONDAY });
    expect(clock.dueAt).toBe(calendar.weeksAfter(MONDAY, 4));
    expect(lastDay(clock.dueAt)).toBe('2026-04-13');
    expect(stepFor(inPlace, clock.id)).toMatchObject({
      event: 'TEMPORARY_SUPPORT_ENDED',
      allowedNow: true,
      owner: { kind: 'worker', id: 'worker.ann' },
      dueBy: clock.dueAt,
    });
    const shorter = profileWith({
      directPaymentMonitoring: { ...derbyshire.directPaymentMonitoring, temporarySupportWeeks: 2 },
    });
    const brief = accept(live({ profile: shorter }), arranged(MONDAY));
    expect(lastDay(onlyDeadline(brief, 'temporarySupport').dueAt)).toBe('2026-03-30');
  });

  it('R-DPM-2: ending one meets its own clock only; an unknown or ended one is refused, naming supportId', () => {
    const two = run(live(), [arranged(MONDAY, 'tmp-1'), arranged(at(15), 'tmp-2')]).snapshot;
    const [first, second] = two.context.deadlines.filter((d) => d.kind === 'temporarySupport');
    const done = accept(two, ended(at(20), 'tmp-1'));
    const status = (id: string | undefined) => done.context.deadlines.find((d) => d.id === id)?.status;
    expect([status(first?.id), status(second?.id)]).toEqual(['met', 'due']);
    expect(stageValue(done)).toBe('liveSupport');
    const again = expectRefused(done, ended(at(21), 'tmp-1'), 'R-DPM-2');
    expect(again.find((r) => r.field === 'supportId')).toMatchObject({ accepted: 'one of: tmp-2' });
    const unknown = expectRefused(done, ended(at(21), 'tmp-9'), 'R-DPM-2');
    expect(unknown.find((r) => r.field === 'supportId')).toBeDefined();
  });

  it('R-DPM-2: not ended in time it falls overdue; ending it then is met late', () => {
    const inPlace = accept(live(), arranged(MONDAY));
    const clock = onlyDeadline(inPlace, 'temporarySupport');
    const overdue = accept(inPlace, reached(clock.id, clock.overdueAt));
    expect(onlyDeadline(overdue, 'temporarySupport').status).toBe('overdue');
    expect(stepFor(overdue, clock.id)).toMatchObject({
      event: 'TEMPORARY_SUPPORT_ENDED',
      overdueSince: clock.overdueAt,
    });
    const late = accept(overdue, ended(calendar.weeksAfter(clock.dueAt, 1)));
    expect(onlyDeadline(late, 'temporarySupport').status).toBe('metLate');
  });
});
