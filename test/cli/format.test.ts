import type { JourneyDetail, JourneyList, OverdueReport } from '../../api/schemas';
import {
  formatJourneyDetail,
  formatJourneyUnavailable,
  formatJourneyList,
  formatOverdueReport,
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

  it('shows instants in UK local time, across the clock change', () => {
    expect(when('2026-01-15T09:30:00Z')).toBe('2026-01-15 09:30');
    expect(when('2026-07-15T09:30:00Z')).toBe('2026-07-15 10:30');
    expect(when(undefined)).toBe('-');
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
    },
    {
      personId: 'P22',
      stage: 'triage',
      overdueKinds: [],
      openComplaint: false,
      safeguardingOpen: false,
      stuck: [{ kind: 'stage', why: 'in triage longer than the policy profile allows (since 1 Jan 2026)' }],
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
      'PERSON  STAGE           TEAM   WORKER  OVERDUE SINCE     OVERDUE KINDS             NEXT DEADLINE  WHY STUCK',
      'P1      interimSupport  north  ann     2026-01-05 00:00  emergencyAssessmentStart  -              overdue: emergencyAssessmentStart overdue since 5 Jan 2026 (5 days)',
      'P22     triage          -      -       -                 -                         -              stage: in triage longer than the policy profile allows (since 1 Jan 2026)',
      '',
      '2 of 3 journeys (as of 2026-01-10 12:00)',
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
    nextSteps: [],
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
    'Stage:       Emergency interim support: interim services in place; formal assessment to begin [interimSupport] since 2026-01-01 10:00',
  );
  expect(page).toContain('Concerns:    1 open complaint');
  expect(page).toContain('Stuck\n  overdue: emergencyAssessmentStart overdue since 7 Jan 2026 (3 days)');
  expect(page).toMatch(/emergencyAssessmentStart\s+R-EMG-1\s+2026-01-07 00:00\s+2026-01-07 00:00\s+OVERDUE/);
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
    /2026-01-02 10:00\s+2026-01-09 10:00\s+INTERIM_SUPPORT_STARTED\s+ann \(practitioner\)\s+interimSupport.settingUp -> interimSupport.inPlace\s+R-EMG-1\s+update/,
  );
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
      '3 overdue journeys (as of 2026-01-10 12:00)',
      '',
      'By team',
      '  TEAM   OVERDUE  OLDEST  OVERDUE SINCE',
      '  north  2        P1      2026-01-05 00:00',
      '  south  1        P9      2026-01-05 00:00',
      '',
      'By deadline kind',
      '  KIND         OVERDUE  OLDEST  OVERDUE SINCE',
      '  firstReview  3        P1      2026-01-05 00:00',
    ].join('\n'),
  );
});
