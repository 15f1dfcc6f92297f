import type { RouteStats } from '../http/policy.js';
import type { DesiredTree } from '../model/desired.js';
import { buildObservedTree, type ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { ProjectCatalog } from '../model/ports.js';
import type { Approval, SavedPlan } from '../model/saved-plan.js';
import type { SourceGraph } from '../model/source.js';
import { applyPlan } from './apply/apply-plan.js';
import type { ApplyResult } from './apply/context.js';
import { approvePlan } from './approved-plan.js';
import { TooManyChanges, alertRefusal, changeRefusal } from './change-limit.js';
import { CreateScreens, fitCreateScreens, type CreateScreenFit } from './create-screens.js';
import { connect, type ConnectionReport } from './connect.js';
import { deliver, type DeliveryReport } from './deliver.js';
import { withPass, type Pass, type PassContext } from './pass.js';
import { startPhase } from './phase-progress.js';
import { plan as buildPlan } from './planner.js';
import { readWorld, type World } from './read-world.js';
import { findNativeLinks, type NativeAdoption } from './native-adoption.js';
import { pbStatusChanges } from './status-loop.js';
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
  /** What Productboard's own Jira integration gave this pass to adopt; null when nothing was created or adoption is off. */
  native: NativeAdoption | null;
  /** What the pass will do less than planned and why (a field the create screen does not show). */
  warnings: string[];
  /** What was read of each service: everything, or what changed since the last read. */
  reads: World['reads'];
}

export interface SyncReport extends PlannedSync {
  apply: ApplyResult;
  /** The Productboard side: delivery written back to the synced items; null when the mapping writes nothing back. */
  delivery: DeliveryReport | null;
  /** The plugin-integration column: connections to write (and what was written); null when no integration is configured. */
  connections: ConnectionReport | null;
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
  /** A push from the plugin-integration column (`serve`): the plan kept to this item and its ancestors. */
  focus?: string;
  /** Read both services in full this pass, not only what changed since the last (`sync --full-read`). */
  fullRead?: boolean;
}

/** What the run history records of a sync. */
export const syncCounts = (r: SyncReport): Record<string, number> => ({
  ...r.plan.counts,
  // A dry run applied nothing: its record keeps the plan's counts only.
  ...(r.dryRun ? {} : { applied: r.apply.applied, failed: r.apply.failed, pending: r.apply.pending }),
  stuck: stuckItems(r).length,
  ...(r.delivery ? { productboardWritten: r.delivery.result.written } : {}),
  ...(r.delivery?.result.failed ? { productboardFailed: r.delivery.result.failed } : {}),
  ...(r.connections ? { connectionsWritten: r.connections.result.written } : {}),
  ...(r.connections?.result.failed ? { connectionsFailed: r.connections.result.failed } : {}),
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
 * record. A dry run is the same pipeline: the pass hands it writers that only remember. Creates are
 * checked against their issue types' create screens first; the writes run under the Jira lease,
 * taken only when there is something to write, and if another writer's work may be missing from
 * what was read, everything is read and decided again under the lease. A decision discarded that
 * way is never shown nor applied: the plan applied is the last one decided, and it is the one
 * shown (`onPlanned`) before the first write. Every decision is checked against the saved plan and
 * the change limit, so that a refusal touches nothing in Jira, not even the lease, when the first
 * read already shows it; a decision made again under the lease is checked again.
 */
export async function syncPass(pass: Pass, options: SyncOptions = {}): Promise<SyncReport> {
  const { config, clock, logger } = pass;
  const startedAt = clock.now();
  logger.info({ dryRun: pass.dryRun, project: config.jira.project, mapping: config.mapping.file }, 'sync pass started');
  const screens = new CreateScreens(pass.services.jira);
  const limit = options.maxChanges !== undefined ? options.maxChanges : options.approved ? null : (config.sync.maxChanges ?? null);
  const guarded = (decided: Decided): Decided => {
    // A dry run writes nothing, so it is never refused: its plan shows what a real pass would be refused for.
    const refusal = pass.dryRun ? null : changeRefusal(decided.planned.plan, decided.planned.desired, limit, pass.command);
    if (refusal) throw new TooManyChanges(refusal);
    return decided;
  };
  const decide = async () => guarded(restricted(await decidePass(pass, screens, options), options.focus));
  let decided = await decide();
  // The Productboard side (delivery fields, then the plugin column) starts as soon as the Jira tree
  // is as this pass leaves it: the backlinks still under way then change nothing it is planned from,
  // so both lanes run side by side.
  let productboard: Promise<ProductboardSide> | undefined;
  const writeProductboard = (apply: ApplyResult) => {
    productboard = productboardSide(pass, decided, apply);
    // Awaited below; until then a rejection is held, not reported as unhandled.
    productboard.catch(() => undefined);
  };
  const write = async (stale: boolean): Promise<ApplyResult> => {
    if (stale) decided = await decide();
    const { planned, fits } = decided;
    for (const warning of planned.warnings) logger.warn({ warning }, 'create screen: field left out of creates');
    options.onPlanned?.(planned);
    return applyPlan(planned.plan, {
      writer: pass.writers.jira,
      reader: pass.services.jira,
      links: pass.writers.links,
      clock,
      logger,
      runId: pass.runId,
      screens: fits,
      progress: pass.progress,
      onSettled: writeProductboard,
    });
  };
  // Only a create can duplicate what Jira's search did not show yet: only creates wait for it.
  const first = decided.planned.plan;
  let apply: ApplyResult;
  try {
    apply = writesToJira(first) ? await pass.exclusive(write, first.counts.create > 0 ? startedAt : undefined) : await write(false);
  } catch (error) {
    // Productboard writes under way finish (and are recorded) before the pass closes the ledger.
    await productboard?.catch(() => undefined);
    throw error;
  }
  const { delivery, connections } = await (productboard ?? productboardSide(pass, decided, apply));
  const { planned } = decided;
  for (const warning of planned.desired.warnings) logger.warn(warning, 'item synced without part of its data');
  const report = { ...planned, apply, delivery, connections, requests: pass.requests(), durationMs: clock.now() - startedAt };
  logger.info(
    { counts: planned.plan.counts, applied: apply.applied, failed: apply.failed, durationMs: report.durationMs },
    'sync pass finished',
  );
  return report;
}

/** A pass's decision: the plan it will apply, and how its creates fit their create screens. */
interface Decided {
  planned: PlannedSync;
  fits: ReadonlyMap<string, CreateScreenFit>;
  /** A push's pass: the pushed item and its ancestors, the only items the plan kept. */
  scope?: ReadonlySet<string>;
}

/**
 * What a pass decides from what it reads: the world, the plan over it (items Productboard's own
 * Jira integration linked are looked for among the creates, and adopted; a saved plan is checked
 * against it and applied as reviewed), and how creates fit their create screens.
 */
async function decidePass(pass: Pass, screens: CreateScreens, { approved, fullRead }: SyncOptions): Promise<Decided> {
  const { config, clock } = pass;
  const read = await readWorld(pass, { fullRead: Boolean(fullRead) });
  const planning = startPhase(pass, { name: 'plan' });
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
  const fresh = adopting ? planOver(world.observed, adopting) : first;
  const { project, graph, desired, observed } = world;
  // What changed since the plan was saved is refused (stale) or left out (new), never applied unreviewed.
  const sources = { project: project.key, mapping: config.mapping, graph, desired, observed };
  const { plan, approval } = approved ? approvePlan(approved, fresh, sources) : { plan: fresh, approval: null };
  const creating = new Set(plan.actions.flatMap((a) => (a.kind === 'create' ? [a.issue.issueTypeId] : [])));
  const fit = await fitCreateScreens(screens, config.mapping, world.issueTypes, creating, world.context);
  planning.finish(plan.counts);
  return {
    planned: {
      runId: pass.runId,
      dryRun: pass.dryRun,
      project,
      graph,
      desired,
      observed,
      plan,
      approval,
      native,
      warnings: fit.warnings,
      reads: world.reads,
    },
    fits: fit.fits,
  };
}

interface ProductboardSide {
  delivery: DeliveryReport | null;
  connections: ConnectionReport | null;
}

/** Delivery fields, then the plugin column: both planned from the Jira tree the pass leaves (`apply`). */
async function productboardSide(pass: Pass, { planned, scope }: Decided, apply: ApplyResult): Promise<ProductboardSide> {
  const delivery = await deliver(pass, planned, apply, scope);
  const connections = await connect(pass, planned, apply, scope);
  return { delivery, connections };
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
function restricted(decided: Decided, focus: string | undefined): Decided {
  if (focus === undefined) return decided;
  const { plan, desired } = decided.planned;
  const scope = new Set<string>();
  for (let at: string | null = focus; at !== null && !scope.has(at); at = desired.issues.get(at)?.parentPbId ?? null) scope.add(at);
  const actions = plan.actions.filter((a) => scope.has(a.pbId));
  const counts = Object.fromEntries(Object.keys(plan.counts).map((k) => [k, actions.filter((a) => a.kind === k).length]));
  // Only the components and versions the kept items name are added to the project.
  const needed = new Set([...scope].flatMap((id) => (desired.issues.get(id)?.needs ?? []).map((n) => `${n.kind}:${n.name}`)));
  const additions = (plan.additions ?? []).filter((a) => needed.has(`${a.kind}:${a.name}`));
  return { ...decided, scope, planned: { ...decided.planned, plan: { ...plan, actions, additions, counts: counts as Plan['counts'] } } };
}
