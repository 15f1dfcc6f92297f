#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('pb-jira-sync: the compiled CLI is missing; run `npm ci` (or `npm run build`) in the repository first.\n');
  process.exit(1);
}

// The engine's live memory for a 16,000-item workspace stays under ~150 MB, but under the churn
// of tens of thousands of requests V8 lets its heap grow lazily (about 400 MB of RSS for a first
// sync, against 230 MB with a capped heap at the same speed). Heap limits can only be set when
// the process starts, so the launcher starts the CLI once more with the cap (PB_JIRA_SYNC_HEAP_MB,
// default 256; 0 leaves V8's default), passing signals and the exit code through.
const heapMb = Number(process.env.PB_JIRA_SYNC_HEAP_MB ?? 256);
const capped = process.execArgv.some((arg) => arg.startsWith('--max-old-space-size'));
if (heapMb > 0 && !capped) {
  // The IPC channel lets the CLI notice if this launcher dies (kill -9) and shut down cleanly.
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  // A worker killed by a signal exits as a shell reports it: 128 + the signal's number (SIGKILL 137, SIGABRT 134).
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
} else {
  // Signals that arrive while the CLI loads are remembered and replayed: a SIGTERM during start-up
  // ends the command cleanly instead of killing it half-way.
  const early = [];
  const remember = (signal) => early.push(signal);
  process.on('SIGINT', remember);
  process.on('SIGTERM', remember);
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  const { main } = await import(entry.href);
  process.off('SIGINT', remember);
  process.off('SIGTERM', remember);
  process.exitCode = await main(process.argv, undefined, early);
}
