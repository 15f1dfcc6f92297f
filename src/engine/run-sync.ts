import type { RouteStats } from '../http/policy.js';
import type { DesiredTree } from '../model/desired.js';
import type { ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { ProjectCatalog } from '../model/ports.js';
import type { SourceGraph } from '../model/source.js';
import { applyPlan } from './apply/apply-plan.js';
import type { ApplyResult } from './apply/context.js';
import { withPass, type Pass, type PassContext } from './pass.js';
import { plan as buildPlan } from './planner.js';
import { readWorld } from './read-world.js';
import { stuckItems } from './stuck-items.js';

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

/** What the run history records of a sync. */
export const syncCounts = (r: SyncReport): Record<string, number> => ({
  ...r.plan.counts,
  applied: r.apply.applied,
  failed: r.apply.failed,
  pending: r.apply.pending,
  stuck: stuckItems(r).length,
});

/** `sync`: one pass of its own; recorded as degraded when items are stuck (the CLI exits 1 when Jira refused any). */
export function runSync(context: PassContext, options: { dryRun: boolean }): Promise<SyncReport> {
  return withPass<SyncReport>(context, { command: 'sync', dryRun: options.dryRun, counts: syncCounts, stuck: stuckItems }, syncPass);
}

/**
 * A sync within a pass: pull Productboard and Jira, plan, apply, record. A dry run is the same
 * pipeline: the pass hands it writers that only remember.
 */
export async function syncPass(pass: Pass): Promise<SyncReport> {
  const { config, clock, logger } = pass;
  const startedAt = clock.now();
  logger.info({ dryRun: pass.dryRun, project: config.jira.project, mapping: config.mapping.file }, 'sync pass started');
  const world = await readWorld(pass);
  const { desired, observed, links, project } = world;
  for (const warning of desired.warnings) logger.warn(warning, 'item synced without part of its data');
  const plan = buildPlan({ desired, observed, links, now: clock.now(), settleMs: config.sync.intentSettleSeconds * 1000 });
  const apply = await applyPlan(plan, { writer: pass.writers.jira, reader: pass.services.jira, links: pass.writers.links, clock, logger });
  const report = {
    runId: pass.runId,
    dryRun: pass.dryRun,
    project,
    graph: world.graph,
    desired,
    observed,
    plan,
    apply,
    requests: pass.requests(),
    durationMs: clock.now() - startedAt,
  };
  logger.info({ counts: plan.counts, applied: apply.applied, failed: apply.failed, durationMs: report.durationMs }, 'sync pass finished');
  return report;
}
