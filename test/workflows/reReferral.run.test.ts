import { nextJourney, refusalAfterDeath } from '../../api/laterJourney';
import { derbyshire } from '../../machines/policyProfile';
import type { JourneyEvent } from '../../machines/events';
import { loadConfig } from '../../temporal.config';
import { newJourneyInput } from '../../workflows/definitions';
import { JourneyRun, type Job } from '../../workflows/journeyRun';
import { closureKinds, emergencyReReferral, roadLength, roadToClosure } from '../support/reReferralRoads';

/**
 * R-REF-4: a person referred again after their journey closed gets a second journey, under the same
 * workflow id and starting again at run 1. Run purely here (the workflow's own JourneyRun, as the
 * workflow drives it): whatever the second journey writes under an id of its own making — deadline
 * ids, and the notices, letters and case-record entries keyed by them — is its own, and the first
 * journey's ids are as every recorded history has them.
 */

const DAY = 86_400_000;
const start = '2026-01-05T10:00:00.000Z';
const config = { policyProfile: derbyshire, extraBankHolidays: [] as string[] };

/** The events in order, with the journey's clocks reached and notices queued as time passes (as the workflow does). */
function drive(run: JourneyRun, events: JourneyEvent[], until: string): Job[] {
  const jobs: Job[] = [];
  const collect = () => {
    jobs.push(...run.jobs);
    run.jobs = [];
  };
  const passTo = (now: string) => {
    if (run.closed) return;
    run.reachDueDeadlines(now);
    run.queueDueNotices(now);
    collect();
  };
  for (const event of events) {
    passTo(event.occurredAt);
    const system = event.actor.role === 'system';
    const verdict = run.judge(event, event.occurredAt, system ? 'system' : 'outside');
    if (verdict.kind !== 'accept')
      throw new Error(`${event.type} was not accepted: ${JSON.stringify(verdict).slice(0, 400)}`);
    run.apply(verdict.event, system ? 'system' : 'update', event.occurredAt);
    collect();
  }
  passTo(until);
  return jobs;
}

const iso = (ms: number) => new Date(ms).toISOString();

function ids(jobs: Job[]) {
  return {
    records: jobs.flatMap((j) => (j.kind === 'caseRecord' ? [j.record.recordId] : [])),
    notices: jobs.flatMap((j) => (j.kind === 'notice' ? [j.notice.id] : [])),
    letters: jobs.flatMap((j) =>
      j.kind === 'effect' && j.effect.type === 'sendLetter' ? [j.effect.letterId] : [],
    ),
    requests: jobs.flatMap((j) =>
      j.kind === 'effect' && 'requestId' in j.effect ? [j.effect.requestId] : [],
    ),
  };
}

describe('R-REF-4: a second journey for the same person writes under ids of its own', () => {
  it("R-REF-4: the input says which journey it is; a first journey's input is as it always was", () => {
    const first = newJourneyInput('P-1', 'person', config, new Date(start));
    expect(first).not.toHaveProperty('journeyNumber');
    expect(newJourneyInput('P-1', 'person', config, new Date(start), 2).journeyNumber).toBe(2);
    // the configuration's own profile too (what the API and CLI pass)
    expect(newJourneyInput('P-1', 'person', loadConfig({}), new Date(start), 3).journeyNumber).toBe(3);
  });

  it.each(closureKinds.filter((k) => k !== 'died'))(
    "R-REF-4: after a journey closed (%s), the second journey's deadlines, notices, letters and records never take the first's ids",
    (kind) => {
      const personId = `P-${kind}`;
      const closedBy = Date.parse(start) + roadLength * DAY;
      const first = new JourneyRun(newJourneyInput(personId, 'person', config, new Date(start)), start);
      const firstJobs = drive(first, roadToClosure(kind, start), iso(closedBy));
      expect(first.closed).toBe(true);
      expect(first.snapshot.context.closure?.reason).toBe(kind);
      expect(first.journeyNumber).toBe(1);
      expect(first.snapshot.context).not.toHaveProperty('journeyNumber');

      const referredAt = iso(closedBy + DAY);
      const second = new JourneyRun(
        newJourneyInput(personId, 'person', config, new Date(referredAt), 2),
        referredAt,
      );
      const interimAt = iso(closedBy + 2 * DAY);
      // the emergency assessment's 3 working days (R-EMG-1) long past: overdue and escalated
      const secondJobs = drive(second, emergencyReReferral(referredAt, interimAt), iso(closedBy + 20 * DAY));
      expect(second.journeyNumber).toBe(2);

      // the first journey's deadline ids are as recorded histories have them; the second's are marked
      const firstDeadlines = first.snapshot.context.deadlines.map((d) => d.id);
      const secondDeadlines = second.snapshot.context.deadlines.map((d) => d.id);
      for (const id of firstDeadlines) expect(id).toMatch(/^[a-z][A-Za-z]*-\d+$/);
      expect(secondDeadlines.length).toBeGreaterThan(0);
      for (const id of secondDeadlines) expect(id).toMatch(/^j2-[a-z][A-Za-z]*-\d+$/);
      const overdue = second.snapshot.context.deadlines.find((d) => d.kind === 'emergencyAssessmentStart');
      expect(overdue).toMatchObject({ id: expect.stringMatching(/^j2-/), status: 'overdue' });

      // its escalation is queued, under its own id
      const a = ids(firstJobs);
      const b = ids(secondJobs);
      expect(b.notices).toContain(`${overdue!.id}:escalation-1`);
      if (kind === 'withdrawn') {
        // the first journey's own emergency clock, of the same kind and number, had been escalated
        const own = overdue!.id.replace(/^j2-/, '');
        expect(firstDeadlines).toContain(own);
        expect(a.notices).toContain(`${own}:escalation-1`);
      }
      // every case-record entry of the second journey is marked, with its journey
      expect(b.records.length).toBeGreaterThan(0);
      for (const job of secondJobs) {
        if (job.kind !== 'caseRecord') continue;
        expect(job.record.recordId).toMatch(/^j2:/);
        expect(job.record.journeyNumber).toBe(2);
        if (job.record.state) expect(job.record.state.journeyNumber).toBe(2);
      }
      for (const job of firstJobs) {
        if (job.kind !== 'caseRecord') continue;
        expect(job.record).not.toHaveProperty('journeyNumber');
        expect(job.record.state ?? {}).not.toHaveProperty('journeyNumber');
      }
      // nothing the second journey writes takes an id the first wrote
      const clash = (x: string[], y: string[]) => x.filter((id) => y.includes(id));
      expect(clash(secondDeadlines, firstDeadlines)).toEqual([]);
      expect(clash(b.records, a.records)).toEqual([]);
      expect(clash(b.notices, a.notices)).toEqual([]);
      expect(clash(b.letters, a.letters)).toEqual([]);
      expect(clash(b.requests, a.requests)).toEqual([]);
    },
  );

  it("R-REF-4: even a second journey whose events reuse the first journey's event ids keeps its own case-record ids", () => {
    const personId = 'P-reused';
    const first = new JourneyRun(newJourneyInput(personId, 'person', config, new Date(start)), start);
    const referredAt = iso(Date.parse(start) + 10 * DAY);
    const events = emergencyReReferral(start, start);
    const again = events.map((e) => ({ ...e, occurredAt: referredAt }));
    const a = ids(
      drive(
        first,
        [...events, roadToClosure('withdrawn', start).at(-1)!].map((e) => ({ ...e, occurredAt: start })),
        start,
      ),
    );
    expect(first.closed).toBe(true);
    const second = new JourneyRun(
      newJourneyInput(personId, 'person', config, new Date(referredAt), 2),
      referredAt,
    );
    const b = ids(drive(second, again, referredAt));
    expect(b.records).toEqual(expect.arrayContaining(events.map((e) => `j2:${e.eventId}`)));
    expect(b.records.filter((id) => a.records.includes(id))).toEqual([]);
  });
});

describe('R-REF-4: the number the API gives a new journey', () => {
  const closure = (reason: string) => ({ reason, at: '2026-03-01T10:00:00.000Z' });

  it('R-REF-4: a person with no journey anywhere gets journey 1; one after the last Temporal or the store knows', () => {
    expect(nextJourney(undefined, undefined)).toEqual({ open: false, journeyNumber: 1, earlier: undefined });
    expect(nextJourney({ journeyNumber: 1, closure: closure('withdrawn') }, undefined).journeyNumber).toBe(2);
    // Temporal has forgotten the closed journey (past its retention): the store's row says which it was
    expect(nextJourney(undefined, { journeyNumber: 2, closure: closure('movedAway') })).toEqual({
      open: false,
      journeyNumber: 3,
      earlier: { journeyNumber: 2, closure: closure('movedAway') },
    });
    // whichever knows the later journey decides, and its closure is the one told
    expect(
      nextJourney(
        { journeyNumber: 3, closure: undefined },
        { journeyNumber: 2, closure: closure('withdrawn') },
      ),
    ).toEqual({ open: false, journeyNumber: 4, earlier: { journeyNumber: 3, closure: undefined } });
  });

  it("R-DTH-1: after a journey closed on the person's death, no new one: refused naming the person id", () => {
    const refusal = refusalAfterDeath('P-9', { journeyNumber: 1, closure: closure('died') });
    expect(refusal).toMatchObject({ ruleId: 'R-DTH-1', field: 'personId' });
    expect(refusal?.message).toMatch(/death/);
    expect(refusalAfterDeath('P-9', { journeyNumber: 1, closure: closure('withdrawn') })).toBeUndefined();
    expect(refusalAfterDeath('P-9', undefined)).toBeUndefined();
  });
});
