import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * The floor's public surface (kept apart from the workflow body, as workflows/definitions.ts is).
 * The floor is what Temporal itself costs on this machine: Updates that carry the same payloads
 * as a journey's events, with no machine, no validator and no search attributes.
 */

/** One event's payload, pushed into a list; returns how many have been received. */
export const floorEventUpdate = defineUpdate<number, [unknown]>('floorEvent');
/** Ends the floor workflow (sent after measuring, outside the timed phase). */
export const floorDoneUpdate = defineUpdate<number>('floorDone');
export const floorCountQuery = defineQuery<number>('floorCount');
