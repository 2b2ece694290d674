import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { caseRecordFolder } from '../activities/caseRecord';
import type { JourneyEvent } from '../machines/events';
import type { Deadline, JourneyView, TimelineEntry } from '../machines/types';
import { isRasResult } from '../test/support/journeyEvents';

/**
 * Driving journeys over HTTP as an integration would: every event carries its eventId, and one
 * that got no answer (a 5xx, a dropped connection) is sent again with the same id until the API
 * answers — the API applies a resent id once. An event counts as accepted when the API answered
 * 200/201 for it (applied, or a duplicate of one applied before).
 */

export interface DriveStats {
  /** events the API accepted (one per event, however often it was sent) */
  accepted: number;
  /** sends that got no answer or a 5xx and were sent again */
  resends: number;
  /** answers other than 200/201, by status ("network" for no answer) */
  unanswered: Record<string, number>;
  /** events refused (4xx): none expected */
  refused: { personId: string; eventId: string; status: number; error: string }[];
  /** accepted eventIds per person, in order */
  acceptedIds: Map<string, string[]>;
  /** events without an answer that a driver which does not resend gave up on (accepted or not: only the journey knows) */
  givenUp: { personId: string; eventId: string; status: number | 'network'; error: string }[];
}

export function newStats(): DriveStats {
  return { accepted: 0, resends: 0, unanswered: {}, refused: [], acceptedIds: new Map(), givenUp: [] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiDriver {
  constructor(
    readonly apiUrl: string,
    readonly token: string,
    readonly stats: DriveStats = newStats(),
    /** give up on one event after this long without an answer */
    readonly patienceMs = 180_000,
    /** false: an event without an answer is not sent again (a client that gives up) */
    readonly resend = true,
  ) {}

  async call(method: 'GET' | 'POST', pathname: string, body?: unknown) {
    const response = await fetch(`${this.apiUrl}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { error: text.slice(0, 200) };
    }
    return { status: response.status, body: json };
  }

  /** Sends one event until the API answers it; records it as accepted (or refused). */
  async send(personId: string, event: JourneyEvent): Promise<boolean> {
    const { actor: _actor, ...body } = event; // the API sets the actor from the token
    const request =
      body.type === 'REFERRAL_RECEIVED'
        ? (() => {
            const { type: _type, ...referral } = body;
            return { path: '/referrals', body: { ...referral, personId } };
          })()
        : { path: `/journeys/${encodeURIComponent(personId)}/events`, body };
    const giveUpAt = Date.now() + this.patienceMs;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        this.stats.resends++;
        await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
      }
      let status: number | 'network';
      let error = '';
      try {
        const answer = await this.call('POST', request.path, request.body);
        status = answer.status;
        error = String(answer.body.error ?? '');
      } catch (err) {
        status = 'network';
        error = (err as Error).message;
      }
      if (status === 200 || status === 201) {
        this.stats.accepted++;
        const ids = this.stats.acceptedIds.get(personId) ?? [];
        ids.push(event.eventId);
        this.stats.acceptedIds.set(personId, ids);
        return true;
      }
      this.stats.unanswered[String(status)] = (this.stats.unanswered[String(status)] ?? 0) + 1;
      if (status !== 'network' && status < 500) {
        this.stats.refused.push({ personId, eventId: event.eventId, status, error });
        return false;
      }
      if (!this.resend) {
        this.stats.givenUp.push({ personId, eventId: event.eventId, status, error });
        return false;
      }
      if (Date.now() > giveUpAt) {
        this.stats.refused.push({ personId, eventId: event.eventId, status: 0, error: `gave up: ${error}` });
        return false;
      }
    }
  }

  /** The journey's detail, once it answers with a view (retried while it does not). */
  async detail(personId: string, patienceMs = 120_000): Promise<JourneyDetail> {
    const giveUpAt = Date.now() + patienceMs;
    for (;;) {
      try {
        const answer = await this.call('GET', `/journeys/${encodeURIComponent(personId)}`);
        if (answer.status === 200 && answer.body.view) return answer.body as unknown as JourneyDetail;
        if (Date.now() > giveUpAt)
          throw new Error(`${personId}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      } catch (err) {
        if (Date.now() > giveUpAt) throw err;
      }
      await sleep(500);
    }
  }

  /** Drives a journey's events in order; the RAS result is the journey's own, so it is awaited. */
  async drive(personId: string, events: JourneyEvent[]): Promise<void> {
    for (const event of events) {
      if (isRasResult(event)) {
        const giveUpAt = Date.now() + this.patienceMs;
        for (;;) {
          const detail = await this.detail(personId, this.patienceMs).catch(() => undefined);
          if (detail?.view.allowedEvents.includes('INDICATIVE_BUDGET_SHARED')) break;
          if (Date.now() > giveUpAt) throw new Error(`${personId}: no indicative budget from the RAS`);
          await sleep(300);
        }
        continue;
      }
      if (!(await this.send(personId, event))) return;
    }
  }
}

export interface JourneyDetail {
  view: JourneyView & { deadlines: Deadline[] };
  timeline: TimelineEntry[];
  health: { technicalIssue?: string; healthy: boolean; status: string };
}

/** Outbox items of one folder: the id on each item's first line. */
export function outboxIds(outboxDir: string, folder: string): string[] {
  const dir = path.join(outboxDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => {
      const first = readFileSync(path.join(dir, name), 'utf8').split('\n', 1)[0] ?? '';
      return JSON.parse(first.replace(/^Id: /, '')) as string;
    });
}

export const caseRecordIds = (outboxDir: string, personId: string) =>
  outboxIds(outboxDir, caseRecordFolder(personId));

/** Runs `work` over items with at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}
