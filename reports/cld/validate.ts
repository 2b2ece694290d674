import type { AllowedValues, CldField } from './config';
import { checkCodes, gradeRow, statusOf } from './dhscChecks';
import type { CldRow } from './rows';

/**
 * Every row checked before anything leaves, by DHSC's graded checks (dhscChecks.ts): each field's
 * status in the row (mandatory, applicable, not applicable) and the validity of its value. A
 * problem is one of DHSC's failures — `invalid` (blanked in the export, kept with its reason on the
 * problem row), `blankMandatory`, `release1Value` (sent, as DHSC maps it, but graded a failure) —
 * or `noIdentity` (DHSC drops the row); or one that does not fail the row: `notRecorded`, a field
 * this event should carry that the journey could not supply, and `unconfirmed`, a value DHSC's
 * published code has no Release 2 list to check against.
 */

export const problemKinds = [
  'invalid',
  'blankMandatory',
  'release1Value',
  'notRecorded',
  'noIdentity',
  'unconfirmed',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

/** The kinds that make DHSC fail (or drop) the row. */
export const failingKinds: ReadonlySet<ProblemKind> = new Set([
  'invalid',
  'blankMandatory',
  'release1Value',
  'noIdentity',
]);

export interface CldProblem {
  /** the row's line in the export (1 is the header, so the first row is 2) */
  line: number;
  personId: string;
  eventType: string;
  eventReference: string;
  field: CldField;
  kind: ProblemKind;
  /** the value that failed (invalid, Release 1, unconfirmed), else '' */
  value: string;
  reason: string;
}

/** The fields DHSC's checks make mandatory in this row. */
export function mandatoryFields(row: CldRow['values']): Set<CldField> {
  return new Set((Object.keys(row) as CldField[]).filter((f) => statusOf(row, f) === 2));
}

/** Checks rows (line numbers from 2: the header is line 1); blanks every invalid value in place. */
export function validateRows(rows: CldRow[], allowed: AllowedValues): CldProblem[] {
  const problems: CldProblem[] = [];
  rows.forEach((row, i) => {
    const v = row.values;
    const add = (field: CldField, kind: ProblemKind, reason: string, value = '') =>
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
    const grades = gradeRow(v, allowed);
    for (const g of grades) {
      const value = v[g.field];
      if (g.chk === checkCodes.blankMandatory) {
        add(g.field, 'blankMandatory', row.why[g.field] ?? `${g.field} is mandatory for this row and blank`);
      } else if (g.chk === checkCodes.release1) {
        add(g.field, 'release1Value', g.reason!, value);
      } else if (g.chk < 0) {
        add(
          g.field,
          'invalid',
          `${g.reason!}; check reports/cld/mapping.json or where the value comes from`,
          value,
        );
        v[g.field] = '';
      } else if (g.unconfirmed) {
        add(g.field, 'unconfirmed', g.unconfirmed, value);
      } else if (!value && row.why[g.field] && g.cond !== 0) {
        add(g.field, 'notRecorded', row.why[g.field]!);
      }
    }
    // Identity: DHSC's person id is the NHS number, else LA code + '_' + the council's identifier
    if (!v.NHS_Number && (!v.LA_Code || !v.LA_Person_Unique_Identifier))
      add(
        'NHS_Number',
        'noIdentity',
        'no NHS number and no LA code to identify the person by: DHSC drops this row',
      );
  });
  return problems;
}
