import type { JourneyEvent } from '../machines/events';

/**
 * R-TIM-3: an eventId names one event. What the journey remembers of each event it applied, to
 * tell a resend (same content: applied once) from a different event under the same id (a
 * conflict). Pure and deterministic — workflow code has no node:crypto — so a small FNV-1a hash
 * over the event's canonical JSON (keys sorted) stands for its content.
 *
 * The content is everything but `eventId` (the same, by definition) and `actor`: the actor is
 * whoever delivered it (the API sets it from the token), not what happened, so the same event
 * resent through another integration's token is still the same event. The event is the parsed
 * one, with the catalogue's defaults filled in, so leaving out a defaulted field changes nothing.
 */

/** What an eventId was used for: "ASSESSMENT_STARTED@2026-03-04T10:00:00.000Z#<16 hex digits>". */
export type EventFingerprint = string;

export interface FingerprintParts {
  type: string;
  occurredAt: string;
  /** the hash of the payload (everything but the envelope) */
  payload: string;
}

export function fingerprintOf(event: JourneyEvent): EventFingerprint {
  const { eventId: _eventId, actor: _actor, type, occurredAt, ...payload } = event;
  return `${type}@${occurredAt}#${fnv1a64(canonicalJson(payload))}`;
}

export function partsOf(fingerprint: EventFingerprint): FingerprintParts {
  const at = fingerprint.indexOf('@');
  const hash = fingerprint.lastIndexOf('#');
  return {
    type: fingerprint.slice(0, at),
    occurredAt: fingerprint.slice(at + 1, hash),
    payload: fingerprint.slice(hash + 1),
  };
}

/** JSON with every object's keys sorted, so the same content always reads the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of `text`, as 16 hex digits. The 64-bit state is kept in
 * four 16-bit limbs so every step is exact in doubles (no BigInt needed, and fast).
 * Prime 2^40 + 0x1b3: h × prime = h × 0x1b3 + (h << 40).
 */
export function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325, low limb first
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const step = (byte: number) => {
    h0 ^= byte;
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (t1 >>> 16) + (h0 << 8);
    const t3 = h3 * 0x1b3 + (t2 >>> 16) + (h1 << 8);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.codePointAt(i) as number;
    if (code > 0xffff) i++; // the second half of a surrogate pair
    if (code < 0x80) step(code);
    else if (code < 0x800) {
      step(0xc0 | (code >> 6));
      step(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      // a lone surrogate is hashed as U+FFFD, as TextEncoder would encode it
      if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
      step(0xe0 | (code >> 12));
      step(0x80 | ((code >> 6) & 0x3f));
      step(0x80 | (code & 0x3f));
    } else {
      step(0xf0 | (code >> 18));
      step(0x80 | ((code >> 12) & 0x3f));
      step(0x80 | ((code >> 6) & 0x3f));
      step(0x80 | (code & 0x3f));
    }
  }
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
