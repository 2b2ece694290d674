import type { JourneyFacts } from '../journeyFacts';

/**
 * The person's details a CLD row repeats (issue 15 point 3) that the journey itself does not
 * decide: a council replaces the default with a look-up in its own person index (NHS number traced
 * through PDS, date of birth, gender, ethnicity, primary support reason…). Values are CLD's strings
 * as the council holds them; dates are YYYY-MM-DD. Whatever is not given is reported, never invented.
 */
export interface CldPersonDetails {
  NHS_Number?: string;
  GP_Practice_Code?: string;
  Gender?: string;
  Ethnicity?: string;
  /** YYYY-MM-DD */
  Date_of_Birth?: string;
  /** YYYY-MM-DD; the journey's own date of death (PERSON_DIED) is used when this is absent */
  Date_of_Death?: string;
  Primary_Support_Reason?: string;
  Postcode?: string;
  Accommodation_Status?: string;
  Employment_Status?: string;
  Has_Unpaid_Carer?: string;
  Autism_Spectrum_Disorder_ASD?: string;
  Visual_Impairment?: string;
  Hearing_Impairment?: string;
  Dementia?: string;
  Client_Funding_Status?: string;
}

export interface CldPersonDetailsService {
  /** `facts`: what the case-event store has of the journey */
  personDetails(personId: string, facts: JourneyFacts): Promise<CldPersonDetails>;
}

/**
 * The default: what the referral carried, as the store has it. REFERRAL_RECEIVED's optional name,
 * address and postcode reach the store on the letters the journey sends (rules edition 4), so the
 * postcode is read from them; the date of death from the journey's closure. Nothing else about the
 * person is recorded by the journey: NHS number, date of birth, gender, ethnicity, primary support
 * reason and the rest are left absent and so reported.
 */
export const storePersonDetails: CldPersonDetailsService = {
  async personDetails(_personId, facts) {
    const postcode = facts.letters.find((l) => l.person?.postcode)?.person?.postcode;
    const fromPayload = facts.events.find((e) => e.type === 'REFERRAL_RECEIVED')?.payload?.postcode;
    const found = typeof fromPayload === 'string' ? fromPayload : postcode;
    return found ? { Postcode: found.toUpperCase() } : {};
  },
};
