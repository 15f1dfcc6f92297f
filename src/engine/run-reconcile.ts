import { randomUUID } from 'node:crypto';
import { buildAlert, type SlackPayload } from '../alerts/slack-message.js';
import { postToSlack, type DeliveryOutcome } from '../alerts/slack-webhook.js';
import type { EngineConfig } from '../config/load-config.js';
import { messageOf, stopsPass } from '../errors.js';
import type { RouteStats } from '../http/policy.js';
import { Ledger } from '../ledger/ledger.js';
import { PASS_LEASE, leaseHolder } from '../ledger/lease.js';
import { recordedRun } from '../ledger/run-record.js';
import { readWorld } from './read-world.js';
import { reconcile } from './reconciler.js';
import { createServices, type ServiceOptions } from './services.js';
import { isFixable, type Finding } from '../model/finding.js';
import type { SourceGraph } from '../model/source.js';

export type AlertMode = 'none' | 'changes' | 'all';

export interface ReconcileOptions extends ServiceOptions {
  config: EngineConfig;
  alert: AlertMode;
  fix: boolean;
  /** Nothing is written: no Jira move, no Slack post, no ledger change; the report says what would be. */
  dryRun: boolean;
  /** Inside a scheduled pass: the scheduler holds the lease and records the pass itself. */
  withinPass?: boolean;
  /** The Productboard view of the sync that just ran in the same pass; read in full when absent. */
  source?: SourceGraph;
}

export interface FixResult {
  finding: Finding;
  outcome: 'moved' | 'would-move' | 'failed';
  error?: string;
}

export interface ReconcileReport {
  runId: string;
  project: string;
  /** Findings still open after any fixes. */
  findings: Finding[];
  fixes: FixResult[];
  alert: { sent: boolean; payload: SlackPayload | null; outcome: DeliveryOutcome | null; reason: string };
  requests: Record<string, RouteStats>;
}

/**
 * One reconcile: a complete read of both systems and the ledger, the findings, optional repairs of
 * mis-parented and wrong-level issues, and an optional Slack alert of what changed.
 */
export async function runReconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { config, clock } = options;
  const runId = randomUUID();
  const logger = options.logger.child({ runId });
  const services = createServices(config, { ...options, logger });
  const ledger = options.dryRun ? Ledger.openReadOnly(config.ledgerPath) : Ledger.open(config.ledgerPath);
  try {
    const record = !options.dryRun && !options.withinPass;
    return await recordedRun(
      record ? ledger : undefined,
      { id: runId, command: options.fix ? 'reconcile --fix' : 'reconcile', clock },
      async () => {
        const world = await readWorld(config, services, ledger, clock.now(), { fullRead: true, persist: !options.dryRun, ...(options.source ? { source: options.source } : {}) });
        const all = reconcile({ ...world, jiraBaseUrl: config.jira.host });
        // Repairs write to Jira: like a sync, they take the pass lease.
        const repair = () => applyFixes(all, services, options.dryRun);
        const fixes = !options.fix ? [] : record ? await ledger!.leases.hold(PASS_LEASE, leaseHolder(), clock, config.schedule.leaseSeconds * 1000, repair) : await repair();
        const fixed = new Set(fixes.filter((f) => f.outcome === 'moved').map((f) => f.finding));
        const findings = all.filter((f) => !fixed.has(f));
        const changes = options.dryRun || !ledger ? { fresh: findings, resolved: [], open: findings } : ledger.findings.record(findings, clock.now());
        const alert = await sendAlert(options, services, changes, ledger);
        logger.info({ findings: findings.length, fixed: fixed.size, alerted: alert.sent }, 'reconcile finished');
        return { runId, project: world.project.key, findings, fixes, alert, requests: services.policy.snapshot() };
      },
      (r) => ({ findings: r.findings.length, fixed: r.fixes.filter((f) => f.outcome === 'moved').length }),
    );
  } finally {
    ledger?.close();
  }
}

/** Moves mis-parented and wrong-level issues back under the parent the mapping expects. */
async function applyFixes(findings: readonly Finding[], services: ReturnType<typeof createServices>, dryRun: boolean): Promise<FixResult[]> {
  const fixable = findings.filter(isFixable);
  return Promise.all(
    fixable.map(async (finding): Promise<FixResult> => {
      if (dryRun) return { finding, outcome: 'would-move' };
      try {
        await services.jira.edit({ jiraId: finding.jiraId, jiraKey: finding.jiraKey, parentJiraId: finding.fix.parent?.jiraId ?? null });
        return { finding, outcome: 'moved' };
      } catch (error) {
        if (stopsPass(error)) throw error;
        return { finding, outcome: 'failed', error: messageOf(error) };
      }
    }),
  );
}

async function sendAlert(
  options: ReconcileOptions,
  services: ReturnType<typeof createServices>,
  changes: { fresh: Finding[]; resolved: Finding[]; open: Finding[] },
  ledger: Ledger | undefined,
): Promise<ReconcileReport['alert']> {
  const none = (reason: string) => ({ sent: false, payload: null, outcome: null, reason });
  if (options.alert === 'none') return none('no --alert');
  const digest = options.alert === 'all';
  const listed = digest ? changes.open : changes.fresh;
  if (!digest && listed.length === 0 && changes.resolved.length === 0) return none('nothing new or resolved since the last alert');
  const payload = buildAlert({ project: options.config.jira.project, findings: listed, resolved: changes.resolved, digest, openTotal: changes.open.length });
  const url = options.config.slack.webhookUrl;
  if (!url) return { sent: false, payload, outcome: null, reason: 'SLACK_WEBHOOK_URL is not set' };
  if (options.dryRun) return { sent: false, payload, outcome: null, reason: 'dry run: not sent' };
  const outcome = await postToSlack(url, payload, services.policy, options.config.http.timeoutMs);
  if (outcome.ok) ledger?.findings.markAlerted(changes.open, changes.resolved, options.clock.now());
  else options.logger.warn({ error: outcome.error, permanent: outcome.permanent }, 'slack alert not delivered');
  return { sent: outcome.ok, payload, outcome, reason: outcome.ok ? 'delivered' : outcome.error };
}
