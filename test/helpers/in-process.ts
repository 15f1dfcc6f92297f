import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type EngineConfig } from '../../src/config/load-config.js';
import type { PassContext } from '../../src/engine/pass.js';
import { runSync } from '../../src/engine/run-sync.js';
import { runReconcile, type AlertMode } from '../../src/engine/run-reconcile.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { createServices } from '../../src/wiring/services.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { VirtualClock } from '../../src/util/clock.js';
import { startCheckedSandbox } from './checked-sandbox.js';

/** Lanes without pacing: with a virtual clock, tests measure behaviour, not the wall clock. */
const FAST_LANES = { default: { concurrency: 4, ratePerSecond: Infinity } };

export interface InProcess {
  sandbox: Sandbox;
  config: EngineConfig;
  /** The environment the config was loaded from (for commands that load it themselves, like `status`). */
  env: Record<string, string>;
  clock: VirtualClock;
  /** A fresh process's context: its own services on this config (what `schedule` builds once). */
  context(): PassContext;
  sync(options?: { dryRun?: boolean; fullRead?: boolean }): ReturnType<typeof runSync>;
  reconcile(options?: { alert?: AlertMode }): ReturnType<typeof runReconcile>;
  close(): Promise<void>;
}

/**
 * The real engine against the sandbox (held to the vendors' contracts) in this process, with a virtual clock: Retry-After and
 * backoff waits are asserted in virtual time and cost no real time.
 */
export async function startInProcess(
  options: SandboxOptions = {},
  configYaml?: (env: Record<string, string>) => Partial<Record<string, string>>,
  engine: { logger?: Logger } = {},
): Promise<InProcess> {
  const sandbox = await startCheckedSandbox(options);
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-inproc-'));
  const env: Record<string, string> = {
    ...sandbox.env(),
    PB_JIRA_SYNC_LEDGER: join(dir, 'ledger.sqlite'),
    ...(configYaml?.(sandbox.env()) ?? {}),
  };
  const loaded = loadConfig({ env, cwd: dir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const config = loaded.config;
  const clock = new VirtualClock(Date.now());
  const logger = engine.logger ?? silentLogger();
  // Services per call, as each CLI run is its own process (tests change run.config between calls).
  const context = (): PassContext => ({
    config,
    clock,
    logger,
    services: createServices(config, { clock, logger, lanes: FAST_LANES, random: () => 0.5 }),
  });
  return {
    sandbox,
    config,
    env,
    clock,
    context,
    sync: (o = {}) => runSync(context(), { dryRun: Boolean(o.dryRun), fullRead: Boolean(o.fullRead) }),
    reconcile: (o = {}) => runReconcile(context(), { alert: o.alert ?? 'none', fix: false, dryRun: false }),
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `startInProcess` for one test file: every run it starts is closed after each test. */
export function startingInProcess(): typeof startInProcess {
  let runs: InProcess[] = [];
  afterEach(async () => {
    await Promise.all(runs.map((r) => r.close()));
    runs = [];
  });
  return async (...args) => {
    const run = await startInProcess(...args);
    runs.push(run);
    return run;
  };
}
