import type { RouteStats } from '../http/policy.js';
import type { DesiredTree } from '../model/desired.js';
import type { ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { ProjectCatalog } from '../model/ports.js';
import type { Approval, SavedPlan } from '../model/saved-plan.js';
import type { SourceGraph } from '../model/source.js';
import { applyPlan } from './apply/apply-plan.js';
import type { ApplyResult } from './apply/context.js';
import { approvePlan } from './approved-plan.js';
import { TooManyChanges, alertRefusal, changeRefusal } from './change-limit.js';
import { withPass, type Pass, type PassContext } from './pass.js';
import { plan as buildPlan } from './planner.js';
import { readWorld } from './read-world.js';
import { stuckItems } from './stuck-items.js';

/** A sync once it has decided, before it writes anything: what the plan is and what it was computed from. */
export interface PlannedSync {
  runId: string;
  dryRun: boolean;
  project: ProjectCatalog;
  /** The Productboard view this pass used (a scheduled pass reconciles against it). */
  graph: SourceGraph;
  desired: DesiredTree;
  observed: ObservedTree;
  plan: Plan;
  /** Set when the plan is a saved one (`sync --plan FILE`), applied as it was reviewed. */
  approval: Approval | null;
}

export interface SyncReport extends PlannedSync {
  apply: ApplyResult;
  requests: Record<string, RouteStats>;
  durationMs: number;
}

export interface SyncOptions {
  /** A plan saved by `sync --dry-run --out FILE`: apply exactly it, or refuse when it is stale. */
  approved?: SavedPlan;
  /**
   * Refuse the pass when its plan writes more issues than this (null: no limit). When absent, the
   * config's `sync.maxChanges` applies, except to an approved plan: its review was the approval.
   */
  maxChanges?: number | null;
  /** Told once the plan is decided, before anything is written (the CLI prints it then). */
  onPlanned?(planned: PlannedSync): void;
}

/** What the run history records of a sync. */
export const syncCounts = (r: SyncReport): Record<string, number> => ({
  ...r.plan.counts,
  // A dry run applied nothing: its record keeps the plan's counts only.
  ...(r.dryRun ? {} : { applied: r.apply.applied, failed: r.apply.failed, pending: r.apply.pending }),
  stuck: stuckItems(r).length,
});

/**
 * `sync`: one pass of its own; recorded as degraded when items are stuck (the CLI exits 1 when Jira
 * refused any). A pass refused for writing too much tells people (Slack) before it ends.
 */
export function runSync(context: PassContext, options: SyncOptions & { dryRun: boolean }): Promise<SyncReport> {
  return withPass<SyncReport>(context, { command: 'sync', dryRun: options.dryRun, counts: syncCounts, stuck: stuckItems }, async (pass) => {
    try {
      return await syncPass(pass, options);
    } catch (error) {
      if (error instanceof TooManyChanges) await alertRefusal(pass, error.refusal);
      throw error;
    }
  });
}

/**
 * A sync within a pass: pull Productboard and Jira, plan (or check a saved plan), guard, apply,
 * record. A dry run is the same pipeline: the pass hands it writers that only remember.
 */
export async function syncPass(pass: Pass, options: SyncOptions = {}): Promise<SyncReport> {
  const { config, clock, logger } = pass;
  const startedAt = clock.now();
  logger.info({ dryRun: pass.dryRun, project: config.jira.project, mapping: config.mapping.file }, 'sync pass started');
  const world = await readWorld(pass);
  const { desired, observed, links, project } = world;
  for (const warning of desired.warnings) logger.warn(warning, 'item synced without part of its data');
  const fresh = buildPlan({ desired, observed, links, now: clock.now(), settleMs: config.sync.intentSettleSeconds * 1000 });
  const sources = { project: project.key, mapping: config.mapping, graph: world.graph, observed };
  const { plan, approval } = options.approved ? approvePlan(options.approved, fresh, sources) : { plan: fresh, approval: null };
  const planned: PlannedSync = { runId: pass.runId, dryRun: pass.dryRun, project, graph: world.graph, desired, observed, plan, approval };

  const limit = options.maxChanges !== undefined ? options.maxChanges : options.approved ? null : (config.sync.maxChanges ?? null);
  // A dry run writes nothing, so it is never refused: its plan shows what a real pass would be refused for.
  const refusal = pass.dryRun ? null : changeRefusal(plan, desired, limit, pass.command);
  if (refusal) throw new TooManyChanges(refusal);
  options.onPlanned?.(planned);

  const apply = await applyPlan(plan, {
    writer: pass.writers.jira,
    reader: pass.services.jira,
    links: pass.writers.links,
    clock,
    logger,
    runId: pass.runId,
  });
  const report = { ...planned, apply, requests: pass.requests(), durationMs: clock.now() - startedAt };
  logger.info({ counts: plan.counts, applied: apply.applied, failed: apply.failed, durationMs: report.durationMs }, 'sync pass finished');
  return report;
}
