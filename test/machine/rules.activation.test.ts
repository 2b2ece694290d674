/** JOURNEY.md "Service set-up": R-ACT-1 (activation after approval; DP agreement first) and R-ACT-2. */
import { checkEvent } from '../../machines/checkEvent';
import type { EventOf } from '../../machines/events';
import { ev, pathToActivation } from '../support/journeyEvents';
import { accept, expectRefused, journeyThrough, payloadOf, stageValue } from './journeyHarness';

const T = '2026-03-02T10:00:00.000Z';
const at = (day: number) => new Date(Date.parse(T) + day * 86_400_000).toISOString();
const activation = pathToActivation(T).find(
  (e) => e.type === 'SERVICES_ACTIVATED',
) as EventOf<'SERVICES_ACTIVATED'>;
const activateOn = (firstReviewAgreedFor: string) =>
  ev('SERVICES_ACTIVATED', at(9), { ...payloadOf(activation), firstReviewAgreedFor });

describe('R-ACT-1 services start only once activated after budget approval; DP after the agreement', () => {
  it('R-ACT-1: a direct payment is not activated until the direct payment agreement is signed', () => {
    const signedOff = journeyThrough('PLAN_SIGNED_OFF', { directPayment: true });
    expect(stageValue(signedOff)).toBe('setUp');
    const reasons = expectRefused(signedOff, activation, 'R-ACT-1');
    expect(reasons.find((r) => r.ruleId === 'R-ACT-1')?.message).toMatch(/agreement is signed/);
    const agreed = accept(
      signedOff,
      ev('DIRECT_PAYMENT_AGREEMENT_SIGNED', at(8), { signedOn: '2026-03-10' }),
    );
    expect(agreed.context.directPayment.agreementSignedOn).toBe('2026-03-10');
    const live = accept(agreed, activation);
    expect(stageValue(live)).toBe('liveSupport');
    expect(live.context.activatedAt).toBe(at(9));
  });

  it('R-ACT-1: a council-managed plan needs no agreement and is activated after sign-off', () => {
    expect(stageValue(accept(journeyThrough('PLAN_SIGNED_OFF'), activation))).toBe('liveSupport');
  });

  it('R-ACT-1: services cannot be activated before the plan and budget are signed off', () => {
    const submitted = journeyThrough('PLAN_SUBMITTED');
    expectRefused(submitted, activation, undefined);
    expect(submitted.context.activatedAt).toBeUndefined();
  });
});

describe('R-ACT-2 the first review is agreed when support starts', () => {
  it('R-ACT-2: the agreed first review must fall between the start and the latest first review (8 weeks)', () => {
    const signedOff = journeyThrough('PLAN_SIGNED_OFF');
    // Activated 2026-03-11: the first review is agreed for 2026-03-11 … 2026-05-06.
    for (const tooEarlyOrLate of ['2026-03-10', '2026-05-07']) {
      const reasons = expectRefused(signedOff, activateOn(tooEarlyOrLate), 'R-ACT-2');
      expect(reasons.find((r) => r.ruleId === 'R-ACT-2')?.message).toBe(
        'the first review must be agreed for a date between 2026-03-11 and 2026-05-06',
      );
    }
    for (const fine of ['2026-03-11', '2026-04-22', '2026-05-06']) {
      expect(checkEvent(signedOff, activateOn(fine)).allowed).toBe(true);
    }
  });

  it('R-ACT-2: activation without an agreed first review is malformed', () => {
    const { firstReviewAgreedFor: _omitted, ...withoutDate } = activation;
    const check = checkEvent(journeyThrough('PLAN_SIGNED_OFF'), withoutDate);
    expect(check.allowed).toBe(false);
    expect(JSON.stringify(check)).toMatch(/firstReviewAgreedFor/);
  });
});
