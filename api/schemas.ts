import { z } from 'zod';
import { controlCharacterMessage, withoutControlCharacters } from '../machines/events';
import {
  deadlineKinds,
  type Deadline,
  type JourneyView,
  type RefusedEntry,
  type TimelineEntry,
} from '../machines/types';

/**
 * The shapes the API answers with, as zod schemas: Fastify serialises responses through them,
 * @fastify/swagger documents them at /docs, and the CLI validates what it receives with them.
 * They mirror machines/types.ts; the route handlers only type-check while the two agree.
 */

export const deadlineKindSchema = z.enum(deadlineKinds);

/**
 * Person ids become workflow ids and visibility query values, so they are limited to letters,
 * digits and . _ : - (every council id scheme we know fits). One with a control character in it
 * (a NUL from %00 in a path) is refused saying so.
 */
export const personIdSchema = z
  .string()
  .refine((id) => !/\p{Cc}/u.test(id), {
    error: (issue) => controlCharacterMessage(issue.input),
    abort: true,
  })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'a person id is 1-100 letters, digits, ".", "_", ":" or "-"')
  .describe('The person the journey is for (the workflow id is derived from it)');

export const refusalSchema = z
  .object({
    ruleId: z.string().optional().describe('the JOURNEY.md rule that refused it, where a rule did'),
    message: z.string().describe('what is wrong and how to put it right'),
    field: z
      .string()
      .optional()
      .describe(
        'the field of the event it is about, as a path (e.g. plan.stayingInControl), where it is about one',
      ),
    accepted: z.string().optional().describe('what would be accepted instead, where that can be said'),
  })
  .meta({ id: 'Refusal', description: 'Why an event cannot happen now, the rule behind it, and the fix' });

/**
 * One error format for every answer that is not a success:
 *   { error: "one sentence", problems?: ["path: what is wrong", ...], reasons?: [{ ruleId, message }] }
 * `problems` lists every validation problem; `reasons` says why the journey refused an event,
 * with the rule behind each reason; `conflict` names both events when an eventId was already used
 * for a different one (R-TIM-3).
 */
/** R-TIM-3: an eventId already used for a different event — both named. */
export const eventConflictSchema = z
  .object({
    eventId: z.string(),
    earlier: z
      .object({ type: z.string(), occurredAt: z.string() })
      .describe('the event the id was first used for (the one applied)'),
    attempted: z.object({ type: z.string(), occurredAt: z.string() }).describe('the event just sent'),
  })
  .meta({ id: 'EventConflict', description: 'R-TIM-3: an eventId names one event' });

/** One thing wrong with a request (a 400), with its field and what would be accepted (api/problems.ts). */
export const problemSchema = z
  .object({
    field: z
      .string()
      .describe(
        'the field, as a path (e.g. plan.optionsConsidered[1].reason); body, querystring or params for the part as a whole',
      ),
    message: z.string().describe('what is wrong with it, and how to put it right'),
    accepted: z
      .string()
      .optional()
      .describe('what would be accepted, e.g. "one of: routine, urgent, emergency"'),
  })
  .meta({ id: 'Problem', description: 'What is wrong with one field of the request, and the fix' });

export const errorBodySchema = z
  .object({
    error: z.string().describe('what went wrong and what to do, in one sentence'),
    problems: z
      .array(problemSchema)
      .optional()
      .describe('400 only: every problem with the request, each with its field'),
    reasons: z.array(refusalSchema).optional(),
    conflict: eventConflictSchema
      .optional()
      .describe('409 only: the eventId was already used for a different event (R-TIM-3)'),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const deadlineSchema = z
  .object({
    id: z.string(),
    kind: deadlineKindSchema,
    ruleId: z.string(),
    description: z.string(),
    dueAt: z.string(),
    overdueAt: z.string(),
    startedFrom: z.string(),
    effect: z.enum(['obligation', 'effective']),
    status: z.enum(['due', 'overdue', 'met', 'metLate', 'cancelled', 'takenEffect']),
    closedAt: z.string().optional(),
    flaggedOverdueAt: z
      .string()
      .optional()
      .describe('R-TIM-2: when the journey flagged it overdue; kept after it is met or cancelled'),
    recordedLate: z
      .boolean()
      .optional()
      .describe('R-TIM-2: met by its real date, but recorded after the journey had flagged it overdue'),
  })
  .meta({ id: 'Deadline' });

export const nextStepOwnerSchema = z
  .object({
    kind: z
      .enum(['worker', 'team', 'dutyWorker', 'system'])
      .describe(
        "worker: the allocated worker; team: the team (no worker allocated); dutyWorker: the duty worker of the duty team the council's policy profile names (the case is unallocated); system: the journey's own system event (the RAS's answer)",
      ),
    id: z.string().describe("the worker's, team's, duty worker's or system's id"),
    team: z.string().optional().describe('the team it falls to, where there is one'),
  })
  .meta({ id: 'NextStepOwner', description: 'Who must take a next step' });

export const nextStepSchema = z
  .object({
    because: z
      .enum(['deadline', 'stageLimit', 'waiting'])
      .describe(
        'deadline: an open deadline; stageLimit: the time the policy profile allows in this stage; waiting: the time it allows waiting on someone outside',
      ),
    what: z.string().describe('what it meets, in words'),
    ruleId: z.string().optional().describe("the JOURNEY.md rule behind it (a deadline's)"),
    deadlineId: z.string().optional().describe("because 'deadline': the deadline's id"),
    event: z.string().describe('the event type that would meet it'),
    allowedNow: z.boolean().describe('whether the journey accepts that event now'),
    notYetBecause: z.array(refusalSchema).optional().describe('not allowed now: what must happen first'),
    owner: nextStepOwnerSchema,
    dueBy: z
      .string()
      .describe(
        "ISO instant (UTC) it must be done by: the deadline's due date, or when the case counts as stuck",
      ),
    overdueSince: z.string().optional().describe("because 'deadline': when it fell overdue, if it has"),
  })
  .meta({
    id: 'NextStep',
    description: 'What must happen next to meet a deadline or unstick the case: the event, who, and by when',
  });

export const indicativeBudgetViewSchema = z
  .object({
    amount: z.number().describe('pounds a year'),
    basis: z.string().describe("how it was worked out (the RAS's basis, or the manager's reason)"),
    calculatedAt: z
      .string()
      .describe('ISO instant it was worked out, dated by the event that caused it (the assessment)'),
    sharedAt: z.string().optional().describe('R-IB-3: when it was shared with the person'),
    overridden: z
      .object({ by: z.string(), reason: z.string(), replacedAmount: z.number().optional() })
      .optional()
      .describe('R-IB-2: set by a manager instead of the RAS'),
  })
  .meta({ id: 'IndicativeBudget', description: 'R-IB-2 / R-IB-3: the indicative budget' });

export const journeyViewSchema = z
  .object({
    personId: z.string(),
    subject: z.enum(['person', 'carer']),
    council: z.string(),
    stage: z.string(),
    stageInWords: z.string(),
    stageEnteredAt: z.string().optional(),
    closed: z.boolean(),
    closure: z
      .object({
        reason: z.string(),
        at: z.string(),
        dateOfDeath: z.iso
          .date()
          .optional()
          .describe('R-DTH-1: the date of death, where the journey closed on a death'),
      })
      .optional(),
    team: z.string().optional(),
    allocatedWorker: z.string().optional(),
    concerns: z.object({
      openComplaints: z.number(),
      safeguardingOpen: z.boolean(),
      inHospital: z.boolean(),
      advocacy: z.enum(['notNeeded', 'required', 'arranged']),
    }),
    waitingOn: z.object({ party: z.string(), since: z.string() }).optional(),
    deadlines: z.array(deadlineSchema),
    indicativeBudget: indicativeBudgetViewSchema.optional(),
    nextSteps: z
      .array(nextStepSchema)
      .describe('what must happen next, soonest due first: each open deadline, the stage limit, a wait'),
    allowedEvents: z
      .array(z.string())
      .describe(
        'events that meet an open deadline first (soonest due first), then the other next steps, then the rest',
      ),
    notAllowedNow: z.array(z.object({ type: z.string(), reasons: z.array(refusalSchema) })),
  })
  .meta({ id: 'JourneyView' });
export type JourneyViewBody = z.infer<typeof journeyViewSchema>;

export const timelineEntrySchema = z
  .object({
    eventId: z.string(),
    type: z.string(),
    actor: z.object({ userId: z.string(), role: z.string() }),
    occurredAt: z.string(),
    recordedAt: z.string(),
    ruleIds: z.array(z.string()),
    from: z.string(),
    to: z.string(),
    via: z.enum(['update', 'signal', 'timer', 'system']),
    budget: z
      .object({ amount: z.number(), basis: z.string(), calculatedAt: z.string() })
      .optional()
      .describe('INDICATIVE_BUDGET_CALCULATED / _OVERRIDDEN: the figure it set (pounds a year)'),
  })
  .meta({ id: 'TimelineEntry' });

export const refusedEntrySchema = z
  .object({
    eventId: z.string().optional(),
    type: z.string().optional(),
    recordedAt: z.string(),
    via: z
      .enum(['signal', 'system', 'update'])
      .describe(
        "signal: delivered by signal and refused; system: the journey's own system event (the RAS's answer) that it could not apply; update: accepted by the Update's validator but could not be applied",
      ),
    reasons: z.array(refusalSchema),
  })
  .meta({ id: 'RefusedEntry' });

/**
 * Compile-time check: a field added to these machine types must be added to their schemas too,
 * or the response serialiser would silently drop it.
 */
type Undocumented<T, S extends z.ZodType> = Exclude<keyof T, keyof z.output<S>>;
type UndocumentedFields =
  | Undocumented<JourneyView, typeof journeyViewSchema>
  | Undocumented<Deadline, typeof deadlineSchema>
  | Undocumented<TimelineEntry, typeof timelineEntrySchema>
  | Undocumented<RefusedEntry, typeof refusedEntrySchema>;
const _everyFieldDocumented: [UndocumentedFields] extends [never] ? true : UndocumentedFields = true;
void _everyFieldDocumented;

export const journeyOutlineSchema = journeyViewSchema.omit({ notAllowedNow: true }).meta({
  id: 'JourneyOutline',
  description:
    'The journey after the event, without the reasons for what is not allowed now (GET /journeys/{personId} has those)',
});

export const applyEventResultSchema = z
  .object({
    status: z
      .enum(['applied', 'duplicate'])
      .describe('duplicate: this eventId was applied before; nothing changed'),
    eventId: z.string(),
    view: journeyOutlineSchema,
  })
  .meta({ id: 'ApplyEventResult' });
export type ApplyEventResultBody = z.infer<typeof applyEventResultSchema>;

export const referralResultSchema = applyEventResultSchema
  .extend({
    journeyOpened: z
      .boolean()
      .describe('true: this referral opened a new journey; false: recorded on the open one (R-REF-4)'),
  })
  .meta({ id: 'ReferralResult' });
export type ReferralResultBody = z.infer<typeof referralResultSchema>;

/** The four meanings of "stuck" (operations issue §1). */
export const stuckKinds = ['overdue', 'stage', 'waiting', 'technical'] as const;
export type StuckKind = (typeof stuckKinds)[number];
export const stuckReasonSchema = z
  .object({ kind: z.enum(stuckKinds), why: z.string() })
  .meta({ id: 'StuckReason', description: 'One reason the case counts as stuck, in words' });
export type StuckReason = z.infer<typeof stuckReasonSchema>;

export const journeyRowSchema = z
  .object({
    personId: z.string(),
    stage: z.string().optional(),
    stageInWords: z.string().optional(),
    team: z.string().optional(),
    worker: z.string().optional(),
    nextDeadlineAt: z.string().optional(),
    nextDeadlineKind: z.string().optional(),
    overdueSince: z.string().optional(),
    overdueKinds: z.array(z.string()),
    waitingOn: z.string().optional(),
    lastEventAt: z.string().optional(),
    openComplaint: z.boolean(),
    safeguardingOpen: z.boolean(),
    stuck: z.array(stuckReasonSchema),
    nextStep: nextStepSchema
      .pick({ because: true, what: true, event: true, owner: true, dueBy: true })
      .extend({
        overdue: z.boolean().describe('the deadline is overdue, or the stage or wait is past its limit'),
      })
      .optional()
      .describe(
        'the one thing to do next, from the search attributes: an overdue deadline first, else the soonest due (whether it is allowed now: GET /journeys/{personId})',
      ),
  })
  .meta({ id: 'JourneyRow', description: 'One open journey as the visibility store sees it' });
export type JourneyRow = z.infer<typeof journeyRowSchema>;

export const journeyListSchema = z
  .object({
    journeys: z.array(journeyRowSchema).describe('longest overdue first, then by next deadline'),
    total: z.number().int().describe('how many journeys match, across all pages'),
    nextCursor: z.string().optional().describe('pass as ?cursor= for the next page; absent on the last page'),
    asOf: z
      .string()
      .describe('the instant "stuck" was judged against (kept across the pages of one listing)'),
    query: z.string().describe('the Temporal visibility query that selected the journeys'),
  })
  .meta({ id: 'JourneyList' });
export type JourneyList = z.infer<typeof journeyListSchema>;

const oldestOverdueSchema = z.object({
  personId: z.string(),
  overdueSince: z.string(),
  overdueKinds: z.array(z.string()),
  team: z.string().optional(),
});

export const overdueReportSchema = z
  .object({
    asOf: z.string(),
    totalOverdue: z.number().int(),
    byTeam: z.array(z.object({ team: z.string(), count: z.number().int(), oldest: oldestOverdueSchema })),
    byKind: z.array(z.object({ kind: z.string(), count: z.number().int(), oldest: oldestOverdueSchema })),
  })
  .meta({ id: 'OverdueReport' });
export type OverdueReport = z.infer<typeof overdueReportSchema>;

export const pendingActivitySchema = z.object({
  activityType: z.string(),
  state: z.string(),
  attempt: z.number().int(),
  maximumAttempts: z.number().int().describe('0: unlimited'),
  lastFailure: z.string().optional(),
  nextAttemptAt: z.string().optional(),
});

export const technicalHealthSchema = z
  .object({
    status: z.string().describe('Temporal execution status, e.g. RUNNING, COMPLETED'),
    runId: z.string(),
    startedAt: z.string(),
    closedAt: z.string().optional(),
    historyLength: z.number().int(),
    pendingActivities: z.array(pendingActivitySchema),
    workflowTaskAttempt: z
      .number()
      .int()
      .optional()
      .describe('above 1: the workflow task is failing and retrying'),
    reportedProblems: z.array(z.string()).describe('TemporalReportedProblems, set by the server'),
    technicalIssue: z
      .string()
      .optional()
      .describe('TechnicalIssue, set by the journey while an activity keeps failing'),
    healthy: z.boolean(),
  })
  .meta({ id: 'TechnicalHealth' });
export type TechnicalHealth = z.infer<typeof technicalHealthSchema>;

export const journeyDetailSchema = z
  .object({
    personId: z.string(),
    view: journeyViewSchema.describe(
      "the journey's own view; a journey that cannot answer yet gets 503 (JourneyUnavailable), never a missing view",
    ),
    timeline: z.array(timelineEntrySchema),
    refused: z
      .array(refusedEntrySchema)
      .describe(
        'events delivered by signal that the journey refused, and system events (the RAS answer) it could not apply',
      ),
    health: technicalHealthSchema,
    stuck: z.array(stuckReasonSchema),
  })
  .meta({ id: 'JourneyDetail' });
export type JourneyDetail = z.infer<typeof journeyDetailSchema>;

export const journeyUnavailableSchema = errorBodySchema
  .extend({
    health: technicalHealthSchema
      .optional()
      .describe(
        'what Temporal knows about the journey, when it could be asked (e.g. a failing workflow task)',
      ),
    stuck: z.array(stuckReasonSchema).optional(),
  })
  .describe(
    'The journey (or Temporal) cannot answer yet: ask again after Retry-After seconds. If the workflow task keeps ' +
      'failing (health.workflowTaskAttempt above 1), a manager can repair it: POST /journeys/{personId}/repair.',
  )
  .meta({ id: 'JourneyUnavailable' });
export type JourneyUnavailable = z.infer<typeof journeyUnavailableSchema>;

export const repairBodySchema = z
  .object({
    reason: withoutControlCharacters(z.string().min(1).max(500)).describe(
      'why the journey is being repaired; recorded on the reset in Temporal',
    ),
  })
  .strict()
  .meta({ id: 'RepairRequest' });

export const repairResultSchema = z
  .object({
    personId: z.string(),
    repaired: z.literal('reset').describe('reset to the last good workflow task'),
    previousRunId: z.string().describe('the wedged run, now terminated by the reset'),
    runId: z.string().describe('the run that carries on from the last good workflow task'),
    resetToEventId: z.number().int().describe('the WorkflowTaskCompleted event the run was reset to'),
    failedWorkflowTaskAttempt: z.number().int(),
    droppedSignals: z
      .array(
        z.object({
          eventId: z.number().int(),
          signalName: z.string(),
          receivedAt: z.string().optional(),
          input: z.string().optional().describe('the signal payload as sent (its first 2,000 characters)'),
        }),
      )
      .describe(
        'signals received since the last good workflow task, not replayed: send again the ones that were right',
      ),
  })
  .meta({ id: 'RepairResult' });
export type RepairResultBody = z.infer<typeof repairResultSchema>;

const componentStates = ['up', 'down'] as const;

/** The case-event store as a health check finds it: it answered `SELECT 1` within its time limit, or not. */
export const storeStateSchema = z
  .object({
    state: z.enum(componentStates),
    where: z.string().describe('which store: embedded (its folder) or a server (host:port/database)'),
    ms: z.number().int().optional().describe('how long it took to answer'),
    error: z.string().optional().describe('why it is down'),
  })
  .meta({ id: 'StoreState' });
export type StoreState = z.infer<typeof storeStateSchema>;

export const healthSchema = z
  .object({
    ok: z.boolean(),
    temporal: z.object({ reachable: z.boolean(), error: z.string().optional() }),
    worker: z.object({
      taskQueue: z.string(),
      polling: z
        .boolean()
        .describe(
          'a live worker polls both workflow and activity tasks (and the in-process one, if any, runs)',
        ),
      workflowPollers: z
        .number()
        .int()
        .describe('live workflow-task pollers: seen by Temporal within pollerWindowSeconds'),
      activityPollers: z.number().int().describe('live activity-task pollers, the same way'),
      stalePollers: z
        .number()
        .int()
        .describe(
          'pollers Temporal still lists but has not seen within the window: workers that died or stopped ' +
            '(Temporal keeps them listed for minutes); never counted as live',
        ),
      pollerWindowSeconds: z
        .number()
        .describe('a live worker polls again at least every minute (a long poll lasts up to 60 s)'),
      inProcess: z
        .object({ state: z.string().describe('the Temporal worker state, e.g. RUNNING, STOPPED, FAILED') })
        .optional()
        .describe("the start command's own worker, from the worker itself"),
      error: z.string().optional(),
    }),
    store: storeStateSchema
      .optional()
      .describe('the case-event store, asked within CARE_STORE_TIMEOUT_MS (absent: the API has none)'),
  })
  .describe(
    '200 when Temporal answers, a live worker polls and the case-event store answers; 503 (same body) when any does not',
  )
  .meta({ id: 'Health' });
export type Health = z.infer<typeof healthSchema>;

export const readinessSchema = z
  .object({
    ready: z.boolean().describe('every check is up (or not used: a store the API does not have)'),
    checks: z.object({
      store: storeStateSchema
        .extend({ state: z.enum([...componentStates, 'notConfigured']), where: z.string().optional() })
        .describe(
          'the case-event store answers within CARE_STORE_TIMEOUT_MS (notConfigured: the API lists from Temporal alone)',
        ),
      temporal: z
        .object({ state: z.enum(componentStates), error: z.string().optional() })
        .describe('Temporal answers (GetSystemInfo, within 1.5 s)'),
      worker: z
        .object({
          state: z.enum(componentStates),
          taskQueue: z.string(),
          workflowPollers: z.number().int().describe('live workflow-task pollers (DescribeTaskQueue)'),
          activityPollers: z.number().int().describe('live activity-task pollers'),
          error: z.string().optional(),
        })
        .describe(
          "a worker polls the task queue for workflow and activity tasks, seen by Temporal within the poller window (and the start command's own worker running)",
        ),
    }),
  })
  .describe('200 when every check is up; 503 (same body) when any is down')
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof readinessSchema>;

export const livenessSchema = z
  .object({
    live: z.literal(true),
    uptimeSeconds: z.number().int().describe('since this process started'),
  })
  .meta({ id: 'Liveness', description: 'The process answers: nothing else is asked' });

/** Issue 13: what the journey sent, from the case-event store (GET /journeys/{personId}/correspondence). */
export const correspondenceSchema = z
  .object({
    personId: z.string(),
    letters: z
      .array(
        z.object({
          letterId: z.string(),
          letter: z.string().describe('the kind of letter, e.g. decisionLetter'),
          title: z.string().describe('its title, as the person reads it'),
          ruleId: z.string().describe('the JOURNEY.md rule it is sent under'),
          recipients: z.array(z.string()),
          sentAt: z.string(),
        }),
      )
      .describe('letters sent, oldest first'),
    notices: z
      .array(
        z.object({
          notificationId: z.string(),
          deadlineId: z.string(),
          kind: z.string().describe('reminder or escalation'),
          sentTo: z.string(),
          sentAt: z.string(),
        }),
      )
      .describe('reminders and escalations sent about its deadlines, oldest first'),
  })
  .meta({ id: 'Correspondence', description: 'The letters, reminders and escalations a journey has sent' });
export type Correspondence = z.infer<typeof correspondenceSchema>;

/** What was recorded on a person's journeys: each accepted event with its fields, from the case record. */
export const recordedEventsSchema = z
  .object({
    personId: z.string(),
    events: z
      .array(
        z.object({
          eventId: z.string(),
          type: z.string(),
          occurredAt: z.string(),
          recordedAt: z.string(),
          actor: z.object({ userId: z.string(), role: z.string() }),
          journeyNumber: z
            .number()
            .int()
            .describe("which of the person's journeys it was recorded on (R-REF-4): 1 for the first"),
          fields: z
            .record(z.string(), z.unknown())
            // any of the event's own fields, as EventBody documents them for each type
            .meta({ additionalProperties: true })
            .optional()
            .describe(
              "the event's own fields as the journey applied it (each type's are in EventBody), without type, eventId, occurredAt and actor; absent for an entry written before the case record kept events",
            ),
        }),
      )
      .describe('oldest first'),
  })
  .meta({
    id: 'RecordedEvents',
    description: "Every event accepted on a person's journeys, with what it recorded",
  });
export type RecordedEvents = z.infer<typeof recordedEventsSchema>;
