/**
 * Issue 17: `care import` against a listening API, a real Temporal dev server and a real worker.
 * A file covering every stage is dry-run, imported and imported again; a file of bad rows is refused
 * row by row with no journey started for them; an import killed half-way and run again ends with
 * each person imported exactly once. The dev server runs on the real clock, so every date is placed
 * in working days before today (workingDaysAgo) and every expected clock is computed from it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { englandAndWalesCalendar } from '../../machines/calendar';
import type { Deadline } from '../../machines/types';
import type { Role } from '../../temporal.config';
import { startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';

const carePath = path.resolve(__dirname, '..', '..', 'cli', 'care.ts');
const files = mkdtempSync(path.join(tmpdir(), 'care-import-test-'));
const calendar = englandAndWalesCalendar();
let api: ApiHarness;
let apiUrl: string;

beforeAll(async () => {
  api = await startApiHarness();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
}, 90_000);

afterAll(async () => {
  await api?.stop();
});

interface CareRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function careProcess(args: string[], role: Role = 'manager') {
  return spawn(process.execPath, ['--import', 'tsx', carePath, ...args], {
    env: { ...process.env, CARE_API_URL: apiUrl, CARE_API_TOKEN: testTokens[role].token },
  });
}

function care(args: string[], role: Role = 'manager'): Promise<CareRun> {
  return new Promise((resolve, reject) => {
    const child = careProcess(args, role);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A London date `n` working days before today. */
const dayAgo = (n: number) => calendar.londonDateOf(workingDaysAgo(n));

const header =
  'personId,stage,team,worker,assessmentStartedOn,emergencySetUpOn,emergencyServices,indicativeBudget,indicativeBudgetSharedOn,personalBudget,budgetManagement,servicesStartedOn,directPaymentAgreement,directPaymentAgreementSignedOn,lastReviewOn,nextReviewOn,lastMonitoringCheckOn,openComplaints,openSafeguarding,hospitalAdmittedOn,hospitalName';
type Row = Partial<Record<string, string>>;
const csv = (rows: Row[]) =>
  [
    header,
    ...rows.map((row) =>
      header
        .split(',')
        .map((column) => row[column] ?? '')
        .join(','),
    ),
  ].join('\n') + '\n';

async function journey(personId: string) {
  return api.call('GET', `/journeys/${personId}`, { role: 'manager' });
}
const viewOf = (body: Record<string, unknown>) =>
  body.view as {
    stage: string;
    deadlines: Deadline[];
    waitingOn?: { party: string };
    concerns: Record<string, unknown>;
  };

describe('care import (issue 17)', () => {
  // The dates: a review agreed for 30 working days ago (overdue), an emergency set up 1 working day
  // ago (part-way through its 3), a direct payment signed off last week awaiting its agreement.
  const everyStage: Row[] = [
    { personId: 'imp-assess', stage: 'assessment', team: 'north', assessmentStartedOn: dayAgo(5) },
    {
      personId: 'imp-emergency',
      stage: 'interimSupport',
      team: 'duty',
      emergencySetUpOn: dayAgo(1),
      emergencyServices: 'home care;meals',
    },
    {
      personId: 'imp-budget',
      stage: 'indicativeBudget',
      team: 'north',
      indicativeBudget: '9360',
      indicativeBudgetSharedOn: dayAgo(3),
    },
    {
      personId: 'imp-planning',
      stage: 'planning',
      team: 'north',
      worker: 'worker.ann',
      indicativeBudget: '9360',
      indicativeBudgetSharedOn: dayAgo(10),
    },
    {
      personId: 'imp-dp-awaited',
      stage: 'setUp',
      team: 'south',
      personalBudget: '12000',
      budgetManagement: 'directPayment',
      directPaymentAgreement: 'awaited',
    },
    {
      personId: 'imp-live-due',
      stage: 'liveSupport',
      team: 'north',
      worker: 'worker.ann',
      personalBudget: '9360',
      budgetManagement: 'directPayment',
      servicesStartedOn: dayAgo(400),
      directPaymentAgreement: 'signed',
      directPaymentAgreementSignedOn: dayAgo(402),
      lastReviewOn: dayAgo(60),
      nextReviewOn: calendar.addCalendarMonths(dayAgo(60), 12),
      openComplaints: 'C-1:service',
      openSafeguarding: 'S-1',
      hospitalAdmittedOn: dayAgo(2),
      hospitalName: 'Royal Derby',
    },
    {
      personId: 'imp-live-overdue',
      stage: 'liveSupport',
      team: 'east',
      personalBudget: '5000',
      budgetManagement: 'councilManaged',
      servicesStartedOn: dayAgo(600),
      lastReviewOn: dayAgo(250),
      nextReviewOn: dayAgo(30),
      // R-IMP-1: the monitoring check between was made (one not made would be overdue at once too)
      lastMonitoringCheckOn: dayAgo(100),
    },
  ];

  it('--template prints every column with its meaning and format', async () => {
    const run = await care(['import', '--template']);
    expect(run.code).toBe(0);
    const [headerLine] = run.stdout.split('\n');
    expect(headerLine?.split(',')).toEqual(expect.arrayContaining(header.split(',')));
    expect(run.stdout).toMatch(/emergencySetUpOn\s+Stage interimSupport: .*R-EMG-1.*YYYY-MM-DD/);
  });

  it('dry-runs, then imports a file covering every stage: each at its stage with its clocks, an overdue review overdue at once with one escalation (R-REV-3), an emergency part-way through its 3 working days (R-EMG-1), a direct payment waiting on its agreement (R-ACT-1)', async () => {
    const file = path.join(files, 'every-stage.csv');
    writeFileSync(file, csv(everyStage));

    const dry = await care(['import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would start:\s+7/);
    expect(dry.stdout).toMatch(/imp-live-overdue\): liveSupport; annualReview due \S+ OVERDUE AT ONCE/);
    expect((await journey('imp-assess')).status).toBe(404);

    const run = await care(['import', file, '--system', 'Mosaic', '--concurrency', '4']);
    expect(run.stderr).toMatch(/imported 7\/7 rows · [\d.]+ rows\/s/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/started:\s+7/);
    expect(run.stdout).toMatch(/overdue at once: annualReview 1/);

    const stages = Object.fromEntries(
      await Promise.all(
        everyStage.map(async (r) => [r.personId, viewOf((await journey(r.personId!)).body).stage]),
      ),
    );
    expect(stages).toEqual({
      'imp-assess': 'assessment',
      'imp-emergency': 'interimSupport',
      'imp-budget': 'indicativeBudget',
      'imp-planning': 'planning',
      'imp-dp-awaited': 'setUp',
      'imp-live-due': 'liveSupport',
      'imp-live-overdue': 'liveSupport',
    });

    const emergency = viewOf((await journey('imp-emergency')).body);
    const start = emergency.deadlines.find((d) => d.kind === 'emergencyAssessmentStart');
    expect(start).toMatchObject({
      status: 'due',
      ruleId: 'R-EMG-1',
      dueAt: calendar.workingDaysAfter(calendar.startOfLondonDay(dayAgo(1)), 3),
    });

    const awaited = viewOf((await journey('imp-dp-awaited')).body);
    expect(awaited.waitingOn?.party).toBe('directPaymentAgreement');

    const due = viewOf((await journey('imp-live-due')).body);
    expect(due.deadlines.find((d) => d.kind === 'annualReview')).toMatchObject({
      status: 'due',
      dueAt: calendar.endOfLondonDay(calendar.addCalendarMonths(dayAgo(60), 12)),
    });
    expect(due.concerns).toMatchObject({ openComplaints: 1, safeguardingOpen: true, inHospital: true });

    const overdue = await journey('imp-live-overdue');
    const review = viewOf(overdue.body).deadlines.find((d) => d.kind === 'annualReview');
    expect(review).toMatchObject({ status: 'overdue', dueAt: calendar.endOfLondonDay(dayAgo(30)) });
    // the timeline: the import, audited with its file and row, by the manager
    const timeline = overdue.body.timeline as { type: string; actor: { userId: string } }[];
    expect(timeline.map((e) => e.type)).toEqual(['JOURNEY_IMPORTED']);
    expect(timeline[0]?.actor.userId).toBe(testTokens.manager.userId);

    // listed as overdue at once, and escalated once (not once per escalation it missed)
    await eventually(async () => {
      const list = await api.call('GET', '/journeys?stuck=overdue', { role: 'manager' });
      const ids = (list.body.journeys as { personId: string }[]).map((j) => j.personId);
      expect(ids).toContain('imp-live-overdue');
    });
    const escalations = () =>
      readdirSync(path.join(api.config.outboxDir, 'escalations'))
        .map((name) => readFileSync(path.join(api.config.outboxDir, 'escalations', name), 'utf8'))
        .filter((text) => text.includes('imp-live-overdue'));
    await eventually(() => expect(escalations()).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(escalations()).toHaveLength(1);

    // a second run of the same file starts nothing twice, and says so
    const again = await care(['import', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/started:\s+0/);
    expect(again.stdout).toMatch(/already there: 7/);
  }, 180_000);

  it('refuses bad rows row by row, naming the column, and starts no journey for them: a bad date, an unknown stage, missing facts, a person on two rows', async () => {
    const file = path.join(files, 'bad-rows.csv');
    writeFileSync(
      file,
      csv([
        {
          personId: 'bad-date',
          stage: 'liveSupport',
          personalBudget: '100',
          budgetManagement: 'councilManaged',
          servicesStartedOn: '2025-13-01',
        },
        { personId: 'bad-stage', stage: 'reviewing' },
        { personId: 'bad-missing', stage: 'liveSupport', team: 'north', budgetManagement: 'councilManaged' },
        { personId: 'bad-twice', stage: 'assessment' },
        { personId: 'bad-twice', stage: 'planning' },
        { personId: 'bad-emergency', stage: 'interimSupport', emergencyServices: 'home care' },
        { personId: 'good-one', stage: 'assessment', team: 'north' },
      ]),
    );
    const report = path.join(files, 'bad-rows-report.csv');
    const run = await care(['import', file, '--report', report]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/row 2 \(bad-date\): servicesStartedOn: .*YYYY-MM-DD/);
    expect(run.stdout).toMatch(/row 3 \(bad-stage\): stage: must be one of: assessment/);
    expect(run.stdout).toMatch(/row 4 \(bad-missing\): personalBudget: /);
    expect(run.stdout).toMatch(/row 4 \(bad-missing\): servicesStartedOn: /);
    expect(run.stdout).toMatch(/row 5 \(bad-twice\): personId: person bad-twice is on rows 5, 6/);
    expect(run.stdout).toMatch(/row 6 \(bad-twice\): personId: /);
    expect(run.stdout).toMatch(/row 7 \(bad-emergency\): emergencySetUpOn: /);
    expect(run.stdout).toMatch(/started:\s+1/);
    expect(run.stdout).toMatch(/refused:\s+6/);
    for (const personId of ['bad-date', 'bad-stage', 'bad-missing', 'bad-twice', 'bad-emergency'])
      expect([personId, (await journey(personId)).status]).toEqual([personId, 404]);
    expect((await journey('good-one')).status).toBe(200);
    expect(readFileSync(report, 'utf8')).toMatch(
      /^row,personId,outcome,column,reason\n2,bad-date,refused,servicesStartedOn,/,
    );
  }, 120_000);

  it('an import killed half-way and run again ends with each person imported exactly once', async () => {
    // enough people that the import cannot finish between seeing the fourth in and the kill (an
    // import runs at some 20 people a second here: 40 were once all in before the kill)
    const people = Array.from({ length: 200 }, (_, i) => `imp-kill-${String(i).padStart(3, '0')}`);
    const file = path.join(files, 'killed.jsonl');
    writeFileSync(
      file,
      people.map((personId) => JSON.stringify({ personId, stage: 'assessment', team: 'west' })).join('\n') +
        '\n',
    );
    const child = careProcess(['import', file, '--concurrency', '1', '--batch-size', '1']);
    const ended = new Promise((resolve) => child.on('close', resolve));
    // killed (-9: no clean stop) once some, not all, are in
    await eventually(async () => expect((await journey(people[3]!)).status).toBe(200), 60_000);
    child.kill('SIGKILL');
    await ended;
    const inBefore = (await Promise.all(people.map(journey))).filter((r) => r.status === 200).length;
    expect(inBefore).toBeGreaterThan(3);
    expect(inBefore).toBeLessThan(people.length);

    const again = await care(['import', file, '--json']);
    expect(again.code).toBe(0);
    const { summary } = JSON.parse(again.stdout) as { summary: { started: number; alreadyThere: number } };
    expect(summary.started + summary.alreadyThere).toBe(people.length);
    expect(summary.alreadyThere).toBeGreaterThanOrEqual(inBefore);
    for (const personId of people) {
      const { status, body } = await journey(personId);
      expect([personId, status]).toEqual([personId, 200]);
      const imports = (body.timeline as { type: string }[]).filter((e) => e.type === 'JOURNEY_IMPORTED');
      expect([personId, imports.length]).toEqual([personId, 1]);
    }
  }, 180_000);

  it('POST /imports is for managers and integrations only', async () => {
    const body = {
      file: 'x.csv',
      mode: 'check',
      rows: [{ row: 2, values: { personId: 'p-role', stage: 'assessment' } }],
    };
    expect((await api.call('POST', '/imports', { role: 'practitioner', body })).status).toBe(403);
    expect((await api.call('POST', '/imports', { role: 'auditor', body })).status).toBe(403);
    const ok = await api.call('POST', '/imports', { role: 'integration', body });
    expect(ok.status).toBe(200);
    expect(ok.body.results).toEqual([
      expect.objectContaining({ row: 2, outcome: 'valid', stage: 'assessment' }),
    ]);
  });
});
