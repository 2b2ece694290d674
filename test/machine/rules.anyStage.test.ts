/** JOURNEY.md "At any stage": complaints (R-CMP-1) and safeguarding (R-SFG-1), alongside the journey. */
import { checkEvent } from '../../machines/checkEvent';
import type { JourneyEventType } from '../../machines/events';
import { ev, noIndicators, pathToActivation, reviewNotice } from '../support/journeyEvents';
import {
  accept,
  deadlinesOf,
  expectRefused,
  newJourney,
  onlyDeadline,
  run,
  stageValue,
  type Snapshot,
} from './journeyHarness';

const road = pathToActivation('2026-03-02T10:00:00.000Z');
/** The journey after the ordinary road up to (and including) the given event type. */
const through = (type: JourneyEventType): Snapshot =>
  run(newJourney(), road.slice(0, road.findIndex((e) => e.type === type) + 1)).snapshot;
const concernsOf = (s: Snapshot) => s.value as { open: { complaints: string; safeguarding: string } };

const complaint = (
  complaintId: string,
  about: 'budget' | 'service' | 'decision' | 'other' = 'service',
  at = '2026-03-20T10:00:00.000Z',
) => ev('COMPLAINT_RAISED', at, { complaintId, about, details: 'unhappy' });
const resolved = (complaintId: string) =>
  ev('COMPLAINT_RESOLVED', '2026-03-25T10:00:00.000Z', { complaintId, outcome: 'upheld in part' });

describe('R-CMP-1 a complaint can be raised at any stage and does not stop the journey', () => {
  it.each([
    'REFERRAL_RECEIVED',
    'TRIAGED',
    'ASSESSMENT_COMPLETED',
    'PLANNING_STARTED',
    'PLAN_SIGNED_OFF',
    'SERVICES_ACTIVATED',
  ] as const)('R-CMP-1: raised after %s, the complaint is open and the stage is unchanged', (type) => {
    const before = through(type);
    const after = accept(before, complaint('c-1'));
    expect(stageValue(after)).toEqual(stageValue(before));
    expect(concernsOf(after).open.complaints).toBe('open');
    expect(after.context.complaints).toEqual([
      { complaintId: 'c-1', about: 'service', raisedAt: '2026-03-20T10:00:00.000Z' },
    ]);
  });

  it('R-CMP-1: the journey carries on while a complaint is open (planning → sign-off)', () => {
    const complaining = accept(through('PLAN_SUBMITTED'), complaint('c-1', 'budget'));
    const signOff = road.find((e) => e.type === 'PLAN_SIGNED_OFF');
    if (!signOff) throw new Error('no sign-off on the road');
    const signed = accept(complaining, signOff);
    expect(stageValue(signed)).toBe('setUp');
    expect(concernsOf(signed).open.complaints).toBe('open');
  });

  it('R-CMP-1: the same complaint cannot be recorded twice', () => {
    expectRefused(accept(through('TRIAGED'), complaint('c-1')), complaint('c-1'), 'R-CMP-1');
  });

  it('R-CMP-1: while a budget complaint is considered, the person chooses to manage on the offered budget or have services arranged', () => {
    const choice = (complaintId: string) =>
      ev('BUDGET_COMPLAINT_INTERIM_CHOICE', '2026-03-21T10:00:00.000Z', {
        complaintId,
        choice: 'councilArrangesServices',
      });
    const open = run(through('PLAN_SIGNED_OFF'), [
      complaint('budget-1', 'budget'),
      complaint('svc-1', 'service'),
    ]).snapshot;
    const chosen = accept(open, choice('budget-1'));
    expect(chosen.context.complaints.find((c) => c.complaintId === 'budget-1')?.interimChoice).toBe(
      'councilArrangesServices',
    );
    // Only for an open complaint about the budget.
    expectRefused(open, choice('svc-1'), 'R-CMP-1');
    expectRefused(open, choice('nope'), 'R-CMP-1');
    expectRefused(accept(open, resolved('budget-1')), choice('budget-1'), 'R-CMP-1');
  });

  it('R-CMP-1: complaints close one by one; the concern ends with the last', () => {
    const two = run(through('TRIAGED'), [complaint('c-1'), complaint('c-2', 'decision')]).snapshot;
    const one = accept(two, resolved('c-1'));
    expect(concernsOf(one).open.complaints).toBe('open');
    expect(one.context.complaints.find((c) => c.complaintId === 'c-1')?.resolvedAt).toBe(
      '2026-03-25T10:00:00.000Z',
    );
    expectRefused(one, resolved('c-1'), 'R-CMP-1'); // already resolved
    const none = accept(one, resolved('c-2'));
    expect(concernsOf(none).open.complaints).toBe('none');
    expectRefused(through('TRIAGED'), resolved('c-9'), undefined); // nothing to resolve
  });
});

describe('R-SFG-1 safeguarding runs alongside the journey and may trigger an unscheduled review', () => {
  const concern = (concernId: string, triggersUnscheduledReview: boolean) =>
    ev('SAFEGUARDING_CONCERN_RAISED', '2026-03-20T10:00:00.000Z', {
      concernId,
      details: 'bruising noticed by carer',
      triggersUnscheduledReview,
    });
  const closed = (concernId: string) =>
    ev('SAFEGUARDING_CLOSED', '2026-04-20T10:00:00.000Z', { concernId, outcome: 'no further action' });

  it('R-SFG-1: a concern during assessment starts the procedure without changing the stage', () => {
    const before = through('ASSESSMENT_STARTED');
    const after = accept(before, concern('s-1', true));
    expect(stageValue(after)).toEqual(stageValue(before));
    expect(concernsOf(after).open.safeguarding).toBe('open');
    expect(after.context.safeguarding).toEqual([{ concernId: 's-1', raisedAt: '2026-03-20T10:00:00.000Z' }]);
    // No services yet, so no review to bring forward.
    expect(deadlinesOf(after, 'unscheduledReview')).toEqual([]);
  });

  it('R-SFG-1: in live support a concern may trigger an unscheduled review (R-REV-6), or not', () => {
    const triggered = accept(through('SERVICES_ACTIVATED'), concern('s-1', true));
    expect(concernsOf(triggered).open.safeguarding).toBe('open');
    expect(onlyDeadline(triggered, 'unscheduledReview').description).toContain('safeguarding');
    const notTriggered = accept(through('SERVICES_ACTIVATED'), concern('s-1', false));
    expect(concernsOf(notTriggered).open.safeguarding).toBe('open');
    expect(deadlinesOf(notTriggered, 'unscheduledReview')).toEqual([]);
    // The unscheduled review is met by the next review.
    const reviewed = accept(
      triggered,
      ev('REVIEW_COMPLETED', '2026-03-25T10:00:00.000Z', {
        reviewType: 'formal',
        outcome: 'noChange',
        eligibilityRedetermined: true,
        contingencyPlanReviewed: true,
        indicators: noIndicators,
        notice: reviewNotice('2026-03-25T10:00:00.000Z'),
      }),
    );
    expect(onlyDeadline(reviewed, 'unscheduledReview').status).toBe('met');
  });

  it('R-SFG-1: concerns are recorded once and closed one by one', () => {
    expectRefused(accept(through('TRIAGED'), concern('s-1', false)), concern('s-1', false), 'R-SFG-1');
    const two = run(through('TRIAGED'), [concern('s-1', false), concern('s-2', false)]).snapshot;
    const one = accept(two, closed('s-1'));
    expect(concernsOf(one).open.safeguarding).toBe('open');
    expectRefused(one, closed('s-1'), 'R-SFG-1');
    expect(concernsOf(accept(one, closed('s-2'))).open.safeguarding).toBe('none');
    expect(checkEvent(through('TRIAGED'), closed('s-1')).allowed).toBe(false);
  });
});
