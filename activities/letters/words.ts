/**
 * How letters say things (issue 11): money as pounds with pence, dates in words, the journey's
 * choices in words, a plan section by section. Shared by the plain-text copy and the templates.
 */

/** £9,360.00 */
export const pounds = (n: number): string =>
  `£${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const inWordsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * "2 March 2026", from a calendar date (YYYY-MM-DD: that day) or an instant (its London date).
 * Anything else is returned as it was, so a template never fails on a value it did not expect.
 */
export function dateInWords(value: unknown): string {
  if (typeof value !== 'string') return value === undefined || value === null ? '' : String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return inWordsFormat.format(new Date(`${value}T12:00:00Z`));
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) && /^\d{4}-\d{2}-\d{2}T/.test(value)
    ? inWordsFormat.format(new Date(ms))
    : value;
}

/** The journey's own words for choices a letter repeats (R-PLN-2's budget options and the like). */
export const valueWords: Record<string, string> = {
  directPayment: 'a direct payment',
  councilManaged: 'managed by the council',
  individualServiceFund: 'an individual service fund',
  careManagedAccount: 'a care-managed account',
  noChange: 'no change to your plan',
  planRevised: 'your plan was revised',
  reassessment: 'a reassessment of your needs',
  servicesToEnd: 'your services are to end',
  weekly: 'every week',
  fourWeekly: 'every four weeks',
  monthly: 'every month',
  annually: 'every year',
  person: 'you',
  council: 'the council',
  personChoice: 'you chose to stop it',
  cannotManage: 'it could not be managed safely',
  hospitalStay: 'a stay in hospital',
  withdrawn: 'you asked us to stop your support',
  servicesEnded: 'your services are ending after your reassessment',
  movedAway: 'you are moving to another council’s area',
  breach: 'the agreement was not kept to',
  other: 'another reason',
  none: 'none',
  some: 'some',
  substantial: 'a lot',
  // R-APL-1: what an appeal was about, and its outcome
  eligibility: 'our decision about whether your needs are eligible',
  personalBudget: 'our decision about your personal budget',
  upheld: 'your appeal is upheld: we have changed our decision',
  partlyUpheld: 'your appeal is partly upheld: we have changed part of our decision',
  notUpheld: 'your appeal is not upheld: our decision stays as it was',
};

/** A value in words: a known choice as its words, anything else as it is. */
export const inWords = (value: unknown): string =>
  typeof value === 'string'
    ? (valueWords[value] ?? value)
    : value === undefined || value === null
      ? ''
      : String(value);

/** camelCase → "Camel case", for a part no label names. */
export const labelOf = (key: string): string => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The sections of a care and support plan (R-PLN-3, R-PLN-6), in the order a plan is read. */
export const planLabels: Record<string, string> = {
  needsAndOutcomes: 'Your needs and the outcomes you want',
  eligibleNeeds: 'Eligible needs',
  ineligibleNeeds: 'Needs that are not eligible',
  carerOutcomes: 'Your outcomes as a carer',
  informationAndAdvice: 'Information and advice',
  ownResourcesAndNetwork: 'What you, your family and friends will do',
  councilWillMeet: 'What the council will meet, and how',
  personalBudget: 'Personal budget (a year)',
  budgetManagement: 'How the budget is managed',
  directPayment: 'Direct payment',
  risks: 'Risks, and how they are managed',
  contingencyPlan: 'If something goes wrong',
  crisisContact: 'Who to contact in a crisis',
  stayingInControl: 'How you stay in control',
  optionsConsidered: 'Options considered',
  informalReview72h: 'A check on how things are going within 72 hours of your support starting',
};

/** One section of a plan as a letter shows it: a heading, and a paragraph or a list. */
export interface PlanSection {
  heading: string;
  text?: string;
  items?: string[];
}

const moneyParts = new Set(['personalBudget', 'amount']);

function partInWords(key: string, value: unknown): string {
  if (typeof value === 'number' && moneyParts.has(key)) return pounds(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((v) => itemInWords(v)).join(', ') || 'none';
  if (value !== null && typeof value === 'object') return itemInWords(value);
  return inWords(value);
}

function itemInWords(item: unknown): string {
  if (item === null || typeof item !== 'object') return inWords(item);
  const record = item as Record<string, unknown>;
  // R-PLN-2: an option considered, chosen or not, and why
  if (typeof record.option === 'string' && typeof record.chosen === 'boolean') {
    return `${record.option}: ${record.chosen ? 'chosen' : 'not chosen'}, because ${inWords(record.reason)}`;
  }
  if (typeof record.need === 'string' && typeof record.how === 'string')
    return `${record.need}: ${record.how}`;
  if (typeof record.need === 'string') return record.need;
  if (typeof record.description === 'string') return record.description;
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${labelOf(k)}: ${partInWords(k, v)}`)
    .join('; ');
}

/** A plan as sections in words: lists as items, money in pounds, never raw data. */
export function planSections(plan: unknown): PlanSection[] {
  if (plan === null || typeof plan !== 'object') return [];
  const entries = Object.entries(plan as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const order = Object.keys(planLabels);
  entries.sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return entries.map(([key, value]): PlanSection => {
    const heading = planLabels[key] ?? labelOf(key);
    if (Array.isArray(value)) return { heading, items: value.length ? value.map(itemInWords) : ['none'] };
    if (value !== null && typeof value === 'object') {
      const items = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => `${labelOf(k)}: ${partInWords(k, v)}`);
      return { heading, items };
    }
    return { heading, text: partInWords(key, value) };
  });
}
