import { readSource } from '../../connectors/productboard/read-source.js';
import type { EngineConfig } from '../config/load-config.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PbType } from '../mapping/schema.js';
import { resolveIssueTypes } from '../mapping/resolve-issue-types.js';
import { buildDesiredTree } from './desired-tree.js';
import type { Services } from './services.js';
import { applyDelta, graphOf, type SourceGraph } from '../model/source.js';
import type { DesiredTree } from '../model/desired.js';
import type { Link } from '../model/link.js';
import { type ObservedIssue, type ObservedTree, buildObservedTree } from '../model/observed.js';
import type { ProjectCatalog, ProjectIssueType } from '../model/ports.js';

/** How many recently written issues to name in `reconcileIssues` (the API takes at most 50). */
const RECONCILE_RECENT = 50;
/** Changes are asked for from a minute before the last read began: clocks differ between hosts. */
const CURSOR_MARGIN_MS = 60_000;

export interface ReadWorldOptions {
  /** Read all of Productboard (reconcile does: its findings must rest on a complete view). */
  fullRead?: boolean;
  /** Save the Productboard view and cursor to the ledger (not in dry runs). */
  persist: boolean;
  /** A Productboard view read earlier in the same pass (a scheduled pass reconciles after its sync). */
  source?: SourceGraph;
}

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
export async function readWorld(config: EngineConfig, services: Services, ledger: Ledger | undefined, now: number, options: ReadWorldOptions): Promise<World> {
  const mapping = config.mapping;
  // Jira first: a wrong project or issue type is a config error reported before any other work.
  const project = await services.jira.project();
  const issueTypes = resolveIssueTypes(mapping, project);
  const links: ReadonlyMap<string, Link> = ledger?.links() ?? new Map();
  const recent = ledger?.recentlyWrittenIds(now - config.sync.intentSettleSeconds * 1000, RECONCILE_RECENT) ?? [];
  const [graph, observed] = await Promise.all([options.source ?? readProductboard(config, services, ledger, options), observeJira(config, services, ledger, links, recent, options)]);
  return { project, issueTypes, graph, desired: buildDesiredTree(graph, mapping, issueTypes), links, observed };
}

/**
 * Productboard, read in full or only what changed since the cursor, merged with the ledger's view.
 * The cursor is wall-clock time (not the injectable clock): it is compared with Productboard's
 * own `updatedAt`.
 */
async function readProductboard(config: EngineConfig, services: Services, ledger: Ledger | undefined, options: ReadWorldOptions): Promise<SourceGraph> {
  const rules = [...config.mapping.rules.values()];
  const scope = JSON.stringify({ types: rules.map((r) => r.pbType).sort(), notes: rules.some((r) => r.insights) });
  const read = (since?: string) => readSource(services.productboard, { types: rules.map((r) => r.pbType), notes: rules.some((r) => r.insights), ...(since ? { since } : {}) });
  const startedAt = Date.now();
  const cursor = ledger?.source.cursor();
  const fullDue = !cursor || cursor.scope !== scope || startedAt - cursor.fullReadAt >= config.sync.fullReadEveryHours * 3_600_000;
  if (options.fullRead || fullDue) {
    const graph = graphOf(await read());
    if (options.persist) ledger?.source.saveFull(graph, { readStartedAt: startedAt, fullReadAt: startedAt, scope });
    return graph;
  }
  const delta = await read(new Date(cursor.readStartedAt - CURSOR_MARGIN_MS).toISOString());
  const graph = applyDelta(ledger!.source.load(), delta);
  if (options.persist) ledger!.source.saveDelta(delta, { readStartedAt: startedAt, fullReadAt: cursor.fullReadAt, scope });
  return graph;
}

/** Jira's `updated` is compared from a little before the last read began: search lags behind writes. */
const JIRA_CURSOR_MARGIN_MINUTES = 2;
/** When the last sync applied more changes than this, an incremental read is split into ranges. */
const MANY_CHANGED = 2000;

/**
 * The managed issues: all of them on a full read (the first, then every fullReadEveryHours, and
 * always for reconcile), else only those updated since the last read began, merged with the
 * ledger's view. What the previous pass wrote was updated after that instant, so the next pass
 * reads exactly what changed, its own writes included. Deletions only show in full reads.
 */
async function readManagedIssues(config: EngineConfig, jira: Services['jira'], ledger: Ledger | undefined, links: ReadonlyMap<string, Link>, recent: readonly string[], options: ReadWorldOptions): Promise<ObservedIssue[]> {
  const startedAt = Date.now();
  const cursor = ledger?.jira.cursor();
  const project = config.jira.project;
  const fullDue = options.fullRead || !cursor || cursor.project !== project || startedAt - cursor.fullReadAt >= config.sync.fullReadEveryHours * 3_600_000;
  const knownKeys = () => [...links.values()].flatMap((l) => (l.jiraKey ? [l.jiraKey] : []));
  if (fullDue) {
    const issues = await jira.searchManaged(recent, knownKeys());
    if (options.persist) ledger?.jira.saveFull(issues, { readStartedAt: startedAt, fullReadAt: startedAt, project });
    return issues;
  }
  const minutes = (startedAt - cursor.readStartedAt) / 60_000 + JIRA_CURSOR_MARGIN_MINUTES;
  // After a big pass (a first sync) most issues were just written: read them back in key ranges
  // side by side; after a quiet one a single query, usually one empty page.
  const changed = await jira.searchManaged(recent, ledger!.lastApplied() > MANY_CHANGED ? knownKeys() : [], minutes);
  const byId = new Map(ledger!.jira.load().map((issue) => [issue.id, issue]));
  for (const issue of changed) byId.set(issue.id, issue);
  if (options.persist) ledger!.jira.saveDelta(changed, { readStartedAt: startedAt, fullReadAt: cursor.fullReadAt, project });
  return [...byId.values()];
}

/**
 * The observed Jira tree: every issue with our managed label, plus ledger-linked issues the search
 * did not return (someone removed the label: still ours), plus stamp lookups for creates whose
 * outcome is unknown. Issues neither search nor fetch return are treated as missing.
 */
async function observeJira(config: EngineConfig, { jira }: Services, ledger: Ledger | undefined, links: ReadonlyMap<string, Link>, recent: readonly string[], options: ReadWorldOptions): Promise<ObservedTree> {
  const issues = await readManagedIssues(config, jira, ledger, links, recent, options);
  const seen = new Set(issues.map((i) => i.id));
  const seenPb = new Set(issues.map((i) => i.pbId));
  const unseen = [...links.values()].filter((l) => l.jiraId && !seen.has(l.jiraId)).map((l) => l.jiraId!);
  if (unseen.length) issues.push(...(await jira.fetchByIds(unseen)));
  const pending = [...links.values()].filter((l) => l.state === 'pending' && !l.jiraId && !seenPb.has(l.pbId)).map((l) => l.pbId);
  if (pending.length) issues.push(...(await jira.findByPbIds(pending)));
  return buildObservedTree(issues);
}
