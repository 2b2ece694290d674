import type { LetterKind, SendLetter } from '../machines/effects';
import type { Outbox } from './outbox';

/** Where letters go. A council replaces this with its print-and-post or document service. */
export interface LetterService {
  sendLetter(letter: SendLetter): Promise<void>;
}

const titles: Record<LetterKind, string> = {
  fullerAssessmentNotice: 'Your interim support, and the assessment that will follow',
  decisionLetter: 'The outcome of your needs assessment',
  planCopy: 'Your care and support plan',
  serviceEndLetter: 'The outcome of your reassessment and the end of your services',
  transferPack: 'Care and support plan and assessment for a person moving to your area',
  reviewOutcome: 'Your review: your care and support plan, who to contact and your next review',
  directPaymentEndNotice: 'Your direct payment is ending: why, and when payments stop',
};

/** A plain-text letter someone can open and read: title, recipients, the facts it carries. */
export function renderLetter(letter: SendLetter): string {
  const facts = Object.entries(letter.data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [
    titles[letter.letter],
    `To: ${letter.recipients.join(', ') || '(no recipient: consent not given)'}`,
    `About: ${letter.personId}`,
    `Rule: ${letter.ruleId}`,
    '',
    ...facts,
    '',
  ].join('\n');
}

export function outboxLetters(outbox: Outbox): LetterService {
  return {
    async sendLetter(letter) {
      await outbox.writeOnce('letters', letter.letterId, renderLetter(letter));
    },
  };
}
