import type { JourneyDetail, JourneyList, OverdueReport } from '../../api/schemas';
import {
  formatJourneyDetail,
  formatJourneyUnavailable,
  formatJourneyList,
  formatOverdueReport,
  ownerInWords,
  table,
  when,
  wrapList,
} from '../../cli/format';

/** What operations staff read, checked without a server. */

describe('building blocks', () => {
  it('aligns columns two spaces apart, without trailing spaces', () => {
    expect(
      table(
        ['A', 'LONGER', 'C'],
        [
          ['xx', 'y', 'z'],
          ['x', '', ''],
        ],
      ),
    ).toBe(['A   LONGER  C', 'xx  y       z', 'x'].join('\n'));
  });

  it('shows instants in UK local time with the zone, across the clock change; a date stays a date', () => {
    expect(when('2026-01-15T09:30:00Z')).toBe('2026-01-15 09:30 GMT');
    expect(when('2026-07-15T09:30:00Z')).toBe('2026-07-15 10:30 BST');
    // the last instant before the clocks go forward, and the first after (29 March 2026, 01:00 GMT)
    expect(when('2026-03-29T00:59:00Z')).toBe('2026-03-29 00:59 GMT');
    expect(when('2026-03-29T01:00:00Z')).toBe('2026-03-29 02:00 BST');
    expect(when('2026-03-29')).toBe('2026-03-29');
    expect(when(undefined)).toBe('-');
  });

  it('names who must do it: the worker, the team, the duty worker of an unallocated case, the system', () => {
    expect(ownerInWords({ kind: 'worker', id: 'ann', team: 'north' })).toBe('ann (worker, team north)');
    expect(ownerInWords({ kind: 'team', id: 'north', team: 'north' })).toBe(
      'team north (no worker allocated)',
    );
    expect(ownerInWords({ kind: 'dutyWorker', id: 'duty-worker.derbyshire', team: 'derbyshire-duty' })).toBe(
      'duty-worker.derbyshire (duty worker, team derbyshire-duty; unallocated)',
    );
    expect(ownerInWords({ kind: 'system', id: 'resource-allocation-system' })).toBe(
      'resource-allocation-system (system)',
    );
  });
});

const list: JourneyList = {
  journeys: [
    {
      personId: 'P1',
      stage: 'interimSupport',
      stageInWords: 'Emergency interim support',
      team: 'north',
      worker: 'ann',
      overdueSince: '2026-01-05T00:00:00.000Z',
      overdueKinds: ['emergencyAssessmentStart'],
      openComplaint: false,
      safeguardingOpen: false,
      stuck: [{ kind: 'overdue', why: 'emergencyAssessmentStart overdue since 5 Jan 2026 (5 days)' }],
      nextStep: {
        because: 'deadline',
        what: 'emergencyAssessmentStart overdue',
        event: 'ASSESSMENT_STARTED',
        owner: { kind: 'worker', id: 'ann', team: 'north' },
        dueBy: '2026-01-05T00:00:00.000Z',
        overdue: true,
      },
    },
    {
      personId: 'P22',
      stage: 'triage',
      overdueKinds: [],
      openComplaint: false,
      safeguardingOpen: false,
      stuck: [{ kind: 'stage', why: 'in triage longer than the policy profile allows (since 1 Jan 2026)' }],
      nextStep: {
        because: 'stageLimit',
        what: "move on from triage within the policy profile's limit",
        event: 'TRIAGED',
        owner: { kind: 'dutyWorker', id: 'duty-worker.derbyshire', team: 'derbyshire-duty' },
        dueBy: '2026-01-01T10:00:00.000Z',
        overdue: true,
      },
    },
  ],
  total: 3,
  nextCursor: 'abc',
  asOf: '2026-01-10T12:00:00.000Z',
  query: '…',
};

it('lists journeys as a table with why each is stuck, and how to get the next page', () => {
  expect(formatJourneyList(list, (cursor) => `care stuck --cursor ${cursor}`)).toBe(
    [
      'PERSON  STAGE           TEAM   WORKER  OVERDUE SINCE         OVERDUE KINDS             NEXT DEADLINE  WHY STUCK                                                                  NEXT STEP',
      'P1      interimSupport  north  ann     2026-01-05 00:00 GMT  emergencyAssessmentStart  -              overdue: emergencyAssessmentStart overdue since 5 Jan 2026 (5 days)        ASSESSMENT_STARTED by ann (worker, team north), by 2026-01-05 00:00 GMT OVERDUE',
      'P22     triage          -      -       -                     -                         -              stage: in triage longer than the policy profile allows (since 1 Jan 2026)  TRIAGED by duty-worker.derbyshire (duty worker, team derbyshire-duty; unallocated), by 2026-01-01 10:00 GMT OVERDUE',
      '',
      '2 of 3 journeys (as of 2026-01-10 12:00 GMT)',
      'next page: care stuck --cursor abc',
    ].join('\n'),
  );
  expect(formatJourneyList({ ...list, journeys: [], total: 0, nextCursor: undefined })).toBe(
    'No journeys match.',
  );
});

const detail: JourneyDetail = {
  personId: 'P1',
  view: {
    personId: 'P1',
    subject: 'person',
    council: 'Derbyshire',
    stage: 'interimSupport',
    stageInWords: 'Emergency interim support: interim services in place; formal assessment to begin',
    stageEnteredAt: '2026-01-01T10:00:00.000Z',
    closed: false,
    team: 'north',
    allocatedWorker: 'ann',
    concerns: { openComplaints: 1, safeguardingOpen: false, inHospital: false, advocacy: 'notNeeded' },
    deadlines: [
      {
        id: 'emergencyAssessmentStart-1',
        kind: 'emergencyAssessmentStart',
        ruleId: 'R-EMG-1',
        description: 'Formal assessment to begin within 3 working days of interim support',
        dueAt: '2026-01-07T00:00:00.000Z',
        overdueAt: '2026-01-07T00:00:00.000Z',
        startedFrom: '2026-01-02T10:00:00.000Z',
        effect: 'obligation',
        status: 'overdue',
      },
    ],
    indicativeBudget: {
      amount: 9360,
      basis: '78 points × £120',
      calculatedAt: '2026-01-05T10:00:00.000Z',
    },
    nextSteps: [
      {
        because: 'deadline',
        what: 'Formal assessment to begin within 3 working days of interim support',
        ruleId: 'R-EMG-1',
        deadlineId: 'emergencyAssessmentStart-1',
        event: 'ASSESSMENT_STARTED',
        allowedNow: true,
        owner: { kind: 'worker', id: 'ann', team: 'north' },
        dueBy: '2026-01-07T00:00:00.000Z',
        overdueSince: '2026-01-07T00:00:00.000Z',
      },
      {
        because: 'stageLimit',
        what: 'move on from "Emergency interim support" within 2 days',
        event: 'PLAN_SIGNED_OFF',
        allowedNow: false,
        notYetBecause: [{ ruleId: 'R-PLN-3', message: 'the plan has no contingency plan' }],
        owner: { kind: 'worker', id: 'ann', team: 'north' },
        dueBy: '2026-07-07T00:00:00.000Z',
      },
    ],
    allowedEvents: ['ASSESSMENT_STARTED', 'PERSON_DIED'],
    notAllowedNow: [
      {
        type: 'PLAN_SIGNED_OFF',
        reasons: [{ ruleId: 'R-PLN-3', message: 'the plan has no contingency plan' }],
      },
      ...['TRIAGED', 'PLAN_SUBMITTED'].map((type) => ({
        type,
        reasons: [
          { message: `${type} is not allowed while the journey is at stage "Emergency interim support"` },
        ],
      })),
    ],
  },
  timeline: [
    {
      eventId: 'i1',
      type: 'INTERIM_SUPPORT_STARTED',
      actor: { userId: 'ann', role: 'practitioner' },
      occurredAt: '2026-01-02T10:00:00.000Z',
      recordedAt: '2026-01-09T10:00:00.000Z',
      ruleIds: ['R-EMG-1'],
      from: 'interimSupport.settingUp',
      to: 'interimSupport.inPlace',
      via: 'update',
    },
    {
      eventId: 'ras-1',
      type: 'INDICATIVE_BUDGET_CALCULATED',
      actor: { userId: 'resource-allocation-system', role: 'system' },
      occurredAt: '2026-01-05T10:00:00.000Z',
      recordedAt: '2026-01-05T10:00:01.000Z',
      ruleIds: ['R-IB-2'],
      from: 'indicativeBudget.calculating',
      to: 'indicativeBudget.calculated',
      via: 'system',
      budget: { amount: 9360, basis: '78 points × £120', calculatedAt: '2026-01-05T10:00:00.000Z' },
    },
  ],
  refused: [],
  health: {
    status: 'RUNNING',
    runId: 'r1',
    startedAt: '2026-01-09T09:00:00.000Z',
    historyLength: 42,
    pendingActivities: [
      {
        activityType: 'sendLetter',
        state: 'scheduled',
        attempt: 3,
        maximumAttempts: 5,
        lastFailure: 'printer on fire',
      },
    ],
    reportedProblems: [],
    technicalIssue: 'sendLetter',
    healthy: false,
  },
  stuck: [{ kind: 'overdue', why: 'emergencyAssessmentStart overdue since 7 Jan 2026 (3 days)' }],
};

it('shows one journey as a readable page', () => {
  const page = formatJourneyDetail(detail);
  expect(page).toContain(
    'Stage:       Emergency interim support: interim services in place; formal assessment to begin [interimSupport] since 2026-01-01 10:00 GMT',
  );
  expect(page).toContain('Concerns:    1 open complaint');
  expect(page).toContain('Stuck\n  overdue: emergencyAssessmentStart overdue since 7 Jan 2026 (3 days)');
  expect(page).toMatch(
    /emergencyAssessmentStart\s+R-EMG-1\s+2026-01-07 00:00 GMT\s+2026-01-07 00:00 GMT\s+OVERDUE/,
  );
  // the budget, with when it was worked out; the next steps, with who and by when
  expect(page).toContain(
    'Budget:      £9,360.00 a year (78 points × £120), calculated 2026-01-05 10:00 GMT, not yet shared with the person',
  );
  expect(page).toMatch(
    /Next steps\n {2}BY +EVENT +WHO +NOW +WHAT\n {2}2026-01-07 00:00 GMT OVERDUE +ASSESSMENT_STARTED +ann \(worker, team north\) +allowed +Formal assessment to begin within 3 working days of interim support \[R-EMG-1\]\n {2}2026-07-07 01:00 BST +PLAN_SIGNED_OFF +ann \(worker, team north\) +not yet: the plan has no contingency plan +move on from/,
  );
  expect(page).toContain('Allowed now\n  ASSESSMENT_STARTED, PERSON_DIED');
  expect(page).toContain(
    [
      'Not allowed now',
      '  PLAN_SIGNED_OFF',
      '    why: the plan has no contingency plan [R-PLN-3]',
      '  TRIAGED, PLAN_SUBMITTED',
      '    why: this event is not allowed while the journey is at stage "Emergency interim support"',
    ].join('\n'),
  );
  expect(page).toMatch(
    /2026-01-02 10:00 GMT\s+2026-01-09 10:00 GMT\s+INTERIM_SUPPORT_STARTED\s+ann \(practitioner\)\s+interimSupport.settingUp -> interimSupport.inPlace\s+R-EMG-1\s+update/,
  );
  expect(page).toMatch(/INDICATIVE_BUDGET_CALCULATED £9,360.00\s+resource-allocation-system \(system\)/);
  expect(page).toContain('NOT HEALTHY: workflow RUNNING, 42 history events');
  expect(page).toContain('keeps failing: sendLetter');
  expect(page).toMatch(/sendLetter\s+scheduled\s+3\/5\s+-\s+printer on fire/);
});

it('wraps long lists of events', () => {
  expect(wrapList(['AAAA', 'BBBB', 'CCCC'], 11)).toBe('AAAA, BBBB,\nCCCC');
});

it('says so when the journey cannot answer yet (503), with what Temporal knows', () => {
  const page = formatJourneyUnavailable(
    'P1',
    {
      error: 'the journey for person P1 cannot answer yet: its workflow task is failing (attempt 7)',
      health: { ...detail.health, workflowTaskAttempt: 7 },
      stuck: [],
    },
    '10',
  );
  expect(page).toContain('Person P1: the journey cannot answer yet (ask again in 10 s)');
  expect(page).toContain('its workflow task is failing (attempt 7)');
  expect(page).toContain('workflow task failing: attempt 7');
});

it('shows the overdue report per team and per kind', () => {
  const oldest = { personId: 'P1', overdueSince: '2026-01-05T00:00:00.000Z', overdueKinds: ['firstReview'] };
  const report: OverdueReport = {
    asOf: '2026-01-10T12:00:00.000Z',
    totalOverdue: 3,
    byTeam: [
      { team: 'north', count: 2, oldest },
      { team: 'south', count: 1, oldest: { ...oldest, personId: 'P9' } },
    ],
    byKind: [{ kind: 'firstReview', count: 3, oldest }],
  };
  expect(formatOverdueReport(report)).toBe(
    [
      '3 overdue journeys (as of 2026-01-10 12:00 GMT)',
      '',
      'By team',
      '  TEAM   OVERDUE  OLDEST  OVERDUE SINCE',
      '  north  2        P1      2026-01-05 00:00 GMT',
      '  south  1        P9      2026-01-05 00:00 GMT',
      '',
      'By deadline kind',
      '  KIND         OVERDUE  OLDEST  OVERDUE SINCE',
      '  firstReview  3        P1      2026-01-05 00:00 GMT',
    ].join('\n'),
  );
});
