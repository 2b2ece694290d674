import { defaultUnallocatedCases, policyProfiles } from '../machines/policyProfile';
import type { CarriedJourney } from './definitions';

/**
 * Snapshot migrations, applied when a run starts from a carried snapshot (continue-as-new).
 * A new run never replays the old run's events, so this is where a change to the machine's
 * context reaches journeys that are already running (docs/safe-changes.md).
 *
 * To change the context's shape: bump SNAPSHOT_VERSION and add the step from the previous
 * version, e.g. `2: (carried) => ({ ...carried, snapshot: addFieldX(carried.snapshot) })`.
 */
export const SNAPSHOT_VERSION = 5;

type Migration = (carried: CarriedJourney) => CarriedJourney;

type CarriedContext = { profile: Record<string, unknown> };

/**
 * Fills the profile settings a snapshot's own profile lacks from the default profile of the same
 * council (Derbyshire where the council is not one we ship), keeping every setting it has.
 */
function withProfileDefaults(carried: CarriedJourney): CarriedJourney {
  const snapshot = carried.snapshot as { context: CarriedContext };
  const profile = snapshot.context.profile;
  const shipped =
    Object.values(policyProfiles).find((p) => p.council === profile.council) ?? policyProfiles.derbyshire;
  // Context fields edition 2 added, empty as a new journey has them.
  const added = { providers: [], budgetChallenges: [] };
  return {
    ...carried,
    snapshot: {
      ...snapshot,
      context: { ...added, ...snapshot.context, profile: fillMissing(shipped, profile) },
    },
  };
}

function fillMissing(defaults: unknown, value: unknown): unknown {
  if (value === undefined) return defaults;
  if (!isRecord(defaults) || !isRecord(value)) return value;
  const merged: Record<string, unknown> = { ...value };
  for (const [key, fallback] of Object.entries(defaults)) merged[key] = fillMissing(fallback, value[key]);
  return merged;
}

/**
 * Rules edition 3 reads `budget.managerMayOverrideIndicativeBudget`: the shipped profile of the same
 * council gives it; a council we do not ship gets no override (the schema's default) until it says so.
 */
function withOverrideSetting(carried: CarriedJourney): CarriedJourney {
  const snapshot = carried.snapshot as { context: CarriedContext };
  const profile = snapshot.context.profile;
  const budget = isRecord(profile.budget) ? profile.budget : {};
  if (typeof budget.managerMayOverrideIndicativeBudget === 'boolean') return carried;
  const shipped = Object.values(policyProfiles).find((p) => p.council === profile.council);
  const managerMayOverrideIndicativeBudget = shipped?.budget.managerMayOverrideIndicativeBudget ?? false;
  return {
    ...carried,
    snapshot: {
      ...snapshot,
      context: {
        ...snapshot.context,
        profile: { ...profile, budget: { ...budget, managerMayOverrideIndicativeBudget } },
      },
    },
  };
}

/**
 * Rules edition 4 reads `unallocatedCases` (who owns an unallocated case's next steps and gets its
 * escalations): the shipped profile of the same council gives it; a council we do not ship gets the
 * schema's placeholder duty team and worker until its profile names its own.
 */
function withUnallocatedCases(carried: CarriedJourney): CarriedJourney {
  const snapshot = carried.snapshot as { context: CarriedContext };
  const profile = snapshot.context.profile;
  if (isRecord(profile.unallocatedCases)) return carried;
  const shipped = Object.values(policyProfiles).find((p) => p.council === profile.council);
  const unallocatedCases = { ...(shipped?.unallocatedCases ?? defaultUnallocatedCases) };
  return {
    ...carried,
    snapshot: { ...snapshot, context: { ...snapshot.context, profile: { ...profile, unallocatedCases } } },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** migrations[n] turns a version n-1 snapshot into version n. */
const migrations: Record<number, Migration> = {
  // Rules edition 2 reads new profile settings (reassessment clock, stuck limits, clock skew)
  // and new context fields.
  2: withProfileDefaults,
  // Rules edition 3 reads whether a manager may override the indicative budget.
  3: withOverrideSetting,
  // Rules edition 4 reads who acts for an unallocated case (its next steps, its escalations).
  4: withUnallocatedCases,
  // Rules edition 5 reads new profile settings (appeals, direct-payment monitoring, temporary
  // support, review notice, the first review's form, carers' offers): filled from the shipped
  // profile of the same council, every setting the snapshot has kept.
  5: withProfileDefaults,
};

export function migrateCarried(carried: CarriedJourney): CarriedJourney {
  let migrated = carried;
  for (let version = (carried.snapshotVersion ?? 1) + 1; version <= SNAPSHOT_VERSION; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`no snapshot migration to version ${version}`);
    migrated = { ...step(migrated), snapshotVersion: version };
  }
  return migrated;
}
