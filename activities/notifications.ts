import type { Deadline } from '../machines/types';
import type { Outbox } from './outbox';

export interface DeadlineNotice {
  notificationId: string;
  personId: string;
  deadline: Deadline;
  /** who it goes to: the allocated worker, or the team's manager */
  to: string;
  team: string | undefined;
  /** 1, 2, … for escalations */
  escalation?: number;
}

/** Where reminders and escalations go. A council replaces this with e-mail, Teams, its case system … */
export interface Notifier {
  notifyPractitioner(notice: DeadlineNotice): Promise<void>;
  escalateToManager(notice: DeadlineNotice): Promise<void>;
}

export function outboxNotifier(outbox: Outbox): Notifier {
  const line = (notice: DeadlineNotice) =>
    `${notice.deadline.description} (${notice.deadline.ruleId}) for ${notice.personId}: due ${notice.deadline.dueAt}`;
  return {
    async notifyPractitioner(notice) {
      await outbox.writeOnce(
        'notifications',
        notice.notificationId,
        `To: ${notice.to}\nReminder: ${line(notice)}\n`,
      );
    },
    async escalateToManager(notice) {
      await outbox.writeOnce(
        'escalations',
        notice.notificationId,
        `To: ${notice.to}${notice.team ? ` (team ${notice.team})` : ''}\nEscalation ${notice.escalation ?? 1}: OVERDUE since ${notice.deadline.overdueAt}: ${line(notice)}\n`,
      );
    },
  };
}
