/**
 * What a journey receives in place of a payload the worker's codec refused (runtime/payloadCodec.ts):
 * one that was not encrypted, was under a key not listed in CARE_PAYLOAD_KEYS, or did not
 * authenticate. Only the project's API and worker hold the keys, so such a payload was sent to
 * Temporal directly (a plain client, the CLI, the Web UI) by someone who is not the API: it must
 * never become an event, whoever it claims is acting.
 *
 * The codec cannot simply throw for it: a decoding error fails the whole workflow task, and a
 * signal stays in history, so every retry and every replay would fail on it again and the journey
 * would be stuck for good. So the codec hands the workflow this marker, and the workflow refuses
 * it: an Update is rejected (its validator throws, so nothing enters history), a signal is
 * dropped without touching the journey, a start fails the run. The marker can only come from the
 * codec: a payload sent as plaintext is itself refused, and only the key holders can encrypt.
 *
 * Imported inside the workflow sandbox: no imports.
 */

export const REFUSED_PAYLOAD_FIELD = '$careRefusedPayload';

/** plaintext: never encrypted; unknownKey: under a key id not listed; notAuthentic: altered, or forged under a listed id */
export type RefusedPayloadReason = 'plaintext' | 'unknownKey' | 'notAuthentic';

export interface RefusedPayloadMark {
  reason: RefusedPayloadReason;
  /** the codec's words: what was wrong, never the payload's content */
  message: string;
}

export type RefusedPayload = { [REFUSED_PAYLOAD_FIELD]: RefusedPayloadMark };

export function refusedPayload(reason: RefusedPayloadReason, message: string): RefusedPayload {
  return { [REFUSED_PAYLOAD_FIELD]: { reason, message } };
}

/** The codec's mark, if this argument is a refused payload. */
export function refusedPayloadOf(value: unknown): RefusedPayloadMark | undefined {
  if (typeof value !== 'object' || value === null || !(REFUSED_PAYLOAD_FIELD in value)) return undefined;
  const mark = (value as RefusedPayload)[REFUSED_PAYLOAD_FIELD];
  return typeof mark === 'object' && mark !== null && typeof mark.message === 'string'
    ? mark
    : { reason: 'notAuthentic', message: 'a refused payload' };
}

/** ApplicationFailure type of an Update or a start refused for its payload. */
export const REFUSED_PAYLOAD_FAILURE_TYPE = 'PayloadRefused';
