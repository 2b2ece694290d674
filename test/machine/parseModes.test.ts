/**
 * Issue 16: the workflow parses events without zod's compiled fast path (`jitless`, events.ts),
 * the API with it; and an event of a known type by its own schema (built on first use), where the
 * API's edge parses by the whole catalogue. All must agree on every event, well-formed or not, or an
 * event the API accepted could be refused by the journey (or the other way round), and a recorded
 * history would not replay as it was accepted.
 */
import { eventDocs } from '../../machines/eventExamples';
import { journeyEventSchema, parseJourneyEvent } from '../../machines/events';

const actor = { userId: 'worker.ann', role: 'practitioner' };
const examples = Object.values(eventDocs).map(
  (doc) => ({ ...doc.example, actor }) as Record<string, unknown>,
);

/** Each example spoilt in the ways a client gets an event wrong. */
function spoilt(example: Record<string, unknown>): unknown[] {
  const fields = Object.keys(example).filter((k) => !['type', 'actor'].includes(k));
  return [
    { ...example, eventId: '' },
    { ...example, occurredAt: '2026-13-40T99:00:00Z' },
    { ...example, occurredAt: '1999-01-01T00:00:00Z' },
    { ...example, unexpected: true },
    { ...example, actor: { userId: 'x', role: 'nobody' } },
    ...fields.map((field) => ({ ...example, [field]: undefined })),
    ...fields.map((field) => ({ ...example, [field]: 42 })),
    ...fields.map((field) => ({ ...example, [field]: ['a', { b: 1 }] })),
    ...fields.map((field) => ({ ...example, [field]: `  ${String(example[field])}  ` })),
  ];
}

describe('parsing an event with and without the compiled fast path', () => {
  it('agrees on every example, and on every spoilt copy of one', () => {
    let accepted = 0;
    let refused = 0;
    for (const example of examples) {
      for (const candidate of [example, ...spoilt(example)]) {
        const compiled = parseJourneyEvent(candidate);
        expect(parseJourneyEvent(candidate, { jitless: true })).toEqual(compiled);
        const whole = journeyEventSchema().safeParse(candidate);
        expect(whole.success).toBe(compiled.ok);
        if (whole.success && compiled.ok) expect(compiled.event).toEqual(whole.data);
        if (!whole.success && !compiled.ok) {
          expect(compiled.problems).toEqual(
            whole.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
          );
        }
        if (compiled.ok) accepted++;
        else refused++;
      }
    }
    // without a type (or not a string), the whole catalogue answers
    for (const candidate of [{}, { type: 5 }, null, 'REFERRAL_RECEIVED']) {
      const parsed = parseJourneyEvent(candidate);
      expect(parsed.ok).toBe(false);
      expect(parseJourneyEvent(candidate, { jitless: true })).toEqual(parsed);
    }
    // both kinds were exercised, many times over
    expect(accepted).toBeGreaterThan(examples.length);
    expect(refused).toBeGreaterThan(examples.length * 5);
  });

  it('agrees in the order it is asked: jitless first, on schemas not compiled yet', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../machines/events') as typeof import('../../machines/events');
      for (const example of examples) {
        const first = fresh.parseJourneyEvent(example, { jitless: true });
        expect(first.ok).toBe(true);
        expect(fresh.parseJourneyEvent(example)).toEqual(first);
      }
    });
  });
});
