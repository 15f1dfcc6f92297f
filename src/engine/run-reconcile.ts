import type { RouteStats } from '../http/policy.js';
import type { DeliveryOutcome } from '../model/alert.js';
import { isFixable, type Finding, type FixableFinding } from '../model/finding.js';
import type { FindingChanges } from '../model/ports.js';
import type { SourceGraph } from '../model/source.js';
import { applyPlan } from './apply/apply-plan.js';
import { withPass, type Pass, type PassContext } from './pass.js';
import { reconcile } from './reconciler.js';
import { readWorld, type World } from './read-world.js';
import type { ObservedIssue } from '../model/observed.js';
import { repairPlan } from './repairs.js';

export type AlertMode = 'none' | 'changes' | 'all';

export interface ReconcileOptions {
  alert: AlertMode;
  fix: boolean;
  /** The Productboard view of the sync that just ran in the same pass; read in full when absent. */
  source?: SourceGraph;
}

export interface FixResult {
  finding: FixableFinding;
  /** `moved` in a dry run means: would be moved. */
  outcome: 'moved' | 'failed';
  error?: string;
}

export interface ReconcileReport {
  runId: string;
  /** Nothing was written: no Jira move, no Slack post, no ledger change. */
  dryRun: boolean;
  project: string;
  /** Findings still open after any fixes. */
  findings: Finding[];
  fixes: FixResult[];
  alert: { sent: boolean; outcome: DeliveryOutcome | null; reason: string };
  requests: Record<string, RouteStats>;
}

/** What the run history records of a reconcile. */
export const reconcileCounts = (r: ReconcileReport): Record<string, number> => ({
  findings: r.findings.length,
  fixed: r.dryRun ? 0 : r.fixes.filter((f) => f.outcome === 'moved').length,
});

/**
 * `reconcile`: one pass of its own. It takes the pass lease like a sync: findings read while a sync
 * is half done would report (and alert) drift that the sync is about to remove.
 */
export function runReconcile(context: PassContext, options: ReconcileOptions & { dryRun: boolean }): Promise<ReconcileReport> {
  return withPass(
    context,
    { command: options.fix ? 'reconcile --fix' : 'reconcile', dryRun: options.dryRun, counts: reconcileCounts },
    (pass) => reconcilePass(pass, options),
  );
}

/**
 * A reconcile within a pass: a complete read of both systems and the ledger, the findings, optional
 * repairs of mis-parented and wrong-level issues, and an optional alert of what changed.
 */
export async function reconcilePass(pass: Pass, options: ReconcileOptions): Promise<ReconcileReport & { world: World }> {
  const { config, clock, logger } = pass;
  const world = await readWorld(pass, { fullRead: true, ...(options.source ? { source: options.source } : {}) });
  const streams = config.mapping.valueStreams;
  const all = reconcile({
    ...world,
    jiraBaseUrl: config.jira.host,
    withoutParent: await withoutParent(pass, world),
    streamsRequired: streams?.required ? { rules: streams.rules } : null,
  });
  // Repairs only move issues (never create): under the Jira lease, with no wait for search.
  const fixes = options.fix && all.some(isFixable) ? await pass.exclusive(() => repair(pass, world, all.filter(isFixable))) : [];
  // A dry run moved nothing: every finding stays open.
  const fixed = new Set<Finding>(pass.dryRun ? [] : fixes.filter((f) => f.outcome === 'moved').map((f) => f.finding));
  const findings = all.filter((f) => !fixed.has(f));
  const changes = pass.writers.findings.record(findings, clock.now());
  const alert = await sendAlert(pass, options.alert, changes);
  logger.info({ findings: findings.length, fixed: fixed.size, alerted: alert.sent }, 'reconcile finished');
  // The read goes along: the scheduled pass builds its delivery report from it instead of reading again.
  return { runId: pass.runId, dryRun: pass.dryRun, project: world.project.key, findings, fixes, alert, requests: pass.requests(), world };
}

/** The project's issues, managed or not, of the levels or types the mapping's hierarchy policy requires a parent for, without one. */
async function withoutParent(pass: Pass, world: World): Promise<ObservedIssue[]> {
  const policy = pass.config.mapping.hierarchy;
  if (!policy) return [];
  const names = new Set(policy.issueTypes.map((n) => n.toLowerCase()));
  const ids = world.project.issueTypes.filter((t) => policy.levels.includes(t.level) || names.has(t.name.toLowerCase())).map((t) => t.id);
  return pass.services.jira.withoutParent(ids);
}

/** Moves mis-parented and wrong-level issues back under the parent the mapping expects. */
async function repair(pass: Pass, world: World, fixable: readonly FixableFinding[]): Promise<FixResult[]> {
  if (!fixable.length) return [];
  const { results } = await applyPlan(repairPlan(fixable, world.desired), {
    writer: pass.writers.jira,
    reader: pass.services.jira,
    links: pass.writers.links,
    clock: pass.clock,
    logger: pass.logger,
    runId: pass.runId,
  });
  const byPbId = new Map(results.map((r) => [r.pbId, r]));
  return fixable.map((finding) => {
    const result = byPbId.get(finding.pbId);
    return result?.outcome === 'applied'
      ? { finding, outcome: 'moved' }
      : { finding, outcome: 'failed', error: result?.error ?? result?.note ?? 'not moved' };
  });
}

async function sendAlert(pass: Pass, mode: AlertMode, changes: FindingChanges): Promise<ReconcileReport['alert']> {
  const none = (reason: string) => ({ sent: false, outcome: null, reason });
  if (mode === 'none') return none('no --alert');
  const digest = mode === 'all';
  const listed = digest ? changes.open : changes.fresh;
  if (!digest && listed.length === 0 && changes.resolved.length === 0) return none('nothing new or resolved since the last alert');
  const notifier = pass.writers.notifier;
  if (notifier.unavailable) return none(notifier.unavailable);
  const outcome = await notifier.notify({
    kind: 'findings',
    project: pass.config.jira.project,
    findings: listed,
    resolved: changes.resolved,
    digest,
    openTotal: changes.open.length,
  });
  if (outcome.status === 'delivered') pass.writers.findings.markAlerted(changes.open, changes.resolved, pass.clock.now());
  if (outcome.status === 'failed') pass.logger.warn({ error: outcome.error, permanent: outcome.permanent }, 'slack alert not delivered');
  const reason = outcome.status === 'delivered' ? 'delivered' : outcome.status === 'failed' ? outcome.error : outcome.reason;
  return { sent: outcome.status === 'delivered', outcome, reason };
}
