import { webcrypto } from 'node:crypto';
import {
  METADATA_ENCODING_KEY,
  ValueError,
  defaultPayloadConverter,
  type Payload,
  type PayloadCodec,
  type SerializationContext,
} from '@temporalio/common';
import { decode as utf8Decode, encode as utf8Encode } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';
import { refusedPayload, type RefusedPayloadReason } from '../workflows/refusedPayload';

/**
 * The payload codec (issue 14): every payload a client or worker of this project sends to
 * Temporal — workflow input, events, query answers, activity arguments and results, memos,
 * failures' encoded messages and stack traces — is encrypted with AES-256-GCM before it leaves
 * the process, so the Temporal server (the dev server's SQLite file, a council's cluster,
 * Temporal Cloud) and any history export hold only ciphertext. Shape after Temporal's
 * TypeScript `encryption` sample.
 *
 * Several keys at once: the current one encrypts, every listed one decrypts, so a council
 * rotates keys without downtime (add the new key, make it current, keep the old one listed
 * while journeys encrypted under it live on). The key id travels in each payload's metadata.
 *
 * It refuses, on decode, every payload that is not encrypted and authenticated under a listed
 * key: plaintext, an unknown (or retired) key id, or a payload that fails AES-GCM's check. Only
 * the project's API and worker hold the keys, so only they can send a journey an event; a signal,
 * Update or start sent to Temporal directly with plaintext JSON (a plain client, `temporal
 * workflow signal`, the Web UI) never reaches the workflow as one (docs/securing-temporal.md).
 * Search attributes and headers never pass through a codec (the SDK skips them), so they need no
 * exception; a server-made failure (a timeout) carries no payload to decode.
 *
 * Pure: no configuration, no files; runtime/dataConverter.ts builds it from temporal.config.ts.
 */

/** The payload's encoding once encrypted (Temporal's convention, shared with its samples). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload was encrypted under. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BITS = 128;
const KEY_BYTES = 32; // AES-256

export interface PayloadKey {
  /** a short name, e.g. "2026-04"; it is written into every payload, so never reuse one for another key */
  id: string;
  /** 32 random bytes */
  key: Uint8Array;
}

/**
 * A payload refused: not encrypted, under a key the codec was not given, or one that does not
 * decrypt. The message says which and why (never what the payload holds).
 */
export class PayloadDecryptionError extends ValueError {
  override name = 'PayloadDecryptionError';
  constructor(
    message: string,
    readonly reason: RefusedPayloadReason,
  ) {
    super(message);
  }
}

export interface EncryptionCodecOptions {
  /**
   * Payloads that were never encrypted: 'refuse' (the default) or 'accept' (passed through
   * unchanged). 'accept' only while journeys started before encryption was switched on still run
   * (CARE_PAYLOAD_ACCEPT_PLAINTEXT), and to replay histories recorded before it.
   */
  plaintext?: 'refuse' | 'accept';
  /**
   * How a refused payload is answered: 'throw' (clients, the codec server: the caller gets the
   * error), or 'markForWorkflow' (the worker): a payload decoded for a workflow (its input, a
   * signal's or an Update's argument) becomes the marker of workflows/refusedPayload.ts, which
   * the workflow refuses without failing its task; an activity's payloads still throw.
   */
  refused?: 'throw' | 'markForWorkflow';
}

export class EncryptionCodec implements PayloadCodec {
  private readonly keys = new Map<string, Promise<webcrypto.CryptoKey>>();

  /**
   * @param keys every key that may decrypt (at least the current one)
   * @param currentKeyId the key new payloads are encrypted under
   */
  readonly plaintext: 'refuse' | 'accept';
  readonly refused: 'throw' | 'markForWorkflow';

  constructor(
    keys: readonly PayloadKey[],
    readonly currentKeyId: string,
    options: EncryptionCodecOptions = {},
  ) {
    this.plaintext = options.plaintext ?? 'refuse';
    this.refused = options.refused ?? 'throw';
    for (const { id, key } of keys) {
      if (key.byteLength !== KEY_BYTES) {
        throw new ValueError(`payload key "${id}" is ${key.byteLength} bytes; AES-256 needs ${KEY_BYTES}`);
      }
      if (this.keys.has(id)) throw new ValueError(`payload key "${id}" is listed twice`);
      // imported lazily and once, so building the codec stays synchronous
      this.keys.set(
        id,
        webcrypto.subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']),
      );
    }
    if (!this.keys.has(currentKeyId)) {
      throw new ValueError(
        `the current payload key "${currentKeyId}" is not among the keys given (${this.keyIds().join(', ')})`,
      );
    }
  }

  /** The ids of the keys this codec can decrypt with. */
  keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.currentKeyId;
    const key = await this.keys.get(keyId)!;
    return Promise.all(
      payloads.map(async (payload) => {
        // the whole payload, its own metadata (encoding: json/plain, …) included
        const plain = temporal.api.common.v1.Payload.encode(payload).finish();
        const iv = webcrypto.getRandomValues(new Uint8Array(IV_BYTES));
        // the key id is authenticated too: a payload relabelled with another key id fails to decrypt
        const sealed = await webcrypto.subtle.encrypt(
          { name: 'AES-GCM', iv, tagLength: TAG_BITS, additionalData: utf8Encode(keyId) },
          key,
          plain,
        );
        return {
          metadata: {
            [METADATA_ENCODING_KEY]: utf8Encode(ENCRYPTED_ENCODING),
            [KEY_ID_METADATA]: utf8Encode(keyId),
          },
          data: Buffer.concat([iv, new Uint8Array(sealed)]),
        };
      }),
    );
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        try {
          return await this.decodeOne(payload);
        } catch (err) {
          if (
            err instanceof PayloadDecryptionError &&
            this.refused === 'markForWorkflow' &&
            context?.type === 'workflow'
          ) {
            return defaultPayloadConverter.toPayload(refusedPayload(err.reason, err.message));
          }
          throw err;
        }
      }),
    );
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || utf8Decode(encoding) !== ENCRYPTED_ENCODING) {
      // Histories from before encryption was switched on, only when configured so.
      if (this.plaintext === 'accept') return payload;
      throw new PayloadDecryptionError(
        `a payload is not encrypted (encoding "${encoding ? utf8Decode(encoding) : 'none'}", not ` +
          `"${ENCRYPTED_ENCODING}"): it was not sent by care-journeys' API or worker, which encrypt ` +
          'every payload under a configured payload key, so it is refused',
        'plaintext',
      );
    }
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!keyIdBytes) {
      throw new PayloadDecryptionError(
        `an encrypted payload has no "${KEY_ID_METADATA}" metadata, so no key can be chosen to decrypt it`,
        'unknownKey',
      );
    }
    const keyId = utf8Decode(keyIdBytes);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted under key "${keyId}", which is not among the configured payload keys ` +
          `(${this.keyIds().join(', ')}): list it again in CARE_PAYLOAD_KEYS to read it`,
        'unknownKey',
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.byteLength < IV_BYTES + TAG_BITS / 8) {
      throw new PayloadDecryptionError(
        `an encrypted payload (key "${keyId}") is too short to be one`,
        'notAuthentic',
      );
    }
    let plain: ArrayBuffer;
    try {
      plain = await webcrypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: data.subarray(0, IV_BYTES),
          tagLength: TAG_BITS,
          additionalData: keyIdBytes,
        },
        await key,
        data.subarray(IV_BYTES),
      );
    } catch {
      throw new PayloadDecryptionError(
        `a payload encrypted under key "${keyId}" does not decrypt: it was altered, or key "${keyId}" ` +
          'is not the key it was encrypted with',
        'notAuthentic',
      );
    }
    return temporal.api.common.v1.Payload.decode(new Uint8Array(plain));
  }
}

/**
 * Payloads in Temporal's codec-server JSON (what the Web UI and `temporal … --codec-endpoint`
 * send to /encode and /decode): metadata values and data in base64.
 */
export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]): [string, Uint8Array] => [k, Buffer.from(v, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function payloadToJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]): [string, string] => [
        k,
        Buffer.from(v).toString('base64'),
      ]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}
