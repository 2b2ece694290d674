import type { JourneyFacts } from '../journeyFacts';
import type { CldEventType } from './rows';

/**
 * The person's details a CLD row repeats that the journey itself does not decide, and the few facts
 * of an event the council holds but no journey event records. A council replaces the default with
 * a look-up in its own person record (NHS number traced through PDS, date of birth, gender,
 * ethnicity, primary support reason…). Values are CLD Release 2 strings (the lists below, each as
 * reports/cld/allowed-values.r2.json has it: test/reports/cldPersonDetails.test.ts keeps them
 * equal); dates are YYYY-MM-DD. Whatever is not given is reported, never invented.
 */

/** Release 2 lists DHSC's published code shows in full (reports/cld/SOURCES.md). */
export const cldPersonValues = {
  Gender: ['Male', 'Female', 'Other', 'Unknown'],
  Ethnicity: [
    'Asian or Asian British: Any other Asian background',
    'Asian or Asian British: Bangladeshi',
    'Asian or Asian British: Chinese',
    'Asian or Asian British: Indian',
    'Asian or Asian British: Pakistani',
    'Black, Black British, Caribbean or African: African',
    'Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background',
    'Black, Black British, Caribbean or African: Caribbean',
    'Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background',
    'Mixed or multiple ethnic groups: White and Asian',
    'Mixed or multiple ethnic groups: White and Black African',
    'Mixed or multiple ethnic groups: White and Black Caribbean',
    'No data: Refused',
    'No data: Undeclared or not known',
    'Other ethnic group: Any other ethnic group',
    'Other ethnic group: Arab',
    'White: Any other White background',
    'White: English, Welsh, Scottish, Northern Irish or British',
    'White: Gypsy or Irish Traveller',
    'White: Irish',
    'White: Roma',
  ],
  Accommodation_Status: [
    'Owner occupier or shared ownership scheme',
    'Tenant: Local authority or other social housing provider',
    'Tenant: Private landlord',
    'Settled mainstream housing with family or friends',
    'Supported accommodation, supported lodgings or supported group home',
    'Shared Lives scheme',
    'Approved premises for offenders released from prison or under probation supervision',
    'Sheltered housing, extra care housing or other sheltered housing',
    'Mobile accommodation for Gypsy, Roma and Traveller communities',
    'Rough sleeper or squatting',
    'Night shelter, emergency hostel or direct access hostel',
    'Refuge',
    'Placed in temporary accommodation by the council (inc. homelessness resettlement)',
    'Staying with family or friends as a short term guest',
    'Acute hospital or long term healthcare residential facility',
    'Registered care home',
    'Registered nursing home',
    'Prison, young offenders institution or detention centre',
    'Other temporary accommodation',
    'Unknown',
  ],
  Employment_Status: [
    'Not in paid employment: Not actively seeking work or retired',
    'Not in paid employment: Seeking work',
    'Not in paid employment: Voluntary work only',
    'Paid: 16 or more hours a week',
    'Paid: Hours per week unknown',
    'Paid: Less than 16 hours a week',
    'Unknown',
  ],
  Has_Unpaid_Carer: ['Yes', 'No', 'Unknown'],
  Client_Funding_Status: [
    'Fully client funded',
    'Fully social care funded',
    'Joint client and social care funded',
  ],
  /** partial: the rest of the reasons' Release 2 strings are only in DHSC's spreadsheet */
  Primary_Support_Reason: [
    'Learning Disability Support',
    'Social support: Support to unpaid carer',
    'Unknown',
  ],
} as const;

type Values<F extends keyof typeof cldPersonValues> = (typeof cldPersonValues)[F][number];
/** A string of a list DHSC's code shows only in part: its other Release 2 strings are accepted too. */
type OrOtherRelease2String = string & { readonly release2?: never };

export type CldGender = Values<'Gender'>;
export type CldEthnicity = Values<'Ethnicity'>;
export type CldAccommodationStatus = Values<'Accommodation_Status'>;
export type CldEmploymentStatus = Values<'Employment_Status'>;
export type CldYesNoUnknown = Values<'Has_Unpaid_Carer'>;
export type CldClientFundingStatus = Values<'Client_Funding_Status'>;
export type CldPrimarySupportReason = Values<'Primary_Support_Reason'> | OrOtherRelease2String;

/** Every CLD person item (CLD.md "Fields", Person) but the council's own identifier (the person id). */
export interface CldPersonDetails {
  /** 10 digits, no spaces: the PDS-traced number where the council has one */
  NHS_Number?: string;
  GP_Practice_Code?: string;
  Gender?: CldGender;
  Ethnicity?: CldEthnicity;
  /** YYYY-MM-DD */
  Date_of_Birth?: string;
  /**
   * YYYY-MM-DD; the journey's own (PERSON_DIED) is used when this is absent. A date after the
   * period's end is not sent: the return says what was known of the period.
   */
  Date_of_Death?: string;
  /** the person's own: a carer's journey's rows take mapping.json's carerPrimarySupportReason */
  Primary_Support_Reason?: CldPrimarySupportReason;
  /** the default reads the referral's */
  Postcode?: string;
  Accommodation_Status?: CldAccommodationStatus;
  /** mandatory for service users aged 18 to 64 with a learning disability as their reason */
  Employment_Status?: CldEmploymentStatus;
  Has_Unpaid_Carer?: CldYesNoUnknown;
  /**
   * Release 2's strings for these four are not in DHSC's published code (SOURCES.md): the
   * council's, as its specification spreadsheet has them; each is reported as unconfirmed.
   */
  Autism_Spectrum_Disorder_ASD?: string;
  Visual_Impairment?: string;
  Hearing_Impairment?: string;
  Dementia?: string;
  Client_Funding_Status?: CldClientFundingStatus;
}

/** One CLD event of the journey, as the council's case system would find it. */
export interface CldEventKey {
  eventType: CldEventType;
  /** the row's Event_Reference */
  eventReference: string;
  /** the journey event it starts with, and its type (REVIEW_COMPLETED, ASSESSMENT_STARTED…) */
  journeyEventId: string;
  journeyEventType: string;
  /** YYYY-MM-DD (London) */
  startDate: string;
  endDate?: string;
}

/**
 * Facts of an event that DHSC's checks make mandatory and no journey event records: who took part
 * in a review and whether its outcomes were achieved, how an assessment was carried out. Strings
 * of DHSC's Release 2 lists (not in its published code: the council's spreadsheet).
 */
export interface CldCouncilEventDetails {
  Method_of_Assessment?: string;
  Method_of_Review?: string;
  Review_Outcomes_Achieved?: string;
  Provider_CQC_Location_ID?: string;
  Total_Hrs_Caring_per_week?: string;
}

export interface CldPersonDetailsService {
  /** `facts`: what the case-event store has of the journey */
  personDetails(personId: string, facts: JourneyFacts): Promise<CldPersonDetails>;
  /** the council-held facts of one event; without it they are reported as not recorded */
  eventDetails?(personId: string, event: CldEventKey, facts: JourneyFacts): Promise<CldCouncilEventDetails>;
}

/**
 * The default: what the referral carried, as the store has it. REFERRAL_RECEIVED's optional name,
 * address and postcode reach the store on the letters the journey sends (rules edition 4), so the
 * postcode is read from them. Nothing else about the person is recorded by the journey: NHS
 * number, date of birth, gender, ethnicity, primary support reason and the rest are left absent and
 * so reported. A council's own port is asked first; this fills only what it leaves out.
 */
export const storePersonDetails: CldPersonDetailsService = {
  async personDetails(_personId, facts) {
    const postcode = facts.letters.find((l) => l.person?.postcode)?.person?.postcode;
    const fromPayload = facts.events.find((e) => e.type === 'REFERRAL_RECEIVED')?.payload?.postcode;
    const found = typeof fromPayload === 'string' ? fromPayload : postcode;
    return found ? { Postcode: found.toUpperCase() } : {};
  },
};
