import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decode as utf8Decode } from '@temporalio/common/lib/encoding';
import { failureConverter } from '../../runtime/failureConverter';
import { payloadCodecFor } from '../../runtime/dataConverter';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  payloadFromJson,
  payloadToJson,
} from '../../runtime/payloadCodec';
import { ConfigError, loadConfig } from '../../temporal.config';
import { refusedPayloadOf } from '../../workflows/refusedPayload';

/**
 * The payload codec (issue 14 point 1) on its own: AES-256-GCM with a key id in each payload's
 * metadata; the current key encrypts and every listed key decrypts.
 */

const keyA = { id: 'key-a', key: randomBytes(32) };
const keyB = { id: 'key-b', key: randomBytes(32) };
const secret = 'Mrs Example has early-onset dementia and lives at 1 Sample Street';
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (payload: Payload) => Buffer.from(payload.data ?? []).toString('latin1');
const metadataText = (payload: Payload) =>
  Object.values(payload.metadata ?? {})
    .map((v) => Buffer.from(v).toString('latin1'))
    .join(' ');

describe('the encryption codec', () => {
  it('round-trips payloads, and what it writes holds neither the value nor its encoding', async () => {
    const codec = new EncryptionCodec([keyA], 'key-a');
    const original = [payloadOf({ summary: secret }), payloadOf(['a', 1]), payloadOf(undefined)];
    const encoded = await codec.encode(original);
    for (const payload of encoded) {
      expect(utf8Decode(payload.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
      expect(utf8Decode(payload.metadata![KEY_ID_METADATA]!)).toBe('key-a');
      expect(text(payload)).not.toContain('Sample Street');
      expect(metadataText(payload)).not.toContain('json/plain');
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      { summary: secret },
      ['a', 1],
      undefined,
    ]);
  });

  it('encrypts the same value differently each time (a fresh IV per payload)', async () => {
    const codec = new EncryptionCodec([keyA], 'key-a');
    const [one, two] = await codec.encode([payloadOf(secret), payloadOf(secret)]);
    expect(Buffer.from(one!.data!).equals(Buffer.from(two!.data!))).toBe(false);
  });

  it('detects tampering: a changed byte, or a payload relabelled with another key id', async () => {
    const codec = new EncryptionCodec([keyA, keyB], 'key-a');
    const [payload] = await codec.encode([payloadOf(secret)]);
    const flipped = Buffer.from(payload!.data!);
    flipped[20] = flipped[20]! ^ 0x01;
    await expect(codec.decode([{ ...payload!, data: flipped }])).rejects.toThrow(
      /encrypted under key "key-a" does not decrypt: it was altered/,
    );
    const relabelled = {
      ...payload!,
      metadata: { ...payload!.metadata, [KEY_ID_METADATA]: Buffer.from('key-b') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
  });

  it('refuses a payload under a key it was not given, naming the key and the fix', async () => {
    const [payload] = await new EncryptionCodec([keyA], 'key-a').encode([payloadOf(secret)]);
    const other = new EncryptionCodec([keyB], 'key-b');
    await expect(other.decode([payload!])).rejects.toThrow(
      'a payload is encrypted under key "key-a", which is not among the configured payload keys (key-b): list it again in CARE_PAYLOAD_KEYS to read it',
    );
  });

  it('rotation: payloads under the old key decode once the new key is current and the old still listed', async () => {
    const before = new EncryptionCodec([keyA], 'key-a');
    const [old] = await before.encode([payloadOf(secret)]);
    const after = new EncryptionCodec([keyA, keyB], 'key-b');
    const [fresh] = await after.encode([payloadOf('new')]);
    expect(utf8Decode(fresh!.metadata![KEY_ID_METADATA]!)).toBe('key-b');
    const decoded = await after.decode([old!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, 'new']);
    // and once the old key is dropped, the old payload is unreadable, with the reason
    await expect(new EncryptionCodec([keyB], 'key-b').decode([old!])).rejects.toThrow(/key "key-a"/);
  });

  it('refuses a payload that was never encrypted: only the key holders (the API, the worker) can send one', async () => {
    const codec = new EncryptionCodec([keyA], 'key-a');
    const plain = payloadOf({ type: 'TRIAGED', actor: { userId: 'someone.else', role: 'manager' } });
    await expect(codec.decode([plain])).rejects.toThrow(
      'a payload is not encrypted (encoding "json/plain", not "binary/encrypted"): it was not sent by ' +
        "care-journeys' API or worker, which encrypt every payload under a configured payload key, so it is refused",
    );
    await expect(codec.decode([{ metadata: {}, data: Buffer.from('{}') }])).rejects.toMatchObject({
      reason: 'plaintext',
    });
    // one refused payload refuses the lot: an event cannot ride beside a genuine one
    const [genuine] = await codec.encode([payloadOf('genuine')]);
    await expect(codec.decode([genuine!, plain])).rejects.toThrow(PayloadDecryptionError);
  });

  it('passes plaintext through only when told to (journeys started before encryption; CARE_PAYLOAD_ACCEPT_PLAINTEXT)', async () => {
    const codec = new EncryptionCodec([keyA], 'key-a', { plaintext: 'accept' });
    const plain = payloadOf({ summary: 'old' });
    expect(await codec.decode([plain])).toEqual([plain]);
    const config = (accept?: string) =>
      loadConfig({
        CARE_PAYLOAD_KEYS: `key-a:${keyA.key.toString('base64')}`,
        ...(accept ? { CARE_PAYLOAD_ACCEPT_PLAINTEXT: accept } : {}),
      });
    expect(payloadCodecFor(config()).plaintext).toBe('refuse');
    expect(payloadCodecFor(config('false')).plaintext).toBe('refuse');
    expect(payloadCodecFor(config('true')).plaintext).toBe('accept');
    await expect(payloadCodecFor(config()).decode([plain])).rejects.toThrow(/not encrypted/);
  });

  it("in the worker, a payload refused on its way into a workflow becomes the codec's mark (never its content), the reason kept", async () => {
    const codec = new EncryptionCodec([keyA, keyB], 'key-a', { refused: 'markForWorkflow' });
    const workflow = { type: 'workflow', namespace: 'default', workflowId: 'journey-P-1' } as const;
    const [underB] = await new EncryptionCodec([keyB], 'key-b').encode([payloadOf(secret)]);
    const [underC] = await new EncryptionCodec([{ id: 'key-c', key: randomBytes(32) }], 'key-c').encode([
      payloadOf(secret),
    ]);
    const forged = { ...underB!, data: Buffer.from(underB!.data!).fill(7, 20, 21) };
    const decoded = await codec.decode([payloadOf({ summary: secret }), underC!, forged, underB!], workflow);
    const values = decoded.map((p) => defaultPayloadConverter.fromPayload(p));
    expect(
      values
        .slice(0, 3)
        .map(refusedPayloadOf)
        .map((m) => m?.reason),
    ).toEqual(['plaintext', 'unknownKey', 'notAuthentic']);
    expect(JSON.stringify(values.slice(0, 3))).not.toContain('Sample Street');
    expect(values[3]).toBe(secret); // a genuine payload beside them decodes as ever
    // an activity's payloads are refused with the error (no activity runs on a mark)
    await expect(
      codec.decode([payloadOf(secret)], { type: 'activity', namespace: 'default', isLocal: false }),
    ).rejects.toThrow(PayloadDecryptionError);
    // and a client (no marks) gets the error
    await expect(new EncryptionCodec([keyA], 'key-a').decode([payloadOf(secret)], workflow)).rejects.toThrow(
      /not encrypted/,
    );
  });

  it('refuses a key of the wrong length and a current key it was not given', () => {
    expect(() => new EncryptionCodec([{ id: 'short', key: randomBytes(16) }], 'short')).toThrow(
      'payload key "short" is 16 bytes; AES-256 needs 32',
    );
    expect(() => new EncryptionCodec([keyA], 'key-b')).toThrow(/current payload key "key-b" is not among/);
  });

  it("converts to and from the codec server's JSON (base64 metadata and data)", async () => {
    const [payload] = await new EncryptionCodec([keyA], 'key-a').encode([payloadOf(secret)]);
    const json = payloadToJson(payload!);
    expect(json.metadata![KEY_ID_METADATA]).toBe(Buffer.from('key-a').toString('base64'));
    const back = payloadFromJson(JSON.parse(JSON.stringify(json)));
    expect(Buffer.from(back.data!).equals(Buffer.from(payload!.data!))).toBe(true);
  });
});

describe('failures', () => {
  it('keep their message and stack trace in an encoded attribute the codec encrypts, not in plaintext', async () => {
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.create({ message: `letter to ${secret} failed` }),
      defaultPayloadConverter,
    );
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    const [encoded] = await new EncryptionCodec([keyA], 'key-a').encode([failure.encodedAttributes!]);
    expect(text(encoded!)).not.toContain('Sample Street');
    const [decoded] = await new EncryptionCodec([keyA], 'key-a').decode([encoded!]);
    const back = failureConverter.failureToError(
      { ...failure, encodedAttributes: decoded },
      defaultPayloadConverter,
    );
    expect(back.message).toBe(`letter to ${secret} failed`);
  });
});

describe('the keys from configuration', () => {
  const a64 = keyA.key.toString('base64');
  const b64 = keyB.key.toString('base64');

  it('reads an id:base64 list and a JSON object; the current one must be named among several', () => {
    const list = loadConfig({
      CARE_PAYLOAD_KEYS: `key-a:${a64}, key-b:${b64}`,
      CARE_PAYLOAD_KEY_CURRENT: 'key-b',
    });
    expect(list.payloadKeys).toEqual({
      source: 'configured',
      keys: [
        { id: 'key-a', key: keyA.key },
        { id: 'key-b', key: keyB.key },
      ],
      currentKeyId: 'key-b',
    });
    const json = loadConfig({ CARE_PAYLOAD_KEYS: JSON.stringify({ 'key-a': a64 }) });
    expect(json.payloadKeys).toMatchObject({ source: 'configured', currentKeyId: 'key-a' });
    expect(() => loadConfig({ CARE_PAYLOAD_KEYS: `key-a:${a64},key-b:${b64}` })).toThrow(
      'CARE_PAYLOAD_KEY_CURRENT: with several payload keys (key-a, key-b), name the one that encrypts',
    );
    expect(() =>
      loadConfig({ CARE_PAYLOAD_KEYS: `key-a:${a64}`, CARE_PAYLOAD_KEY_CURRENT: 'key-c' }),
    ).toThrow('CARE_PAYLOAD_KEY_CURRENT: "key-c" is not one of CARE_PAYLOAD_KEYS (key-a)');
  });

  it('refuses a key that is not 32 bytes of base64, a repeated id and a bad id, saying how to make one', () => {
    expect(() => loadConfig({ CARE_PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /key "k1" must be 32 random bytes in base64 .*openssl rand -base64 32/,
    );
    expect(() =>
      loadConfig({ CARE_PAYLOAD_KEYS: `k1:${a64},k1:${b64}`, CARE_PAYLOAD_KEY_CURRENT: 'k1' }),
    ).toThrow('key id "k1" is listed twice');
    expect(() => loadConfig({ CARE_PAYLOAD_KEYS: `bad id:${a64}` })).toThrow(/key id "bad id" must be/);
    expect(() => loadConfig({ CARE_PAYLOAD_KEYS: 'no-colon' })).toThrow(ConfigError);
  });

  it('without keys: a development key generated once under the data directory and kept (npm start needs nothing)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'care-payload-keys-'));
    const config = loadConfig({ CARE_DATA_DIR: dataDir });
    expect(config.payloadKeys).toEqual({
      source: 'development',
      developmentKeyFile: path.join(dataDir, 'payload-keys.json'),
    });
    const first = payloadCodecFor(config);
    const file = path.join(dataDir, 'payload-keys.json');
    expect(statSync(file).mode & 0o077).toBe(0); // readable by its owner only
    const [payload] = await first.encode([payloadOf(secret)]);
    const again = payloadCodecFor(loadConfig({ CARE_DATA_DIR: dataDir }));
    expect(again.currentKeyId).toBe(first.currentKeyId);
    expect(JSON.parse(readFileSync(file, 'utf8')).current).toBe(first.currentKeyId);
    expect(defaultPayloadConverter.fromPayload((await again.decode([payload!]))[0]!)).toBe(secret);
  });

  it('against a cluster (TEMPORAL_ADDRESS) the keys must be configured: no key is made up per machine', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.org:7233', CARE_DATA_DIR: tmpdir() });
    expect(() => payloadCodecFor(config)).toThrow(
      /CARE_PAYLOAD_KEYS is not set, but TEMPORAL_ADDRESS names a cluster/,
    );
  });
});
