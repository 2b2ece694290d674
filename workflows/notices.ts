import { calendarOf } from '../machines/deadlines';
import type { JourneyContext } from '../machines/journeyContext';
import type { Deadline } from '../machines/types';

/**
 * Reminders before a deadline and escalations after it, worked out from the deadlines in the
 * snapshot and the profile (pure; the workflow sends each once, by id).
 */
export interface PlannedNotice {
  id: string;
  kind: 'reminder' | 'escalation';
  /** ISO instant it is due to go out */
  at: string;
  deadline: Deadline;
  escalation?: number;
}

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
      const overdueDay = calendar.londonDateOf(deadline.overdueAt);
      for (let k = 1; k <= notifications.maxEscalations; k++) {
        const at =
          k === 1
            ? deadline.overdueAt
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
