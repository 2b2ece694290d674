/**
 * R-REV-14 (SBS §9 "Equipment"): one-off simple equipment needs only an initial confirmation of
 * suitability; a major adaptation that is the only service needs no regular review once completed
 * and working, and the journey may close then; anything else is reviewed as any live service.
 */
import type { EventOf } from '../../machines/events';
import { ev, pathToActivation, reviewWith } from '../support/journeyEvents';
import {
  accept,
  deadlinesOf,
  expectRefused,
  newJourney,
  onlyDeadline,
  roadDay,
  run,
  ROAD_START,
  type Snapshot,
} from './journeyHarness';

type Items = NonNullable<EventOf<'SERVICES_ACTIVATED'>['equipmentOnly']>['items'];
const grabRail: Items = [{ item: 'grab rail by the bath', kind: 'simpleOneOff' }];
const wetRoom: Items = [{ item: 'wet room shower', kind: 'majorAdaptation' }];

/** The ordinary road, its services (activated on day 9) being only this equipment. */
const equipmentOnly = (items: Items): Snapshot =>
  run(
    newJourney(),
    pathToActivation(ROAD_START).map((e) =>
      e.type === 'SERVICES_ACTIVATED' ? { ...e, equipmentOnly: { items } } : e,
    ),
  ).snapshot;
const confirmed = (fields: Partial<EventOf<'EQUIPMENT_CONFIRMED'>> = {}) =>
  ev('EQUIPMENT_CONFIRMED', roadDay(40), { suitable: true, closeJourney: false, ...fields });

describe('R-REV-14 equipment and adaptations are confirmed, not reviewed for ever', () => {
  it('R-REV-14: equipment alone gets a confirmation of suitability in the first review’s window, and no review cycle', () => {
    const live = equipmentOnly(grabRail);
    // Activated Wednesday 11 March 2026: due by the end of 22 April (6 weeks), overdue after 6 May (8).
    expect(onlyDeadline(live, 'equipmentConfirmation')).toMatchObject({
      ruleId: 'R-REV-14',
      dueAt: '2026-04-22T23:00:00.000Z',
      overdueAt: '2026-05-06T23:00:00.000Z',
      status: 'due',
    });
    expect(deadlinesOf(live, 'firstReview')).toEqual([]);
    expect(deadlinesOf(live, 'informalReview')).toEqual([]);
    const done = accept(live, confirmed());
    expect(onlyDeadline(done, 'equipmentConfirmation').status).toBe('met');
    expect(done.context.deadlines.filter((d) => d.status === 'due' || d.status === 'overdue')).toEqual([]);
    expect(done.value).toMatchObject({ open: { stage: 'liveSupport' } });
    // Once confirmed there is nothing more to confirm.
    expectRefused(done, confirmed(), 'R-REV-14');
  });

  it('R-REV-14: equipment that does not suit the person is not confirmed: a review puts it right', () => {
    const reasons = expectRefused(equipmentOnly(grabRail), confirmed({ suitable: false }), 'R-REV-14');
    expect(reasons.map((r) => r.field)).toContain('suitable');
    const reviewed = accept(equipmentOnly(grabRail), reviewWith(roadDay(40)));
    expect(onlyDeadline(reviewed, 'equipmentConfirmation').status).toBe('met');
    expect(onlyDeadline(reviewed, 'annualReview').status).toBe('due');
  });

  it('R-REV-14: a major adaptation as the only service is confirmed once completed and working, and may close the journey', () => {
    const reasons = expectRefused(equipmentOnly(wetRoom), confirmed(), 'R-REV-14');
    expect(reasons.map((r) => r.field)).toContain('adaptationCompletedAndWorking');
    const closed = accept(
      equipmentOnly(wetRoom),
      confirmed({ adaptationCompletedAndWorking: true, closeJourney: true }),
    );
    expect(closed.status).toBe('done');
    expect(closed.context.closure).toMatchObject({ reason: 'equipmentInPlace' });
  });

  it('R-REV-14: services that are not equipment alone keep R-REV-12’s review clock, and nothing to confirm', () => {
    const live = run(newJourney(), pathToActivation(ROAD_START)).snapshot;
    expect(deadlinesOf(live, 'equipmentConfirmation')).toEqual([]);
    expect(onlyDeadline(live, 'firstReview').status).toBe('due');
    expectRefused(live, confirmed(), 'R-REV-14');
  });
});
