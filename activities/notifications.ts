import type { Deadline } from '../machines/types';
import type { NoticeResolution } from '../workflows/notices';
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
  /**
   * R-TIM-2: present when this tells the managers an escalation reached that the deadline has
   * been resolved (met, met late or no longer applying); sent through escalateToManager.
   */
  resolution?: NoticeResolution;
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
      if (notice.resolution) {
        await outbox.writeOnce(
          'escalations',
          notice.notificationId,
          `To: ${notice.to}${notice.team ? ` (team ${notice.team})` : ''}\nResolved: ${resolutionWords(notice.resolution)}: ${line(notice)}\n`,
        );
        return;
      }
      await outbox.writeOnce(
        'escalations',
        notice.notificationId,
        `To: ${notice.to}${notice.team ? ` (team ${notice.team})` : ''}\nEscalation ${notice.escalation ?? 1}: OVERDUE since ${notice.deadline.overdueAt}: ${line(notice)}\n`,
      );
    },
  };
}

/** "met on 2026-03-04T10:00:00.000Z (recorded late, on …, after it had been flagged overdue)" */
export function resolutionWords(resolution: NoticeResolution): string {
  const how = {
    met: `met on ${resolution.closedAt}`,
    metLate: `met late, on ${resolution.closedAt}`,
    cancelled: `no longer applies (since ${resolution.closedAt})`,
  }[resolution.status];
  const recorded = resolution.recordedLate
    ? ` (recorded late, on ${resolution.recordedAt}, after it had been flagged overdue)`
    : '';
  return `${how}${recorded}`;
}
