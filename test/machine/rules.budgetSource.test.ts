/**
 * Issue 10 point 4, "only the system speaks for the system": the indicative budget is the council's
 * RAS answer (R-IB-1 / R-IB-2), which only the journey's own RAS activity reports (rules edition 3);
 * a manager may set another figure with a reason where the profile allows it; a RAS answer the
 * journey cannot apply is recorded, never dropped.
 */
import { initialTransition } from 'xstate';
import { checkEvent } from '../../machines/checkEvent';
import { isSystemOnly, type EventOf } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { derbyshire, type PolicyProfile } from '../../machines/policyProfile';
import { JourneyRun } from '../../workflows/journeyRun';
import { migrateCarried } from '../../workflows/migrations';
import type { CarriedJourney } from '../../workflows/definitions';
import { ev, manager, pathToActivation, practitioner, system } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyInput,
  journeyThrough,
  parsed,
  run,
  stageValue,
  ROAD_START,
  roadDay,
} from './journeyHarness';

const at = roadDay;
const road = pathToActivation(ROAD_START);
const upTo = (type: string) => road.slice(0, road.findIndex((e) => e.type === type) + 1);
const rasAnswer = (actor = system, amount = 9360) =>
  ev('INDICATIVE_BUDGET_CALCULATED', at(3, 12), { amount, basis: '78 points × £120' }, { actor });
const override = (actor = manager, amount = 10_400, occurredAt = at(3, 13)) =>
  ev(
    'INDICATIVE_BUDGET_OVERRIDDEN',
    occurredAt,
    { amount, reason: 'the RAS has no figure for waking night care' },
    { actor },
  );
const noOverrideProfile: PolicyProfile = {
  ...derbyshire,
  budget: { ...derbyshire.budget, managerMayOverrideIndicativeBudget: false },
};

describe('R-IB-2 only the council’s RAS gives the indicative budget (edition 3)', () => {
  it('R-IB-2: a practitioner’s INDICATIVE_BUDGET_CALCULATED of £999,999 is refused; the RAS’s own answer is accepted', () => {
    const calculating = journeyThrough('ASSESSMENT_COMPLETED');
    for (const actor of [practitioner, manager, { userId: 'cms', role: 'integration' as const }]) {
      const reasons = expectRefused(calculating, rasAnswer(actor, 999_999), 'R-IB-2');
      expect(reasons.find((r) => r.ruleId === 'R-IB-2')?.message).toMatch(
        /only the council's Resource Allocation System gives the indicative budget/,
      );
    }
    expect(accept(calculating, rasAnswer()).context.indicativeBudget?.amount).toBe(9360);
  });

  it('R-IB-2: it is a system-only event from edition 3, and "what can happen next" never offers it to people', () => {
    expect(isSystemOnly('INDICATIVE_BUDGET_CALCULATED', 3)).toBe(true);
    expect(isSystemOnly('INDICATIVE_BUDGET_CALCULATED', 2)).toBe(false);
    expect(isSystemOnly('DEADLINE_REACHED', 1)).toBe(true);
    const journey = new JourneyRun(
      { personId: 'person-1', subject: 'person', profile: derbyshire },
      ROAD_START,
    );
    for (const event of upTo('ASSESSMENT_COMPLETED')) journey.apply(parsed(event), 'update', at(3, 11));
    const view = journey.view();
    expect(view.allowedEvents).not.toContain('INDICATIVE_BUDGET_CALCULATED');
    expect(view.allowedEvents).toContain('INDICATIVE_BUDGET_OVERRIDDEN');
  });

  it('R-IB-2: the workflow refuses the RAS result from outside, whoever claims to be the system; only its own RAS activity’s is judged', () => {
    const journey = new JourneyRun(
      { personId: 'person-1', subject: 'person', profile: derbyshire },
      ROAD_START,
    );
    for (const event of upTo('ASSESSMENT_COMPLETED')) journey.apply(parsed(event), 'update', at(3, 11));
    for (const actor of [practitioner, system]) {
      const verdict = journey.judge(rasAnswer(actor, 999_999), at(3, 12));
      expect(verdict).toMatchObject({ kind: 'refused', reasons: [{ ruleId: 'R-IB-2' }] });
    }
    expect(journey.judge(rasAnswer(), at(3, 12), 'system').kind).toBe('accept');
  });

  it('R-IB-2: a journey still judged by edition 2 accepts it as it did (its history replays as accepted)', () => {
    const edition2 = initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 2 })[0];
    const calculating = run(edition2, upTo('ASSESSMENT_COMPLETED')).snapshot;
    expect(checkEvent(calculating, rasAnswer(practitioner, 999_999)).allowed).toBe(true);
    const journey = new JourneyRun(
      { personId: 'person-1', subject: 'person', profile: derbyshire },
      ROAD_START,
      2,
    );
    for (const event of upTo('ASSESSMENT_COMPLETED')) journey.apply(parsed(event), 'update', at(3, 11));
    expect(journey.judge(rasAnswer(practitioner, 999_999), at(3, 12)).kind).toBe('accept');
  });
});

describe('R-IB-2 a manager’s override: a separate event with a reason, where the profile allows it', () => {
  it('R-IB-2: a manager sets the indicative budget with a reason, recorded with who and why; it must be shared again', () => {
    const calculated = journeyThrough('INDICATIVE_BUDGET_CALCULATED');
    const overridden = accept(calculated, override());
    expect(overridden.context.indicativeBudget).toEqual({
      amount: 10_400,
      basis: 'set by manager.bob (manager) instead of the RAS: the RAS has no figure for waking night care',
      calculatedAt: at(3, 13),
      override: {
        by: manager,
        reason: 'the RAS has no figure for waking night care',
        at: at(3, 13),
        replacedAmount: 9360,
      },
    });
    expect(stageValue(overridden)).toEqual({ indicativeBudget: 'calculated' });
    // after it was shared, an override goes back to be shared again (R-IB-3)
    const shared = journeyThrough('INDICATIVE_BUDGET_SHARED');
    const again = accept(shared, override(manager, 11_000, at(4, 12)));
    expect(stageValue(again)).toEqual({ indicativeBudget: 'calculated' });
    expect(again.context.indicativeBudget?.sharedAt).toBeUndefined();
    // before the RAS has answered too (it is down, say): nothing to replace
    const calculating = journeyThrough('ASSESSMENT_COMPLETED');
    expect(
      accept(calculating, override()).context.indicativeBudget?.override?.replacedAmount,
    ).toBeUndefined();
  });

  it('R-IB-2: only a manager may override, and only where the profile allows it', () => {
    const calculated = journeyThrough('INDICATIVE_BUDGET_CALCULATED');
    const notManager = expectRefused(calculated, override(practitioner), 'R-IB-2');
    expect(notManager.map((r) => r.message)).toContain(
      'only a manager may override the indicative budget, with the reason (worker.ann is a practitioner)',
    );
    const notAllowed = expectRefused(
      journeyThrough('INDICATIVE_BUDGET_CALCULATED', { profile: noOverrideProfile }),
      override(),
      'R-IB-2',
    );
    expect(notAllowed[0]?.message).toMatch(/does not let a manager override the indicative budget/);
  });

  it('R-IB-2: the reason is required', () => {
    const journey = new JourneyRun(
      { personId: 'person-1', subject: 'person', profile: derbyshire },
      ROAD_START,
    );
    const noReason = { ...override(), reason: '  ' } as EventOf<'INDICATIVE_BUDGET_OVERRIDDEN'>;
    expect(journey.judge(noReason, at(3, 13))).toMatchObject({ kind: 'invalid' });
  });

  it('R-IB-2: a carried snapshot gets the setting from its council’s shipped profile (migration 3); an unknown council gets none', () => {
    const carried = (council: string) =>
      ({
        snapshot: { context: { profile: { council, budget: { personalBudget: 'netOfContribution' } } } },
        timeline: [],
        refused: [],
        seenEventIds: [],
        sentNotificationIds: [],
        pendingJobs: [],
        runNumber: 2,
        snapshotVersion: 2,
      }) as CarriedJourney;
    const budgetOf = (c: CarriedJourney) =>
      (migrateCarried(c).snapshot as { context: { profile: { budget: unknown } } }).context.profile.budget;
    expect(budgetOf(carried('Derbyshire'))).toEqual({
      personalBudget: 'netOfContribution',
      managerMayOverrideIndicativeBudget: true,
    });
    expect(budgetOf(carried('Rutland'))).toEqual({
      personalBudget: 'netOfContribution',
      managerMayOverrideIndicativeBudget: false,
    });
  });
});

describe('R-IB-2 a RAS answer the journey cannot apply is recorded, never dropped', () => {
  it('R-IB-2: the RAS answering after a manager’s override is refused (the stage moved on) and goes on the refused trail and the case record', () => {
    const journey = new JourneyRun(
      { personId: 'person-1', subject: 'person', profile: derbyshire },
      ROAD_START,
    );
    for (const event of upTo('ASSESSMENT_COMPLETED')) journey.apply(parsed(event), 'update', at(3, 11));
    journey.apply(parsed(override()), 'update', at(3, 13));
    const late = rasAnswer();
    const verdict = journey.judge(late, at(3, 14), 'system');
    expect(verdict.kind).toBe('refused');
    if (verdict.kind !== 'refused') return;
    journey.recordSystemRefusal(verdict.event, verdict.reasons, at(3, 14));
    expect(journey.refused.at(-1)).toMatchObject({
      eventId: late.eventId,
      type: 'INDICATIVE_BUDGET_CALCULATED',
      via: 'system',
      reasons: verdict.reasons,
    });
    expect(journey.jobs.find((job) => job.id === `case:refused:${late.eventId}`)).toMatchObject({
      kind: 'caseRecord',
      record: { kind: 'systemEventRefused', personId: 'person-1' },
    });
    // the manager's figure stands
    expect(journey.snapshot.context.indicativeBudget?.amount).toBe(10_400);
  });
});
