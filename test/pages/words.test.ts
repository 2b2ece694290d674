import type { JourneyRow } from '../../api/schemas';
import { workloadForecast } from '../../pages/forecast';
import {
  choiceInWords,
  dateInWords,
  dateTimeInWords,
  dueInWords,
  endOfWorkingDaysFromNow,
  fieldInWords,
  holidaysWith,
  overdueFor,
  plainWords,
  timeLeft,
} from '../../pages/words';

/**
 * How the pages count: working days for working-day clocks (R-EMG-1), calendar days otherwise, in
 * the England and Wales calendar, on fixed dates (Christmas 2026: Fri 25 and Mon 28 December are
 * bank holidays), never today's.
 */

const holidays = holidaysWith([]);
const afterChristmas = new Date('2026-12-31T10:00:00Z');
// R-EMG-1 due by the end of Wed 23 December 2026 (a London midnight)
const dueEndOf23Dec = '2026-12-24T00:00:00.000Z';

test('overdue in working days for a working-day clock, calendar days otherwise', () => {
  // 24 (a working day, but the day it fell due at midnight), then 29, 30, 31 December
  expect(overdueFor(dueEndOf23Dec, 'emergencyAssessmentStart', afterChristmas, holidays)).toBe(
    '3 working days overdue',
  );
  expect(overdueFor(dueEndOf23Dec, 'annualReview', afterChristmas, holidays)).toBe('7 days overdue');
  expect(overdueFor('2026-12-31T00:00:00.000Z', 'emergencyAssessmentStart', afterChristmas, holidays)).toBe(
    'overdue since today',
  );
  // an extra bank holiday announced late counts too (CARE_EXTRA_BANK_HOLIDAYS)
  expect(overdueFor(dueEndOf23Dec, 'reassessment', afterChristmas, holidaysWith(['2026-12-30']))).toBe(
    '2 working days overdue',
  );
});

test('time left: working days to the end of the due day, skipping New Year’s Day', () => {
  // due by the end of Tue 5 January 2027: 4 and 5 January (1 January is a bank holiday)
  expect(timeLeft('2027-01-06T00:00:00.000Z', 'unscheduledReview', afterChristmas, holidays)).toBe(
    '2 working days left',
  );
  expect(timeLeft('2027-01-06T00:00:00.000Z', 'firstReview', afterChristmas, holidays)).toBe('5 days left');
  expect(timeLeft('2027-01-01T00:00:00.000Z', 'firstReview', afterChristmas, holidays)).toBe('due today');
  expect(timeLeft(dueEndOf23Dec, 'emergencyAssessmentStart', afterChristmas, holidays)).toBe(
    '3 working days overdue',
  );
});

test('due soon: the end of the 10th working day from today, across Christmas', () => {
  // Thu 17 Dec: 18, 21, 22, 23, 24, 29, 30, 31 Dec, 4, 5 Jan
  expect(
    new Date(endOfWorkingDaysFromNow(10, new Date('2026-12-17T10:00:00Z'), holidays)).toISOString(),
  ).toBe('2027-01-06T00:00:00.000Z');
  // in British Summer Time the end of a London day is 23:00 UTC
  expect(new Date(endOfWorkingDaysFromNow(1, new Date('2026-06-01T10:00:00Z'), holidays)).toISOString()).toBe(
    '2026-06-02T23:00:00.000Z',
  );
});

test('a deadline at a London midnight is said as the end of the day before', () => {
  expect(dueInWords(dueEndOf23Dec)).toBe('the end of Wednesday 23 December 2026');
  expect(dueInWords('2026-06-02T23:00:00.000Z')).toBe('the end of Tuesday 2 June 2026');
  expect(dueInWords('2026-12-23T10:30:00.000Z')).toBe('Wednesday 23 December 2026 at 10:30am');
});

test('every date one way: "Friday 4 December 2026", times GOV.UK style, in London', () => {
  expect(dateInWords('2026-12-04')).toBe('Friday 4 December 2026');
  expect(dateInWords('2026-12-04T23:30:00Z')).toBe('Friday 4 December 2026');
  // in British Summer Time, 23:30 UTC is the next day in London
  expect(dateInWords('2026-06-04T23:30:00Z')).toBe('Friday 5 June 2026');
  expect(dateTimeInWords('2026-12-04T14:05:00Z')).toBe('Friday 4 December 2026 at 2:05pm');
  expect(dateTimeInWords('2026-12-04T12:00:00Z')).toBe('Friday 4 December 2026 at midday');
  expect(dateTimeInWords('2026-12-04T09:00:00Z')).toBe('Friday 4 December 2026 at 9am');
});

test('what the API and the journey say, in the pages’ words', () => {
  expect(
    plainWords(
      'the final budget (£9360.00) differs from the indicative budget (£9000.50): record why in mismatchReason',
    ),
  ).toBe(
    'the final budget (£9,360) differs from the indicative budget (£9,000.50): record why in why it differs from the indicative budget',
  );
  expect(plainWords('accepted: plan.budgetManagement including directPayment')).toBe(
    'accepted: ‘How the budget is managed’ including direct payment',
  );
  expect(
    plainWords('not before 2026-03-02T09:30:00Z (ann.practitioner), see INDICATIVE_BUDGET_OVERRIDDEN'),
  ).toBe(
    'not before Monday 2 March 2026 at 9:30am (ann.practitioner), see ‘Indicative budget set by a manager’',
  );
  expect(plainWords('in interimSupport longer than allowed (since 2026-12-04)')).toBe(
    'in emergency interim support longer than allowed (since Friday 4 December 2026)',
  );
  expect(fieldInWords('source')).toBe('Who referred');
  expect(choiceInWords('gp')).toBe('GP');
  expect(choiceInWords('reassessment', 'outcome')).toBe('A reassessment is needed');
});

const row = (personId: string, team: string | undefined, nextDeadlineKind: string, nextDeadlineAt: string) =>
  ({
    personId,
    ...(team ? { team } : {}),
    nextDeadlineKind,
    nextDeadlineAt,
    overdueKinds: [],
    openComplaint: false,
    safeguardingOpen: false,
    stuck: [],
  }) as JourneyRow;

test('the forecast counts reviews and monitoring checks per team in the week each falls due, for 12 weeks', () => {
  const now = new Date('2026-12-02T10:00:00Z'); // a Wednesday: week 1 begins Monday 30 November
  const forecast = workloadForecast(
    [
      row('a', 'north', 'monitoringCheck', '2026-12-04T00:00:00.000Z'), // end of Thu 3 Dec: week 1
      row('b', 'north', 'firstReview', '2026-12-10T00:00:00.000Z'), // end of Wed 9 Dec: week 2
      row('c', 'north', 'annualReview', '2026-12-14T00:00:00.000Z'), // end of Sun 13 Dec: still week 2
      row('d', undefined, 'reassessment', '2027-02-21T12:00:00.000Z'), // Sun 21 Feb: week 12
      row('e', 'south', 'annualReview', '2027-02-23T00:00:00.000Z'), // week 13: not counted
      row('f', 'south', 'servicesEnd', '2026-12-10T00:00:00.000Z'), // not a review or a check
      row('g', 'south', 'firstReview', '2026-12-01T00:00:00.000Z'), // already past
    ],
    now,
  );
  expect(forecast.weeks).toHaveLength(12);
  expect(forecast.weeks[0]).toEqual({ start: '2026-11-30', label: '30 Nov' });
  expect(forecast.weeks[11]!.start).toBe('2027-02-15');
  const zeros = () => Array<number>(12).fill(0);
  const north = { team: 'north', reviews: zeros(), checks: zeros() };
  north.checks[0] = 1;
  north.reviews[1] = 2;
  const noTeam = { team: '(no team)', reviews: zeros(), checks: zeros() };
  noTeam.reviews[11] = 1;
  expect(forecast.teams).toEqual([noTeam, north]);
  expect(
    workloadForecast([row('a', 'north', 'monitoringCheck', '2026-12-04T00:00:00.000Z')], now, 'south').teams,
  ).toEqual([]);
});
