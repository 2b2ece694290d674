#!/usr/bin/env node
// Brings Debian's Chromium for the browser tests of the operations pages (test/pages/).
//
// Playwright's own browser download fetches a build from a CDN, which a network that reaches only
// package registries cannot do; Debian's `chromium` package is the same browser from the
// distribution's archive, and playwright-core drives it by path (/usr/bin/chromium). Idempotent:
// nothing is done while /usr/bin/chromium is there.
//
//   CARE_CHROMIUM_PATH=/path/to/chromium   use that browser instead; nothing is installed.
//   CARE_SETUP_SKIP_CHROMIUM=1             install nothing (the browser tests then fail, saying why).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CARE_CHROMIUM_PATH || '/usr/bin/chromium';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status === 0;

function install() {
  if (existsSync(chromiumPath)) return;
  if (process.env.CARE_CHROMIUM_PATH) {
    throw new Error(`CARE_CHROMIUM_PATH=${chromiumPath}: there is no such file`);
  }
  if (process.env.CARE_SETUP_SKIP_CHROMIUM) {
    console.log(
      'setup: CARE_SETUP_SKIP_CHROMIUM is set: not installing Chromium (the browser tests need it)',
    );
    return;
  }
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!hasAptGet) {
    console.error(
      'setup: the browser tests of the operations pages need Chromium at /usr/bin/chromium, and this machine ' +
        "has no apt-get to install Debian's chromium package. Install Chromium with your system's package " +
        'manager and set CARE_CHROMIUM_PATH to it, or set CARE_SETUP_SKIP_CHROMIUM=1 to go on without it.',
    );
    process.exit(1);
  }
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (args) => (asRoot ? run('apt-get', args) : run('sudo', ['-n', 'apt-get', ...args]));
  console.log(
    "setup: installing Debian's chromium package for the browser tests (apt-get install -y chromium)",
  );
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  Object.assign(process.env, env);
  if (!apt(['install', '-y', '--no-install-recommends', 'chromium'])) {
    // The package lists may be missing or stale on a fresh machine: update once and try again.
    if (!apt(['update']) || !apt(['install', '-y', '--no-install-recommends', 'chromium'])) {
      console.error(
        'setup: apt-get could not install chromium' +
          (asRoot
            ? ''
            : ' (not root, and sudo -n was refused: run `sudo apt-get install -y chromium` yourself)'),
      );
      process.exit(1);
    }
  }
  if (!existsSync(chromiumPath)) {
    console.error(`setup: apt-get installed chromium, but ${chromiumPath} is not there`);
    process.exit(1);
  }
}

install();
