import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The two data files of the CLD export: the mapping from the journey's words to DHSC's strings
 * (mapping.json, the council's to change) and the allowed values of a CLD release
 * (allowed-values.r2.json, each list with where it was read: SOURCES.md; a new release is a new
 * file). Both are read
 * when an export runs, so an edit takes effect without a rebuild, and checked here so a mistake in
 * them is named by its path.
 */

export const cldFields = [
  'LA_Code',
  'Reporting_Period_Start_Date',
  'Reporting_Period_End_Date',
  'NHS_Number',
  'LA_Person_Unique_Identifier',
  'GP_Practice_Code',
  'Gender',
  'Ethnicity',
  'Date_of_Birth',
  'Date_of_Death',
  'Client_Type',
  'Primary_Support_Reason',
  'Postcode',
  'Accommodation_Status',
  'Employment_Status',
  'Has_Unpaid_Carer',
  'Autism_Spectrum_Disorder_ASD',
  'Visual_Impairment',
  'Hearing_Impairment',
  'Dementia',
  'Client_Funding_Status',
  'Event_Type',
  'Event_Reference',
  'Event_Start_Date',
  'Event_End_Date',
  'Event_Description',
  'Event_Outcome',
  'Request_Route_of_Access',
  'Assessment_Type',
  'Eligible_Needs_Identified',
  'Method_of_Assessment',
  'Total_Hrs_Caring_per_week',
  'No_of_adults_being_cared_for',
  'Adult_1_Linked_Person_ID',
  'Adult_2_Linked_Person_ID',
  'Adult_3_Linked_Person_ID',
  'Service_Type',
  'Service_Component',
  'Delivery_Mechanism',
  'Provider_CQC_Location_ID',
  'Review_Reason',
  'Review_Outcomes_Achieved',
  'Method_of_Review',
  'Unit_Cost',
  'Cost_Frequency_Unit_Type',
  'Planned_units_per_week',
] as const;
export type CldField = (typeof cldFields)[number];
/** The fields an event's row fills from the event itself: from the route of access on, in order. */
export const eventFields: readonly CldField[] = cldFields.slice(cldFields.indexOf('Request_Route_of_Access'));

const fieldName = z.enum(cldFields);
/** A string of DHSC's, or null: the journey's word has no CLD string yet (reported, never guessed). */
const cldString = z.string().min(1).nullable();
const wordsTo = z.record(z.string(), cldString);

export const mappingSchema = z.object({
  about: z.string().optional(),
  laCodeByCouncil: z.record(z.string(), z.string().min(1)),
  clientType: z.object({ person: z.string().min(1), carer: z.string().min(1) }),
  /** an unpaid carer's rows are about their caring role (CLD's guidance: the social support reason) */
  carerPrimarySupportReason: cldString,
  requestRouteOfAccess: wordsTo,
  requestOutcomeByNextStage: wordsTo,
  requestOnOpenJourney: cldString,
  assessmentType: z.object({
    needsAssessment: cldString,
    carersAssessment: cldString,
    reassessment: cldString,
  }),
  assessmentOutcomeByNextStage: wordsTo,
  eligibleNeedsIdentified: z.object({ yes: z.string().min(1), no: z.string().min(1) }),
  serviceType: z.object({
    interimSupport: cldString,
    shortTermSupport: cldString,
    longTermPerson: cldString,
    longTermCarer: cldString,
    /** SERVICES_ACTIVATED with equipment only (R-REV-14) */
    equipmentOnly: cldString,
  }),
  /** by budget management option, and interimSupport, shortTermSupport, equipmentOnly */
  serviceComponent: wordsTo,
  /**
   * Interim support's services are free text ("emergency home care"): the first rule whose words
   * (a regular expression, any case) the text contains gives the component, else serviceComponent.
   */
  interimServiceComponentByWords: z.array(
    z.object({ words: z.string().min(1), component: z.string().min(1) }),
  ),
  deliveryMechanism: wordsTo,
  /** by the plan's direct payment frequency (weekly, fourWeekly, monthly, annually) */
  costFrequencyUnitType: wordsTo,
  /** Event_Outcome of a service still open at the period's end */
  serviceOutcomeWhileOpen: cldString,
  /** Event_Outcome of interim support that ends because long-term services start (R-EMG-2) */
  interimSupportOutcomeAtActivation: cldString,
  shortTermSupportOutcomeByNextStage: wordsTo,
  outcomeByClosure: wordsTo,
  reviewReason: wordsTo,
  reviewOutcomeByNextStage: wordsTo,
});
export type CldMapping = z.infer<typeof mappingSchema>;

/** How much of a list DHSC's published code shows (reports/cld/SOURCES.md). */
export const listPublished = ['full', 'partial', 'prefixes', 'none'] as const;

export const allowedValuesSchema = z.object({
  release: z.string().min(1),
  source: z.string().optional(),
  dateFormat: z.literal('dd/mm/yyyy'),
  dateFields: z.array(fieldName),
  numberFields: z.array(fieldName),
  fields: z.partialRecord(
    fieldName,
    z.object({
      /** the release's exact strings, as far as `published` says */
      values: z.array(z.string().min(1)),
      /**
       * full: every value; partial: some (a value outside may still be DHSC's); prefixes: only how
       * values begin; none: no string of this release (a value cannot be checked, and is said so)
       */
      published: z.enum(listPublished),
      /** where the list was read: the file of DHSC's code (SOURCES.md names the commit) */
      source: z.string().min(1),
      /** values may also begin with one of these */
      prefixes: z.array(z.string().min(1)).optional(),
      /** prefixes compare without regard to case (as DHSC's SQL does) */
      caseInsensitive: z.boolean().optional(),
      /** the previous release's values that this release changed, graded as such by DHSC's checks */
      release1Values: z.array(z.string().min(1)).optional(),
    }),
  ),
});
export type AllowedValues = z.infer<typeof allowedValuesSchema>;

function readJson<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`the CLD ${what} ${file} cannot be read: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`);
    throw new Error(`the CLD ${what} ${file} is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export const shippedMappingFile = path.join(__dirname, 'mapping.json');
export const shippedAllowedValuesFile = path.join(__dirname, 'allowed-values.r2.json');

/** The mapping: `file`, else CARE_CLD_MAPPING, else the shipped reports/cld/mapping.json. */
export function loadMapping(file = process.env.CARE_CLD_MAPPING || shippedMappingFile): CldMapping {
  return readJson(file, mappingSchema, 'mapping');
}

/** The allowed values: `file`, else CARE_CLD_ALLOWED_VALUES, else Release 2's. */
export function loadAllowedValues(
  file = process.env.CARE_CLD_ALLOWED_VALUES || shippedAllowedValuesFile,
): AllowedValues {
  return readJson(file, allowedValuesSchema, 'allowed values');
}
