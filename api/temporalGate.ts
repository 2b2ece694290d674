import type { Client } from '@temporalio/client';
import {
  fromTemporalConnectionError,
  grpcCodeOf,
  grpcStatus,
  retryAfterSeconds,
  unavailable,
} from './errors';

/**
 * Fail fast while Temporal is unreachable. Left alone, the Temporal client retries an unreachable
 * server for about 20 s before it gives up, so every caller would wait that long for its 503. The
 * gate asks Temporal (GetSystemInfo, a short deadline) before a call unless Temporal answered
 * within the last `trustMs`; if it does not answer, the call is not made and the caller gets 503
 * with Retry-After at once, and for `coolDownMs` afterwards every call is answered so without
 * asking (a circuit breaker: open, then half-open on the next call after the cool-down).
 */
export interface TemporalGateOptions {
  /** how long the reachability probe may take; default 1.5 s */
  probeTimeoutMs?: number;
  /** a success this recent needs no probe; default 1 s */
  trustMs?: number;
  /** after a failed probe, answer 503 without asking for this long; default 1 s */
  coolDownMs?: number;
}

export class TemporalGate {
  private lastSuccessAt = 0;
  private downUntil = 0;
  private lastError = '';
  private probing: Promise<void> | undefined;
  private readonly probeTimeoutMs: number;
  private readonly trustMs: number;
  private readonly coolDownMs: number;

  constructor(
    private readonly client: Client,
    options: TemporalGateOptions = {},
  ) {
    this.probeTimeoutMs = options.probeTimeoutMs ?? 1_500;
    this.trustMs = options.trustMs ?? 1_000;
    this.coolDownMs = options.coolDownMs ?? 1_000;
  }

  /** Resolves if Temporal is (very probably) reachable; otherwise throws the 503. */
  async check(): Promise<void> {
    const now = Date.now();
    if (now < this.downUntil) throw this.down();
    if (now - this.lastSuccessAt < this.trustMs) return;
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    await this.probing;
  }

  /** Runs a Temporal call behind the gate, and learns from how it ended. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    await this.check();
    try {
      const result = await call();
      this.lastSuccessAt = Date.now();
      return result;
    } catch (err) {
      this.observe(err);
      throw err;
    }
  }

  /** A call that failed because Temporal could not be reached opens the circuit. */
  observe(err: unknown): void {
    const code = grpcCodeOf(err);
    if (code === grpcStatus.UNAVAILABLE) this.open((err as Error).message);
  }

  private open(error: string): void {
    this.lastError = error;
    this.downUntil = Date.now() + this.coolDownMs;
  }

  private down() {
    return unavailable(
      `Temporal is not reachable (${this.lastError}); the API answers this at once until it is back`,
      retryAfterSeconds.temporalDown,
    );
  }

  private async probe(): Promise<void> {
    try {
      await this.client.withDeadline(Date.now() + this.probeTimeoutMs, () =>
        this.client.workflowService.getSystemInfo({}),
      );
      this.lastSuccessAt = Date.now();
      this.downUntil = 0;
    } catch (err) {
      const known = fromTemporalConnectionError(err);
      this.open(known ? (err as Error).message : String((err as Error).message ?? err));
      throw this.down();
    }
  }
}
