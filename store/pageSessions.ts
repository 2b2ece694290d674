import { createHash } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Queryable } from './database';

/**
 * The operations pages' sessions in the case-event store (table page_sessions, migration 0006), as
 * a store for @fastify/session: `set(sessionId, session, callback)`, `get(sessionId, callback)` and
 * `destroy(sessionId, callback)`, the interface it shares with express-session's stores. Every API
 * instance on the same database shares them, so a person stays signed in whichever instance a
 * request lands on, and signing out on one signs out on all.
 *
 * - **Keyed by a hash.** A row's key is the SHA-256 of the session id. The browser's cookie holds
 *   the id, signed with CARE_SESSION_SECRET; the table never holds it, so someone who can read the
 *   database (or a backup) cannot make a cookie for a live session even with the secret.
 * - **Encrypted.** The session (who signed in, their token, a sign-in in progress, the CSRF secret)
 *   is encrypted with the payload codec under CARE_PAYLOAD_KEYS (AES-256-GCM), with the row's key
 *   inside, so a session copied to another row is refused. A session that does not decrypt (a key
 *   no longer listed, a changed row) is no session: the person signs in again.
 * - **Expiry.** Each row has the session's expiry (its cookie's); a row past it is never read.
 * - **Ended for good.** Destroying a session (signing out, a new id on signing in) empties its row
 *   rather than removing it, and a save never refills an emptied row: a request still running on
 *   another instance with the old session cannot sign the person back in when it finishes.
 * - **Removed when expired**, emptied rows too: a write deletes every row past its expiry, at most
 *   once every `sweepEveryMs` (default 10 minutes) per process, through the index on expires_at.
 *   No timer: a process that serves no pages writes nothing and removes nothing, and whichever
 *   instance next saves a session catches up.
 */

export interface PageSessionStoreOptions {
  /** encrypts each session: the payload codec on CARE_PAYLOAD_KEYS (runtime/dataConverter.ts) */
  codec: PayloadCodec;
  /** ms since the epoch (the tests move it on); default Date.now */
  now?: () => number;
  /** how long a session whose cookie has no expiry lasts, in ms (default 8 hours) */
  defaultLifetimeMs?: number;
  /** the least time between two removals of expired rows, in ms (default 10 minutes) */
  sweepEveryMs?: number;
}

type Done = (err?: unknown) => void;

/** A row's key: the session id itself never reaches the database. */
export const sessionKeyOf = (sessionId: string): string =>
  createHash('sha256').update(sessionId, 'utf8').digest('hex');

const base64 = (bytes: Uint8Array | null | undefined) =>
  Buffer.from(bytes ?? new Uint8Array()).toString('base64');
const bytes = (text: unknown) =>
  typeof text === 'string' ? new Uint8Array(Buffer.from(text, 'base64')) : new Uint8Array();

/** The sealed session as kept in the jsonb column. */
interface Sealed {
  encrypted: { metadata: Record<string, string>; data: string };
}

/**
 * `S`: what @fastify/session hands a store and gets back (its Session: a JSON-able object with its
 * `cookie`); what is read back is what was written, through JSON.
 */
export class PageSessionStore<S extends object = Record<string, unknown>> {
  private readonly now: () => number;
  private readonly defaultLifetimeMs: number;
  private readonly sweepEveryMs: number;
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Queryable,
    private readonly options: PageSessionStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.defaultLifetimeMs = options.defaultLifetimeMs ?? 8 * 3_600_000;
    this.sweepEveryMs = options.sweepEveryMs ?? 10 * 60_000;
  }

  // ---- @fastify/session's interface (callbacks) ------------------------------------------
  set(sessionId: string, session: S, callback: Done): void {
    this.save(sessionId, session).then(() => callback(), callback);
  }

  get(sessionId: string, callback: (err: unknown, session?: S | null) => void): void {
    this.load(sessionId).then(
      (session) => callback(null, session ?? null),
      (err: unknown) => callback(err),
    );
  }

  destroy(sessionId: string, callback: Done): void {
    this.end(sessionId).then(() => callback(), callback);
  }

  // ---- The same, as promises ---------------------------------------------------------------
  /** The session, unless there is none, it has ended or expired, or it does not decrypt. */
  async load(sessionId: string): Promise<S | undefined> {
    const key = sessionKeyOf(sessionId);
    const { rows } = await this.db.query<{ session: unknown }>(
      `SELECT session FROM page_sessions
       WHERE session_key = $1 AND session IS NOT NULL AND expires_at > $2`,
      [key, new Date(this.now()).toISOString()],
    );
    const row = rows[0];
    return row ? this.open(key, row.session) : undefined;
  }

  /** Writes the session (until its cookie's expiry); an ended session stays ended. */
  async save(sessionId: string, session: S): Promise<void> {
    const key = sessionKeyOf(sessionId);
    await this.db.query(
      `INSERT INTO page_sessions (session_key, session, expires_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (session_key) DO UPDATE SET session = EXCLUDED.session, expires_at = EXCLUDED.expires_at
       WHERE page_sessions.session IS NOT NULL`,
      [key, JSON.stringify(await this.seal(key, session)), this.expiryOf(session).toISOString()],
    );
    if (this.now() - this.lastSweepAt >= this.sweepEveryMs) {
      // a failed removal is tried again on a later write; it never fails this one
      await this.sweep().catch(() => undefined);
    }
  }

  /** Ends the session: its row is emptied (and removed once past its expiry). */
  async end(sessionId: string): Promise<void> {
    await this.db.query('UPDATE page_sessions SET session = NULL WHERE session_key = $1', [
      sessionKeyOf(sessionId),
    ]);
  }

  /** Removes every row past its expiry; answers how many. */
  async sweep(): Promise<number> {
    this.lastSweepAt = this.now();
    const { rowCount } = await this.db.query('DELETE FROM page_sessions WHERE expires_at <= $1', [
      new Date(this.lastSweepAt).toISOString(),
    ]);
    return rowCount;
  }

  // ---- Inside ----------------------------------------------------------------------------
  /** The cookie's expiry (a Date on a live session, an ISO string once stored); else the default lifetime. */
  private expiryOf(session: object): Date {
    const expires = (session as { cookie?: { expires?: unknown } }).cookie?.expires;
    const at = expires instanceof Date || typeof expires === 'string' ? new Date(expires) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : new Date(this.now() + this.defaultLifetimeMs);
  }

  private async seal(key: string, session: object): Promise<Sealed> {
    const plain: Payload = {
      metadata: { encoding: new Uint8Array(Buffer.from('json/plain')) },
      data: new Uint8Array(Buffer.from(JSON.stringify({ key, session }), 'utf8')),
    };
    const [sealed] = await this.options.codec.encode([plain]);
    return {
      encrypted: {
        metadata: Object.fromEntries(Object.entries(sealed?.metadata ?? {}).map(([k, v]) => [k, base64(v)])),
        data: base64(sealed?.data),
      },
    };
  }

  private async open(key: string, stored: unknown): Promise<S | undefined> {
    const sealed = (stored as Partial<Sealed> | null)?.encrypted;
    if (!sealed || typeof sealed !== 'object') return undefined; // never written by this store
    try {
      const [plain] = await this.options.codec.decode([
        {
          metadata: Object.fromEntries(Object.entries(sealed.metadata ?? {}).map(([k, v]) => [k, bytes(v)])),
          data: bytes(sealed.data),
        },
      ]);
      const opened = JSON.parse(Buffer.from(plain?.data ?? new Uint8Array()).toString('utf8')) as {
        key?: unknown;
        session?: unknown;
      };
      // sealed for another row: copied here, so refused
      if (opened.key !== key || !opened.session || typeof opened.session !== 'object') return undefined;
      return opened.session as S;
    } catch {
      // not decrypted under any listed key, or altered: no session, so the person signs in again
      return undefined;
    }
  }
}
