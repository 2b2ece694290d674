import { englandAndWalesCalendar } from '../../machines/calendar';
import type { JourneyEvent } from '../../machines/events';
import { ev, interimSupportStarted, pathToActivation, referral, review } from './journeyEvents';

/**
 * R-REF-4: a person's first journey, ended each way a journey closes, and the emergency referral
 * that opens their second one. Every event is dated from `start` (one a day), so a road on a server
 * with the real clock is wholly in the past when `start` is far enough back (`roadLength` days).
 */

export const closureKinds = [
  'informationAndAdvice',
  'shortTermSupportMetNeeds',
  'notEligible',
  'withdrawn',
  'servicesEnded',
  'movedAway',
  'died',
] as const;
export type ClosureKind = (typeof closureKinds)[number];

/** How many days a road takes, from its first event to its closure (the longest: a move's 6 weeks). */
export const roadLength = 60;

const offer = (at: string) =>
  ev('UNIVERSAL_OFFER_GIVEN', at, {
    informationAndAdvice: ['Falls prevention leaflet'],
    signposting: [],
    prevention: [],
  });

/** The first journey's events, from `start`, ending in the closure. */
export function roadToClosure(kind: ClosureKind, start: string): JourneyEvent[] {
  const day = (n: number) => new Date(Date.parse(start) + n * 86_400_000).toISOString();
  const calendar = englandAndWalesCalendar();
  const allocated = ev('WORKER_ALLOCATED', day(0), { team: 'west', workerId: 'worker.wyn' });
  switch (kind) {
    case 'informationAndAdvice':
      return [
        referral(day(0)),
        offer(day(0)),
        ev('TRIAGED', day(1), { route: 'informationAndAdvice', reason: 'Advice on aids meets the need' }),
      ];
    case 'shortTermSupportMetNeeds':
      return [
        referral(day(0)),
        offer(day(0)),
        allocated,
        ev('TRIAGED', day(1), { route: 'shortTermSupport', reason: 'Reablement after a fall' }),
        ev('SHORT_TERM_SUPPORT_ENDED', day(20), {
          outcome: 'needsMet',
          notes: 'Independent with washing and dressing after reablement',
        }),
      ];
    case 'notEligible':
      return [
        referral(day(0)),
        offer(day(0)),
        allocated,
        ev('TRIAGED', day(1), { route: 'assessment', reason: 'Needs a care and support assessment' }),
        ev('ASSESSMENT_STARTED', day(2), {}),
        ev('CONSENT_RECORDED', day(2), { consentGiven: true }),
        ev('ORDINARY_RESIDENCE_ESTABLISHED', day(2), { council: 'Derbyshire' }),
        ev('ASSESSMENT_COMPLETED', day(3), {
          presentingNeeds: ['help with the garden'],
          eligibleNeeds: [],
          ineligibleNeeds: ['gardening'],
          unmetEligibleNeeds: [],
          outcomes: ['keep the garden tidy'],
          informalSupport: 'none',
          equipmentConsidered: true,
        }),
      ];
    case 'withdrawn':
      // An emergency too, whose assessment clock passed and was escalated before the withdrawal:
      // the second journey's emergency clock is the same kind, counted from 1 again.
      return [
        ...emergencyReReferral(day(0), day(0), 'west').map((e) =>
          e.type === 'REFERRAL_RECEIVED' ? { ...e, summary: 'Carer in hospital' } : e,
        ),
        ev('JOURNEY_WITHDRAWN', day(10), { reason: 'No longer wants support' }),
      ];
    case 'died':
      return [referral(day(0)), ev('PERSON_DIED', day(2), { dateOfDeath: day(1).slice(0, 10) })];
    case 'servicesEnded': {
      // R-END-1: the review and reassessment decide, the letter is posted; services end 10 working days on.
      const at = day(12);
      return [
        ...pathToActivation(start),
        review(at, 'servicesToEnd'),
        ev('REASSESSMENT_COMPLETED', at, {
          outcome: 'endServices',
          reasons: 'Needs now met by the community group she attends',
          unmetEligibleNeeds: [],
          informalSupport: 'substantial',
          thirdPartySources: ['care worker notes'],
        }),
        ev('REASSESSMENT_COPY_PROVIDED', at, { to: ['person'] }),
        ev('SERVICE_END_LETTER_POSTED', at, {
          postedOn: calendar.londonDateOf(at),
          reasons: 'No unmet eligible needs',
          alternativesDiscussed: 'Befriending service',
        }),
      ];
    }
    case 'movedAway': {
      // R-TRF-1: funding for 6 weeks after the move, then the journey closes.
      const at = day(12);
      return [
        ...pathToActivation(start),
        ev('MOVED_AWAY', at, {
          moveDate: calendar.londonDateOf(at),
          receivingCouncil: 'Nottinghamshire',
          consentToShareRecords: true,
        }),
      ];
    }
  }
}

/**
 * The second journey's opening: an emergency referral, the worker allocated in team `team`, and
 * interim services set up at `interimAt`, which starts R-EMG-1's clock (the formal assessment to
 * begin within 3 working days).
 */
export function emergencyReReferral(referredAt: string, interimAt: string, team = 'east'): JourneyEvent[] {
  return [
    referral(referredAt, undefined, { urgency: 'emergency', summary: 'Referred again: carer in hospital' }),
    ev('WORKER_ALLOCATED', referredAt, { team, workerId: 'worker.eve' }),
    ev('TRIAGED', interimAt, { route: 'emergencyInterimSupport', reason: 'Carer in hospital' }),
    interimSupportStarted(interimAt),
  ];
}
