#!/usr/bin/env node
// What `npm start` needs before it starts, and nothing else: Node.js 24 (only where the machine's
// is older) and, for the embedded dev server, the Temporal CLI. Against a cluster (TEMPORAL_ADDRESS)
// no Temporal binary is needed. The PostgreSQL server and Chromium are the tests' (npm run setup):
// the store here is embedded, and no package is ever installed with apt-get to start the system.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = (script, args = []) => {
  const result = spawnSync(process.execPath, [path.join(here, script), ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('setup-node.mjs');
if (process.env.TEMPORAL_ADDRESS) {
  console.log(
    `setup: TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}: the cluster runs Temporal; nothing to install`,
  );
} else {
  run('setup-temporal.mjs', ['--only', 'cli']);
}
