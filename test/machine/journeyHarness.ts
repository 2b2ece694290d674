/**
 * Helpers for the machine tests: run the journey machine purely (xstate `initialTransition` /
 * `transition`), collect what it emits, and assert refusals the way the workflow sees them
 * (`checkEvent`) AND the way the machine behaves (the refused event changes nothing).
 */
import { initialTransition, transition } from 'xstate';
import { englandAndWalesBankHolidays } from '../../machines/calendar';
import { checkEvent, type JourneySnapshot } from '../../machines/checkEvent';
import type { JourneyEffect } from '../../machines/effects';
import { parseJourneyEvent, type JourneyEvent, type JourneyEventType } from '../../machines/events';
import type { JourneyInput } from '../../machines/journeyContext';
import { journeyMachine } from '../../machines/journeyMachine';
import { derbyshire, type PolicyProfile } from '../../machines/policyProfile';
import { stageOf } from '../../machines/stages';
import type { Deadline, DeadlineKind, Refusal } from '../../machines/types';
import { pathToActivation } from '../support/journeyEvents';

export type Snapshot = JourneySnapshot;

export function journeyInput(
  options: { profile?: PolicyProfile; subject?: 'person' | 'carer' } = {},
): JourneyInput {
  return {
    personId: 'person-1',
    subject: options.subject,
    profile: options.profile ?? derbyshire,
    bankHolidays: englandAndWalesBankHolidays,
  };
}

export function newJourney(
  options: { profile?: PolicyProfile; subject?: 'person' | 'carer' } = {},
): Snapshot {
  return initialTransition(journeyMachine, journeyInput(options))[0];
}

/** Events are parsed as the workflow would (zod defaults applied) before they reach the machine. */
export function parsed(event: JourneyEvent): JourneyEvent {
  const result = parseJourneyEvent(event);
  if (!result.ok) throw new Error(`test event ${event.type} is malformed: ${result.problems.join('; ')}`);
  return result.event;
}

/** One event through the machine, with what it emitted. */
export function step(
  snapshot: Snapshot,
  event: JourneyEvent,
): { snapshot: Snapshot; effects: JourneyEffect[] } {
  const [next, actions] = transition(journeyMachine, snapshot, parsed(event));
  const effects = actions
    .filter((a) => (a.type as string) === 'xstate.emit')
    .map((a) => (a.params as unknown as { event: JourneyEffect }).event);
  return { snapshot: next, effects };
}

/** Applies events that must all be accepted; fails loudly naming the first refused one. */
export function run(
  snapshot: Snapshot,
  events: JourneyEvent[],
): { snapshot: Snapshot; effects: JourneyEffect[] } {
  let current = snapshot;
  const effects: JourneyEffect[] = [];
  for (const event of events) {
    const check = checkEvent(current, event);
    if (!check.allowed) {
      throw new Error(
        `${event.type} (${event.eventId}) was refused at ${stageOf(current)}: ${check.reasons.map((r) => `${r.ruleId ?? '-'} ${r.message}`).join('; ')}`,
      );
    }
    const result = step(current, event);
    current = result.snapshot;
    effects.push(...result.effects);
  }
  return { snapshot: current, effects };
}

/** Accepted: checkEvent allows it and the machine moves (returns the next snapshot). */
export function accept(snapshot: Snapshot, event: JourneyEvent): Snapshot {
  return run(snapshot, [event]).snapshot;
}

/**
 * Refused: checkEvent refuses it citing `ruleId`, and sending it anyway leaves the journey exactly
 * as it was (same state, same context) and emits nothing. Returns the refusals for further checks.
 */
export function expectRefused(
  snapshot: Snapshot,
  event: JourneyEvent,
  ruleId: string | undefined,
): Refusal[] {
  const check = checkEvent(snapshot, event);
  expect(check.allowed).toBe(false);
  const reasons = check.allowed ? [] : check.reasons;
  if (ruleId !== undefined) expect(reasons.map((r) => r.ruleId)).toContain(ruleId);
  const { snapshot: after, effects } = step(snapshot, event);
  expect(after.value).toEqual(snapshot.value);
  expect(after.context).toEqual(snapshot.context);
  expect(effects).toEqual([]);
  return reasons;
}

/** The snapshot after the ordinary road (pathToActivation) up to and including the first `lastType` event. */
export function journeyThrough(
  lastType: JourneyEventType,
  options: { directPayment?: boolean; start?: string; profile?: PolicyProfile } = {},
): Snapshot {
  const events = pathToActivation(options.start ?? '2026-03-02T10:00:00.000Z', {
    directPayment: options.directPayment,
  });
  const index = events.findIndex((e) => e.type === lastType);
  if (index < 0) throw new Error(`${lastType} is not on the ordinary road`);
  return run(newJourney({ profile: options.profile }), events.slice(0, index + 1)).snapshot;
}

export function deadlinesOf(snapshot: Snapshot, kind: DeadlineKind): Deadline[] {
  return snapshot.context.deadlines.filter((d) => d.kind === kind);
}

/** The one deadline of this kind (and status, where given). */
export function onlyDeadline(snapshot: Snapshot, kind: DeadlineKind, status?: Deadline['status']): Deadline {
  const found = deadlinesOf(snapshot, kind).filter((d) => status === undefined || d.status === status);
  expect(found).toHaveLength(1);
  return found[0] as Deadline;
}

/** The main stage's value ("triage", { assessment: 'inProgress' }), or 'closed'. */
export function stageValue(snapshot: Snapshot): unknown {
  if (snapshot.status !== 'active') return 'closed';
  return (snapshot.value as { open: { stage: unknown } }).open.stage;
}

export const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(iso) + days * 86_400_000).toISOString();

/** An event's own payload, without the envelope (to rebuild it with `ev` at another time or actor). */
export function payloadOf<E extends JourneyEvent>(
  event: E,
): Omit<E, 'type' | 'eventId' | 'occurredAt' | 'actor'> {
  const { type: _type, eventId: _eventId, occurredAt: _occurredAt, actor: _actor, ...payload } = event;
  return payload;
}

/** Where the rule tests' ordinary road starts (a Monday in March, before the clocks change). */
export const ROAD_START = '2026-03-02T10:00:00.000Z';

/** An instant `day` days into the road, at `hour` o'clock UTC. */
export const roadDay = (day: number, hour = 10): string =>
  new Date(Date.parse(ROAD_START) + day * 86_400_000 + (hour - 10) * 3_600_000).toISOString();
