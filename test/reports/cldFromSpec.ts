/**
 * CLD Release 2 as ../shared/spec/CLD.md states it, written down again for the tests and kept
 * apart from the exporter's own data files (reports/cld/*.json), so a mistake in those cannot
 * pass its own check. A value of a listed field must be one of CLD.md's strings exactly.
 */

/** CLD.md "Fields", in its order: the header of the return. */
const fields =
  `LA_Code Reporting_Period_Start_Date Reporting_Period_End_Date NHS_Number LA_Person_Unique_Identifier
GP_Practice_Code Gender Ethnicity Date_of_Birth Date_of_Death Client_Type Primary_Support_Reason Postcode
Accommodation_Status Employment_Status Has_Unpaid_Carer Autism_Spectrum_Disorder_ASD Visual_Impairment
Hearing_Impairment Dementia Client_Funding_Status Event_Type Event_Reference Event_Start_Date Event_End_Date
Event_Description Event_Outcome Request_Route_of_Access Assessment_Type Eligible_Needs_Identified
Method_of_Assessment Total_Hrs_Caring_per_week No_of_adults_being_cared_for Adult_1_Linked_Person_ID
Adult_2_Linked_Person_ID Adult_3_Linked_Person_ID Service_Type Service_Component Delivery_Mechanism
Provider_CQC_Location_ID Review_Reason Review_Outcomes_Achieved Method_of_Review Unit_Cost
Cost_Frequency_Unit_Type Planned_units_per_week`.split(/\s+/);

const oneOf = (text: string) => {
  const values = text.split(' · ').map((v) => v.trim());
  return (value: string) => values.includes(value);
};

export const cldAllowedValues = {
  header: Object.fromEntries(fields.map((f) => [f, true])),
  lists: {
    Event_Type: oneOf('Request · Assessment · Service · Review'),
    Event_Outcome: oneOf(
      'Progress to reablement/ST-Max · Progress to assessment, review or reassessment · Progress to support planning or services · Continuation of support or services · Admitted to hospital · NFA: Responsibility moved to another local authority · NFA: Referral to NHS services or NHS funded social care · NFA: Self-funded client or under 12wk disregard · NFA: Information and advice or signposting · NFA: Referral to other service within the local authority · NFA: Support declined · NFA: Deceased · NFA: Support ended as planned · NFA: Support ended for other reason · NFA: No services offered for other reason · NFA: Other',
    ),
    Service_Type: oneOf(
      'Long term support: Community · Long term support: Nursing care · Long term support: Prison · Long term support: Residential care · Short term support: Ongoing low level · Short term support: Other short term · Short term support: ST-Max · Unpaid carer support: Direct to unpaid carer · Unpaid carer support: Support involving the person cared-for',
    ),
    Client_Type: oneOf('Service user · Unpaid carer · Unpaid carer known by association'),
    Delivery_Mechanism: oneOf('Direct payment · CASSR managed personal budget · CASSR commissioned support'),
    Client_Funding_Status: oneOf(
      'Fully client funded · Fully social care funded · Joint client and social care funded',
    ),
    Assessment_Type: oneOf('Short term assessment · Long term assessment'),
    Service_Component: oneOf(
      'Direct payment · Equipment · Reablement · Short term residential care · Short term nursing care · Shared Lives · Community supported living · Extra care housing · Home support or domiciliary care',
    ),
    // Release 2: begins "Planned…" or "Unplanned…", or "Review of short term support"
    Review_Reason: (v: string) =>
      v.startsWith('Planned') || v.startsWith('Unplanned') || v === 'Review of short term support',
    Review_Outcomes_Achieved: oneOf('Fully Met · Partially Met · Not Met'),
    Method_of_Review: oneOf('Carer only · Service user only · Service user and carer'),
    Request_Route_of_Access: oneOf(
      'Planned Entry (Transition) · Discharge from Hospital · Diversion from Hospital Services · Community / Other route · Prison · Self-Funder · Discharge from Reablement · Transfer from Other LA',
    ),
    // costs fit numeric(18,2)
    Unit_Cost: (v: string) => /^\d{1,16}(\.\d{1,2})?$/.test(v),
    Planned_units_per_week: (v: string) => /^\d{1,16}(\.\d{1,2})?$/.test(v),
  } as Record<string, (value: string) => boolean>,
  dates: [
    'Reporting_Period_Start_Date',
    'Reporting_Period_End_Date',
    'Date_of_Birth',
    'Date_of_Death',
    'Event_Start_Date',
    'Event_End_Date',
  ],
};

/** "Dates are written dd/mm/yyyy." */
export const cldDateForm = /^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/\d{4}$/;
