/**
 * Issue 10 point 2, "bounds everywhere": every string and list in the event catalogue has a
 * documented maximum (machines/limits.ts), a journey's carried state has a budget checked on every
 * accepted event, nothing an event carries can make judging throw, and dates outside a plausible
 * window are refused at the edge (the schema) and in the machine.
 */
import { transition } from 'xstate';
import { z } from 'zod';
import { checkParsedEvent } from '../../machines/checkEvent';
import { journeyEventSchemas, parseJourneyEvent, type JourneyEvent } from '../../machines/events';
import { journeyMachine } from '../../machines/journeyMachine';
import { CARRIED_BOOKKEEPING_CHARS, CARRIED_STATE_BUDGET_CHARS, limits } from '../../machines/limits';
import { derbyshire } from '../../machines/policyProfile';
import { fingerprintOf } from '../../workflows/eventDigest';
import { JourneyRun } from '../../workflows/journeyRun';
import { ev, interimSupportStarted, pathToActivation, referral } from '../support/journeyEvents';
import { parsed, run, newJourney, ROAD_START, roadDay } from './journeyHarness';

const input = { personId: 'person-1', subject: 'person' as const, profile: derbyshire };
const at = roadDay;
const problemsOf = (event: unknown) => {
  const result = parseJourneyEvent(event);
  return result.ok ? [] : result.problems;
};

/** A journey run with services in place, recorded as at `now`. */
function liveRun(now = at(20)): JourneyRun {
  const journey = new JourneyRun(input, ROAD_START);
  for (const event of pathToActivation(ROAD_START)) journey.apply(parsed(event), 'update', now);
  return journey;
}

describe('every string and list in the catalogue has a documented maximum', () => {
  it('every string and array field of every event schema has a maximum, and its description says so', () => {
    const unbounded: string[] = [];
    const visit = (schema: z.ZodType, path: string): void => {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      walk(json, path);
    };
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      // a date or an instant has its format (and the date window) for a bound
      const fixedFormat = n.format === 'date' || n.format === 'date-time';
      if (
        n.type === 'string' &&
        n.enum === undefined &&
        n.const === undefined &&
        !fixedFormat &&
        n.maxLength === undefined
      )
        unbounded.push(`${path}: no maxLength`);
      if (n.type === 'string' && n.maxLength !== undefined && !/\d/.test(String(n.description ?? '')))
        unbounded.push(`${path}: maxLength not described`);
      if (n.type === 'array' && n.maxItems === undefined) unbounded.push(`${path}: no maxItems`);
      if (n.type === 'array' && !/\d+ items/i.test(String(n.description ?? '')))
        unbounded.push(`${path}: maxItems not described`);
      for (const [key, child] of Object.entries(n)) {
        if (key === 'properties' && child && typeof child === 'object') {
          for (const [name, prop] of Object.entries(child)) walk(prop, `${path}.${name}`);
        } else if (key === 'items') walk(child, `${path}[]`);
        else if (Array.isArray(child)) child.forEach((c) => walk(c, path));
      }
    };
    for (const schema of journeyEventSchemas()) visit(schema, schema.shape.type.value);
    expect(unbounded).toEqual([]);
  });

  it('six referrals with 1 MB summaries can no longer wedge a journey: a summary over the maximum is refused by the schema, naming the field', () => {
    const huge = 'x'.repeat(1_000_000);
    const journey = new JourneyRun(input, ROAD_START);
    for (let i = 0; i < 6; i++) {
      const verdict = journey.judge(referral(at(0, 10 + i), `R-${i}`, { summary: huge }), at(1));
      expect(verdict).toEqual({
        kind: 'invalid',
        problems: [expect.stringMatching(/^summary: Too big: expected string to have <=10000 characters/)],
      });
    }
    expect(problemsOf(referral(at(0), 'R-1', { summary: 'x'.repeat(limits.longTextChars) }))).toEqual([]);
  });

  it('ids, short text and lists have their maximums too', () => {
    expect(problemsOf({ ...referral(at(0)), eventId: 'e'.repeat(201) })).toEqual([
      expect.stringMatching(/^eventId: Too big/),
    ]);
    const tooMany = Array.from({ length: 101 }, (_, i) => `service ${i}`);
    expect(problemsOf(interimSupportStarted(at(0), tooMany))).toEqual([
      expect.stringMatching(/^services: Too big: expected array to have <=100 items/),
    ]);
    expect(problemsOf(interimSupportStarted(at(0), ['s'.repeat(501)]))).toEqual([
      expect.stringMatching(/^services\.0: Too big/),
    ]);
  });
});

describe('the carried state has a budget, checked on every accepted event', () => {
  it('an event that would take the carried state over its budget is refused, with the limit and the size', () => {
    const journey = new JourneyRun(input, ROAD_START);
    const summary = 's'.repeat(limits.longTextChars);
    let refused: ReturnType<JourneyRun['judge']> | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      // R-REF-4: each further referral is recorded on the open journey, summary and all
      const verdict = journey.judge(referral(at(0, 10), `R-${i}`, { summary }), at(1));
      if (verdict.kind === 'accept') journey.apply(verdict.event, 'update', at(1));
      else refused = verdict;
    }
    expect(refused).toMatchObject({
      kind: 'refused',
      reasons: [
        {
          message: expect.stringMatching(
            /^REFERRAL_RECEIVED would make the journey's carried state 1,0\d\d,\d\d\d characters, over its budget of 1,000,000/,
          ),
        },
      ],
    });
    expect(JSON.stringify(journey.carry(at(1))).length).toBeLessThanOrEqual(CARRIED_STATE_BUDGET_CHARS);
    // closing the journey is always possible: nothing is carried after it
    const withdrawn = ev('JOURNEY_WITHDRAWN', at(1), { reason: 'the person moved in with family' });
    expect(journey.judge(withdrawn, at(1)).kind).toBe('accept');
  });

  it('an old journey’s own bookkeeping (10,000 remembered event ids with their R-TIM-3 fingerprints) cannot wedge it', () => {
    const live = liveRun();
    const carriedBefore = live.carry(at(20));
    // 10,000 events of 200-character ids: 2 MB of ids alone, were they all carried
    const ids = Array.from({ length: 10_000 }, (_, i) => `${String(i).padStart(6, '0')}-${'i'.repeat(193)}`);
    const old = ev('MONITORING_CHECK_COMPLETED', at(20), { concerns: false });
    const journey = new JourneyRun(
      {
        ...input,
        carried: {
          ...carriedBefore,
          seenEventIds: [...carriedBefore.seenEventIds, ...ids],
          seenEventDigests: [
            ...(carriedBefore.seenEventDigests ?? []),
            ...ids.map((id) => [id, fingerprintOf(old)] as [string, string]),
          ],
          sentNotificationIds: Array.from({ length: 10_000 }, (_, i) => `notice-${i}-${'n'.repeat(150)}`),
        },
      },
      at(21),
    );
    const carried = journey.carry(at(21));
    const bookkeeping =
      JSON.stringify(carried.seenEventIds).length +
      JSON.stringify(carried.seenEventDigests).length +
      JSON.stringify(carried.sentNotificationIds).length;
    expect(bookkeeping).toBeLessThanOrEqual(CARRIED_BOOKKEEPING_CHARS);
    // the newest are kept
    expect(carried.seenEventIds.at(-1)).toBe(ids.at(-1));
    expect(JSON.stringify(carried).length).toBeLessThan(CARRIED_STATE_BUDGET_CHARS / 2);
    // and the journey still takes events
    const review = ev('UNSCHEDULED_REVIEW_REQUESTED', at(21), { trigger: 'personOrRepresentative' });
    expect(journey.judge(review, at(21)).kind).toBe('accept');
  });
});

describe('no event’s content can make judging throw: every exception is a refusal', () => {
  it('judge() answers invalid for a payload that throws when read', () => {
    const hostile = {
      get type(): string {
        throw new Error('boom');
      },
    };
    const journey = new JourneyRun(input, ROAD_START);
    expect(journey.judge(hostile, at(0))).toEqual({
      kind: 'invalid',
      problems: ['the event could not be judged: boom'],
    });
  });

  it('apply() leaves the journey as it was and records the refusal when the machine cannot apply an event', () => {
    const journey = liveRun();
    const before = journey.snapshot;
    // bypassing judge(), an event the machine throws on while applying it
    const impossible = ev('MOVED_AWAY', at(21), {
      moveDate: '2026-04-01',
      receivingCouncil: 'Leeds',
      consentToShareRecords: true,
    });
    Object.defineProperty(impossible, 'receivingCouncil', {
      get: () => {
        throw new RangeError('Invalid time value');
      },
    });
    expect(journey.apply(impossible, 'signal', at(21))).toBeUndefined();
    expect(journey.snapshot).toBe(before);
    expect(journey.refused.at(-1)).toMatchObject({
      type: 'MOVED_AWAY',
      via: 'signal',
      reasons: [{ message: 'MOVED_AWAY could not be applied: Invalid time value' }],
    });
    // and judge() says so rather than throwing
    expect(journey.judge(impossible, at(21))).toMatchObject({ kind: 'invalid' });
  });
});

describe('dates outside 1900-01-01 .. 2200-12-31 are refused at the edge and in the machine', () => {
  const moved = (moveDate: string) =>
    ev('MOVED_AWAY', at(21), { moveDate, receivingCouncil: 'Leeds', consentToShareRecords: true });
  const interimInYear1 = () =>
    ({ ...interimSupportStarted(at(0, 12)), occurredAt: '0001-01-01T12:00:00.000Z' }) as JourneyEvent;

  it.each(['9999-12-31', '0001-01-01', '1899-12-31', '2201-01-01'])(
    'a move date of %s is refused by the schema, naming the field (not a RangeError)',
    (moveDate) => {
      expect(problemsOf(moved(moveDate))).toEqual(['moveDate: must be between 1900-01-01 and 2200-12-31']);
      expect(liveRun().judge(moved(moveDate), at(21))).toEqual({
        kind: 'invalid',
        problems: ['moveDate: must be between 1900-01-01 and 2200-12-31'],
      });
    },
  );

  it('an INTERIM_SUPPORT_STARTED in year 1 is refused by the schema, naming occurredAt', () => {
    expect(problemsOf(interimInYear1())).toEqual(['occurredAt: must be between 1900-01-01 and 2200-12-31']);
  });

  it('the machine refuses such dates itself should one reach it unparsed, and throws nothing', () => {
    const live = run(newJourney(), pathToActivation(ROAD_START)).snapshot;
    for (const moveDate of ['9999-12-31', '0001-01-01']) {
      const event = moved(moveDate);
      expect(checkParsedEvent(live, event)).toEqual({
        allowed: false,
        reasons: [
          {
            message: `moveDate ${moveDate} must be between 1900-01-01 and 2200-12-31`,
            field: 'moveDate',
            accepted: 'a date (YYYY-MM-DD) between 1900-01-01 and 2200-12-31',
          },
        ],
      });
      expect(() => transition(journeyMachine, live, event)).not.toThrow();
    }
    const emergency = run(newJourney(), [
      referral(ROAD_START, 'r1', { urgency: 'emergency' }),
      ev('TRIAGED', at(0, 11), { route: 'emergencyInterimSupport', reason: 'emergency' }),
    ]).snapshot;
    expect(checkParsedEvent(emergency, interimInYear1())).toEqual({
      allowed: false,
      reasons: [
        {
          message: 'occurredAt 0001-01-01T12:00:00.000Z must be between 1900-01-01 and 2200-12-31',
          field: 'occurredAt',
          accepted: 'an instant with its offset between 1900-01-01 and 2200-12-31',
        },
      ],
    });
  });
});
