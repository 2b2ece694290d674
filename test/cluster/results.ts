import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the cluster suite measured, kept in one JSON file (CARE_CLUSTER_RESULTS, set by the suite's
 * global setup) for the summary its reporter prints at the end (test/cluster/summaryReporter.js).
 * Each test adds its own rows; a failed test's rows say how far it got.
 */

export interface ClusterResults {
  startedAt: string;
  machine: string;
  server?: {
    version: string;
    reportedVersion?: string;
    built: 'built' | 'reused';
    buildSeconds: number;
    builtAt: string;
    go: string;
    schemaVersions?: Record<string, string>;
  };
  postgres?: string;
  timings: Record<string, number>;
  /** one row per check: what was measured */
  rows: { check: string; cells: Record<string, string | number> }[];
}

export const resultsFile = () =>
  process.env.CARE_CLUSTER_RESULTS ?? path.resolve(__dirname, '..', '..', '.data', 'cluster', 'latest.json');

export function readResults(): ClusterResults {
  const file = resultsFile();
  if (!existsSync(file)) return { startedAt: new Date().toISOString(), machine: '', timings: {}, rows: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterResults;
}

export function updateResults(change: (results: ClusterResults) => void): void {
  const results = readResults();
  change(results);
  mkdirSync(path.dirname(resultsFile()), { recursive: true });
  writeFileSync(resultsFile(), `${JSON.stringify(results, null, 2)}\n`);
}

export const addRow = (check: string, cells: Record<string, string | number>) =>
  updateResults((r) => {
    r.rows = r.rows.filter((row) => row.check !== check);
    r.rows.push({ check, cells });
  });
