/**
 * Letters a person can read (issue 11 point 5): every kind rendered from its template to HTML and
 * PDF, and the PDF's text read back with pdf.js — the person's name and address, the facts in
 * words (money in pounds and pence, dates in words), and large print in a large sans-serif font.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LETTER_DOCUMENTS, outboxLetters } from '../../activities/letters';
import { Outbox, outboxName } from '../../activities/outbox';
import type { LetterKind, SendLetter } from '../../machines/effects';
import { completePlan } from '../support/journeyEvents';
import { readPdf } from '../support/pdfText';

const person = {
  name: 'Mrs Ann Smith',
  address: ['4 Mill Lane', 'Matlock'],
  postcode: 'DE4 3AG',
  accessibleFormats: ['largePrint' as const],
};

const letter = (kind: LetterKind, ruleId: string, data: Record<string, unknown>): SendLetter => ({
  type: 'sendLetter',
  letterId: `P-200:e-${kind}:${kind}`,
  letter: kind,
  personId: 'P-200',
  recipients: kind === 'transferPack' ? ['Nottinghamshire County Council'] : ['P-200'],
  ruleId,
  data,
  person,
  dated: '2026-03-02',
});

const kinds: [LetterKind, string, Record<string, unknown>, (string | RegExp)[]][] = [
  [
    'fullerAssessmentNotice',
    'R-EMG-1',
    { services: ['home care 4 visits a day'] },
    ['home care 4 visits a day', 'fuller assessment'],
  ],
  [
    'decisionLetter',
    'R-ASM-5',
    { eligibleNeeds: [], ineligibleNeeds: ['gardening'], informationAndAdvice: ['Falls prevention leaflet'] },
    ['not eligible', 'gardening', 'Falls prevention leaflet'],
  ],
  [
    'indicativeBudgetLetter',
    'R-IB-3',
    {
      amount: 9360.5,
      basis: '78 points at £120 a point',
      setBy: 'resourceAllocationSystem',
      calculatedOn: '2026-03-02',
      sharedOn: '2026-03-04',
      sharedWith: ['person'],
      method: 'home visit',
      contactPoint: 'worker.ann',
    },
    [
      '£9,360.50 a year',
      '78 points at £120 a point',
      '4 March 2026',
      'indicative',
      'What happens next',
      'worker.ann',
    ],
  ],
  [
    'planCopy',
    'R-SGN-3',
    { accessibleFormat: 'large print', personalBudget: 9360, plan: completePlan() },
    ['£9,360.00 a year', 'What the council will meet, and how', 'Home care 7 hours a week through an agency'],
  ],
  [
    'serviceEndLetter',
    'R-END-1',
    {
      postedOn: '2026-12-14',
      endDate: '2026-12-30',
      reasons: 'Needs met by the family',
      alternativesDiscussed: 'day centre',
    },
    ['30 December 2026', 'Needs met by the family', 'day centre', '14 December 2026'],
  ],
  [
    'directPaymentEndNotice',
    'R-END-4',
    { noticeBy: 'person', reason: 'personChoice', noticeGivenOn: '2026-05-01', paymentsStopOn: '2026-05-29' },
    ['29 May 2026', '1 May 2026', 'you chose to stop it'],
  ],
  [
    'directPaymentChangeRecord',
    'R-END-4',
    {
      change: 'suspended',
      reason: 'hospitalStay',
      details: 'a long stay after surgery',
      hospital: 'Royal Derby',
      admittedOn: '2026-03-22',
      paymentsStopOn: '2026-04-21',
    },
    [
      'suspended while you are in hospital',
      'Royal Derby',
      '22 March 2026',
      '21 April 2026',
      'a stay in hospital',
    ],
  ],
  [
    'surplusRecoveryDecision',
    'R-END-3',
    {
      amount: 120,
      discussedOn: '2026-04-30',
      decidedOn: '2026-05-01',
      surplusToNeeds: 120,
      divertedToOtherPurposes: 0,
      heldAndNotRecovered: 80,
    },
    ['30 April 2026', '£120.00', '£80.00', 'We do not ask for it back'],
  ],
  [
    'appealDecision',
    'R-APL-1',
    {
      appealId: 'apl-1',
      about: 'personalBudget',
      raisedOn: '2026-03-16',
      outcome: 'partlyUpheld',
      reasons: 'An evening visit three nights a week is needed',
      contactPoint: 'worker.ann',
    },
    [
      'our decision about your personal budget on 16 March 2026',
      'your appeal is partly upheld',
      'An evening visit three nights a week is needed',
      'worker.ann',
    ],
  ],
  [
    'reviewOutcome',
    'R-REV-10',
    { outcome: 'noChange', plan: completePlan(), contactPoint: 'worker.ann', nextReviewOn: '2027-04-29' },
    ['29 April 2027', 'no change to your plan', 'worker.ann'],
  ],
  [
    'transferPack',
    'R-TRF-1',
    {
      consentToShareRecords: true,
      plan: completePlan(),
      assessment: {
        eligibleNeeds: [{ need: 'personal care', points: 60 }],
        ineligibleNeeds: [],
        unmetEligibleNeeds: [],
        outcomes: ['stay at home'],
      },
    },
    ['Nottinghamshire County Council', 'personal care', 'stay at home'],
  ],
];

const documentsOf = (root: string, id: string, format: string, ext: string) =>
  readFileSync(path.join(root, LETTER_DOCUMENTS, `${outboxName(`${id}:${format}`)}.${ext}`));

describe('letters as HTML and PDF, from templates', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'letter-documents-'));
  const letters = outboxLetters(new Outbox(root), { council: 'Derbyshire' });

  it.each(kinds)(
    '%s (%s): the PDF names and addresses the person, dated in words, with the facts in words',
    async (kind, ruleId, data, facts) => {
      const sent = letter(kind, ruleId, data);
      await letters.sendLetter(sent);
      const pdf = readPdf(documentsOf(root, sent.letterId, 'standard', 'pdf'));
      for (const line of [
        ...person.address,
        person.postcode,
        '2 March 2026',
        'Derbyshire adult social care',
      ]) {
        expect(pdf.text).toContain(line);
      }
      expect(pdf.text).toContain(kind === 'transferPack' ? 'About: Mrs Ann Smith' : 'Dear Mrs Ann Smith');
      for (const fact of facts) expect(pdf.text).toMatch(fact);
      expect(pdf.text).not.toMatch(/[{}]|undefined|\[object/);
      const html = documentsOf(root, sent.letterId, 'standard', 'html').toString('utf8');
      expect(html).toContain(`<meta name="letter-id" content="${sent.letterId}">`);
      expect(html).toContain('2 March 2026');
    },
  );

  it('R-SGN-3: large print is a real large-print document: every word at least 16pt, sans-serif, left aligned', async () => {
    const sent = letter('planCopy', 'R-SGN-3', {
      accessibleFormat: 'large print',
      personalBudget: 9360,
      plan: completePlan(),
    });
    await letters.sendLetter(sent);
    const large = readPdf(documentsOf(root, sent.letterId, 'largePrint', 'pdf'));
    const items = large.pages.flat();
    expect(items.length).toBeGreaterThan(20);
    expect(Math.min(...items.map((i) => i.size))).toBeGreaterThanOrEqual(16);
    expect(new Set(items.map((i) => i.family))).toEqual(new Set(['sans-serif']));
    // left aligned (never centred or justified): lines start at the left margin, or at a list's indent
    const margin = Math.min(...items.map((i) => i.x));
    expect(items.filter((i) => i.x === margin).length / items.length).toBeGreaterThan(0.7);
    const standard = readPdf(documentsOf(root, sent.letterId, 'standard', 'pdf'));
    expect(Math.min(...standard.pages.flat().map((i) => i.size))).toBeLessThan(16);
    expect(large.text).toContain('Mrs Ann Smith');
  });

  it('a retried letter is written once, byte for byte the same (the outbox would refuse a different one)', async () => {
    const sent = letter('indicativeBudgetLetter', 'R-IB-3', kinds[2]![2]);
    const again = mkdtempSync(path.join(tmpdir(), 'letter-retry-'));
    const port = outboxLetters(new Outbox(again), { council: 'Derbyshire' });
    await port.sendLetter(sent);
    await port.sendLetter(sent);
    expect(readdirSync(path.join(again, LETTER_DOCUMENTS))).toHaveLength(4); // standard + large print, html + pdf
    expect(readdirSync(path.join(again, 'letters'))).toHaveLength(1);
  });

  it('a council’s own template replaces the shipped one (CARE_LETTER_TEMPLATES_DIR)', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'council-templates-'));
    mkdirSync(own, { recursive: true });
    writeFileSync(
      path.join(own, 'council.njk'),
      '<p><strong>{{ council }} County Council</strong><br>Telephone 01629 533190</p>',
    );
    const out = mkdtempSync(path.join(tmpdir(), 'letter-own-'));
    const sent = letter('fullerAssessmentNotice', 'R-EMG-1', { services: ['home care'] });
    await outboxLetters(new Outbox(out), { council: 'Derbyshire', templatesDir: own }).sendLetter(sent);
    const pdf = readPdf(documentsOf(out, sent.letterId, 'standard', 'pdf'));
    expect(pdf.text).toContain('Telephone 01629 533190');
    expect(pdf.text).toContain('Mrs Ann Smith');
  });
});
