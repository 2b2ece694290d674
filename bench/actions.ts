import { temporal } from '@temporalio/proto';
import { optionalTsToMs } from '@temporalio/common/lib/time';

/**
 * Temporal Cloud billable actions, counted from a workflow's event history (see README.md for
 * the rule). Queries and rejected Updates bill too but leave no trace in history; they are counted
 * by the driver where it makes them.
 */

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Event type number → name (protobufjs enums map both ways). */
export const eventTypeNames = temporal.api.enums.v1.EventType as unknown as Record<number, string>;

export const actionKinds = [
  'workflowStarts',
  'updates',
  'signals',
  'timers',
  'activities',
  'localActivities',
  'searchAttributeUpserts',
  'childWorkflowStarts',
] as const;
export type ActionKind = (typeof actionKinds)[number];
export type ActionCounts = Record<ActionKind, number> & {
  total: number;
  /** not billed separately: the new run's start is the action (in workflowStarts) */
  continueAsNew: number;
  /** a local-activity marker was recorded in the current workflow task (counted once a task) */
  localActivityInTask: boolean;
  /** for context, not billed: history events and workflow tasks */
  historyEvents: number;
  workflowTasks: number;
};

export function emptyCounts(): ActionCounts {
  return {
    workflowStarts: 0,
    updates: 0,
    signals: 0,
    timers: 0,
    activities: 0,
    localActivities: 0,
    searchAttributeUpserts: 0,
    childWorkflowStarts: 0,
    total: 0,
    continueAsNew: 0,
    localActivityInTask: false,
    historyEvents: 0,
    workflowTasks: 0,
  };
}

/** The enum's names, without the EVENT_TYPE_ prefix, e.g. TIMER_STARTED (works for names and numbers). */
function typeName(event: HistoryEvent, names: Record<number, string> = eventTypeNames): string {
  const t = event.eventType as unknown;
  const name = typeof t === 'number' ? (names[t] ?? String(t)) : String(t);
  return name.replace(/^EVENT_TYPE_/, '');
}

/** Adds one history event's actions to `counts`. */
export function countEvent(
  counts: ActionCounts,
  event: HistoryEvent,
  names: Record<number, string> = eventTypeNames,
): void {
  counts.historyEvents++;
  const add = (kind: ActionKind, n = 1) => {
    counts[kind] += n;
    counts.total += n;
  };
  switch (typeName(event, names)) {
    case 'WORKFLOW_EXECUTION_STARTED':
      return add('workflowStarts');
    case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
      return add('updates');
    case 'WORKFLOW_EXECUTION_SIGNALED':
    case 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED':
      return add('signals');
    case 'TIMER_STARTED':
      return add('timers');
    case 'ACTIVITY_TASK_SCHEDULED':
      return add('activities');
    case 'ACTIVITY_TASK_STARTED': {
      // each retry is an action too (the started event carries the final attempt number)
      const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
      if (attempt > 1) add('activities', attempt - 1);
      return;
    }
    case 'MARKER_RECORDED':
      // Temporal Cloud bills the local activities of one workflow task as one action. Their
      // markers follow the task's WorkflowTaskCompleted; patch markers ('core_patch') are free.
      if (event.markerRecordedEventAttributes?.markerName !== LOCAL_ACTIVITY_MARKER) return;
      if (!counts.localActivityInTask) add('localActivities');
      counts.localActivityInTask = true;
      return;
    case 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES':
      return add('searchAttributeUpserts');
    case 'START_CHILD_WORKFLOW_EXECUTION_INITIATED':
      return add('childWorkflowStarts');
    case 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW':
      counts.continueAsNew++;
      return;
    case 'WORKFLOW_TASK_COMPLETED':
      counts.workflowTasks++;
      counts.localActivityInTask = false;
      return;
  }
}

/** The marker name sdk-core gives a local activity's result in history. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export function eventTimeMs(event: HistoryEvent): number {
  return optionalTsToMs(event.eventTime) ?? Number.NaN;
}

export function countHistory(history: History, names: Record<number, string> = eventTypeNames): ActionCounts {
  const counts = emptyCounts();
  for (const event of history.events ?? []) countEvent(counts, event, names);
  return counts;
}

/** Per-type counts of a history's events, e.g. { TIMER_STARTED: 12 } (for the report). */
export function eventTypeCounts(
  history: History,
  names: Record<number, string> = eventTypeNames,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const name = typeName(event, names);
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}
