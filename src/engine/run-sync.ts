import type { RouteStats } from '../http/policy.js';
import type { DesiredTree } from '../model/desired.js';
import { buildObservedTree, type ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { ProjectCatalog } from '../model/ports.js';
import type { SourceGraph } from '../model/source.js';
import { applyPlan } from './apply/apply-plan.js';
import type { ApplyResult } from './apply/context.js';
import { CreateScreens, fitCreateScreens } from './create-screens.js';
import { connect, type ConnectionReport } from './connect.js';
import { deliver, type DeliveryReport } from './deliver.js';
import { withPass, type Pass, type PassContext } from './pass.js';
import { plan as buildPlan } from './planner.js';
import { readWorld } from './read-world.js';
import { findNativeLinks, type NativeAdoption } from './native-adoption.js';
import { pbStatusChanges } from './status-loop.js';
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
  /** The Productboard side: delivery written back to the synced items; null when the mapping writes nothing back. */
  delivery: DeliveryReport | null;
  /** The plugin-integration column: connections to write (and what was written); null when no integration is configured. */
  connections: ConnectionReport | null;
  /** What Productboard's own Jira integration gave this pass to adopt; null when nothing was created or adoption is off. */
  native: NativeAdoption | null;
  /** What the pass did less than planned and why (a field the create screen does not show). */
  warnings: string[];
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
  ...(r.delivery ? { productboardWritten: r.delivery.result.written } : {}),
  ...(r.delivery?.result.failed ? { productboardFailed: r.delivery.result.failed } : {}),
  ...(r.connections ? { connectionsWritten: r.connections.result.written } : {}),
  ...(r.connections?.result.failed ? { connectionsFailed: r.connections.result.failed } : {}),
});

/** `sync`: one pass of its own; recorded as degraded when items are stuck (the CLI exits 1 when Jira refused any). */
export function runSync(context: PassContext, options: { dryRun: boolean }): Promise<SyncReport> {
  return withPass<SyncReport>(context, { command: 'sync', dryRun: options.dryRun, counts: syncCounts, stuck: stuckItems }, syncPass);
}

/**
 * A sync within a pass: pull Productboard and Jira, plan, apply, record. A dry run is the same
 * pipeline: the pass hands it writers that only remember. Creates are checked against their
 * issue types' create screens first; the writes run under the Jira lease, taken only when there is
 * something to write, and if another writer's work may be missing from what was read, everything
 * is read and planned again under the lease.
 */
export async function syncPass(pass: Pass, focus?: string): Promise<SyncReport> {
  const { config, clock, logger } = pass;
  const startedAt = clock.now();
  logger.info({ dryRun: pass.dryRun, project: config.jira.project, mapping: config.mapping.file }, 'sync pass started');
  const screens = new CreateScreens(pass.services.jira);
  const decide = async () => restricted(await decidePass(pass, screens), focus);
  let decided = await decide();
  const write = async (stale: boolean): Promise<ApplyResult> => {
    if (stale) decided = await decide();
    return applyPlan(decided.plan, {
      writer: pass.writers.jira,
      reader: pass.services.jira,
      links: pass.writers.links,
      clock,
      logger,
      screens: decided.fit.fits,
    });
  };
  // Only a create can duplicate what Jira's search did not show yet: only creates wait for it.
  const apply = writesToJira(decided.plan)
    ? await pass.exclusive(write, decided.plan.counts.create > 0 ? startedAt : undefined)
    : await write(false);
  const { world, plan, fit, native, scope } = decided;
  const delivery = await deliver(pass, { graph: world.graph, desired: world.desired, observed: world.observed, plan }, apply, scope);
  const connections = await connect(pass, { desired: world.desired, observed: world.observed, plan }, apply, scope);
  for (const warning of world.desired.warnings) logger.warn(warning, 'item synced without part of its data');
  const report = {
    runId: pass.runId,
    dryRun: pass.dryRun,
    project: world.project,
    graph: world.graph,
    desired: world.desired,
    observed: world.observed,
    plan,
    apply,
    delivery,
    connections,
    native,
    warnings: fit.warnings,
    requests: pass.requests(),
    durationMs: clock.now() - startedAt,
  };
  logger.info({ counts: plan.counts, applied: apply.applied, failed: apply.failed, durationMs: report.durationMs }, 'sync pass finished');
  return report;
}

/**
 * What a pass decides from what it reads: the world, the plan over it (items Productboard's own
 * Jira integration linked are looked for among the creates, and adopted), and how creates fit
 * their create screens.
 */
async function decidePass(pass: Pass, screens: CreateScreens) {
  const { config, clock, logger } = pass;
  const read = await readWorld(pass);
  const planOver = (observed: ObservedTree, native?: NativeAdoption['issues']) =>
    buildPlan({
      desired: read.desired,
      observed,
      links: read.links,
      now: clock.now(),
      settleMs: config.sync.intentSettleSeconds * 1000,
      pbStatusChanged: pbStatusChanges(
        [...read.desired.issues.values()].map((i) => ({ ...i, pbStatus: read.graph.items.get(i.pbId)?.statusName ?? null })),
        config.mapping.writeBack?.status ?? new Map(),
        pass.ledger?.statusSynced() ?? new Map(),
      ),
      ...(native ? { native } : {}),
    });
  // Creates first looked for among the links of Productboard's own Jira integration: planned
  // again over those issues, they are adopted instead.
  const first = planOver(read.observed);
  const native = await findNativeLinks(pass, read.observed, first);
  const adopting = native && native.issues.size > 0 ? native.issues : null;
  const world = adopting
    ? { ...read, observed: buildObservedTree([...read.observed.byId.values(), ...[...adopting.values()].map((n) => n.issue)]) }
    : read;
  const plan = adopting ? planOver(world.observed, adopting) : first;
  const creating = new Set(plan.actions.flatMap((a) => (a.kind === 'create' ? [a.issue.issueTypeId] : [])));
  const fit = await fitCreateScreens(screens, config.mapping, world.issueTypes, creating, world.context);
  for (const warning of fit.warnings) logger.warn({ warning }, 'create screen: field left out of creates');
  return { world, plan, fit, native };
}

/** Whether applying the plan writes to Jira (an adoption alone only records it, unless it finishes a create). */
const writesToJira = (plan: Plan): boolean =>
  Boolean(plan.additions?.length) ||
  plan.actions.some(
    (a) => a.kind === 'create' || a.kind === 'update' || a.kind === 'move' || (a.kind === 'adopt' && a.remoteLink !== null),
  );

/**
 * A push's pass: the plan kept to the pushed item and its ancestors (which its issue needs as
 * parents), so pressing one button writes to Jira for that item only.
 */
function restricted<T extends { plan: Plan; world: { desired: DesiredTree } }>(
  decided: T,
  focus: string | undefined,
): T & { scope?: ReadonlySet<string> } {
  if (focus === undefined) return decided;
  const scope = new Set<string>();
  for (let at: string | null = focus; at !== null && !scope.has(at); at = decided.world.desired.issues.get(at)?.parentPbId ?? null)
    scope.add(at);
  const actions = decided.plan.actions.filter((a) => scope.has(a.pbId));
  const counts = Object.fromEntries(Object.keys(decided.plan.counts).map((k) => [k, actions.filter((a) => a.kind === k).length]));
  // Only the components and versions the kept items name are added to the project.
  const needed = new Set([...scope].flatMap((id) => (decided.world.desired.issues.get(id)?.needs ?? []).map((n) => `${n.kind}:${n.name}`)));
  const additions = (decided.plan.additions ?? []).filter((a) => needed.has(`${a.kind}:${a.name}`));
  return { ...decided, scope, plan: { ...decided.plan, actions, additions, counts: counts as Plan['counts'] } };
}
