import type { JourneyEvent } from '../../machines/events';
import type { CaseEventStore } from '../../store/caseEventStore';
import {
  ev,
  interimSupportStarted,
  noIndicators,
  pathToActivation,
  referral,
  review,
  reviewWith,
} from '../support/journeyEvents';
import { record } from './cldJourneys';

/**
 * Journeys for the timeliness measures, each in a team of its own so its verdicts can be read on
 * their own: for every measure, one that ended early, one with a back-dated entry, and one on an
 * England and Wales bank holiday (Christmas 2026: Fri 25 Dec, Mon 28 Dec for Boxing Day, Fri 1 Jan
 * 2027). Every date is fixed; the store's last entry is `until`.
 */

export const until = '2027-06-30T12:00:00.000Z';

/** An instant in December or January (GMT), at `hour` o'clock. */
export const on = (date: string, hour = 10) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** The ordinary road to services activated at 10:00 on `activatedOn` (nine days after the referral), in `team`. */
function activated(team: string, activatedOn: string, directPayment = false): JourneyEvent[] {
  const start = new Date(Date.parse(on(activatedOn)) - 9 * 86_400_000).toISOString();
  return pathToActivation(start, { directPayment }).map((e) =>
    e.type === 'WORKER_ALLOCATED' ? { ...e, team } : e,
  );
}

const died = (recordedOn: string, dateOfDeath: string) => ev('PERSON_DIED', on(recordedOn), { dateOfDeath });

/** Emergency interim support set up at noon on Thu 24 Dec 2026: R-EMG-1's 3 working days end Thu 31 Dec. */
function emergency(team: string): JourneyEvent[] {
  return [
    referral(on('2026-12-24', 9), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', on('2026-12-24', 9), { team, workerId: 'bea' }),
    ev('TRIAGED', on('2026-12-24', 10), {
      route: 'emergencyInterimSupport',
      reason: 'Carer admitted to hospital',
    }),
    interimSupportStarted(on('2026-12-24', 12)),
  ];
}

/** Events, and when any of them was entered later than it happened. */
export interface Planned {
  events: JourneyEvent[];
  enteredAt?: Record<string, string>;
}

/** An event entered on `enteredOn`, though it happened when it says. */
function backDated(planned: JourneyEvent[], event: JourneyEvent, enteredOn: string): Planned {
  return { events: [...planned, event], enteredAt: { [event.eventId]: on(enteredOn) } };
}

// R-REV-1: services start Wed 23 Dec 2026 10:00, the informal review is due 72 hours later, Sat 26 Dec 10:00.
const informal = (team: string) => activated(team, '2026-12-23');
const informalDone = (date: string) => ev('INFORMAL_REVIEW_COMPLETED', on(date), {});

// R-REV-2: services start Mon 16 Nov 2026; the first review's target is 6 weeks on, Mon 28 Dec (a
// bank holiday), its limit 8 weeks on, Mon 11 Jan 2027.
const firstReview = (team: string) => [...activated(team, '2026-11-16'), informalDone('2026-11-18')];

// R-REV-5: services start Thu 14 May 2026 and are reviewed at 6 weeks, 25 Jun, when the service is
// only a few months old: the next review is 6 months on, Fri 25 Dec 2026 (Christmas Day).
const reducedInterval = (team: string) => [
  ...activated(team, '2026-05-14'),
  ev('INFORMAL_REVIEW_COMPLETED', '2026-05-16T10:00:00.000Z', {}),
  review('2026-06-25T10:00:00.000Z'),
];

// R-REV-3: services start Mon 16 Jun 2025, first review 21 Jul 2025 (6 months to the next), then on
// 15 Jan 2026 a review that sets the next for Mon 28 Dec 2026 (Boxing Day's substitute).
const annualInterval = (team: string) => [
  ...activated(team, '2025-06-16'),
  ev('INFORMAL_REVIEW_COMPLETED', '2025-06-18T10:00:00.000Z', {}),
  review('2025-07-21T10:00:00.000Z'),
  reviewWith('2026-01-15T10:00:00.000Z', { nextReviewOn: '2026-12-28' }),
];

// R-END-1: services start 1 Sep 2026; a review decides they end, the reassessment agrees, a copy goes
// on 10 Dec; the end letter is posted Mon 14 Dec, for the earliest date 10 working days allow
// across Christmas: Wed 30 Dec.
const endingServices = (team: string) => [
  ...activated(team, '2026-09-01'),
  ev('INFORMAL_REVIEW_COMPLETED', '2026-09-03T10:00:00.000Z', {}),
  review('2026-10-08T10:00:00.000Z', 'servicesToEnd'),
  ev('REASSESSMENT_COMPLETED', '2026-12-01T10:00:00.000Z', {
    outcome: 'endServices',
    reasons: 'eligible needs now met by the family',
    unmetEligibleNeeds: [],
    informalSupport: 'substantial',
    thirdPartySources: ['daughter'],
  }),
  ev('REASSESSMENT_COPY_PROVIDED', '2026-12-10T10:00:00.000Z', { to: ['the person'] }),
];
const endLetter = (occurredOn: string, postedOn: string, endDate?: string) =>
  ev('SERVICE_END_LETTER_POSTED', on(occurredOn), {
    postedOn,
    ...(endDate ? { endDate } : {}),
    reasons: 'needs met by informal support',
    alternativesDiscussed: 'befriending service',
  });

// R-END-2: a direct payment from 1 Oct 2026; its first review, on 25 Nov, decides to end it (R-END-4), notice
// given Fri 27 Nov: the agreement ends 4 weeks on, Fri 25 Dec (Christmas Day).
const directPaymentEnding = (team: string) => [
  ...activated(team, '2026-10-01', true),
  ev('INFORMAL_REVIEW_COMPLETED', '2026-10-03T10:00:00.000Z', {}),
  ev('DIRECT_PAYMENT_FINANCE_CONTACTED', '2026-11-24T10:00:00.000Z', { concerns: false }),
  reviewWith('2026-11-25T10:00:00.000Z', { directPaymentOutcome: 'end', indicators: noIndicators }),
];
const dpNotice = (occurredOn: string) =>
  ev('DIRECT_PAYMENT_NOTICE_GIVEN', on(occurredOn), {
    by: 'person',
    reason: 'personChoice',
    noticeGivenOn: '2026-11-27',
  });

/** Each journey by its team (= its person id). */
export function timelinessJourneys(): Record<string, Planned> {
  return {
    // R-EMG-1
    'emg-holiday-met': {
      events: [...emergency('emg-holiday-met'), ev('ASSESSMENT_STARTED', on('2026-12-31'), {})],
    },
    'emg-holiday-late': {
      events: [...emergency('emg-holiday-late'), ev('ASSESSMENT_STARTED', on('2027-01-04'), {})],
    },
    'emg-died-first': { events: [...emergency('emg-died-first'), died('2027-01-05', '2026-12-29')] },
    'emg-died-after': { events: [...emergency('emg-died-after'), died('2027-01-05', '2027-01-02')] },
    'emg-backdated': backDated(
      emergency('emg-backdated'),
      ev('ASSESSMENT_STARTED', on('2026-12-31'), {}),
      '2027-01-04',
    ),
    // R-REV-1
    'rev1-holiday-met': { events: [...informal('rev1-holiday-met'), informalDone('2026-12-24')] },
    'rev1-holiday-late': { events: [...informal('rev1-holiday-late'), informalDone('2026-12-28')] },
    'rev1-died-first': { events: [...informal('rev1-died-first'), died('2026-12-29', '2026-12-25')] },
    'rev1-died-after': { events: [...informal('rev1-died-after'), died('2026-12-29', '2026-12-27')] },
    'rev1-backdated': backDated(informal('rev1-backdated'), informalDone('2026-12-24'), '2026-12-29'),
    // R-REV-2
    'rev2-holiday-met': { events: [...firstReview('rev2-holiday-met'), review(on('2026-12-24'))] },
    'rev2-holiday-late': { events: [...firstReview('rev2-holiday-late'), review(on('2026-12-29'))] },
    'rev2-died-between': { events: [...firstReview('rev2-died-between'), died('2027-01-20', '2027-01-04')] },
    'rev2-died-first': { events: [...firstReview('rev2-died-first'), died('2027-01-20', '2026-12-20')] },
    'rev2-backdated': backDated(firstReview('rev2-backdated'), review(on('2026-12-22')), '2027-01-05'),
    'rev2-backdated-late': backDated(
      firstReview('rev2-backdated-late'),
      review(on('2026-12-22')),
      '2027-01-13',
    ),
    // R-REV-5
    'rev5-holiday-met': { events: [...reducedInterval('rev5-holiday-met'), review(on('2026-12-24'))] },
    'rev5-holiday-late': { events: [...reducedInterval('rev5-holiday-late'), review(on('2026-12-29'))] },
    'rev5-moved': {
      events: [
        ...reducedInterval('rev5-moved'),
        ev('MOVED_AWAY', on('2026-12-01'), {
          moveDate: '2026-12-01',
          receivingCouncil: 'Nottinghamshire',
          consentToShareRecords: true,
        }),
      ],
    },
    'rev5-backdated': backDated(reducedInterval('rev5-backdated'), review(on('2026-12-24')), '2026-12-30'),
    // R-REV-3
    'rev3-holiday-met': { events: [...annualInterval('rev3-holiday-met'), review(on('2026-12-24'))] },
    'rev3-holiday-late': { events: [...annualInterval('rev3-holiday-late'), review(on('2026-12-29'))] },
    'rev3-died-first': { events: [...annualInterval('rev3-died-first'), died('2027-01-10', '2026-12-20')] },
    'rev3-backdated': backDated(annualInterval('rev3-backdated'), review(on('2026-12-24')), '2027-01-04'),
    // R-END-1
    'end1-holiday': {
      events: [...endingServices('end1-holiday'), endLetter('2026-12-14', '2026-12-14', '2026-12-30')],
    },
    'end1-died': {
      events: [
        ...endingServices('end1-died'),
        endLetter('2026-12-14', '2026-12-14'),
        died('2026-12-21', '2026-12-20'),
      ],
    },
    // entered on Thu 17 Dec, saying it was posted Fri 11 Dec: the journey posts it on 14 Dec
    'end1-backdated': backDated(
      endingServices('end1-backdated'),
      endLetter('2026-12-14', '2026-12-11'),
      '2026-12-17',
    ),
    // R-END-2
    'dp-holiday': { events: [...directPaymentEnding('dp-holiday'), dpNotice('2026-11-27')] },
    'dp-died': {
      events: [...directPaymentEnding('dp-died'), dpNotice('2026-11-27'), died('2026-12-11', '2026-12-10')],
    },
    'dp-backdated': backDated(directPaymentEnding('dp-backdated'), dpNotice('2026-11-27'), '2026-12-02'),
  };
}

/** Records every journey, each as its own person. */
export async function recordTimelinessJourneys(store: CaseEventStore): Promise<void> {
  for (const [personId, { events, enteredAt }] of Object.entries(timelinessJourneys()))
    await record(store, personId, events, 'person', { ...(enteredAt ? { enteredAt } : {}), until });
}

// ---- DHSC's waiting-times method: a small population, checked by hand in timeliness.test.ts ----

/** pathToActivation from `start` in `team`, every event from the assessment on `delay` days later. */
function road(team: string, start: string, delay = 0): JourneyEvent[] {
  const events = pathToActivation(on(start)).map((e) => (e.type === 'WORKER_ALLOCATED' ? { ...e, team } : e));
  const from = events.findIndex((e) => e.type === 'ASSESSMENT_STARTED');
  return events.map((e, i) =>
    i < from
      ? e
      : { ...e, occurredAt: new Date(Date.parse(e.occurredAt) + delay * 86_400_000).toISOString() },
  );
}

/** A referral triaged the next day, in `team`. */
function triaged(
  team: string,
  start: string,
  route: 'informationAndAdvice' | 'shortTermSupport' | 'assessment',
) {
  const next = new Date(Date.parse(on(start)) + 86_400_000).toISOString();
  return [
    referral(on(start)),
    ev('WORKER_ALLOCATED', on(start, 11), { team, workerId: 'worker.ann' }),
    ev('UNIVERSAL_OFFER_GIVEN', on(start, 12), {
      informationAndAdvice: ['Falls prevention leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', next, { route, reason: 'As the referral needs' }),
  ];
}

export interface DhscPerson {
  events: JourneyEvent[];
  /** none: no person record */
  dateOfBirth?: string;
}

/**
 * Requests from January to March 2027 (and one in December 2026 whose assessment began in January),
 * in two teams. The waits each should give are worked out in timeliness.test.ts.
 */
export function dhscPopulation(): Record<string, DhscPerson> {
  return {
    // 80: request Mon 11 Jan, assessment 13–14 Jan, services 20 Jan
    'd-old': { dateOfBirth: '1946-03-10', events: road('north', '2027-01-11') },
    // reablement from triage on 13 Jan, ended 20 Feb with the needs met
    'd-reable': {
      dateOfBirth: '1940-01-15',
      events: [
        ...triaged('north', '2027-01-12', 'shortTermSupport'),
        ev('SHORT_TERM_SUPPORT_ENDED', on('2027-02-20'), { outcome: 'needsMet' }),
      ],
    },
    // 64 on the day (born 20 Feb 1962), 65 by DHSC's first of the month of birth: request 1 Feb,
    // assessment 4–5 Feb, services 11 Feb
    'd-boundary': { dateOfBirth: '1962-02-20', events: road('north', '2027-02-01', 1) },
    'd-young': { dateOfBirth: '2004-05-01', events: road('north', '2027-01-11') },
    'd-no-birth-date': { events: road('north', '2027-01-11') },
    'd-advice': { dateOfBirth: '1950-06-01', events: triaged('north', '2027-01-14', 'informationAndAdvice') },
    // services since November 2026; a second referral on 20 Jan is recorded on the open journey
    'd-existing': {
      dateOfBirth: '1950-02-01',
      events: [...road('north', '2026-11-02'), referral(on('2027-01-20'), 'ref-again', { source: 'family' })],
    },
    // the assessment begun on 3 Mar is still going on
    'd-assessing': {
      dateOfBirth: '1950-01-01',
      events: [
        ...triaged('north', '2027-03-01', 'assessment'),
        ev('ASSESSMENT_STARTED', on('2027-03-03'), {}),
      ],
    },
    // 40: request 18 Jan, assessment 24–25 Jan, services 31 Jan
    'd-mid': { dateOfBirth: '1986-07-01', events: road('south', '2027-01-18', 4) },
    // 71: request Mon 21 Dec 2026, assessment 6–7 Jan 2027, services 13 Jan
    'd-december': { dateOfBirth: '1955-06-01', events: road('south', '2026-12-21', 14) },
  };
}

export const dhscUntil = '2027-04-30T12:00:00.000Z';
