import type { Pass } from '../../engine/pass.js';
import { readWorld, type World } from '../../engine/read-world.js';
import { buildReport } from './build-report.js';
import type { DeliveryReport } from './report-model.js';

/**
 * The delivery report from one pass's reads: a complete read of both systems (or the read the pass
 * already made), and the ledger's open findings. Reads only: it writes to neither service nor the ledger.
 */
export async function readReport(pass: Pass, world?: World): Promise<DeliveryReport> {
  const read = world ?? (await readWorld(pass, { fullRead: true }));
  return buildReport({
    project: read.project.key,
    jiraBaseUrl: pass.config.jira.host,
    graph: read.graph,
    desired: read.desired,
    links: read.links,
    observed: read.observed,
    openFindings: pass.ledger?.findings.openSince() ?? [],
    now: pass.clock.now(),
    staleDays: pass.config.report.staleDays,
  });
}
