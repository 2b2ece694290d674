import type { SnapshotFrom } from 'xstate';
import type { JourneyEvent, JourneyEventType } from './events';
import { isSystemOnly, journeyEventTypes } from './eventTypes';
import type { JourneyMachine } from './journeyMachine';
import { preconditionRefusals, refusalsFor } from './rules';
import { stageOf, stageInWords } from './stages';
import type { CheckResult, Refusal } from './types';

export type JourneySnapshot = SnapshotFrom<JourneyMachine>;

/** The event types some active state of the journey has a transition for. */
export function handledEventTypes(snapshot: JourneySnapshot): Set<JourneyEventType> {
  // XState v5 has no `nextEvents`; its migration guide derives them from the active state nodes.
  const own = snapshot._nodes.flatMap((node) => [...node.ownEvents]);
  return new Set(own.filter((t): t is JourneyEventType => (journeyEventTypes as string[]).includes(t)));
}

function notInThisStage(snapshot: JourneySnapshot, type: string): Refusal {
  if (snapshot.status !== 'active') {
    return {
      message: `${type} is not allowed: the journey is closed (${snapshot.context.closure?.reason ?? 'closed'})`,
    };
  }
  return {
    message: `${type} is not allowed while the journey is at stage "${stageInWords(stageOf(snapshot))}"`,
  };
}

/**
 * Would the machine accept this event, already parsed against the catalogue, now? Either
 * "allowed", or every reason it is not, in words. The machine decides (`snapshot.can`); the rule
 * book explains. Nothing is changed. (checkEvent.ts parses first; the workflow parses once.)
 */
export function checkParsedEvent(snapshot: JourneySnapshot, event: JourneyEvent): CheckResult {
  if (snapshot.status === 'active' && snapshot.can(event)) return { allowed: true };
  if (snapshot.status !== 'active')
    return { allowed: false, reasons: [notInThisStage(snapshot, event.type)] };
  if (!handledEventTypes(snapshot).has(event.type)) {
    // The rule an unmet precondition comes from says more than the stage alone (e.g. R-IB-3).
    // Issue 11: say what would be accepted instead, the events allowed now (what is due first).
    const allowedNow = eventsNow(snapshot).allowed;
    return {
      allowed: false,
      reasons: [
        ...ruleRefusals(snapshot, event.type),
        {
          ...notInThisStage(snapshot, event.type),
          field: 'type',
          accepted: allowedNow.length
            ? `one of the events allowed now: ${allowedNow.join(', ')}`
            : 'none now',
        },
      ],
    };
  }
  const reasons = refusalsFor(snapshot.context, event);
  return {
    allowed: false,
    reasons: reasons.length
      ? reasons
      : [{ message: `${event.type} does not lead anywhere from here with this content` }],
  };
}

/** For "what can happen next": each event type is either possible now or refused, with why. */
export function eventsNow(snapshot: JourneySnapshot): {
  allowed: JourneyEventType[];
  notAllowed: { type: JourneyEventType; reasons: Refusal[] }[];
} {
  const handled = snapshot.status === 'active' ? handledEventTypes(snapshot) : new Set<JourneyEventType>();
  const allowed: JourneyEventType[] = [];
  const notAllowed: { type: JourneyEventType; reasons: Refusal[] }[] = [];
  for (const type of journeyEventTypes) {
    // raised by the journey itself (its timers, its RAS activity), never by people
    if (isSystemOnly(type, snapshot.context.rulesVersion ?? 1)) continue;
    if (!handled.has(type)) {
      const reasons = snapshot.status === 'active' ? ruleRefusals(snapshot, type) : [];
      notAllowed.push({ type, reasons: [...reasons, notInThisStage(snapshot, type)] });
      continue;
    }
    const reasons = preconditionRefusals(snapshot.context, type);
    if (reasons.length) notAllowed.push({ type, reasons });
    else allowed.push(type);
  }
  return { allowed, notAllowed };
}

/** Unmet preconditions that name their rule (not the universal ones, which the stage covers). */
function ruleRefusals(snapshot: JourneySnapshot, type: JourneyEventType): Refusal[] {
  return preconditionRefusals(snapshot.context, type).filter((r) => r.ruleId);
}
