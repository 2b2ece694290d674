import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { careWorkerDataConverter } from '../../runtime/dataConverter';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../runtime/payloadCodec';
import { loadConfig } from '../../temporal.config';
import { historyFromFile } from '../histories/historyFile';
import { TEST_ONLY_PAYLOAD_KEY_ID, testPayloadKeySettings } from '../support/testPayloadKeys';
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
      'everyRoad.json',
      'before-national-scale-costs/reviews.json',
      'before-national-scale-costs/everyRoad.json',
      'before-rules-edition-5/reviews.json',
      'before-rules-edition-5/ending.json',
      'before-continue-as-new-every-two-years/reviews.json',
      'before-case-record-by-local-activity/reviews.json',
      'before-search-attributes-seeded-from-run/reviews.json',
      'before-rules-edition-3/reassessment.json',
      'before-rules-edition-2/reviews.json',
      'before-one-timer-per-wake-time/reviews.json',
      'encrypted/emergency.json',
      'encrypted/concerns.json',
    ]),
  );
});

/**
 * Histories are recorded with payloads encrypted (issue 14) under the checked-in test key, and
 * replayed as production replays them: the replay worker's codec decrypts each payload, and
 * refuses any that was not encrypted. Histories recorded before encryption are replayed as a
 * council's worker replays its journeys started before encryption, with
 * CARE_PAYLOAD_ACCEPT_PLAINTEXT=true (docs/securing-temporal.md): only those pass plaintext through.
 */
const config = loadConfig({ ...process.env, ...testPayloadKeySettings });
const dataConverter = careWorkerDataConverter(config);
const beforeEncryptionDataConverter = careWorkerDataConverter(
  loadConfig({ ...process.env, ...testPayloadKeySettings, CARE_PAYLOAD_ACCEPT_PLAINTEXT: 'true' }),
);
const startInputEncoding = (file: string) => {
  const history = historyFromFile(readFileSync(path.join(dir, file), 'utf8'));
  const input = history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  return Buffer.from(input.metadata![METADATA_ENCODING_KEY] ?? []).toString();
};
const recordedBeforeEncryption = recorded.filter((f) => startInputEncoding(f) !== ENCRYPTED_ENCODING);

it('the histories recorded before encryption are those of the editions before it, and only they', () => {
  expect(recordedBeforeEncryption.map((f) => path.dirname(f)).sort()).toEqual(
    expect.arrayContaining(['before-rules-edition-2', 'before-rules-edition-3']),
  );
  for (const file of recorded.filter((f) => !f.startsWith('before-'))) {
    expect([file, startInputEncoding(file)]).toEqual([file, ENCRYPTED_ENCODING]);
  }
});

it('the histories in encrypted/ are encrypted, under the test key', () => {
  for (const file of recorded.filter((f) => f.startsWith('encrypted/'))) {
    const history = historyFromFile(readFileSync(path.join(dir, file), 'utf8'));
    const input = history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
    expect([file, text(input.metadata![METADATA_ENCODING_KEY])]).toEqual([file, ENCRYPTED_ENCODING]);
    expect([file, text(input.metadata![KEY_ID_METADATA])]).toEqual([file, TEST_ONLY_PAYLOAD_KEY_ID]);
    expect([file, text(input.data)]).not.toEqual([file, expect.stringContaining('personId')]);
  }
});

it.each(recorded)('the recorded journey %s replays without a determinism error', async (file) => {
  const history = historyFromFile(readFileSync(path.join(dir, file), 'utf8'));
  const results = Worker.runReplayHistories(
    {
      workflowBundle: workflowBundle(),
      dataConverter: recordedBeforeEncryption.includes(file) ? beforeEncryptionDataConverter : dataConverter,
    },
    [{ workflowId: `replay-${file}`, history }],
  );
  for await (const result of results) expect(result.error).toBeUndefined();
});

it('a history recorded before encryption does not replay with plaintext refused (the setting is what lets it)', async () => {
  const file = recordedBeforeEncryption[0]!;
  const history = historyFromFile(readFileSync(path.join(dir, file), 'utf8'));
  const results = Worker.runReplayHistories({ workflowBundle: workflowBundle(), dataConverter }, [
    { workflowId: `replay-refused-${file}`, history },
  ]);
  const errors: unknown[] = [];
  for await (const result of results) errors.push(result.error);
  expect(errors).toEqual([expect.anything()]);
});
