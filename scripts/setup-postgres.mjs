#!/usr/bin/env node
// The PostgreSQL server programs the case-event store's tests run against (issue 12): Debian's
// `postgresql` package. Idempotent: does nothing when /usr/lib/postgresql/<version>/bin/initdb is
// there (or CARE_POSTGRES_BIN names a folder with initdb). Otherwise, as root with apt-get, it
// installs the package; anything else is said, never skipped silently: the embedded store
// (`npm start`) needs none of this, but the tests that need the server fail saying what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = '/usr/lib/postgresql';
function found() {
  if (process.env.CARE_POSTGRES_BIN) return existsSync(path.join(process.env.CARE_POSTGRES_BIN, 'initdb'));
  return existsSync(root) && readdirSync(root).some((v) => existsSync(path.join(root, v, 'bin', 'initdb')));
}

if (found()) process.exit(0);
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
if (!isRoot || !hasApt) {
  console.warn(
    `setup-postgres: PostgreSQL's server programs are not installed (no ${root}/*/bin/initdb) and this setup cannot install them ` +
      `(${isRoot ? 'no apt-get' : 'not root'}): install Debian's postgresql package (sudo apt-get install postgresql), ` +
      'or set CARE_POSTGRES_BIN to a folder holding initdb and pg_ctl. npm start does not need it; the store tests do.',
  );
  process.exit(0);
}
console.log("setup-postgres: installing Debian's postgresql package (for the case-event store's tests)…");
const run = (args) =>
  spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
if (
  run(['update']) !== 0 ||
  run(['install', '-y', '--no-install-recommends', 'postgresql']) !== 0 ||
  !found()
) {
  console.error('setup-postgres: apt-get could not install postgresql; see its output above');
  process.exit(1);
}
console.log('setup-postgres: postgresql installed');
