import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Field-level encryption in the case-event store (issue 26): the person record's NHS number and
 * special-category fields are encrypted one by one before they are written, so the store's files,
 * its backups and anyone reading its tables see only ciphertext; and a blind index (a keyed HMAC)
 * lets search find an NHS number without the number being stored readable.
 *
 * The keys are the council's payload keys (CARE_PAYLOAD_KEYS, runtime/payloadCodec.ts), with their
 * ids: the current key seals, every listed key opens, so the keys rotate as the payloads' do. Each
 * payload key is not used as it is: HKDF-SHA256 derives from it one key to encrypt fields and
 * another for the blind index, so no key does two jobs.
 *
 * A sealed value is `f1:<key id>:<base64url of IV, ciphertext and tag>` (AES-256-GCM, a fresh
 * 12-byte IV each time). What it is (the person, the field) is authenticated with it, so a value
 * copied to another person's row or another field does not open. A blind index is
 * `<key id>:<base64url of HMAC-SHA256, first 16 bytes>`.
 */

export interface FieldKey {
  /** the payload key's id, e.g. "2026-10" (never reused for another key) */
  id: string;
  /** 32 random bytes */
  key: Uint8Array;
}

/** A sealed value that cannot be opened: its key is not listed, or it was altered. Says which, never the value. */
export class FieldDecryptionError extends Error {
  override name = 'FieldDecryptionError';
}

const FORMAT = 'f1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const INDEX_BYTES = 16;
const SALT = Buffer.from('care-journeys case-event store', 'utf8');

const derive = (key: Uint8Array, purpose: string) =>
  Buffer.from(hkdfSync('sha256', key, SALT, Buffer.from(purpose, 'utf8'), 32));

export class FieldSealer {
  private readonly sealing = new Map<string, Buffer>();
  private readonly indexing = new Map<string, Buffer>();

  constructor(
    keys: readonly FieldKey[],
    readonly currentKeyId: string,
  ) {
    for (const { id, key } of keys) {
      if (key.byteLength !== 32)
        throw new Error(`payload key "${id}" is ${key.byteLength} bytes; AES-256 needs 32`);
      if (this.sealing.has(id)) throw new Error(`payload key "${id}" is listed twice`);
      this.sealing.set(id, derive(key, 'person record: field encryption (AES-256-GCM)'));
      this.indexing.set(id, derive(key, 'person record: blind index (HMAC-SHA256)'));
    }
    if (!this.sealing.has(currentKeyId))
      throw new Error(
        `the current payload key "${currentKeyId}" is not among the keys given (${this.keyIds().join(', ')})`,
      );
  }

  keyIds(): string[] {
    return [...this.sealing.keys()];
  }

  /** `plain` encrypted under the current key, bound to `context` (the person and the field). */
  seal(plain: string, context: string): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealing.get(keyId)!, iv);
    cipher.setAAD(Buffer.from(`${keyId}\n${context}`, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${FORMAT}:${keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The key id a sealed value was sealed under. */
  keyIdOf(sealed: string): string {
    const [format, keyId] = sealed.split(':');
    if (format !== FORMAT || !keyId)
      throw new FieldDecryptionError('a sealed field is not in the form f1:<key id>:<data>');
    return keyId;
  }

  open(sealed: string, context: string): string {
    const keyId = this.keyIdOf(sealed);
    const key = this.sealing.get(keyId);
    if (!key)
      throw new FieldDecryptionError(
        `a field of the person record is encrypted under payload key "${keyId}", which is not among the ` +
          `configured keys (${this.keyIds().join(', ')}): list it again in CARE_PAYLOAD_KEYS to read it`,
      );
    const data = Buffer.from(sealed.slice(FORMAT.length + keyId.length + 2), 'base64url');
    if (data.byteLength < IV_BYTES + TAG_BYTES)
      throw new FieldDecryptionError(`a sealed field (key "${keyId}") is too short to be one`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${keyId}\n${context}`, 'utf8'));
      decipher.setAuthTag(data.subarray(data.byteLength - TAG_BYTES));
      return Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.byteLength - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new FieldDecryptionError(
        `a field of the person record (key "${keyId}") does not decrypt: it was altered, or moved from another person or field`,
      );
    }
  }

  private index(keyId: string, value: string, purpose: string): string {
    const mac = createHmac('sha256', this.indexing.get(keyId)!)
      .update(`${purpose}\n${value}`, 'utf8')
      .digest()
      .subarray(0, INDEX_BYTES);
    return `${keyId}:${mac.toString('base64url')}`;
  }

  /** The blind index written with a value: under the current key. */
  blindIndex(value: string, purpose: string): string {
    return this.index(this.currentKeyId, value, purpose);
  }

  /** What a search for `value` looks for: its blind index under every listed key (rows not yet resealed). */
  blindIndexes(value: string, purpose: string): string[] {
    return this.keyIds().map((keyId) => this.index(keyId, value, purpose));
  }
}
