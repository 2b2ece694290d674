import type { AllowedValues, CldField } from './config';
import type { CldRow } from './rows';

/**
 * Every row checked before anything leaves (issue 15 point 2): each value against the release's
 * allowed values (exact strings, case-sensitive), dates and numbers by their form, and CLD.md's
 * mandatory-where rules. The kinds follow DHSC's own grading — invalid, blank but mandatory, a
 * Release 1 value — plus `notRecorded`: a field this event should carry that the journey could not
 * supply (not mandatory in the published checks, but the return is incomplete without it), and
 * `noIdentity`: a row DHSC would drop (no NHS number and no LA code to make an identifier from).
 * An invalid value is blanked in the export and kept, with its reason, on the problem row.
 */

export const problemKinds = [
  'invalid',
  'blankMandatory',
  'release1Value',
  'notRecorded',
  'noIdentity',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

export interface CldProblem {
  /** the row's line in the export (1 is the header, so the first row is 2) */
  line: number;
  personId: string;
  eventType: string;
  eventReference: string;
  field: CldField;
  kind: ProblemKind;
  /** the value that failed (invalid, Release 1), else '' */
  value: string;
  reason: string;
}

const DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
/** numeric(18,2): at most 16 digits before the point and 2 after */
const NUMBER = /^-?\d{1,16}(\.\d{1,2})?$/;

function isCldDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Age in whole years on a day (dd/mm/yyyy both). */
function ageOn(birth: string, on: string): number | undefined {
  if (!isCldDate(birth) || !isCldDate(on)) return undefined;
  const [bd, bm, by] = birth.split('/').map(Number) as [number, number, number];
  const [od, om, oy] = on.split('/').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

/** The fields CLD.md makes mandatory for this row (its "Mandatory where" and identity rules). */
export function mandatoryFields(row: CldRow['values'], allowed: AllowedValues): Set<CldField> {
  const m = new Set<CldField>([
    'LA_Code',
    'Reporting_Period_Start_Date',
    'Reporting_Period_End_Date',
    'LA_Person_Unique_Identifier',
    'Client_Type',
    'Event_Type',
    'Event_Reference',
    'Event_Start_Date',
    ...allowed.personFieldsMandatory,
  ]);
  const serviceUser = row.Client_Type === 'Service user';
  if (serviceUser) for (const f of allowed.personFieldsMandatoryForServiceUsers) m.add(f);
  const type = row.Event_Type;
  // Event_End_Date: mandatory except for services, unless there is a date of death
  if (type !== 'Service' && !row.Date_of_Death) m.add('Event_End_Date');
  // Event_Outcome: every completed event (requests, assessments, reviews; a service once ended)
  if (type !== 'Service' || row.Event_End_Date) m.add('Event_Outcome');
  // the fields DHSC de-duplicates on: the route, the assessment type, the service type and component
  if (type === 'Request') m.add('Request_Route_of_Access');
  if (type === 'Assessment') {
    m.add('Assessment_Type');
    // Method_of_Assessment: not mandatory for financial assessments (the journey has none)
    m.add('Method_of_Assessment');
  }
  if (type === 'Service') {
    m.add('Service_Type');
    m.add('Service_Component');
    // Unit cost and frequency, except CASSR commissioned support outside long-term support,
    // short-term residential or nursing care, carer respite and carer support
    const exempt =
      row.Delivery_Mechanism === 'CASSR commissioned support' &&
      !row.Service_Type.startsWith('Long term support') &&
      !row.Service_Type.startsWith('Unpaid carer support') &&
      row.Service_Component !== 'Short term residential care' &&
      row.Service_Component !== 'Short term nursing care';
    if (!exempt) {
      m.add('Unit_Cost');
      m.add('Cost_Frequency_Unit_Type');
    }
  }
  // Review_Outcomes_Achieved: planned reviews only
  if (type === 'Review' && row.Review_Reason.startsWith('Planned')) m.add('Review_Outcomes_Achieved');
  // Employment_Status: service users aged 18-64 whose primary support reason is learning disability
  const age = ageOn(row.Date_of_Birth, row.Reporting_Period_End_Date);
  if (
    serviceUser &&
    age !== undefined &&
    age >= 18 &&
    age <= 64 &&
    /learning disability/i.test(row.Primary_Support_Reason)
  )
    m.add('Employment_Status');
  return m;
}

/** Checks rows (line numbers from 2: the header is line 1); blanks every invalid value in place. */
export function validateRows(rows: CldRow[], allowed: AllowedValues): CldProblem[] {
  const problems: CldProblem[] = [];
  rows.forEach((row, i) => {
    const v = row.values;
    // fields of this row found invalid (and blanked): not reported again as blank
    const invalid = new Set<CldField>();
    const add = (field: CldField, kind: ProblemKind, reason: string, value = '') => {
      if (kind === 'invalid') invalid.add(field);
      problems.push({
        line: i + 2,
        personId: row.personId,
        eventType: v.Event_Type,
        eventReference: v.Event_Reference,
        field,
        kind,
        value,
        reason,
      });
    };
    // Values first: an invalid one is blanked, then judged as blank below as well.
    for (const [field, rule] of Object.entries(allowed.fields) as [
      CldField,
      NonNullable<AllowedValues['fields'][CldField]>,
    ][]) {
      const value = v[field];
      if (!value) continue;
      if (rule.release1Values?.includes(value)) {
        add(
          field,
          'release1Value',
          `"${value}" is a Release 1 value; ${allowed.release} wants its own string (put it in reports/cld/mapping.json)`,
          value,
        );
        continue;
      }
      if (rule.values.includes(value) || rule.prefixes?.some((p) => value.startsWith(p))) continue;
      add(
        field,
        'invalid',
        `"${value}" is not one of ${allowed.release}'s values for ${field}${rule.partial ? " (CLD.md lists only some: if DHSC's specification has it, add it to the allowed values)" : ''}; check reports/cld/mapping.json`,
        value,
      );
      v[field] = '';
    }
    for (const field of allowed.dateFields) {
      if (v[field] && !isCldDate(v[field])) {
        add(field, 'invalid', `"${v[field]}" is not a date dd/mm/yyyy`, v[field]);
        v[field] = '';
      }
    }
    for (const field of allowed.numberFields) {
      if (v[field] && !NUMBER.test(v[field])) {
        add(field, 'invalid', `"${v[field]}" is not a number that fits numeric(18,2)`, v[field]);
        v[field] = '';
      }
    }
    const mandatory = mandatoryFields(v, allowed);
    for (const field of mandatory) {
      if (!v[field] && !invalid.has(field))
        add(field, 'blankMandatory', row.why[field] ?? `${field} is mandatory for this row and blank`);
    }
    for (const [field, why] of Object.entries(row.why) as [CldField, string][]) {
      if (!v[field] && !mandatory.has(field)) add(field, 'notRecorded', why);
    }
    // Identity: the NHS number, else LA code + '_' + the council's identifier; DHSC drops a row with none
    if (!v.NHS_Number && (!v.LA_Code || !v.LA_Person_Unique_Identifier))
      add(
        'NHS_Number',
        'noIdentity',
        'no NHS number and no LA code to identify the person by: DHSC drops this row',
      );
  });
  return problems;
}
