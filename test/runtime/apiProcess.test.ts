import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The API as a process of its own (`npm run api`, runtime/api.ts) refuses, before it starts
 * anything, what only `npm start` may do: the embedded store (one process's alone, and the workers
 * need the store too) and the development tokens (public; a proxy on the same machine would pass
 * them on to an API listening on loopback). It starting for real is test/scripts/systemdUnits.test.ts.
 */

const root = path.resolve(__dirname, '..', '..');

function runApi(settings: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    CARE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'care-journeys-api-process-')),
    ...settings,
  };
  return spawnSync(process.execPath, ['--import', 'tsx', 'runtime/api.ts'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

it('without CARE_DATABASE_URL: exits 1 saying the API on its own needs a PostgreSQL server, or npm start', () => {
  const result = runApi({ CARE_API_TOKENS: '{}' });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /^api: CARE_DATABASE_URL is not set: the API as a process of its own needs the case-event store on a PostgreSQL server .*run the API and the worker together with npm start$/m,
  );
});

it('without CARE_API_TOKENS: exits 1 rather than take the public development tokens', () => {
  const result = runApi({ CARE_DATABASE_URL: 'postgres://care@127.0.0.1:1/care' });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /^api: CARE_API_TOKENS is not set, so the development tokens .* or to '\{\}' for none when staff sign in through the identity provider/m,
  );
});
