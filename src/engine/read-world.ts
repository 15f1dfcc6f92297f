import { readSource } from '../../connectors/productboard/read-source.js';
import type { EngineConfig } from '../config/load-config.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PbType } from '../mapping/schema.js';
import { resolveIssueTypes } from '../mapping/resolve-issue-types.js';
import { buildDesiredTree } from './desired-tree.js';
import type { DesiredTree, Link, ObservedIssue, ObservedTree, SourceGraph } from './model.js';
import { buildObservedTree } from './planner.js';
import type { ProjectCatalog, ProjectIssueType } from './ports.js';
import type { Services } from './services.js';

/** How many recently written issues to name in `reconcileIssues` (the API takes at most 50). */
const RECONCILE_RECENT = 50;

/** Everything a pass knows before it decides anything: both systems and the ledger, fully read. */
export interface World {
  project: ProjectCatalog;
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>;
  graph: SourceGraph;
  desired: DesiredTree;
  links: ReadonlyMap<string, Link>;
  observed: ObservedTree;
}

/**
 * Reads Productboard, Jira and the ledger. Any failed page throws: sync and reconcile only act on
 * a complete read, so a flaky page can never make items look deleted (architecture principle 2).
 */
export async function readWorld(config: EngineConfig, services: Services, ledger: Ledger | undefined, now: number): Promise<World> {
  const mapping = config.mapping;
  // Jira first: a wrong project or issue type is a config error reported before any other work.
  const project = await services.jira.project();
  const issueTypes = resolveIssueTypes(mapping, project);
  const links: ReadonlyMap<string, Link> = ledger?.links() ?? new Map();
  const recent = ledger?.recentlyWrittenIds(now - config.sync.intentSettleSeconds * 1000, RECONCILE_RECENT) ?? [];
  const [graph, observed] = await Promise.all([
    readSource(services.productboard, { types: [...mapping.rules.keys()], notes: [...mapping.rules.values()].some((r) => r.insights) }),
    observeJira(services, links, recent),
  ]);
  return { project, issueTypes, graph, desired: buildDesiredTree(graph, mapping, issueTypes), links, observed };
}

/**
 * The observed Jira tree: every issue with our managed label, plus ledger-linked issues the search
 * did not return (someone removed the label: still ours), plus stamp lookups for creates whose
 * outcome is unknown. Issues neither search nor fetch return are treated as missing.
 */
async function observeJira({ jira }: Services, links: ReadonlyMap<string, Link>, recent: readonly string[]): Promise<ObservedTree> {
  const issues: ObservedIssue[] = await jira.searchManaged(recent);
  const seen = new Set(issues.map((i) => i.id));
  const seenPb = new Set(issues.map((i) => i.pbId));
  const unseen = [...links.values()].filter((l) => l.jiraId && !seen.has(l.jiraId)).map((l) => l.jiraId!);
  if (unseen.length) issues.push(...(await jira.fetchByIds(unseen)));
  const pending = [...links.values()].filter((l) => l.state === 'pending' && !l.jiraId && !seenPb.has(l.pbId)).map((l) => l.pbId);
  if (pending.length) issues.push(...(await jira.findByPbIds(pending)));
  return buildObservedTree(issues);
}
