import type { SyncReport } from '../engine/run-sync.js';
import { fieldDiff, newIssueDiffs } from '../model/field-diff.js';
import { connectionsJson } from './format-connections.js';
import type { MappedValue } from '../model/field-value.js';
import type { DesiredIssue } from '../model/desired.js';
import type { PlanAction } from '../model/plan.js';
import { deliveryJson } from './format-delivery.js';
import { nativeJson } from './format-native.js';
import { OUTPUT_SCHEMA_VERSION } from './output-schema.js';
import { notReadJson } from './not-read.js';

/**
 * The `--json` document of `sync`: the plan as data, and the results when applied. Its JSON
 * Schema is docs/schemas/sync.schema.json. `planFile`: where `--out` saved the plan.
 */
export function syncReportJson(report: SyncReport, planFile: string | null = null) {
  const desired = (pbId: string) => report.desired.issues.get(pbId);
  // `parentChoice`: why this parent, when the item qualified for several (already in a dry run).
  const planned = (action: PlanAction) => ({
    ...actionJson(action),
    pbUrl: desired(action.pbId)?.pbUrl ?? null,
    parentChoice: desired(action.pbId)?.parentNote ?? null,
    // The item's value stream (mapping version 2, `valueStreams`): what a report groups by.
    valueStream: desired(action.pbId)?.valueStream ?? null,
    ...(action.kind === 'create' ? { fields: mappedJson(desired(action.pbId)) } : {}),
  });
  return {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    runId: report.runId,
    dryRun: report.dryRun,
    project: report.project.key,
    planFile,
    // Set when a saved plan was applied (`--plan`): when it was saved, and the changes since (not applied).
    approval: report.approval && {
      createdAt: report.approval.createdAt,
      runId: report.approval.runId,
      leftOut: report.approval.leftOut.map(planned),
    },
    plan: {
      counts: report.plan.counts,
      unchanged: report.plan.unchanged,
      actions: report.plan.actions.map(planned),
      /** Components and versions added to the project before the issues (mapping version 2, `create: true`). */
      additions: report.plan.additions ?? [],
      /** What was left out of items that do sync (links that are not http(s), tags beyond the cap). */
      warnings: report.desired.warnings,
      notRead: notReadJson(report.graph.rejected),
      /** What was read of each service: everything, or what changed since an instant (a re-link may wait for the next full read). */
      read: report.reads,
    },
    results: report.dryRun
      ? null
      : {
          applied: report.apply.applied,
          failed: report.apply.failed,
          pending: report.apply.pending,
          skipped: report.apply.skipped,
          items: report.apply.results,
        },
    /** The Productboard side: delivery fields to write (and, applied, what was written); null when the mapping writes nothing back. */
    productboard: deliveryJson(report.delivery, report.dryRun),
    /** Items adopted from Productboard's own Jira integration, and its links not used; null when it was not read. */
    nativeJira: nativeJson(report.native),
    /** The plugin-integration column: connections to write (and, applied, what was written); null when none is configured. */
    productboardColumn: connectionsJson(report.connections, report.dryRun),
    /** What the pass did less than planned, and why (a field a create screen does not show). */
    warnings: report.warnings,
    requests: report.requests,
    durationMs: report.durationMs,
    // For monitoring and the benchmark: this process's peak memory and CPU so far.
    process: {
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    },
  };
}

/** An action as people read it: what and why, not the payload the applier sends (descriptions, stamps). */
function actionJson(action: PlanAction) {
  const base = {
    kind: action.kind,
    pbId: action.pbId,
    pbType: action.pbType,
    name: action.name,
    depth: action.depth,
    parentPbId: action.parentPbId,
  };
  switch (action.kind) {
    case 'create':
      // What the create writes: the summary (templates rendered), and each field as a change from
      // nothing (`changes`); `fields` (added by syncReportJson) has the mapping's fields by the name Jira shows them.
      return {
        ...base,
        issueTypeName: action.issueTypeName,
        reason: action.reason,
        summary: action.issue.fields.summary,
        changes: newIssueDiffs(action.pbId, action.issue),
      };
    case 'adopt':
      return { ...base, jiraId: action.jiraId, jiraKey: action.jiraKey, reason: action.reason, finishCreate: action.finishCreate };
    case 'update':
      return { ...base, jiraId: action.jiraId, jiraKey: action.jiraKey, changes: action.changes.map(fieldDiff) };
    case 'move':
      return { ...base, jiraId: action.jiraId, jiraKey: action.jiraKey, fromParentKey: action.fromParentKey };
    case 'skip':
      return { ...base, reason: action.reason, detail: action.detail };
  }
}

/** A mapped field's value as one line: sets joined by ", ". */
const shown = (value: MappedValue): string | null => (value === null ? null : Array.isArray(value) ? value.join(', ') : String(value));

/** The mapping's Jira fields a create writes, by the name Jira shows them. */
const mappedJson = (issue: DesiredIssue | undefined): Record<string, string | null> =>
  Object.fromEntries((issue?.fields.mapped ?? []).map((m) => [m.name, shown(m.value)]));
