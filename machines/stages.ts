import type { SnapshotFrom } from 'xstate';
import type { JourneyMachine } from './journeyMachine';

/** The main stages of JOURNEY.md, as the machine names them, with the words people use. */
export const stageWords = {
  awaitingReferral: 'Awaiting referral',
  triage: 'Referral received: triage and universal offer',
  shortTermSupport: 'Short-term support (reablement, enablement, equipment)',
  interimSupport: 'Emergency interim support',
  assessment: 'Needs assessment',
  indicativeBudget: 'Indicative budget',
  planning: 'Care and support planning',
  setUp: 'Signed off: service set-up and activation',
  liveSupport: 'Live support with reviews',
  reassessment: 'Reassessment',
  endingServices: 'Ending services',
  movedAway: 'Moved away: funding continues for up to 6 weeks',
  closed: 'Closed',
} as const;
export type Stage = keyof typeof stageWords;

export function stageInWords(stage: string): string {
  return stageWords[stage as Stage] ?? stage;
}

/** The main stage a snapshot is at ("closed" once the journey has ended). */
export function stageOf(snapshot: SnapshotFrom<JourneyMachine>): Stage {
  const value = snapshot.value;
  if (typeof value === 'string') return value as Stage;
  const stage = (value as { open: { stage: string | Record<string, unknown> } }).open.stage;
  return (typeof stage === 'string' ? stage : Object.keys(stage)[0]) as Stage;
}

/** The sub-step within a stage, where the stage has steps (e.g. indicativeBudget.calculated). */
export function stepOf(snapshot: SnapshotFrom<JourneyMachine>): string | undefined {
  const value = snapshot.value;
  if (typeof value === 'string') return undefined;
  const stage = (value as { open: { stage: string | Record<string, unknown> } }).open.stage;
  if (typeof stage === 'string') return undefined;
  const inner = Object.values(stage)[0];
  return typeof inner === 'string' ? inner : undefined;
}
