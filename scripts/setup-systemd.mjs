#!/usr/bin/env node
// `systemd-analyze`, with which the tests check the shipped systemd units (deploy/systemd/,
// test/scripts/systemdUnits.test.ts: `systemd-analyze verify`). It is in Debian's `systemd`
// package; it checks unit files offline, so it needs no running systemd (these machines run none).
// Idempotent: does nothing when systemd-analyze is on PATH (or CARE_SYSTEMD_ANALYZE names it).
// Otherwise, as root with apt-get, it installs the package; anything else is said, never skipped
// silently: nothing but that test needs it, and the test fails saying what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function found() {
  if (process.env.CARE_SYSTEMD_ANALYZE) return existsSync(process.env.CARE_SYSTEMD_ANALYZE);
  return spawnSync('sh', ['-c', 'command -v systemd-analyze'], { stdio: 'ignore' }).status === 0;
}

if (found()) process.exit(0);
if (process.env.CARE_SYSTEMD_ANALYZE) {
  console.error(
    `setup-systemd: CARE_SYSTEMD_ANALYZE=${process.env.CARE_SYSTEMD_ANALYZE}: there is no such file`,
  );
  process.exit(1);
}
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.warn(
    `setup-systemd: systemd-analyze is not installed and this setup cannot install it (${isRoot ? 'no apt-get' : 'not root'}): ` +
      "install Debian's systemd package (sudo apt-get install systemd), or set CARE_SYSTEMD_ANALYZE to a systemd-analyze. " +
      'npm start does not need it; the test of the systemd units does.',
  );
  process.exit(0);
}
console.log(
  "setup-systemd: installing Debian's systemd package (systemd-analyze, for the test of the systemd units)…",
);
const run = (args) =>
  spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
if (run(['update']) !== 0 || run(['install', '-y', '--no-install-recommends', 'systemd']) !== 0 || !found()) {
  console.error('setup-systemd: apt-get could not install systemd; see its output above');
  process.exit(1);
}
console.log('setup-systemd: systemd-analyze installed');
