import type { SyncReport } from '../engine/run-sync.js';

/** The `--json` document of `sync`: the plan as data, and the results when applied. */
export function syncReportJson(report: SyncReport) {
  const pbUrl = (pbId: string) => report.desired.issues.get(pbId)?.pbUrl ?? null;
  return {
    runId: report.runId,
    dryRun: report.dryRun,
    project: report.project.key,
    plan: {
      counts: report.plan.counts,
      unchanged: report.plan.unchanged,
      actions: report.plan.actions.map((action) => ({ ...action, pbUrl: pbUrl(action.pbId) })),
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
    requests: report.requests,
    durationMs: report.durationMs,
    // For monitoring and the benchmark: this process's peak memory and CPU so far.
    process: { peakRssBytes: process.resourceUsage().maxRSS * 1024, cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000) },
  };
}
