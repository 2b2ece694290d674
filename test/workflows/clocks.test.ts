import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  englandAndWalesCalendar,
  englandAndWalesBankHolidays,
  bankHolidaysAround,
} from '../../machines/calendar';
import type { Deadline, DeadlineKind } from '../../machines/types';
import { eventually } from '../support/eventually';
import {
  ev,
  interimSupportStarted,
  noIndicators,
  pathToActivation,
  referral,
  review,
  reviewWith,
} from '../support/journeyEvents';
import { journeyKit, type JourneyKit } from '../support/journeyKit';
import { createTimeSkippingEnv } from '../support/temporal';
import { DAY, MINUTE, serverNow, skipTo } from '../support/timeTravel';
import { OVERDUE_SPREAD_MS, wakeSpreadOf } from '../../workflows/wakeSpread';

/**
 * Statutory clocks as durable timers, on the time-skipping server: each deadline is reached at
 * its instant and at no other, and each reminder and escalation goes out once, moved by the
 * person's own offset within a bounded window (no timer storms): an overdue flag and an escalation
 * after their instant, a reminder before it.
 */

let env: TestWorkflowEnvironment;
let kit: JourneyKit;
const calendar = englandAndWalesCalendar();

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  kit = await journeyKit(env);
  await kit.startWorker();
});
afterAll(async () => {
  await kit?.teardown();
  await env?.teardown();
});

async function deadline(personId: string, kind: DeadlineKind): Promise<Deadline> {
  const found = (await kit.view(personId)).deadlines.filter((d) => d.kind === kind).at(-1);
  if (!found) throw new Error(`no ${kind} deadline on ${personId}`);
  return found;
}

/**
 * An obligation falls overdue at `instant` and at no other: not before it; flagged when this
 * person's wake-up comes, the person's own offset after it (workflows/wakeSpread.ts: no timer
 * storms), not a minute before that; and flagged as of the instant itself.
 */
async function expectOverdueFrom(personId: string, kind: DeadlineKind, instant: string): Promise<void> {
  const { afterMs } = wakeSpreadOf(personId);
  expect(afterMs).toBeLessThan(OVERDUE_SPREAD_MS);
  await skipTo(env, Date.parse(instant) - MINUTE);
  expect((await deadline(personId, kind)).status).toBe('due');
  if (afterMs > MINUTE) {
    await skipTo(env, Date.parse(instant) + afterMs - MINUTE);
    expect((await deadline(personId, kind)).status).toBe('due');
  }
  await skipTo(env, Date.parse(instant) + afterMs + MINUTE);
  await eventually(async () => expect((await deadline(personId, kind)).status).toBe('overdue'));
  expect((await deadline(personId, kind)).flaggedOverdueAt).toBe(instant);
}

/** The reminders or escalations sent for one deadline of one person (files are named by notice id). */
const noticesFor = (folder: 'notifications' | 'escalations', personId: string, deadlineId: string) =>
  kit.outbox(folder).filter((item) => item.name.startsWith(`${personId}_${deadlineId}_`));

/** Referral to services activated, ending one day before the server's now. */
async function activeJourney(personId: string, opts: { directPayment?: boolean } = {}): Promise<string> {
  const start = new Date(Date.parse(await serverNow(env)) - 10 * DAY).toISOString();
  await kit.startJourney(personId);
  const events = pathToActivation(start, opts);
  await kit.sendAll(personId, events);
  return events.at(-1)!.occurredAt;
}

describe('R-EMG-1: the formal assessment must begin within 3 working days of interim support', () => {
  it('R-EMG-1 across Christmas: reached at the end of the third working day, not before', async () => {
    const now = Date.parse(await serverNow(env));
    let year = new Date(now).getUTCFullYear();
    if (Date.parse(`${year}-12-24T10:00:00Z`) < now + DAY) year++;
    const setUpAt = `${year}-12-24T10:00:00.000Z`;
    const expected = calendar.workingDaysAfter(setUpAt, 3);
    if (year === 2026) expect(expected).toBe('2027-01-01T00:00:00.000Z'); // JOURNEY.md: by end of Thu 31 Dec

    await skipTo(env, setUpAt);
    await kit.startJourney('emg-christmas');
    await kit.sendAll('emg-christmas', [
      referral(setUpAt),
      ev('TRIAGED', setUpAt, { route: 'emergencyInterimSupport', reason: 'carer admitted to hospital' }),
      interimSupportStarted(setUpAt, ['emergency home care']),
    ]);
    const clock = await deadline('emg-christmas', 'emergencyAssessmentStart');
    expect(clock.dueAt).toBe(expected);
    // the person is told a fuller assessment will follow
    await eventually(() =>
      expect(kit.outbox('letters').some((l) => l.text.includes('assessment that will follow'))).toBe(true),
    );

    await expectOverdueFrom('emg-christmas', 'emergencyAssessmentStart', expected);
    await eventually(() => expect(noticesFor('escalations', 'emg-christmas', clock.id)).toHaveLength(1));
    // the practitioner was reminded once, the working day before
    expect(noticesFor('notifications', 'emg-christmas', clock.id)).toHaveLength(1);
  });

  it('R-EMG-1 across a one-off bank holiday configured ahead of the data (CARE_EXTRA_BANK_HOLIDAYS)', async () => {
    const now = await serverNow(env);
    // interim support set up today at 10:00 London; the next working day is declared a one-off holiday
    const today = calendar.londonDateOf(now);
    const setUpAt = new Date(Date.parse(now) + 30 * MINUTE).toISOString();
    const oneOff = calendar.addWorkingDays(today, 1);
    const withOneOff = englandAndWalesCalendar(bankHolidaysAround(now, [oneOff]));
    const expected = withOneOff.workingDaysAfter(setUpAt, 3);
    expect(expected).not.toBe(calendar.workingDaysAfter(setUpAt, 3));
    expect(englandAndWalesBankHolidays).not.toContain(oneOff);

    const oneOffKit = await journeyKit(env, { CARE_EXTRA_BANK_HOLIDAYS: oneOff });
    await oneOffKit.startWorker();
    try {
      await skipTo(env, setUpAt);
      await oneOffKit.startJourney('emg-one-off');
      await oneOffKit.sendAll('emg-one-off', [
        referral(setUpAt),
        ev('TRIAGED', setUpAt, { route: 'emergencyInterimSupport', reason: 'emergency' }),
        interimSupportStarted(setUpAt, ['emergency home care']),
      ]);
      const view = await oneOffKit.view('emg-one-off');
      const clock = view.deadlines.find((d) => d.kind === 'emergencyAssessmentStart')!;
      expect(clock.dueAt).toBe(expected);
      await skipTo(env, Date.parse(expected) - MINUTE);
      expect((await oneOffKit.view('emg-one-off')).deadlines[0]!.status).toBe('due');
      await skipTo(env, Date.parse(expected) + wakeSpreadOf('emg-one-off').afterMs + MINUTE);
      await eventually(async () =>
        expect((await oneOffKit.view('emg-one-off')).deadlines.find((d) => d.id === clock.id)!.status).toBe(
          'overdue',
        ),
      );
    } finally {
      // A journey left with timers on a queue no worker polls would stop the server skipping time.
      await oneOffKit.handle('emg-one-off').terminate('test over');
      await oneOffKit.teardown();
    }
  });
});

describe('reviews after services start', () => {
  it('R-REV-1: the informal review falls due 72 hours after services start, to the minute', async () => {
    const activatedAt = await activeJourney('rev-72h');
    const informal = await deadline('rev-72h', 'informalReview');
    expect(Date.parse(informal.dueAt) - Date.parse(activatedAt)).toBe(72 * 3_600_000);
    await expectOverdueFrom('rev-72h', 'informalReview', informal.dueAt);
  });

  it('R-REV-2: the first review is due at 6 weeks (reminded 5 working days before) and overdue after 8, with escalations every 5 working days up to 3', async () => {
    const activatedAt = await activeJourney('rev-first');
    await kit.send('rev-first', ev('INFORMAL_REVIEW_COMPLETED', activatedAt, {}));
    const first = await deadline('rev-first', 'firstReview');
    expect(first.dueAt).toBe(calendar.weeksAfter(activatedAt, 6));
    expect(first.overdueAt).toBe(calendar.weeksAfter(activatedAt, 8));

    // reminded this person's own offset before its time, never after (workflows/wakeSpread.ts)
    const spread = wakeSpreadOf('rev-first');
    const remindAt = Date.parse(calendar.workingDaysBefore(first.dueAt, 5)) - spread.beforeMs;
    await skipTo(env, remindAt - MINUTE);
    expect(noticesFor('notifications', 'rev-first', first.id)).toHaveLength(0);
    await skipTo(env, remindAt + MINUTE);
    await eventually(() => expect(noticesFor('notifications', 'rev-first', first.id)).toHaveLength(1));

    // due at 6 weeks, but not overdue until 8
    await skipTo(env, Date.parse(first.dueAt) + DAY);
    expect((await deadline('rev-first', 'firstReview')).status).toBe('due');
    expect(noticesFor('escalations', 'rev-first', first.id)).toHaveLength(0);
    await expectOverdueFrom('rev-first', 'firstReview', first.overdueAt);
    await eventually(() => expect(noticesFor('escalations', 'rev-first', first.id)).toHaveLength(1));

    // the later escalations, each the person's offset after its instant
    const overdueDay = calendar.londonDateOf(first.overdueAt);
    const second =
      Date.parse(calendar.startOfLondonDay(calendar.addWorkingDays(overdueDay, 5))) + spread.afterMs;
    const third =
      Date.parse(calendar.startOfLondonDay(calendar.addWorkingDays(overdueDay, 10))) + spread.afterMs;
    await skipTo(env, second - MINUTE);
    expect(noticesFor('escalations', 'rev-first', first.id)).toHaveLength(1);
    await skipTo(env, second + MINUTE);
    await eventually(() => expect(noticesFor('escalations', 'rev-first', first.id)).toHaveLength(2));
    await skipTo(env, third + MINUTE);
    await eventually(() => expect(noticesFor('escalations', 'rev-first', first.id)).toHaveLength(3));
    // capped: no fourth escalation, however long it stays overdue
    await skipTo(env, third + 30 * DAY);
    expect(noticesFor('escalations', 'rev-first', first.id)).toHaveLength(3);
    expect(noticesFor('notifications', 'rev-first', first.id)).toHaveLength(1);

    // met late once the review happens
    const reviewedAt = await serverNow(env);
    await kit.send('rev-first', review(reviewedAt));
    expect((await kit.view('rev-first')).deadlines.find((d) => d.id === first.id)!.status).toBe('metLate');
  });

  it('R-REV-3 and R-REV-4: after a review, the next is due in 12 months with a monitoring check at 6', async () => {
    const activatedAt = await activeJourney('rev-annual');
    // Seven months on, the service is no longer "only a few months old" (R-REV-5), so R-REV-3's
    // 12 months apply.
    const reviewedAt = new Date(Date.parse(activatedAt) + 210 * DAY).toISOString();
    await skipTo(env, reviewedAt);
    await kit.send('rev-annual', review(reviewedAt));
    const reviewDay = calendar.londonDateOf(reviewedAt);
    const annual = await deadline('rev-annual', 'annualReview');
    const check = await deadline('rev-annual', 'monitoringCheck');
    expect(annual.dueAt).toBe(calendar.endOfLondonDay(calendar.addCalendarMonths(reviewDay, 12)));
    expect(check.dueAt).toBe(calendar.endOfLondonDay(calendar.addCalendarMonths(reviewDay, 6)));

    await expectOverdueFrom('rev-annual', 'monitoringCheck', check.dueAt);
    expect((await deadline('rev-annual', 'annualReview')).status).toBe('due');

    await expectOverdueFrom('rev-annual', 'annualReview', annual.dueAt);
  });

  it('R-REV-5: an indicator caps the next review at 6 months, with no monitoring check between', async () => {
    const activatedAt = await activeJourney('rev-six');
    const reviewedAt = new Date(Date.parse(activatedAt) + 7 * 7 * DAY).toISOString();
    await skipTo(env, reviewedAt);
    await kit.send('rev-six', review(reviewedAt, 'noChange', { ...noIndicators, needsLikelyToChange: true }));
    const next = await deadline('rev-six', 'annualReview');
    expect(next.dueAt).toBe(
      calendar.endOfLondonDay(calendar.addCalendarMonths(calendar.londonDateOf(reviewedAt), 6)),
    );
    expect((await kit.view('rev-six')).deadlines.some((d) => d.kind === 'monitoringCheck')).toBe(false);
    await expectOverdueFrom('rev-six', 'annualReview', next.dueAt);
  });
});

describe('ending', () => {
  it('R-END-1: services end on the end date the letter gives (10 working days after posting), not before', async () => {
    const activatedAt = await activeJourney('end-services');
    const reviewedAt = new Date(Date.parse(activatedAt) + DAY).toISOString();
    await skipTo(env, reviewedAt);
    const today = calendar.londonDateOf(reviewedAt);
    await kit.sendAll('end-services', [
      review(reviewedAt, 'servicesToEnd'),
      ev('REASSESSMENT_COMPLETED', reviewedAt, {
        outcome: 'endServices',
        reasons: 'Needs now met by the community group she attends',
        unmetEligibleNeeds: [],
        informalSupport: 'substantial',
        thirdPartySources: ['care worker notes'],
      }),
      ev('REASSESSMENT_COPY_PROVIDED', reviewedAt, { to: ['person'] }),
      ev('SERVICE_END_LETTER_POSTED', reviewedAt, {
        postedOn: today,
        reasons: 'No unmet eligible needs',
        alternativesDiscussed: 'Befriending service',
      }),
    ]);
    const endDate = calendar.addWorkingDays(today, 10);
    await eventually(() =>
      expect(kit.outbox('letters').some((l) => l.text.includes(`Your services end on: ${endDate}`))).toBe(
        true,
      ),
    );
    const ends = await deadline('end-services', 'servicesEnd');
    expect(ends.dueAt).toBe(calendar.startOfLondonDay(endDate));

    await skipTo(env, Date.parse(ends.dueAt) - MINUTE);
    expect((await kit.view('end-services')).stage).toBe('endingServices');
    await skipTo(env, Date.parse(ends.dueAt) + MINUTE);
    const summary = await kit.handle('end-services').result();
    expect(summary.closure).toEqual({ reason: 'servicesEnded', at: ends.dueAt });
  });

  it('R-END-2: a direct payment agreement ends 4 weeks after written notice, and planning starts again', async () => {
    const activatedAt = await activeJourney('end-dp', { directPayment: true });
    const noticeAt = new Date(Date.parse(activatedAt) + DAY).toISOString();
    await skipTo(env, noticeAt);
    const noticeDay = calendar.londonDateOf(noticeAt);
    // R-END-4: a review decides to end the direct payment first (finance contacted first, R-REV-7).
    await kit.sendAll('end-dp', [
      ev('DIRECT_PAYMENT_FINANCE_CONTACTED', new Date(Date.parse(noticeAt) - 2 * MINUTE).toISOString(), {
        concerns: false,
      }),
      reviewWith(new Date(Date.parse(noticeAt) - MINUTE).toISOString(), { directPaymentOutcome: 'end' }),
    ]);
    await kit.send(
      'end-dp',
      ev('DIRECT_PAYMENT_NOTICE_GIVEN', noticeAt, {
        by: 'person',
        reason: 'personChoice',
        noticeGivenOn: noticeDay,
      }),
    );
    const ends = await deadline('end-dp', 'directPaymentAgreementEnd');
    expect(ends.dueAt).toBe(calendar.startOfLondonDay(calendar.addCalendarWeeks(noticeDay, 4)));
    await skipTo(env, Date.parse(ends.dueAt) - MINUTE);
    expect((await kit.view('end-dp')).stage).toBe('liveSupport');
    await skipTo(env, Date.parse(ends.dueAt) + MINUTE);
    await eventually(async () => expect((await kit.view('end-dp')).stage).toBe('planning'));
  });

  it('R-TRF-1: after a move, funding continues for 6 weeks and then the journey closes', async () => {
    const activatedAt = await activeJourney('moved');
    const movedAt = new Date(Date.parse(activatedAt) + DAY).toISOString();
    await skipTo(env, movedAt);
    const moveDate = calendar.londonDateOf(movedAt);
    await kit.send(
      'moved',
      ev('MOVED_AWAY', movedAt, {
        moveDate,
        receivingCouncil: 'Nottinghamshire',
        consentToShareRecords: true,
      }),
    );
    await eventually(() =>
      expect(kit.outbox('letters').some((l) => l.text.includes('To: Nottinghamshire'))).toBe(true),
    );
    const funding = await deadline('moved', 'fundingAfterMove');
    expect(funding.dueAt).toBe(calendar.endOfLondonDay(calendar.addCalendarWeeks(moveDate, 6)));
    await skipTo(env, Date.parse(funding.dueAt) - MINUTE);
    expect((await kit.view('moved')).stage).toBe('movedAway');
    await skipTo(env, Date.parse(funding.dueAt) + MINUTE);
    const summary = await kit.handle('moved').result();
    expect(summary.closure?.reason).toBe('movedAway');
  });
});
