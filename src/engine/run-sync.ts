import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EngineConfig } from '../config/load-config.js';
import type { RouteStats } from '../http/policy.js';
import { Ledger } from '../ledger/ledger.js';
import { PASS_LEASE, leaseHolder } from '../ledger/lease.js';
import { recordedRun } from '../ledger/run-record.js';
import { ScratchLinks } from '../ledger/link-writer.js';
import { applyPlan, type ApplyResult } from './applier.js';
import { DryRunWriter } from './dry-run-writer.js';
import { plan as buildPlan } from './planner.js';
import { readWorld } from './read-world.js';
import { createServices, type ServiceOptions, type Services } from './services.js';
import type { Clock } from '../util/clock.js';
import type { LinkWriter, ProjectCatalog } from '../model/ports.js';
import type { DesiredTree } from '../model/desired.js';
import type { ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { SourceGraph } from '../model/source.js';

export interface SyncOptions extends ServiceOptions {
  config: EngineConfig;
  dryRun: boolean;
  /**
   * Inside a scheduled pass: the scheduler already holds the lease and records the pass itself.
   * Otherwise a (non-dry) sync takes the lease and records its own run.
   */
  withinPass?: boolean;
}

export interface SyncReport {
  runId: string;
  dryRun: boolean;
  project: ProjectCatalog;
  /** The Productboard view this pass used (a scheduled pass reconciles against it). */
  graph: SourceGraph;
  desired: DesiredTree;
  observed: ObservedTree;
  plan: Plan;
  apply: ApplyResult;
  requests: Record<string, RouteStats>;
  durationMs: number;
}

/**
 * One sync pass: pull Productboard and Jira, plan, apply, record. A dry run is the same pipeline
 * with the Jira writer and the ledger writer swapped for ones that only remember.
 */
export async function runSync(options: SyncOptions): Promise<SyncReport> {
  const { config, clock, logger } = options;
  const startedAt = clock.now();
  const runId = randomUUID();
  const log = logger.child({ runId });
  const services = createServices(config, { ...options, logger: log });
  // A dry run never creates the ledger file; it reads it if it is there.
  const ledger = options.dryRun ? Ledger.openReadOnly(config.ledgerPath) : Ledger.open(config.ledgerPath);
  try {
    const record = !options.dryRun && !options.withinPass;
    log.info({ dryRun: options.dryRun, project: config.jira.project, mapping: config.mapping.file }, 'sync pass started');
    const run = () => pass(options, services, ledger, runId, log, startedAt);
    const report = await recordedRun(
      record ? ledger : undefined,
      { id: runId, command: 'sync', clock },
      () => (record ? ledger!.leases.hold(PASS_LEASE, leaseHolder(), clock, config.schedule.leaseSeconds * 1000, run) : run()),
      (r) => ({ ...r.plan.counts, applied: r.apply.applied, failed: r.apply.failed, pending: r.apply.pending }),
    );
    log.info({ counts: report.plan.counts, applied: report.apply.applied, failed: report.apply.failed, durationMs: report.durationMs }, 'sync pass finished');
    return report;
  } finally {
    ledger?.close();
  }
}

async function pass(options: SyncOptions, services: Services, ledger: Ledger | undefined, runId: string, log: Logger, startedAt: number): Promise<SyncReport> {
  const { config, clock } = options;
  const world = await readWorld(config, services, ledger, clock.now(), { persist: !options.dryRun });
  const { desired, observed, links, project } = world;
  const plan = buildPlan({ desired, observed, links, now: clock.now(), settleMs: config.sync.intentSettleSeconds * 1000 });

  const linkWriter: LinkWriter = options.dryRun || !ledger ? new ScratchLinks(links) : ledger;
  const writer = options.dryRun ? new DryRunWriter() : services.jira;
  const apply = await applyPlan({ plan, desired, observed, links, writer, reader: services.jira, linkWriter, clock, logger: log });
  return { runId, dryRun: options.dryRun, project, graph: world.graph, desired, observed, plan, apply, requests: services.policy.snapshot(), durationMs: clock.now() - startedAt };
}
