import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { CareConfig } from '../temporal.config';
import { EncryptionCodec, type EncryptionCodecOptions, type PayloadKey } from './payloadCodec';

/**
 * What every client and worker of this project converts payloads with (issue 14): the
 * encryption codec on the configured keys, and failures' messages encoded so the codec covers
 * them too. runtime/connection.ts gives it to the API's and the scripts' clients,
 * worker/createWorker.ts to the worker, test/support/ to the tests' clients and workers.
 */

/** The failure converter's module, for `dataConverter.failureConverterPath` and `bundleWorkflowCode`. */
export const failureConverterPath = require.resolve('./failureConverter');

/** The bundler options that put the failure converter into the workflow sandbox. */
export const workflowBundleDataConverter = { failureConverterPath } as const;

const developmentKeyFileSchema = (file: string, raw: unknown): { current: string; keys: PayloadKey[] } => {
  const data = raw as { current?: unknown; keys?: Record<string, unknown> };
  const keys = Object.entries(data?.keys ?? {}).map(([id, value]) => ({
    id,
    key: Buffer.from(typeof value === 'string' ? value : '', 'base64'),
  }));
  if (typeof data?.current !== 'string' || keys.length === 0) {
    throw new Error(
      `${file} is not a payload key file ({"current": id, "keys": {id: base64}}); delete it with .data/ to start afresh`,
    );
  }
  return { current: data.current, keys };
};

/**
 * The development key: generated once into the data directory (beside the dev server's SQLite
 * file, so it protects nothing there; it exists so `npm start` needs no setup) and kept, so
 * journeys survive restarts. Created exclusively: two processes starting together agree on one.
 */
export function developmentPayloadKeys(file: string): { current: string; keys: PayloadKey[] } {
  mkdirSync(path.dirname(file), { recursive: true });
  const id = `dev-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
  try {
    writeFileSync(
      file,
      `${JSON.stringify({ current: id, keys: { [id]: randomBytes(32).toString('base64') } }, null, 1)}\n`,
      { flag: 'wx', mode: 0o600 },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return developmentKeyFileSchema(file, JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * The codec on the configured keys (or the development key, only for the embedded dev server).
 * Plaintext payloads are refused unless CARE_PAYLOAD_ACCEPT_PLAINTEXT says otherwise (or
 * `options.plaintext`, for replaying histories recorded before encryption).
 */
export function payloadCodecFor(
  config: CareConfig,
  options: Pick<EncryptionCodecOptions, 'refused' | 'plaintext'> = {},
): EncryptionCodec {
  const codecOptions = { plaintext: config.plaintextPayloads, ...options };
  const keys = config.payloadKeys;
  if (keys.source === 'configured') return new EncryptionCodec(keys.keys, keys.currentKeyId, codecOptions);
  if (config.temporal.address) {
    // Every worker and API process must share the keys: a key made up per machine would leave
    // each unable to read the others' payloads.
    throw new Error(
      `CARE_PAYLOAD_KEYS is not set, but TEMPORAL_ADDRESS names a cluster (${config.temporal.address}): ` +
        'set the council’s payload keys (CARE_PAYLOAD_KEYS, CARE_PAYLOAD_KEY_CURRENT) on every worker and API process',
    );
  }
  const dev = developmentPayloadKeys(keys.developmentKeyFile);
  return new EncryptionCodec(dev.keys, dev.current, codecOptions);
}

/**
 * The data converter for clients: encrypted payloads, encoded failure messages. A payload that
 * is not encrypted under a configured key is refused with a PayloadDecryptionError.
 */
export function careDataConverter(config: CareConfig, codec = payloadCodecFor(config)): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}

/**
 * The data converter for workers (and replaying histories): as the clients', except that a payload
 * refused on its way into a workflow reaches it as the marker of workflows/refusedPayload.ts, which
 * the journey refuses without failing its workflow task (a decoding error there would fail the
 * task on every retry and replay, and leave the journey stuck).
 */
export function careWorkerDataConverter(
  config: CareConfig,
  options: Pick<EncryptionCodecOptions, 'plaintext'> = {},
): DataConverter {
  return careDataConverter(config, payloadCodecFor(config, { ...options, refused: 'markForWorkflow' }));
}
