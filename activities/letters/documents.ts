import { existsSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import type { LetterKind, SendLetter } from '../../machines/effects';
import type { LetterFormat, PersonDetails } from '../personDetails';
import { htmlToPdf } from './pdf';
import { dateInWords, inWords, planSections, pounds } from './words';

/** The templates shipped with the system, one per letter kind (a council overrides any of them). */
export const shippedTemplatesDir = path.join(__dirname, 'templates');

/** Each letter's title, as its heading says it. */
export const letterTitles: Record<LetterKind, string> = {
  fullerAssessmentNotice: 'Your interim support, and the assessment that will follow',
  decisionLetter: 'The outcome of your needs assessment',
  indicativeBudgetLetter: 'Your indicative budget',
  planCopy: 'Your care and support plan',
  serviceEndLetter: 'The outcome of your reassessment and the end of your services',
  transferPack: 'Care and support plan and assessment for a person moving to your area',
  reviewOutcome: 'Your review: your care and support plan, who to contact and your next review',
  directPaymentEndNotice: 'Your direct payment is ending: why, and when payments stop',
  appealDecision: 'Your appeal: our decision, and why',
  directPaymentChangeRecord: 'A change to your direct payment: why, and when payments stop',
  surplusRecoveryDecision: 'Money to be paid back from your direct payment: our decision',
};

export interface LetterTemplatesOptions {
  /** a folder of the council's own templates: a file there replaces the shipped one of that name */
  templatesDir?: string;
  /** the council's name, as letters sign off (the policy profile's `council`) */
  council: string;
}

/** One rendering of a letter: HTML and PDF, in one format. */
export interface LetterDocument {
  format: LetterFormat;
  html: string;
  pdf: Buffer;
}

/**
 * The Nunjucks environment letters are rendered with: the council's folder first, then the
 * shipped templates; autoescaped (a name with "<" in it stays text); filters `money` (£ with
 * pence), `date` (in words: 2 March 2026) and `words` (the journey's choices in words).
 */
export function letterEnvironment(templatesDir?: string): nunjucks.Environment {
  if (templatesDir !== undefined && !existsSync(templatesDir)) {
    throw new Error(`CARE_LETTER_TEMPLATES_DIR: the folder ${templatesDir} does not exist`);
  }
  const folders = [...(templatesDir ? [path.resolve(templatesDir)] : []), shippedTemplatesDir];
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(folders, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('money', (n: unknown) => (typeof n === 'number' ? pounds(n) : inWords(n)));
  env.addFilter('date', (d: unknown) => dateInWords(d));
  env.addFilter('words', (v: unknown) => inWords(v));
  return env;
}

/**
 * The formats a letter is made in: standard print always, and each format the person asked for
 * (their details) or this letter asks for (the plan copy's `accessibleFormat`, in words such as
 * "large print" or "easy read").
 */
export function formatsFor(letter: SendLetter, person: PersonDetails | undefined): LetterFormat[] {
  const asked = new Set<LetterFormat>(['standard', ...(person?.accessibleFormats ?? [])]);
  const inLetter = letter.data.accessibleFormat;
  if (typeof inLetter === 'string') {
    if (/large\s*print/i.test(inLetter)) asked.add('largePrint');
    if (/easy\s*read/i.test(inLetter)) asked.add('easyRead');
  }
  return [...asked];
}

/** What every template is given (see layout.njk). */
export function letterView(
  letter: SendLetter,
  person: PersonDetails | undefined,
  options: { council: string; dated: string | undefined; format: LetterFormat },
) {
  const personName = person?.name ?? `the person with reference ${letter.personId}`;
  const personLines = person ? [...person.addressLines, ...(person.postcode ? [person.postcode] : [])] : [];
  // R-TRF-1: the transfer pack goes to the receiving council, about the person
  const toCouncil = letter.letter === 'transferPack';
  const addressee = toCouncil
    ? { name: letter.recipients[0] ?? 'The receiving council', lines: [], salutation: 'colleagues' }
    : {
        name: person?.name ?? `Reference ${letter.personId}`,
        lines: person ? personLines : ['(name and address not recorded: add them before posting)'],
        salutation: person?.name ?? 'Sir or Madam',
      };
  const contactPoint =
    typeof letter.data.contactPoint === 'string' ? letter.data.contactPoint : 'the adult social care team';
  return {
    letterId: letter.letterId,
    kind: letter.letter,
    title: letterTitles[letter.letter],
    format: options.format,
    council: options.council,
    dated: options.dated,
    addressee,
    about: toCouncil ? [personName, ...personLines].join(', ') : undefined,
    personName,
    personId: letter.personId,
    ruleId: letter.ruleId,
    copiesTo: letter.recipients.filter((r) => r !== letter.personId && r !== addressee.name),
    contactPoint,
    data: letter.data,
    planSections: planSections(letter.data.plan),
  };
}

/** A letter rendered from its template, as HTML and PDF, in each format it is asked for. */
export async function renderLetterDocuments(
  env: nunjucks.Environment,
  letter: SendLetter,
  person: PersonDetails | undefined,
  options: { council: string; dated: string | undefined },
): Promise<LetterDocument[]> {
  const documents: LetterDocument[] = [];
  for (const format of formatsFor(letter, person)) {
    const view = letterView(letter, person, { ...options, format });
    const html = env.render(templateFor(env, letter.letter, format), view);
    const dated = new Date(`${options.dated ?? '1970-01-01'}T00:00:00Z`);
    const pdf = await htmlToPdf(html, { format, title: view.title, letterId: letter.letterId, dated });
    documents.push({ format, html, pdf });
  }
  return documents;
}

/** An easy-read letter uses `easy-read/<kind>.njk` where the council (or we) wrote one. */
function templateFor(env: nunjucks.Environment, kind: LetterKind, format: LetterFormat): string {
  if (format === 'easyRead') {
    try {
      env.getTemplate(`easy-read/${kind}.njk`);
      return `easy-read/${kind}.njk`;
    } catch {
      // no easy-read wording for this kind: the standard wording in the easy-read layout
    }
  }
  return `${kind}.njk`;
}
