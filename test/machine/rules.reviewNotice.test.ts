/**
 * How a review is held: arranged with sufficient notice, advocacy considered (R-REV-13), and in the
 * form the council's profile allows — a light-touch review is held to the telephone conditions, and
 * which form a first review may take differs between councils (R-REV-11 as amended).
 */
import { derbyshire, lancashire, type PolicyProfile } from '../../machines/policyProfile';
import { ev, pathToActivation, reviewWith } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyInput,
  newJourney,
  onlyDeadline,
  roadDay,
  run,
  ROAD_START,
  type Snapshot,
} from './journeyHarness';
import { initialTransition } from 'xstate';
import { journeyMachine } from '../../machines/journeyMachine';

const live = (profile: PolicyProfile = derbyshire): Snapshot =>
  run(newJourney({ profile }), pathToActivation(ROAD_START)).snapshot;
const allHold = {
  lowLevelNonPersonalCare: true,
  noCommunicationDifficulty: true,
  faceToFaceReviewInPreviousYear: true,
  ableToMonitorAndAskForFaceToFace: true,
  needsUnchanged: true,
};
// The ordinary road activates services on day 9 (Wednesday 11 March 2026); the first review is held
// on day 50 (Tuesday 21 April 2026). Ten working days before it is Tuesday 7 April (Good Friday
// 3 April and Easter Monday 6 April 2026 are bank holidays, so they do not count).
const FIRST_REVIEW = roadDay(50);
const notice = (toldOn: string, advocacyConsidered = true) => ({
  toldOn,
  told: ['the person', 'her son'],
  advocacyConsidered,
});

describe('R-REV-13 a planned review is arranged with sufficient notice, advocacy considered', () => {
  it('R-REV-13: a review without a record of who was told, and when, is refused naming the field', () => {
    const reasons = expectRefused(live(), reviewWith(FIRST_REVIEW, { notice: undefined }), 'R-REV-13');
    expect(reasons.find((r) => r.ruleId === 'R-REV-13')).toMatchObject({
      field: 'notice',
      message: expect.stringMatching(/who was told/),
    });
  });

  it('R-REV-13: the least notice is the profile’s, counted in working days past the Easter bank holidays', () => {
    expect(derbyshire.reviews.leastNoticeWorkingDays).toBe(10);
    const short = expectRefused(
      live(),
      reviewWith(FIRST_REVIEW, { notice: notice('2026-04-08') }),
      'R-REV-13',
    );
    expect(short.find((r) => r.ruleId === 'R-REV-13')).toMatchObject({
      field: 'notice.toldOn',
      accepted: 'a date on or before 2026-04-07',
    });
    const reviewed = accept(live(), reviewWith(FIRST_REVIEW, { notice: notice('2026-04-07') }));
    expect(onlyDeadline(reviewed, 'firstReview').status).toBe('met');
    expect(reviewed.context.reviews.at(-1)?.notice).toEqual({
      toldOn: '2026-04-07',
      told: ['the person', 'her son'],
    });
  });

  it('R-REV-13: a council that gives more notice changes the date, with no change of code', () => {
    const fifteen = { ...derbyshire, reviews: { ...derbyshire.reviews, leastNoticeWorkingDays: 15 } };
    // 15 working days before Tuesday 21 April 2026, past Easter: Friday 27 March.
    expectRefused(live(fifteen), reviewWith(FIRST_REVIEW, { notice: notice('2026-03-30') }), 'R-REV-13');
    expect(accept(live(fifteen), reviewWith(FIRST_REVIEW, { notice: notice('2026-03-27') }))).toBeDefined();
  });

  it('R-REV-13: advocacy must have been considered, and nobody is told after the review', () => {
    const unconsidered = expectRefused(
      live(),
      reviewWith(FIRST_REVIEW, { notice: notice('2026-04-01', false) }),
      'R-REV-13',
    );
    expect(unconsidered.map((r) => r.field)).toContain('notice.advocacyConsidered');
    const after = expectRefused(
      live(),
      reviewWith(FIRST_REVIEW, { notice: notice('2026-04-22') }),
      'R-REV-13',
    );
    expect(after.map((r) => r.field)).toContain('notice.toldOn');
  });

  it('R-REV-13: an unscheduled review may be held sooner, with the reason recorded', () => {
    const asked = accept(
      live(),
      ev('UNSCHEDULED_REVIEW_REQUESTED', roadDay(20), { trigger: 'providerAlert', details: 'carer ill' }),
    );
    // Asked for on Sunday 22 March, told the same day, held on Monday 23 March.
    const soon = reviewWith(roadDay(21), { notice: notice('2026-03-22') });
    const reasons = expectRefused(asked, soon, 'R-REV-13');
    expect(reasons.map((r) => r.field)).toContain('shortNoticeReason');
    const held = accept(asked, { ...soon, shortNoticeReason: 'the agency is withdrawing on Friday' });
    expect(onlyDeadline(held, 'unscheduledReview').status).toBe('met');
  });

  it('R-REV-13: journeys judged by an earlier edition are not asked for notice (their histories replay)', () => {
    const edition4 = run(
      initialTransition(journeyMachine, { ...journeyInput(), rulesVersion: 4 })[0],
      pathToActivation(ROAD_START),
    ).snapshot;
    expect(accept(edition4, reviewWith(FIRST_REVIEW, { notice: undefined }))).toBeDefined();
  });
});

describe('R-REV-11 light touch is the telephone review by another name; the first review’s form is the council’s', () => {
  const reviewedOnce = (profile: PolicyProfile) => accept(live(profile), reviewWith(FIRST_REVIEW));

  it('R-REV-11: a light-touch review later on is held to every telephone condition', () => {
    const reviewed = reviewedOnce(derbyshire);
    const later = roadDay(200);
    const bare = expectRefused(reviewed, reviewWith(later, { reviewType: 'lightTouch' }), 'R-REV-11');
    expect(bare.map((r) => r.field)).toContain('telephoneConditions');
    const personal = expectRefused(
      reviewed,
      reviewWith(later, {
        reviewType: 'lightTouch',
        telephoneConditions: { ...allHold, lowLevelNonPersonalCare: false },
      }),
      'R-REV-11',
    );
    expect(personal.map((r) => r.message).join(' ')).toMatch(
      /held light touch only where the support is low-level/,
    );
    expect(
      accept(reviewed, reviewWith(later, { reviewType: 'lightTouch', telephoneConditions: allHold })),
    ).toBeDefined();
  });

  it('R-REV-11: a Derbyshire first review is formal and face to face, never light touch', () => {
    const reasons = expectRefused(
      live(derbyshire),
      reviewWith(FIRST_REVIEW, { reviewType: 'lightTouch', telephoneConditions: allHold }),
      'R-REV-11',
    );
    expect(reasons.find((r) => r.ruleId === 'R-REV-11')).toMatchObject({
      field: 'reviewType',
      message: expect.stringMatching(/formal and face to face, not light touch/),
    });
  });

  it('R-REV-11: a Lancashire first review may be by telephone or light touch (LAN §3.7), as its profile says', () => {
    expect(lancashire.reviews.firstReview.form).toBe('lightTouch');
    for (const reviewType of ['telephone', 'lightTouch'] as const) {
      const reviewed = accept(live(lancashire), reviewWith(FIRST_REVIEW, { reviewType }));
      expect(onlyDeadline(reviewed, 'firstReview').status).toBe('met');
    }
    // A later Lancashire review by telephone is still held to the conditions.
    const reviewed = accept(live(lancashire), reviewWith(FIRST_REVIEW, { reviewType: 'telephone' }));
    expectRefused(reviewed, reviewWith(roadDay(200), { reviewType: 'telephone' }), 'R-REV-11');
  });
});
