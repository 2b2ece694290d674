import type { LetterRecipient, SendLetter } from '../machines/effects';

/** The formats this system renders a letter in (activities/letters/): standard print, and the accessible ones. */
export const letterFormats = ['standard', 'largePrint', 'easyRead'] as const;
export type LetterFormat = (typeof letterFormats)[number];

/** Who a letter is addressed to, and how they asked to get letters. */
export interface PersonDetails {
  name: string;
  /** the postal address, a line each, without the postcode */
  addressLines: string[];
  postcode?: string;
  /** formats asked for besides standard print (a large-print copy, an easy-read copy) */
  accessibleFormats: LetterFormat[];
}

/**
 * Where a letter finds the person's name, address and preferred formats. A council replaces this
 * with a look-up in its own person index (`createJourneyWorker({ activities: { letters:
 * outboxLetters(outbox, { personDetails }) } })`).
 *
 * The answer must not change while a letter is being retried: a letter is written once under its
 * id, and a second, different rendering under the same id is refused (activities/outbox.ts).
 */
export interface PersonDetailsService {
  /** undefined: nothing is known (the letter is addressed by the person's reference only) */
  personDetails(personId: string, letter: SendLetter): Promise<PersonDetails | undefined>;
}

const fromRecipient = (person: LetterRecipient): PersonDetails => ({
  name: person.name,
  addressLines: person.address,
  ...(person.postcode ? { postcode: person.postcode } : {}),
  accessibleFormats: person.accessibleFormats ?? [],
});

/**
 * The default: what the person's referral said (REFERRAL_RECEIVED's optional `name`, `address`,
 * `postcode`, `accessibleFormats`), which the journey puts on every letter it sends from rules
 * edition 4 (machines/journeyMachine.ts). The letter carries them, so a retried letter is rendered
 * from exactly what it was sent with and no second store of personal details is needed.
 */
export const referralPersonDetails: PersonDetailsService = {
  async personDetails(_personId, letter) {
    return letter.person ? fromRecipient(letter.person) : undefined;
  },
};
