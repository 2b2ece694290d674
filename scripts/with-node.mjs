#!/usr/bin/env node
// Runs a command on the project's Node.js: the machine's own if it is new enough, else the one
// scripts/setup-node.mjs brought into .tools/ (or CARE_NODE_PATH's), first on PATH so that every
// `node`, `npx`, `tsx` and `jest` the command starts runs on it too. Signals are passed on and the
// command's exit code is this one's, so Ctrl-C and supervisors see the command itself.
//
//   node scripts/with-node.mjs tsx runtime/start.ts

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { currentNodeWillDo, NODE_MAJOR, nodeBin } from './setup-node.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-node.mjs <command> [args…]');
  process.exit(2);
}

const env = { ...process.env };
const chosen = process.env.CARE_NODE_PATH
  ? path.dirname(process.env.CARE_NODE_PATH)
  : currentNodeWillDo()
    ? undefined
    : nodeBin;
if (chosen) {
  if (!existsSync(path.join(chosen, 'node'))) {
    console.error(`Node.js ${NODE_MAJOR} is not in ${chosen}: run npm run setup`);
    process.exit(1);
  }
  env.PATH = `${chosen}${path.delimiter}${env.PATH ?? ''}`;
}
// Commands installed with the project (tsx, jest, tsc, eslint) by name, as npm scripts find them.
env.PATH = `${path.resolve('node_modules', '.bin')}${path.delimiter}${env.PATH}`;

const child = spawn(command, args, { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  console.error(`${command}: ${err.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Die of the same signal, as a shell would report it (the handlers above would catch it).
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
