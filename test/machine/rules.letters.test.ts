/**
 * Rules edition 4 (issue 11 point 5): the eligibility decision in writing either way (R-ASM-5), the
 * indicative budget as shared (R-IB-3), every letter addressed with the referral's name and address.
 * Earlier editions send neither new letter, so their recorded histories replay as they ran.
 */
import { initialTransition } from 'xstate';
import type { SendLetter } from '../../machines/effects';
import type { JourneyEvent } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { ev, pathToActivation, referral } from '../support/journeyEvents';
import { journeyInput, newJourney, run, type Snapshot, ROAD_START } from './journeyHarness';

const road = pathToActivation(ROAD_START);
const upTo = (type: JourneyEvent['type']) => road.slice(0, road.findIndex((e) => e.type === type) + 1);
const edition = (n: number): Snapshot =>
  initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: n })[0];
const letters = (effects: { type: string }[]) =>
  effects.filter((e): e is SendLetter => e.type === 'sendLetter');

/** The road with the referral giving the person's name, address and formats. */
const namedRoad = (): JourneyEvent[] =>
  road.map((e) =>
    e.type === 'REFERRAL_RECEIVED'
      ? referral(e.occurredAt, e.referralId, {
          name: 'Mrs Ann Smith',
          address: ['4 Mill Lane', 'Matlock'],
          postcode: 'de4 3ag',
          accessibleFormats: ['largePrint'],
        })
      : e,
  );

describe('rules edition 4: letters for people', () => {
  it('R-ASM-5: an eligible person the council will support gets the decision in writing, with the needs it will meet and who to contact', () => {
    const { effects } = run(newJourney(), upTo('ASSESSMENT_COMPLETED'));
    expect(letters(effects)).toEqual([
      expect.objectContaining({
        letter: 'decisionLetter',
        ruleId: 'R-ASM-5',
        recipients: ['person-1'],
        letterId: `person-1:${road.find((e) => e.type === 'ASSESSMENT_COMPLETED')!.eventId}:decisionLetter`,
        data: {
          eligibleNeeds: ['personal care', 'social participation'],
          ineligibleNeeds: ['gardening'],
          unmetEligibleNeeds: ['personal care', 'social participation'],
          informationAndAdvice: ['Falls prevention leaflet'],
          contactPoint: 'worker.ann',
        },
      }),
    ]);
  });

  it('R-ASM-5: before edition 4 the eligible road sends no decision letter (recorded histories replay)', () => {
    const { effects } = run(edition(3), upTo('ASSESSMENT_COMPLETED'));
    expect(letters(effects)).toEqual([]);
    expect(effects.map((e) => e.type)).toEqual(['calculateIndicativeBudget']);
  });

  it('R-IB-3: sharing the indicative budget sends it in writing once: the amount, its basis, when it was worked out and shared', () => {
    const before = run(newJourney(), upTo('INDICATIVE_BUDGET_CALCULATED'));
    const shared = run(before.snapshot, [road.find((e) => e.type === 'INDICATIVE_BUDGET_SHARED')!]);
    expect(letters(shared.effects)).toEqual([
      expect.objectContaining({
        letter: 'indicativeBudgetLetter',
        ruleId: 'R-IB-3',
        recipients: ['person-1'],
        data: {
          amount: 9360,
          basis: '78 points × £120',
          setBy: 'resourceAllocationSystem',
          calculatedOn: '2026-03-05',
          sharedOn: '2026-03-06',
          sharedWith: ['person'],
          method: 'letter',
          contactPoint: 'worker.ann',
        },
      }),
    ]);
    // the rest of the road to services sends the plan copy, and no second budget letter
    const rest = run(shared.snapshot, road.slice(road.findIndex((e) => e.type === 'PLANNING_STARTED')));
    expect(letters(rest.effects).map((l) => l.letter)).toEqual(['planCopy']);
  });

  it('R-IB-3: a manager’s new figure, shared again, is written again with its reason (and not who set it)', () => {
    const shared = run(newJourney(), upTo('INDICATIVE_BUDGET_SHARED')).snapshot;
    const overridden = run(shared, [
      ev(
        'INDICATIVE_BUDGET_OVERRIDDEN',
        '2026-03-06T15:00:00.000Z',
        { amount: 10_400.5, reason: 'Night-time needs the RAS does not score' },
        { actor: { userId: 'manager.bob', role: 'manager' } },
      ),
      ev('INDICATIVE_BUDGET_SHARED', '2026-03-06T16:00:00.000Z', { sharedWith: ['person'], method: 'phone' }),
    ]);
    expect(letters(overridden.effects)).toEqual([
      expect.objectContaining({
        letter: 'indicativeBudgetLetter',
        data: expect.objectContaining({
          amount: 10_400.5,
          basis: 'Night-time needs the RAS does not score',
          setBy: 'manager',
        }),
      }),
    ]);
    expect(JSON.stringify(letters(overridden.effects))).not.toContain('manager.bob');
  });

  it('R-IB-3: before edition 4 sharing the budget sends no letter', () => {
    const { effects } = run(edition(3), upTo('INDICATIVE_BUDGET_SHARED'));
    expect(letters(effects)).toEqual([]);
  });

  it('R-SGN-3: from edition 4 every letter is addressed with the name, address and formats the referral gave', () => {
    const { snapshot, effects } = run(newJourney(), namedRoad());
    expect(snapshot.context.referrals[0]?.person).toEqual({
      name: 'Mrs Ann Smith',
      address: ['4 Mill Lane', 'Matlock'],
      postcode: 'DE4 3AG',
      accessibleFormats: ['largePrint'],
    });
    const sent = letters(effects);
    expect(sent.map((l) => l.letter)).toEqual(['decisionLetter', 'indicativeBudgetLetter', 'planCopy']);
    for (const letter of sent) expect(letter.person?.name).toBe('Mrs Ann Smith');
    // edition 3 keeps its letters as they were
    expect(letters(run(edition(3), namedRoad()).effects).map((l) => l.person)).toEqual([undefined]);
  });
});
