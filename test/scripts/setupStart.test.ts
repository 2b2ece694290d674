/**
 * `npm start` installs only what starting needs: against a cluster no Temporal binary, and never
 * the tests' PostgreSQL server or Chromium (whose setup would run apt-get as root). Checked by the
 * scripts it runs: each setup script it may start is replaced by a stand-in that records its name.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const scripts = path.resolve(__dirname, '..', '..', 'scripts');

function runSetupStart(env: Record<string, string>): { ran: string[]; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-start-'));
  copyFileSync(path.join(scripts, 'setup-start.mjs'), path.join(dir, 'setup-start.mjs'));
  const log = path.join(dir, 'ran.txt');
  for (const name of ['setup-node.mjs', 'setup-temporal.mjs', 'setup-postgres.mjs', 'setup-chromium.mjs']) {
    writeFileSync(
      path.join(dir, name),
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + ' ' + process.argv.slice(2).join(' ') + '\\n');\n`,
    );
  }
  const result = spawnSync(process.execPath, [path.join(dir, 'setup-start.mjs')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  expect(result.status).toBe(0);
  const ran = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.trim())
    : [];
  return { ran, stdout: result.stdout };
}

it('on one machine: Node.js and the Temporal CLI for the dev server, not the test server, PostgreSQL or Chromium', () => {
  expect(runSetupStart({}).ran).toEqual(['setup-node.mjs', 'setup-temporal.mjs --only cli']);
});

it('against a cluster: no Temporal binary, and still nothing for the tests', () => {
  const { ran, stdout } = runSetupStart({ TEMPORAL_ADDRESS: 'temporal.council.internal:7233' });
  expect(ran).toEqual(['setup-node.mjs']);
  expect(stdout).toMatch(/the cluster runs Temporal; nothing to install/);
});

it('npm start runs this setup, not the tests’ (npm run setup)', () => {
  const pkg = JSON.parse(readFileSync(path.resolve(scripts, '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.start).toMatch(/^node scripts\/setup-start\.mjs && /);
  expect(pkg.scripts.start).not.toMatch(/npm run setup\b/);
});
