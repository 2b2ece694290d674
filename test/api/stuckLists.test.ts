import type { JourneyDetail, JourneyList, OverdueReport } from '../../api/schemas';
import type { JourneyEvent } from '../../machines/events';
import { ev, pathToActivation, referral } from '../support/journeyEvents';
import { daysAgo, startApiHarness, workingDaysAgo, type ApiHarness } from './apiHarness';
import { eventually } from '../support/eventually';

/**
 * Operations issue §1–2: journeys seeded in each kind of stuck state (by events whose occurredAt
 * is in the past), then every list, filter, page and the overdue report checked against a real
 * dev server's visibility store.
 */

/**
 * R-EMG-1: interim support started `interimWorkingDaysAgo` working days ago, so the 3-working-day
 * deadline has passed whatever today is (counted in working days, not calendar days: seven calendar
 * days after 23 December is not yet past it).
 */
function emergency(team: string, workerId: string, interimWorkingDaysAgo: number): JourneyEvent[] {
  return [
    referral(workingDaysAgo(interimWorkingDaysAgo + 2), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', workingDaysAgo(interimWorkingDaysAgo + 2), { team, workerId }),
    ev('TRIAGED', workingDaysAgo(interimWorkingDaysAgo + 1), {
      route: 'emergencyInterimSupport',
      reason: 'Carer admitted to hospital',
    }),
    ev('INTERIM_SUPPORT_STARTED', workingDaysAgo(interimWorkingDaysAgo), {
      services: ['home care twice daily'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ];
}

/** A referral `daysAgo` days ago, still in triage. */
function inTriage(team: string, workerId: string, since: number): JourneyEvent[] {
  return [referral(daysAgo(since)), ev('WORKER_ALLOCATED', daysAgo(since), { team, workerId })];
}

const TECHNICAL = 'tech-t';
const seeds: Record<string, { events: JourneyEvent[]; team: string }> = {
  'overdue-a': { events: emergency('north', 'ann', 14), team: 'north' },
  'overdue-c': { events: emergency('south', 'bea', 10), team: 'south' },
  'overdue-b': { events: emergency('north', 'ann', 5), team: 'north' },
  // Triage may take 7 days (Derbyshire profile); this one has taken 10.
  'stage-s': { events: inTriage('south', 'cal', 10), team: 'south' },
  // Signed off 33 days ago with a direct payment; the agreement is still unsigned (limit 14 days).
  'waiting-w': {
    events: pathToActivation(daysAgo(40), { directPayment: true }).filter(
      (e) => e.type !== 'DIRECT_PAYMENT_AGREEMENT_SIGNED' && e.type !== 'SERVICES_ACTIVATED',
    ),
    team: 'north',
  },
  // Its case-record activity always fails.
  [TECHNICAL]: { events: inTriage('south', 'cal', 0), team: 'south' },
  'healthy-h': { events: inTriage('north', 'ann', 0), team: 'north' },
};

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness({
    // Keep the set-up stage limit out of the way, so the direct-payment case is stuck only by waiting.
    stuckAfterDays: {
      stage: { triage: 7, assessment: 28, indicativeBudget: 10, planning: 28, signOff: 10, setUp: 60 },
    },
    caseRecord: {
      async recordCaseEvent(record) {
        if (record.personId === TECHNICAL) throw new Error('case management system is down');
      },
    },
  });
  for (const [personId, { events }] of Object.entries(seeds)) await api.drive(personId, events);
  // The technical issue shows once the activity has used its retries (about 15 s).
  await eventually(async () => {
    expect(await personIds('/journeys')).toHaveLength(Object.keys(seeds).length);
    expect(await personIds('/journeys?stuck=technical')).toEqual([TECHNICAL]);
  }, 60_000);
}, 110_000);

afterAll(async () => {
  await api?.stop();
});

async function list(url: string): Promise<JourneyList> {
  const answer = await api.call('GET', url);
  expect(answer.status).toBe(200);
  return answer.body as unknown as JourneyList;
}

async function personIds(url: string): Promise<string[]> {
  return (await list(url)).journeys.map((j) => j.personId);
}

describe('the four kinds of stuck', () => {
  it('overdue: a statutory deadline passed without the event that meets it, longest overdue first', async () => {
    const answer = await list('/journeys?stuck=overdue');
    expect(answer.journeys.map((j) => j.personId)).toEqual(['overdue-a', 'overdue-c', 'overdue-b']);
    const [oldest] = answer.journeys;
    expect(oldest?.overdueKinds).toEqual(['emergencyAssessmentStart']);
    expect(oldest?.stuck).toEqual([
      { kind: 'overdue', why: expect.stringMatching(/^emergencyAssessmentStart overdue since/) },
    ]);
    expect(answer.query).toContain('OverdueSince IS NOT NULL');
    // issue 11: the one next step, from the search attributes: the event, the worker, since when
    expect(oldest?.nextStep).toEqual({
      because: 'deadline',
      what: 'emergencyAssessmentStart overdue',
      event: 'ASSESSMENT_STARTED',
      owner: { kind: 'worker', id: 'ann', team: 'north' },
      dueBy: oldest?.overdueSince,
      overdue: true,
    });
  });

  it('stage: held in a stage longer than the profile allows', async () => {
    const answer = await list('/journeys?stuck=stage');
    expect(answer.journeys.map((j) => j.personId)).toEqual(['stage-s']);
    expect(answer.journeys[0]?.stuck).toEqual([
      { kind: 'stage', why: expect.stringContaining('in triage longer than the policy profile allows') },
    ]);
    expect(answer.journeys[0]?.nextStep).toMatchObject({
      because: 'stageLimit',
      event: 'TRIAGED',
      owner: { kind: 'worker', id: 'cal', team: 'south' },
      overdue: true,
    });
  });

  it('waiting: waiting on an outside party past the limit', async () => {
    const answer = await list('/journeys?stuck=waiting');
    expect(answer.journeys.map((j) => j.personId)).toEqual(['waiting-w']);
    expect(answer.journeys[0]).toMatchObject({
      waitingOn: 'directPaymentAgreement',
      stuck: [{ kind: 'waiting', why: expect.stringContaining('waiting on directPaymentAgreement') }],
      nextStep: { because: 'waiting', event: 'DIRECT_PAYMENT_AGREEMENT_SIGNED', overdue: true },
    });
  });

  it('technical: an activity failing over and over', async () => {
    const answer = await list('/journeys?stuck=technical');
    expect(answer.journeys.map((j) => j.personId)).toEqual([TECHNICAL]);
    expect(answer.journeys[0]?.stuck).toEqual([{ kind: 'technical', why: 'keeps failing: recordCaseEvent' }]);
  });

  it('any: all of them, the overdue ones first, and never the healthy case', async () => {
    const ids = await personIds('/journeys?stuck=any');
    expect(ids.slice(0, 3)).toEqual(['overdue-a', 'overdue-c', 'overdue-b']);
    expect([...ids].sort()).toEqual(
      Object.keys(seeds)
        .filter((id) => id !== 'healthy-h')
        .sort(),
    );
  });
});

describe('filters', () => {
  it.each([
    ['/journeys?team=north&stuck=any', ['overdue-a', 'overdue-b', 'waiting-w']],
    ['/journeys?team=south', ['overdue-c', 'stage-s', TECHNICAL]],
    ['/journeys?worker=bea', ['overdue-c']],
    ['/journeys?stage=triage', ['healthy-h', 'stage-s', TECHNICAL]],
    ['/journeys?kind=emergencyAssessmentStart', ['overdue-a', 'overdue-b', 'overdue-c']],
    ['/journeys?kind=firstReview', []],
    ['/journeys?overdue=true', ['overdue-a', 'overdue-b', 'overdue-c']],
    ['/journeys?overdue=false', ['healthy-h', 'stage-s', TECHNICAL, 'waiting-w']],
    ["/journeys?team=o'brien", []],
  ])('%s', async (url, expected) => {
    expect((await personIds(url)).sort()).toEqual([...expected].sort());
  });

  it('refuses a filter it cannot express safely, naming the problem', async () => {
    const answer = await api.call('GET', '/journeys?team=a%5Cb&stuck=sometimes');
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      { field: 'team', message: 'must not contain backslashes or control characters' },
      {
        field: 'stuck',
        message: '"sometimes" is not one of the values accepted',
        accepted: expect.stringMatching(/^one of: overdue, stage, waiting, technical\b/),
      },
    ]);
  });
});

describe('paging', () => {
  it('walks every journey exactly once, in the same order as one big page', async () => {
    const all = await personIds('/journeys?limit=500');
    const seen: string[] = [];
    let page = await list('/journeys?limit=3');
    expect(page.total).toBe(all.length);
    seen.push(...page.journeys.map((j) => j.personId));
    while (page.nextCursor) {
      page = await list(`/journeys?limit=3&cursor=${page.nextCursor}`);
      seen.push(...page.journeys.map((j) => j.personId));
    }
    expect(seen).toEqual(all);
  });

  it('refuses a cursor from a listing with other filters', async () => {
    const first = await list('/journeys?limit=1');
    const answer = await api.call('GET', `/journeys?limit=1&team=north&cursor=${first.nextCursor}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid cursor: it belongs to a listing with different filters');
  });
});

it('reports overdue counts per team and per deadline kind, with the oldest case of each', async () => {
  const answer = await api.call('GET', '/reports/overdue', { role: 'auditor' });
  expect(answer.status).toBe(200);
  const report = answer.body as unknown as OverdueReport;
  expect(report.totalOverdue).toBe(3);
  expect(report.byTeam).toEqual([
    { team: 'north', count: 2, oldest: expect.objectContaining({ personId: 'overdue-a' }) },
    { team: 'south', count: 1, oldest: expect.objectContaining({ personId: 'overdue-c' }) },
  ]);
  expect(report.byKind).toEqual([
    {
      kind: 'emergencyAssessmentStart',
      count: 3,
      oldest: expect.objectContaining({ personId: 'overdue-a' }),
    },
  ]);
});

describe('one journey', () => {
  it('shows the stage in words, what may happen now and why not, deadlines, timeline and health', async () => {
    const answer = await api.call('GET', '/journeys/overdue-a', { role: 'auditor' });
    expect(answer.status).toBe(200);
    const detail = answer.body as unknown as JourneyDetail;
    expect(detail.view?.stage).toBe('interimSupport');
    expect(detail.view?.stageInWords).toMatch(/^Emergency interim support/);
    expect(detail.view?.allowedEvents).toContain('ASSESSMENT_STARTED');
    expect(detail.view?.notAllowedNow).toContainEqual({
      type: 'PLAN_SUBMITTED',
      reasons: [expect.objectContaining({ message: expect.stringContaining('not allowed') })],
    });
    expect(detail.view?.deadlines).toEqual([
      expect.objectContaining({ kind: 'emergencyAssessmentStart', ruleId: 'R-EMG-1', status: 'overdue' }),
    ]);
    expect(detail.timeline.map((t) => t.type)).toEqual(
      expect.arrayContaining(['REFERRAL_RECEIVED', 'WORKER_ALLOCATED', 'TRIAGED', 'INTERIM_SUPPORT_STARTED']),
    );
    const interim = detail.timeline.find((t) => t.type === 'INTERIM_SUPPORT_STARTED');
    expect(interim).toMatchObject({
      actor: { userId: 'ann.practitioner', role: 'practitioner' },
      from: expect.stringMatching(/^interimSupport/),
    });
    expect(Date.parse(interim!.recordedAt) - Date.parse(interim!.occurredAt)).toBeGreaterThan(
      19 * 86_400_000,
    );
    expect(detail.stuck).toEqual([expect.objectContaining({ kind: 'overdue' })]);
    // issue 11: the next step, first among what is allowed now
    const deadline = detail.view.deadlines[0]!;
    expect(detail.view.nextSteps).toEqual([
      expect.objectContaining({
        because: 'deadline',
        deadlineId: deadline.id,
        event: 'ASSESSMENT_STARTED',
        allowedNow: true,
        owner: { kind: 'worker', id: 'ann', team: 'north' },
        dueBy: deadline.dueAt,
        overdueSince: expect.any(String),
      }),
    ]);
    expect(detail.view.allowedEvents[0]).toBe('ASSESSMENT_STARTED');
    expect(detail.health).toMatchObject({ status: 'RUNNING', healthy: true });
    expect(detail.health.technicalIssue).toBeUndefined();
  });

  it("shows a failing activity's attempts and last failure, and the technical issue", async () => {
    // A new event means a new case-record job, so a retrying activity is pending again.
    await api.drive(TECHNICAL, [ev('CONSENT_RECORDED', daysAgo(0), { consentGiven: true })]);
    const detail = await eventually(async () => {
      const answer = (await api.call('GET', `/journeys/${TECHNICAL}`)).body as unknown as JourneyDetail;
      expect(answer.health.pendingActivities).toContainEqual(
        expect.objectContaining({
          activityType: 'recordCaseEvent',
          attempt: expect.any(Number),
          lastFailure: 'case management system is down',
        }),
      );
      return answer;
    });
    expect(detail.health.healthy).toBe(false);
    expect(detail.health.technicalIssue).toBe('recordCaseEvent');
    expect(detail.stuck).toContainEqual({ kind: 'technical', why: 'keeps failing: recordCaseEvent' });
  });

  it('answers 404 for a person without a journey', async () => {
    const answer = await api.call('GET', '/journeys/nobody-here');
    expect(answer).toEqual({
      status: 404,
      body: {
        error:
          'no journey for person nobody-here: a referral opens one (POST /referrals with personId "nobody-here")',
      },
    });
  });
});
