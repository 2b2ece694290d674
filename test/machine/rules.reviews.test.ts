/**
 * JOURNEY.md "Reviews" (R-REV-1..9) and the statutory clocks behind them: due / overdue, met /
 * metLate, DEADLINE_REACHED, a closed journey cancelling what is pending, daylight saving, and the
 * Lancashire profile differing without code changes.
 */
import { checkEvent } from '../../machines/checkEvent';
import type { Plan } from '../../machines/events';
import { lancashire, type PolicyProfile } from '../../machines/policyProfile';
import {
  completePlan,
  ev,
  noIndicators,
  pathToActivation,
  reviewWith,
  system,
} from '../support/journeyEvents';
import {
  accept,
  deadlinesOf,
  expectRefused,
  newJourney,
  onlyDeadline,
  run,
  stageValue,
  step,
  type Snapshot,
} from './journeyHarness';

/** Services activated at `activatedAt` (the ordinary road, one event a day, ends 9 days after it starts). */
function liveFrom(
  activatedAt: string,
  options: {
    directPayment?: boolean;
    profile?: PolicyProfile;
    plan?: Partial<Plan>;
    informalReview72h?: boolean;
  } = {},
): Snapshot {
  const start = new Date(Date.parse(activatedAt) - 9 * 86_400_000).toISOString();
  const events = pathToActivation(start, { directPayment: options.directPayment }).map((e) => {
    if (e.type === 'PLAN_SUBMITTED' && options.plan) return { ...e, plan: { ...e.plan, ...options.plan } };
    if (e.type === 'SERVICES_ACTIVATED' && options.informalReview72h !== undefined) {
      return { ...e, informalReview72h: options.informalReview72h };
    }
    return e;
  });
  const { snapshot } = run(newJourney({ profile: options.profile }), events);
  expect(snapshot.context.activatedAt).toBe(activatedAt);
  return snapshot;
}

const review = reviewWith;
const reached = (deadlineId: string, at: string) =>
  ev('DEADLINE_REACHED', at, { deadlineId }, { actor: system });
const HOUR = 3_600_000;

const ACTIVATED = '2026-03-11T10:00:00.000Z';
/**
 * Services activated more than 6 months before the reviews these tests hold on 2026-04-29, so the
 * service is no longer "only a few months old" (R-REV-5) and R-REV-3's 12 months apply.
 */
const ESTABLISHED = '2025-10-12T10:00:00.000Z';

describe('R-REV-1 informal review at 72 hours', () => {
  it('R-REV-1: due exactly 72 hours after services start; completing it meets it; then none is pending', () => {
    const live = liveFrom(ACTIVATED);
    const informal = onlyDeadline(live, 'informalReview');
    expect(informal).toMatchObject({ ruleId: 'R-REV-1', dueAt: '2026-03-14T10:00:00.000Z', status: 'due' });
    const done = accept(
      live,
      ev('INFORMAL_REVIEW_COMPLETED', '2026-03-14T09:00:00.000Z', { notes: 'settled in' }),
    );
    expect(onlyDeadline(done, 'informalReview')).toMatchObject({
      status: 'met',
      closedAt: '2026-03-14T09:00:00.000Z',
    });
    expectRefused(done, ev('INFORMAL_REVIEW_COMPLETED', '2026-03-15T09:00:00.000Z', {}), 'R-REV-1');
  });

  it('R-REV-1: "where appropriate": the plan or the activation can say no informal review', () => {
    expect(
      deadlinesOf(liveFrom(ACTIVATED, { plan: { informalReview72h: false } }), 'informalReview'),
    ).toEqual([]);
    expect(deadlinesOf(liveFrom(ACTIVATED, { informalReview72h: false }), 'informalReview')).toEqual([]);
    const none = liveFrom(ACTIVATED, { informalReview72h: false });
    expectRefused(none, ev('INFORMAL_REVIEW_COMPLETED', '2026-03-14T09:00:00.000Z', {}), 'R-REV-1');
  });

  it('R-REV-1: completed after it fell overdue → metLate', () => {
    const live = liveFrom(ACTIVATED);
    const id = onlyDeadline(live, 'informalReview').id;
    expectRefused(live, reached(id, '2026-03-14T09:59:59.000Z'), 'R-REV-1');
    const overdue = accept(live, reached(id, '2026-03-14T10:00:00.000Z'));
    expect(onlyDeadline(overdue, 'informalReview').status).toBe('overdue');
    const late = accept(overdue, ev('INFORMAL_REVIEW_COMPLETED', '2026-03-16T09:00:00.000Z', {}));
    expect(onlyDeadline(late, 'informalReview').status).toBe('metLate');
  });
});

describe('R-REV-2 first review: due at 6 weeks, overdue after 8', () => {
  it('R-REV-2: due at the end of the London day 6 weeks on; overdue at the end of the day 8 weeks on', () => {
    const first = onlyDeadline(liveFrom(ACTIVATED), 'firstReview');
    // 2026-03-11 + 6 weeks = 2026-04-22 (BST: the day ends 23:00Z); + 8 weeks = 2026-05-06.
    expect(first).toMatchObject({
      ruleId: 'R-REV-2',
      dueAt: '2026-04-22T23:00:00.000Z',
      overdueAt: '2026-05-06T23:00:00.000Z',
      status: 'due',
      description: 'First formal review, due at 6 weeks, overdue after 8',
    });
  });

  it('R-REV-2: a review in week 7 is met (in the window); DEADLINE_REACHED only at 8 weeks marks it overdue', () => {
    const live = liveFrom(ACTIVATED);
    const first = onlyDeadline(live, 'firstReview');
    // Not reached at the 6-week due date: the window runs to 8 weeks.
    expectRefused(live, reached(first.id, first.dueAt), 'R-REV-2');
    const inWindow = accept(live, review('2026-04-29T10:00:00.000Z'));
    expect(onlyDeadline(inWindow, 'firstReview')).toMatchObject({
      status: 'met',
      closedAt: '2026-04-29T10:00:00.000Z',
    });

    const overdue = accept(live, reached(first.id, first.overdueAt));
    expect(onlyDeadline(overdue, 'firstReview').status).toBe('overdue');
    const late = accept(overdue, review('2026-05-12T10:00:00.000Z'));
    expect(onlyDeadline(late, 'firstReview').status).toBe('metLate');
  });

  it('R-REV-2: a review after 8 weeks is metLate even if no timer reported it first', () => {
    const late = accept(liveFrom(ACTIVATED), review('2026-05-07T10:00:00.000Z'));
    expect(onlyDeadline(late, 'firstReview').status).toBe('metLate');
  });
});

describe('R-REV-3 further reviews at most 12 months apart', () => {
  it('R-REV-3: after a review with no R-REV-5 indicator, the next is due 12 months on', () => {
    const reviewed = accept(liveFrom(ESTABLISHED), review('2026-04-29T10:00:00.000Z'));
    expect(onlyDeadline(reviewed, 'annualReview')).toMatchObject({
      ruleId: 'R-REV-3',
      dueAt: '2027-04-29T23:00:00.000Z',
      status: 'due',
    });
    expect(reviewed.context.reviews).toEqual([
      {
        at: '2026-04-29T10:00:00.000Z',
        outcome: 'noChange',
        reviewType: 'formal',
        nextReviewOn: '2027-04-29',
        notice: { toldOn: '2026-04-08', told: ['the person', 'her daughter'] },
      },
    ]);
  });

  it('R-REV-3: a next review more than 12 months away is refused, naming the latest date', () => {
    const live = liveFrom(ESTABLISHED);
    const reasons = expectRefused(
      live,
      review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2027-04-30' }),
      'R-REV-3',
    );
    expect(reasons.find((r) => r.ruleId === 'R-REV-3')?.message).toMatch(/no later than 2027-04-29/);
    const agreed = accept(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2027-01-15' }));
    expect(onlyDeadline(agreed, 'annualReview').dueAt).toBe('2027-01-16T00:00:00.000Z');
  });

  it('R-REV-3: a reassessment that continues services sets the next review (at most 12 months)', () => {
    const reassessing = accept(
      liveFrom(ESTABLISHED),
      review('2026-04-29T10:00:00.000Z', { outcome: 'reassessment' }),
    );
    const reassess = (nextReviewOn?: string) =>
      ev('REASSESSMENT_COMPLETED', '2026-05-20T10:00:00.000Z', {
        outcome: 'continue',
        reasons: 'needs unchanged',
        unmetEligibleNeeds: [],
        informalSupport: 'some',
        thirdPartySources: [],
        nextReviewOn,
      });
    expectRefused(reassessing, reassess('2027-05-21'), 'R-REV-3');
    const continued = accept(reassessing, reassess());
    expect(stageValue(continued)).toBe('liveSupport');
    // R-REV-12: the reassessment's review replaces the one the review had set meanwhile.
    expect(onlyDeadline(continued, 'annualReview', 'due').dueAt).toBe('2027-05-20T23:00:00.000Z');
    expect(onlyDeadline(continued, 'annualReview', 'cancelled').dueAt).toBe('2027-04-29T23:00:00.000Z');
    expect(onlyDeadline(continued, 'reassessment').status).toBe('met');
  });
});

describe('R-REV-4 6-monthly monitoring checks where the next review is at least 6 months away', () => {
  it('R-REV-4: with the next review 12 months away, one monitoring check at 6 months', () => {
    const reviewed = accept(liveFrom(ESTABLISHED), review('2026-04-29T10:00:00.000Z'));
    expect(deadlinesOf(reviewed, 'monitoringCheck')).toEqual([
      // 2026-10-29 ends at midnight GMT (the clocks went back on 25 October).
      expect.objectContaining({ ruleId: 'R-REV-4', dueAt: '2026-10-30T00:00:00.000Z', status: 'due' }),
    ]);
  });

  it('R-REV-4: completing the check meets it (met, or metLate after it fell overdue); none pending → refused', () => {
    const reviewed = accept(liveFrom(ESTABLISHED), review('2026-04-29T10:00:00.000Z'));
    const check = onlyDeadline(reviewed, 'monitoringCheck');
    const done = accept(
      reviewed,
      ev('MONITORING_CHECK_COMPLETED', '2026-10-20T10:00:00.000Z', { concerns: false }),
    );
    expect(onlyDeadline(done, 'monitoringCheck')).toMatchObject({
      status: 'met',
      closedAt: '2026-10-20T10:00:00.000Z',
    });
    expectRefused(
      done,
      ev('MONITORING_CHECK_COMPLETED', '2026-10-21T10:00:00.000Z', { concerns: false }),
      'R-REV-4',
    );
    const overdue = accept(reviewed, reached(check.id, check.dueAt));
    const late = accept(
      overdue,
      ev('MONITORING_CHECK_COMPLETED', '2026-11-02T10:00:00.000Z', { concerns: true }),
    );
    expect(onlyDeadline(late, 'monitoringCheck').status).toBe('metLate');
  });

  it('R-REV-4: no monitoring check when the next review is less than 6 months away (or exactly at 6)', () => {
    const live = liveFrom(ESTABLISHED);
    expect(
      deadlinesOf(
        accept(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2026-09-29' })),
        'monitoringCheck',
      ),
    ).toEqual([]);
    expect(
      deadlinesOf(
        accept(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2026-10-29' })),
        'monitoringCheck',
      ),
    ).toEqual([]);
    expect(
      deadlinesOf(
        accept(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2026-11-29' })),
        'monitoringCheck',
      ),
    ).toHaveLength(1);
  });

  it('R-REV-4: the next review cancels monitoring checks still pending', () => {
    const reviewed = accept(liveFrom(ESTABLISHED), review('2026-04-29T10:00:00.000Z'));
    const early = accept(reviewed, review('2026-08-01T10:00:00.000Z', { nextReviewOn: '2027-08-01' }));
    const checks = deadlinesOf(early, 'monitoringCheck');
    expect(checks.map((d) => d.status)).toEqual(['cancelled', 'due']);
  });
});

describe('R-REV-5 an indicator caps the interval at 6 months', () => {
  const indicators = { ...noIndicators, needsLikelyToChange: true };

  it('R-REV-5: with an indicator the next review defaults to 6 months, with no monitoring check in between', () => {
    const reviewed = accept(liveFrom(ESTABLISHED), review('2026-04-29T10:00:00.000Z', { indicators }));
    expect(onlyDeadline(reviewed, 'annualReview').dueAt).toBe('2026-10-30T00:00:00.000Z'); // end of 29 Oct, GMT
    expect(deadlinesOf(reviewed, 'monitoringCheck')).toEqual([]);
  });

  it.each(Object.keys(noIndicators))(
    'R-REV-5: indicator %s refuses a next review more than 6 months away',
    (key) => {
      const live = liveFrom(ESTABLISHED);
      const reasons = expectRefused(
        live,
        review('2026-04-29T10:00:00.000Z', {
          indicators: { ...noIndicators, [key]: true },
          nextReviewOn: '2026-11-30',
        }),
        'R-REV-5',
      );
      expect(reasons.find((r) => r.ruleId === 'R-REV-5')?.message).toMatch(
        /no later than 2026-10-29: at most 6 months away/,
      );
      // Without the indicator the same date is fine (R-REV-3's 12 months apply).
      expect(
        checkEvent(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2026-11-30' })).allowed,
      ).toBe(true);
    },
  );

  it("R-REV-5: the journey's own facts count: a service six weeks old is reviewed again within 6 months", () => {
    const young = liveFrom(ACTIVATED);
    const reasons = expectRefused(
      young,
      review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2027-04-29' }),
      'R-REV-5',
    );
    expect(reasons.find((r) => r.ruleId === 'R-REV-5')?.message).toMatch(
      /no later than 2026-10-29: at most 6 months away \(R-REV-5 holds: serviceOnlyFewMonthsOld\)/,
    );
    const reviewed = accept(young, review('2026-04-29T10:00:00.000Z'));
    expect(onlyDeadline(reviewed, 'annualReview').dueAt).toBe('2026-10-30T00:00:00.000Z');
  });

  it('R-REV-5: a new provider, or several to coordinate, recorded at activation cap the interval too', () => {
    for (const providers of [
      [{ providerId: 'agency-new', newWithoutTrackRecord: true }],
      [
        { providerId: 'agency-a', newWithoutTrackRecord: false },
        { providerId: 'day-centre-b', newWithoutTrackRecord: false },
      ],
    ]) {
      const start = new Date(Date.parse(ESTABLISHED) - 9 * 86_400_000).toISOString();
      const events = pathToActivation(start).map((e) =>
        e.type === 'SERVICES_ACTIVATED' ? { ...e, providers } : e,
      );
      const live = run(newJourney(), events).snapshot;
      expectRefused(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2027-04-29' }), 'R-REV-5');
      expect(onlyDeadline(accept(live, review('2026-04-29T10:00:00.000Z')), 'annualReview').dueAt).toBe(
        '2026-10-30T00:00:00.000Z',
      );
    }
  });

  it('R-REV-5: "needs likely to change" can be stated at reassessment too', () => {
    const reassessing = accept(
      liveFrom(ESTABLISHED),
      review('2026-04-29T10:00:00.000Z', { outcome: 'reassessment' }),
    );
    const reassess = (nextReviewOn?: string) =>
      ev('REASSESSMENT_COMPLETED', '2026-05-20T10:00:00.000Z', {
        outcome: 'continue',
        reasons: 'deteriorating mobility',
        unmetEligibleNeeds: [],
        informalSupport: 'some',
        thirdPartySources: [],
        nextReviewOn,
        indicators: { ...noIndicators, needsLikelyToChange: true },
      });
    expectRefused(reassessing, reassess('2027-05-20'), 'R-REV-5');
    const continued = accept(reassessing, reassess());
    expect(onlyDeadline(continued, 'annualReview', 'due').dueAt).toBe('2026-11-21T00:00:00.000Z');
  });
});

describe('R-REV-6 unscheduled reviews at any time', () => {
  it.each(['personOrRepresentative', 'concern', 'providerAlert', 'informalSupportChange'] as const)(
    'R-REV-6: a request (%s) sets an unscheduled review due within 10 working days, met by the next review',
    (trigger) => {
      const live = liveFrom(ACTIVATED);
      const requested = accept(
        live,
        ev('UNSCHEDULED_REVIEW_REQUESTED', '2026-03-20T10:00:00.000Z', { trigger }),
      );
      const due = onlyDeadline(requested, 'unscheduledReview');
      // Fri 2026-03-20 + 10 working days: Mon 23 … Thu 2 April is 9, Good Friday (3rd) and Easter
      // Monday (6th) are bank holidays, so the 10th is Tue 7 April (ends 23:00Z, BST).
      expect(due).toMatchObject({ ruleId: 'R-REV-6', dueAt: '2026-04-07T23:00:00.000Z', status: 'due' });
      expect(due.description).toContain(trigger);
      const reviewed = accept(requested, review('2026-04-01T10:00:00.000Z'));
      expect(onlyDeadline(reviewed, 'unscheduledReview').status).toBe('met');
      // The same review also met the pending first review.
      expect(onlyDeadline(reviewed, 'firstReview').status).toBe('met');
    },
  );

  it('R-REV-6: unscheduled reviews belong to live support, not to a journey still in assessment', () => {
    const assessing = run(newJourney(), pathToActivation('2026-03-02T10:00:00.000Z').slice(0, 5)).snapshot;
    expectRefused(
      assessing,
      ev('UNSCHEDULED_REVIEW_REQUESTED', '2026-03-08T10:00:00.000Z', { trigger: 'concern' }),
      undefined,
    );
  });
});

describe('R-REV-7 before reviewing a direct payment, the finance team is contacted', () => {
  it('R-REV-7: a direct payment review is refused until finance is contacted (again for each review)', () => {
    const live = liveFrom(ACTIVATED, { directPayment: true });
    const reasons = expectRefused(live, review('2026-04-29T10:00:00.000Z'), 'R-REV-7');
    expect(reasons.find((r) => r.ruleId === 'R-REV-7')?.message).toMatch(/finance team/);
    const contacted = accept(
      live,
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-04-27T10:00:00.000Z', { concerns: false }),
    );
    expect(contacted.context.directPayment.financeContactedAt).toBe('2026-04-27T10:00:00.000Z');
    const reviewed = accept(contacted, review('2026-04-29T10:00:00.000Z'));
    // The next review needs a fresh contact: the last one was before this review.
    expectRefused(reviewed, review('2027-04-20T10:00:00.000Z'), 'R-REV-7');
    const again = accept(
      reviewed,
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2027-04-15T10:00:00.000Z', { concerns: false }),
    );
    expect(checkEvent(again, review('2027-04-20T10:00:00.000Z')).allowed).toBe(true);
  });

  it('R-REV-7: a council-managed plan is reviewed without contacting DP finance (and cannot contact it)', () => {
    const live = liveFrom(ACTIVATED);
    expect(checkEvent(live, review('2026-04-29T10:00:00.000Z')).allowed).toBe(true);
    expectRefused(
      live,
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-04-27T10:00:00.000Z', { concerns: false }),
      'R-PLN-2',
    );
  });
});

describe('R-REV-8 outcomes; every review re-determines eligibility and reviews the contingency plan', () => {
  const at = '2026-04-29T10:00:00.000Z';

  it('R-REV-8: a review that did not re-determine eligibility, or did not review the contingency plan, is refused', () => {
    const live = liveFrom(ACTIVATED);
    const noEligibility = expectRefused(live, review(at, { eligibilityRedetermined: false }), 'R-REV-8');
    expect(noEligibility).toContainEqual({
      ruleId: 'R-REV-8',
      message: 'every review re-determines eligibility (eligibilityRedetermined)',
      field: 'eligibilityRedetermined',
      accepted: 'true',
    });
    const noContingency = expectRefused(live, review(at, { contingencyPlanReviewed: false }), 'R-REV-8');
    expect(noContingency).toContainEqual({
      ruleId: 'R-REV-8',
      message: 'every review reviews the contingency plan (contingencyPlanReviewed)',
      field: 'contingencyPlanReviewed',
      accepted: 'true',
    });
  });

  it('R-REV-8: "no change" keeps live support and sets the next review', () => {
    const reviewed = accept(liveFrom(ACTIVATED), review(at));
    expect(stageValue(reviewed)).toBe('liveSupport');
    expect(reviewed.context.reviews).toHaveLength(1);
    expect(deadlinesOf(reviewed, 'annualReview')).toHaveLength(1);
  });

  it('R-REV-8: "plan revised" needs the revised plan, within the personal budget (light touch)', () => {
    const live = liveFrom(ACTIVATED);
    expectRefused(live, review(at, { outcome: 'planRevised' }), 'R-REV-8');
    const over = expectRefused(
      live,
      review(at, { outcome: 'planRevised', revisedPlan: completePlan({ personalBudget: 9361 }) }),
      'R-REV-8',
    );
    expect(over.map((r) => r.message).join()).toMatch(/within the personal budget/);
    const revised = accept(
      live,
      review(at, {
        outcome: 'planRevised',
        revisedPlan: completePlan({ councilWillMeet: 'Home care 6 hours a week' }),
      }),
    );
    expect(stageValue(revised)).toBe('liveSupport');
    expect(revised.context.plan?.councilWillMeet).toBe('Home care 6 hours a week');
    expect(deadlinesOf(revised, 'annualReview')).toHaveLength(1);
  });

  it('R-REV-8 / R-REV-12: "reassessment" and "services to end" lead to reassessment, and the review clock runs on', () => {
    for (const outcome of ['reassessment', 'servicesToEnd'] as const) {
      const next = accept(liveFrom(ACTIVATED), review(at, { outcome }));
      expect(stageValue(next)).toBe('reassessment');
      expect(next.context.reviews.at(-1)?.outcome).toBe(outcome);
      // R-REV-12: services are still live, so a review is due (6 months: a young service, R-REV-5)…
      expect(onlyDeadline(next, 'annualReview')).toMatchObject({
        status: 'due',
        dueAt: '2026-10-30T00:00:00.000Z',
      });
      // …and the reassessment itself is on the clock (Derbyshire: 20 working days).
      expect(onlyDeadline(next, 'reassessment')).toMatchObject({
        ruleId: 'R-REV-12',
        status: 'due',
        // 20 working days from Wed 29 April, past the May bank holidays (4th, 25th): end of Fri 29 May
        dueAt: '2026-05-29T23:00:00.000Z',
      });
    }
  });

  it('R-REV-8: the next review date must be in the future', () => {
    expectRefused(liveFrom(ACTIVATED), review(at, { nextReviewOn: '2026-04-29' }), 'R-REV-8');
  });
});

describe('R-REV-9 more frequent reviews for complex cases, agreed with the service manager', () => {
  it('R-REV-9: a next review under 3 months away needs the service manager’s agreement', () => {
    const live = liveFrom(ACTIVATED);
    const soon = { nextReviewOn: '2026-06-15' };
    const reasons = expectRefused(live, review('2026-04-29T10:00:00.000Z', soon), 'R-REV-9');
    expect(reasons.find((r) => r.ruleId === 'R-REV-9')?.message).toMatch(/service manager/);
    const agreed = accept(
      live,
      review('2026-04-29T10:00:00.000Z', {
        ...soon,
        complexCase: { agreedWithServiceManager: 'manager.bob' },
      }),
    );
    expect(onlyDeadline(agreed, 'annualReview').dueAt).toBe('2026-06-15T23:00:00.000Z');
    // 3 months or more needs no agreement.
    expect(checkEvent(live, review('2026-04-29T10:00:00.000Z', { nextReviewOn: '2026-07-29' })).allowed).toBe(
      true,
    );
  });
});

describe('statutory clocks: daylight saving, closure, profiles', () => {
  it('R-REV-1 / R-REV-2: across the March clock change, 72 hours is exactly 72 hours and 6 weeks is the same London date', () => {
    // Fri 27 March 2026 18:00 GMT; the clocks go forward on Sun 29 March.
    const live = liveFrom('2026-03-27T18:00:00.000Z');
    const informal = onlyDeadline(live, 'informalReview');
    expect(informal.dueAt).toBe('2026-03-30T18:00:00.000Z'); // 19:00 BST
    expect(Date.parse(informal.dueAt) - Date.parse('2026-03-27T18:00:00.000Z')).toBe(72 * HOUR);
    const first = onlyDeadline(live, 'firstReview');
    // Fri 8 May 2026 (London), ending at midnight BST = 23:00Z.
    expect(first.dueAt).toBe('2026-05-08T23:00:00.000Z');
    expect(first.overdueAt).toBe('2026-05-22T23:00:00.000Z');
  });

  it('R-REV-2: services starting just after midnight BST count from that London date, not the UTC one', () => {
    // 2026-04-21T23:30Z is 00:30 on Wed 22 April in London.
    const first = onlyDeadline(liveFrom('2026-04-21T23:30:00.000Z'), 'firstReview');
    expect(first.dueAt).toBe('2026-06-03T23:00:00.000Z');
  });

  it('R-REV-1 / R-REV-2: across the October clock change as well', () => {
    const live = liveFrom('2026-10-23T09:00:00.000Z'); // clocks go back Sun 25 October
    expect(onlyDeadline(live, 'informalReview').dueAt).toBe('2026-10-26T09:00:00.000Z');
    expect(onlyDeadline(live, 'firstReview').dueAt).toBe('2026-12-05T00:00:00.000Z'); // Fri 4 Dec, GMT
  });

  it('R-DTH-1 / R-REV-2: a closed journey cancels every pending deadline and keeps the ones already met', () => {
    const live = liveFrom(ACTIVATED);
    const withInformalDone = accept(live, ev('INFORMAL_REVIEW_COMPLETED', '2026-03-13T10:00:00.000Z', {}));
    const firstId = onlyDeadline(live, 'firstReview').id;
    const overdue = accept(withInformalDone, reached(firstId, '2026-05-06T23:00:00.000Z'));
    const { snapshot: closed } = step(
      overdue,
      ev('PERSON_DIED', '2026-05-10T10:00:00.000Z', { dateOfDeath: '2026-05-09' }),
    );
    expect(closed.status).toBe('done');
    expect(closed.context.deadlines.map((d) => [d.kind, d.status, d.closedAt])).toEqual([
      ['informalReview', 'met', '2026-03-13T10:00:00.000Z'],
      ['firstReview', 'cancelled', '2026-05-10T10:00:00.000Z'],
    ]);
    expect(closed.context.deadlines.some((d) => d.status === 'due' || d.status === 'overdue')).toBe(false);
  });

  it('R-REV-1 / R-REV-2: the Lancashire profile has no 72-hour review by default and a light-touch first review — no code change', () => {
    const lancs = liveFrom(ACTIVATED, { profile: lancashire });
    expect(deadlinesOf(lancs, 'informalReview')).toEqual([]);
    expect(onlyDeadline(lancs, 'firstReview')).toMatchObject({
      description: 'First light-touch review, due at 6 weeks, overdue after 8',
      dueAt: '2026-04-22T23:00:00.000Z',
      overdueAt: '2026-05-06T23:00:00.000Z',
    });
    // The plan can still ask for one where appropriate.
    expect(
      deadlinesOf(
        liveFrom(ACTIVATED, { profile: lancashire, plan: { informalReview72h: true } }),
        'informalReview',
      ),
    ).toHaveLength(1);
    // Derbyshire, same events: the 72-hour review is there.
    expect(deadlinesOf(liveFrom(ACTIVATED), 'informalReview')).toHaveLength(1);
  });
});
