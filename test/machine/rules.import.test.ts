/**
 * Issue 17: a journey imported mid-way (JOURNEY_IMPORTED) starts at the person's stage with its
 * clocks set from the imported facts by the same rules as any journey's — and then goes on exactly
 * as one that began here. Every instant is explicit: nothing here depends on today's date.
 */
import { checkEvent } from '../../machines/checkEvent';
import { describeJourney } from '../../machines/describeJourney';
import type { EventOf } from '../../machines/events';
import { stageOf } from '../../machines/stages';
import { plannedNotices } from '../../workflows/notices';
import { ev, manager, practitioner, referral, reviewWith } from '../support/journeyEvents';
import {
  accept,
  deadlinesOf,
  expectRefused,
  newJourney,
  onlyDeadline,
  stageValue,
  step,
} from './journeyHarness';

/** The import runs on Monday 2 March 2026 at 08:00 (GMT). */
const IMPORT_AT = '2026-03-02T08:00:00.000Z';
const integration = { userId: 'migration.team', role: 'integration' as const };

type ImportPayload = Omit<
  EventOf<'JOURNEY_IMPORTED'>,
  'type' | 'eventId' | 'occurredAt' | 'actor' | 'source' | 'subject' | 'complaints' | 'safeguarding'
> &
  Partial<Pick<EventOf<'JOURNEY_IMPORTED'>, 'complaints' | 'safeguarding'>>;

let row = 1;
function imported(payload: ImportPayload, options: { at?: string; actor?: typeof integration } = {}) {
  row += 1;
  return ev(
    'JOURNEY_IMPORTED',
    options.at ?? IMPORT_AT,
    {
      source: { file: 'caseload.csv', row, system: 'Mosaic' },
      subject: 'person',
      complaints: [],
      safeguarding: [],
      ...payload,
    },
    { actor: options.actor ?? integration, eventId: `import-${row}` },
  );
}

const live = (overrides: Partial<ImportPayload> = {}) =>
  imported({
    stage: 'liveSupport',
    team: 'north',
    workerId: 'worker.ann',
    personalBudget: 9360,
    budgetManagement: ['councilManaged'],
    servicesStartedOn: '2024-05-13',
    lastReview: { on: '2025-09-15', reviewType: 'formal' },
    nextReviewOn: '2026-09-15',
    ...overrides,
  });

describe('JOURNEY_IMPORTED: a journey joins mid-way (issue 17)', () => {
  it('opens the journey at live support, audited as an import, with the next review and the monitoring checks still to come (R-REV-3, R-REV-4)', () => {
    const snapshot = accept(newJourney(), live());
    expect(stageOf(snapshot)).toBe('liveSupport');
    const { context } = snapshot;
    expect(context.imported).toEqual({
      eventId: expect.stringMatching(/^import-/),
      source: { file: 'caseload.csv', row: expect.any(Number), system: 'Mosaic' },
      stage: 'liveSupport',
      by: integration,
      at: IMPORT_AT,
    });
    expect(context).toMatchObject({ team: 'north', allocatedWorker: 'worker.ann', personalBudget: 9360 });
    // services started on 13 May 2024, a day of British Summer Time: London's midnight
    expect(context.activatedAt).toBe('2024-05-12T23:00:00.000Z');
    const review = onlyDeadline(snapshot, 'annualReview', 'due');
    expect(review).toMatchObject({
      ruleId: 'R-REV-3',
      dueAt: '2026-09-15T23:00:00.000Z',
      startedFrom: IMPORT_AT,
    });
    // R-REV-4: the check 6 months after the last review (15 March 2026) is still to come; none before
    expect(deadlinesOf(snapshot, 'monitoringCheck').map((d) => [d.dueAt, d.status])).toEqual([
      ['2026-03-16T00:00:00.000Z', 'due'],
    ]);
  });

  it('a review already overdue when the journey is imported is overdue at once and listed (R-REV-3), with one escalation, not one per missed reminder', () => {
    const snapshot = accept(
      newJourney(),
      live({
        // R-REV-5: services over six months old at that review, so a 12-month interval was allowed
        servicesStartedOn: '2024-04-29',
        lastReview: { on: '2024-11-04', reviewType: 'formal' },
        nextReviewOn: '2025-11-04',
        // R-IMP-1: the monitoring check between was made (one not made would be overdue at once)
        lastMonitoringCheckOn: '2025-05-01',
      }),
    );
    const review = onlyDeadline(snapshot, 'annualReview');
    expect(review).toMatchObject({
      status: 'overdue',
      flaggedOverdueAt: IMPORT_AT,
      dueAt: '2025-11-05T00:00:00.000Z',
    });
    // the monitoring check the case system records as made is not set again
    expect(deadlinesOf(snapshot, 'monitoringCheck')).toEqual([]);
    const view = describeJourney(snapshot);
    expect(view.nextSteps[0]).toMatchObject({
      because: 'deadline',
      event: 'REVIEW_COMPLETED',
      overdueSince: expect.any(String),
    });
    // the escalations: the first at the import, the rhythm from there (not four months of them at once)
    const notices = plannedNotices(snapshot.context).filter((n) => n.deadline.id === review.id);
    const dueNow = notices.filter((n) => Date.parse(n.at) <= Date.parse(IMPORT_AT));
    expect(dueNow.map((n) => n.id)).toEqual([`${review.id}:escalation-1`]);
    expect(notices.every((n) => n.kind === 'escalation')).toBe(true);
    expect(notices.slice(1).every((n) => Date.parse(n.at) > Date.parse(IMPORT_AT))).toBe(true);
  });

  it('no review since services started: the first review is on its R-REV-2 clock from the services start (overdue at once when that is long past)', () => {
    const recent = accept(
      newJourney(),
      live({ servicesStartedOn: '2026-02-16', lastReview: undefined, nextReviewOn: undefined }),
    );
    expect(onlyDeadline(recent, 'firstReview')).toMatchObject({
      status: 'due',
      ruleId: 'R-REV-2',
      // by the end of the day 6 weeks on, overdue after 8 (British Summer Time by then)
      dueAt: '2026-03-30T23:00:00.000Z',
      overdueAt: '2026-04-13T23:00:00.000Z',
    });
    const old = accept(newJourney(), live({ lastReview: undefined, nextReviewOn: undefined }));
    expect(onlyDeadline(old, 'firstReview').status).toBe('overdue');
  });

  it('an emergency part-way through its 3 working days keeps the days it has left (R-EMG-1)', () => {
    // set up on Thursday 26 February: the assessment must begin by the end of Tuesday 3 March
    const snapshot = accept(
      newJourney(),
      imported({
        stage: 'interimSupport',
        team: 'duty',
        interimSupport: {
          setUpOn: '2026-02-26',
          services: ['emergency home care'],
          managerId: 'manager.bob',
        },
      }),
    );
    expect(stageValue(snapshot)).toEqual({ interimSupport: 'inPlace' });
    expect(onlyDeadline(snapshot, 'emergencyAssessmentStart')).toMatchObject({
      status: 'due',
      ruleId: 'R-EMG-1',
      dueAt: '2026-03-04T00:00:00.000Z',
    });
    // and it goes on as any emergency: the assessment starting meets the clock
    const started = accept(snapshot, ev('ASSESSMENT_STARTED', '2026-03-03T10:00:00.000Z', {}));
    expect(onlyDeadline(started, 'emergencyAssessmentStart').status).toBe('met');
    expect(stageValue(started)).toEqual({ assessment: 'inProgress' });
  });

  it('an emergency whose 3 working days passed before the import is overdue at once (R-EMG-1)', () => {
    const snapshot = accept(
      newJourney(),
      imported({ stage: 'interimSupport', interimSupport: { setUpOn: '2026-02-20', services: ['respite'] } }),
    );
    expect(onlyDeadline(snapshot, 'emergencyAssessmentStart')).toMatchObject({
      status: 'overdue',
      flaggedOverdueAt: IMPORT_AT,
    });
  });

  it('a direct payment waiting on its agreement is at set-up, waiting, and activates once it is signed (R-ACT-1)', () => {
    const snapshot = accept(
      newJourney(),
      imported({
        stage: 'setUp',
        stageSince: '2026-02-09',
        team: 'south',
        personalBudget: 12000,
        budgetManagement: ['directPayment'],
        directPaymentAgreement: { status: 'awaited' },
      }),
    );
    expect(stageOf(snapshot)).toBe('setUp');
    const view = describeJourney(snapshot);
    expect(view.waitingOn).toEqual({ party: 'directPaymentAgreement', since: '2026-02-09T00:00:00.000Z' });
    const activate = ev('SERVICES_ACTIVATED', '2026-03-03T10:00:00.000Z', {
      firstReviewAgreedFor: '2026-04-14',
    });
    expectRefused(snapshot, activate, 'R-ACT-1');
    const signed = accept(
      snapshot,
      ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', '2026-03-03T09:00:00.000Z', { signedOn: '2026-03-03' }),
    );
    const liveNow = accept(signed, activate);
    expect(stageOf(liveNow)).toBe('liveSupport');
    expect(onlyDeadline(liveNow, 'firstReview').status).toBe('due');
  });

  it('imports each earlier stage at its step: assessment, the indicative budget, planning', () => {
    const notStarted = accept(newJourney(), imported({ stage: 'assessment', team: 'north' }));
    expect(stageValue(notStarted)).toEqual({ assessment: 'notStarted' });
    const inProgress = accept(
      newJourney(),
      imported({ stage: 'assessment', assessmentStartedOn: '2026-02-20' }),
    );
    expect(stageValue(inProgress)).toEqual({ assessment: 'inProgress' });
    expect(inProgress.context.assessment?.startedAt).toBe('2026-02-20T00:00:00.000Z');
    const calculated = accept(
      newJourney(),
      imported({ stage: 'indicativeBudget', indicativeBudget: { amount: 9360 } }),
    );
    expect(stageValue(calculated)).toEqual({ indicativeBudget: 'calculated' });
    const shared = accept(
      newJourney(),
      imported({ stage: 'indicativeBudget', indicativeBudget: { amount: 9360, sharedOn: '2026-02-27' } }),
    );
    expect(stageValue(shared)).toEqual({ indicativeBudget: 'shared' });
    expect(
      checkEvent(shared, ev('PLANNING_STARTED', '2026-03-02T10:00:00.000Z', { preparedBy: 'person' })),
    ).toEqual({ allowed: true });
    const planning = accept(
      newJourney(),
      imported({ stage: 'planning', indicativeBudget: { amount: 9360, sharedOn: '2026-02-27' } }),
    );
    expect(stageOf(planning)).toBe('planning');
    expect(planning.context.indicativeBudget?.amount).toBe(9360);
    // every one has no clock the facts do not start
    for (const s of [notStarted, inProgress, calculated, shared, planning])
      expect(s.context.deadlines).toEqual([]);
  });

  it('imports open concerns alongside the stage: complaints, safeguarding, a hospital stay (R-CMP-1, R-SFG-1, R-HSP-1)', () => {
    const snapshot = accept(
      newJourney(),
      live({
        complaints: [{ complaintId: 'C-1', about: 'budget', raisedOn: '2026-02-11' }],
        safeguarding: [{ concernId: 'S-1' }],
        hospital: { admittedOn: '2026-02-28', hospital: 'Royal Derby' },
      }),
    );
    const value = (snapshot.value as { open: Record<string, unknown> }).open;
    expect(value).toMatchObject({ complaints: 'open', safeguarding: 'open', hospital: 'inHospital' });
    expect(describeJourney(snapshot).concerns).toMatchObject({
      openComplaints: 1,
      safeguardingOpen: true,
      inHospital: true,
    });
    const resolved = accept(
      snapshot,
      ev('COMPLAINT_RESOLVED', '2026-03-03T10:00:00.000Z', { complaintId: 'C-1', outcome: 'upheld' }),
    );
    expect((resolved.value as { open: Record<string, unknown> }).open.complaints).toBe('none');
  });

  it('after the import, everything is as for a journey that began here: a review meets the overdue one and sets the next (R-REV-8)', () => {
    const snapshot = accept(
      newJourney(),
      live({
        // R-REV-5: services over six months old at that review, so a 12-month interval was allowed
        servicesStartedOn: '2024-04-29',
        lastReview: { on: '2024-11-04', reviewType: 'formal' },
        nextReviewOn: '2025-11-04',
      }),
    );
    const reviewed = accept(snapshot, reviewWith('2026-03-05T10:00:00.000Z', { nextReviewOn: '2027-03-05' }));
    const reviews = deadlinesOf(reviewed, 'annualReview');
    expect(reviews.map((d) => d.status)).toEqual(['metLate', 'due']);
    expect(reviews[1]?.dueAt).toBe('2027-03-06T00:00:00.000Z');
  });

  it('is a journey’s first event only: refused on an open journey, and a referral after it is recorded (R-REF-4)', () => {
    const opened = accept(newJourney(), referral('2026-03-02T07:00:00.000Z'));
    const refusals = expectRefused(opened, live(), undefined);
    expect(refusals.map((r) => r.message).join(' ')).toMatch(/only as its first event/);
    const importedJourney = accept(newJourney(), live());
    expectRefused(importedJourney, live(), undefined);
    const again = accept(importedJourney, referral('2026-03-03T07:00:00.000Z'));
    expect(again.context.referrals).toHaveLength(1);
    expect(stageOf(again)).toBe('liveSupport');
  });

  it('is refused with the missing or wrong fact named: missing facts, dates after the import, a live direct payment without its agreement (R-ACT-1, R-TIM-1, R-REV-3)', () => {
    const fresh = newJourney();
    const fields = (event: ReturnType<typeof imported>, ruleId?: string) =>
      expectRefused(fresh, event, ruleId).map((r) => r.field);
    expect(fields(imported({ stage: 'interimSupport' }), 'R-EMG-1')).toContain('interimSupport.setUpOn');
    expect(
      fields(imported({ stage: 'liveSupport', budgetManagement: ['councilManaged'] }), 'R-REV-2'),
    ).toEqual(expect.arrayContaining(['personalBudget', 'servicesStartedOn']));
    expect(fields(live({ servicesStartedOn: '2026-03-09' }), 'R-TIM-1')).toContain('servicesStartedOn');
    expect(
      fields(
        live({ budgetManagement: ['directPayment'], directPaymentAgreement: { status: 'awaited' } }),
        'R-ACT-1',
      ),
    ).toContain('directPaymentAgreement.status');
    expect(fields(live({ budgetManagement: ['directPayment'] }), 'R-ACT-1')).toContain(
      'directPaymentAgreement.status',
    );
    expect(fields(live({ nextReviewOn: '2027-01-10' }), 'R-REV-3')).toContain('nextReviewOn');
    expect(fields(imported({ stage: 'assessment', servicesStartedOn: '2025-01-01' }))).toContain(
      'servicesStartedOn',
    );
    expect(fields(live({ policyProfile: 'Lancashire' }))).toContain('policyProfile');
    // who imports: a manager or an integration, not a practitioner
    expect(expectRefused(fresh, { ...live(), actor: practitioner }, undefined).map((r) => r.field)).toContain(
      'actor',
    );
    expect(checkEvent(fresh, { ...live(), actor: manager })).toEqual({ allowed: true });
  });

  it('emits nothing: no letters, no payments, no RAS request for an imported journey', () => {
    const { effects } = step(
      newJourney(),
      live({
        budgetManagement: ['directPayment'],
        directPaymentAgreement: { status: 'signed', signedOn: '2024-05-10' },
      }),
    );
    expect(effects).toEqual([]);
  });
});
