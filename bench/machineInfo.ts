import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../temporal.config';
import { findTemporalCli, temporalDir } from '../scripts/temporalBinaries';

/** What the benchmark ran on, for the report. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryGB: number;
  platform: string;
  node: string;
  temporalCli: string;
  temporalTestServer: string;
  temporalSdk: string;
  xstate: string;
  /** 1-minute load average when the bench started and ended (other work on the machine skews results) */
  loadAverage: { start: number; end?: number };
}

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [path.resolve(__dirname, '..')] });
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function cliVersion(): string {
  const cli = findTemporalCli(loadConfig());
  if (!cli) return 'not installed';
  try {
    return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch (err) {
    return `unknown (${(err as Error).message})`;
  }
}

function testServerVersion(): string {
  try {
    const stamp = JSON.parse(readFileSync(path.join(temporalDir, 'versions.json'), 'utf8')) as {
      testServer?: { version?: string; source?: string };
    };
    return stamp.testServer?.source ?? stamp.testServer?.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli: cliVersion(),
    temporalTestServer: testServerVersion(),
    temporalSdk: packageVersion('@temporalio/worker'),
    xstate: packageVersion('xstate'),
    loadAverage: { start: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
  };
}

/** Which code was measured: the commit, whether the tree had changes, and the journey bundle's hash. */
export interface SourceInfo {
  commit: string;
  /** files changed or untracked outside bench/ (others may be editing in parallel) */
  changedFiles: number;
  journeyBundleSha256?: string;
}

export function sourceInfo(): SourceInfo {
  const root = path.resolve(__dirname, '..');
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    const changed = git(['status', '--porcelain'])
      .split('\n')
      .filter((line) => line && !line.slice(3).startsWith('bench/'));
    return { commit: git(['rev-parse', '--short', 'HEAD']), changedFiles: changed.length };
  } catch {
    return { commit: 'unknown', changedFiles: -1 };
  }
}
