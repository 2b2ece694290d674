import { condition, setHandler } from '@temporalio/workflow';
import { floorCountQuery, floorDoneUpdate, floorEventUpdate } from './definitions';

/**
 * The bare-Temporal floor: receives Updates with no validator, keeps their payloads, answers a
 * query, and ends on a 'done' Update. It takes the journey's start input too (and ignores it), so
 * both carry the same bytes in.
 */
export async function floorWorkflow(_input?: unknown): Promise<number> {
  const received: unknown[] = [];
  let done = false;
  setHandler(floorEventUpdate, (payload) => {
    received.push(payload);
    return received.length;
  });
  setHandler(floorDoneUpdate, () => {
    done = true;
    return received.length;
  });
  setHandler(floorCountQuery, () => received.length);
  await condition(() => done);
  return received.length;
}
