#!/usr/bin/env node
// Completes package-lock.json with rollup's native optional packages for other platforms.
//
// Why: the npm registry mirror on our build machines serves only this platform's native
// binaries (the others answer 404), so `npm install` writes a lockfile without them, and npm 11's
// `npm ci` then refuses that lockfile ("Missing: @rollup/rollup-... from lock file"). Rollup names
// its packages after their platform, which is all npm needs to skip them on other machines.
// Run after changing dependencies: `npm install && node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [path, entry] of Object.entries(packages)) {
  if (!path.endsWith('node_modules/rollup') || !entry.optionalDependencies) continue;
  const base = path.slice(0, -'rollup'.length);
  for (const [name, version] of Object.entries(entry.optionalDependencies)) {
    const key = `${base}${name}`;
    if (packages[key]) continue;
    const platform = /^@rollup\/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z]+))?$/.exec(name);
    if (!platform) continue;
    const [, os, cpu, abi] = platform;
    const libc = os === 'linux' && abi ? (abi.startsWith('musl') ? ['musl'] : ['glibc']) : undefined;
    packages[key] = { version, cpu: [cpu], dev: entry.dev, ...(libc ? { libc } : {}), license: 'MIT', optional: true, os: [os] };
    added += 1;
  }
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
