#!/usr/bin/env node
// Brings the Node.js this project is tested on (an LTS in support) when the machine's own is older.
//
// The project declares Node.js 24 LTS (package.json "engines"). Where `node` is older (Debian's
// packages and many council build machines still give 20, out of support since April 2026), this
// takes the official Node.js binary from the npm registry — the package node-<platform>-<arch>,
// the same build as nodejs.org publishes — into the git-ignored folder .tools/node-<version>/, and
// scripts/with-node.mjs runs the project's commands on it. Nothing is installed outside the project
// and nothing is downloaded from anywhere but the npm registry. Idempotent: nothing is done while
// .tools/node-<version>/bin/node is there.
//
//   CARE_NODE_PATH=/path/to/node   use that Node.js instead; nothing is installed.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The Node.js the project is tested on: 24 LTS (maintained until April 2028). */
export const NODE_VERSION = '24.22.3';
export const NODE_MAJOR = Number(NODE_VERSION.split('.')[0]);
export const nodeDir = path.join(ROOT, '.tools', `node-${NODE_VERSION}`);
export const nodeBin = path.join(nodeDir, 'bin');

/** Whether the Node.js running this script is new enough to run the project itself. */
export const currentNodeWillDo = () => Number(process.versions.node.split('.')[0]) >= NODE_MAJOR;

function install() {
  if (process.env.CARE_NODE_PATH || currentNodeWillDo()) return;
  if (existsSync(path.join(nodeBin, 'node'))) return;
  const pkg = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
  console.log(
    `setup: Node.js ${process.versions.node} is older than the project's Node.js ${NODE_MAJOR} LTS: ` +
      `installing ${pkg} from the npm registry into ${path.relative(ROOT, nodeDir)}/`,
  );
  mkdirSync(path.dirname(nodeDir), { recursive: true });
  const work = mkdtempSync(path.join(path.dirname(nodeDir), '.download-'));
  try {
    const packed = spawnSync('npm', ['pack', pkg, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = packed.stdout?.trim().split('\n').at(-1);
    if (packed.status !== 0 || !tarball) throw new Error(`npm pack ${pkg} failed (exit ${packed.status})`);
    const unpacked = spawnSync(
      'tar',
      ['-xzf', path.join(work, tarball), '-C', work, 'package/bin/node', 'package/LICENSE'],
      {
        stdio: 'inherit',
      },
    );
    if (unpacked.status !== 0) throw new Error(`unpacking ${tarball} failed (exit ${unpacked.status})`);
    const check = spawnSync(path.join(work, 'package', 'bin', 'node'), ['--version'], { encoding: 'utf8' });
    if (check.stdout?.trim() !== `v${NODE_VERSION}`)
      throw new Error(
        `the unpacked node says ${check.stdout?.trim() || check.error?.message}, not v${NODE_VERSION}`,
      );
    rmSync(nodeDir, { recursive: true, force: true });
    renameSync(path.join(work, 'package'), nodeDir);
    console.log(`setup: Node.js ${NODE_VERSION} is in ${path.relative(ROOT, nodeBin)}/node`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    install();
  } catch (err) {
    console.error(`setup: could not bring Node.js ${NODE_VERSION}: ${err.message}`);
    console.error(`setup: install Node.js ${NODE_MAJOR} LTS yourself, or set CARE_NODE_PATH to one`);
    process.exit(1);
  }
}
