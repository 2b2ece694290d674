import type { Correspondence, JourneyDetail, RecordedEvents } from '../api/schemas';
import { isOpen } from '../machines/deadlines';
import type { Deadline, NextStep } from '../machines/types';
import type { Role } from '../temporal.config';
import { checkedFirst, eventGroups, offeredTo } from './eventChoices';
import { eventForms, formView, valueRows, type FormProblem, type FormView, type Typed } from './eventForms';
import { stageName } from './journeyMap';
import {
  choiceInWords,
  dateInWords,
  dateTimeInWords,
  dueInWords,
  eventInWords,
  inSentence,
  kindFacts,
  plainWords,
  poundsInWords,
  timeLeft,
} from './words';

/**
 * What the case page shows, from the API's answers: the journey (GET /journeys/{personId}), what
 * each event recorded (GET /journeys/{personId}/events) and what was sent (…/correspondence).
 * It leads with what must happen next and that step's form; the other events the signed-in role
 * may record, under plain headings; then what has been recorded, the deadlines, the timeline in
 * words and the letters and notices. Every date one way (pages/words.ts).
 */

const statusWords: Record<Deadline['status'], { text: string; colour: string }> = {
  due: { text: 'Due', colour: 'blue' },
  overdue: { text: 'Overdue', colour: 'red' },
  met: { text: 'Met', colour: 'green' },
  metLate: { text: 'Met late', colour: 'orange' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
  takenEffect: { text: 'Taken effect', colour: 'grey' },
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Who must act, in words. */
function ownerInWords(owner: NextStep['owner']): string {
  switch (owner.kind) {
    case 'worker':
      return `${owner.id}${owner.team ? ` (team ${owner.team})` : ''}`;
    case 'team':
      return `team ${owner.id}`;
    case 'dutyWorker':
      return `the duty worker, ${owner.id}${owner.team ? ` (team ${owner.team})` : ''}`;
    default:
      return 'Care journeys, by itself';
  }
}

/**
 * What a next step meets, in words: a deadline's own description; for the stage's time limit or a
 * wait on someone outside, the limit the council's policy sets.
 */
function stepInWords(step: NextStep, stage: string): string {
  const days = /within (\d+) days/.exec(step.what)?.[1];
  if (step.because === 'stageLimit' && days)
    return `Move the case on from ${inSentence(stage)}: the council’s policy allows ${days} days at this stage`;
  if (step.because === 'waiting' && days) {
    const party = /waiting on (\S+)/.exec(step.what)?.[1] ?? '';
    return `Stop waiting on ${plainWords(choiceInWords(party)).replace(/^An? /, 'the ').toLowerCase()}: the council’s policy allows ${days} days`;
  }
  return capitalised(plainWords(step.what));
}

/** How an event arrived, where it was not sent by a person through the API. */
const viaWords: Record<string, string | undefined> = {
  timer: 'by the journey’s own clock',
  system: 'by the journey itself',
  signal: 'from the case management system',
};

export interface RecordedSection {
  id: string;
  heading: string;
  /** when and by whom, in words */
  caption?: string;
  rows: { key: string; value: string }[];
  /** a list of items with amounts (needs with their points) */
  table?: { caption: string; head: string[]; rows: string[][] };
}

type Recorded = RecordedEvents['events'][number];

/** What the events of the current journey recorded, in sections a practitioner reads. */
function recordedSections(events: Recorded[], detail: JourneyDetail): RecordedSection[] {
  const latest = (...types: string[]) => [...events].reverse().find((e) => types.includes(e.type));
  const rowsOf = (event: Recorded | undefined, only?: string[], fields = event?.fields) => {
    const form = event && eventForms.get(event.type);
    if (!form || !fields) return [];
    const chosen = only ? form.fields.filter((f) => only.includes(f.key)) : form.fields;
    return valueRows({ ...form, fields: chosen }, fields).map(({ key, value }) => ({ key, value }));
  };
  const byWhom = (event: Recorded) =>
    `${dateInWords(event.occurredAt)}, by ${event.actor.userId} (${choiceInWords(event.actor.role).toLowerCase()})`;
  const sections: RecordedSection[] = [];

  const referral = latest('REFERRAL_RECEIVED');
  if (referral) {
    sections.push({
      id: 'recorded-referral',
      heading: 'Referral',
      caption: `Received ${byWhom(referral)}`,
      rows: rowsOf(referral, ['receivedDate', 'source', 'urgency', 'summary', 'subject']),
    });
  }

  const consent = latest('CONSENT_RECORDED');
  if (consent?.fields) {
    sections.push({
      id: 'recorded-consent',
      heading: 'Consent to share information',
      caption: `Recorded ${byWhom(consent)}`,
      rows: [
        { key: 'Consent given', value: consent.fields.consentGiven === true ? 'Yes' : 'No' },
        {
          key: 'Limits on the consent',
          value: typeof consent.fields.limits === 'string' ? consent.fields.limits : 'None recorded',
        },
      ],
    });
  }

  const assessment = latest('ASSESSMENT_COMPLETED');
  if (assessment?.fields) {
    const needs = (assessment.fields.eligibleNeeds ?? []) as { need: string; points: number }[];
    sections.push({
      id: 'recorded-assessment',
      heading: 'Needs and outcomes',
      caption: `Assessment completed ${byWhom(assessment)}`,
      rows: rowsOf(assessment, [
        'presentingNeeds',
        'ineligibleNeeds',
        'outcomes',
        'informalSupport',
        'equipmentConsidered',
      ]),
      ...(needs.length
        ? {
            table: {
              caption: 'Eligible needs',
              head: ['Need', 'Points'],
              rows: needs.map((n) => [n.need, String(n.points)]),
            },
          }
        : {}),
    });
  }

  const budget = detail.view.indicativeBudget;
  if (budget) {
    sections.push({
      id: 'recorded-indicative-budget',
      heading: 'Indicative budget',
      rows: [
        { key: 'Amount', value: `${poundsInWords(budget.amount)} a year` },
        { key: 'How it was worked out', value: plainWords(budget.basis) },
        { key: 'Worked out', value: dateInWords(budget.calculatedAt) },
        {
          key: 'Shared with the person',
          value: budget.sharedAt ? dateInWords(budget.sharedAt) : 'Not yet',
        },
        ...(budget.overridden
          ? [{ key: 'Set by a manager', value: `${budget.overridden.by}: ${budget.overridden.reason}` }]
          : []),
      ],
    });
  }

  const planEvent = latest('PLAN_SUBMITTED', 'REVIEW_COMPLETED');
  const revised = planEvent?.type === 'REVIEW_COMPLETED' ? planEvent.fields?.revisedPlan : undefined;
  const planHolder =
    planEvent?.type === 'PLAN_SUBMITTED' ? planEvent : revised ? planEvent : latest('PLAN_SUBMITTED');
  const plan = (planHolder?.type === 'PLAN_SUBMITTED' ? planHolder.fields?.plan : revised) as
    Record<string, unknown> | undefined;
  if (planHolder && plan) {
    const planForm = eventForms.get('PLAN_SUBMITTED')!;
    const planFields = planForm.fields.find((f) => f.key === 'plan')!.children!;
    sections.push({
      id: 'recorded-plan',
      heading: 'Care and support plan',
      caption: `${planHolder.type === 'PLAN_SUBMITTED' ? 'Submitted' : 'Revised at review'} ${byWhom(planHolder)}`,
      rows: valueRows({ ...planForm, fields: planFields }, plan).map(({ key, value }) => ({ key, value })),
    });
  }

  const signOff = latest('PLAN_SIGNED_OFF');
  if (signOff?.fields) {
    const management = plan?.budgetManagement as string[] | undefined;
    sections.push({
      id: 'recorded-budget',
      heading: 'Personal budget, signed off',
      caption: `Signed off ${byWhom(signOff)}`,
      rows: [
        ...rowsOf(signOff, ['finalBudget']),
        ...(management?.length
          ? [
              {
                key: 'How it is managed',
                value: management.map((m) => choiceInWords(m, 'budgetManagement')).join(', '),
              },
            ]
          : []),
        ...rowsOf(signOff, [
          'costing',
          'mismatchReason',
          'agreedBy',
          'copyTo',
          'accessibleFormat',
          'withDispute',
        ]),
      ],
    });
  }

  const activated = latest('SERVICES_ACTIVATED');
  const review = latest('REVIEW_COMPLETED');
  const reviewDeadlines = detail.view.deadlines.filter(
    (d) =>
      isOpen(d) && ['firstReview', 'annualReview', 'unscheduledReview', 'informalReview'].includes(d.kind),
  );
  if (activated || review || reviewDeadlines.length) {
    sections.push({
      id: 'recorded-reviews',
      heading: 'Reviews',
      rows: [
        ...(activated?.fields
          ? [
              { key: 'Services started', value: dateInWords(activated.occurredAt) },
              {
                key: 'First review agreed with the person for',
                value: dateInWords(String(activated.fields.firstReviewAgreedFor)),
              },
            ]
          : []),
        ...(review?.fields
          ? [
              {
                key: 'Last review',
                value: `${dateInWords(review.occurredAt)}: ${choiceInWords(String(review.fields.outcome), 'outcome')}`,
              },
              ...(typeof review.fields.nextReviewOn === 'string'
                ? [{ key: 'Next review agreed for', value: dateInWords(review.fields.nextReviewOn) }]
                : []),
            ]
          : []),
        ...reviewDeadlines.map((d) => ({
          key: kindFacts(d.kind)?.words ?? plainWords(d.description),
          value: `Due by ${dueInWords(d.dueAt)}`,
        })),
      ],
    });
  }
  return sections;
}

export interface CasePageOptions {
  detail: JourneyDetail;
  recorded: RecordedEvents | undefined;
  correspondence: Correspondence | undefined;
  now: Date;
  holidays: ReadonlySet<string>;
  role: Role;
  newEventId: string;
}

export function casePageModel({
  detail,
  recorded,
  correspondence,
  now,
  holidays,
  role,
  newEventId,
}: CasePageOptions) {
  const { view } = detail;
  const deadlineById = new Map(view.deadlines.map((d) => [d.id, d]));
  const kindOfStep = (s: NextStep) => (s.deadlineId ? deadlineById.get(s.deadlineId)?.kind : undefined);
  const left = (d: Deadline) =>
    timeLeft(d.status === 'overdue' ? d.overdueAt : d.dueAt, d.kind, now, holidays);

  const deadlines = view.deadlines.map((d) => ({
    id: d.id,
    kind: d.kind,
    ruleId: d.ruleId,
    words: kindFacts(d.kind)?.words ?? plainWords(d.description),
    description: capitalised(plainWords(d.description)),
    status: statusWords[d.status],
    open: isOpen(d),
    due: dueInWords(d.dueAt),
    overdueAfter: d.overdueAt !== d.dueAt ? dueInWords(d.overdueAt) : undefined,
    left: isOpen(d) ? left(d) : '',
    closed: d.closedAt ? dateTimeInWords(d.closedAt) : undefined,
    late: d.status === 'metLate' || d.recordedLate === true,
  }));

  const mayRecord = (type: string) => offeredTo(type, role) && eventForms.has(type);
  const steps = view.nextSteps.map((s) => ({
    event: s.event,
    eventWords: eventInWords(s.event),
    what: stepInWords(s, stageName(view.stage)),
    ruleId: s.ruleId,
    due: dueInWords(s.dueBy),
    left: timeLeft(s.dueBy, kindOfStep(s), now, holidays),
    overdue: Date.parse(s.dueBy) <= now.getTime(),
    owner: ownerInWords(s.owner),
    allowedNow: s.allowedNow,
    mayRecord: s.allowedNow && mayRecord(s.event),
    notYet: (s.notYetBecause ?? []).map((r) => ({
      ruleId: r.ruleId,
      text: capitalised(plainWords(r.message)),
    })),
  }));
  // the step to lead with: the soonest the signed-in person can record now, else the soonest
  const lead = steps.find((s) => s.mayRecord) ?? steps[0];
  const leadForm: FormView | undefined = lead?.mayRecord
    ? formView(eventForms.get(lead.event)!, {}, [], newEventId)
    : undefined;

  const meets = new Map(steps.map((s) => [s.event, s]));
  const offered = view.allowedEvents.filter((t) => mayRecord(t) && t !== leadForm?.type);
  const groups = eventGroups
    .map((g) => ({
      heading: g.heading,
      events: g.events
        .filter((t) => offered.includes(t))
        .map((t) => ({
          type: t,
          title: eventInWords(t),
          href: `/cases/${encodeURIComponent(view.personId)}/events/${t}`,
          meets: meets.get(t) ? `${inSentence(meets.get(t)!.what)}, by ${meets.get(t)!.due}` : undefined,
        })),
    }))
    .filter((g) => g.events.length);
  const grouped = new Set(eventGroups.flatMap((g) => g.events as string[]));
  const ungrouped = offered.filter((t) => !grouped.has(t));
  if (ungrouped.length)
    groups.push({
      heading: 'Other',
      events: ungrouped.map((t) => ({
        type: t as never,
        title: eventInWords(t),
        href: `/cases/${encodeURIComponent(view.personId)}/events/${t}`,
        meets: undefined,
      })),
    });
  const notOffered = view.allowedEvents.filter((t) => eventForms.has(t) && !offeredTo(t, role));

  // this journey's events (a later journey's, R-REF-4, where the person has had several)
  const onTimeline = new Set(detail.timeline.map((e) => e.eventId));
  const all = recorded?.events.filter((e) => onTimeline.has(e.eventId)) ?? [];
  const current = Math.max(1, ...all.map((e) => e.journeyNumber));
  const events = all.filter((e) => e.journeyNumber === current);
  const fieldsOf = new Map(events.map((e) => [e.eventId, e]));

  const lateDeadlines = view.deadlines.filter((d) => d.status === 'metLate' || d.recordedLate);
  const timeline = [...detail.timeline].reverse().map((entry) => {
    const recordedEvent = fieldsOf.get(entry.eventId);
    const form = eventForms.get(entry.type);
    const details =
      form && recordedEvent?.fields
        ? valueRows(form, recordedEvent.fields).map(({ key, value }) => ({ key, value }))
        : [];
    const reached =
      entry.type === 'DEADLINE_REACHED' && recordedEvent?.fields?.deadlineId
        ? deadlineById.get(String(recordedEvent.fields.deadlineId))
        : undefined;
    return {
      eventId: entry.eventId,
      type: entry.type,
      title: eventInWords(entry.type),
      byline:
        entry.actor.role === 'system'
          ? `Care journeys, ${viaWords[entry.via] ?? 'by itself'}`
          : `${entry.actor.userId} (${choiceInWords(entry.actor.role).toLowerCase()})${viaWords[entry.via] ? `, ${viaWords[entry.via]}` : ''}`,
      occurredAt: entry.occurredAt,
      recordedLater:
        Date.parse(entry.recordedAt) - Date.parse(entry.occurredAt) > 60_000
          ? dateTimeInWords(entry.recordedAt)
          : undefined,
      moved: entry.from !== entry.to ? `${stageName(entry.from)} to ${stageName(entry.to)}` : undefined,
      budget: entry.budget ? `${poundsInWords(entry.budget.amount)} a year` : undefined,
      reached: reached ? capitalised(plainWords(reached.description)) : undefined,
      late: lateDeadlines
        .filter((d) => d.closedAt && d.closedAt === entry.occurredAt)
        .map((d) => ({ ruleId: d.ruleId, words: kindFacts(d.kind)?.words ?? plainWords(d.description) })),
      ruleIds: entry.ruleIds,
      details,
    };
  });

  const concerns = [
    ...(view.concerns.openComplaints
      ? [`${view.concerns.openComplaints} open complaint${view.concerns.openComplaints > 1 ? 's' : ''}`]
      : []),
    ...(view.concerns.safeguardingOpen ? ['a safeguarding concern is open'] : []),
    ...(view.concerns.inHospital ? ['in hospital'] : []),
    ...(view.concerns.advocacy === 'required'
      ? ['an advocate is needed and not yet arranged']
      : view.concerns.advocacy === 'arranged'
        ? ['an advocate is arranged']
        : []),
  ];

  const notices = correspondence?.notices.map((n) => {
    const deadline = deadlineById.get(n.deadlineId);
    return {
      sent: dateTimeInWords(n.sentAt),
      kind: capitalised(plainWords(n.kind)),
      to: n.sentTo.replace(/^manager:/, 'the manager of team ').replace(/^team:/, 'team '),
      about: deadline
        ? (kindFacts(deadline.kind)?.words ?? capitalised(plainWords(deadline.description)))
        : 'A deadline',
      ruleId: deadline?.ruleId,
    };
  });
  const letters = correspondence?.letters.map((l) => ({
    sent: dateTimeInWords(l.sentAt),
    title: l.title,
    ruleId: l.ruleId,
    to: l.recipients.join(', ') || 'No one (consent was not given)',
  }));

  const health = detail.health;
  return {
    detail,
    view,
    title: `Case ${view.personId}`,
    stage: view.closed ? 'Closed' : view.stageInWords,
    summaryRows: [
      { key: 'Stage', value: view.closed ? 'Closed' : view.stageInWords },
      ...(view.stageEnteredAt
        ? [{ key: 'In this stage since', value: dateInWords(view.stageEnteredAt) }]
        : []),
      { key: 'Team', value: view.team ?? 'Not allocated' },
      { key: 'Worker', value: view.allocatedWorker ?? 'Not allocated' },
      { key: 'Open concerns', value: concerns.length ? capitalised(concerns.join('; ')) : 'None' },
      {
        key: 'Waiting on',
        value: view.waitingOn
          ? `${capitalised(plainWords(choiceInWords(view.waitingOn.party).toLowerCase()))} since ${dateInWords(view.waitingOn.since)}`
          : 'Nobody outside the council',
      },
      ...(view.closed && view.closure
        ? [
            {
              key: 'Closed',
              value: `${dateInWords(view.closure.at)}: ${plainWords(choiceInWords(view.closure.reason).toLowerCase())}`,
            },
          ]
        : []),
    ],
    stuck: detail.stuck
      .filter((s) => s.kind === 'stage' || s.kind === 'waiting')
      .map((s) => capitalised(plainWords(s.why))),
    lead,
    leadForm,
    leadCheckFirst: leadForm ? checkedFirst(leadForm.type) : false,
    otherSteps: steps.filter((s) => s !== lead),
    groups,
    notOffered: notOffered.map((t) => eventInWords(t)),
    notAllowed: view.notAllowedNow
      .filter((n) => eventForms.has(n.type))
      .map((n) => ({
        words: eventInWords(n.type),
        reasons: n.reasons.map((r) => ({ ruleId: r.ruleId, text: capitalised(plainWords(r.message)) })),
      })),
    recordedSections: recorded ? recordedSections(events, detail) : undefined,
    openDeadlines: deadlines.filter((d) => d.open),
    closedDeadlines: deadlines.filter((d) => !d.open),
    timeline,
    refused: detail.refused.map((r) => ({
      words: r.type ? eventInWords(r.type) : 'An event',
      when: dateTimeInWords(r.recordedAt),
      reasons: r.reasons.map((x) => ({ ruleId: x.ruleId, text: capitalised(plainWords(x.message)) })),
    })),
    letters,
    notices,
    health: {
      healthy: health.healthy,
      rows: [
        { key: 'Working normally', value: health.healthy ? 'Yes' : 'No' },
        {
          key: 'Started',
          value: `${dateTimeInWords(health.startedAt)} (${health.historyLength.toLocaleString('en-GB')} steps recorded)`,
        },
        {
          key: 'Work in progress',
          value: health.pendingActivities.length
            ? health.pendingActivities
                .map(
                  (a) =>
                    `${capitalised(plainWords(a.activityType).toLowerCase())}: attempt ${a.attempt}${a.lastFailure ? `, last failure: ${plainWords(a.lastFailure)}` : ''}`,
                )
                .join('; ')
            : 'None',
        },
        {
          key: 'Problems',
          value:
            [health.technicalIssue, ...health.reportedProblems]
              .filter((p): p is string => !!p)
              .map((p) => plainWords(p))
              .join('; ') || 'None',
        },
      ],
    },
  };
}

/** The page of one event's form: the form, what it meets, and why it cannot be recorded if it cannot. */
export function formPageModel(options: {
  detail: JourneyDetail;
  type: string;
  typed: Typed;
  problems: FormProblem[];
  role: Role;
  newEventId: string;
  now: Date;
  holidays: ReadonlySet<string>;
}) {
  const { detail, type, typed, problems, role, newEventId, now, holidays } = options;
  const form = eventForms.get(type)!;
  const step = detail.view.nextSteps.find((s) => s.event === type);
  const deadline = step?.deadlineId ? detail.view.deadlines.find((d) => d.id === step.deadlineId) : undefined;
  const refused = detail.view.notAllowedNow.find((n) => n.type === type);
  return {
    view: detail.view,
    title: form.title,
    form: formView(form, typed, problems, newEventId),
    errors: problems.map((p) => ({ text: p.ruleId ? `${p.text} (${p.ruleId})` : p.text, href: p.href })),
    meets: step
      ? {
          what: stepInWords(step, stageName(detail.view.stage)),
          ruleId: step.ruleId,
          due: dueInWords(step.dueBy),
          left: timeLeft(step.dueBy, deadline?.kind, now, holidays),
        }
      : undefined,
    mayRecord: offeredTo(type, role),
    allowedNow: detail.view.allowedEvents.includes(type),
    notYet:
      refused?.reasons.map((r) => ({ ruleId: r.ruleId, text: capitalised(plainWords(r.message)) })) ?? [],
    onlyFor: offeredTo(type, role)
      ? undefined
      : role === 'auditor'
        ? 'You are signed in as an auditor: you can read everything and record nothing.'
        : `Only ${['manager', 'integration']
            .filter((r) => offeredTo(type, r as Role))
            .map((r) => `a ${choiceInWords(r).toLowerCase()}`)
            .join(' or ')} can record this.`,
  };
}
