import type { Plan } from '../../machines/events';
import { letterOf, stageOfLabel, type EventFact, type JourneyFacts } from '../journeyFacts';
import { cldDate, inPeriod, londonDate, type ReportingPeriod } from '../period';
import { eventFields, type CldField, type CldMapping } from './config';
import type { CldCouncilEventDetails, CldEventKey, CldPersonDetails } from './personDetails';

/**
 * The CLD rows of one journey for a reporting period, from what the case-event store has
 * (reports/journeyFacts.ts). Every date is the London date of an event's `occurredAt`, never of when
 * it was recorded. Where the store cannot say a value, the field is left blank and `why` says what
 * is missing; the validator turns that into a problem row. Nothing is guessed: where a value is
 * derived (a unit cost the plan does not state), the rule is written here and in SOURCES.md.
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
export interface Episode {
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

/** A direct payment's payments a year, by the plan's frequency. */
const paymentsAYear: Record<string, number> = { weekly: 52, fourWeekly: 13, monthly: 12, annually: 1 };
const money = (n: number) => n.toFixed(2);

/** The person's date of death as known at the period's end: the journey's, else the council's. */
function deathOf(facts: JourneyFacts, person: CldPersonDetails, period: ReportingPeriod): string | undefined {
  const closing = facts.events.find((e) => stageOfLabel(e.to) === 'closed');
  const fromJourney =
    closing && facts.closure?.reason === 'died'
      ? ((closing.payload?.dateOfDeath as string | undefined) ?? facts.closure.dateOfDeath)
      : undefined;
  const date = fromJourney ?? person.Date_of_Death;
  // a re-export of an earlier period says what was known of it: no death after its end
  return date && date <= period.to ? date : undefined;
}

/** The journey's episodes: its requests, assessments, services and reviews, up to the period's end. */
export function episodesOf(facts: JourneyFacts, mapping: CldMapping): Episode[] {
  const episodes: Episode[] = [];
  const events = facts.events;
  const closing = events.find((e) => stageOfLabel(e.to) === 'closed');
  const closeReason = closing ? facts.closure?.reason : undefined;
  const closeOutcome = closeReason ? mapped(mapping.outcomeByClosure, closeReason, 'the closure reason') : {};
  const dateOfDeath =
    closing && closeReason === 'died'
      ? ((closing.payload?.dateOfDeath as string | undefined) ?? facts.closure?.dateOfDeath)
      : undefined;
  /**
   * When an event ends an episode: its own London date, but the journey's closing by death ends
   * everything on the date of death (DHSC's FilterToEventsInPeriod crops an event to the date of
   * death that falls inside it), not on the day the death was recorded.
   */
  const endAt = (e: EventFact) => (e === closing && dateOfDeath ? dateOfDeath : londonDate(e.occurredAt));
  // a person's later journey's events are referenced apart from their first's (R-REF-4)
  const journey = facts.journeyNumber > 1 ? `/j${facts.journeyNumber}` : '';
  const ref = (e: EventFact, part?: string) =>
    `${facts.personId}${journey}/${e.eventId}${part ? `/${part}` : ''}`;

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
        at: endAt(e),
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
        // a reassessment begins with the review that decided it: its row is a different event
        reference: ref(e, kind === 'reassessment' ? 'reassessment' : undefined),
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
            'no journey event records how the assessment was carried out (ASSESSMENT_STARTED and ASSESSMENT_COMPLETED have no method field), and the council-held event details gave none',
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
        at: endAt(e),
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
  // A service still open at the period's end carries the outcome the mapping gives an open service.
  const ended = (
    episode: Episode,
    e: EventFact | undefined,
    outcome: { value?: string | null; why?: string },
  ) => {
    if (e)
      episode.end = {
        at: endAt(e),
        outcome: outcome.value,
        ...(outcome.why ? { outcomeWhy: outcome.why } : {}),
      };
    else if (mapping.serviceOutcomeWhileOpen) episode.fields.Event_Outcome = mapping.serviceOutcomeWhileOpen;
    else episode.why.Event_Outcome = 'serviceOutcomeWhileOpen is null in reports/cld/mapping.json';
    episodes.push(episode);
  };
  const closingAfter = (start: EventFact) =>
    closing && Date.parse(closing.occurredAt) >= Date.parse(start.occurredAt) ? closing : undefined;
  for (const [i, e] of events.entries()) {
    if (e.type === 'INTERIM_SUPPORT_STARTED') {
      // R-EMG-2: interim support ends when the long-term services start, or with the journey
      const activation = events.slice(i + 1).find((x) => x.type === 'SERVICES_ACTIVATED');
      const end = activation ?? closingAfter(e);
      const component = interimComponent(e, mapping);
      ended(
        {
          type: 'Service',
          start: e,
          reference: ref(e),
          description: 'Emergency interim support',
          fields: {
            Service_Type: mapping.serviceType.interimSupport,
            Service_Component: component.value,
            Delivery_Mechanism: mapping.deliveryMechanism.interimSupport,
          },
          why: component.value ? {} : { Service_Component: component.why! },
        },
        end,
        activation ? { value: mapping.interimSupportOutcomeAtActivation } : closeOutcome,
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
      const end = closingAfter(e);
      const equipmentOnly = e.payload?.equipmentOnly as { items?: unknown[] } | undefined;
      if (equipmentOnly) {
        // R-REV-14: one-off equipment or an adaptation, not a package of support
        ended(
          {
            type: 'Service',
            start: e,
            reference: ref(e, 'equipment'),
            description: 'Equipment',
            fields: {
              Service_Type: mapping.serviceType.equipmentOnly,
              Service_Component: mapping.serviceComponent.equipmentOnly,
              Delivery_Mechanism: mapping.deliveryMechanism.equipmentOnly,
            },
            why: {},
          },
          end,
          closeOutcome,
        );
        continue;
      }
      const signOff = events
        .slice(0, i)
        .reverse()
        .find((x) => x.type === 'PLAN_SIGNED_OFF');
      const planCopy = signOff && letterOf(facts, signOff.eventId, 'planCopy');
      const plan = (signOff?.payload?.plan ?? planCopy?.data.plan) as Plan | undefined;
      const personalBudget = (signOff?.payload?.finalBudget ?? planCopy?.data.personalBudget) as
        number | undefined;
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
      const costs = lineCosts(plan!, personalBudget, mapping);
      for (const option of options) {
        const component = mapped(mapping.serviceComponent, option, 'the budget management option');
        const mechanism = mapped(mapping.deliveryMechanism, option, 'the budget management option');
        const why: Episode['why'] = {};
        if (!component.value) why.Service_Component = component.why!;
        if (!mechanism.value) why.Delivery_Mechanism = mechanism.why!;
        const cost = costs[option] ?? { why: 'no cost rule for this budget management option' };
        if ('why' in cost) {
          why.Unit_Cost = cost.why;
          why.Cost_Frequency_Unit_Type = cost.why;
          why.Planned_units_per_week = cost.why;
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
              ...('why' in cost
                ? {}
                : {
                    Unit_Cost: cost.unitCost,
                    Cost_Frequency_Unit_Type: cost.frequency,
                    Planned_units_per_week: cost.unitsPerWeek,
                  }),
            },
            why,
          },
          end,
          closeOutcome,
        );
      }
    }
  }

  // Reviews: each formal review completed, with the reason it was held.
  for (const e of events) {
    if (e.type !== 'REVIEW_COMPLETED') continue;
    const reason = reviewReasonOf(e, events, mapping);
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
          'no journey event records whether the outcomes were achieved (REVIEW_COMPLETED has no such field), and the council-held event details gave none',
        Method_of_Review:
          "no journey event records who took part in the review (REVIEW_COMPLETED.reviewType is formal, light touch or telephone, not CLD's method), and the council-held event details gave none",
      },
    });
  }
  return episodes;
}

/** Interim support's component: the first of the mapping's word rules its services match. */
function interimComponent(e: EventFact, mapping: CldMapping): { value?: string; why?: string } {
  const services = (e.payload?.services as string[] | undefined)?.join('; ');
  if (services) {
    for (const rule of mapping.interimServiceComponentByWords) {
      if (new RegExp(rule.words, 'i').test(services)) return { value: rule.component };
    }
  }
  return mapped(mapping.serviceComponent, 'interimSupport', 'the service');
}

type LineCost = { unitCost: string; frequency: string; unitsPerWeek: string } | { why: string };

/**
 * Each plan line's cost. A direct payment is costed as the plan records it: its amount is the unit
 * cost, at the plan's frequency, with the units a week that frequency makes (DHSC's cost code
 * derives the same from the frequency). The other ways of managing a budget carry no cost in any
 * journey event: the plan records one personal budget, in pounds a year. So the one line that is
 * not a direct payment is given what is left of the personal budget after the direct payment, as a
 * weekly cost of one unit a week (÷ 52); two or more such lines cannot be told apart, and are
 * reported rather than split by guesswork.
 */
function lineCosts(
  plan: Plan,
  personalBudget: number | undefined,
  mapping: CldMapping,
): Partial<Record<string, LineCost>> {
  const costs: Record<string, LineCost> = {};
  const dp = plan.directPayment;
  const perYear = dp?.frequency ? paymentsAYear[dp.frequency] : undefined;
  if (plan.budgetManagement.includes('directPayment')) {
    const frequency = dp?.frequency ? mapping.costFrequencyUnitType[dp.frequency] : undefined;
    costs.directPayment =
      dp?.amount === undefined || !perYear
        ? { why: "the plan's direct payment has no amount and frequency (plan.directPayment)" }
        : !frequency
          ? {
              why: `the direct payment's frequency "${dp.frequency}" has no CLD string in reports/cld/mapping.json`,
            }
          : { unitCost: money(dp.amount), frequency, unitsPerWeek: money(perYear / 52) };
  }
  const others = plan.budgetManagement.filter((o) => o !== 'directPayment');
  const dpYearly = dp?.amount !== undefined && perYear ? dp.amount * perYear : 0;
  for (const option of others) {
    const weekly = mapping.costFrequencyUnitType.weekly;
    if (others.length > 1)
      costs[option] = {
        why: `the plan does not say how the personal budget is split between ${others.join(' and ')} (no journey event carries a cost per line)`,
      };
    else if (personalBudget === undefined)
      costs[option] = { why: notInStore('PLAN_SIGNED_OFF', 'finalBudget') };
    else if (personalBudget - dpYearly <= 0)
      costs[option] = {
        why: 'the direct payment takes the whole personal budget: nothing is left for this line',
      };
    else if (!weekly)
      costs[option] = { why: 'costFrequencyUnitType.weekly is null in reports/cld/mapping.json' };
    else
      costs[option] = {
        unitCost: money((personalBudget - dpYearly) / 52),
        frequency: weekly,
        unitsPerWeek: '1.00',
      };
  }
  return costs;
}

/**
 * Why the review was held: an unscheduled review asked for (R-REV-6) by a hospital discharge, a
 * safeguarding concern, the person, a provider… is unplanned, even when it also met the scheduled
 * review it came before; a review that met only the scheduled ones is planned.
 */
function reviewReasonOf(
  e: EventFact,
  events: EventFact[],
  mapping: CldMapping,
): { value?: string; why?: string } {
  const unscheduled = e.met
    .filter((d) => d.kind === 'unscheduledReview')
    .sort((a, b) => Date.parse(a.startedFrom) - Date.parse(b.startedFrom));
  if (unscheduled.length) {
    // the first request started the process; its event started the clock (R-REV-6, R-HSP-1, R-SFG-1)
    const deadline = unscheduled[0]!;
    const trigger = events.find(
      (x) => x.occurredAt === deadline.startedFrom && x.type !== 'REVIEW_COMPLETED',
    );
    const word =
      (trigger?.payload?.trigger as string | undefined) ??
      (trigger?.type === 'HOSPITAL_DISCHARGED'
        ? 'hospitalDischarge'
        : trigger?.type === 'SAFEGUARDING_CONCERN_RAISED'
          ? 'safeguarding'
          : /^Unscheduled review \((\w+)\)/.exec(deadline.description)?.[1]);
    return word
      ? mapped(mapping.reviewReason, word, 'the unscheduled review trigger')
      : { why: notInStore(trigger?.type ?? 'UNSCHEDULED_REVIEW_REQUESTED', 'trigger') };
  }
  if (e.met.some((d) => d.kind === 'firstReview' || d.kind === 'annualReview'))
    return mapped(mapping.reviewReason, 'planned', 'review reason');
  return { why: 'the review met none of the reviews the journey had scheduled or asked for' };
}

/**
 * CLD.md's inclusion (DHSC's FilterToEventsInPeriod): a request, assessment or review belongs to a
 * period when it starts before the period ends and ends inside it (in progress, it is not submitted
 * yet); a service when it started by the period's end and its end date is inside or after the
 * period, or empty.
 */
function belongs(episode: Episode, period: ReportingPeriod): boolean {
  const start = londonDate(episode.start.occurredAt);
  if (start > period.to) return false;
  if (episode.type === 'Service') return !episode.end || episode.end.at >= period.from;
  return !!episode.end && inPeriod(episode.end.at, period);
}

const eventOrder: Record<CldEventType, number> = { Request: 0, Assessment: 1, Service: 2, Review: 3 };

/** The person items, each with what to say when the person-details port leaves it out. */
const personItems = [
  'NHS_Number',
  'Gender',
  'Ethnicity',
  'Date_of_Birth',
  'Primary_Support_Reason',
  'Postcode',
  'Accommodation_Status',
  'Employment_Status',
  'Has_Unpaid_Carer',
  'Autism_Spectrum_Disorder_ASD',
  'Visual_Impairment',
  'Hearing_Impairment',
  'Dementia',
  'Client_Funding_Status',
] as const satisfies readonly (keyof CldPersonDetails & CldField)[];
/** only a service user's (DHSC's checks do not apply them to carers) */
const serviceUserItems = new Set<CldField>([
  'Autism_Spectrum_Disorder_ASD',
  'Visual_Impairment',
  'Hearing_Impairment',
  'Dementia',
  'Client_Funding_Status',
  'Employment_Status',
]);
const councilEventItems = [
  'Method_of_Assessment',
  'Method_of_Review',
  'Review_Outcomes_Achieved',
  'Provider_CQC_Location_ID',
  'Total_Hrs_Caring_per_week',
] as const satisfies readonly (keyof CldCouncilEventDetails & CldField)[];

/** The key a council's case system finds an episode by. */
export function eventKeyOf(episode: Episode): CldEventKey {
  return {
    eventType: episode.type,
    eventReference: episode.reference,
    journeyEventId: episode.start.eventId,
    journeyEventType: episode.start.type,
    startDate: londonDate(episode.start.occurredAt),
    ...(episode.end ? { endDate: episode.end.at } : {}),
  };
}

/** The journey's episodes that belong to the period, in the order the return lists them. */
export function periodEpisodes(facts: JourneyFacts, period: ReportingPeriod, mapping: CldMapping): Episode[] {
  return episodesOf(facts, mapping)
    .filter((e) => belongs(e, period))
    .sort(
      (a, b) =>
        Date.parse(a.start.occurredAt) - Date.parse(b.start.occurredAt) ||
        eventOrder[a.type] - eventOrder[b.type] ||
        (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0),
    );
}

export function cldRowsOf(
  facts: JourneyFacts,
  person: CldPersonDetails,
  period: ReportingPeriod,
  mapping: CldMapping,
  /** the council-held facts of each episode, by its reference (personDetails.ts eventDetails) */
  councilEvents: Map<string, CldCouncilEventDetails> = new Map(),
  episodes: Episode[] = periodEpisodes(facts, period, mapping),
): CldRow[] {
  const laCode = facts.council ? mapping.laCodeByCouncil[facts.council] : undefined;
  const dateOfDeath = deathOf(facts, person, period);
  const carer = facts.subject === 'carer';
  return episodes.map((episode) => {
    const values = {} as Record<CldField, string>;
    const set = (field: CldField, value: string | null | undefined) => (values[field] = value ?? '');
    const why: CldRow['why'] = { ...episode.why };
    set('LA_Code', laCode);
    set('Reporting_Period_Start_Date', cldDate(period.from));
    set('Reporting_Period_End_Date', cldDate(period.to));
    set('LA_Person_Unique_Identifier', facts.personId);
    set('GP_Practice_Code', person.GP_Practice_Code);
    for (const item of personItems) {
      if (carer && serviceUserItems.has(item)) continue;
      const value =
        item === 'Date_of_Birth' ? person.Date_of_Birth && cldDate(person.Date_of_Birth) : person[item];
      set(item, value);
    }
    // an unpaid carer's rows are about their caring role, whatever the person's own reason
    // (CLD's guidance: the social support reason of supporting an unpaid carer)
    if (carer && mapping.carerPrimarySupportReason)
      set('Primary_Support_Reason', mapping.carerPrimarySupportReason);
    for (const item of personItems) {
      if (carer && serviceUserItems.has(item)) continue;
      if (!values[item])
        why[item] =
          item === 'Postcode'
            ? 'not given by the person-details port, nor on the referral'
            : 'not given by the person-details port (no journey event records it)';
    }
    set('Date_of_Death', dateOfDeath && cldDate(dateOfDeath));
    set('Client_Type', mapping.clientType[facts.subject]);
    set('Event_Type', episode.type);
    set('Event_Reference', episode.reference);
    set('Event_Start_Date', cldDate(londonDate(episode.start.occurredAt)));
    // DHSC ends an event still open at a death on the date of death: so does the return
    let end = episode.end;
    if (!end && dateOfDeath && dateOfDeath >= londonDate(episode.start.occurredAt))
      end = {
        at: dateOfDeath,
        outcome: mapping.outcomeByClosure.died,
        outcomeWhy: 'outcomeByClosure.died is null in reports/cld/mapping.json',
      };
    set('Event_End_Date', end && cldDate(end.at));
    set('Event_Description', episode.description);
    set('Event_Outcome', end ? end.outcome : episode.fields.Event_Outcome);
    for (const field of eventFields) set(field, episode.fields[field]);
    const council = councilEvents.get(episode.reference) ?? {};
    for (const item of councilEventItems) {
      if (council[item] !== undefined && values[item] === '') set(item, council[item]);
      if (values[item]) delete why[item];
    }
    // R-CAR-1: a carer's row names the person cared for
    if (carer && facts.caresFor) {
      set('No_of_adults_being_cared_for', '1');
      set('Adult_1_Linked_Person_ID', facts.caresFor);
    }
    if (!laCode)
      why.LA_Code = `the council "${facts.council ?? '(none)'}" has no code in reports/cld/mapping.json laCodeByCouncil`;
    if (end) {
      delete why.Event_Outcome;
      if (!end.outcome) why.Event_Outcome = end.outcomeWhy ?? 'the journey does not say how it ended';
    }
    return { personId: facts.personId, values, why };
  });
}
