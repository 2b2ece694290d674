import { z } from 'zod';
import { withoutControlCharacters } from './events';
import { dateWindow, limits } from './limits';
import cldAllowedValues from '../reports/cld/allowed-values.r2.json';

/**
 * The person record (issue 26): who the person is — names, date of birth, NHS number, address,
 * contacts, language and communication, GP, representative and advocate — and the person items of
 * the CLD return (CLD.md), with the return's allowed values. One definition: the
 * API's bodies (PUT and PATCH /people/{personId}/record, a referral's `person`), the import's person
 * columns and the store's record all come from these schemas.
 *
 * It lives in the case-event store only (store/personRecord.ts): never in a journey's events, its
 * workflow input, its search attributes, or a file name. The fields in `sealedFields` are
 * encrypted there field by field; the rest stay readable for search and letters.
 */

/**
 * The CLD person items' allowed values are the CLD return's own (reports/cld/allowed-values.r2.json,
 * read here as data): one list in one place, so a record accepted here is one the return accepts.
 * Where DHSC has published a list only in part, the council adds its other Release 2 strings there;
 * where it has published none, the record takes the council's own string, which the return reports
 * as unconfirmed.
 */
type CldList = { values?: readonly string[]; published?: string };
const cldList = (field: string): CldList =>
  (cldAllowedValues.fields as Record<string, CldList | undefined>)[field] ?? {};
export const cldValuesOf = (field: string): readonly string[] => cldList(field).values ?? [];

const cldValue = (field: string, name: string) => {
  const { values = [], published } = cldList(field);
  if (!values.length)
    return withoutControlCharacters(z.string().trim().min(1))
      .max(200)
      .describe(
        `CLD ${field}: DHSC has published none of its Release 2 strings; the council's, as DHSC's specification spreadsheet has them`,
      );
  const partly =
    published === 'partial'
      ? ` (DHSC's published code shows only part of this list: the council adds its other Release 2 strings to reports/cld/allowed-values.r2.json)`
      : '';
  return z
    .enum(values as [string, ...string[]], {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not one of the values ${name} (CLD ${field}) takes: choose one of ${values.join(', ')}${partly}`,
    })
    .describe(`CLD ${field}, one of: ${values.join(' | ')}${partly}`);
};

/** The formats a person can ask for; letters render large print and easy read (activities/letters). */
export const accessibleFormatOptions = [
  'largePrint',
  'easyRead',
  'braille',
  'audio',
  'britishSignLanguage',
] as const;
export const representativeKinds = [
  'lastingPowerOfAttorney',
  'courtAppointedDeputy',
  'appointee',
  'familyOrFriend',
  'other',
] as const;
export const advocateKinds = ['careAct', 'imca', 'imha', 'other'] as const;
export const contactKinds = ['telephone', 'mobile', 'email'] as const;

// ---- the parts ---------------------------------------------------------------------------------

const text = (max: number = limits.shortTextChars) =>
  withoutControlCharacters(z.string().trim().min(1)).max(max);

/** Today in London, as YYYY-MM-DD (the latest a date of birth can be). */
const todayInLondon = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const pastDate = (what: string) =>
  z.iso
    .date({ message: `write the ${what} as YYYY-MM-DD, e.g. 1948-03-02` })
    // (a date not written YYYY-MM-DD has said so already: these say only what a real date gets wrong)
    .refine((d) => !isoDate.test(d) || d >= dateWindow.earliest, {
      message: `a ${what} before ${dateWindow.earliest} cannot be right: check the year`,
    })
    .refine((d) => !isoDate.test(d) || d <= todayInLondon(), {
      message: `a ${what} cannot be in the future: check the day, month and year`,
    });

/**
 * The NHS number's check digit (modulus 11, NHS Data Dictionary): each of the first nine digits is
 * weighted 10 down to 2; 11 minus the remainder of their sum by 11 is the check digit (11 counts as
 * 0; 10 means no valid number has those nine digits).
 */
export function nhsCheckDigit(nineDigits: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? undefined : check;
}

/** 943 476 5919, 943-476-5919, 9434765919 → "9434765919"; spaces and dashes are for reading only. */
export const normaliseNhsNumber = (value: string): string => value.replace(/[\s-]/g, '');

/** An NHS number as people write it: three, three and four digits. */
export const nhsNumberInGroups = (digits: string): string =>
  `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;

export const nhsNumberSchema = z
  .string()
  .transform(normaliseNhsNumber)
  .superRefine((digits, ctx) => {
    if (!/^\d{10}$/.test(digits)) {
      ctx.addIssue({
        code: 'custom',
        message: `an NHS number is 10 digits (spaces between the groups are fine, e.g. 943 476 5919); this has ${digits.replace(/\D/g, '').length} digits${/\D/.test(digits) ? ' and other characters' : ''}`,
      });
      return;
    }
    const check = nhsCheckDigit(digits);
    if (check === undefined || check !== Number(digits[9])) {
      ctx.addIssue({
        code: 'custom',
        message:
          `${nhsNumberInGroups(digits)} is not a valid NHS number: its last digit does not match the check ` +
          'worked out from the first nine, so a digit has been mistyped or two swapped; copy it again from ' +
          "the person's NHS letter, the GP record or a trace through the Personal Demographics Service",
      });
    }
  });

const ukPostcode = z
  .string()
  .trim()
  .toUpperCase()
  .transform((p) => p.replace(/\s+/g, '').replace(/^(.+)(\d[A-Z]{2})$/, '$1 $2'))
  .pipe(
    z
      .string()
      .regex(
        /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/,
        'must be a UK postcode, e.g. DE4 3AG (the outward code, a space, then a digit and two letters)',
      ),
  );

const email = z.email({ message: 'must be an email address, e.g. ann.smith@example.org' }).max(320);
const telephone = z
  .string()
  .trim()
  .regex(
    /^\+?[0-9 ()-]{7,20}$/,
    'must be a telephone number: digits, spaces and brackets, e.g. 01629 580000 or +44 1629 580000',
  );
const list = <T extends z.ZodType>(item: T, what = 'items') =>
  z.array(item).max(limits.listItems, `at most ${limits.listItems} ${what}`);

const nhsKept = z.string().regex(/^\d{10}$/);
const postcodeKept = z.string().regex(/^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/);

const nameSchema = z
  .strictObject({
    title: text(50).optional().describe('How the person is addressed, e.g. Mrs, Mr, Ms, Dr, Mx'),
    given: text().describe('Given names, e.g. "Ann Marie"'),
    family: text().describe('Family name, e.g. "Smith"'),
    preferred: text()
      .optional()
      .describe('The name the person likes to be called, e.g. "Annie": letters and pages use it'),
  })
  .describe("The person's names");

const contactSchema = z
  .strictObject({
    kind: z.enum(contactKinds),
    value: text(320).describe('The number or the address'),
    note: text().optional().describe('When or how to use it, e.g. "after 2pm", "ask for her daughter"'),
    preferred: z.boolean().optional().describe('The way the person prefers to be contacted'),
  })
  .superRefine((contact, ctx) => {
    const check = contact.kind === 'email' ? email : telephone;
    const parsed = check.safeParse(contact.value);
    if (!parsed.success)
      ctx.addIssue({ code: 'custom', path: ['value'], message: parsed.error.issues[0]!.message });
  });

const gpPracticeSchema = z
  .strictObject({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z][0-9]{5}$/, "must be the practice's ODS code: a letter and five digits, e.g. C81001")
      .optional()
      .describe("The practice's ODS code (CLD GP_Practice_Code), e.g. C81001"),
    name: text().optional().describe('The practice, e.g. "Imperial Road Surgery"'),
  })
  .refine((gp) => gp.code !== undefined || gp.name !== undefined, {
    message: "give the practice's ODS code, its name, or both",
  });

/**
 * The record's fields. `kept`: as the store keeps them and the API answers with them — the NHS
 * number as 10 digits and the postcode as written out, nothing left to normalise (a response is
 * checked against its schema, which must not transform).
 */
function recordFields(kept: boolean) {
  const addressSchema = z
    .strictObject({
      lines: list(text(), 'lines')
        .min(1, 'give at least the first line of the address')
        .max(6, 'at most 6 lines besides the postcode'),
      postcode: (kept ? postcodeKept : ukPostcode).describe('A UK postcode, e.g. "DE4 3AG"'),
    })
    .describe('The postal address: its lines without the postcode, and the postcode');

  const representativeSchema = z.strictObject({
    name: text(),
    kind: z
      .enum(representativeKinds)
      .describe(
        'lastingPowerOfAttorney (health and welfare), courtAppointedDeputy, appointee (benefits), familyOrFriend, other',
      ),
    relationship: text().optional().describe('e.g. "daughter"'),
    telephone: telephone.optional(),
    email: email.optional(),
    address: addressSchema.optional(),
  });

  const advocateSchema = z.strictObject({
    name: text(),
    kind: z
      .enum(advocateKinds)
      .describe('careAct (an independent advocate under the Care Act s67), imca, imha, other'),
    organisation: text().optional(),
    telephone: telephone.optional(),
    email: email.optional(),
  });

  /** Every field of the record after the names, each optional. */
  return {
    otherNames: list(text(), 'names')
      .optional()
      .describe('Names the person was known by before or is also known by: search finds them too'),
    dateOfBirth: pastDate('date of birth').optional().describe('YYYY-MM-DD'),
    dateOfDeath: pastDate('date of death').optional().describe('YYYY-MM-DD, where the council knows it'),
    nhsNumber: z
      .strictObject({
        number: (kept ? nhsKept : nhsNumberSchema).describe(
          '10 digits; spaces between the groups are fine, e.g. "943 476 5919"',
        ),
        traced: z
          .boolean()
          .describe(
            'true: confirmed by a trace through the Personal Demographics Service (CLD prefers a traced number)',
          ),
      })
      .optional()
      .describe('Encrypted in the store, field by field'),
    address: addressSchema.optional(),
    contacts: list(contactSchema, 'contacts').optional(),
    gender: cldValue('Gender', 'gender').optional(),
    ethnicity: cldValue('Ethnicity', 'ethnicity')
      .optional()
      .describe('CLD Ethnicity; encrypted in the store'),
    firstLanguage: text().optional().describe('e.g. "English", "Polish", "British Sign Language"'),
    interpreter: z
      .strictObject({
        needed: z.boolean(),
        language: text().optional().describe('The language or the kind, e.g. "Polish", "BSL"'),
      })
      .optional(),
    communicationNeeds: list(text(), 'needs')
      .optional()
      .describe(
        'What helps the person understand and be understood, e.g. "speak slowly, face her: she lip-reads"; encrypted in the store',
      ),
    accessibleFormats: list(z.enum(accessibleFormatOptions), 'formats')
      .optional()
      .describe('Formats asked for besides standard print; encrypted in the store'),
    gpPractice: gpPracticeSchema.optional(),
    representative: representativeSchema.optional(),
    advocate: advocateSchema.optional(),
    accommodation: cldValue('Accommodation_Status', 'accommodation').optional(),
    employment: cldValue('Employment_Status', 'employment').optional(),
    primarySupportReason: cldValue('Primary_Support_Reason', 'primarySupportReason')
      .optional()
      .describe('CLD Primary_Support_Reason; encrypted in the store'),
    unpaidCarer: cldValue('Has_Unpaid_Carer', 'unpaidCarer').optional(),
    fundingStatus: cldValue('Client_Funding_Status', 'fundingStatus').optional(),
    autism: cldValue('Autism_Spectrum_Disorder_ASD', 'autism')
      .optional()
      .describe('CLD Autism_Spectrum_Disorder_ASD; encrypted in the store'),
    visualImpairment: cldValue('Visual_Impairment', 'visualImpairment')
      .optional()
      .describe('CLD Visual_Impairment; encrypted in the store'),
    hearingImpairment: cldValue('Hearing_Impairment', 'hearingImpairment')
      .optional()
      .describe('CLD Hearing_Impairment; encrypted in the store'),
    dementia: cldValue('Dementia', 'dementia').optional().describe('CLD Dementia; encrypted in the store'),
  };
}

const fields = recordFields(false);
const keptFields = recordFields(true);

/** The whole record, as PUT /people/{personId}/record and a referral's `person` take it. */
export const personRecordSchema = z
  .strictObject({ name: nameSchema, ...fields })
  .superRefine((record, ctx) => {
    if (record.dateOfBirth && record.dateOfDeath && record.dateOfDeath < record.dateOfBirth)
      ctx.addIssue({
        code: 'custom',
        path: ['dateOfDeath'],
        message: `is before the date of birth (${record.dateOfBirth}): check both`,
      });
    if (record.interpreter?.needed && !record.interpreter.language && !record.firstLanguage)
      ctx.addIssue({
        code: 'custom',
        path: ['interpreter', 'language'],
        message: 'an interpreter is needed: say for which language (or give firstLanguage)',
      });
  })
  .meta({
    id: 'PersonRecord',
    description:
      "The person's record, kept only in the council's case-event store (never in Temporal). The NHS number, " +
      'ethnicity, primary support reason, communication needs, accessible formats and the CLD health items are ' +
      'encrypted there field by field; every change is kept with who made it and when.',
    example: {
      name: { title: 'Mrs', given: 'Ann', family: 'Smith', preferred: 'Annie' },
      dateOfBirth: '1941-05-14',
      nhsNumber: { number: '943 476 5919', traced: true },
      address: { lines: ['4 Mill Lane', 'Matlock'], postcode: 'DE4 3AG' },
      contacts: [{ kind: 'telephone', value: '01629 580000', preferred: true }],
      gender: 'Female',
      ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British',
      firstLanguage: 'English',
      communicationNeeds: ['Hard of hearing: speak clearly, face her'],
      accessibleFormats: ['largePrint'],
      gpPractice: { code: 'C81001', name: 'Imperial Road Surgery' },
      accommodation: 'Owner occupier or shared ownership scheme',
      primarySupportReason: 'Physical Support: Personal care support',
      unpaidCarer: 'Yes',
    },
  });
export type PersonRecordFields = z.output<typeof personRecordSchema>;

/** The record as the store keeps it and the API answers with it: written out, nothing to normalise. */
export const personRecordKeptSchema = z.strictObject({ name: nameSchema, ...keptFields }).meta({
  id: 'PersonRecordKept',
  description:
    "The person's record as kept: the NHS number as 10 digits, the postcode written out (DE4 3AG). Only in the " +
    "council's case-event store; the NHS number and the special-category fields are encrypted there.",
});
export type PersonRecordInput = z.input<typeof personRecordSchema>;
export const personFieldNames = ['name', ...Object.keys(fields)] as (keyof PersonRecordFields)[];

/**
 * An amendment (PATCH): only the fields given change; `null` removes one. Each field given is
 * replaced whole (an address with its postcode; the contacts as a list). The record that results
 * must be a whole record (its names stay required).
 */
export const personRecordAmendmentSchema = z
  .strictObject({
    name: nameSchema.optional(),
    ...(Object.fromEntries(
      Object.entries(fields).map(([key, schema]) => {
        const described = ((schema as z.ZodOptional).unwrap() as z.ZodType).nullable().optional();
        return [key, schema.description ? described.describe(schema.description) : described];
      }),
    ) as { [K in keyof typeof fields]: z.ZodOptional<z.ZodNullable<(typeof fields)[K]>> }),
  })
  .refine((patch) => Object.keys(patch).length > 0, {
    message: 'the amendment changes nothing: give the fields to change (null removes one)',
  })
  .meta({
    id: 'PersonRecordAmendment',
    description:
      'The fields to change, each replaced whole; null removes a field. The names stay required. Every change is ' +
      'kept with who made it and when.',
    example: { address: { lines: ['Flat 2, 9 Bank Road', 'Matlock'], postcode: 'DE4 3NF' } },
  });
export type PersonRecordAmendment = z.output<typeof personRecordAmendmentSchema>;

/** The amendment applied to a record: the whole record, to be checked again with personRecordSchema. */
export function amended(current: PersonRecordFields, patch: PersonRecordAmendment): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next;
}

/**
 * The fields encrypted in the store, each under the council's payload keys (store/fieldCrypto.ts),
 * and why: the NHS number identifies the person across every health and care system; the rest are
 * special category data (UK GDPR Article 9: racial or ethnic origin, and health).
 */
export const sealedFields = {
  nhsNumber: 'identifies the person in every NHS and care system: a key to their health records',
  ethnicity: 'special category: racial or ethnic origin (UK GDPR Art. 9)',
  primarySupportReason: 'special category: health (a disability, a mental health or memory condition)',
  communicationNeeds: 'special category: health (they describe an impairment or condition)',
  accessibleFormats: 'special category by inference: easy read, braille or audio tell of an impairment',
  autism: 'special category: health',
  visualImpairment: 'special category: health',
  hearingImpairment: 'special category: health',
  dementia: 'special category: health',
} as const satisfies Partial<Record<keyof PersonRecordFields, string>>;
export type SealedField = keyof typeof sealedFields;
export const sealedFieldNames = Object.keys(sealedFields) as SealedField[];

/** The name to call the person by on a page or a letter's greeting: "Annie Smith", else "Ann Smith". */
export const displayName = (record: Pick<PersonRecordFields, 'name'>): string =>
  `${record.name.preferred ?? record.name.given} ${record.name.family}`;

/** The name a letter is addressed to: "Mrs Ann Smith". */
export const formalName = (record: Pick<PersonRecordFields, 'name'>): string =>
  [record.name.title, record.name.given, record.name.family].filter(Boolean).join(' ');

// ---- the import's person columns (machines/importRow.ts) ----------------------------------------

const split = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)
    : v;
const yesNo = (v: unknown) =>
  typeof v === 'string'
    ? (({ yes: true, no: false } as Record<string, boolean>)[v.trim().toLowerCase()] ?? v)
    : v;

type PersonColumn = {
  meaning: string;
  format: string;
  /** where the column's value goes in the record */
  path: readonly string[];
  /** a CSV cell to the record's value */
  read?: (v: unknown) => unknown;
};
const valuesFormat = (field: string) => cldValuesOf(field).join(' | ') || `the council's CLD ${field} string`;

/** The person record as columns of an import file, each with its place in the record. */
export const personColumns = {
  title: { meaning: 'The person: how they are addressed', format: 'text, e.g. Mrs', path: ['name', 'title'] },
  givenName: {
    meaning: "The person's given names (required when any person column is given)",
    format: 'text',
    path: ['name', 'given'],
  },
  familyName: {
    meaning: "The person's family name (required when any person column is given)",
    format: 'text',
    path: ['name', 'family'],
  },
  preferredName: {
    meaning: 'The name the person likes to be called',
    format: 'text',
    path: ['name', 'preferred'],
  },
  otherNames: {
    meaning: 'Other names the person is or was known by',
    format: 'a;b',
    path: ['otherNames'],
    read: split,
  },
  dateOfBirth: { meaning: "The person's date of birth", format: 'YYYY-MM-DD', path: ['dateOfBirth'] },
  dateOfDeath: { meaning: "The person's date of death", format: 'YYYY-MM-DD', path: ['dateOfDeath'] },
  nhsNumber: {
    meaning: "The person's NHS number (its check digit is checked)",
    format: '10 digits, e.g. 943 476 5919',
    path: ['nhsNumber', 'number'],
  },
  nhsNumberTraced: {
    meaning: 'Whether the NHS number was confirmed by a trace (PDS)',
    format: 'yes | no (empty: no)',
    path: ['nhsNumber', 'traced'],
    read: yesNo,
  },
  addressLines: {
    meaning: "The person's postal address without the postcode",
    format: 'line;line (with postcode)',
    path: ['address', 'lines'],
    read: split,
  },
  postcode: { meaning: "The address's postcode", format: 'e.g. DE4 3AG', path: ['address', 'postcode'] },
  telephone: {
    meaning: "The person's telephone number",
    format: 'e.g. 01629 580000',
    path: ['contacts', 'telephone'],
  },
  mobile: {
    meaning: "The person's mobile number",
    format: 'e.g. 07700 900123',
    path: ['contacts', 'mobile'],
  },
  email: {
    meaning: "The person's email address",
    format: 'e.g. ann@example.org',
    path: ['contacts', 'email'],
  },
  gender: { meaning: 'CLD Gender', format: valuesFormat('Gender'), path: ['gender'] },
  ethnicity: { meaning: 'CLD Ethnicity', format: valuesFormat('Ethnicity'), path: ['ethnicity'] },
  firstLanguage: { meaning: "The person's first language", format: 'text', path: ['firstLanguage'] },
  interpreterNeeded: {
    meaning: 'Whether the person needs an interpreter',
    format: 'yes | no',
    path: ['interpreter', 'needed'],
    read: yesNo,
  },
  interpreterLanguage: {
    meaning: 'The language to interpret',
    format: 'text',
    path: ['interpreter', 'language'],
  },
  communicationNeeds: {
    meaning: 'What helps the person communicate',
    format: 'a;b',
    path: ['communicationNeeds'],
    read: split,
  },
  accessibleFormats: {
    meaning: 'Formats asked for besides standard print',
    format: `${accessibleFormatOptions.join(' | ')}; several with ;`,
    path: ['accessibleFormats'],
    read: split,
  },
  gpPracticeCode: {
    meaning: "The GP practice's ODS code",
    format: 'e.g. C81001',
    path: ['gpPractice', 'code'],
  },
  gpPracticeName: { meaning: 'The GP practice', format: 'text', path: ['gpPractice', 'name'] },
  representativeName: {
    meaning: "The person's representative",
    format: 'text',
    path: ['representative', 'name'],
  },
  representativeKind: {
    meaning: "The representative's standing",
    format: representativeKinds.join(' | '),
    path: ['representative', 'kind'],
  },
  representativeRelationship: {
    meaning: 'How the representative is related to the person',
    format: 'text, e.g. daughter',
    path: ['representative', 'relationship'],
  },
  representativeTelephone: {
    meaning: "The representative's telephone number",
    format: 'e.g. 01629 580000',
    path: ['representative', 'telephone'],
  },
  advocateName: { meaning: "The person's advocate", format: 'text', path: ['advocate', 'name'] },
  advocateKind: {
    meaning: 'The kind of advocacy',
    format: advocateKinds.join(' | '),
    path: ['advocate', 'kind'],
  },
  advocateOrganisation: {
    meaning: "The advocate's organisation",
    format: 'text',
    path: ['advocate', 'organisation'],
  },
  accommodation: {
    meaning: 'CLD Accommodation_Status',
    format: valuesFormat('Accommodation_Status'),
    path: ['accommodation'],
  },
  employment: {
    meaning: 'CLD Employment_Status',
    format: valuesFormat('Employment_Status'),
    path: ['employment'],
  },
  primarySupportReason: {
    meaning: 'CLD Primary_Support_Reason',
    format: valuesFormat('Primary_Support_Reason'),
    path: ['primarySupportReason'],
  },
  unpaidCarer: {
    meaning: 'CLD Has_Unpaid_Carer',
    format: valuesFormat('Has_Unpaid_Carer'),
    path: ['unpaidCarer'],
  },
  fundingStatus: {
    meaning: 'CLD Client_Funding_Status',
    format: valuesFormat('Client_Funding_Status'),
    path: ['fundingStatus'],
  },
  autism: {
    meaning: 'CLD Autism_Spectrum_Disorder_ASD',
    format: valuesFormat('Autism_Spectrum_Disorder_ASD'),
    path: ['autism'],
  },
  visualImpairment: {
    meaning: 'CLD Visual_Impairment',
    format: valuesFormat('Visual_Impairment'),
    path: ['visualImpairment'],
  },
  hearingImpairment: {
    meaning: 'CLD Hearing_Impairment',
    format: valuesFormat('Hearing_Impairment'),
    path: ['hearingImpairment'],
  },
  dementia: { meaning: 'CLD Dementia', format: valuesFormat('Dementia'), path: ['dementia'] },
} as const satisfies Record<string, PersonColumn>;
export type PersonColumnName = keyof typeof personColumns;
export const personColumnNames = Object.keys(personColumns) as PersonColumnName[];

/** One refused person column, as an import row's problem. */
export interface PersonColumnProblem {
  column?: string;
  message: string;
  accepted?: string;
}

const cellValue = (value: unknown) => {
  if (typeof value !== 'string') return value ?? undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/**
 * The person columns of an import row as a record: undefined when the row gives none; else the
 * record, or the problems each naming its column.
 */
export function personFromColumns(
  values: Record<string, unknown>,
): { ok: true; person: PersonRecordFields | undefined } | { ok: false; problems: PersonColumnProblem[] } {
  const given = personColumnNames.filter((c) => cellValue(values[c]) !== undefined);
  if (!given.length) return { ok: true, person: undefined };
  const record: Record<string, unknown> = {};
  const contacts: { kind: string; value: unknown }[] = [];
  for (const column of given) {
    const definition: PersonColumn = personColumns[column];
    const raw = cellValue(values[column]);
    const value = definition.read ? definition.read(raw) : raw;
    const [head, leaf] = definition.path as [string, string | undefined];
    if (head === 'contacts') contacts.push({ kind: leaf!, value });
    else if (leaf === undefined) record[head] = value;
    else record[head] = { ...(record[head] as object | undefined), [leaf]: value };
  }
  if (contacts.length) record.contacts = contacts;
  if (record.nhsNumber && (record.nhsNumber as { traced?: unknown }).traced === undefined)
    record.nhsNumber = { ...(record.nhsNumber as object), traced: false };
  const parsed = personRecordSchema.safeParse(record);
  if (parsed.success) return { ok: true, person: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const column = columnOfPath(issue.path, record);
      const definition = column ? (personColumns as Record<string, PersonColumn>)[column] : undefined;
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      return {
        ...(column ? { column } : {}),
        message: missing ? 'is required with the other person columns' : issue.message,
        ...(definition ? { accepted: definition.format } : {}),
      };
    }),
  };
}

/** The column a path of the record came from (contacts[1].value → the kind of that contact). */
function columnOfPath(path: readonly PropertyKey[], record: Record<string, unknown>): string | undefined {
  const [head, second] = path.map(String);
  if (head === 'contacts') {
    const kind = (record.contacts as { kind: string }[] | undefined)?.[Number(second)]?.kind;
    return kind;
  }
  const match = personColumnNames.find((c) => {
    const p = personColumns[c].path as readonly string[];
    return p[0] === head && (p.length === 1 || p[1] === second);
  });
  return match ?? personColumnNames.find((c) => personColumns[c].path[0] === head);
}
