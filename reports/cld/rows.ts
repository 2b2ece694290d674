import type { Plan } from '../../machines/events';
import { letterOf, stageOfLabel, type EventFact, type JourneyFacts } from '../journeyFacts';
import { cldDate, inPeriod, londonDate, type ReportingPeriod } from '../period';
import { eventFields, type CldField, type CldMapping } from './config';
import type { CldPersonDetails } from './personDetails';

/**
 * The CLD rows of one journey for a reporting period (issue 15 point 1), from what the case-event
 * store has (reports/journeyFacts.ts). Every date is the London date of an event's `occurredAt`,
 * never of when it was recorded. Where the store cannot say a value, the field is left blank and
 * `why` says what is missing; the validator turns that into a problem row. Nothing is guessed.
 */

export type CldEventType = 'Request' | 'Assessment' | 'Service' | 'Review';

export interface CldRow {
  /** the journey it came from */
  personId: string;
  values: Record<CldField, string>;
  /** why a field is blank: what the journey or the store does not record */
  why: Partial<Record<CldField, string>>;
}

/** One event of CLD's as found in the journey, before the person's details go on it. */
interface Episode {
  type: CldEventType;
  start: EventFact;
  end?: { at: string; outcome: string | null | undefined; outcomeWhy?: string };
  reference: string;
  description: string;
  fields: Partial<Record<CldField, string | null | undefined>>;
  why: Partial<Record<CldField, string>>;
}

const notInStore = (event: string, field: string) =>
  `the case-event store does not hold ${event}'s ${field} (a case-record entry carries the event's type and dates, not its fields)`;

/** A mapping value: undefined → not mapped; null → mapped to "no CLD string yet". */
function mapped(
  table: Record<string, string | null>,
  word: string | undefined,
  what: string,
): { value?: string; why?: string } {
  if (word === undefined) return { why: `${what}: unknown` };
  const value = table[word];
  if (value === undefined) return { why: `${what} "${word}" is not in reports/cld/mapping.json` };
  if (value === null)
    return { why: `${what} "${word}" has no CLD string in reports/cld/mapping.json (null)` };
  return { value };
}

function weekly(amount: number, frequency: string | undefined): number | undefined {
  switch (frequency) {
    case 'weekly':
      return amount;
    case 'fourWeekly':
      return amount / 4;
    case 'monthly':
      return (amount * 12) / 52;
    case 'annually':
      return amount / 52;
    default:
      return undefined;
  }
}
const money = (n: number) => n.toFixed(2);

/** The journey's episodes: its requests, assessments, services and reviews, up to the period's end. */
function episodesOf(facts: JourneyFacts, mapping: CldMapping): Episode[] {
  const episodes: Episode[] = [];
  const events = facts.events;
  const closing = events.find((e) => stageOfLabel(e.to) === 'closed');
  const closeReason = closing ? facts.closure?.reason : undefined;
  const closeOutcome = closeReason ? mapped(mapping.outcomeByClosure, closeReason, 'the closure reason') : {};
  const closedAt = (e: EventFact) =>
    closeReason === 'died' && facts.closure?.dateOfDeath
      ? facts.closure.dateOfDeath
      : londonDate(e.occurredAt);
  const ref = (e: EventFact, part?: string) => `${facts.personId}/${e.eventId}${part ? `/${part}` : ''}`;

  // Requests: a referral, concluded by triage or by the journey closing first.
  let request: Episode | undefined;
  for (const e of events) {
    if (e.type === 'REFERRAL_RECEIVED') {
      const source = e.payload?.source as string | undefined;
      const route = mapped(mapping.requestRouteOfAccess, source, "the referral's source");
      const episode: Episode = {
        type: 'Request',
        start: e,
        reference: ref(e),
        description: facts.subject === 'carer' ? "Carer's referral" : 'Referral',
        fields: { Request_Route_of_Access: route.value },
        why: route.value
          ? {}
          : { Request_Route_of_Access: source ? route.why! : notInStore('REFERRAL_RECEIVED', 'source') },
      };
      if (stageOfLabel(e.from) === 'awaitingReferral') request = episode;
      else {
        // R-REF-4: a further referral is recorded on the journey already under way
        episode.end = { at: londonDate(e.occurredAt), outcome: mapping.requestOnOpenJourney };
        episodes.push(episode);
      }
      continue;
    }
    if (request && (e.type === 'TRIAGED' || stageOfLabel(e.to) === 'closed')) {
      const next = stageOfLabel(e.to);
      const outcome =
        next === 'closed'
          ? closeOutcome
          : mapped(mapping.requestOutcomeByNextStage, next, 'the stage after triage');
      request.end = {
        at: londonDate(e.occurredAt),
        outcome: outcome.value,
        ...(outcome.why ? { outcomeWhy: outcome.why } : {}),
      };
      episodes.push(request);
      request = undefined;
    }
  }

  // Assessments and reassessments.
  let assessment: Episode | undefined;
  for (const e of events) {
    const into = stageOfLabel(e.to);
    const reassessmentBegins = into === 'reassessment' && stageOfLabel(e.from) !== 'reassessment';
    if (e.type === 'ASSESSMENT_STARTED' || reassessmentBegins) {
      const kind = reassessmentBegins
        ? 'reassessment'
        : facts.subject === 'carer'
          ? 'carersAssessment'
          : 'needsAssessment';
      const type = mapping.assessmentType[kind];
      assessment = {
        type: 'Assessment',
        start: e,
        reference: ref(e),
        description:
          kind === 'reassessment'
            ? 'Reassessment'
            : kind === 'carersAssessment'
              ? "Carer's assessment"
              : 'Needs assessment',
        fields: { Assessment_Type: type },
        why: {
          ...(type
            ? {}
            : { Assessment_Type: `assessment kind "${kind}" has no CLD string in reports/cld/mapping.json` }),
          Method_of_Assessment:
            'the journey records no method of assessment (ASSESSMENT_STARTED and ASSESSMENT_COMPLETED have no method field)',
        },
      };
      continue;
    }
    if (!assessment) continue;
    if (e.type === 'ASSESSMENT_COMPLETED' || e.type === 'REASSESSMENT_COMPLETED' || into === 'closed') {
      const outcome =
        into === 'closed'
          ? closeOutcome
          : mapped(mapping.assessmentOutcomeByNextStage, into, 'the stage after the assessment');
      assessment.end = {
        at: londonDate(e.occurredAt),
        outcome: outcome.value,
        ...(outcome.why ? { outcomeWhy: outcome.why } : {}),
      };
      if (e.type === 'ASSESSMENT_COMPLETED' || e.type === 'REASSESSMENT_COMPLETED') {
        const payloadNeeds = (e.payload?.eligibleNeeds ?? e.payload?.unmetEligibleNeeds) as
          unknown[] | undefined;
        const letterNeeds = letterOf(facts, e.eventId, 'decisionLetter')?.data.eligibleNeeds as
          unknown[] | undefined;
        const needs = payloadNeeds ?? letterNeeds;
        if (needs) {
          assessment.fields.Eligible_Needs_Identified = needs.length
            ? mapping.eligibleNeedsIdentified.yes
            : mapping.eligibleNeedsIdentified.no;
        } else {
          assessment.why.Eligible_Needs_Identified =
            e.type === 'ASSESSMENT_COMPLETED'
              ? `${notInStore('ASSESSMENT_COMPLETED', 'eligibleNeeds')}, and no decision letter for it is in the store`
              : notInStore('REASSESSMENT_COMPLETED', 'unmetEligibleNeeds');
        }
      } else {
        assessment.why.Eligible_Needs_Identified = 'the assessment ended before it was completed';
      }
      episodes.push(assessment);
      assessment = undefined;
    }
  }

  // Services: emergency interim support, short-term support, and each line of the signed-off plan.
  const ended = (
    episode: Episode,
    e: EventFact | undefined,
    outcome: { value?: string | null; why?: string },
  ) => {
    if (e)
      episode.end = {
        at: closedAt(e),
        outcome: outcome.value,
        ...(outcome.why ? { outcomeWhy: outcome.why } : {}),
      };
    episodes.push(episode);
  };
  const closingAfter = (start: EventFact) =>
    closing && Date.parse(closing.occurredAt) >= Date.parse(start.occurredAt) ? closing : undefined;
  for (const [i, e] of events.entries()) {
    if (e.type === 'INTERIM_SUPPORT_STARTED') {
      // R-EMG-2: interim support ends when the long-term services start, or with the journey
      const activation = events.slice(i + 1).find((x) => x.type === 'SERVICES_ACTIVATED');
      const end = activation ?? closingAfter(e);
      const component = mapping.serviceComponent.interimSupport;
      ended(
        {
          type: 'Service',
          start: e,
          reference: ref(e),
          description: 'Emergency interim support',
          fields: {
            Service_Type: mapping.serviceType.interimSupport,
            Service_Component: component,
            Delivery_Mechanism: mapping.deliveryMechanism.interimSupport,
          },
          why: component
            ? {}
            : {
                Service_Component:
                  'INTERIM_SUPPORT_STARTED\'s services are free text (e.g. "home care twice daily"), not a CLD service component; the mapping\'s serviceComponent.interimSupport is null',
              },
        },
        end,
        activation ? { value: 'Continuation of support or services' } : closeOutcome,
      );
    }
    if (e.type === 'TRIAGED' && stageOfLabel(e.to) === 'shortTermSupport') {
      const endEvent =
        events.slice(i + 1).find((x) => x.type === 'SHORT_TERM_SUPPORT_ENDED') ?? closingAfter(e);
      const next = endEvent ? stageOfLabel(endEvent.to) : undefined;
      ended(
        {
          type: 'Service',
          start: e,
          reference: ref(e, 'shortTermSupport'),
          description: 'Short-term support',
          fields: {
            Service_Type: mapping.serviceType.shortTermSupport,
            Service_Component: mapping.serviceComponent.shortTermSupport,
            Delivery_Mechanism: mapping.deliveryMechanism.shortTermSupport,
          },
          why: {},
        },
        endEvent,
        endEvent?.type === 'SHORT_TERM_SUPPORT_ENDED'
          ? mapped(mapping.shortTermSupportOutcomeByNextStage, next, 'the stage after short-term support')
          : closeOutcome,
      );
    }
    if (e.type === 'SERVICES_ACTIVATED') {
      const signOff = events
        .slice(0, i)
        .reverse()
        .find((x) => x.type === 'PLAN_SIGNED_OFF');
      const planCopy = signOff && letterOf(facts, signOff.eventId, 'planCopy');
      const plan = (signOff?.payload?.plan ?? planCopy?.data.plan) as Plan | undefined;
      const personalBudget = (signOff?.payload?.finalBudget ?? planCopy?.data.personalBudget) as
        number | undefined;
      const end = closingAfter(e);
      const serviceType =
        facts.subject === 'carer' ? mapping.serviceType.longTermCarer : mapping.serviceType.longTermPerson;
      const options = plan?.budgetManagement ?? [];
      if (!options.length) {
        ended(
          {
            type: 'Service',
            start: e,
            reference: ref(e),
            description: 'Long-term support',
            fields: { Service_Type: serviceType },
            why: {
              Service_Component:
                'no signed-off plan is in the store (PLAN_SIGNED_OFF and its plan copy letter)',
              Delivery_Mechanism: 'no signed-off plan is in the store (its budget management options)',
            },
          },
          end,
          closeOutcome,
        );
        continue;
      }
      // One row per line of the plan: each way the personal budget is managed (R-PLN-2).
      const dp = plan?.directPayment;
      const dpWeekly = dp?.amount !== undefined ? weekly(dp.amount, dp.frequency) : undefined;
      const others = options.filter((o) => o !== 'directPayment');
      for (const option of options) {
        const component = mapped(mapping.serviceComponent, option, 'the budget management option');
        const mechanism = mapped(mapping.deliveryMechanism, option, 'the budget management option');
        const why: Episode['why'] = {};
        if (!component.value)
          why.Service_Component = `${component.why}: the plan says how the budget is managed, not which service it buys`;
        if (!mechanism.value) why.Delivery_Mechanism = mechanism.why!;
        let weeklyCost: number | undefined;
        if (option === 'directPayment') {
          weeklyCost = dpWeekly;
          if (weeklyCost === undefined)
            why.Unit_Cost = "the plan's direct payment has no amount and frequency (plan.directPayment)";
        } else if (others.length === 1 && personalBudget !== undefined) {
          // the rest of the personal budget (pounds a year) is this line's
          const rest = personalBudget - (dpWeekly ?? 0) * 52;
          weeklyCost = rest / 52;
        } else {
          why.Unit_Cost =
            personalBudget === undefined
              ? notInStore('PLAN_SIGNED_OFF', 'finalBudget')
              : 'the plan does not split the personal budget between its council-managed lines';
        }
        ended(
          {
            type: 'Service',
            start: e,
            reference: ref(e, option),
            description: `Long-term support (${option})`,
            fields: {
              Service_Type: serviceType,
              Service_Component: component.value,
              Delivery_Mechanism: mechanism.value,
              ...(weeklyCost !== undefined
                ? {
                    Unit_Cost: money(weeklyCost),
                    Cost_Frequency_Unit_Type: mapping.costFrequencyUnitType,
                    Planned_units_per_week: '1.00',
                  }
                : {}),
            },
            why,
          },
          end,
          closeOutcome,
        );
      }
    }
  }

  // Reviews: each formal review completed, planned when it met a review the journey had scheduled.
  for (const e of events) {
    if (e.type !== 'REVIEW_COMPLETED') continue;
    const kinds = e.met.map((d) => d.kind);
    let reason: { value?: string; why?: string };
    if (kinds.includes('firstReview') || kinds.includes('annualReview')) {
      reason = mapped(mapping.reviewReason, 'planned', 'review reason');
    } else if (kinds.includes('unscheduledReview')) {
      const deadline = e.met.find((d) => d.kind === 'unscheduledReview')!;
      // the event that asked for it started its clock (R-REV-6, R-HSP-1, R-SFG-1)
      const trigger = events.find(
        (x) => x.occurredAt === deadline.startedFrom && x.type !== 'REVIEW_COMPLETED',
      );
      const word =
        (trigger?.payload?.trigger as string | undefined) ??
        (trigger?.type === 'HOSPITAL_DISCHARGED'
          ? 'hospitalDischarge'
          : trigger?.type === 'SAFEGUARDING_CONCERN_RAISED'
            ? 'safeguarding'
            : undefined);
      reason = word
        ? mapped(mapping.reviewReason, word, 'the unscheduled review trigger')
        : { why: notInStore(trigger?.type ?? 'UNSCHEDULED_REVIEW_REQUESTED', 'trigger') };
    } else {
      reason = { why: 'the review met none of the reviews the journey had scheduled or asked for' };
    }
    const into = stageOfLabel(e.to);
    const outcome =
      into === 'closed'
        ? closeOutcome
        : mapped(mapping.reviewOutcomeByNextStage, into, 'the stage after the review');
    episodes.push({
      type: 'Review',
      start: e,
      end: {
        at: londonDate(e.occurredAt),
        outcome: outcome.value,
        ...(outcome.why ? { outcomeWhy: outcome.why } : {}),
      },
      reference: ref(e),
      description: 'Review',
      fields: { Review_Reason: reason.value },
      why: {
        ...(reason.value ? {} : { Review_Reason: reason.why! }),
        Review_Outcomes_Achieved:
          'the journey does not record whether the outcomes were achieved (REVIEW_COMPLETED has no such field)',
        Method_of_Review:
          "the journey does not record who took part in the review (REVIEW_COMPLETED.reviewType is formal, light touch or telephone, not CLD's method)",
      },
    });
  }
  return episodes;
}

/**
 * CLD.md's inclusion: a request, assessment or review belongs to a period when it starts before the
 * period ends and ends inside it (in progress, it is not submitted yet); a service when it started
 * by the period's end and its end date is inside or after the period, or empty.
 */
function belongs(episode: Episode, period: ReportingPeriod): boolean {
  const start = londonDate(episode.start.occurredAt);
  if (start > period.to) return false;
  if (episode.type === 'Service') return !episode.end || episode.end.at >= period.from;
  return !!episode.end && inPeriod(episode.end.at, period);
}

const eventOrder: Record<CldEventType, number> = { Request: 0, Assessment: 1, Service: 2, Review: 3 };

export function cldRowsOf(
  facts: JourneyFacts,
  person: CldPersonDetails,
  period: ReportingPeriod,
  mapping: CldMapping,
): CldRow[] {
  const laCode = facts.council ? mapping.laCodeByCouncil[facts.council] : undefined;
  const dateOfDeath = person.Date_of_Death ?? facts.closure?.dateOfDeath;
  const episodes = episodesOf(facts, mapping)
    .filter((e) => belongs(e, period))
    .sort(
      (a, b) =>
        Date.parse(a.start.occurredAt) - Date.parse(b.start.occurredAt) ||
        eventOrder[a.type] - eventOrder[b.type] ||
        (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0),
    );
  return episodes.map((episode) => {
    const values = {} as Record<CldField, string>;
    const set = (field: CldField, value: string | null | undefined) => (values[field] = value ?? '');
    set('LA_Code', laCode);
    set('Reporting_Period_Start_Date', cldDate(period.from));
    set('Reporting_Period_End_Date', cldDate(period.to));
    set('NHS_Number', person.NHS_Number);
    set('LA_Person_Unique_Identifier', facts.personId);
    set('GP_Practice_Code', person.GP_Practice_Code);
    set('Gender', person.Gender);
    set('Ethnicity', person.Ethnicity);
    set('Date_of_Birth', person.Date_of_Birth && cldDate(person.Date_of_Birth));
    set('Date_of_Death', dateOfDeath && cldDate(dateOfDeath));
    set('Client_Type', mapping.clientType[facts.subject]);
    set('Primary_Support_Reason', person.Primary_Support_Reason);
    set('Postcode', person.Postcode);
    set('Accommodation_Status', person.Accommodation_Status);
    set('Employment_Status', person.Employment_Status);
    set('Has_Unpaid_Carer', person.Has_Unpaid_Carer);
    set('Autism_Spectrum_Disorder_ASD', person.Autism_Spectrum_Disorder_ASD);
    set('Visual_Impairment', person.Visual_Impairment);
    set('Hearing_Impairment', person.Hearing_Impairment);
    set('Dementia', person.Dementia);
    set('Client_Funding_Status', person.Client_Funding_Status);
    set('Event_Type', episode.type);
    set('Event_Reference', episode.reference);
    set('Event_Start_Date', cldDate(londonDate(episode.start.occurredAt)));
    set('Event_End_Date', episode.end && cldDate(episode.end.at));
    set('Event_Description', episode.description);
    set('Event_Outcome', episode.end?.outcome);
    for (const field of eventFields) set(field, episode.fields[field]);
    // R-CAR-1: a carer's row names the person cared for
    if (facts.subject === 'carer' && facts.caresFor) {
      set('No_of_adults_being_cared_for', '1');
      set('Adult_1_Linked_Person_ID', facts.caresFor);
    }
    const why: CldRow['why'] = { ...episode.why };
    if (!laCode)
      why.LA_Code = `the council "${facts.council ?? '(none)'}" has no code in reports/cld/mapping.json laCodeByCouncil`;
    if (episode.end && !episode.end.outcome)
      why.Event_Outcome = episode.end.outcomeWhy ?? 'the journey does not say how it ended';
    for (const field of [
      'Gender',
      'Ethnicity',
      'Date_of_Birth',
      'Primary_Support_Reason',
      'Postcode',
    ] as const) {
      // a primary support reason is a service user's
      if (field === 'Primary_Support_Reason' && facts.subject === 'carer') continue;
      if (!values[field])
        why[field] =
          'not given by the person-details port (the default reads only what the referral carried: the postcode)';
    }
    return { personId: facts.personId, values, why };
  });
}
