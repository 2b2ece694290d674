/** Letters a person can read (issue 11): facts in words, a plan section by section, never raw data. */
import { renderLetter } from '../../activities/letters';
import type { SendLetter } from '../../machines/effects';
import { completePlan, directPaymentPlan } from '../support/journeyEvents';

const letter = (overrides: Partial<SendLetter>): SendLetter => ({
  type: 'sendLetter',
  letterId: 'P-200:e-9:planCopy',
  letter: 'planCopy',
  personId: 'P-200',
  recipients: ['P-200', 'advocate-1'],
  ruleId: 'R-SGN-3',
  data: {},
  ...overrides,
});

describe('letters', () => {
  it('R-SGN-3: the plan copy reads section by section, with the budget in pounds, and no raw data', () => {
    const text = renderLetter(
      letter({ data: { accessibleFormat: 'large print', personalBudget: 9360, plan: directPaymentPlan() } }),
    );
    expect(text).toMatch(/^Your care and support plan\n/);
    expect(text).toContain('To: P-200, advocate-1');
    expect(text).toContain('Format you asked for: large print');
    expect(text).toContain('Your personal budget (a year): £9,360.00');
    expect(text).toContain('  Your needs and the outcomes you want: Personal care each morning');
    expect(text).toContain('  How you stay in control: Chooses the visit times and the agency');
    expect(text).toMatch(
      / {2}Options considered:\n {4}- Option: Home care; Chosen: true; Reason: Keeps her at home/,
    );
    expect(text).toMatch(/ {2}How the budget is managed:\n {4}- a direct payment/);
    expect(text).toMatch(/ {4}Amount: £180.00\n {4}Frequency: weekly/);
    expect(text).not.toMatch(/[{}]|"needsAndOutcomes"/);
  });

  it('R-END-1: the end letter says when services end, why, and what else was discussed', () => {
    const text = renderLetter(
      letter({
        letter: 'serviceEndLetter',
        ruleId: 'R-END-1',
        recipients: ['P-200'],
        data: {
          postedOn: '2026-12-14',
          endDate: '2026-12-30',
          reasons: 'needs met by the family',
          alternativesDiscussed: 'day centre',
          thirdPartySources: ['GP letter'],
          unmetNeedsMetOtherwise: [],
        },
      }),
    );
    expect(text).toContain('Your services end on: 2026-12-30');
    expect(text).toContain('Why: needs met by the family');
    expect(text).toMatch(/Information we used from others:\n {2}- GP letter/);
    expect(text).toMatch(/How your remaining needs will be met:\n {2}\(none\)/);
  });

  it('R-REV-10: the review letter names the contact point and the next review, and carries the plan', () => {
    const text = renderLetter(
      letter({
        letter: 'reviewOutcome',
        ruleId: 'R-REV-10',
        data: {
          outcome: 'noChange',
          plan: completePlan(),
          contactPoint: 'worker.ann',
          nextReviewOn: '2027-04-29',
        },
      }),
    );
    expect(text).toContain('Who to contact: worker.ann');
    expect(text).toContain('Your next review is due by: 2027-04-29');
    expect(text).toContain(
      '  What the council will meet, and how: Home care 7 hours a week through an agency',
    );
  });
});
