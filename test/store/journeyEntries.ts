import type { CaseRecordEntry } from '../../activities/caseRecord';
import type { JourneyEvent } from '../../machines/events';
import { policyProfiles } from '../../machines/policyProfile';
import { newJourneyInput } from '../../workflows/definitions';
import { JourneyRun } from '../../workflows/journeyRun';
import { ev, referral } from '../support/journeyEvents';

/**
 * Case-record entries as a journey's workflow makes them, without Temporal: the workflow's own
 * JourneyRun applies the events (judged by the machine) and queues the entries its activities
 * would write. `now` moves with the events, so no test depends on today's date.
 */
export function entriesOf(
  personId: string,
  events: JourneyEvent[],
  options: {
    reachDeadlinesAt?: string;
    /** when the workflow task applying each event ran (its occurredAt unless given) */
    appliedAt?: (event: JourneyEvent, index: number) => string;
  } = {},
): { entries: CaseRecordEntry[]; run: JourneyRun } {
  const first = events[0]?.occurredAt ?? '2026-01-05T09:00:00.000Z';
  const config = { policyProfile: policyProfiles.derbyshire, extraBankHolidays: [] };
  const run = new JourneyRun(newJourneyInput(personId, 'person', config, new Date(first)), first);
  const entries: CaseRecordEntry[] = [];
  const collect = () => {
    for (const job of run.jobs) if (job.kind === 'caseRecord') entries.push(job.record);
    run.jobs = [];
  };
  for (const [index, event] of events.entries()) {
    const now = options.appliedAt?.(event, index) ?? event.occurredAt;
    const verdict = run.judge(event, now);
    if (verdict.kind !== 'accept') throw new Error(`${event.type} not accepted: ${JSON.stringify(verdict)}`);
    run.apply(verdict.event, 'update', now);
    collect();
  }
  if (options.reachDeadlinesAt) {
    run.reachDueDeadlines(options.reachDeadlinesAt);
    collect();
  }
  return { entries, run };
}

/** R-EMG-1: an emergency with interim support started on `interimAt`; the assessment must begin within 3 working days. */
export function emergencyEvents(interimAt: string, team = 'north', workerId = 'ann'): JourneyEvent[] {
  const at = (hours: number) => new Date(Date.parse(interimAt) + hours * 3_600_000).toISOString();
  return [
    referral(at(-4), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', at(-3), { team, workerId }),
    ev('TRIAGED', at(-2), { route: 'emergencyInterimSupport', reason: 'Carer admitted to hospital' }),
    ev('INTERIM_SUPPORT_STARTED', at(0), {
      services: ['home care twice daily'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ];
}
