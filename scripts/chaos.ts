// `npm run chaos`: syncs the sandbox workspace once without faults and once under a storm of
// injected faults (default 20% 429s and 5% 503s), then prints the requests, throttles and
// retries, and whether the final Jira state equals the fault-free one. Real clock: every
// Retry-After is really waited. Then the hostile-server cases (scripts/chaos-hostile.ts): slow
// drips, absurd Retry-After, echoed credentials, oversized pages. `--only storm|hostile` runs one part.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { runSync } from '../src/engine/run-sync.js';
import { silentLogger } from '../src/log/logger.js';
import { createServices } from '../src/wiring/services.js';
import { diffSnapshots, snapshotJira, startSandbox, type FaultPlan } from '../src/sandbox/index.js';
import { systemClock } from '../src/util/clock.js';
import { runHostileCases } from './chaos-hostile.js';

const { values } = parseArgs({
  options: {
    rate429: { type: 'string', default: '0.2' },
    rate503: { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});

async function syncOnce(faults: FaultPlan) {
  const sandbox = await startSandbox({ faults });
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-chaos-'));
  try {
    const loaded = loadConfig({ env: { ...sandbox.env(), PB_JIRA_SYNC_LEDGER: join(dir, 'ledger.sqlite') }, cwd: dir });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const started = Date.now();
    const logger = silentLogger();
    const context = {
      config: loaded.config,
      clock: systemClock,
      logger,
      services: createServices(loaded.config, { clock: systemClock, logger }),
    };
    const report = await runSync(context, { dryRun: false });
    const wallMs = Date.now() - started;
    const rerun = await runSync(context, { dryRun: false });
    const byStatus = (status: number) => sandbox.requests.filter((r) => r.status === status).length;
    const retries =
      Object.values(report.requests).reduce((n, s) => n + s.retries, 0) + Object.values(rerun.requests).reduce((n, s) => n + s.retries, 0);
    return {
      snapshot: snapshotJira(sandbox.jira.state),
      requests: sandbox.requests.length,
      throttled429: byStatus(429),
      unavailable503: byStatus(503),
      retries,
      wallMs,
      report,
      rerunWrites: rerun.plan.counts.create + rerun.plan.counts.update + rerun.plan.counts.move,
    };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The 429/503 storm: the final Jira state must equal a fault-free run's. */
async function storm(): Promise<boolean> {
  const clean = await syncOnce({});
  const faulty = await syncOnce({ rate429: Number(values.rate429), rate503: Number(values.rate503), seed: Number(values.seed) });
  const diff = diffSnapshots(clean.snapshot, faulty.snapshot);
  const row = (label: string, r: typeof clean) =>
    `${label.padEnd(22)} ${String(r.requests).padStart(8)} ${String(r.throttled429).padStart(6)} ${String(r.unavailable503).padStart(6)} ${String(r.retries).padStart(8)} ${(r.wallMs / 1000).toFixed(1).padStart(8)}s ${String(r.report.apply.applied).padStart(8)} ${String(r.rerunWrites).padStart(12)}`;
  console.log(
    `${'run (sync + rerun)'.padEnd(22)} ${'requests'.padStart(8)} ${'429s'.padStart(6)} ${'503s'.padStart(6)} ${'retries'.padStart(8)} ${'1st sync'.padStart(9)} ${'applied'.padStart(8)} ${'rerun writes'.padStart(12)}`,
  );
  console.log(row('fault-free', clean));
  console.log(row(`${Number(values.rate429) * 100}% 429, ${Number(values.rate503) * 100}% 503`, faulty));
  console.log(`issues: ${clean.snapshot.size} fault-free, ${faulty.snapshot.size} under faults`);
  console.log(
    diff.length === 0
      ? 'final Jira state: IDENTICAL to the fault-free run (every issue compared by Productboard id: type, summary, parent, labels, status, due date, description, remote links)'
      : `final Jira state DIFFERS:\n${diff.join('\n')}`,
  );
  return diff.length === 0;
}

const stormOk = values.only === 'hostile' ? true : await storm();
if (values.only !== 'storm') console.log('');
const hostileOk = values.only === 'storm' ? true : await runHostileCases();
process.exitCode = stormOk && hostileOk ? 0 : 1;
