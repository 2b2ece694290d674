import { displayName, type PersonRecordFields } from '../machines/personRecord';

/**
 * The person-index port (issue 26): where everything that needs to know who a person is — the
 * API's record and search, the pages, the letters, the CLD return — asks. The default adapter is
 * the case-event store's own person record (`storePersonIndex` in store/personRecord.ts); a council
 * with a person index of its own (its case system, a FHIR Patient endpoint) plugs in a read-through
 * adapter with the same two calls. Whatever the source, the callers ask this port, never a table.
 *
 * Reads name their reader: an adapter keeps the council's record of who looked (the access log,
 * store/accessLog.ts) for every person it answers about.
 */

/** A person's record as the index has it now. */
export interface PersonRecordView {
  personId: string;
  /** counts the changes: 1 for the record as first written */
  version: number;
  record: PersonRecordFields;
  /** when the current version was written (ISO instant), and by whom */
  recordedAt: string;
  recordedBy: string;
}

/** What a search asks; every criterion given must match. */
export interface PersonSearchQuery {
  /** any of the person's names, in any order, any case, with or without accents; each word may be its start */
  name?: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  /** 10 digits (spaces allowed) */
  nhsNumber?: string;
  /** a whole postcode, or its start (e.g. the outward code, DE4) */
  postcode?: string;
  /** the council's reference for the person (the person id), or its start */
  reference?: string;
  /** at most this many (default 25) */
  limit?: number;
}

/** Whose people a search may return (api/scope.ts's TeamFilter); undefined: every team's. */
export interface PersonSearchScope {
  teams: string[];
  /** people with no team yet (the front door's) too */
  unallocated: boolean;
}

export interface PersonSearchHit {
  personId: string;
  /** the name to show: the preferred name, else the given names, and the family name */
  name?: string;
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  /** 10 digits */
  nhsNumber?: string;
  postcode?: string;
  /** the first line of the address, to tell people of one name apart */
  addressLine?: string;
  /** the person's journey: its team (none: not yet allocated), stage, and whether it has closed */
  team?: string;
  stage?: string;
  closed?: boolean;
  /** false: a journey with no person record yet (found by its reference) */
  hasRecord: boolean;
}

export interface PersonSearchResult {
  people: PersonSearchHit[];
  /** more matched than the limit: narrow the search */
  more: boolean;
}

/** Who is reading, for the access record. */
export interface RecordReader {
  userId: string;
  role: string;
  via: 'token' | 'oidc';
  /** what read it, e.g. "GET /people/:personId/record" or "CLD return" */
  route: string;
  ip?: string;
  userAgent?: string;
}

export interface PersonIndex {
  /** The person's record; undefined when the index has none. */
  person(personId: string, reader?: RecordReader): Promise<PersonRecordView | undefined>;
  /** People matching every criterion given, within `scope`, best match first. */
  search(
    query: PersonSearchQuery,
    scope: PersonSearchScope | undefined,
    reader?: RecordReader,
  ): Promise<PersonSearchResult>;
}

/** The record's CLD person items (CLD.md), as the CLD return names them; absent where not recorded. */
export interface CldPersonItems {
  NHS_Number?: string;
  GP_Practice_Code?: string;
  Gender?: string;
  Ethnicity?: string;
  /** YYYY-MM-DD */
  Date_of_Birth?: string;
  /** YYYY-MM-DD */
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

/** A record as CLD's person items: its values are already the return's strings (reports/cld/allowed-values.r2.json). */
export function cldPersonItems(record: PersonRecordFields): CldPersonItems {
  const items: CldPersonItems = {
    NHS_Number: record.nhsNumber?.number,
    GP_Practice_Code: record.gpPractice?.code,
    Gender: record.gender,
    Ethnicity: record.ethnicity,
    Date_of_Birth: record.dateOfBirth,
    Date_of_Death: record.dateOfDeath,
    Primary_Support_Reason: record.primarySupportReason,
    Postcode: record.address?.postcode,
    Accommodation_Status: record.accommodation,
    Employment_Status: record.employment,
    Has_Unpaid_Carer: record.unpaidCarer,
    Autism_Spectrum_Disorder_ASD: record.autism,
    Visual_Impairment: record.visualImpairment,
    Hearing_Impairment: record.hearingImpairment,
    Dementia: record.dementia,
    Client_Funding_Status: record.fundingStatus,
  };
  return Object.fromEntries(Object.entries(items).filter(([, v]) => v !== undefined)) as CldPersonItems;
}

/**
 * The CLD return's person look-up over the port (reports/cld/personDetails.ts's
 * CldPersonDetailsService): each person's items from their record, read as `reader` (the caller of
 * the export), so the export is in each person's access record. A person with no record gives none.
 */
export function cldPersonDetailsFrom(index: PersonIndex, reader?: RecordReader) {
  return {
    async personDetails(personId: string): Promise<CldPersonItems> {
      const found = await index.person(personId, reader);
      return found ? cldPersonItems(found.record) : {};
    },
  };
}

/** "Ann Smith" for a record, else the person's reference: what a page or a list shows. */
export const nameOrReference = (personId: string, view: PersonRecordView | undefined): string =>
  view ? displayName(view.record) : personId;
