import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromFile } from '../histories/historyFile';
import { workflowBundle } from '../support/workflowBundle';

/**
 * Safe changes (docs/safe-changes.md): the recorded histories of representative journeys replay
 * against today's workflow and machine. A change that would break a running journey — a
 * different command, a deadline computed differently — fails here before it ships.
 */
const dir = path.resolve(__dirname, '..', 'histories');
// Histories recorded before a patch stay in a folder named for it, so the old branch is replayed too.
const recorded = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

it('there are recorded histories to replay', () => {
  expect(recorded).toEqual(
    expect.arrayContaining([
      'emergency.json',
      'reviews.json',
      'ending.json',
      'concerns.json',
      'reassessment.json',
      'backdated.json',
      'before-rules-edition-3/reassessment.json',
      'before-rules-edition-2/reviews.json',
      'before-one-timer-per-wake-time/reviews.json',
    ]),
  );
});

it.each(recorded)('the recorded journey %s replays without a determinism error', async (file) => {
  const history = historyFromFile(readFileSync(path.join(dir, file), 'utf8'));
  const results = Worker.runReplayHistories({ workflowBundle: workflowBundle() }, [
    { workflowId: `replay-${file}`, history },
  ]);
  for await (const result of results) expect(result.error).toBeUndefined();
});
