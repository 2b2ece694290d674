import type { JourneyEvent } from './events';
import type { JourneyContext } from './journeyContext';
import type { Refusal } from './types';

/**
 * R-TIM-1: trustworthy time. Rules every event's dates are held to, whatever its type: never
 * before the referral, and the dates inside it consistent with the events they depend on.
 * (The upper bound — not later than the moment it is recorded — needs the clock, so the
 * workflow's judge applies it with the profile's skew allowance.)
 */
export function timeRefusals(_context: JourneyContext, _event: JourneyEvent): Refusal[] {
  return [];
}
