import { parse } from 'csv-parse/sync';
import allowedValuesFile from '../../reports/cld/allowed-values.r2.json';
import {
  loadAllowedValues,
  loadMapping,
  type AllowedValues,
  type CldField,
  type CldMapping,
} from '../../reports/cld/config';
import { deduplicationKey, fieldValidity, gradeRow, statusOf } from '../../reports/cld/dhscChecks';
import { exportCld, type CldExport } from '../../reports/cld/export';
import { cldPersonValues, type CldPersonDetailsService } from '../../reports/cld/personDetails';
import type { CldRow } from '../../reports/cld/rows';
import { failingKinds, validateRows } from '../../reports/cld/validate';
import { loadJourneyFacts } from '../../reports/journeyFacts';
import { periodEnd } from '../../reports/period';
import { openTestStore, type TestStore } from '../store/storeKit';
import { councilString, dmy, fullCouncilPort, recordYear, year } from './cldJourneys';

/**
 * The CLD return graded as DHSC grades it (reports/cld/dhscChecks.ts: the field statuses of its
 * published procedure, the Release 2 values its code shows), on a year of varied journeys recorded
 * through the journey's own run (cldJourneys.ts). The grading in these tests is applied to the CSV
 * as written, not to the exporter's own problem list.
 */

let t: TestStore;
let ids: string[];

/**
 * A council that holds DHSC's specification spreadsheet completes the lists DHSC's code does not
 * show and maps the journey's words to those strings: what `councilString` marks stands for them.
 */
function councilLists(): { allowedValues: AllowedValues; mapping: CldMapping } {
  const allowed = loadAllowedValues();
  const mapping = loadMapping();
  const route = councilString('Community or other route');
  const hospitalRoute = councilString('Discharge from hospital');
  mapping.requestRouteOfAccess = Object.fromEntries(
    Object.keys(mapping.requestRouteOfAccess).map((k) => [k, k === 'hospital' ? hospitalRoute : route]),
  );
  // Release 2's review reasons begin "Planned" or "Unplanned" (DHSC's Review_Type)
  mapping.reviewReason = {
    planned: `Planned: ${councilString('review of long term support')}`,
    hospitalDischarge: `Unplanned: ${councilString('hospital')}`,
    safeguarding: `Unplanned: ${councilString('safeguarding concern')}`,
    informalSupportChange: `Unplanned: ${councilString('carer related')}`,
    personOrRepresentative: `Unplanned: ${councilString('other reason')}`,
    concern: `Unplanned: ${councilString('other reason')}`,
    providerAlert: `Unplanned: ${councilString('other reason')}`,
  };
  const add = (field: CldField, values: string[]) => allowed.fields[field]!.values.push(...values);
  add('Request_Route_of_Access', [route, hospitalRoute]);
  add('Method_of_Assessment', [councilString('Face to face')]);
  add('Method_of_Review', [councilString('Service user and carer')]);
  add('Review_Outcomes_Achieved', [councilString('Fully met')]);
  add('Cost_Frequency_Unit_Type', ['Weekly', '4-weekly', 'Monthly', 'Annually']);
  add('Eligible_Needs_Identified', ['Yes', 'No']);
  for (const f of [
    'Autism_Spectrum_Disorder_ASD',
    'Visual_Impairment',
    'Hearing_Impairment',
    'Dementia',
  ] as const)
    add(f, [councilString('No')]);
  return { allowedValues: allowed, mapping };
}

const readCsv = (csv: string): Record<CldField, string>[] =>
  parse(csv, { columns: true, skip_empty_lines: true, record_delimiter: '\r\n' }) as Record<
    CldField,
    string
  >[];

/** Every field of every row DHSC's checks fail, in words. */
function failures(csv: string, allowed: AllowedValues): string[] {
  return readCsv(csv).flatMap((row, i) =>
    gradeRow(row, allowed)
      .filter((g) => g.chk < 0)
      .map(
        (g) =>
          `line ${i + 2} ${row.LA_Person_Unique_Identifier} ${row.Event_Type} ${g.field}: ${fieldValidity(g.chk)}${g.reason ? ` (${g.reason})` : ''}`,
      ),
  );
}

const rowOf = (e: CldExport, personId: string, type: string, refPart = '') =>
  e.rows.find(
    (r) =>
      r.personId === personId && r.values.Event_Type === type && r.values.Event_Reference.includes(refPart),
  )!.values;

let council: ReturnType<typeof councilLists>;
let full: CldExport;

beforeAll(async () => {
  t = await openTestStore('embedded');
  ids = await recordYear(t.store);
  council = councilLists();
  full = await exportCld(t.db, year, { personDetails: fullCouncilPort, ...council });
}, 120_000);

afterAll(async () => t?.close());

describe("a year of varied journeys, graded by DHSC's checks", () => {
  it('grades clean with the person record, the council-held event facts and the Release 2 strings', () => {
    expect(new Set(full.rows.map((r) => r.personId))).toEqual(new Set(ids));
    expect(full.summary.rowsByEventType).toEqual({ Request: 17, Assessment: 14, Service: 15, Review: 6 });
    expect(failures(full.csv, council.allowedValues)).toEqual([]);
    expect(full.summary.rowsThatWouldFail).toBe(0);
    // what is left is only a note: an assessment that ended before it was completed decided nothing
    expect(full.problems.map((p) => `${p.personId} ${p.field} ${p.kind}`).sort()).toEqual([
      'y-died-assessing Eligible_Needs_Identified notRecorded',
      'y-emergency Eligible_Needs_Identified notRecorded',
    ]);
  });

  it('gives every event its own reference, and no two rows the key DHSC de-duplicates on', () => {
    const rows = readCsv(full.csv);
    const refs = rows.map((r) => r.Event_Reference);
    expect(new Set(refs).size).toBe(refs.length);
    const keys = rows.map(deduplicationKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("fails, with the shipped lists, only where DHSC's code publishes no Release 2 string, naming the field", async () => {
    const shipped = await exportCld(t.db, year, { personDetails: fullCouncilPort });
    const failing = shipped.problems.filter((p) => failingKinds.has(p.kind));
    expect(new Set(failing.map((p) => `${p.field} ${p.kind}`))).toEqual(
      new Set(['Request_Route_of_Access release1Value', 'Review_Reason release1Value']),
    );
    expect(failing.filter((p) => p.field === 'Request_Route_of_Access')).toHaveLength(17);
    expect(failing.filter((p) => p.field === 'Review_Reason')).toHaveLength(6);
    for (const p of failing)
      expect(p.reason).toContain("DHSC's published code shows no full Release 2 string");
    // the values the council must check against DHSC's spreadsheet, by field
    expect(new Set(shipped.problems.filter((p) => p.kind === 'unconfirmed').map((p) => p.field))).toEqual(
      new Set([
        'Method_of_Assessment',
        'Method_of_Review',
        'Review_Outcomes_Achieved',
        'Cost_Frequency_Unit_Type',
        'Eligible_Needs_Identified',
        'Autism_Spectrum_Disorder_ASD',
        'Visual_Impairment',
        'Hearing_Impairment',
        'Dementia',
      ]),
    );
    expect(failures(shipped.csv, loadAllowedValues()).length).toBe(23);
  });

  it('lists exactly the missing person and council-held fields of each row when they are withheld', async () => {
    const withheld = await exportCld(t.db, year, council);
    const rows = readCsv(withheld.csv);
    const failing = new Map<number, string[]>();
    for (const p of withheld.problems.filter((p) => failingKinds.has(p.kind)))
      failing.set(p.line, [...(failing.get(p.line) ?? []), `${p.field} ${p.kind}`]);
    rows.forEach((row, i) => {
      const carer = row.Client_Type === 'Unpaid carer';
      const expected = [
        'NHS_Number',
        'Gender',
        'Ethnicity',
        'Date_of_Birth',
        'Postcode',
        'Accommodation_Status',
        'Has_Unpaid_Carer',
      ];
      if (row.Event_Type !== 'Request' && !carer) expected.push('Primary_Support_Reason');
      if (!carer && (row.Event_Type === 'Service' || row.Event_Type === 'Review'))
        expected.push('Client_Funding_Status');
      if (row.Event_Type === 'Assessment') expected.push('Method_of_Assessment');
      if (row.Event_Type === 'Review') expected.push('Method_of_Review', 'Review_Outcomes_Achieved');
      if (row.Event_Type === 'Review' && !row.Review_Reason.startsWith('Planned')) expected.pop();
      expect({ line: i + 2, fields: (failing.get(i + 2) ?? []).sort() }).toEqual({
        line: i + 2,
        fields: expected.map((f) => `${f} blankMandatory`).sort(),
      });
    });
    // each on the problems file with the journey and the field, and why
    const lines = parse(withheld.problemsCsv, { columns: true, record_delimiter: '\r\n' }) as Record<
      string,
      string
    >[];
    const dob = lines.find((l) => l.Journey === 'y-ordinary' && l.Problem_Field === 'Date_of_Birth');
    expect(dob).toMatchObject({
      Problem_Kind: 'blankMandatory',
      Problem_Reason: expect.stringContaining('person-details port'),
    });
    const method = lines.find((l) => l.Journey === 'y-ordinary' && l.Problem_Field === 'Method_of_Review');
    expect(method?.Problem_Reason).toContain('no journey event records who took part in the review');
  });
});

describe('the mapping, row by row', () => {
  it('gives interim, council-managed, individual-service-fund and managed-account services a component', () => {
    expect(rowOf(full, 'y-emergency-open', 'Service').Service_Component).toBe(
      'Home support or domiciliary care',
    );
    // "respite bed in a residential care home"
    expect(rowOf(full, 'y-emergency', 'Service').Service_Component).toBe('Short term residential care');
    expect(rowOf(full, 'y-ordinary', 'Service', 'councilManaged').Service_Component).toBe(
      'Home support or domiciliary care',
    );
    expect(rowOf(full, 'y-isf', 'Service', 'individualServiceFund').Service_Component).toBe(
      'Home support or domiciliary care',
    );
    expect(rowOf(full, 'y-managed', 'Service', 'careManagedAccount').Service_Component).toBe(
      'Home support or domiciliary care',
    );
    for (const r of full.rows.filter((x) => x.values.Event_Type === 'Service'))
      expect(cldPersonValuesOrList('Service_Component', r.values.Service_Component)).toBe(true);
  });

  it('gives a service still open at the end of the period its outcome', () => {
    const open = full.rows.filter((r) => r.values.Event_Type === 'Service' && !r.values.Event_End_Date);
    expect(open.length).toBeGreaterThan(5);
    for (const r of open) expect(r.values.Event_Outcome).toBe('Continuation of support or services');
  });

  it('ends an assessment closed by death on the date of death, not the day the death was recorded', () => {
    const assessment = rowOf(full, 'y-died-assessing', 'Assessment');
    expect(assessment).toMatchObject({
      Event_Start_Date: dmy(102),
      Event_End_Date: dmy(104),
      Event_Outcome: 'NFA: Deceased',
      Date_of_Death: dmy(104),
    });
    expect(rowOf(full, 'y-died', 'Service')).toMatchObject({
      Event_End_Date: dmy(150),
      Event_Outcome: 'NFA: Deceased',
    });
  });

  it('gives a reassessment and the review that decided it different references', () => {
    const reassessment = rowOf(full, 'y-reassessed', 'Assessment', '/reassessment');
    const reviewRow = rowOf(full, 'y-reassessed', 'Review');
    expect(reassessment.Event_Start_Date).toBe(reviewRow.Event_Start_Date);
    expect(reassessment.Event_Reference).not.toBe(reviewRow.Event_Reference);
    expect(reassessment.Event_Reference).toBe(`${reviewRow.Event_Reference}/reassessment`);
  });

  it('costs a direct payment as the plan records it, and a council line from what is left of the budget', () => {
    const cost = (r: Record<CldField, string>) => [
      r.Unit_Cost,
      r.Cost_Frequency_Unit_Type,
      r.Planned_units_per_week,
    ];
    expect(cost(rowOf(full, 'y-split', 'Service', 'directPayment'))).toEqual(['390.00', 'Monthly', '0.23']);
    // £9,360 a year less 12 × £390 of direct payment, a week
    expect(cost(rowOf(full, 'y-split', 'Service', 'councilManaged'))).toEqual(['90.00', 'Weekly', '1.00']);
    expect(cost(rowOf(full, 'y-late-dp', 'Service', 'directPayment'))).toEqual([
      '780.00',
      '4-weekly',
      '0.25',
    ]);
    expect(cost(rowOf(full, 'y-died', 'Service', 'directPayment'))).toEqual(['180.00', 'Weekly', '1.00']);
    expect(cost(rowOf(full, 'y-isf', 'Service', 'individualServiceFund'))).toEqual([
      '240.00',
      'Weekly',
      '1.00',
    ]);
  });

  it('requires planned units a week where DHSC does, and reports them missing', () => {
    const dp = { ...rowOf(full, 'y-late-dp', 'Service', 'directPayment') };
    expect(statusOf(dp, 'Planned_units_per_week')).toBe(2);
    expect(statusOf(dp, 'Unit_Cost')).toBe(2);
    // council-commissioned support is exempt (DHSC's condition)
    expect(statusOf(rowOf(full, 'y-ordinary', 'Service', 'councilManaged'), 'Planned_units_per_week')).toBe(
      1,
    );
    dp.Planned_units_per_week = '';
    const problems = validateRows([{ personId: 'y-late-dp', values: dp, why: {} }], council.allowedValues);
    expect(problems).toEqual([
      expect.objectContaining({ field: 'Planned_units_per_week', kind: 'blankMandatory' }),
    ]);
  });

  it('gives each review the reason it was held, even when it also met the scheduled one', async () => {
    const facts = await loadJourneyFacts(t.db, periodEnd(year));
    const hospitalReview = facts
      .find((f) => f.personId === 'y-hospital')!
      .events.find((e) => e.type === 'REVIEW_COMPLETED')!;
    expect(hospitalReview.met.map((d) => d.kind).sort()).toEqual(['firstReview', 'unscheduledReview']);
    const reason = (personId: string) => rowOf(full, personId, 'Review').Review_Reason;
    expect(reason('y-hospital')).toBe(`Unplanned: ${councilString('hospital')}`);
    expect(reason('y-safeguarding')).toBe(`Unplanned: ${councilString('safeguarding concern')}`);
    expect(reason('y-asked')).toBe(`Unplanned: ${councilString('other reason')}`);
    expect(reason('y-ordinary')).toBe(`Planned: ${councilString('review of long term support')}`);
    const shipped = await exportCld(t.db, year, { personDetails: fullCouncilPort });
    expect(rowOf(shipped, 'y-hospital', 'Review').Review_Reason).toBe(
      'Unplanned - Hospital (Planned and unplanned episodes)',
    );
    expect(rowOf(shipped, 'y-safeguarding', 'Review').Review_Reason).toBe('Unplanned - Safeguarding concern');
  });
});

describe('the person items', () => {
  /** a row of the year with one person item changed, validated with the shipped lists */
  function withItem(field: CldField, value: string) {
    const values = { ...rowOf(full, 'y-ordinary', 'Service', 'councilManaged'), [field]: value };
    const row: CldRow = { personId: 'y-ordinary', values, why: {} };
    return validateRows([row], loadAllowedValues()).filter((p) => p.field === field);
  }

  it.each([
    ['Ethnicity', 'White', 'invalid'],
    ['Ethnicity', 'Mixed: White and Asian', 'release1Value'],
    ['Accommodation_Status', 'Tenant - private landlord', 'release1Value'],
    ['Accommodation_Status', 'Unknown: Presumed at home', 'invalid'],
    ['Employment_Status', 'Not in Paid Employment (seeking work)', 'release1Value'],
    ['Gender', 'F', 'invalid'],
    ['Has_Unpaid_Carer', 'Y', 'invalid'],
    ['Client_Funding_Status', 'Self funded', 'invalid'],
    ['Primary_Support_Reason', 'Social Support: Support to Carer', 'release1Value'],
    ['NHS_Number', '1234567890', 'invalid'],
    ['Postcode', 'de4 3ag', 'invalid'],
    ['Dementia', 'Yes', 'unconfirmed'],
  ] as [CldField, string, string][])('%s "%s" is graded %s', (field, value, kind) => {
    expect(withItem(field, value).map((p) => p.kind)).toEqual([kind]);
  });

  it('accepts every value of the Release 2 lists the port carries', () => {
    for (const [field, values] of Object.entries(cldPersonValues))
      for (const value of values) expect(withItem(field as CldField, value)).toEqual([]);
  });

  it("keeps the port's lists equal to the allowed values", () => {
    for (const [field, values] of Object.entries(cldPersonValues)) {
      const rule = (allowedValuesFile as { fields: Record<string, { values: string[] }> }).fields[field]!;
      expect({ field, values: [...values].sort() }).toEqual({ field, values: [...rule.values].sort() });
    }
  });

  it('carries no date of death on a re-export of a quarter that ended before the death', async () => {
    const quarter = { from: '2026-04-01', to: '2026-06-30' };
    // the council's record knows of a death in the next quarter too
    const port: CldPersonDetailsService = {
      ...fullCouncilPort,
      async personDetails(personId, facts) {
        const details = await fullCouncilPort.personDetails(personId, facts);
        return personId === 'y-ordinary' ? { ...details, Date_of_Death: '2026-08-20' } : details;
      },
    };
    const q1 = await exportCld(t.db, quarter, { personDetails: port, ...council });
    const died = rowOf(q1, 'y-died', 'Service');
    expect(died).toMatchObject({
      Date_of_Death: '',
      Event_End_Date: '',
      Event_Outcome: 'Continuation of support or services',
    });
    expect(rowOf(q1, 'y-ordinary', 'Service').Date_of_Death).toBe('');
    expect(failures(q1.csv, council.allowedValues)).toEqual([]);
    // and the year that includes the death carries it
    expect(rowOf(full, 'y-died', 'Request').Date_of_Death).toBe(dmy(150));
  });
});

/** A value of a list the allowed values show (in full or in part). */
function cldPersonValuesOrList(field: CldField, value: string): boolean {
  return (allowedValuesFile as { fields: Record<string, { values: string[] }> }).fields[
    field
  ]!.values.includes(value);
}
