import { Context } from '@temporalio/activity';
import type { SendLetter } from '../machines/effects';
import { letterEnvironment, letterTitles, renderLetterDocuments } from './letters/documents';
import type { Outbox } from './outbox';
import { referralPersonDetails, type PersonDetailsService } from './personDetails';

/** Where letters go. A council replaces this with its print-and-post or document service. */
export interface LetterService {
  sendLetter(letter: SendLetter): Promise<void>;
}

/** The plain-text copy's titles are the documents' (activities/letters/documents.ts). */
const titles = letterTitles;

/** What each fact a letter carries is called, in the words of a letter. */
const factLabels: Record<string, string> = {
  services: 'The support in place for you now',
  eligibleNeeds: 'Your eligible needs',
  ineligibleNeeds: 'Needs that are not eligible for support',
  informationAndAdvice: 'Information and advice',
  accessibleFormat: 'Format you asked for',
  personalBudget: 'Your personal budget (a year)',
  plan: 'Your care and support plan',
  assessment: 'The assessment',
  consentToShareRecords: 'The person agreed to share these records',
  postedOn: 'Date of this letter',
  endDate: 'Your services end on',
  reasons: 'Why',
  alternativesDiscussed: 'Other arrangements we discussed with you',
  thirdPartySources: 'Information we used from others',
  unmetNeedsMetOtherwise: 'How your remaining needs will be met',
  outcome: 'The outcome',
  contactPoint: 'Who to contact',
  nextReviewOn: 'Your next review is due by',
  noticeBy: 'Notice was given by',
  reason: 'The reason',
  noticeGivenOn: 'Notice given on',
  paymentsStopOn: 'Payments stop on',
  appealId: 'Your appeal',
  about: 'What you appealed against',
  raisedOn: 'You appealed on',
};

/** The sections of a care and support plan (R-PLN-3, R-PLN-6), in the order a plan is read. */
const planLabels: Record<string, string> = {
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
};

const moneyFacts = new Set(['personalBudget', 'amount']);

/** The journey's own words for choices a letter repeats (R-PLN-2's budget options and the like). */
const valueWords: Record<string, string> = {
  directPayment: 'a direct payment',
  councilManaged: 'managed by the council',
  individualServiceFund: 'an individual service fund',
  careManagedAccount: 'a care-managed account',
  noChange: 'no change to your plan',
  planRevised: 'your plan was revised',
  reassessment: 'a reassessment of your needs',
  servicesToEnd: 'your services are to end',
  fourWeekly: 'every four weeks',
  eligibility: 'our decision about whether your needs are eligible',
  upheld: 'your appeal is upheld: we have changed our decision',
  partlyUpheld: 'your appeal is partly upheld: we have changed part of our decision',
  notUpheld: 'your appeal is not upheld: our decision stays as it was',
};
const pounds = (n: number) =>
  `£${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** camelCase → "Camel case", for a fact no label names. */
const inWords = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** One value as lines of text: a list as bullets, an object as its parts, money in pounds. */
function valueLines(key: string, value: unknown, labels: Record<string, string>, indent = ''): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}(none)`];
    return value.flatMap((item) => {
      if (item !== null && typeof item === 'object') {
        const parts = Object.entries(item as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) =>
            typeof v === 'object' ? `${inWords(k)}: ${JSON.stringify(v)}` : `${inWords(k)}: ${String(v)}`,
          );
        return [`${indent}- ${parts.join('; ')}`];
      }
      return [`${indent}- ${typeof item === 'string' ? (valueWords[item] ?? item) : String(item)}`];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      const lines = valueLines(k, v, labels, `${indent}  `);
      if (!lines.length) return [];
      const label = labels[k] ?? inWords(k);
      return lines.length === 1 && !Array.isArray(v) && typeof v !== 'object'
        ? [`${indent}${label}: ${lines[0]!.trim()}`]
        : [`${indent}${label}:`, ...lines];
    });
  }
  if (typeof value === 'number' && moneyFacts.has(key)) return [`${indent}${pounds(value)}`];
  if (typeof value === 'boolean') return [`${indent}${value ? 'yes' : 'no'}`];
  return [`${indent}${typeof value === 'string' ? (valueWords[value] ?? value) : String(value)}`];
}

/**
 * A plain-text letter someone can open and read: the title, who it is to, then each fact in words
 * (a plan section by section, lists as bullets, money in pounds), never raw data. A council's
 * print-and-post service takes the format asked for (large print, easy read) from it.
 */
export function renderLetter(letter: SendLetter): string {
  const body = Object.entries(letter.data).flatMap(([key, value]) => {
    const labels = key === 'plan' ? planLabels : factLabels;
    const lines = valueLines(key, value, labels, '  ');
    if (!lines.length) return [];
    const label = factLabels[key] ?? inWords(key);
    return lines.length === 1 && (typeof value !== 'object' || value === null)
      ? [`${label}: ${lines[0]!.trim()}`, '']
      : [`${label}:`, ...lines, ''];
  });
  return [
    titles[letter.letter],
    '',
    `To: ${letter.recipients.join(', ') || '(no recipient: consent not given)'}`,
    `About: ${letter.personId}`,
    `Under: ${letter.ruleId}`,
    '',
    ...body,
  ].join('\n');
}

/** The folder of the outbox that holds each letter's HTML and PDF, one of each per format. */
export const LETTER_DOCUMENTS = 'letter-documents';

export interface OutboxLettersOptions {
  /** the council's own templates (CARE_LETTER_TEMPLATES_DIR), over the shipped ones */
  templatesDir?: string;
  /** the council's name, as letters sign off; defaults to "the council" */
  council?: string;
  /** where the person's name, address and formats come from; defaults to their referral's */
  personDetails?: PersonDetailsService;
}

/**
 * The London date a letter is dated when the journey did not date it: the day its activity was
 * first scheduled, which stays the same across retries, so a retried letter renders the same.
 * Outside an activity (a direct call), undated.
 */
function scheduledOn(): string | undefined {
  let scheduled: number;
  try {
    scheduled = Context.current().info.scheduledTimestampMs;
  } catch {
    return undefined;
  }
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(scheduled));
}

/**
 * The default letters: each rendered from its template (activities/letters/templates, or the
 * council's folder) to HTML and PDF in every format asked for, into `letter-documents/`, then the
 * plain-text copy into `letters/` (its presence means the letter went out; the fault suite and
 * the tests count letters by it). Every file is written once under an exact id (outbox.ts).
 */
export function outboxLetters(outbox: Outbox, options: OutboxLettersOptions = {}): LetterService {
  const env = letterEnvironment(options.templatesDir);
  const personDetails = options.personDetails ?? referralPersonDetails;
  const council = options.council ?? 'the council';
  return {
    async sendLetter(letter) {
      // R-TRF-1: no consent, no recipient — nothing is sent, and the plain-text copy says so
      if (letter.recipients.length > 0) {
        const person = await personDetails.personDetails(letter.personId, letter);
        const dated = letter.dated ?? scheduledOn();
        for (const document of await renderLetterDocuments(env, letter, person, { council, dated })) {
          const id = `${letter.letterId}:${document.format}`;
          await outbox.writeOnceFile(LETTER_DOCUMENTS, id, 'html', Buffer.from(document.html, 'utf8'));
          await outbox.writeOnceFile(LETTER_DOCUMENTS, id, 'pdf', document.pdf);
        }
      }
      await outbox.writeOnce('letters', letter.letterId, renderLetter(letter));
    },
  };
}
