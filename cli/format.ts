import type {
  ApplyEventResultBody,
  Health,
  JourneyDetail,
  JourneyList,
  JourneyUnavailable,
  JourneyViewBody,
  OverdueReport,
  ReferralResultBody,
  RepairResultBody,
  StuckReason,
  TechnicalHealth,
} from '../api/schemas';

/**
 * What operations staff read: plain aligned tables and short pages, times in UK local time with
 * their zone (GMT or BST; the API answers in UTC). Pure functions from API answers to text, so they
 * are tested without a server.
 */

/** Columns padded to their widest cell, two spaces apart; no trailing spaces. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/**
 * "2026-01-05 09:30 GMT" (or BST in summer) in Europe/London, or "-" when there is no instant: every
 * time carries its zone. A date without a time ("2026-01-05") is a date and stays one.
 */
export function when(iso: string | undefined): string {
  if (!iso) return '-';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = Object.fromEntries(londonParts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

const poundsFormat = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
/** "£9,360.00" */
export const pounds = (amount: number): string => poundsFormat.format(amount);

type Owner = JourneyViewBody['nextSteps'][number]['owner'];

/** Who must do it, in words: "ann (worker, team north)", "duty-worker.x (duty worker, team x-duty)". */
export function ownerInWords(owner: Owner): string {
  const team = owner.team && owner.kind !== 'team' ? `, team ${owner.team}` : '';
  switch (owner.kind) {
    case 'worker':
      return `${owner.id} (worker${team})`;
    case 'team':
      return `team ${owner.id} (no worker allocated)`;
    case 'dutyWorker':
      return `${owner.id} (duty worker${team}; unallocated)`;
    case 'system':
      return `${owner.id} (system)`;
  }
}

/** A list row's one next step: "ASSESSMENT_STARTED by ann (worker, team north) by … OVERDUE". */
function rowNextStepInWords(step: JourneyList['journeys'][number]['nextStep']): string {
  if (!step) return '-';
  return `${step.event} by ${ownerInWords(step.owner)}, by ${when(step.dueBy)}${step.overdue ? ' OVERDUE' : ''}`;
}

const dash = (value: string | undefined) => value || '-';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const why = (stuck: StuckReason[]) => stuck.map((s) => `${s.kind}: ${s.why}`).join('; ');

/** A page of journeys; `nextPage` is the command that shows the next one. */
export function formatJourneyList(list: JourneyList, nextPage?: (cursor: string) => string): string {
  if (list.total === 0) return 'No journeys match.';
  const rows = list.journeys.map((j) => [
    j.personId,
    dash(j.stage),
    dash(j.team),
    dash(j.worker),
    when(j.overdueSince),
    j.overdueKinds.join(',') || '-',
    j.nextDeadlineAt ? `${when(j.nextDeadlineAt)} ${dash(j.nextDeadlineKind)}` : '-',
    why(j.stuck) || '-',
    rowNextStepInWords(j.nextStep),
  ]);
  const out = [
    table(
      [
        'PERSON',
        'STAGE',
        'TEAM',
        'WORKER',
        'OVERDUE SINCE',
        'OVERDUE KINDS',
        'NEXT DEADLINE',
        'WHY STUCK',
        'NEXT STEP',
      ],
      rows,
    ),
    '',
    `${list.journeys.length} of ${plural(list.total, 'journey')} (as of ${when(list.asOf)})`,
  ];
  if (list.nextCursor)
    out.push(`next page: ${nextPage ? nextPage(list.nextCursor) : `--cursor ${list.nextCursor}`}`);
  return out.join('\n');
}

const deadlineStatusWords: Record<string, string> = {
  due: 'due',
  overdue: 'OVERDUE',
  met: 'met',
  metLate: 'met late',
  cancelled: 'cancelled',
  takenEffect: 'took effect',
};

function concernsInWords(concerns: JourneyViewBody['concerns']): string {
  const words = [
    concerns.openComplaints ? plural(concerns.openComplaints, 'open complaint') : '',
    concerns.safeguardingOpen ? 'safeguarding concern open' : '',
    concerns.inHospital ? 'in hospital' : '',
    concerns.advocacy === 'required' ? 'advocate required, not yet arranged' : '',
    concerns.advocacy === 'arranged' ? 'advocate arranged' : '',
  ].filter(Boolean);
  return words.join(', ') || 'none';
}

function healthInWords(health: TechnicalHealth): string[] {
  const lines = [
    `${health.healthy ? 'healthy' : 'NOT HEALTHY'}: workflow ${health.status}, ${plural(health.historyLength, 'history event')}, started ${when(health.startedAt)}${health.closedAt ? `, closed ${when(health.closedAt)}` : ''}`,
  ];
  if (health.workflowTaskAttempt && health.workflowTaskAttempt > 1) {
    lines.push(`workflow task failing: attempt ${health.workflowTaskAttempt}`);
  }
  if (health.reportedProblems.length) lines.push(`Temporal reports: ${health.reportedProblems.join(', ')}`);
  if (health.technicalIssue) lines.push(`keeps failing: ${health.technicalIssue}`);
  if (health.pendingActivities.length) {
    lines.push(
      '',
      table(
        ['ACTIVITY', 'STATE', 'ATTEMPT', 'NEXT ATTEMPT', 'LAST FAILURE'],
        health.pendingActivities.map((a) => [
          a.activityType,
          a.state,
          `${a.attempt}${a.maximumAttempts ? `/${a.maximumAttempts}` : ''}`,
          when(a.nextAttemptAt),
          dash(a.lastFailure),
        ]),
      ),
    );
  }
  return lines;
}

/** Comma-separated words, wrapped to lines of at most `width` characters. */
export function wrapList(words: string[], width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, word] of words.entries()) {
    const item = i < words.length - 1 ? `${word},` : word;
    if (line && line.length + 1 + item.length > width) {
      lines.push(line);
      line = item;
    } else {
      line = line ? `${line} ${item}` : item;
    }
  }
  return [...lines, line].join('\n');
}

/**
 * Events not allowed now, grouped by reason: most share one ("not allowed at this stage"), and a
 * page of thirty identical lines would hide the few reasons that matter.
 */
function notAllowedInWords(notAllowed: JourneyViewBody['notAllowedNow']): string {
  const groups = new Map<string, string[]>();
  for (const { type, reasons } of notAllowed) {
    const why = reasons
      .map((r) => `${r.message.replaceAll(type, 'this event')}${r.ruleId ? ` [${r.ruleId}]` : ''}`)
      .join('; ');
    groups.set(why, [...(groups.get(why) ?? []), type]);
  }
  return [...groups].map(([why, types]) => `${wrapList(types)}\n  why: ${why}`).join('\n');
}

/** The next steps of `care show`: what, the event, who, by when, and whether it can be sent now. */
function nextStepsInWords(steps: JourneyViewBody['nextSteps']): string {
  return table(
    ['BY', 'EVENT', 'WHO', 'NOW', 'WHAT'],
    steps.map((step) => [
      `${when(step.dueBy)}${step.overdueSince ? ' OVERDUE' : ''}`,
      step.event,
      ownerInWords(step.owner),
      step.allowedNow
        ? 'allowed'
        : `not yet: ${(step.notYetBecause ?? []).map((r) => r.message).join('; ') || 'not at this stage'}`,
      `${step.what}${step.ruleId ? ` [${step.ruleId}]` : ''}`,
    ]),
  );
}

/** R-IB-2 / R-IB-3: "£9,360.00 a year (78 points × £120), calculated …, shared …". */
function budgetInWords(budget: NonNullable<JourneyViewBody['indicativeBudget']>): string {
  const parts = [
    `${pounds(budget.amount)} a year (${budget.basis})`,
    `calculated ${when(budget.calculatedAt)}`,
  ];
  parts.push(budget.sharedAt ? `shared ${when(budget.sharedAt)}` : 'not yet shared with the person');
  if (budget.overridden?.replacedAmount !== undefined) {
    parts.push(`replacing the RAS's ${pounds(budget.overridden.replacedAmount)}`);
  }
  return parts.join(', ');
}

/** "Label:  value" lines, values aligned. */
function fields(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 1;
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}

function section(title: string, body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  return `${title}\n${text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')}`;
}

/** The page `care show` prints: what the case is, why it is stuck, what can happen next, what happened. */
export function formatJourneyDetail(detail: JourneyDetail): string {
  const { view } = detail;
  const parts: string[] = [];
  parts.push(
    fields([
      ['Person', `${view.personId} (${view.subject}), ${view.council}`],
      [
        'Stage',
        `${view.stageInWords} [${view.stage}]${view.stageEnteredAt ? ` since ${when(view.stageEnteredAt)}` : ''}`,
      ],
      ['Team', `${dash(view.team)}, worker ${dash(view.allocatedWorker)}`],
      ['Waiting on', view.waitingOn ? `${view.waitingOn.party} since ${when(view.waitingOn.since)}` : '-'],
      ['Concerns', concernsInWords(view.concerns)],
      ['Budget', view.indicativeBudget ? budgetInWords(view.indicativeBudget) : '-'],
      ...(view.closure
        ? [['Closed', `${view.closure.reason} at ${when(view.closure.at)}`] as [string, string]]
        : []),
    ]),
  );
  parts.push(section('Stuck', detail.stuck.length ? detail.stuck.map((s) => `${s.kind}: ${s.why}`) : 'no'));
  parts.push(section('Next steps', view.nextSteps.length ? nextStepsInWords(view.nextSteps) : 'none due'));
  parts.push(
    section(
      'Deadlines',
      view.deadlines.length
        ? table(
            ['KIND', 'RULE', 'DUE', 'OVERDUE AFTER', 'STATUS', 'CLOSED', 'WHAT'],
            view.deadlines.map((d) => [
              d.kind,
              d.ruleId,
              when(d.dueAt),
              when(d.overdueAt),
              // R-TIM-2: met by its real date, but entered after it had been flagged overdue.
              d.recordedLate ? 'met, recorded late' : (deadlineStatusWords[d.status] ?? d.status),
              when(d.closedAt),
              d.description,
            ]),
          )
        : 'none',
    ),
    section('Allowed now', view.allowedEvents.length ? wrapList(view.allowedEvents) : 'nothing'),
    section('Not allowed now', view.notAllowedNow.length ? notAllowedInWords(view.notAllowedNow) : 'nothing'),
  );
  parts.push(
    section(
      'Timeline',
      detail.timeline.length
        ? table(
            ['OCCURRED', 'RECORDED', 'EVENT', 'ACTOR', 'STAGE', 'RULES', 'VIA'],
            detail.timeline.map((t) => [
              when(t.occurredAt),
              when(t.recordedAt),
              t.budget ? `${t.type} ${pounds(t.budget.amount)}` : t.type,
              `${t.actor.userId} (${t.actor.role})`,
              t.from === t.to ? t.to : `${t.from} -> ${t.to}`,
              t.ruleIds.join(',') || '-',
              t.via,
            ]),
          )
        : 'nothing recorded',
    ),
  );
  if (detail.refused.length) {
    parts.push(
      section(
        'Refused (sent by signal)',
        table(
          ['RECORDED', 'EVENT', 'WHY'],
          detail.refused.map((r) => [
            when(r.recordedAt),
            `${dash(r.type)} ${dash(r.eventId)}`,
            r.reasons.map((x) => x.message).join('; '),
          ]),
        ),
      ),
    );
  }
  parts.push(section('Technical health', healthInWords(detail.health)));
  return parts.join('\n\n');
}

/**
 * What `care show` prints when the journey cannot answer yet (503): why, when to ask again, and
 * what Temporal knows about it.
 */
export function formatJourneyUnavailable(
  personId: string,
  answer: JourneyUnavailable,
  retryAfter: string | undefined,
): string {
  const parts = [
    `Person ${personId}: the journey cannot answer yet${retryAfter ? ` (ask again in ${retryAfter} s)` : ''}`,
    `  ${answer.error}`,
  ];
  if (answer.stuck?.length)
    parts.push(
      section(
        'Stuck',
        answer.stuck.map((s) => `${s.kind}: ${s.why}`),
      ),
    );
  if (answer.health) parts.push(section('Technical health', healthInWords(answer.health)));
  return parts.join('\n\n');
}

export function formatApplyResult(result: ApplyEventResultBody): string {
  if (result.status === 'duplicate')
    return `Already applied: event ${result.eventId} was applied before; nothing changed.`;
  return `Applied event ${result.eventId}. Stage now: ${result.view.stageInWords} [${result.view.stage}].`;
}

export function formatReferralResult(result: ReferralResultBody, personId: string): string {
  if (result.status === 'duplicate') {
    return `Already received: referral event ${result.eventId} was recorded before; nothing changed.`;
  }
  return result.journeyOpened
    ? `Journey opened for ${personId}. Stage now: ${result.view.stageInWords} [${result.view.stage}].`
    : `Referral recorded on the open journey for ${personId} (R-REF-4). Stage: ${result.view.stageInWords} [${result.view.stage}].`;
}

export function formatOverdueReport(report: OverdueReport): string {
  if (report.totalOverdue === 0) return `No overdue journeys (as of ${when(report.asOf)}).`;
  const oldest = (o: OverdueReport['byTeam'][number]['oldest']) => [o.personId, when(o.overdueSince)];
  return [
    `${plural(report.totalOverdue, 'overdue journey')} (as of ${when(report.asOf)})`,
    '',
    section(
      'By team',
      table(
        ['TEAM', 'OVERDUE', 'OLDEST', 'OVERDUE SINCE'],
        report.byTeam.map((t) => [t.team, String(t.count), ...oldest(t.oldest)]),
      ),
    ),
    '',
    section(
      'By deadline kind',
      table(
        ['KIND', 'OVERDUE', 'OLDEST', 'OVERDUE SINCE'],
        report.byKind.map((k) => [k.kind, String(k.count), ...oldest(k.oldest)]),
      ),
    ),
  ].join('\n');
}

export function formatHealth(health: Health): string {
  return [
    `Temporal: ${health.temporal.reachable ? 'reachable' : `NOT reachable (${dash(health.temporal.error)})`}`,
    `Worker:   ${health.worker.polling ? 'polling' : 'NOT polling'} task queue ${health.worker.taskQueue} ` +
      `(${plural(health.worker.workflowPollers, 'live workflow poller')}, ${plural(health.worker.activityPollers, 'live activity poller')}` +
      `${health.worker.stalePollers ? `; ${health.worker.stalePollers} not seen for over ${health.worker.pollerWindowSeconds} s` : ''})`,
    ...(health.worker.inProcess ? [`          in-process worker ${health.worker.inProcess.state}`] : []),
    ...(health.worker.error ? [`          ${health.worker.error}`] : []),
  ].join('\n');
}

/** What `care repair` prints: where the journey was reset to, and what was not replayed. */
export function formatRepairResult(result: RepairResultBody): string {
  const lines = [
    `Repaired the journey for ${result.personId}: reset to its last good workflow task (event ${result.resetToEventId}) ` +
      `after ${plural(result.failedWorkflowTaskAttempt, 'failed attempt')}.`,
    `  run ${result.previousRunId} -> ${result.runId}`,
  ];
  if (result.droppedSignals.length) {
    lines.push(
      '',
      `Not replayed (received since; send again the ones that were right): ${result.droppedSignals.length}`,
      ...result.droppedSignals.map(
        (d) =>
          `  event ${d.eventId} ${d.signalName}${d.receivedAt ? ` at ${when(d.receivedAt)}` : ''}: ${dash(d.input)}`,
      ),
    );
  }
  return lines.join('\n');
}
