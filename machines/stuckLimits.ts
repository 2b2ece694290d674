import type { JourneySnapshot } from './acceptance';
import { stageOf, stepOf } from './stages';

/**
 * How many days a journey may be held in its current stage before it counts as stuck (R-PLN-5,
 * R-EMG-3, R-REV-12), from the policy profile: a limit for the stage's step ("interimSupport.settingUp")
 * is used before one for the whole stage ("planning"). Undefined where the profile sets none — the
 * stage's own clocks watch it then.
 */
export function stageLimitDays(snapshot: JourneySnapshot): number | undefined {
  if (snapshot.status !== 'active') return undefined;
  const limits = snapshot.context.profile.stuckAfterDays.stage;
  const stage = stageOf(snapshot);
  const step = stepOf(snapshot);
  return (step === undefined ? undefined : limits[`${stage}.${step}`]) ?? limits[stage];
}
