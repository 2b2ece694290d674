import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Role } from '../../temporal.config';
import { ev, referral } from '../support/journeyEvents';
import { daysAgo, startApiHarness, testTokens, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';

/**
 * The `care` command as operations staff run it: a child process talking to a listening API,
 * backed by a real dev server and worker. The issue's "done when": find a stuck case with
 * `care stuck` in one call, then see why with `care show`.
 */

const carePath = path.resolve(__dirname, '..', '..', 'cli', 'care.ts');
let api: ApiHarness;
let apiUrl: string;
const files = mkdtempSync(path.join(tmpdir(), 'care-cli-test-'));

beforeAll(async () => {
  api = await startApiHarness();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  // Interim support started 10 days ago: the 3-working-day assessment deadline (R-EMG-1) has passed.
  await api.drive('cli-overdue', [
    referral(daysAgo(12), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', daysAgo(12), { team: 'east', workerId: 'dan' }),
    ev('TRIAGED', daysAgo(11), { route: 'emergencyInterimSupport', reason: 'Carer admitted to hospital' }),
    ev('INTERIM_SUPPORT_STARTED', daysAgo(10), {
      services: ['home care twice daily'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ]);
}, 90_000);

afterAll(async () => {
  await api?.stop();
});

interface CareRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `care …` as a separate process (asynchronously: the API answers from this process). */
function care(args: string[], options: { role?: Role; env?: NodeJS.ProcessEnv } = {}): Promise<CareRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CARE_API_URL: apiUrl,
    CARE_API_TOKEN: testTokens[options.role ?? 'practitioner'].token,
    ...options.env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', carePath, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('finding a stuck case and seeing why', () => {
  it('care stuck --team east: a table with the case and why it is stuck', async () => {
    const run = await eventually(async () => {
      const result = await care(['stuck', '--team', 'east']);
      expect(result.stdout).toContain('cli-overdue');
      return result;
    }, 20_000);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [header, row, blank, footer] = run.stdout.split('\n');
    expect(header).toMatch(
      /^PERSON\s+STAGE\s+TEAM\s+WORKER\s+OVERDUE SINCE\s+OVERDUE KINDS\s+NEXT DEADLINE\s+WHY STUCK\s+NEXT STEP$/,
    );
    expect(row).toMatch(
      /^cli-overdue\s+interimSupport\s+east\s+dan\s+\d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST)\s+emergencyAssessmentStart\s+/,
    );
    expect(row).toContain('overdue: emergencyAssessmentStart overdue since');
    // issue 11: the next step with its owner and date; every time with its zone
    expect(row).toMatch(
      /ASSESSMENT_STARTED by dan \(worker, team east\), by \d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST) OVERDUE$/,
    );
    expect(run.stdout.match(/\d\d:\d\d(?! (GMT|BST))/g)).toBeNull();
    expect(blank).toBe('');
    expect(footer).toMatch(/^1 of 1 journey \(as of /);
  });

  it('care stuck --kind … --json: the API answer for scripts', async () => {
    const run = await care(['stuck', '--kind', 'emergencyAssessmentStart', '--json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.journeys.map((j: { personId: string }) => j.personId)).toEqual(['cli-overdue']);
    expect(answer.total).toBe(1);
  });

  it('care show: stage, why stuck, deadlines, what can happen next, timeline, health', async () => {
    const run = await care(['show', 'cli-overdue'], { role: 'auditor' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Person:\s+cli-overdue \(person\), Derbyshire$/m);
    expect(run.stdout).toMatch(/^Stage:\s+Emergency interim support.*\[interimSupport\]/m);
    expect(run.stdout).toContain('Stuck\n  overdue: emergencyAssessmentStart overdue since');
    expect(run.stdout).toMatch(/emergencyAssessmentStart\s+R-EMG-1\s+.*OVERDUE/);
    const section = (title: string, next: string) =>
      run.stdout.slice(run.stdout.indexOf(`${title}\n`), run.stdout.indexOf(`${next}\n`));
    expect(section('Allowed now', 'Not allowed now')).toMatch(/^Allowed now\n {2}ASSESSMENT_STARTED,/);
    // issue 11: the next step, who must do it and by when (the R-EMG-1 deadline's due date)
    expect(section('Next steps', 'Deadlines')).toMatch(
      /\n {2}\d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST) OVERDUE\s+ASSESSMENT_STARTED\s+dan \(worker, team east\)\s+allowed\s+Formal assessment to begin within 3 working days of interim support \[R-EMG-1\]/,
    );
    expect(run.stdout).toMatch(/^Budget:\s+-$/m);
    // every time printed carries its zone
    expect(run.stdout.match(/\d\d:\d\d(?! (GMT|BST))/g)).toBeNull();
    const notAllowed = section('Not allowed now', 'Timeline');
    expect(notAllowed).toContain('PLAN_SUBMITTED');
    expect(notAllowed).toMatch(
      /\n {4}why: this event is not allowed while the journey is at stage "Emergency interim support/,
    );
    expect(run.stdout).toMatch(/INTERIM_SUPPORT_STARTED\s+ann\.practitioner \(practitioner\)/);
    expect(run.stdout).toContain('Technical health\n  healthy: workflow RUNNING');
  });

  it('care show --json', async () => {
    const run = await care(['show', 'cli-overdue', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      personId: 'cli-overdue',
      view: { stage: 'interimSupport' },
    });
  });

  it('care overdue-report: counts per team and kind, table and JSON', async () => {
    const table = await care(['overdue-report']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^1 overdue journey \(as of /);
    expect(table.stdout).toMatch(
      /By team\n {2}TEAM\s+OVERDUE\s+OLDEST\s+OVERDUE SINCE\n {2}east\s+1\s+cli-overdue/,
    );
    expect(table.stdout).toMatch(/By deadline kind\n.*\n {2}emergencyAssessmentStart\s+1\s+cli-overdue/);
    const json = JSON.parse((await care(['overdue-report', '--json'])).stdout);
    expect(json).toMatchObject({ totalOverdue: 1, byTeam: [{ team: 'east', count: 1 }] });
  });
});

describe('acting on a case', () => {
  it('care referral opens a journey, and a resend changes nothing', async () => {
    const args = [
      'referral',
      '--person',
      'cli-new',
      '--referral',
      'R1',
      '--source',
      'gp',
      '--urgency',
      'routine',
    ];
    const first = await care([...args, '--summary', 'Needs help washing']);
    expect(first).toEqual({
      code: 0,
      stdout:
        'Journey opened for cli-new. Stage now: Referral received: triage and universal offer [triage].\n',
      stderr: '',
    });
    const again = await care([...args, '--summary', 'Needs help washing']);
    expect(again.stdout).toBe(
      'Already received: referral event referral-R1 was recorded before; nothing changed.\n',
    );
  });

  it('care send delivers an event from a JSON file, as the caller', async () => {
    const data = path.join(files, 'allocate.json');
    writeFileSync(data, JSON.stringify({ team: 'east', workerId: 'dan' }));
    const run = await care(['send', 'cli-new', 'WORKER_ALLOCATED', '--data', data, '--event-id', 'alloc-1']);
    expect(run).toEqual({
      code: 0,
      stdout: 'Applied event alloc-1. Stage now: Referral received: triage and universal offer [triage].\n',
      stderr: '',
    });
    const json = await care([
      'send',
      'cli-new',
      'WORKER_ALLOCATED',
      '--data',
      data,
      '--event-id',
      'alloc-1',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'duplicate', eventId: 'alloc-1' });
    const shown = await care(['show', 'cli-new']);
    expect(shown.stdout).toMatch(/WORKER_ALLOCATED\s+ann\.practitioner \(practitioner\)/);
  });
});

describe('errors: one line on stderr, and a non-zero exit', () => {
  it.each<[string, string[], Role, string]>([
    [
      'an unknown event',
      ['send', 'cli-new', 'TELEPORTED'],
      'practitioner',
      'care: invalid event: type: unknown event type "TELEPORTED"; every type, with its fields, is in the OpenAPI document at /docs (EventBody) (accepted: one of: REFERRAL_RECEIVED, JOURNEY_IMPORTED, UNIVERSAL_OFFER_GIVEN, TRIAGED, WORKER_ALLOCATED, ORDINARY_RESIDENCE_ESTABLISHED, SHORT_TERM_SUPPORT_ENDED, … and 52 more)\n',
    ],
    [
      'an event the journey refuses now',
      ['send', 'cli-new', 'PLAN_VALIDATED'],
      'practitioner',
      'care: event refused: there is no plan to validate yet; PLAN_VALIDATED is not allowed while the journey is at stage "Referral received: triage and universal offer"\n',
    ],
    [
      'an auditor acting',
      ['send', 'cli-new', 'ASSESSMENT_STARTED'],
      'auditor',
      'care: role auditor may only read; to send journey events a caller needs role practitioner, manager, integration\n',
    ],
    [
      'a person without a journey',
      ['show', 'nobody'],
      'practitioner',
      'care: no journey for person nobody: a referral opens one (POST /referrals with personId "nobody")\n',
    ],
    [
      'a practitioner repairing',
      ['repair', 'cli-overdue', '--reason', 'wedged'],
      'practitioner',
      'care: role practitioner may not repair wedged journeys; to repair wedged journeys a caller needs role manager\n',
    ],
    [
      'a repair of a journey that is not wedged (repair.test.ts repairs a wedged one)',
      ['repair', 'cli-overdue', '--reason', 'wedged'],
      'manager',
      'care: the journey for person cli-overdue is not wedged: its workflow tasks complete, so there is nothing to repair\n',
    ],
  ])('%s', async (_case, args, role, stderr) => {
    const run = await care(args, { role });
    expect(run).toEqual({ code: 1, stdout: '', stderr });
  });

  it('a usage mistake exits 2', async () => {
    const run = await care(['stuck', '--kind', 'someday']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^care: option '--kind <kind>' argument 'someday' is invalid\..*\(see care --help\)\n$/,
    );
  });

  it('an API that cannot be reached', async () => {
    const run = await care(['stuck'], { env: { CARE_API_URL: 'http://127.0.0.1:9' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^care: cannot reach the care API at http:\/\/127\.0\.0\.1:9 \(.*\): is it running\? \(npm start\)\n$/,
    );
  });

  it('without CARE_API_TOKEN it uses the development token only for a local API, and says which token failed', async () => {
    const local = await care(['stuck'], { env: { CARE_API_TOKEN: undefined, CARE_API_TOKENS: undefined } });
    // The test API has its own tokens, so the development practitioner token is unknown to it.
    expect(local).toEqual({
      code: 1,
      stdout: '',
      stderr: 'care: unknown token: it is not one of the configured API tokens\n',
    });
    const remote = await care(['stuck'], {
      env: {
        CARE_API_TOKEN: undefined,
        CARE_API_TOKENS: undefined,
        CARE_API_URL: 'https://care.example.org',
      },
    });
    expect(remote.stderr).toBe(
      'care: CARE_API_TOKEN is not set: set it to your API token for https://care.example.org\n',
    );
  });

  it('--api-url and --token reach an API elsewhere and win over the environment; --help says how (issue 11)', async () => {
    const elsewhere = {
      CARE_API_URL: 'http://127.0.0.1:9',
      CARE_API_TOKEN: testTokens.practitioner.token.replace(/.$/, '?'),
    };
    // The environment alone points at nothing listening, with a wrong token.
    expect((await care(['stuck', '--team', 'east'], { env: elsewhere })).code).toBe(1);
    const run = await care(
      ['--api-url', apiUrl, '--token', testTokens.auditor.token, 'stuck', '--team', 'east', '--json'],
      { env: elsewhere },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).journeys.map((j: { personId: string }) => j.personId)).toEqual([
      'cli-overdue',
    ]);
    const wrongToken = await care(['--api-url', apiUrl, '--token', 'not-a-token', 'stuck'], {
      env: elsewhere,
    });
    expect(wrongToken.stderr).toBe('care: unknown token: it is not one of the configured API tokens\n');
    const help = await care(['--help'], { env: elsewhere });
    expect(help.stdout).toMatch(/--api-url <url>\s+the care API to talk to/);
    expect(help.stdout).toMatch(/--token <token>\s+your API token \(default: CARE_API_TOKEN\)/);
    expect(help.stdout).toContain('CARE_API_URL=http://127.0.0.1:3100 CARE_API_TOKEN=... care show P123');
  });
});
