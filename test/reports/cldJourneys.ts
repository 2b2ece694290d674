import type { JourneyEvent, Plan } from '../../machines/events';
import { policyProfiles } from '../../machines/policyProfile';
import type {
  CldCouncilEventDetails,
  CldEventKey,
  CldPersonDetails,
  CldPersonDetailsService,
} from '../../reports/cld/personDetails';
import type { CaseEventStore } from '../../store/caseEventStore';
import {
  completePlan,
  ev,
  interimSupportStarted,
  manager,
  noIndicators,
  pathToActivation,
  referral,
  review,
  reviewWith,
  system,
} from '../support/journeyEvents';
import { newJourneyInput } from '../../workflows/definitions';
import { JourneyRun } from '../../workflows/journeyRun';

/**
 * A year of varied journeys for the CLD tests, each driven through the workflow's own JourneyRun
 * (the machine judging every event, its timers reached as they fall due) and written to the
 * case-event store as the worker's activities write it: the same store rows a running journey
 * leaves, with no Temporal server (the statutory reports read only the store). Every date is fixed:
 * the year from Monday 2 March 2026, the reporting year 1 April 2026 to 31 March 2027.
 */

export const DAY = 86_400_000;
const start = Date.parse('2026-03-02T10:00:00.000Z');
export const at = (day: number, hours = 0) => new Date(start + day * DAY + hours * 3_600_000).toISOString();
export const ymd = (day: number) => at(day).slice(0, 10);
/** dd/mm/yyyy of a day */
export const dmy = (day: number) => {
  const d = ymd(day);
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
};
export const year = { from: '2026-04-01', to: '2027-03-31' };

/**
 * Records one journey; returns the carer journeys it opened (R-CAR-1), as the workflow would. Each
 * event is entered at its own occurredAt unless `enteredAt` (by event id) says later: a back-dated
 * entry, with the journey's timers reached up to then first. Events go in the order given.
 */
export async function record(
  store: CaseEventStore,
  personId: string,
  events: JourneyEvent[],
  subject: 'person' | 'carer' = 'person',
  options: { enteredAt?: Record<string, string>; until?: string } = {},
): Promise<{ carerId: string; referral: JourneyEvent }[]> {
  const first = events[0]!.occurredAt;
  const config = { policyProfile: policyProfiles.derbyshire, extraBankHolidays: [] };
  const run = new JourneyRun(newJourneyInput(personId, subject, config, new Date(first)), first);
  const carers: { carerId: string; referral: JourneyEvent }[] = [];
  const flush = async () => {
    for (const job of run.jobs) {
      if (job.kind === 'caseRecord') await store.recordCaseEvent(job.record);
      if (job.kind === 'effect' && job.effect.type === 'sendLetter') await store.recordLetterSent(job.effect);
      if (job.kind === 'effect' && job.effect.type === 'openCarerJourney') {
        const { carerId, caredForPersonId, requestId } = job.effect;
        carers.push({
          carerId,
          referral: {
            type: 'REFERRAL_RECEIVED',
            eventId: `${requestId}:referral`,
            occurredAt: run.lastEventAt()!,
            actor: system,
            referralId: `carer-of-${caredForPersonId}`,
            receivedDate: run.lastEventAt()!.slice(0, 10),
            source: 'professional',
            urgency: 'routine',
            summary: `Carer's assessment accepted during the assessment of ${caredForPersonId}`,
            subject: 'carer',
          },
        });
      }
    }
    run.jobs = [];
  };
  for (const event of events) {
    const now = options.enteredAt?.[event.eventId] ?? event.occurredAt;
    run.reachDueDeadlines(now);
    await flush();
    const fromSystem = event.actor.role === 'system';
    const verdict = run.judge(event, now, fromSystem ? 'system' : 'outside');
    if (verdict.kind !== 'accept')
      throw new Error(
        `${personId}: ${event.type} at ${event.occurredAt} refused: ${JSON.stringify(verdict)}`,
      );
    run.apply(verdict.event, fromSystem ? 'system' : 'update', now);
    await flush();
  }
  run.reachDueDeadlines(options.until ?? at(400));
  await flush();
  return carers;
}

/** pathToActivation with another plan (and its budget) signed off. */
function activatedWith(day: number, plan: Plan, finalBudget = 9360): JourneyEvent[] {
  const events = pathToActivation(at(day), {
    directPayment: plan.budgetManagement.includes('directPayment'),
  });
  return events.map((e) => {
    if (e.type === 'PLAN_SUBMITTED') return { ...e, plan: { ...plan, personalBudget: finalBudget } };
    if (e.type === 'PLAN_SIGNED_OFF')
      return {
        ...e,
        finalBudget,
        costing: { ...e.costing, reasonableCost: finalBudget },
        // R-SGN-4: above the indicative budget, a manager signs it off
        ...(finalBudget > 9360 ? { actor: manager } : {}),
        // R-PB-2: the indicative budget was £9,360
        ...(finalBudget !== 9360
          ? { mismatchReason: 'The plan costs more (or less) than the RAS figure' }
          : {}),
      };
    return e;
  });
}

/** A review `day` days on whose notice was short because something happened (R-REV-13). */
const unscheduledReview = (day: number, trigger: string) =>
  reviewWith(at(day), {
    notice: { toldOn: ymd(day - 2), told: ['the person'], advocacyConsidered: true },
    shortNoticeReason: `Needs changed: ${trigger}`,
  });

/** The year's journeys, by person id (a carer's journey is opened by its cared-for person's). */
export function yearJourneys(): [string, JourneyEvent[]][] {
  // the ordinary road: council-managed, a carer who accepts an assessment, reviews on time
  const ordinary = pathToActivation(at(30));
  const startedAt = ordinary.findIndex((e) => e.type === 'ASSESSMENT_STARTED');
  ordinary.splice(
    startedAt + 1,
    0,
    ev('CARER_IDENTIFIED', at(32, 1), { carerId: 'y-carer' }),
    ev('CARER_ASSESSMENT_OFFERED', at(32, 2), { carerId: 'y-carer', accepted: true }),
  );
  ordinary.push(ev('INFORMAL_REVIEW_COMPLETED', at(41), {}), review(at(80)), review(at(330)));

  // a direct payment of £180 a week; the person dies on day 150, the death recorded the next day
  const died = pathToActivation(at(35), { directPayment: true });
  died.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(46), {}),
    ev('PERSON_DIED', at(151), { dateOfDeath: ymd(150) }),
  );

  // a monthly direct payment of £390 beside a council-managed line: the rest of £9,360 a year
  const split = activatedWith(
    40,
    completePlan({
      budgetManagement: ['directPayment', 'councilManaged'],
      directPaymentOffer: { answer: 'accepted' },
      directPayment: {
        needsMet: ['social participation'],
        amount: 390,
        frequency: 'monthly',
        purchases: [{ description: 'Day activities', category: 'dayActivity' }],
      },
    }),
  );
  split.push(ev('INFORMAL_REVIEW_COMPLETED', at(51), {}));

  const isf = activatedWith(45, completePlan({ budgetManagement: ['individualServiceFund'] }), 12480);
  const managed = activatedWith(50, completePlan({ budgetManagement: ['careManagedAccount'] }), 7800);

  // after a hospital stay with changed needs, an unscheduled review (R-HSP-1)
  const hospital = pathToActivation(at(60));
  hospital.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(71), {}),
    ev('HOSPITAL_ADMITTED', at(90), { admittedOn: ymd(90), hospital: 'Royal Derby Hospital' }),
    ev('HOSPITAL_DISCHARGED', at(97), {
      dischargedOn: ymd(97),
      dischargeProtocolFollowed: true,
      needsChanged: true,
    }),
    unscheduledReview(99, 'discharged from hospital'),
  );

  // the person asks for a review (R-REV-6)
  const asked = pathToActivation(at(65));
  asked.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(76), {}),
    ev('UNSCHEDULED_REVIEW_REQUESTED', at(120), { trigger: 'personOrRepresentative' }),
    unscheduledReview(123, 'the person asked'),
  );

  // a safeguarding concern triggers a review (R-SFG-1)
  const safeguarding = pathToActivation(at(70));
  safeguarding.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(81), {}),
    ev('SAFEGUARDING_CONCERN_RAISED', at(130), {
      concernId: 'sfg-1',
      details: 'Unexplained bruising',
      triggersUnscheduledReview: true,
    }),
    unscheduledReview(133, 'safeguarding concern'),
  );

  // a review decides on a reassessment, which continues the services
  const reassessed = pathToActivation(at(75));
  reassessed.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(86), {}),
    review(at(120), 'reassessment'),
    ev('REASSESSMENT_COMPLETED', at(130), {
      outcome: 'continue',
      reasons: 'Needs as before',
      unmetEligibleNeeds: [{ need: 'personal care', points: 60 }],
      informalSupport: 'some',
      thirdPartySources: [],
      indicators: noIndicators,
    }),
  );

  // the person dies during the assessment; the death is recorded two days later
  const diedAssessing = [
    referral(at(100)),
    ev('WORKER_ALLOCATED', at(100, 1), { team: 'north', workerId: 'worker.ann' }),
    ev('UNIVERSAL_OFFER_GIVEN', at(100, 2), {
      informationAndAdvice: ['Falls prevention leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', at(101), { route: 'assessment', reason: 'Needs a care and support assessment' }),
    ev('ASSESSMENT_STARTED', at(102), {}),
    ev('PERSON_DIED', at(106), { dateOfDeath: ymd(104) }),
  ];

  // emergency interim support in a care home, then the person withdraws
  const emergency = [
    referral(at(110), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', at(110, 1), { team: 'south', workerId: 'bea' }),
    ev('TRIAGED', at(110, 2), { route: 'emergencyInterimSupport', reason: 'Carer admitted to hospital' }),
    interimSupportStarted(at(110, 3), ['respite bed in a residential care home']),
    ev('ASSESSMENT_STARTED', at(112), {}),
    ev('JOURNEY_WITHDRAWN', at(120), { reason: 'The person went to live with her son' }),
  ];

  // emergency home care still running at the year's end
  const emergencyOpen = [
    referral(at(340), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', at(340, 1), { team: 'south', workerId: 'bea' }),
    ev('TRIAGED', at(340, 2), { route: 'emergencyInterimSupport', reason: 'Carer taken ill' }),
    interimSupportStarted(at(340, 3)),
  ];

  // short-term support (reablement) that met the needs, and one that led to an assessment
  const reablementMet = [
    referral(at(140), undefined, { source: 'hospital' }),
    ev('WORKER_ALLOCATED', at(140, 1), { team: 'north', workerId: 'worker.ann' }),
    ev('UNIVERSAL_OFFER_GIVEN', at(140, 2), {
      informationAndAdvice: ['Falls prevention leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', at(141), { route: 'shortTermSupport', reason: 'Reablement after discharge' }),
    ev('SHORT_TERM_SUPPORT_ENDED', at(180), { outcome: 'needsMet' }),
  ];
  const reablementAssess = [
    referral(at(150), undefined, { source: 'self' }),
    ev('WORKER_ALLOCATED', at(150, 1), { team: 'north', workerId: 'worker.ann' }),
    ev('UNIVERSAL_OFFER_GIVEN', at(150, 2), {
      informationAndAdvice: ['Falls prevention leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', at(151), { route: 'shortTermSupport', reason: 'Reablement first' }),
    ev('SHORT_TERM_SUPPORT_ENDED', at(190), { outcome: 'assessmentNeeded' }),
  ];

  // information and advice only
  const advice = [
    referral(at(200), undefined, { source: 'family' }),
    ev('UNIVERSAL_OFFER_GIVEN', at(200, 1), {
      informationAndAdvice: ['Local befriending service'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', at(201), { route: 'informationAndAdvice', reason: 'Advice meets the need' }),
  ];

  // a direct payment of £780 four-weekly, from late in the year: open at its end
  const late = activatedWith(
    300,
    completePlan({
      budgetManagement: ['directPayment'],
      directPaymentOffer: { answer: 'accepted' },
      directPayment: {
        needsMet: ['personal care'],
        amount: 780,
        frequency: 'fourWeekly',
        purchases: [{ description: 'Personal assistant', category: 'personalAssistant' }],
      },
    }),
    10140,
  );

  return [
    ['y-ordinary', ordinary],
    ['y-died', died],
    ['y-split', split],
    ['y-isf', isf],
    ['y-managed', managed],
    ['y-hospital', hospital],
    ['y-asked', asked],
    ['y-safeguarding', safeguarding],
    ['y-reassessed', reassessed],
    ['y-died-assessing', diedAssessing],
    ['y-emergency', emergency],
    ['y-emergency-open', emergencyOpen],
    ['y-reablement-met', reablementMet],
    ['y-reablement-assess', reablementAssess],
    ['y-advice', advice],
    ['y-late-dp', late],
  ];
}

/** The carer's own journey after the referral the cared-for person's opened: assessed, eligible. */
export function carerJourney(referralEvent: JourneyEvent): JourneyEvent[] {
  const day = (Date.parse(referralEvent.occurredAt) - start) / DAY;
  return [
    referralEvent,
    ev('WORKER_ALLOCATED', at(day + 1), { team: 'north', workerId: 'worker.ann' }),
    ev('UNIVERSAL_OFFER_GIVEN', at(day + 1, 1), {
      informationAndAdvice: ['Carers support group'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', at(day + 2), { route: 'assessment', reason: "Carer's assessment" }),
    ev('ASSESSMENT_STARTED', at(day + 3), {}),
    ev('CONSENT_RECORDED', at(day + 3, 1), { consentGiven: true }),
    ev('ASSESSMENT_COMPLETED', at(day + 5), {
      presentingNeeds: ['caring every night'],
      eligibleNeeds: [{ need: 'a break from caring', points: 20 }],
      ineligibleNeeds: [],
      unmetEligibleNeeds: [{ need: 'a break from caring', points: 20 }],
      outcomes: ['keep caring and keep working'],
      informalSupport: 'some',
      equipmentConsidered: false,
    }),
  ];
}

/** Records the year: every journey, and the carer journeys they open. */
export async function recordYear(store: CaseEventStore): Promise<string[]> {
  const ids: string[] = [];
  for (const [personId, events] of yearJourneys()) {
    const carers = await record(store, personId, events);
    ids.push(personId);
    for (const { carerId, referral: opened } of carers) {
      await record(store, carerId, carerJourney(opened), 'carer');
      ids.push(carerId);
    }
  }
  return ids;
}

/** A valid NHS number made from a seed (nine digits and their modulus 11 check digit). */
export function nhsNumber(seed: number): string {
  for (let n = seed; ; n++) {
    const nine = String(400_000_000 + (n % 500_000_000)).padStart(9, '0');
    const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${nine}${check === 11 ? 0 : check}`;
  }
}

/**
 * Strings a council would take from its copy of DHSC's Release 2 specification spreadsheet, for the
 * lists DHSC's published code does not show. Marked as such: they stand for the council's strings
 * in these tests and are not DHSC's.
 */
export const councilString = (what: string) => `${what} (council's Release 2 string)`;

/** A council's person record and case system, full for everyone. */
export const fullCouncilPort: CldPersonDetailsService = {
  async personDetails(personId): Promise<CldPersonDetails> {
    const seed = [...personId].reduce((s, c) => s * 31 + c.charCodeAt(0), 7) % 1_000_000;
    const learningDisability = personId === 'y-isf';
    return {
      NHS_Number: nhsNumber(seed),
      Gender: seed % 2 ? 'Female' : 'Male',
      Ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British',
      Date_of_Birth: learningDisability ? '1990-05-17' : '1941-11-03',
      Postcode: 'DE4 3AG',
      Accommodation_Status: learningDisability
        ? 'Supported accommodation, supported lodgings or supported group home'
        : 'Owner occupier or shared ownership scheme',
      Employment_Status: learningDisability ? 'Paid: Less than 16 hours a week' : 'Unknown',
      Has_Unpaid_Carer: personId === 'y-ordinary' ? 'Yes' : 'No',
      Primary_Support_Reason: learningDisability ? 'Learning Disability Support' : 'Unknown',
      Client_Funding_Status: 'Fully social care funded',
      GP_Practice_Code: 'C81001',
      Autism_Spectrum_Disorder_ASD: councilString('No'),
      Visual_Impairment: councilString('No'),
      Hearing_Impairment: councilString('No'),
      Dementia: councilString('No'),
    };
  },
  async eventDetails(_personId, event: CldEventKey): Promise<CldCouncilEventDetails> {
    if (event.eventType === 'Assessment') return { Method_of_Assessment: councilString('Face to face') };
    if (event.eventType === 'Review')
      return {
        Method_of_Review: councilString('Service user and carer'),
        Review_Outcomes_Achieved: councilString('Fully met'),
      };
    return {};
  },
};
