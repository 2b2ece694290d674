#!/usr/bin/env node
// Makes package-lock.json acceptable to `npm ci` when the npm registry in use does not carry the
// other platforms' builds of optional native packages (@swc/core-darwin-arm64, …). `npm install`
// then leaves them out of the lock, and `npm ci` refuses the lock ("Missing: … from lock file").
// This adds an entry for each such optional dependency with its os / cpu / libc (read from its
// name), which is all `npm ci` needs to skip it on other platforms. Run after `npm install`:
//
//   npm install --package-lock-only && node scripts/fix-lockfile.mjs

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OSES = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'android',
  'openharmony',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
];

/** os / cpu / libc from a platform package name such as core-linux-arm-gnueabihf or binding-wasm32-wasi. */
function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const osIndex = tokens.findIndex((t) => OSES.includes(t));
  if (osIndex >= 0 && tokens[osIndex + 1]) {
    const rest = tokens.slice(osIndex + 2).join('-');
    const libc = /musl/.test(rest) ? ['musl'] : /gnu/.test(rest) ? ['glibc'] : undefined;
    return { os: [tokens[osIndex]], cpu: [tokens[osIndex + 1]], ...(libc ? { libc } : {}) };
  }
  const wasm = tokens.find((t) => t.startsWith('wasm'));
  return wasm ? { cpu: [wasm] } : undefined;
}

/** Where node would find `name` from the package at `location` (its own node_modules, then upwards). */
function resolves(location, name) {
  let dir = location;
  for (;;) {
    if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

const added = [];
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, name)) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      console.warn(`fix-lockfile: left out ${name}@${version} (needed by ${location || 'the project'})`);
      continue;
    }
    packages[`node_modules/${name}`] = {
      version,
      ...platform,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added.push(name);
  }
}

if (added.length) {
  const [root, ...rest] = Object.keys(packages);
  lock.packages = Object.fromEntries([
    [root, packages[root]],
    ...rest.sort((a, b) => a.localeCompare(b, 'en')).map((key) => [key, packages[key]]),
  ]);
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`fix-lockfile: ${added.length ? `added ${added.join(', ')}` : 'nothing to add'}`);
