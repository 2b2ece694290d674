import type { CarriedJourney } from './definitions';

/**
 * Snapshot migrations, applied when a run starts from a carried snapshot (continue-as-new).
 * A new run never replays the old run's events, so this is where a change to the machine's
 * context reaches journeys that are already running (docs/safe-changes.md).
 *
 * To change the context's shape: bump SNAPSHOT_VERSION and add the step from the previous
 * version, e.g. `2: (carried) => ({ ...carried, snapshot: addFieldX(carried.snapshot) })`.
 */
export const SNAPSHOT_VERSION = 1;

type Migration = (carried: CarriedJourney) => CarriedJourney;

/** migrations[n] turns a version n-1 snapshot into version n. */
const migrations: Record<number, Migration> = {};

export function migrateCarried(carried: CarriedJourney): CarriedJourney {
  let migrated = carried;
  for (let version = (carried.snapshotVersion ?? 1) + 1; version <= SNAPSHOT_VERSION; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`no snapshot migration to version ${version}`);
    migrated = { ...step(migrated), snapshotVersion: version };
  }
  return migrated;
}
