import { randomBytes } from 'node:crypto';
import { personRecordSchema } from '../../machines/personRecord';
import { policyProfiles, type PolicyProfile } from '../../machines/policyProfile';
import type { ReportingPeriod } from '../../reports/period';
import { datesOfBirth } from '../../reports/timeliness/datesOfBirth';
import { dhscWaitsOfPerson, type DhscEvent } from '../../reports/timeliness/dhscWaitingTimes';
import {
  timelinessReport,
  type MeasureId,
  type TimelinessOptions,
  type TimelinessReport,
} from '../../reports/timeliness/measures';
import { FieldSealer } from '../../store/fieldCrypto';
import { PersonRecordStore } from '../../store/personRecord';
import { openTestStore, type TestStore } from '../store/storeKit';
import { record } from './cldJourneys';
import { dhscPopulation, dhscUntil, recordTimelinessJourneys, until } from './timelinessJourneys';

/**
 * The timeliness measures as their definitions say (reports/timeliness/definitions.ts), on journeys
 * driven through the journey's own run into an embedded store (timelinessJourneys.ts): for every
 * measure a journey that ended early, a back-dated entry and a bank-holiday edge around Christmas
 * 2026 (Fri 25 Dec, Mon 28 Dec for Boxing Day, Fri 1 Jan). Then DHSC's waiting-times method on a
 * small population whose waits are worked out here by hand.
 */

const derbyshire = policyProfiles.derbyshire;
const december: ReportingPeriod = { from: '2026-12-01', to: '2026-12-31' };

let t: TestStore;

beforeAll(async () => {
  t = await openTestStore('embedded');
  await recordTimelinessJourneys(t.store);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

type Counts = { met: number; metLate: number; missed: number; notCounted: number; open: number };
const none: Counts = { met: 0, metLate: 0, missed: 0, notCounted: 0, open: 0 };
const tally = (counts: Partial<Counts>): Counts => ({ ...none, ...counts });

/** One journey's (its team's) counts of one measure in a period. */
async function counts(
  team: string,
  measure: MeasureId,
  period: ReportingPeriod = december,
  options: Partial<TimelinessOptions> = {},
): Promise<Counts> {
  const report = await timelinessReport(t.db, period, { profile: derbyshire, ...options, team });
  const m = report.teams.find((x) => x.team === team)?.measures.find((x) => x.measure === measure);
  if (!m) return none;
  expect(m.total).toBe(m.met + m.metLate + m.missed + m.open);
  return { met: m.met, metLate: m.metLate, missed: m.missed, notCounted: m.notCounted, open: m.open };
}

describe('R-EMG-1: the assessment begun within 3 working days of interim support (Thu 24 Dec: by the end of Thu 31 Dec)', () => {
  it('bank holidays: begun on 31 Dec is met (25 and 28 Dec are not working days), on Mon 4 Jan late; counted in December, when it was due', async () => {
    expect(await counts('emg-holiday-met', 'emergencyAssessmentStart')).toEqual(tally({ met: 1 }));
    expect(await counts('emg-holiday-late', 'emergencyAssessmentStart')).toEqual(tally({ metLate: 1 }));
    expect(
      await counts('emg-holiday-met', 'emergencyAssessmentStart', { from: '2027-01-01', to: '2027-01-31' }),
    ).toEqual(none);
  });

  it('ended early: a death on 29 Dec recorded on 5 Jan, after the clock was flagged, is not counted; a death on 2 Jan leaves it missed', async () => {
    expect(await counts('emg-died-first', 'emergencyAssessmentStart')).toEqual(tally({ notCounted: 1 }));
    expect(await counts('emg-died-after', 'emergencyAssessmentStart')).toEqual(tally({ missed: 1 }));
  });

  it('back-dated: begun on 31 Dec but entered on 4 Jan, after the journey flagged it, counts as met late (R-TIM-2)', async () => {
    expect(await counts('emg-backdated', 'emergencyAssessmentStart')).toEqual(tally({ metLate: 1 }));
  });
});

describe('R-REV-1: the informal review 72 hours after services start (Wed 23 Dec 10:00: by Sat 26 Dec 10:00)', () => {
  it('bank holidays do not stretch calendar hours: held on 24 Dec is met, on Mon 28 Dec (a bank holiday) late', async () => {
    expect(await counts('rev1-holiday-met', 'informalReview')).toEqual(tally({ met: 1 }));
    expect(await counts('rev1-holiday-late', 'informalReview')).toEqual(tally({ metLate: 1 }));
  });

  it('ended early: a death on Christmas Day recorded on 29 Dec is not counted; a death on 27 Dec leaves it missed', async () => {
    expect(await counts('rev1-died-first', 'informalReview')).toEqual(tally({ notCounted: 1 }));
    expect(await counts('rev1-died-after', 'informalReview')).toEqual(tally({ missed: 1 }));
  });

  it('back-dated: held on 24 Dec, entered on 29 Dec: met late', async () => {
    expect(await counts('rev1-backdated', 'informalReview')).toEqual(tally({ metLate: 1 }));
  });
});

describe('R-REV-2: the first review, its 6-week target beside its 8-week limit (services Mon 16 Nov: target Mon 28 Dec, limit Mon 11 Jan)', () => {
  const winter = { from: '2026-12-01', to: '2027-01-31' };
  const both = async (team: string) => ({
    target: await counts(team, 'firstReviewTarget', winter),
    limit: await counts(team, 'firstReviewLimit', winter),
  });

  it('bank holidays: a target on Boxing Day’s substitute stays there: held on 24 Dec meets both, on 29 Dec misses the target but meets the limit', async () => {
    expect(await both('rev2-holiday-met')).toEqual({ target: tally({ met: 1 }), limit: tally({ met: 1 }) });
    expect(await both('rev2-holiday-late')).toEqual({
      target: tally({ metLate: 1 }),
      limit: tally({ met: 1 }),
    });
    // each counted in the period of its own day
    expect(await counts('rev2-holiday-met', 'firstReviewTarget')).toEqual(tally({ met: 1 }));
    expect(await counts('rev2-holiday-met', 'firstReviewLimit')).toEqual(none);
  });

  it('ended early: a death on 4 Jan (recorded 20 Jan) misses the target and leaves the limit uncounted; a death on 20 Dec leaves both uncounted', async () => {
    expect(await both('rev2-died-between')).toEqual({
      target: tally({ missed: 1 }),
      limit: tally({ notCounted: 1 }),
    });
    expect(await both('rev2-died-first')).toEqual({
      target: tally({ notCounted: 1 }),
      limit: tally({ notCounted: 1 }),
    });
  });

  it('back-dated: held on 22 Dec, entered on 5 Jan, is late for the target and met for the limit; entered on 13 Jan, late for both', async () => {
    expect(await both('rev2-backdated')).toEqual({ target: tally({ metLate: 1 }), limit: tally({ met: 1 }) });
    expect(await both('rev2-backdated-late')).toEqual({
      target: tally({ metLate: 1 }),
      limit: tally({ metLate: 1 }),
    });
  });
});

describe('R-REV-5: reviews no more than 6 months apart (a review on 25 Jun of a young service: the next by Fri 25 Dec)', () => {
  it('bank holidays: due on Christmas Day, held on 24 Dec is met, on 29 Dec late; the 12-month review after it is the other measure', async () => {
    expect(await counts('rev5-holiday-met', 'reducedIntervalReview')).toEqual(tally({ met: 1 }));
    expect(await counts('rev5-holiday-late', 'reducedIntervalReview')).toEqual(tally({ metLate: 1 }));
    expect(await counts('rev5-holiday-met', 'annualReview')).toEqual(none);
    // the service is older now: the review of 24 Dec set the next 12 months on, open at the store's last entry
    const next = { from: '2027-12-01', to: '2027-12-31' };
    expect(await counts('rev5-holiday-met', 'annualReview', next)).toEqual(tally({ open: 1 }));
    expect(await counts('rev5-holiday-met', 'reducedIntervalReview', next)).toEqual(none);
  });

  it('ended early: moved away on 1 Dec, the review due on 25 Dec (flagged while the funding ran on) is not counted', async () => {
    expect(await counts('rev5-moved', 'reducedIntervalReview')).toEqual(tally({ notCounted: 1 }));
  });

  it('back-dated: held on 24 Dec, entered on 30 Dec: met late', async () => {
    expect(await counts('rev5-backdated', 'reducedIntervalReview')).toEqual(tally({ metLate: 1 }));
  });
});

describe('R-REV-3: reviews no more than 12 months apart (a review on 15 Jan 2026 set the next for Mon 28 Dec)', () => {
  it('bank holidays: held on 24 Dec is met, on 29 Dec late; the 6-month interval before it is counted apart', async () => {
    expect(await counts('rev3-holiday-met', 'annualReview')).toEqual(tally({ met: 1 }));
    expect(await counts('rev3-holiday-late', 'annualReview')).toEqual(tally({ metLate: 1 }));
    expect(await counts('rev3-holiday-met', 'reducedIntervalReview')).toEqual(none);
    // the first review (21 Jul 2025, a young service) set the next within 6 months: met on 15 Jan
    const january = { from: '2026-01-01', to: '2026-01-31' };
    expect(await counts('rev3-holiday-met', 'reducedIntervalReview', january)).toEqual(tally({ met: 1 }));
    expect(await counts('rev3-holiday-met', 'annualReview', january)).toEqual(none);
  });

  it('ended early: a death on 20 Dec recorded on 10 Jan is not counted', async () => {
    expect(await counts('rev3-died-first', 'annualReview')).toEqual(tally({ notCounted: 1 }));
  });

  it('back-dated: held on 24 Dec, entered on 4 Jan: met late', async () => {
    expect(await counts('rev3-backdated', 'annualReview')).toEqual(tally({ metLate: 1 }));
  });
});

describe("R-END-1: services ended with the profile's working days' notice (posted Mon 14 Dec, ending Wed 30 Dec)", () => {
  it("bank holidays and the council's profile: met with 10 working days; missed with 11, or with an extra bank holiday configured", async () => {
    expect(await counts('end1-holiday', 'endLetterNotice')).toEqual(tally({ met: 1 }));
    // 11 working days without the holidays would end on 29 Dec; with 25 and 28 Dec, on 31 Dec
    const eleven: PolicyProfile = {
      ...derbyshire,
      ending: { ...derbyshire.ending, endLetterNoticeWorkingDays: 11 },
    };
    expect(await counts('end1-holiday', 'endLetterNotice', december, { profile: eleven })).toEqual(
      tally({ missed: 1 }),
    );
    expect(
      await counts('end1-holiday', 'endLetterNotice', december, { extraBankHolidays: ['2026-12-29'] }),
    ).toEqual(tally({ missed: 1 }));
    const report = await timelinessReport(t.db, december, { profile: eleven, team: 'end1-holiday' });
    expect(report.definitions.find((d) => d.measure === 'endLetterNotice')?.description).toBe(
      "Services ended with at least 11 working days' notice from the letter's posting",
    );
  });

  it('ended early: a death during the notice leaves the letter counted, as it was when posted', async () => {
    expect(await counts('end1-died', 'endLetterNotice')).toEqual(tally({ met: 1 }));
  });

  it("back-dated: entered on 17 Dec saying it was posted on 11 Dec, it is judged from the journey's own posting date, 14 Dec", async () => {
    expect(
      await counts('end1-backdated', 'endLetterNotice', { from: '2026-12-14', to: '2026-12-31' }),
    ).toEqual(tally({ met: 1 }));
    expect(
      await counts('end1-backdated', 'endLetterNotice', { from: '2026-12-01', to: '2026-12-13' }),
    ).toEqual(none);
  });
});

describe("R-END-2: a direct payment agreement ended with 4 weeks' notice (given Fri 27 Nov: ends Fri 25 Dec)", () => {
  it('bank holidays: it ends on Christmas Day (calendar weeks), counted on that day', async () => {
    expect(
      await counts('dp-holiday', 'directPaymentNotice', { from: '2026-12-25', to: '2026-12-25' }),
    ).toEqual(tally({ met: 1 }));
    expect(
      await counts('dp-holiday', 'directPaymentNotice', { from: '2026-12-01', to: '2026-12-24' }),
    ).toEqual(none);
  });

  it('ended early: a death on 10 Dec, before the end date, leaves it uncounted', async () => {
    expect(await counts('dp-died', 'directPaymentNotice')).toEqual(tally({ notCounted: 1 }));
  });

  it('back-dated: the notice of 27 Nov entered on 2 Dec ends the agreement 4 weeks after the notice, not the entry', async () => {
    expect(
      await counts('dp-backdated', 'directPaymentNotice', { from: '2026-12-25', to: '2026-12-25' }),
    ).toEqual(tally({ met: 1 }));
  });
});

describe('the definitions on the report', () => {
  it("gives each measure's rule, the instant it is judged at and what counts as met, late, missed, not counted and open, and what the store knew", async () => {
    const report = await timelinessReport(t.db, december, { profile: derbyshire });
    expect(report.asOf).toBe(until);
    expect(report.council).toBe('Derbyshire');
    expect(report.definitions.map((d) => [d.measure, d.ruleId])).toEqual([
      ['emergencyAssessmentStart', 'R-EMG-1'],
      ['informalReview', 'R-REV-1'],
      ['firstReviewTarget', 'R-REV-2'],
      ['firstReviewLimit', 'R-REV-2'],
      ['annualReview', 'R-REV-3'],
      ['reducedIntervalReview', 'R-REV-5'],
      ['endLetterNotice', 'R-END-1'],
      ['directPaymentNotice', 'R-END-2'],
    ]);
    for (const d of report.definitions)
      for (const words of [d.judgedAt, d.countedIn, d.met, d.metLate, d.missed, d.notCounted, d.open])
        expect(words.length).toBeGreaterThan(10);
    expect(report.definitions.find((d) => d.measure === 'firstReviewTarget')?.description).toContain(
      '6 weeks',
    );
    expect(report.definitions.find((d) => d.measure === 'firstReviewLimit')?.description).toContain(
      '8 weeks',
    );
    // every team's measures, and all teams together, in the definitions' order
    for (const team of [...report.teams, report.overall])
      expect(team.measures.map((m) => m.measure)).toEqual(report.definitions.map((d) => d.measure));
    const overall = report.overall.measures.find((m) => m.measure === 'emergencyAssessmentStart');
    expect(overall).toMatchObject({ met: 1, metLate: 2, missed: 1, notCounted: 1, open: 0, total: 4 });
    expect(report.waitingTimeDefinitions.dhsc).toMatchObject({
      version: '1.1',
      published: '2026-05-19',
      path: 'Waiting_times/waiting_times_method.sql',
      commit: expect.stringMatching(/^9bee728/),
      datesOfBirth: 'personRecord',
    });
  });
});

// ---- DHSC's waiting-times method ----------------------------------------------------------------

/** A hand-made CLD event of one person. */
function cld(type: DhscEvent['type'], start: string, fields: Partial<DhscEvent> = {}): DhscEvent {
  return {
    type,
    team: 'north',
    start,
    end: type === 'Service' ? undefined : start,
    at: `${start}T10:00:00.000Z`,
    reference: `${type}-${start}`,
    outcome:
      type === 'Request'
        ? 'Progress to assessment, review or reassessment'
        : type === 'Assessment'
          ? 'Progress to support planning or services'
          : undefined,
    clientType: 'Service user',
    eventKind:
      type === 'Assessment'
        ? 'Long term assessment'
        : type === 'Service'
          ? 'Long term support: Community'
          : undefined,
    ...fields,
  };
}
const q1: ReportingPeriod = { from: '2027-01-01', to: '2027-03-31' };
const waitsOf = (events: DhscEvent[], born = '1946-03-10') =>
  dhscWaitsOfPerson('p', events, born, q1).map((w) => ({
    request: w.requestStart,
    ...(w.leftOut ? { leftOut: w.leftOut } : {}),
    ...(w.firstResponse ? { response: [w.firstResponse.type, w.firstResponse.days] } : {}),
    ...(w.firstService ? { service: w.firstService.days } : {}),
  }));

describe("DHSC's waiting-times method, stage by stage (its SQL, version 1.1)", () => {
  it('3.2: a service before the first assessment is the first response', () => {
    expect(
      waitsOf([cld('Request', '2027-01-04'), cld('Service', '2027-01-06'), cld('Assessment', '2027-01-10')]),
    ).toEqual([{ request: '2027-01-04', response: ['Service', 2], service: 2 }]);
  });

  it('3.3: no first service after assessments none of which progressed to services; one that did in the block is enough', () => {
    const declined = { outcome: 'NFA: Support declined' };
    expect(
      waitsOf([
        cld('Request', '2027-01-04'),
        cld('Assessment', '2027-01-05', declined),
        cld('Service', '2027-01-15'),
      ]),
    ).toEqual([{ request: '2027-01-04', response: ['Assessment', 1] }]);
    expect(
      waitsOf([
        cld('Request', '2027-01-04'),
        cld('Assessment', '2027-01-05', declined),
        cld('Assessment', '2027-01-07'),
        cld('Service', '2027-01-15'),
      ]),
    ).toEqual([{ request: '2027-01-04', response: ['Assessment', 1], service: 11 }]);
  });

  it("3.4: a request begun during an earlier request's follow-up is left out", () => {
    expect(
      waitsOf([
        cld('Request', '2027-01-04'),
        cld('Assessment', '2027-01-06'),
        cld('Request', '2027-01-09'),
        cld('Service', '2027-01-24'),
      ]),
    ).toEqual([
      { request: '2027-01-04', response: ['Assessment', 2], service: 20 },
      { request: '2027-01-09', leftOut: 'overlapsEarlierRequest' },
    ]);
  });

  it('1.3c: an existing client is one with long-term support ended in the 12 months before, or short-term in the 3 months before, or open', () => {
    const request = cld('Request', '2027-01-04');
    const service = (kind: string, start: string, end: string | undefined) =>
      cld('Service', start, { eventKind: kind, end, reference: `${kind}-${end}` });
    const leftOut = (s: DhscEvent) => waitsOf([s, request])[0]!.leftOut;
    expect(leftOut(service('Long term support: Community', '2025-05-01', '2026-01-04'))).toBe(
      'existingClient',
    );
    expect(leftOut(service('Long term support: Community', '2025-05-01', '2026-01-03'))).toBeUndefined();
    expect(leftOut(service('Short term support: ST-Max', '2026-09-01', '2026-10-04'))).toBe('existingClient');
    expect(leftOut(service('Short term support: ST-Max', '2026-09-01', '2026-10-03'))).toBeUndefined();
    expect(leftOut(service('Long term support: Residential care', '2026-09-01', undefined))).toBe(
      'existingClient',
    );
    // equipment and other low-level support do not make an existing client
    expect(
      leftOut(service('Short term support: Ongoing low level', '2026-12-01', '2027-01-03')),
    ).toBeUndefined();
  });

  it('1.3a, 1.3b, 1.4: unpaid carers, those under 25 or of no known age, no further action, and open requests are left out', () => {
    const request = (fields: Partial<DhscEvent>) => waitsOf([cld('Request', '2027-01-04', fields)]);
    expect(request({ clientType: 'Unpaid carer' })[0]!.leftOut).toBe('notAServiceUser');
    expect(request({ outcome: 'NFA: Information and advice or signposting' })[0]!.leftOut).toBe('noProgress');
    expect(request({ outcome: undefined })[0]!.leftOut).toBe('noProgress');
    expect(request({ end: undefined })[0]!.leftOut).toBe('notEnded');
    // 25 on 5 Jan 2027: under 25 on 4 Jan (365.25-day years from the date of birth)
    expect(waitsOf([cld('Request', '2027-01-04')], '2002-01-05')[0]!.leftOut).toBe('under25');
    expect(waitsOf([cld('Request', '2027-01-04')], '2002-01-02')[0]!.leftOut).toBeUndefined();
    expect(dhscWaitsOfPerson('p', [cld('Request', '2027-01-04')], undefined, q1)[0]!.leftOut).toBe(
      'noDateOfBirth',
    );
  });
});

describe("DHSC's waiting-times method on a population checked by hand", () => {
  let d: TestStore;
  let report: TimelinessReport;

  beforeAll(async () => {
    d = await openTestStore('embedded');
    const key = { id: 'test-key', key: randomBytes(32) };
    const people = new PersonRecordStore(d.db, new FieldSealer([key], key.id));
    for (const [personId, { events, dateOfBirth }] of Object.entries(dhscPopulation())) {
      await record(d.store, personId, events, 'person', { until: dhscUntil });
      if (dateOfBirth)
        await people.save(
          personId,
          personRecordSchema.parse({ name: { given: 'Test', family: personId }, dateOfBirth }),
          { userId: 'test', role: 'practitioner' },
          'record',
        );
    }
    report = await timelinessReport(d.db, q1, { profile: derbyshire });
  }, 120_000);

  afterAll(async () => {
    await d?.close();
  });

  const team = (name: string) => report.teams.find((x) => x.team === name)!.dhscWaitingTimes;

  it('reads the dates of birth from the person record', async () => {
    const born = await datesOfBirth(d.db);
    expect(born?.get('d-boundary')).toBe('1962-02-20');
    expect(born?.has('d-no-birth-date')).toBe(false);
  });

  /*
   * North, January to March 2027 (every request triaged the next day):
   *   d-old       request 11 Jan, assessment 13 Jan, services 20 Jan: 2 and 9 days, 65 and above
   *   d-reable    request 12 Jan, reablement from 13 Jan (no assessment): 1 and 1, 65 and above
   *   d-boundary  request 1 Feb, assessment 4 Feb (ended 5 Feb), services 11 Feb: 3 and 10; born
   *               20 Feb 1962, so 64 then, but DHSC counts from 1 Feb 1962: 65 and above
   *   d-young (22), d-no-birth-date, d-advice (no further action), d-existing's second referral
   *   (services open since November): left out; d-assessing: assessment not ended, no wait yet
   * South: d-mid (40) request 18 Jan, assessment 24 Jan, services 31 Jan: 6 and 13, 25 to 64;
   *   d-december request 21 Dec 2026, assessment 6 Jan, services 13 Jan: 16 and 23, counted in
   *   January to March, where the assessment and services began.
   */
  it('gives each team the medians by age band, and says why each request begun in the period is left out', () => {
    expect(team('north')).toEqual({
      firstResponse: {
        '25 to 64': { cases: 0, medianDays: null },
        '65 and above': { cases: 3, medianDays: 2 },
      },
      firstService: {
        '25 to 64': { cases: 0, medianDays: null },
        '65 and above': { cases: 3, medianDays: 9 },
      },
      requests: {
        begun: 8,
        leftOut: {
          notEnded: 0,
          notAServiceUser: 0,
          before2023: 0,
          noDateOfBirth: 1,
          under25: 1,
          existingClient: 1,
          noProgress: 1,
          overlapsEarlierRequest: 0,
        },
      },
    });
    expect(team('south')).toMatchObject({
      firstResponse: {
        '25 to 64': { cases: 1, medianDays: 6 },
        '65 and above': { cases: 1, medianDays: 16 },
      },
      firstService: {
        '25 to 64': { cases: 1, medianDays: 13 },
        '65 and above': { cases: 1, medianDays: 23 },
      },
      requests: { begun: 1 },
    });
  });

  it("takes the median of all teams' waits as PERCENTILE_CONT does (the mean of the middle two), beside the project's own", () => {
    expect(report.overall.dhscWaitingTimes.firstResponse['65 and above']).toEqual({
      cases: 4,
      medianDays: 2.5,
    });
    expect(report.overall.dhscWaitingTimes.firstService['65 and above']).toEqual({
      cases: 4,
      medianDays: 9.5,
    });
    // the project's own counts every assessment begun: d-young, d-no-birth-date and d-assessing too
    expect(report.overall.referralToAssessment.cases).toBe(7);
  });

  it('counts a wait in the period where the event waited for began, not where the request did', async () => {
    const autumn = await timelinessReport(
      d.db,
      { from: '2026-10-01', to: '2026-12-31' },
      { profile: derbyshire },
    );
    const south = autumn.teams.find((x) => x.team === 'south')!.dhscWaitingTimes;
    expect(south.requests.begun).toBe(1);
    expect(south.firstResponse['65 and above'].cases).toBe(0);
    // d-existing's first request, in November: 2 and 9 days
    expect(
      autumn.teams.find((x) => x.team === 'north')!.dhscWaitingTimes.firstResponse['65 and above'],
    ).toEqual({
      cases: 1,
      medianDays: 2,
    });
  });

  it('records the SQL it follows and every stage it cannot apply as DHSC does', () => {
    const method = report.waitingTimeDefinitions.dhsc;
    expect(method.commit).toBe('9bee728f40102c4f6cee25a5511c5144c2209b4c');
    expect(method.notApplied.map((n) => n.stage)).toEqual(
      expect.arrayContaining(['Stage 3.1', 'Stage 4.1 statistical reporting periods']),
    );
  });
});
