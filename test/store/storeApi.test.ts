import type { JourneyDetail, JourneyList, OverdueReport } from '../../api/schemas';
import type { CaseRecord } from '../../activities/caseRecord';
import { londonDateOf } from '../../machines/calendar/workingDays';
import type { JourneyEvent } from '../../machines/events';
import { storeCaseRecord } from '../../store';
import { forgottenPerson } from '../../store/retention';
import { journeyWorkflowId } from '../../workflows/definitions';
import { daysAgo, startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { openTestStore, type TestStore } from './storeKit';

/**
 * The API with the case-event store (issue 12 points 2-3), on a real dev server and worker: the
 * lists and the overdue report come from the store (its order, filters and keyset pages), with
 * Temporal's technical health merged in; a journey whose workflow Temporal has deleted is still
 * told whole from the store.
 */

/** Interim support `interimWorkingDaysAgo` working days ago: past its 3-working-day clock on any date. */
function emergency(
  team: string | undefined,
  workerId: string,
  interimWorkingDaysAgo: number,
): JourneyEvent[] {
  return [
    referral(workingDaysAgo(interimWorkingDaysAgo + 2), undefined, { urgency: 'emergency' }),
    ...(team ? [ev('WORKER_ALLOCATED', workingDaysAgo(interimWorkingDaysAgo + 2), { team, workerId })] : []),
    ev('TRIAGED', workingDaysAgo(interimWorkingDaysAgo + 1), {
      route: 'emergencyInterimSupport',
      reason: 'Carer in hospital',
    }),
    ev('INTERIM_SUPPORT_STARTED', workingDaysAgo(interimWorkingDaysAgo), {
      services: ['home care twice daily'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ];
}
const inTriage = (team: string, workerId: string, since: number): JourneyEvent[] => [
  referral(daysAgo(since)),
  ev('WORKER_ALLOCATED', daysAgo(since), { team, workerId }),
];

const TECHNICAL = 'st-tech';
const seeds: Record<string, JourneyEvent[]> = {
  'st-over-a': emergency('north', 'ann', 14),
  'st-over-c': emergency('south', 'bea', 10),
  'st-over-b': emergency('north', 'ann', 5),
  'st-stage': inTriage('south', 'cal', 10),
  'st-healthy': inTriage('north', 'ann', 0),
};

let t: TestStore;
let api: ApiHarness;
let failing = true;

beforeAll(async () => {
  t = await openTestStore('embedded');
  const toStore = storeCaseRecord(t.store);
  // The technical case's first entries are written only once its case record stops failing.
  const caseRecord: CaseRecord = {
    ...toStore,
    async recordCaseEvent(record) {
      if (record.personId === TECHNICAL && failing) throw new Error('case-event store unreachable');
      await toStore.recordCaseEvent(record);
    },
  };
  api = await startApiHarness({
    store: t.store,
    caseRecord,
    stuckAfterDays: {
      stage: { triage: 7, assessment: 28, indicativeBudget: 10, planning: 28, signOff: 10, setUp: 60 },
    },
  });
  for (const [personId, events] of Object.entries(seeds)) await api.drive(personId, events);
  // The technical case: stored once from a first attempt that worked, then failing.
  failing = false;
  await api.drive(TECHNICAL, inTriage('south', 'cal', 0));
  await eventually(async () => expect((await t.store.journey(TECHNICAL))?.team).toBe('south'));
  failing = true;
  await api.drive(TECHNICAL, [ev('CONSENT_RECORDED', daysAgo(0), { consentGiven: true })]);
  await eventually(async () => {
    expect(await personIds('/journeys')).toHaveLength(Object.keys(seeds).length + 1);
    expect(await personIds('/journeys?stuck=technical')).toEqual([TECHNICAL]);
  }, 60_000);
}, 110_000);

afterAll(async () => {
  await api?.stop();
  await t?.close();
});

async function list(url: string): Promise<JourneyList> {
  const answer = await api.call('GET', url);
  expect(answer.status).toBe(200);
  return answer.body as unknown as JourneyList;
}
const personIds = async (url: string) => (await list(url)).journeys.map((j) => j.personId);

it('lists from the store: longest overdue first, each with why', async () => {
  const answer = await list('/journeys?stuck=overdue');
  expect(answer.query).toMatch(/^case-event store: NOT closed AND overdue_since IS NOT NULL/);
  expect(answer.journeys.map((j) => j.personId)).toEqual(['st-over-a', 'st-over-c', 'st-over-b']);
  expect(answer.journeys[0]).toMatchObject({
    stage: 'interimSupport',
    stageInWords: expect.stringMatching(/^Emergency interim support/),
    team: 'north',
    worker: 'ann',
    overdueKinds: ['emergencyAssessmentStart'],
    stuck: [{ kind: 'overdue', why: expect.stringMatching(/^emergencyAssessmentStart overdue since/) }],
  });
});

it.each([
  ['/journeys?stuck=stage', ['st-stage']],
  ['/journeys?team=north&stuck=any', ['st-over-a', 'st-over-b']],
  ['/journeys?team=south', ['st-over-c', 'st-stage', TECHNICAL]],
  ['/journeys?worker=bea', ['st-over-c']],
  ['/journeys?stage=triage', ['st-healthy', 'st-stage', TECHNICAL]],
  ['/journeys?kind=emergencyAssessmentStart', ['st-over-a', 'st-over-b', 'st-over-c']],
  ['/journeys?kind=firstReview', []],
  ['/journeys?overdue=false', ['st-healthy', 'st-stage', TECHNICAL]],
  ["/journeys?team=o'brien", []],
])('filters in the database: %s', async (url, expected) => {
  expect((await personIds(url)).sort()).toEqual([...expected].sort());
});

it("merges Temporal's technical health: the failing case is technically stuck, in words", async () => {
  const answer = await list('/journeys?stuck=any');
  expect(answer.journeys.find((j) => j.personId === TECHNICAL)?.stuck).toEqual([
    { kind: 'technical', why: 'keeps failing: recordCaseEvent' },
  ]);
  expect(answer.journeys.map((j) => j.personId)).not.toContain('st-healthy');
});

it('pages by keyset: every journey once, in the order of one big page', async () => {
  const all = await personIds('/journeys?limit=500');
  const seen: string[] = [];
  let page = await list('/journeys?limit=2');
  expect(page.total).toBe(all.length);
  seen.push(...page.journeys.map((j) => j.personId));
  while (page.nextCursor) {
    page = await list(`/journeys?limit=2&cursor=${page.nextCursor}`);
    seen.push(...page.journeys.map((j) => j.personId));
  }
  expect(seen).toEqual(all);
  const other = await api.call(
    'GET',
    `/journeys?limit=2&team=north&cursor=${(await list('/journeys?limit=2')).nextCursor}`,
  );
  expect(other.status).toBe(400);
  expect(other.body.error).toBe('invalid cursor: it belongs to a listing with different filters');
});

it('counts the overdue report in the database', async () => {
  const answer = await api.call('GET', '/reports/overdue', { role: 'auditor' });
  expect(answer.status).toBe(200);
  const report = answer.body as unknown as OverdueReport;
  expect(report.totalOverdue).toBe(3);
  expect(report.byTeam).toEqual([
    { team: 'north', count: 2, oldest: expect.objectContaining({ personId: 'st-over-a' }) },
    { team: 'south', count: 1, oldest: expect.objectContaining({ personId: 'st-over-c' }) },
  ]);
  expect(report.byKind).toEqual([
    {
      kind: 'emergencyAssessmentStart',
      count: 3,
      oldest: expect.objectContaining({ personId: 'st-over-a' }),
    },
  ]);
});

it('tells a closed journey whole from the store after Temporal has deleted its workflow', async () => {
  const personId = 'st-closed';
  await api.drive(personId, [
    referral(daysAgo(3)),
    ev('UNIVERSAL_OFFER_GIVEN', daysAgo(3), {
      informationAndAdvice: ['Leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('TRIAGED', daysAgo(2), { route: 'informationAndAdvice', reason: 'Advice was enough' }),
  ]);
  const handle = api.env.client.workflow.getHandle(journeyWorkflowId(personId));
  await handle.result();
  await eventually(async () => expect((await t.store.journey(personId))?.closed).toBe(true));
  await api.env.client.workflowService.deleteWorkflowExecution({
    namespace: api.config.temporal.namespace,
    workflowExecution: { workflowId: journeyWorkflowId(personId) },
  });
  await eventually(async () => {
    await expect(handle.describe()).rejects.toThrow();
  });
  const answer = await api.call('GET', `/journeys/${personId}`, { role: 'auditor' });
  expect(answer.status).toBe(200);
  const detail = answer.body as unknown as JourneyDetail;
  expect(detail.view).toMatchObject({
    stage: 'closed',
    closed: true,
    closure: { reason: 'informationAndAdvice' },
    allowedEvents: [],
  });
  expect(detail.timeline.map((e) => e.type)).toEqual([
    'REFERRAL_RECEIVED',
    'UNIVERSAL_OFFER_GIVEN',
    'TRIAGED',
  ]);
  expect(detail.health).toMatchObject({ status: 'NOT_IN_TEMPORAL', healthy: true });
  // a person the store has never heard of is still 404
  expect((await api.call('GET', '/journeys/st-nobody')).status).toBe(404);
});

it('care store forget: the records of journeys closed before the retention cut-off go whole, after a dry run; a future cut-off is refused', async () => {
  const today = londonDateOf(new Date().toISOString());
  const future = await api.call('POST', '/store/forget', {
    role: 'manager',
    body: { closedBefore: '2999-01-01' },
  });
  expect(future).toMatchObject({ status: 400, body: { error: expect.stringMatching(/is after today/) } });
  expect(
    (await api.call('POST', '/store/forget', { role: 'practitioner', body: { closedBefore: today } })).status,
  ).toBe(403);
  // st-closed closed two days ago: within today's cut-off; a dry run first
  const dry = await api.call('POST', '/store/forget', { role: 'manager', body: { closedBefore: today } });
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({
    dryRun: true,
    people: [expect.objectContaining({ personId: 'st-closed' })],
  });
  expect((await api.call('GET', '/journeys/st-closed')).status).toBe(200);
  const done = await api.call('POST', '/store/forget', {
    role: 'manager',
    body: { closedBefore: today, confirm: true },
  });
  expect(done.body).toMatchObject({
    dryRun: false,
    people: [expect.objectContaining({ personId: 'st-closed' })],
  });
  expect((await api.call('GET', '/journeys/st-closed')).status).toBe(404);
  expect(await forgottenPerson(t.db, 'st-closed')).toMatchObject({ forgottenBy: testTokens.manager.userId });
  // the open journeys are all still there
  expect(await personIds('/journeys')).toContain('st-over-a');
});

it('care store check reports a row that differs from its journey, and rebuild puts it right', async () => {
  await t.db.query("UPDATE journeys SET team = 'west', stage = 'planning' WHERE person_id = 'st-over-b'");
  const check = await api.call('GET', '/store/check');
  expect(check.status).toBe(200);
  expect(check.body.differing).toContainEqual({
    personId: 'st-over-b',
    differences: [
      { field: 'stage', journey: 'interimSupport', store: 'planning' },
      { field: 'team', journey: 'north', store: 'west' },
    ],
  });
  expect((await api.call('POST', '/store/rebuild', { role: 'practitioner' })).status).toBe(403);
  const rebuild = await api.call('POST', '/store/rebuild', { role: 'manager' });
  expect(rebuild.status).toBe(200);
  expect(rebuild.body.rebuilt).toBeGreaterThanOrEqual(1);
  const after = await api.call('GET', '/store/check');
  expect((after.body.differing as { personId: string }[]).map((d) => d.personId)).not.toContain('st-over-b');
  expect(await t.store.journey('st-over-b')).toMatchObject({ stage: 'interimSupport', team: 'north' });
});

it('care store check finds, both ways, what Temporal never committed and what it does not have; rebuild removes the uncommitted', async () => {
  const personId = 'st-stage';
  const before = await t.store.personRecord(personId);
  const last = before.entries.at(-1)!;
  // What a workflow task that died before Temporal committed it left: an entry one past the
  // journey's own count, written ten minutes ago.
  const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString();
  await t.store.recordCaseEvent({
    ...last,
    recordId: 'never-accepted',
    entry: {
      ...last.entry,
      eventId: 'never-accepted',
      type: 'ASSESSMENT_STARTED',
      recordedAt: tenMinutesAgo,
    },
    state: { ...last.state!, eventsApplied: last.state!.eventsApplied + 1, stage: 'assessment' },
  });
  // and a journey open in the store that Temporal has never heard of
  await t.db.query(
    `INSERT INTO journeys (person_id, subject, stage, team, closed, run_number, events_applied, state)
     VALUES ('st-ghost', 'person', 'triage', 'north', false, 1, 1, '{}')`,
  );
  const check = await api.call('GET', '/store/check');
  expect(check.status).toBe(200);
  expect(check.body.uncommitted).toContainEqual({ personId, recordIds: ['never-accepted'] });
  expect(check.body.notInTemporal).toContainEqual({ personId: 'st-ghost', stage: 'triage' });
  expect((check.body.differing as { personId: string }[]).map((d) => d.personId)).toContain(personId);
  // a check changes nothing
  expect((await t.store.personRecord(personId)).entries.map((e) => e.recordId)).toContain('never-accepted');

  const rebuild = await api.call('POST', '/store/rebuild', { role: 'manager' });
  expect(rebuild.status).toBe(200);
  expect(rebuild.body.uncommitted).toContainEqual({ personId, recordIds: ['never-accepted'] });
  const after = await t.store.personRecord(personId);
  expect(after.entries).toEqual(before.entries);
  expect(after.journey).toMatchObject({ stage: 'triage', eventsApplied: before.journey!.eventsApplied });
  const again = await api.call('GET', '/store/check');
  expect(again.body.uncommitted).toEqual([]);
  expect((again.body.differing as { personId: string }[]).map((d) => d.personId)).not.toContain(personId);
  await t.db.query("DELETE FROM journeys WHERE person_id = 'st-ghost'");
});

it("a row from the store names the next step's owner as the journey would: an unallocated case's duty worker from the profile", async () => {
  const personId = 'st-unallocated';
  await api.drive(personId, emergency(undefined, '', 5));
  const row = await eventually(async () => {
    const found = (await list('/journeys?stuck=overdue')).journeys.find((j) => j.personId === personId);
    expect(found).toBeDefined();
    return found!;
  });
  const duty = api.config.policyProfile.unallocatedCases;
  expect(row.nextStep).toMatchObject({
    event: 'ASSESSMENT_STARTED',
    owner: { kind: 'dutyWorker', id: duty?.dutyWorker },
  });
  expect(duty?.dutyWorker).toMatch(/^duty-worker\.derbyshire$/);
  await api.env.client.workflow.getHandle(journeyWorkflowId(personId)).terminate('test over');
});
