/** JOURNEY.md "Referral and triage": R-REF-1..4, and the carer's own journey (R-CAR-1). */
import { checkEvent } from '../../machines/checkEvent';
import { completePlan, ev, pathToActivation, referral } from '../support/journeyEvents';
import {
  accept,
  expectRefused,
  journeyThrough,
  newJourney,
  roadDay,
  run,
  stageValue,
  step,
} from './journeyHarness';

const T = '2026-03-02T10:00:00.000Z';
const offer = ev('UNIVERSAL_OFFER_GIVEN', T, {
  informationAndAdvice: ['Falls prevention leaflet'],
  signposting: ['Age UK'],
  prevention: [],
});
const triage = (
  route: 'informationAndAdvice' | 'shortTermSupport' | 'assessment' | 'emergencyInterimSupport',
) => ev('TRIAGED', '2026-03-03T10:00:00.000Z', { route, reason: 'triage decision' });

/** A carer's support plan (R-PLN-6). */
const carersPlan = () =>
  completePlan({
    needsAndOutcomes: "Carer's assessment: needs a break from caring two evenings a week",
    carerOutcomes: ['keep working part-time', 'evening class on Thursdays'],
    crisisContact: 'Carers Helpline 01629 000000',
  });

describe('R-REF-1 a referral opens the journey; the universal offer comes first', () => {
  it('R-REF-1: nothing but a referral moves a new journey out of "awaiting referral"', () => {
    const fresh = newJourney();
    expect(stageValue(fresh)).toBe('awaitingReferral');
    expectRefused(fresh, triage('assessment'), undefined);
    const opened = accept(fresh, referral(T, 'ref-1'));
    expect(stageValue(opened)).toBe('triage');
    expect(opened.context.referrals.map((r) => r.referralId)).toEqual(['ref-1']);
    expect(opened.context.stageEnteredAt).toBe(T);
  });

  it('R-REF-1: triage cannot route onward to assessment before the universal offer is given', () => {
    const referred = accept(newJourney(), referral(T));
    const reasons = expectRefused(referred, triage('assessment'), 'R-REF-1');
    expect(reasons.find((r) => r.ruleId === 'R-REF-1')?.message).toMatch(/universal offer/);
    // The compliant variant: offer first, then triage.
    const offered = accept(referred, offer);
    expect(offered.context.universalOffer?.informationAndAdvice).toEqual(['Falls prevention leaflet']);
    expect(stageValue(accept(offered, triage('assessment')))).toEqual({ assessment: 'notStarted' });
  });

  it('R-REF-1: short-term support and information & advice also wait for the universal offer', () => {
    const referred = accept(newJourney(), referral(T));
    expectRefused(referred, triage('shortTermSupport'), 'R-REF-1');
    expectRefused(referred, triage('informationAndAdvice'), 'R-REF-1');
  });

  it('R-REF-1 / R-EMG-1: an emergency is routed to interim support without waiting for the universal offer', () => {
    const referred = accept(newJourney(), referral(T));
    expect(stageValue(accept(referred, triage('emergencyInterimSupport')))).toEqual({
      interimSupport: 'settingUp',
    });
  });
});

describe('R-REF-2 triage routes to one of four places', () => {
  const offered = () => run(newJourney(), [referral(T), offer]).snapshot;

  it('R-REF-2: information & advice meets the need and closes the journey', () => {
    const closed = accept(offered(), triage('informationAndAdvice'));
    expect(closed.status).toBe('done');
    expect(closed.context.closure).toEqual({
      reason: 'informationAndAdvice',
      at: '2026-03-03T10:00:00.000Z',
    });
    expect(closed.context.triageRoute).toBe('informationAndAdvice');
  });

  it('R-REF-2: short-term support closes when it met the need, or leads to assessment', () => {
    const shortTerm = accept(offered(), triage('shortTermSupport'));
    expect(stageValue(shortTerm)).toBe('shortTermSupport');
    const met = accept(
      shortTerm,
      ev('SHORT_TERM_SUPPORT_ENDED', '2026-03-20T10:00:00.000Z', { outcome: 'needsMet' }),
    );
    expect(met.status).toBe('done');
    expect(met.context.closure?.reason).toBe('shortTermSupportMetNeeds');
    const more = accept(
      shortTerm,
      ev('SHORT_TERM_SUPPORT_ENDED', '2026-03-20T10:00:00.000Z', { outcome: 'assessmentNeeded' }),
    );
    expect(stageValue(more)).toEqual({ assessment: 'notStarted' });
  });

  it('R-REF-2: assessment and emergency interim support are the other two routes', () => {
    expect(stageValue(accept(offered(), triage('assessment')))).toEqual({ assessment: 'notStarted' });
    expect(stageValue(accept(offered(), triage('emergencyInterimSupport')))).toEqual({
      interimSupport: 'settingUp',
    });
  });

  it('R-REF-2: a journey already triaged cannot be triaged again', () => {
    const assessed = accept(offered(), triage('assessment'));
    const check = checkEvent(assessed, triage('informationAndAdvice'));
    expect(check.allowed).toBe(false);
    expect(step(assessed, triage('informationAndAdvice')).snapshot.value).toEqual(assessed.value);
  });
});

describe('R-REF-3 ordinary residence before planning', () => {
  it('R-REF-3: planning cannot start until ordinary residence is established', () => {
    const events = pathToActivation(T).filter((e) => e.type !== 'ORDINARY_RESIDENCE_ESTABLISHED');
    const shared = run(
      newJourney(),
      events.slice(0, events.findIndex((e) => e.type === 'INDICATIVE_BUDGET_SHARED') + 1),
    ).snapshot;
    const start = ev('PLANNING_STARTED', '2026-03-08T10:00:00.000Z', { preparedBy: 'worker' });
    const reasons = expectRefused(shared, start, 'R-REF-3');
    expect(reasons.find((r) => r.ruleId === 'R-REF-3')?.message).toMatch(/ordinary residence/);
    const established = accept(
      shared,
      ev('ORDINARY_RESIDENCE_ESTABLISHED', '2026-03-07T10:00:00.000Z', { council: 'Derbyshire' }),
    );
    expect(established.context.ordinaryResidence?.council).toBe('Derbyshire');
    expect(stageValue(accept(established, start))).toBe('planning');
  });
});

describe('R-REF-4 one person, one open journey', () => {
  it('R-REF-4: a repeated referral is recorded on the open journey without changing its stage', () => {
    const planning = journeyThrough('PLANNING_STARTED');
    const again = accept(planning, referral('2026-03-09T10:00:00.000Z', 'ref-again'));
    expect(again.value).toEqual(planning.value);
    expect(again.context.referrals.map((r) => r.referralId)).toHaveLength(2);
    expect(again.context.referrals.at(-1)?.referralId).toBe('ref-again');
  });

  it('R-REF-4: the same referral recorded twice is refused', () => {
    const referred = accept(newJourney(), referral(T, 'ref-1'));
    const reasons = expectRefused(referred, referral('2026-03-04T10:00:00.000Z', 'ref-1'), 'R-REF-4');
    expect(reasons[0]?.message).toMatch(/ref-1 is already recorded/);
  });
});

describe('R-CAR-1 carers have a journey of their own', () => {
  it('R-CAR-1: a carer referral is refused on a person’s journey but opens a carer journey', () => {
    const carerReferral = referral(T, 'ref-carer', { subject: 'carer' });
    expectRefused(newJourney(), carerReferral, 'R-CAR-1');
    const carerJourney = accept(newJourney({ subject: 'carer' }), carerReferral);
    expect(carerJourney.context.subject).toBe('carer');
    expect(stageValue(carerJourney)).toBe('triage');
    // …and a person referral does not belong on the carer's journey.
    expectRefused(newJourney({ subject: 'carer' }), referral(T, 'ref-person'), 'R-CAR-1');
  });

  it('R-CAR-1: a carer journey has the same stages and timescales (ordinary road to live support, same reviews)', () => {
    const carerEvents = pathToActivation(T).map((e) =>
      e.type === 'REFERRAL_RECEIVED'
        ? { ...e, subject: 'carer' as const }
        : e.type === 'PLAN_SUBMITTED'
          ? { ...e, plan: carersPlan() }
          : e,
    );
    const carer = run(newJourney({ subject: 'carer' }), carerEvents).snapshot;
    const person = run(newJourney(), pathToActivation(T)).snapshot;
    expect(stageValue(carer)).toBe('liveSupport');
    const clocks = (s: typeof carer) => s.context.deadlines.map((d) => [d.kind, d.dueAt, d.overdueAt]);
    expect(clocks(carer)).toEqual(clocks(person));
  });

  it("R-PLN-6: a carer's plan has its own contents, not the person's checklist", () => {
    const carerRoad = pathToActivation(T).map((e) =>
      e.type === 'REFERRAL_RECEIVED' ? { ...e, subject: 'carer' as const } : e,
    );
    const upTo = (type: string) => carerRoad.slice(0, carerRoad.findIndex((e) => e.type === type) + 1);
    const planning = run(newJourney({ subject: 'carer' }), upTo('PLANNING_STARTED')).snapshot;
    const signOff = carerRoad.find((e) => e.type === 'PLAN_SIGNED_OFF')!;
    // Without the person's own items (staying in control, options considered, own network) it signs off…
    const {
      stayingInControl: _s,
      optionsConsidered: _o,
      ownResourcesAndNetwork: _n,
      ...carerOnly
    } = carersPlan();
    const submitted = accept(planning, ev('PLAN_SUBMITTED', roadDay(6), { plan: carerOnly }));
    expect(stageValue(accept(submitted, signOff))).toBe('setUp');
    // …but not without the carer's outcomes and a crisis contact, each named with its field.
    const { carerOutcomes: _c, crisisContact: _x, ...lacking } = carerOnly;
    const incomplete = accept(planning, ev('PLAN_SUBMITTED', roadDay(6), { plan: lacking }));
    const reasons = expectRefused(incomplete, signOff, 'R-PLN-6').map((r) => r.message);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringContaining('plan.carerOutcomes'),
        expect.stringContaining('plan.crisisContact'),
      ]),
    );
    expect(reasons.join(' ')).not.toMatch(/stays in control|options considered/);
  });

  it('R-CAR-1 / R-ASM-4: a carer who accepts an assessment gets a journey of their own (openCarerJourney effect)', () => {
    const inProgress = journeyThrough('ASSESSMENT_STARTED');
    const identified = accept(
      inProgress,
      ev('CARER_IDENTIFIED', '2026-03-04T11:00:00.000Z', { carerId: 'carer-7' }),
    );
    const { effects } = step(
      identified,
      ev('CARER_ASSESSMENT_OFFERED', '2026-03-04T12:00:00.000Z', { carerId: 'carer-7', accepted: true }),
    );
    expect(effects).toEqual([
      expect.objectContaining({ type: 'openCarerJourney', carerId: 'carer-7', caredForPersonId: 'person-1' }),
    ]);
  });
});
