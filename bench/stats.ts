/** Small numeric helpers for the benchmark's reports. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarise(samples: readonly number[]): LatencySummary {
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    count: samples.length,
    meanMs: round(samples.length ? total / samples.length : Number.NaN),
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    p99Ms: round(percentile(samples, 99)),
    maxMs: round(samples.length ? Math.max(...samples) : Number.NaN),
  };
}

/** Rounds to `digits` decimals (3 by default), keeping numbers JSON-friendly. */
export function round(n: number, digits = 3): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const MB = 1024 * 1024;

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
