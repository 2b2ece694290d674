import { checkParsedEvent, type JourneySnapshot } from './acceptance';
import { parseJourneyEvent } from './events';
import type { CheckResult } from './types';

export { checkParsedEvent, eventsNow, handledEventTypes, type JourneySnapshot } from './acceptance';

/**
 * Would the machine accept this untrusted event now? Either "allowed", or every reason it is not,
 * in words: the catalogue's problems with it, or acceptance.ts's once it is parsed.
 */
export function checkEvent(snapshot: JourneySnapshot, candidate: unknown): CheckResult {
  const parsed = parseJourneyEvent(candidate);
  if (!parsed.ok) return { allowed: false, reasons: parsed.problems.map((message) => ({ message })) };
  return checkParsedEvent(snapshot, parsed.event);
}
