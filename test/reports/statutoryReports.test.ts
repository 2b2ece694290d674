import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/server';
import { runCare } from '../../cli/care';
import type { JourneyEvent } from '../../machines/events';
import { loadMapping } from '../../reports/cld/config';
import { exportCld } from '../../reports/cld/export';
import { timelinessReport } from '../../reports/timeliness/measures';
import { storeCaseRecord } from '../../store';
import { bearer, testTokens } from '../api/apiHarness';
import { openTestStore, type TestStore } from '../store/storeKit';
import { eventually } from '../support/eventually';
import { ev, interimSupportStarted, pathToActivation, referral, review } from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, serverNow, skipTo } from '../support/timeTravel';
import { cldAllowedValues, cldDateForm } from './cldFromSpec';

/**
 * Issue 15 on the time-skipping server: journeys driven through their roads (the ordinary road to a
 * first review, a direct payment ended by death, a carer's own journey, emergencies whose
 * assessment began on time, late, never, or on time but entered late, and a referral closed with
 * advice and entered weeks afterwards), written to the case-event store by the worker, then the
 * period exported. Every date comes from the server's clock placed on the first Monday of February
 * next year: nothing depends on today's date.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
let t: TestStore;
let api: FastifyInstance;

/** The first Monday of February of the year after the server's now, 10:00 UTC (GMT). */
let base: number;
const at = (day: number, hour = 10) => new Date(base + day * DAY + (hour - 10) * 3_600_000).toISOString();
/** dd/mm/yyyy of a day (all in GMT, before the clocks change) */
const d = (day: number) => {
  const x = new Date(base + day * DAY);
  return `${String(x.getUTCDate()).padStart(2, '0')}/${String(x.getUTCMonth() + 1).padStart(2, '0')}/${x.getUTCFullYear()}`;
};
const ymd = (day: number) => new Date(base + day * DAY).toISOString().slice(0, 10);
let period: { from: string; to: string };

/** What each journey is sent, and when it is entered (its events' own time unless `enteredAt`). */
interface Planned {
  personId: string;
  event: JourneyEvent;
  enteredAt?: string;
}

function emergency(personId: string, opts: { assessmentDay?: number; enteredDay?: number } = {}): Planned[] {
  const events: Planned[] = [
    { personId, event: referral(at(3, 8), undefined, { urgency: 'emergency' }) },
    { personId, event: ev('WORKER_ALLOCATED', at(3, 8.5), { team: 'south', workerId: 'bea' }) },
    {
      personId,
      event: ev('TRIAGED', at(3, 9), {
        route: 'emergencyInterimSupport',
        reason: 'Carer admitted to hospital',
      }),
    },
    { personId, event: interimSupportStarted(at(3, 12)) },
  ];
  if (opts.assessmentDay !== undefined)
    events.push({
      personId,
      event: ev('ASSESSMENT_STARTED', at(opts.assessmentDay), {}),
      ...(opts.enteredDay !== undefined ? { enteredAt: at(opts.enteredDay) } : {}),
    });
  return events;
}

function population(): Planned[] {
  // A: the ordinary road, council-managed (£9,360 a year), with a carer who accepts an assessment,
  // the informal review at 72 hours and the first review within 8 weeks, both met.
  const a = pathToActivation(at(0));
  a[0] = referral(at(0), 'ref-a', {
    name: 'Mrs Ann Smith',
    address: ['4 Mill Lane', 'Matlock'],
    postcode: 'de4 3ag',
  });
  const started = a.findIndex((e) => e.type === 'ASSESSMENT_STARTED');
  a.splice(
    started + 1,
    0,
    ev('CARER_IDENTIFIED', at(2, 11), { carerId: 'cld-carer' }),
    ev('CARER_ASSESSMENT_OFFERED', at(2, 12), { carerId: 'cld-carer', accepted: true }),
  );
  a.push(ev('INFORMAL_REVIEW_COMPLETED', at(11), {}), review(at(50)));
  // B: a direct payment of £180 a week; the person dies on day 30.
  const b = pathToActivation(at(1), { directPayment: true });
  b.push(
    ev('INFORMAL_REVIEW_COMPLETED', at(12), {}),
    ev('PERSON_DIED', at(30, 15), { dateOfDeath: ymd(30) }),
  );
  return [
    ...a.map((event) => ({ personId: 'cld-a', event })),
    ...b.map((event) => ({ personId: 'cld-b', event })),
    {
      personId: 'cld-carer',
      event: ev('UNIVERSAL_OFFER_GIVEN', at(5, 9), {
        informationAndAdvice: ['Carers support group'],
        signposting: [],
        prevention: [],
      }),
    },
    {
      personId: 'cld-carer',
      event: ev('TRIAGED', at(5), { route: 'assessment', reason: "Carer's assessment" }),
    },
    ...emergency('cld-emg-met', { assessmentDay: 4 }),
    ...emergency('cld-emg-missed'),
    ...emergency('cld-emg-late', { assessmentDay: 14 }),
    // begun on day 4, within 3 working days, but entered on day 10 after the journey flagged it overdue
    ...emergency('cld-emg-backdated', { assessmentDay: 4, enteredDay: 10 }),
    // a referral closed with information and advice, both entered on day 40
    ...[
      referral(at(5), 'ref-late'),
      ev('UNIVERSAL_OFFER_GIVEN', at(5, 11), {
        informationAndAdvice: ['Local befriending service'],
        signposting: [],
        prevention: [],
      }),
      ev('TRIAGED', at(6), { route: 'informationAndAdvice', reason: 'Advice meets the need' }),
    ].map((event) => ({ personId: 'cld-late', event, enteredAt: at(40) })),
  ];
}

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  const now = new Date(await serverNow(env));
  const year = now.getUTCFullYear() + 1;
  const first = new Date(Date.UTC(year, 1, 1, 10));
  base = first.getTime() + ((8 - first.getUTCDay()) % 7) * DAY;
  period = { from: ymd(0), to: ymd(88) };
  t = await openTestStore('embedded');
  kit = await journeyKit(env, {
    CARE_API_TOKENS: JSON.stringify(
      Object.fromEntries(
        Object.entries(testTokens).map(([role, { token, userId }]) => [token, { userId, role, teams: '*' }]),
      ),
    ),
  });
  await kit.startWorker({ caseRecord: storeCaseRecord(t.store) });
  api = await buildApi({ client: env.client, config: kit.config, store: t.store });

  // Every journey's events in the order they are entered, the server's clock moved to each.
  const planned = population().sort(
    (x, y) => Date.parse(x.enteredAt ?? x.event.occurredAt) - Date.parse(y.enteredAt ?? y.event.occurredAt),
  );
  const started = new Set<string>();
  for (const { personId, event, enteredAt } of planned) {
    await skipTo(env, enteredAt ?? event.occurredAt);
    if (personId === 'cld-carer') {
      // opened by cld-a's journey (R-CAR-1): wait for its referral to be applied
      await eventually(async () => expect((await kit.view('cld-carer')).stage).toBe('triage'));
    } else if (!started.has(personId)) {
      started.add(personId);
      await kit.startJourney(personId);
    }
    await kit.sendAll(personId, [event]);
  }
  await skipTo(env, at(89));
  // the worker writes the store: wait until every accepted event is in it
  await eventually(async () => {
    for (const personId of [...started, 'cld-carer']) {
      const { timeline } = await kit.timeline(personId);
      const { rows } = await t.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM case_records WHERE person_id = $1 AND kind = 'event'",
        [personId],
      );
      expect(Number(rows[0]?.n)).toBe(timeline.length);
    }
  }, 60_000);
}, 300_000);

afterAll(async () => {
  await api?.close();
  await kit?.teardown();
  await env?.teardown();
  await t?.close();
});

const blank = Object.fromEntries(Object.keys(cldAllowedValues.header).map((f) => [f, ''])) as Record<
  string,
  string
>;

/** An expected row: every field blank unless given. */
function row(personId: string, fields: Record<string, string>): Record<string, string> {
  return {
    ...blank,
    LA_Code: 'E10000007',
    Reporting_Period_Start_Date: d(0),
    Reporting_Period_End_Date: d(88),
    LA_Person_Unique_Identifier: personId,
    Client_Type: 'Service user',
    ...fields,
  };
}

/** The council's profile and bank holidays, as the API passes them. */
const council = () => ({
  profile: kit.config.policyProfile,
  extraBankHolidays: kit.config.extraBankHolidays,
});

const readCsv = (csv: string): Record<string, string>[] =>
  parse(csv, { columns: true, skip_empty_lines: true, record_delimiter: '\r\n' }) as Record<string, string>[];

describe('the CLD return (issue 15)', () => {
  it('has exactly the rows of every road, dated by when each event really happened', async () => {
    const { csv } = await exportCld(t.db, period);
    const rows = readCsv(csv);
    const emergencyRows = (personId: string) => [
      row(personId, {
        Event_Type: 'Request',
        // a GP's referral (the referral's source, kept with the event on the case record)
        Request_Route_of_Access: 'Community / Other route',
        Event_Reference: expect.stringMatching(new RegExp(`^${personId}/referral_received-\\d+$`)) as never,
        Event_Start_Date: d(3),
        Event_End_Date: d(3),
        Event_Description: 'Referral',
        Event_Outcome: 'Progress to support planning or services',
      }),
      row(personId, {
        Event_Type: 'Service',
        Event_Reference: expect.stringMatching(
          new RegExp(`^${personId}/interim_support_started-\\d+$`),
        ) as never,
        Event_Start_Date: d(3),
        Event_Description: 'Emergency interim support',
        // still running at the period's end
        Event_Outcome: 'Continuation of support or services',
        Service_Type: 'Short term support: Other short term',
        // "emergency home care"
        Service_Component: 'Home support or domiciliary care',
        Delivery_Mechanism: 'CASSR commissioned support',
      }),
    ];
    const ref = (personId: string, type: string, part = '') =>
      expect.stringMatching(new RegExp(`^${personId}/${type.toLowerCase()}-\\d+${part}$`)) as never;
    expect(rows).toEqual([
      row('cld-a', {
        Postcode: 'DE4 3AG',
        Event_Type: 'Request',
        // a GP's referral (the referral's source, kept with the event on the case record)
        Request_Route_of_Access: 'Community / Other route',
        Event_Reference: ref('cld-a', 'REFERRAL_RECEIVED'),
        Event_Start_Date: d(0),
        Event_End_Date: d(1),
        Event_Description: 'Referral',
        Event_Outcome: 'Progress to assessment, review or reassessment',
      }),
      row('cld-a', {
        Postcode: 'DE4 3AG',
        Event_Type: 'Assessment',
        Event_Reference: ref('cld-a', 'ASSESSMENT_STARTED'),
        Event_Start_Date: d(2),
        Event_End_Date: d(3),
        Event_Description: 'Needs assessment',
        Event_Outcome: 'Progress to support planning or services',
        Assessment_Type: 'Long term assessment',
        Eligible_Needs_Identified: 'Yes',
      }),
      row('cld-a', {
        Postcode: 'DE4 3AG',
        Event_Type: 'Service',
        Event_Reference: ref('cld-a', 'SERVICES_ACTIVATED', '/councilManaged'),
        Event_Start_Date: d(9),
        Event_Description: 'Long-term support (councilManaged)',
        Event_Outcome: 'Continuation of support or services',
        Service_Type: 'Long term support: Community',
        Service_Component: 'Home support or domiciliary care',
        Delivery_Mechanism: 'CASSR commissioned support',
        Unit_Cost: '180.00',
        Cost_Frequency_Unit_Type: 'Weekly',
        Planned_units_per_week: '1.00',
      }),
      row('cld-a', {
        Postcode: 'DE4 3AG',
        Event_Type: 'Review',
        Event_Reference: ref('cld-a', 'REVIEW_COMPLETED'),
        Event_Start_Date: d(50),
        Event_End_Date: d(50),
        Event_Description: 'Review',
        Event_Outcome: 'Continuation of support or services',
        Review_Reason: 'Planned',
      }),
      row('cld-b', {
        Date_of_Death: d(30),
        Event_Type: 'Request',
        // a GP's referral (the referral's source, kept with the event on the case record)
        Request_Route_of_Access: 'Community / Other route',
        Event_Reference: ref('cld-b', 'REFERRAL_RECEIVED'),
        Event_Start_Date: d(1),
        Event_End_Date: d(2),
        Event_Description: 'Referral',
        Event_Outcome: 'Progress to assessment, review or reassessment',
      }),
      row('cld-b', {
        Date_of_Death: d(30),
        Event_Type: 'Assessment',
        Event_Reference: ref('cld-b', 'ASSESSMENT_STARTED'),
        Event_Start_Date: d(3),
        Event_End_Date: d(4),
        Event_Description: 'Needs assessment',
        Event_Outcome: 'Progress to support planning or services',
        Assessment_Type: 'Long term assessment',
        Eligible_Needs_Identified: 'Yes',
      }),
      row('cld-b', {
        Date_of_Death: d(30),
        Event_Type: 'Service',
        Event_Reference: ref('cld-b', 'SERVICES_ACTIVATED', '/directPayment'),
        Event_Start_Date: d(10),
        Event_End_Date: d(30),
        Event_Description: 'Long-term support (directPayment)',
        Event_Outcome: 'NFA: Deceased',
        Service_Type: 'Long term support: Community',
        Service_Component: 'Direct payment',
        Delivery_Mechanism: 'Direct payment',
        Unit_Cost: '180.00',
        Cost_Frequency_Unit_Type: 'Weekly',
        Planned_units_per_week: '1.00',
      }),
      row('cld-carer', {
        Client_Type: 'Unpaid carer',
        // a carer's rows are about the caring role
        Primary_Support_Reason: 'Social support: Support to unpaid carer',
        Event_Type: 'Request',
        // a GP's referral (the referral's source, kept with the event on the case record)
        Request_Route_of_Access: 'Community / Other route',
        Event_Reference: expect.stringMatching(
          /^cld-carer\/cld-a:carer_assessment_offered-\d+:carer:referral$/,
        ) as never,
        Event_Start_Date: d(2),
        Event_End_Date: d(5),
        Event_Description: "Carer's referral",
        Event_Outcome: 'Progress to assessment, review or reassessment',
        No_of_adults_being_cared_for: '1',
        Adult_1_Linked_Person_ID: 'cld-a',
      }),
      ...emergencyRows('cld-emg-backdated'),
      ...emergencyRows('cld-emg-late'),
      ...emergencyRows('cld-emg-met'),
      ...emergencyRows('cld-emg-missed'),
      row('cld-late', {
        LA_Code: 'E10000007',
        Event_Type: 'Request',
        // a GP's referral (the referral's source, kept with the event on the case record)
        Request_Route_of_Access: 'Community / Other route',
        Event_Reference: ref('cld-late', 'REFERRAL_RECEIVED'),
        Event_Start_Date: d(5),
        Event_End_Date: d(6),
        Event_Description: 'Referral',
        Event_Outcome: 'NFA: Information and advice or signposting',
      }),
    ]);
  });

  it('gives the same bytes when run twice', async () => {
    const first = await exportCld(t.db, period);
    const second = await exportCld(t.db, period);
    expect(second.csv).toBe(first.csv);
    expect(second.problemsCsv).toBe(first.problemsCsv);
    expect(first.csv.split('\r\n')[0]).toBe(Object.keys(cldAllowedValues.header).join(','));
  });

  it('holds no value outside CLD.md’s allowed values (an independent check)', async () => {
    const { csv } = await exportCld(t.db, period);
    const rows = readCsv(csv);
    expect(rows.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    rows.forEach((r, i) => {
      for (const [field, value] of Object.entries(r)) {
        if (!value) continue;
        const allowed = cldAllowedValues.lists[field];
        if (allowed && !allowed(value)) wrong.push(`row ${i + 2} ${field}: "${value}"`);
        if (cldAllowedValues.dates.includes(field) && !cldDateForm.test(value))
          wrong.push(`row ${i + 2} ${field}: "${value}" is not dd/mm/yyyy`);
      }
    });
    expect(wrong).toEqual([]);
  });

  it('writes every problem with its field, kind, reason and journey, and counts them in the summary', async () => {
    const { problems, problemsCsv, summary } = await exportCld(t.db, period);
    expect(summary.rowsByEventType).toEqual({ Request: 8, Assessment: 2, Service: 6, Review: 1 });
    expect(summary.rows).toBe(17);
    // what the store cannot say, for every row: the person's details beyond the postcode
    expect(summary.problemsByField.Date_of_Birth).toEqual({ blankMandatory: 17 });
    expect(summary.problemsByField.Postcode).toEqual({ blankMandatory: 13 });
    // the referral's source is on the case record with its event, but DHSC's code publishes no
    // Release 2 route of access: the Release 1 string is sent and flagged; no journey event records
    // the method of assessment
    expect(summary.problemsByField.Request_Route_of_Access).toEqual({ release1Value: 8 });
    expect(summary.problemsByField.Method_of_Assessment).toEqual({ blankMandatory: 2 });
    // every service has a component
    expect(summary.problemsByField.Service_Component).toBeUndefined();
    // a Release 1 string the council must replace; outcomes achieved and method not recorded
    expect(summary.problemsByField.Review_Reason).toEqual({ release1Value: 1 });
    expect(summary.problemsByField.Review_Outcomes_Achieved).toEqual({ blankMandatory: 1 });
    expect(summary.problemsByField.Method_of_Review).toEqual({ blankMandatory: 1 });
    expect(summary.problems).toBe(problems.length);
    const lines = readCsv(problemsCsv);
    expect(lines).toHaveLength(problems.length);
    const method = lines.find((l) => l.Problem_Field === 'Method_of_Assessment');
    expect(method).toMatchObject({
      Problem_Kind: 'blankMandatory',
      Event_Type: 'Assessment',
      Journey: expect.stringMatching(/^cld-/),
    });
    expect(method?.Problem_Reason?.length).toBeGreaterThan(10);
  });
});

describe('a value outside the allowed values (issue 15 point 2)', () => {
  it('never leaves: blanked in the return and on a problem row with the value, the reason and the journey', async () => {
    const mapping = loadMapping();
    // a council's typo in its mapping: DHSC's string is "Service user"
    mapping.clientType.person = 'Service User';
    const { csv, problems } = await exportCld(t.db, period, { mapping });
    expect(csv).not.toContain('Service User');
    const rows = readCsv(csv);
    expect(rows.filter((r) => r.Client_Type === '')).toHaveLength(16);
    const invalid = problems.filter((p) => p.field === 'Client_Type');
    expect(invalid).toHaveLength(16);
    expect(invalid[0]).toMatchObject({
      personId: 'cld-a',
      kind: 'invalid',
      value: 'Service User',
      reason: expect.stringContaining("is not one of CLD Release 2's values for Client_Type"),
    });
  });
});

describe('the timeliness measures (issue 15 point 4)', () => {
  it('counts each clock met, met late (a back-dated entry too), missed or open, per team', async () => {
    const report = await timelinessReport(t.db, period, council());
    const counts = (team: string) =>
      Object.fromEntries(
        (report.teams.find((x) => x.team === team)?.measures ?? [])
          .filter((m) => m.total > 0)
          .map((m) => [m.measure, { met: m.met, metLate: m.metLate, missed: m.missed, open: m.open }]),
      );
    // DHSC's method counts the requests begun in the period, so the unallocated ones have a row: the
    // carer's own referral (not a service user) and the advice-only one (no date of birth recorded)
    expect(report.teams.map((x) => x.team)).toEqual(['(unallocated)', 'north', 'south']);
    expect(report.teams[0]!.dhscWaitingTimes.requests).toMatchObject({
      begun: 2,
      leftOut: { notAServiceUser: 1, noDateOfBirth: 1 },
    });
    expect(counts('(unallocated)')).toEqual({});
    expect(counts('south')).toEqual({
      emergencyAssessmentStart: { met: 1, metLate: 2, missed: 1, open: 0 },
    });
    expect(counts('north')).toEqual({
      informalReview: { met: 2, metLate: 0, missed: 0, open: 0 },
      // R-REV-2 measured twice: the review on day 50, 41 days after services began, meets both
      firstReviewTarget: { met: 1, metLate: 0, missed: 0, open: 0 },
      firstReviewLimit: { met: 1, metLate: 0, missed: 0, open: 0 },
    });
    // real dates: the back-dated assessment began the day after its referral
    expect(report.teams.find((x) => x.team === 'south')?.referralToAssessment).toEqual({
      cases: 3,
      medianDays: 1,
    });
    expect(report.teams.find((x) => x.team === 'north')?.referralToAssessment).toEqual({
      cases: 2,
      medianDays: 2,
    });
    expect(report.teams.find((x) => x.team === 'north')?.referralToServices).toEqual({
      cases: 2,
      medianDays: 9,
    });
    expect(report.teams.find((x) => x.team === 'south')?.referralToServices).toEqual({
      cases: 4,
      medianDays: 0,
    });
    expect(report.overall.referralToAssessment).toEqual({ cases: 5, medianDays: 2 });
    const south = await timelinessReport(t.db, period, { ...council(), team: 'south' });
    expect(south.teams.map((x) => x.team)).toEqual(['south']);
  });
});

describe('GET /reports/cld and /reports/timeliness', () => {
  it('answers auditors and managers with the CSV and the figures, refuses practitioners, names a wrong date', async () => {
    const q = `from=${period.from}&to=${period.to}`;
    const csv = await api.inject({ method: 'GET', url: `/reports/cld?${q}`, headers: bearer('auditor') });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const exported = await exportCld(t.db, period);
    expect(csv.body).toBe(exported.csv);
    const asJson = await api.inject({
      method: 'GET',
      url: `/reports/cld/problems?${q}`,
      headers: { ...bearer('manager'), accept: 'application/json' },
    });
    expect(asJson.json()).toEqual({
      summary: exported.summary,
      csv: exported.csv,
      problemsCsv: exported.problemsCsv,
    });
    const timeliness = await api.inject({
      method: 'GET',
      url: `/reports/timeliness?${q}&team=south`,
      headers: bearer('manager'),
    });
    expect(timeliness.statusCode).toBe(200);
    expect(timeliness.json()).toEqual(
      JSON.parse(JSON.stringify(await timelinessReport(t.db, period, { ...council(), team: 'south' }))),
    );
    const refused = await api.inject({
      method: 'GET',
      url: `/reports/cld?${q}`,
      headers: bearer('practitioner'),
    });
    expect(refused.statusCode).toBe(403);
    const wrong = await api.inject({
      method: 'GET',
      url: `/reports/cld/summary?from=01/04/2026&to=${period.to}`,
      headers: bearer('auditor'),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toContain('from: must be a date YYYY-MM-DD');
  });
});

describe('care export cld and care report timeliness', () => {
  it('writes the return and its problem rows beside it, prints the summary; prints the timeliness per team', async () => {
    const url = await api.listen({ host: '127.0.0.1', port: 0 });
    const dir = mkdtempSync(path.join(tmpdir(), 'care-cld-'));
    const out: string[] = [];
    const io = {
      stdout: (x: string) => out.push(x),
      stderr: (x: string) => out.push(x),
      env: {},
      readStdin: () => '',
    };
    const auditor = ['--api-url', url, '--token', testTokens.auditor.token];
    const file = path.join(dir, 'q1.csv');
    const exportArgs = [...auditor, 'export', 'cld', '--from', period.from, '--to', period.to, '--out', file];
    // The return is a rolling 12 months: a quarter only on request, and labelled as such.
    expect(await runCare(exportArgs, io)).toBe(1);
    expect(out.join('')).toMatch(/shorter than the rolling 12 months .* add --short-period/);
    expect(existsSync(file)).toBe(false);
    out.length = 0;
    // Rows DHSC would reject make the export fail, so a scheduler notices; the files are written.
    const exported = await exportCld(t.db, period);
    expect(exported.summary.rowsWithProblems).toBeGreaterThan(0);
    expect(await runCare([...exportArgs, '--short-period'], io)).toBe(1);
    expect(out.join('')).toMatch(/rows would fail DHSC's checks .* add --accept-problems/);
    expect(readFileSync(file, 'utf8')).toBe(exported.csv);
    out.length = 0;
    expect(await runCare([...exportArgs, '--short-period', '--accept-problems'], io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(exported.csv);
    expect(readFileSync(path.join(dir, 'q1.problems.csv'), 'utf8')).toBe(exported.problemsCsv);
    expect(out.join('')).toContain(`CLD Release 2, ${period.from} to ${period.to}: 17 rows from 8 journeys`);
    expect(out.join('')).toContain("a shorter period than DHSC's rolling 12 months, exported on request");
    expect(out.join('')).toContain('rows by event type: Request 8, Assessment 2, Service 6, Review 1');
    out.length = 0;
    expect(
      await runCare(
        [...auditor, 'report', 'timeliness', '--from', period.from, '--to', period.to, '--team', 'south'],
        io,
      ),
    ).toBe(0);
    expect(out.join('')).toContain(
      'R-EMG-1  Emergency: the formal assessment begun within 3 working days of interim support: met 1, met late 2, missed 1, open 0',
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
