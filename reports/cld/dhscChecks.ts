import type { AllowedValues, CldField } from './config';
import { cldFields } from './config';

/**
 * DHSC's graded checks of a CLD row, as its published data-quality procedure grades each field
 * (github.com/DataS-DHSC/ASC-CLD-LA-Dashboard, Stored_procedures/create_GetDQValues_procedure.sql):
 *
 * - a field status: Mandatory (2), Applicable but not mandatory (1), Not applicable (0);
 * - a validity: Passed: Valid (chk >= 1), Passed: Blank (Not Mandatory) (0), Failed: Blank
 *   (Mandatory) (-1), Failed: Invalid (-2 to -6), Failed: Release 1 (-7).
 *
 * The Release 2 procedure (9bee728) takes each field's status from a table DHSC does not publish
 * (CLD_DQ_Items); the last published procedure that wrote the conditions out is 39b8cfe
 * (2024-05-16). `statusOf` is those conditions, word for word, with Release 2's strings for the
 * Release 1 ones they compare (reports/cld/SOURCES.md). The validity of a value is judged against
 * the allowed values of the release (allowed-values.r2.json); the invalid codes below are this
 * project's, in DHSC's range: DHSC does not publish which check gives which code.
 */

export const fieldStatuses = {
  2: 'Mandatory',
  1: 'Applicable but not mandatory',
  0: 'Not applicable',
} as const;
export type FieldCond = keyof typeof fieldStatuses;

export const checkCodes = {
  valid: 1,
  blankNotMandatory: 0,
  blankMandatory: -1,
  notInList: -2,
  notADate: -3,
  notANumber: -4,
  malformed: -5,
  datesOutOfOrder: -6,
  release1: -7,
} as const;

/** DHSC's words for a check result (create_GetDQValues_procedure.sql, FieldValidity). */
export function fieldValidity(chk: number): string {
  if (chk >= 1) return 'Passed: Valid';
  if (chk === 0) return 'Passed: Blank (Not Mandatory)';
  if (chk === -1) return 'Failed: Blank (Mandatory)';
  if (chk === -7) return 'Failed: Release 1';
  return 'Failed: Invalid';
}

export interface FieldGrade {
  field: CldField;
  cond: FieldCond;
  chk: number;
  /** why it failed, in words */
  reason?: string;
  /**
   * Passed, but only as far as DHSC's published code can tell: its Release 2 list is not published
   * (or only in part) and the value is not one it shows.
   */
  unconfirmed?: string;
}

type Row = Record<CldField, string>;

const DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
/** numeric(18,2): at most 16 digits before the point and 2 after */
const NUMBER = /^-?\d{1,16}(\.\d{1,2})?$/;
/** a UK postcode, with or without its space */
const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;

export function isCldDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** dd/mm/yyyy → yyyy-mm-dd, for comparing */
const iso = (d: string) => `${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}`;

/** Age in whole years on a day (dd/mm/yyyy both). */
export function ageOn(birth: string, on: string): number | undefined {
  if (!isCldDate(birth) || !isCldDate(on)) return undefined;
  const [bd, bm, by] = birth.split('/').map(Number) as [number, number, number];
  const [od, om, oy] = on.split('/').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

/** An NHS number: ten digits whose last is the modulus 11 check digit of the nine before it. */
export function isNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((s, d, i) => s + d * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits[9];
}

/**
 * The field's status in this row: create_GetDQValues_procedure.sql at 39b8cfe, its `Applicable`
 * and `Mandatory` conditions (Release 1 strings there, Release 2's here: 'Carer known by
 * association' is 'Unpaid carer known by association', 'Carer Support' is 'Unpaid carer support').
 */
export function statusOf(row: Row, field: CldField): FieldCond {
  const byAssociation = row.Client_Type === 'Unpaid carer known by association';
  const serviceUser = row.Client_Type.startsWith('Service user');
  const carer = row.Client_Type.startsWith('Unpaid carer');
  const t = row.Event_Type;
  const on = (type: string) => !byAssociation && t === type;
  const financial = /^financial assessment/i.test(row.Assessment_Type);
  const mandatoryIf = (applicable: boolean, mandatory: boolean): FieldCond =>
    !applicable ? 0 : mandatory ? 2 : 1;
  switch (field) {
    case 'LA_Code':
    case 'Reporting_Period_Start_Date':
    case 'Reporting_Period_End_Date':
    case 'NHS_Number':
    case 'LA_Person_Unique_Identifier':
    case 'Gender':
    case 'Ethnicity':
    case 'Date_of_Birth':
    case 'Client_Type':
    case 'Postcode':
    case 'Accommodation_Status':
    case 'Has_Unpaid_Carer':
      return 2;
    case 'GP_Practice_Code':
    case 'Date_of_Death':
      return 1;
    case 'Primary_Support_Reason':
      return t !== 'Request' ? 2 : 1;
    case 'Employment_Status': {
      const age = ageOn(row.Date_of_Birth, row.Reporting_Period_End_Date);
      return serviceUser &&
        age !== undefined &&
        age >= 18 &&
        age < 65 &&
        row.Primary_Support_Reason === 'Learning Disability Support'
        ? 2
        : 1;
    }
    case 'Autism_Spectrum_Disorder_ASD':
    case 'Visual_Impairment':
    case 'Hearing_Impairment':
    case 'Dementia':
      return serviceUser ? 1 : 0;
    case 'Client_Funding_Status':
      return mandatoryIf(serviceUser, (t === 'Assessment' && financial) || t === 'Service' || t === 'Review');
    case 'Event_Type':
    case 'Event_Start_Date':
      return byAssociation ? 0 : 2;
    case 'Event_Reference':
    case 'Event_Description':
      return byAssociation ? 0 : 1;
    case 'Event_End_Date':
      return (!byAssociation && t !== 'Service') || row.Date_of_Death ? 2 : byAssociation ? 0 : 1;
    case 'Event_Outcome':
      return mandatoryIf(!byAssociation, !financial);
    case 'Request_Route_of_Access':
      return on('Request') ? 2 : 0;
    case 'Assessment_Type':
      return on('Assessment') ? 2 : 0;
    case 'Eligible_Needs_Identified':
      return on('Assessment') ? 1 : 0;
    case 'Method_of_Assessment':
      return mandatoryIf(on('Assessment'), !financial);
    case 'Total_Hrs_Caring_per_week':
    case 'No_of_adults_being_cared_for':
    case 'Adult_1_Linked_Person_ID':
    case 'Adult_2_Linked_Person_ID':
    case 'Adult_3_Linked_Person_ID':
      return carer ? 1 : 0;
    case 'Service_Type':
    case 'Service_Component':
      return on('Service') ? 2 : 0;
    case 'Delivery_Mechanism':
    case 'Provider_CQC_Location_ID':
      return on('Service') ? 1 : 0;
    case 'Review_Reason':
    case 'Method_of_Review':
      return on('Review') ? 2 : 0;
    case 'Review_Outcomes_Achieved':
      return mandatoryIf(on('Review'), row.Review_Reason.startsWith('Planned'));
    case 'Unit_Cost':
    case 'Cost_Frequency_Unit_Type':
    case 'Planned_units_per_week':
      return mandatoryIf(on('Service'), costsMandatory(row));
  }
}

/**
 * Unit cost, frequency and planned units: mandatory for a service not commissioned by the council
 * that is long-term support, short-term residential or nursing care, carer respite or support to
 * an unpaid carer (compared without regard to case, as DHSC's SQL does).
 */
function costsMandatory(row: Row): boolean {
  const lower = (s: string) => s.toLowerCase();
  return (
    row.Event_Type === 'Service' &&
    !lower(row.Delivery_Mechanism).includes('cassr commissioned support') &&
    (lower(row.Service_Type).startsWith('long term') ||
      ['short term residential care', 'short term nursing care', 'carer respite'].includes(
        lower(row.Service_Component),
      ) ||
      lower(row.Service_Type).startsWith('unpaid carer support'))
  );
}

type ListRule = NonNullable<AllowedValues['fields'][CldField]>;

/** A value against its list: valid, a Release 1 string, not in the list, or not checkable. */
export function listCheck(
  value: string,
  rule: ListRule,
): { chk: number; reason?: string; unconfirmed?: string } {
  if (rule.values.includes(value)) return { chk: checkCodes.valid };
  if (rule.release1Values?.includes(value))
    return {
      chk: checkCodes.release1,
      reason:
        rule.published === 'none' || rule.published === 'prefixes'
          ? `"${value}" is a Release 1 string, sent because DHSC's published code shows no full Release 2 string for this field (${rule.source}); put the Release 2 string from DHSC's specification spreadsheet in reports/cld/mapping.json and the allowed values`
          : `"${value}" is a Release 1 string; Release 2's is in the allowed values (put it in reports/cld/mapping.json)`,
    };
  const starts = (p: string) =>
    rule.caseInsensitive ? value.toLowerCase().startsWith(p.toLowerCase()) : value.startsWith(p);
  if (rule.prefixes?.some(starts))
    return rule.published === 'prefixes'
      ? { chk: checkCodes.valid }
      : { chk: checkCodes.valid, unconfirmed: unconfirmedWords(rule) };
  if (rule.published === 'full' || rule.published === 'prefixes')
    return { chk: checkCodes.notInList, reason: 'not in the list' };
  return { chk: checkCodes.valid, unconfirmed: unconfirmedWords(rule) };
}

const unconfirmedWords = (rule: ListRule) =>
  rule.published === 'none'
    ? `DHSC's published code shows no Release 2 string for this field (${rule.source}): check it against DHSC's specification spreadsheet`
    : `DHSC's published code shows only part of this list (${rule.source}) and not this value: check it against DHSC's specification spreadsheet`;

/** Every field of the row graded, in the return's column order. */
export function gradeRow(row: Row, allowed: AllowedValues): FieldGrade[] {
  return cldFields.map((field) => {
    const cond = statusOf(row, field);
    const value = row[field];
    if (!value)
      return { field, cond, chk: cond === 2 ? checkCodes.blankMandatory : checkCodes.blankNotMandatory };
    const rule = allowed.fields[field];
    if (rule) {
      const { chk, reason, unconfirmed } = listCheck(value, rule);
      return {
        field,
        cond,
        chk,
        ...(reason
          ? {
              reason:
                chk === checkCodes.notInList
                  ? `"${value}" is not one of ${allowed.release}'s values for ${field}`
                  : reason,
            }
          : {}),
        ...(unconfirmed ? { unconfirmed } : {}),
      };
    }
    const bad = (chk: number, reason: string): FieldGrade => ({ field, cond, chk, reason });
    if (allowed.dateFields.includes(field)) {
      if (!isCldDate(value)) return bad(checkCodes.notADate, `"${value}" is not a date dd/mm/yyyy`);
      if (
        field === 'Event_End_Date' &&
        isCldDate(row.Event_Start_Date) &&
        iso(value) < iso(row.Event_Start_Date)
      )
        return bad(
          checkCodes.datesOutOfOrder,
          `the event ends (${value}) before it starts (${row.Event_Start_Date})`,
        );
      if (field === 'Date_of_Death' && isCldDate(row.Date_of_Birth) && iso(value) < iso(row.Date_of_Birth))
        return bad(checkCodes.datesOutOfOrder, `the date of death (${value}) is before the date of birth`);
      if (
        field === 'Date_of_Birth' &&
        isCldDate(row.Reporting_Period_End_Date) &&
        iso(value) > iso(row.Reporting_Period_End_Date)
      )
        return bad(checkCodes.datesOutOfOrder, `the date of birth (${value}) is after the period's end`);
      return { field, cond, chk: checkCodes.valid };
    }
    if (allowed.numberFields.includes(field) && !NUMBER.test(value))
      return bad(checkCodes.notANumber, `"${value}" is not a number that fits numeric(18,2)`);
    if (field === 'NHS_Number' && !isNhsNumber(value))
      return bad(
        checkCodes.malformed,
        `"${value}" is not an NHS number (ten digits, the last a modulus 11 check digit)`,
      );
    if (field === 'Postcode' && !POSTCODE.test(value))
      return bad(checkCodes.malformed, `"${value}" is not a UK postcode in capitals, e.g. "DE4 3AG"`);
    return { field, cond, chk: checkCodes.valid };
  });
}

/** Whether DHSC would fail the row: any field failed. */
export const rowFails = (grades: FieldGrade[]): boolean => grades.some((g) => g.chk < 0);

/**
 * DHSC's key of a unique event (Main_tables/docs/methodology/6-deduplication.md, joined
 * submissions): rows with the same key are kept as one.
 */
export function deduplicationKey(row: Row): string {
  const person = row.NHS_Number || `${row.LA_Code}_${row.LA_Person_Unique_Identifier}`;
  const parts = [row.LA_Code, person, row.Event_Start_Date, row.Client_Type, row.Event_Type];
  if (row.Event_Type !== 'Service') parts.push(row.Event_End_Date);
  if (row.Event_Type === 'Request') parts.push(row.Request_Route_of_Access);
  if (row.Event_Type === 'Assessment') parts.push(row.Assessment_Type);
  if (row.Event_Type === 'Service') parts.push(row.Service_Type, row.Service_Component);
  return parts.join('|');
}
