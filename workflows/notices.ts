import { calendarOf } from '../machines/deadlines';
import type { JourneyContext } from '../machines/journeyContext';
import type { Deadline } from '../machines/types';

/**
 * Reminders before a deadline and escalations after it, worked out from the deadlines in the
 * snapshot and the profile (pure; the workflow sends each once, by id).
 */
export interface PlannedNotice {
  id: string;
  kind: 'reminder' | 'escalation' | 'resolved';
  /** ISO instant it is due to go out */
  at: string;
  deadline: Deadline;
  escalation?: number;
  /** kind 'resolved': how the escalated deadline was closed (R-TIM-2) */
  resolution?: NoticeResolution;
}

/** R-TIM-2: what the managers an escalation reached are told when the deadline is closed. */
export interface NoticeResolution {
  status: 'met' | 'metLate' | 'cancelled';
  /** when it was met or cancelled (the event's occurredAt: its real date) */
  closedAt: string;
  /** when it was recorded, after the journey had flagged it overdue */
  recordedAt: string;
  /** met by its real date, but recorded after the journey had flagged it overdue */
  recordedLate: boolean;
}

const resolvedStatuses = new Set(['met', 'metLate', 'cancelled']);

/**
 * R-TIM-2: the deadlines an applied event closed (met, met late or cancelled) that had been
 * escalated: a 'resolved' notice for each, to the same managers, at once. `escalated` says
 * whether an escalation of the deadline has gone out (been queued).
 */
export function resolutionNotices(
  before: Pick<JourneyContext, 'deadlines'>,
  after: Pick<JourneyContext, 'deadlines'>,
  escalated: (deadlineId: string) => boolean,
  recordedAt: string,
): PlannedNotice[] {
  const wasOverdue = new Set(before.deadlines.filter((d) => d.status === 'overdue').map((d) => d.id));
  return after.deadlines
    .filter((d) => wasOverdue.has(d.id) && resolvedStatuses.has(d.status) && escalated(d.id))
    .map((deadline) => ({
      id: `${deadline.id}:resolved`,
      kind: 'resolved' as const,
      at: recordedAt,
      deadline,
      resolution: {
        status: deadline.status as NoticeResolution['status'],
        closedAt: deadline.closedAt ?? recordedAt,
        recordedAt,
        recordedLate: deadline.recordedLate === true,
      },
    }));
}

/** The ids of a deadline's escalations (as plannedNotices names them), to ask which went out. */
export const escalationIdPrefix = (deadlineId: string): string => `${deadlineId}:escalation-`;

export function plannedNotices(context: JourneyContext): PlannedNotice[] {
  const calendar = calendarOf(context);
  const { notifications } = context.profile;
  const notices: PlannedNotice[] = [];
  for (const deadline of context.deadlines) {
    if (deadline.effect !== 'obligation') continue;
    if (deadline.status === 'due') {
      const lead =
        notifications.reminderLeadWorkingDays[deadline.kind] ?? notifications.defaultReminderLeadWorkingDays;
      const remindAt = calendar.workingDaysBefore(deadline.dueAt, lead);
      // A clock set late (an event recorded after the fact) still gets its reminder, at once.
      const at = Date.parse(remindAt) < Date.parse(deadline.startedFrom) ? deadline.startedFrom : remindAt;
      if (Date.parse(at) < Date.parse(deadline.overdueAt)) {
        notices.push({ id: `${deadline.id}:reminder`, kind: 'reminder', at, deadline });
      }
    }
    if (deadline.status === 'overdue') {
      // The first escalation when it falls overdue, then every N working days, up to the cap.
      // Issue 17: an imported journey's clock already overdue when it was set escalates from then
      // — once at the import, then the rhythm — not with every escalation it missed, all at once.
      const from =
        context.imported && Date.parse(deadline.overdueAt) < Date.parse(deadline.startedFrom)
          ? deadline.startedFrom
          : deadline.overdueAt;
      const overdueDay = calendar.londonDateOf(from);
      for (let k = 1; k <= notifications.maxEscalations; k++) {
        const at =
          k === 1
            ? from
            : calendar.startOfLondonDay(
                calendar.addWorkingDays(overdueDay, (k - 1) * notifications.escalationEveryWorkingDays),
              );
        notices.push({
          id: `${deadline.id}:escalation-${k}`,
          kind: 'escalation',
          at,
          deadline,
          escalation: k,
        });
      }
    }
  }
  return notices;
}
