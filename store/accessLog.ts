import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Queryable } from './database';

/**
 * A record of who looked (issue 14 point 5): each read and write of a person's journey, appended
 * to the case-event store's access_log table (migration 0003), or, where an API runs without the
 * store, to a JSON Lines file. Never to Temporal. Append-only: this module has no way to change
 * or remove an entry (and the table's triggers refuse one).
 */

export const accessEntrySchema = z.object({
  personId: z.string(),
  /** when (ISO instant) */
  at: z.string(),
  userId: z.string(),
  role: z.string(),
  via: z.enum(['token', 'oidc']),
  action: z.enum(['read', 'write']),
  /** the route, e.g. "GET /journeys/:personId" */
  route: z.string(),
  eventType: z.string().optional(),
  /** the answer's HTTP status */
  status: z.number().int(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
});
export type AccessEntry = z.infer<typeof accessEntrySchema>;

/** An entry as read back: its place in the log, by which pages follow. */
export type LoggedAccess = AccessEntry & { seq: number };

export interface AccessLogPage {
  entries: LoggedAccess[];
  /** the seq to read after for the next page, when there may be more */
  next: number | undefined;
}

export interface AccessLog {
  /** where it is kept, for messages */
  readonly where: string;
  append(entries: readonly AccessEntry[]): Promise<void>;
  /** One person's entries, oldest first, after `after` (a seq), at most `limit`. */
  read(personId: string, page: { after?: number; limit: number }): Promise<AccessLogPage>;
}

/** User agents are the caller's to choose: kept, but not without limit. */
const clip = (text: string | undefined, max = 500) => (text === undefined ? undefined : text.slice(0, max));

/** The access log in the case-event store's access_log table. */
export function storeAccessLog(db: Queryable, where = 'case-event store (access_log)'): AccessLog {
  return {
    where,
    async append(entries) {
      if (!entries.length) return;
      const columns = 11;
      const params: unknown[] = [];
      const rows = entries.map((e, i) => {
        params.push(
          e.personId,
          e.at,
          e.userId,
          e.role,
          e.via,
          e.action,
          e.route,
          e.eventType ?? null,
          e.status,
          e.ip ?? null,
          clip(e.userAgent) ?? null,
        );
        return `(${Array.from({ length: columns }, (_, c) => `$${i * columns + c + 1}`).join(', ')})`;
      });
      await db.query(
        `INSERT INTO access_log (person_id, at, user_id, role, via, action, route, event_type, status, ip, user_agent)
         VALUES ${rows.join(', ')}`,
        params,
      );
    },
    async read(personId, { after, limit }) {
      const { rows } = await db.query<{
        seq: string | number;
        at: Date | string;
        user_id: string;
        role: string;
        via: 'token' | 'oidc';
        action: 'read' | 'write';
        route: string;
        event_type: string | null;
        status: number;
        ip: string | null;
        user_agent: string | null;
      }>(
        `SELECT seq, at, user_id, role, via, action, route, event_type, status, ip, user_agent
         FROM access_log WHERE person_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [personId, after ?? 0, limit + 1],
      );
      const entries = rows.slice(0, limit).map((r) => ({
        seq: Number(r.seq),
        personId,
        at: new Date(r.at).toISOString(),
        userId: r.user_id,
        role: r.role,
        via: r.via,
        action: r.action,
        route: r.route,
        ...(r.event_type ? { eventType: r.event_type } : {}),
        status: r.status,
        ...(r.ip ? { ip: r.ip } : {}),
        ...(r.user_agent ? { userAgent: r.user_agent } : {}),
      }));
      return { entries, next: rows.length > limit ? entries.at(-1)?.seq : undefined };
    },
  };
}

/**
 * The access log as a JSON Lines file, for an API without the case-event store: opened for
 * appending only (each entry one line, written whole), read back line by line; an entry's seq is
 * its line number. Appends are made one after another, so lines never interleave.
 */
export function fileAccessLog(file: string): AccessLog {
  let tail: Promise<void> = Promise.resolve();
  return {
    where: file,
    append(entries) {
      if (!entries.length) return tail;
      const lines = entries
        .map((e) => JSON.stringify({ ...e, ...(e.userAgent ? { userAgent: clip(e.userAgent) } : {}) }))
        .join('\n');
      const write = tail.then(async () => {
        mkdirSync(path.dirname(file), { recursive: true });
        await appendFile(file, `${lines}\n`, { flag: 'a', mode: 0o600 });
      });
      // a failed write fails its own caller, not the ones after it
      tail = write.catch(() => undefined);
      return write;
    },
    async read(personId, { after, limit }) {
      await tail;
      const entries: LoggedAccess[] = [];
      if (!existsSync(file)) return { entries, next: undefined };
      let seq = 0;
      let more = false;
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        seq++;
        if (seq <= (after ?? 0) || !line.includes(personId)) continue;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          continue; // a line cut short by a crash mid-write
        }
        const parsed = accessEntrySchema.safeParse(raw);
        if (!parsed.success || parsed.data.personId !== personId) continue;
        if (entries.length === limit) {
          more = true;
          break;
        }
        entries.push({ ...parsed.data, seq });
      }
      lines.close();
      return { entries, next: more ? entries.at(-1)?.seq : undefined };
    },
  };
}
