import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EngineConfig } from '../config/load-config.js';
import { describeError, isInterruption } from '../errors.js';
import type { RouteStats } from '../http/policy.js';
import { Ledger, type FinishedRun } from '../ledger/ledger.js';
import { PASS_LEASE, leaseHolder } from '../ledger/lease.js';
import type {
  ConnectionLog,
  ConnectionWriter,
  DeliveryLog,
  DeliveryWriter,
  FindingsLog,
  JiraReader,
  JiraWriter,
  LinkWriter,
  NativeLinkReader,
  Notifier,
  SourceCatalog,
  SourceReader,
  WriterRecordStore,
} from '../model/ports.js';
import type { ProgressListener } from '../model/progress.js';
import type { StuckItem } from '../model/stuck-item.js';
import type { Clock } from '../util/clock.js';
import { scrubSecrets } from '../util/secrets.js';
import { DryRunConnections, DryRunDelivery, DryRunFindings, DryRunLinks, DryRunNotifier, DryRunWriter } from './dry-run.js';
import { JiraLease } from './jira-lease.js';
import { startPhase } from './phase-progress.js';

/** What a pass needs from the outside world, typed by ports: the composition root (src/wiring/) fills it once per process. */
export interface Services {
  /** Productboard: its data, and its configuration (the names a mapping uses). */
  source: SourceReader & SourceCatalog;
  /** Jira: read, write, and the writer record that holds the Jira-side lease. */
  jira: JiraReader & JiraWriter & WriterRecordStore;
  /** Productboard: delivery written back to the synced items. */
  delivery: DeliveryWriter;
  /** Productboard: the plugin-integration column's connections. */
  connections: ConnectionWriter;
  /** Productboard: the links of its own Jira integration (read only). */
  nativeLinks: NativeLinkReader;
  notifier: Notifier;
  /** Requests sent so far by this process, per route (the shared HTTP policy's counters). */
  requests(): Record<string, RouteStats>;
}

/** Something a writing pass holds while it runs, so that no other pass writes at the same time. */
export interface PassLock {
  hold<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A lock taken only once a pass knows it will write, and held until its last write: a lease kept
 * where the writes go (src/engine/jira-lease.ts). Given `readStartedAt` (a pass about to create),
 * it makes sure that read can show every earlier write of other ledgers, waiting for Jira's search
 * if needed, and tells `write` the read is stale: it reads again before creating anything.
 */
export interface WriteLock {
  hold<T>(write: (stale: boolean) => Promise<T>, readStartedAt?: number): Promise<T>;
}

export interface PassContext {
  config: EngineConfig;
  services: Services;
  clock: Clock;
  logger: Logger;
  /** Told what the pass is doing and how far it got (src/model/progress.ts); absent: nobody is watching. */
  progress?: ProgressListener;
}

export interface PassSpec<T> {
  /** What the run history calls it: `sync`, `reconcile --fix`, `scheduled pass`... */
  command: string;
  /** Read only: a read-only ledger, writers that only remember, no lease, no run record. */
  dryRun: boolean;
  /** Counts for the run record. */
  counts(result: T): Record<string, number>;
  /** Items the pass could not bring into Jira: with any, the run is recorded as `degraded`, listing them. */
  stuck?(result: T): readonly StuckItem[];
  /** False: a dry run that only reads for a view (`report`), not a run: kept out of the run history. */
  recorded?: boolean;
}

/**
 * One pass, whatever it does. Its writers are real ones, or (dry run) ones that only remember:
 * the rest of the pass never asks which.
 */
export interface Pass {
  runId: string;
  /** What the run history calls it (`sync`, `scheduled pass`...). */
  command: string;
  dryRun: boolean;
  config: EngineConfig;
  clock: Clock;
  /** Every line this pass logs carries its run id. */
  logger: Logger;
  /** Where the pass says what it is doing (absent: nobody is watching). */
  progress?: ProgressListener | undefined;
  /** Readers only: everything a pass writes goes through `writers`, so a dry run cannot write by mistake. */
  services: { source: SourceReader & SourceCatalog; jira: JiraReader; nativeLinks: NativeLinkReader };
  /** The ledger to read (links, cached views); undefined in a dry run before any ledger exists. */
  ledger: Ledger | undefined;
  writers: {
    jira: JiraWriter;
    links: LinkWriter;
    findings: FindingsLog;
    notifier: Notifier;
    delivery: DeliveryWriter;
    deliveryLog: DeliveryLog;
    connections: ConnectionWriter;
    connectionLog: ConnectionLog;
  };
  /**
   * Runs the pass's writes holding the Jira lease (a dry run writes nothing and takes none); see
   * WriteLock. Called only when there is something to write: a pass with nothing to do never
   * touches the lease.
   */
  exclusive<T>(write: (stale: boolean) => Promise<T>, readStartedAt?: number): Promise<T>;
  /** Requests this pass has sent so far, per route. */
  requests(): Record<string, RouteStats>;
}

/**
 * The envelope every pass runs in (sync, reconcile, the scheduled pass): one run id and one child
 * logger, one ledger connection, the pass lease while it writes, one run record, and the process's
 * one set of services (so one HTTP policy: a 429 window learned by one step is honoured by the next).
 * A dry run opens the ledger read-only (never creating it), takes no lease and records no run.
 */
export async function withPass<T>(context: PassContext, spec: PassSpec<T>, work: (pass: Pass) => Promise<T>): Promise<T> {
  const { config, clock, services } = context;
  const runId = randomUUID();
  const logger = context.logger.child({ runId });
  const ledgerOptions = { secrets: config.secrets };
  const ledger = spec.dryRun ? Ledger.openReadOnly(config.ledgerPath, ledgerOptions) : Ledger.open(config.ledgerPath, ledgerOptions);
  const before = services.requests();
  // Who this process is in both leases: host, PID scope, PID, start time, nonce.
  const holder = leaseHolder();
  try {
    const writable = ledger && !spec.dryRun ? ledger : undefined;
    const writeLock = writable && jiraLease(context, writable, holder);
    const pass: Pass = {
      runId,
      command: spec.command,
      dryRun: spec.dryRun,
      config,
      clock,
      logger,
      progress: context.progress,
      services,
      ledger,
      writers: writable
        ? {
            jira: services.jira,
            links: writable,
            findings: writable.findings,
            notifier: services.notifier,
            delivery: services.delivery,
            deliveryLog: writable,
            connections: services.connections,
            connectionLog: writable,
          }
        : {
            jira: new DryRunWriter(),
            links: new DryRunLinks(),
            delivery: new DryRunDelivery(),
            deliveryLog: new DryRunLinks(),
            connections: new DryRunConnections(),
            connectionLog: new DryRunLinks(),
            findings: new DryRunFindings(),
            notifier: new DryRunNotifier(services.notifier),
          },
      exclusive: (write, readStartedAt) => (writeLock ? writeLock.hold(write, readStartedAt) : write(false)),
      requests: () => statsSince(before, services.requests()),
    };
    if (!writable) return spec.recorded === false ? await work(pass) : await recordedDryRun(pass, spec, work);
    const locks: PassLock[] = [ledgerLease(writable, clock, config.schedule.leaseSeconds * 1000, holder)];
    return await holdAll(locks, () => recorded(writable, pass, spec, work));
  } catch (error) {
    // A damaged or unwritable ledger is named with its path and what to do, not reported as a bug.
    throw ledger ? ledger.explain(error) : error;
  } finally {
    ledger?.close();
  }
}

/** The ledger's pass lease: never two writing passes at once, on this host or any other sharing the ledger. */
export const ledgerLease = (ledger: Ledger, clock: Clock, ttlMs: number, holder = leaseHolder()): PassLock => ({
  hold: (work) => ledger.leases.hold(PASS_LEASE, holder, clock, ttlMs, work),
});

/** The Jira-side lease of a writing pass: never two writers on one project, whatever their ledgers. */
function jiraLease(context: PassContext, ledger: Ledger, holder: string): WriteLock {
  const { config, services, clock, logger } = context;
  return {
    hold: (write, readStartedAt) => {
      // Another pass may hold the lease for a while, or Jira's search need time to show another ledger's writes.
      const waiting = startPhase(context, { name: 'wait-for-lease' });
      const started = (stale: boolean) => {
        waiting.finish({});
        return write(stale);
      };
      return new JiraLease(services.jira, { holder, ledger: ledger.identity() }, clock, logger, {
        ttlMs: config.schedule.leaseSeconds * 1000,
        waitMs: config.sync.leaseWaitSeconds * 1000,
        confirmMs: config.sync.leaseConfirmSeconds * 1000,
        settleMs: config.sync.intentSettleSeconds * 1000,
      }).hold(started, readStartedAt);
    },
  };
}

const holdAll = <T>(locks: readonly PassLock[], work: () => Promise<T>): Promise<T> =>
  locks.reduceRight<() => Promise<T>>((inner, lock) => () => lock.hold(inner), work)();

/** Runs the work as one run in the ledger's history: started, then succeeded (or degraded) with its counts, or failed / interrupted. */
async function recorded<T>(ledger: Ledger, pass: Pass, spec: PassSpec<T>, work: (pass: Pass) => Promise<T>): Promise<T> {
  ledger.startRun(pass.runId, spec.command, pass.clock.now());
  try {
    const result = await work(pass);
    const stuck = spec.stuck?.(result) ?? [];
    ledger.finishRun(pass.runId, stuck.length ? 'degraded' : 'succeeded', pass.clock.now(), spec.counts(result), null, stuck);
    return result;
  } catch (error) {
    ledger.finishRun(
      pass.runId,
      isInterruption(error) ? 'interrupted' : 'failed',
      pass.clock.now(),
      null,
      headline(error, pass.config.secrets),
    );
    throw error;
  }
}

/**
 * Runs a dry run and records it in the ledger's history when there is a ledger it can write to
 * (`status` shows dry runs; they never count as applied). Nothing else of the ledger changes, it is
 * never created for this, and a ledger it cannot write to just leaves the dry run unrecorded.
 */
async function recordedDryRun<T>(pass: Pass, spec: PassSpec<T>, work: (pass: Pass) => Promise<T>): Promise<T> {
  const startedAt = pass.clock.now();
  const base = { id: pass.runId, command: spec.command, startedAt };
  const record = (run: Omit<FinishedRun, keyof typeof base>) => {
    if (!pass.ledger) return;
    const recorded = Ledger.recordDryRun(pass.config.ledgerPath, { ...base, ...run }, { secrets: pass.config.secrets });
    if (!recorded) pass.logger.debug({ ledger: pass.config.ledgerPath }, 'dry run not recorded: the ledger is not writable');
  };
  try {
    const result = await work(pass);
    const stuck = spec.stuck?.(result) ?? [];
    record({
      outcome: stuck.length ? 'degraded' : 'succeeded',
      endedAt: pass.clock.now(),
      counts: spec.counts(result),
      error: null,
      stuck,
    });
    return result;
  } catch (error) {
    const outcome = isInterruption(error) ? 'interrupted' : 'failed';
    record({ outcome, endedAt: pass.clock.now(), counts: null, error: headline(error, pass.config.secrets), stuck: null });
    throw error;
  }
}

/** The first line of the error as the CLI shows it (kind, service, endpoint and message), scrubbed of every secret. */
export const headline = (error: unknown, secrets: readonly string[]): string => scrubSecrets(describeError(error).split('\n')[0]!, secrets);

function statsSince(before: Record<string, RouteStats>, now: Record<string, RouteStats>): Record<string, RouteStats> {
  const result: Record<string, RouteStats> = {};
  for (const [route, stats] of Object.entries(now)) {
    const earlier = before[route] ?? { requests: 0, retries: 0, throttled: 0 };
    const delta = {
      requests: stats.requests - earlier.requests,
      retries: stats.retries - earlier.retries,
      throttled: stats.throttled - earlier.throttled,
    };
    if (delta.requests || delta.retries || delta.throttled) result[route] = delta;
  }
  return result;
}
