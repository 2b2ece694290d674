import { createHash } from 'node:crypto';
import { z } from 'zod';
import { budgetManagementOptions, importStages, type Actor, type EventOf } from './events';
import { limits } from './limits';
import { personColumnNames, personColumns, personFromColumns, type PersonRecordFields } from './personRecord';

/**
 * Issue 17: one row of a council's caseload as its case system exports it (a CSV line, or a JSON
 * Lines object with the same names), and how it becomes the person's JOURNEY_IMPORTED event. The
 * columns are defined once, here: the row's validation, `care import --template` and the README's
 * column list all come from `importColumns`.
 */

type Column = {
  /** what it means, in words */
  meaning: string;
  /** how to write it */
  format: string;
  schema: z.ZodType;
  required?: boolean;
};

/** CSV cells are text: an empty one is no value; others are trimmed. */
const cell = (value: unknown) => {
  if (typeof value !== 'string') return value ?? undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};
const date = z.iso.date({ message: 'must be a date written YYYY-MM-DD, e.g. 2026-03-02' });
const id = z.string().max(limits.idChars, `must be at most ${limits.idChars} characters`);
const text = z.string().max(limits.shortTextChars, `must be at most ${limits.shortTextChars} characters`);
const pounds = z.preprocess(
  (v) => (typeof v === 'string' ? Number(v.replace(/[£,\s]/g, '')) : v),
  z.number({ message: 'must be an amount in pounds, e.g. 9360 or 9360.50' }).nonnegative().finite(),
);
/** A list: `a;b;c` in a CSV cell, or a JSON array. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item).min(1).max(limits.listItems),
  );
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of: ${values.join(', ')}` });
/** yes or no (true/false in JSON Lines). */
const yesNo = z.preprocess(
  (v) =>
    typeof v === 'string' ? (({ yes: true, no: false } as Record<string, boolean>)[v.toLowerCase()] ?? v) : v,
  z.boolean({ message: 'must be yes or no' }),
);

const complaintAbout = ['budget', 'service', 'decision', 'other'] as const;

/** Every column of an import file, in the template's order. */
export const importColumns = {
  personId: {
    meaning: "The person's id in the council's case system; their journey's id comes from it",
    format: `text, at most ${limits.idChars} characters`,
    schema: id,
    required: true,
  },
  stage: {
    meaning: 'The stage the person is at now',
    format: importStages.join(' | '),
    schema: oneOf(importStages),
    required: true,
  },
  subject: {
    meaning: "Whose journey: the person's, or a carer's own (R-CAR-1)",
    format: 'person | carer (empty: person)',
    schema: oneOf(['person', 'carer'] as const),
  },
  policyProfile: {
    meaning: "The council whose policy profile the dates follow; must be this service's council",
    format: 'text, e.g. Derbyshire (empty: not checked)',
    schema: text,
  },
  stageSince: {
    meaning: 'The day the person reached the stage (stage limits and waits count from it)',
    format: 'YYYY-MM-DD (empty: the day of the import)',
    schema: date,
  },
  team: { meaning: 'The team carrying the case', format: 'text', schema: id },
  worker: { meaning: 'The allocated worker', format: 'text (empty: unallocated)', schema: id },
  assessmentStartedOn: {
    meaning: 'Stage assessment: the day the assessment began',
    format: 'YYYY-MM-DD (empty: not begun)',
    schema: date,
  },
  emergencySetUpOn: {
    meaning:
      'Stage interimSupport: the day emergency interim services were set up; the formal assessment must begin within 3 working days (R-EMG-1)',
    format: 'YYYY-MM-DD (required at interimSupport)',
    schema: date,
  },
  emergencyServices: {
    meaning: 'Stage interimSupport: the interim services in place',
    format: 'a;b;c (empty: "emergency interim support")',
    schema: listOf(text),
  },
  emergencyApprovedBy: {
    meaning: 'Stage interimSupport: the manager who approved them (R-EMG-3)',
    format: 'text',
    schema: id,
  },
  indicativeBudget: {
    meaning: 'The indicative budget, where one was worked out (R-IB-2)',
    format: 'pounds a year, e.g. 9360 (required at indicativeBudget)',
    schema: pounds,
  },
  indicativeBudgetSharedOn: {
    meaning: 'The day the indicative budget was shared with the person (R-IB-3)',
    format: 'YYYY-MM-DD',
    schema: date,
  },
  personalBudget: {
    meaning: 'Stages setUp and liveSupport: the personal budget signed off (R-PB-1)',
    format: 'pounds a year, e.g. 9360',
    schema: pounds,
  },
  budgetManagement: {
    meaning: 'Stages setUp and liveSupport: how the budget is managed (R-PLN-2)',
    format: `${budgetManagementOptions.join(' | ')}; several with ;`,
    schema: listOf(oneOf(budgetManagementOptions)),
  },
  servicesStartedOn: {
    meaning: 'Stage liveSupport: the day services started (R-REV-2)',
    format: 'YYYY-MM-DD (required at liveSupport)',
    schema: date,
  },
  directPaymentAgreement: {
    meaning:
      'A direct payment: its agreement, signed or still awaited (R-ACT-1); awaited means the person is at setUp, unless the direct payment was brought in at a review while services went on (directPaymentStartedOn)',
    format: 'signed | awaited (required with a direct payment)',
    schema: oneOf(['signed', 'awaited'] as const),
  },
  directPaymentAgreementSignedOn: {
    meaning: 'The day the direct payment agreement was signed',
    format: 'YYYY-MM-DD (required when signed)',
    schema: date,
  },
  lastReviewOn: {
    meaning:
      'Stage liveSupport: the day of the last review (empty: none yet; the first review is due, R-REV-2)',
    format: 'YYYY-MM-DD',
    schema: date,
  },
  lastReviewType: {
    meaning: 'How the last review was held (R-REV-11)',
    format: 'formal | lightTouch | telephone (empty: formal)',
    schema: oneOf(['formal', 'lightTouch', 'telephone'] as const),
  },
  nextReviewOn: {
    meaning:
      "Stage liveSupport: the next review's agreed date (R-REV-3); with no review yet, the first review agreed (R-ACT-2). A date already past is overdue at once",
    format:
      'YYYY-MM-DD (empty: 12 months after the last review, as the profile allows; 6 where the service or its direct payment was then only a few months old, R-REV-5)',
    schema: date,
  },
  informalReview72h: {
    meaning:
      'Stage liveSupport: whether the 72-hour informal review is still to be held (R-REV-1); yes sets it, overdue at once if its hours have passed',
    format: 'yes | no (empty: as the profile says, while services began less than its hours ago)',
    schema: yesNo,
  },
  lastMonitoringCheckOn: {
    meaning:
      'Stage liveSupport: the day of the last monitoring check since the last review (R-REV-4); a check due and not made is overdue at once',
    format: 'YYYY-MM-DD, on or after lastReviewOn (empty: none made since)',
    schema: date,
  },
  directPaymentStartedOn: {
    meaning:
      'Stage liveSupport: the day the direct payment now in place was brought in at a review, where later than services; R-REV-5 counts its few months from it, and an agreement still awaited is waited on from it (R-ACT-1)',
    format: 'YYYY-MM-DD (empty: with the services)',
    schema: date,
  },
  lastFaceToFaceReviewOn: {
    meaning:
      'Stage liveSupport: where the last review was light touch or by telephone, the day of the face-to-face review before it (R-REV-11)',
    format: 'YYYY-MM-DD, before lastReviewOn (empty: the last review was face to face, or none)',
    schema: date,
  },
  openComplaints: {
    meaning: 'Complaints still open (R-CMP-1)',
    format: `id, or id:about (${complaintAbout.join('|')}), or id:about:YYYY-MM-DD raised; several with ;`,
    schema: listOf(
      z
        .string()
        .regex(
          new RegExp(`^[^:]{1,${limits.idChars}}(:(${complaintAbout.join('|')})(:\\d{4}-\\d{2}-\\d{2})?)?$`),
          `each complaint must be id, id:about or id:about:YYYY-MM-DD, about one of ${complaintAbout.join(', ')}`,
        ),
    ),
  },
  openSafeguarding: {
    meaning: 'Safeguarding concerns still open (R-SFG-1)',
    format: 'id, or id:YYYY-MM-DD raised; several with ;',
    schema: listOf(
      z
        .string()
        .regex(
          new RegExp(`^[^:]{1,${limits.idChars}}(:\\d{4}-\\d{2}-\\d{2})?$`),
          'each concern must be id or id:YYYY-MM-DD',
        ),
    ),
  },
  hospitalAdmittedOn: {
    meaning: 'A hospital stay under way: the day the person was admitted (R-HSP-1)',
    format: 'YYYY-MM-DD',
    schema: date,
  },
  hospitalName: {
    meaning: 'The hospital the person is in',
    format: 'text (required with hospitalAdmittedOn)',
    schema: text,
  },
} satisfies Record<string, Column>;

export type ImportColumn = keyof typeof importColumns;
export const importColumnNames = Object.keys(importColumns) as ImportColumn[];
/** R-IMP-1 (edition 5): the columns the clocks' facts added. */
const laterColumns: ImportColumn[] = [
  'informalReview72h',
  'lastMonitoringCheckOn',
  'directPaymentStartedOn',
  'lastFaceToFaceReviewOn',
];

type ColumnValue<C extends ImportColumn> = z.output<(typeof importColumns)[C]['schema']>;
export type ImportRow = { [C in ImportColumn]?: ColumnValue<C> } & {
  personId: string;
  stage: ColumnValue<'stage'>;
};

/** The row schema, from the columns: unknown columns are refused by name (a misspelt header loses a fact). */
export const importRowSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(importColumns).map(([name, column]: [string, Column]) => [
      name,
      z
        .preprocess(cell, column.required ? column.schema : column.schema.optional())
        .describe(`${column.meaning}. ${column.format}`),
    ]),
  ),
) as unknown as z.ZodType<ImportRow>;

/** A refused row's reason: the column it is about (where it is about one), in words. */
export interface RowProblem {
  column?: string;
  message: string;
  accepted?: string;
  ruleId?: string;
}

/**
 * A row read: the journey's columns, and the person's record where the row has person columns
 * (machines/personRecord.ts `personColumns`: names, date of birth, NHS number, address, the CLD
 * items…). The record is written to the case-event store, never into the journey's event.
 */
export type ParsedRow =
  { ok: true; row: ImportRow; person?: PersonRecordFields } | { ok: false; problems: RowProblem[] };

export function parseImportRow(values: Record<string, unknown>): ParsedRow {
  const journeyValues = Object.fromEntries(
    Object.entries(values).filter(([column]) => !(column in personColumns)),
  );
  const person = personFromColumns(values);
  const journey = parseJourneyColumns(journeyValues);
  if (!person.ok)
    return { ok: false, problems: [...(journey.ok ? [] : journey.problems), ...person.problems] };
  if (!journey.ok || !person.person) return journey;
  return { ...journey, person: person.person };
}

function parseJourneyColumns(values: Record<string, unknown>): ParsedRow {
  const parsed = importRowSchema.safeParse(values);
  if (parsed.success) {
    const { hospitalAdmittedOn, hospitalName } = parsed.data;
    if ((hospitalAdmittedOn === undefined) !== (hospitalName === undefined)) {
      const column = hospitalAdmittedOn === undefined ? 'hospitalAdmittedOn' : 'hospitalName';
      return {
        ok: false,
        problems: [
          {
            column,
            message: 'a hospital stay needs both the day of admission and the hospital',
            accepted: importColumns[column].format,
          },
        ],
      };
    }
    return { ok: true, row: parsed.data };
  }
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return {
          message: `unknown column${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}: the columns are ${[...importColumnNames, ...personColumnNames].join(', ')}`,
        };
      const column = String(issue.path[0] ?? '');
      const definition = (importColumns as Record<string, Column>)[column];
      const value = values[column];
      const missing = value === undefined || (typeof value === 'string' && value.trim() === '');
      return {
        column,
        message: missing && definition?.required ? 'is required: every row has one' : issue.message,
        ...(definition ? { accepted: definition.format } : {}),
      };
    }),
  };
}

/** Where the row came from, and who imports it, when. */
export interface ImportOrigin {
  file: string;
  /** the row's number in the file (a CSV's header is row 1) */
  row: number;
  system?: string;
}

/**
 * The person's event id: a hash of the row's content (not its place in the file), so a second run
 * of the same file — or a file re-sorted — sends the same event, and the journey applies it once.
 */
export function importEventId(row: ImportRow): string {
  // Columns added since files were first imported count only where given, by name: a row that
  // does not use them keeps the id it always had.
  const given = laterColumns.filter((c) => row[c] !== undefined).map((c) => [c, row[c]]);
  const canonical = JSON.stringify([
    ...importColumnNames.filter((c) => !laterColumns.includes(c)).map((c) => row[c] ?? null),
    ...given,
  ]);
  return `import-${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

/** The row as the person's JOURNEY_IMPORTED event. */
export function importEvent(
  row: ImportRow,
  origin: ImportOrigin,
  occurredAt: string,
  actor: Actor,
): EventOf<'JOURNEY_IMPORTED'> {
  const complaints = (row.openComplaints ?? []).map((entry) => {
    const [complaintId = entry, about, raisedOn] = entry.split(':');
    return {
      complaintId,
      about: (about ?? 'other') as (typeof complaintAbout)[number],
      ...(raisedOn ? { raisedOn } : {}),
    };
  });
  const safeguarding = (row.openSafeguarding ?? []).map((entry) => {
    const [concernId = entry, raisedOn] = entry.split(':');
    return { concernId, ...(raisedOn ? { raisedOn } : {}) };
  });
  const emergency =
    // without its set-up date there is no emergency to import (the rules say what is missing)
    row.emergencySetUpOn
      ? {
          interimSupport: {
            setUpOn: row.emergencySetUpOn as string,
            services: row.emergencyServices ?? ['emergency interim support'],
            ...(row.emergencyApprovedBy ? { managerId: row.emergencyApprovedBy } : {}),
          },
        }
      : {};
  const agreement =
    row.directPaymentAgreement || row.directPaymentAgreementSignedOn
      ? {
          directPaymentAgreement: {
            status: (row.directPaymentAgreement ?? 'signed') as 'signed' | 'awaited',
            ...(row.directPaymentAgreementSignedOn ? { signedOn: row.directPaymentAgreementSignedOn } : {}),
          },
        }
      : {};
  return {
    type: 'JOURNEY_IMPORTED',
    eventId: importEventId(row),
    occurredAt,
    actor,
    source: { file: origin.file, row: origin.row, ...(origin.system ? { system: origin.system } : {}) },
    stage: row.stage,
    subject: row.subject ?? 'person',
    ...(row.policyProfile ? { policyProfile: row.policyProfile } : {}),
    ...(row.stageSince ? { stageSince: row.stageSince } : {}),
    ...(row.team ? { team: row.team } : {}),
    ...(row.worker ? { workerId: row.worker } : {}),
    ...(row.assessmentStartedOn ? { assessmentStartedOn: row.assessmentStartedOn } : {}),
    ...emergency,
    ...(row.indicativeBudget !== undefined
      ? {
          indicativeBudget: {
            amount: row.indicativeBudget,
            ...(row.indicativeBudgetSharedOn ? { sharedOn: row.indicativeBudgetSharedOn } : {}),
          },
        }
      : {}),
    ...(row.personalBudget !== undefined ? { personalBudget: row.personalBudget } : {}),
    ...(row.budgetManagement ? { budgetManagement: row.budgetManagement } : {}),
    ...(row.servicesStartedOn ? { servicesStartedOn: row.servicesStartedOn } : {}),
    ...agreement,
    ...(row.lastReviewOn
      ? { lastReview: { on: row.lastReviewOn, reviewType: row.lastReviewType ?? 'formal' } }
      : {}),
    ...(row.nextReviewOn ? { nextReviewOn: row.nextReviewOn } : {}),
    ...(row.informalReview72h !== undefined ? { informalReview72h: row.informalReview72h } : {}),
    ...(row.lastMonitoringCheckOn ? { lastMonitoringCheckOn: row.lastMonitoringCheckOn } : {}),
    ...(row.directPaymentStartedOn ? { directPaymentStartedOn: row.directPaymentStartedOn } : {}),
    ...(row.lastFaceToFaceReviewOn ? { lastFaceToFaceReviewOn: row.lastFaceToFaceReviewOn } : {}),
    complaints,
    safeguarding,
    ...(row.hospitalAdmittedOn && row.hospitalName
      ? { hospital: { admittedOn: row.hospitalAdmittedOn, hospital: row.hospitalName } }
      : {}),
  };
}

/** The column a JOURNEY_IMPORTED field comes from, for a refusal's report (`interimSupport.setUpOn` → emergencySetUpOn). */
export function columnOfField(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const exact: Record<string, string> = {
    workerId: 'worker',
    'interimSupport.setUpOn': 'emergencySetUpOn',
    'interimSupport.services': 'emergencyServices',
    'interimSupport.managerId': 'emergencyApprovedBy',
    'indicativeBudget.amount': 'indicativeBudget',
    'indicativeBudget.sharedOn': 'indicativeBudgetSharedOn',
    'directPaymentAgreement.status': 'directPaymentAgreement',
    'directPaymentAgreement.signedOn': 'directPaymentAgreementSignedOn',
    'lastReview.on': 'lastReviewOn',
    'lastReview.reviewType': 'lastReviewType',
    'hospital.admittedOn': 'hospitalAdmittedOn',
    'hospital.hospital': 'hospitalName',
    type: 'personId',
  };
  if (exact[field]) return exact[field];
  if (field.startsWith('complaints')) return 'openComplaints';
  if (field.startsWith('safeguarding')) return 'openSafeguarding';
  if (field.startsWith('interimSupport')) return 'emergencySetUpOn';
  if (field.startsWith('hospital')) return 'hospitalAdmittedOn';
  const head = field.split('.')[0] as string;
  return head in importColumns ? head : undefined;
}

/** `care import --template`: the header line, then each column's meaning and format (the person's columns last). */
export function importTemplate(): {
  header: string;
  columns: { name: string; required: boolean; meaning: string; format: string }[];
} {
  return {
    header: [...importColumnNames, ...personColumnNames].join(','),
    columns: [
      ...importColumnNames.map((name) => {
        const column: Column = importColumns[name];
        return { name, required: column.required === true, meaning: column.meaning, format: column.format };
      }),
      ...personColumnNames.map((name) => {
        const column = personColumns[name];
        return { name, required: false, meaning: column.meaning, format: column.format };
      }),
    ],
  };
}
