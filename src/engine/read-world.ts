import type { IncrementalCache } from '../ledger/incremental-cache.js';
import type { Ledger } from '../ledger/ledger.js';
import { removedBy, sourceGraph, sourceRows } from '../ledger/views.js';
import type { PbType } from '../mapping/schema.js';
import { resolveIssueTypes } from '../mapping/resolve-issue-types.js';
import { statusKey } from '../mapping/status-table.js';
import type { DesiredTree } from '../model/desired.js';
import type { Link } from '../model/link.js';
import { buildObservedTree, type ObservedIssue, type ObservedTree } from '../model/observed.js';
import type { MappedValue } from '../model/field-value.js';
import type { ProjectCatalog, ProjectIssueType, SiteField } from '../model/ports.js';
import { applyDelta, graphOf, type SourceGraph } from '../model/source.js';
import { buildDesiredTree } from './desired-tree.js';
import { userEmails } from './item-values.js';
import { mappingContextOrThrow, withUsers, type MappingContext } from './mapping-context.js';
import type { Pass } from './pass.js';
import { inPhase } from './phase-progress.js';

/** How many recently written issues to name in `reconcileIssues` (the API takes at most 50). */
const RECONCILE_RECENT = 50;
/** Changes are asked for from a minute before the last read began: clocks differ between hosts. */
const CURSOR_MARGIN_MS = 60_000;
/** Jira's `updated` is compared from a little before the last read began: search lags behind writes. */
const JIRA_CURSOR_MARGIN_MINUTES = 2;
/** When the last sync applied more changes than this, an incremental read is split into ranges. */
const MANY_CHANGED = 2000;

/**
 * How much of one service a pass read: everything, or only what changed since an instant (ISO),
 * merged with the view the ledger kept. Between full reads a deletion, or a re-link Productboard
 * did not mark as an update, is not seen: the plan says so, and when everything is read next.
 */
export type ReadExtent = { kind: 'full' } | { kind: 'changes'; since: string; fullReadDue: string };

export interface ReadWorldOptions {
  /** Read everything (reconcile does: its findings must rest on a complete view). */
  fullRead?: boolean;
  /** A Productboard view read earlier in the same pass (a scheduled pass reconciles after its sync). */
  source?: SourceGraph;
}

/** Everything a pass knows before it decides anything: both systems and the ledger, fully read. */
export interface World {
  project: ProjectCatalog;
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>;
  graph: SourceGraph;
  /** What the mapping's names stand for in both systems (version 2). */
  context: MappingContext;
  desired: DesiredTree;
  links: ReadonlyMap<string, Link>;
  observed: ObservedTree;
  /** What this pass read of each service (Productboard: null when the view was read earlier in the pass). */
  reads: { productboard: ReadExtent | null; jira: ReadExtent };
}

/**
 * Reads Productboard, Jira and the ledger. Any failed page throws: sync and reconcile only act on
 * a complete read, so a flaky page can never make items look deleted.
 */
export async function readWorld(pass: Pass, options: ReadWorldOptions = {}): Promise<World> {
  const { config, ledger, services } = pass;
  // Jira first: a wrong project or issue type is a config error reported before any other work.
  const project = await services.jira.project();
  const issueTypes = resolveIssueTypes(config.mapping, project);
  const resolved = await mappingContextOrThrow(config.mapping, project, services.jira, services.source);
  const links: ReadonlyMap<string, Link> = ledger?.links() ?? new Map();
  const recent = ledger?.recentlyWrittenIds(pass.clock.now() - config.sync.intentSettleSeconds * 1000, RECONCILE_RECENT) ?? [];
  const [source, jira] = await Promise.all([
    options.source
      ? { view: options.source, extent: null }
      : inPhase(
          pass,
          { name: 'read-productboard' },
          () => readProductboard(pass, options),
          ({ view: g }) => ({
            items: g.items.size,
            notes: g.notes.length,
            'not read': g.rejected.length,
          }),
        ),
    inPhase(
      pass,
      { name: 'read-jira' },
      () => observeJira(pass, links, recent, options, readFields(resolved)),
      ({ tree }) => ({ issues: tree.byId.size }),
    ),
  ]);
  const graph = source.view;
  const observed = withStoryPoints(jira.tree, resolved.storyPoints);
  // A view read earlier in the same pass was reported when it was read.
  if (!options.source) reportSourceProblems(pass, graph);
  const context = await withUsers(resolved, ownerEmails(resolved, graph), services.jira);
  const desired = buildDesiredTree(graph, config.mapping, issueTypes, context);
  return { project, issueTypes, graph, context, desired, links, observed, reads: { productboard: source.extent, jira: jira.extent } };
}

/** The Jira fields the mapping writes, read back with every issue to compare. */
const readFields = (context: MappingContext): string[] =>
  [
    ...new Set([
      ...[...context.targets.values()].flat().map((t) => t.field.id),
      ...(context.componentsField ? [context.componentsField.id] : []),
      ...(context.storyPoints ? [context.storyPoints.id] : []),
    ]),
  ].sort();

/** Each issue's story points, from the field read with it (no request of its own): what progress is weighted by. */
const withStoryPoints = (tree: ObservedTree, field: SiteField | null): ObservedTree => {
  if (!field) return tree;
  const pointsOf = (value: MappedValue | undefined): number | null => (typeof value === 'number' && value >= 0 ? value : null);
  return buildObservedTree([...tree.byId.values()].map((issue) => ({ ...issue, storyPoints: pointsOf(issue.fields?.[field.id]) })));
};

/** The emails the mapping's user fields read, from the items of their rules. */
function ownerEmails(context: MappingContext, graph: SourceGraph): string[] {
  const emails: string[] = [];
  for (const [type, targets] of context.targets) {
    if (!targets.some((t) => t.kind === 'user')) continue;
    for (const item of graph.items.values())
      if (item.type === type) emails.push(...userEmails(targets, { item, graph, notes: [], context, valueStream: null }));
  }
  return emails;
}

/**
 * Nothing read from Productboard is dropped silently: each record it could not read is logged with
 * its id and reason (the plan lists them too), and each status the mapping does not list, once per
 * pass per type and name (its items keep whatever status Jira has).
 */
function reportSourceProblems(pass: Pass, graph: SourceGraph): void {
  for (const r of graph.rejected) {
    pass.logger.warn({ pbId: r.id || null, pbType: r.type, reason: r.reason }, 'productboard record not read');
  }
  const unmapped = new Map<string, { pbType: string; status: string; items: number }>();
  for (const item of graph.items.values()) {
    const table = pass.config.mapping.rules.get(item.type as PbType)?.fields.status;
    if (!table || item.statusName === null || table.has(item.statusName)) continue;
    const key = `${item.type}\u0000${statusKey(item.statusName)}`;
    const seen = unmapped.get(key) ?? { pbType: item.type, status: item.statusName, items: 0 };
    seen.items += 1;
    unmapped.set(key, seen);
  }
  for (const entry of unmapped.values()) pass.logger.warn(entry, 'productboard status not in the mapping');
}

/**
 * One remote view read incrementally: in full when due (first read, scope changed, every
 * `fullReadEveryHours`: deletions only show in full reads), else what changed since the cursor,
 * merged with the view the ledger kept. The cursor is wall-clock time (not the injectable clock):
 * it is compared with the remote system's own timestamps.
 */
async function readIncrementally<T, View>(
  pass: Pass,
  cache: IncrementalCache<T> | undefined,
  scope: string,
  fullRead: boolean,
  read: {
    all(): Promise<View>;
    since(readStartedAt: number): Promise<{ view: View; changed: Iterable<T>; removed: readonly string[] }>;
    rows(view: View): Iterable<T>;
  },
): Promise<{ view: View; extent: ReadExtent }> {
  const startedAt = Date.now();
  const cursor = cache?.cursor();
  const fullDue =
    fullRead ||
    !cache ||
    !cursor ||
    cursor.scope !== scope ||
    startedAt - cursor.fullReadAt >= pass.config.sync.fullReadEveryHours * 3_600_000;
  if (fullDue) {
    const view = await read.all();
    cache?.saveFull(read.rows(view), { readStartedAt: startedAt, fullReadAt: startedAt, scope });
    return { view, extent: { kind: 'full' } };
  }
  const { view, changed, removed } = await read.since(cursor.readStartedAt);
  cache.saveDelta(changed, removed, { readStartedAt: startedAt, fullReadAt: cursor.fullReadAt, scope });
  const fullReadDue = new Date(cursor.fullReadAt + pass.config.sync.fullReadEveryHours * 3_600_000).toISOString();
  return { view, extent: { kind: 'changes', since: new Date(cursor.readStartedAt).toISOString(), fullReadDue } };
}

/**
 * The mapped part of the workspace. In full every pass unless `sync.incrementalProductboard`:
 * Productboard does not document that a relationship change (a re-link, a re-parenting, a note
 * linked) changes `updatedAt`, so reading only what was updated could miss one until the next full
 * read (docs/vendor-notes.md §8). A full read costs about one request per 100 records.
 */
async function readProductboard(pass: Pass, options: ReadWorldOptions): Promise<{ view: SourceGraph; extent: ReadExtent }> {
  const mapping = pass.config.mapping;
  // The rules' own types, and those their filters and sources look at (components, products, releases).
  const request = { types: [...mapping.readTypes], notes: mapping.readsNotes };
  if (!pass.config.sync.incrementalProductboard)
    return { view: graphOf(await pass.services.source.read(request)), extent: { kind: 'full' } };
  const scope = JSON.stringify({ types: [...request.types].sort(), notes: request.notes });
  const cache = pass.ledger?.source;
  return readIncrementally(pass, cache, scope, Boolean(options.fullRead), {
    all: async () => graphOf(await pass.services.source.read(request)),
    since: async (readStartedAt) => {
      const delta = await pass.services.source.read({ ...request, since: new Date(readStartedAt - CURSOR_MARGIN_MS).toISOString() });
      return { view: applyDelta(sourceGraph(cache!.load()), delta), changed: sourceRows(delta), removed: removedBy(delta) };
    },
    rows: sourceRows,
  });
}

/**
 * The managed issues: all of them on a full read, else only those updated since the last read
 * began, merged with the ledger's view. What the previous pass wrote was updated after that
 * instant, so the next pass reads exactly what changed, its own writes included.
 */
function readManagedIssues(
  pass: Pass,
  links: ReadonlyMap<string, Link>,
  recent: readonly string[],
  options: ReadWorldOptions,
  fields: readonly string[],
): Promise<{ view: ObservedIssue[]; extent: ReadExtent }> {
  const { jira } = pass.services;
  const ledger: Ledger | undefined = pass.ledger;
  const knownKeys = () => [...links.values()].flatMap((l) => (l.jiraKey ? [l.jiraKey] : []));
  // Issues cached without a field the mapping now reads are read again in full.
  const scope = fields.length ? `${pass.config.jira.project} ${fields.join(',')}` : pass.config.jira.project;
  return readIncrementally(pass, ledger?.jira, scope, Boolean(options.fullRead), {
    all: () => jira.searchManaged({ reconcileIds: recent, knownKeys: knownKeys(), fields }),
    since: async (readStartedAt) => {
      const minutes = (Date.now() - readStartedAt) / 60_000 + JIRA_CURSOR_MARGIN_MINUTES;
      // After a big pass (a first sync) most issues were just written: read them back in key ranges
      // side by side; after a quiet one a single query, usually one empty page.
      const changed = await jira.searchManaged({
        reconcileIds: recent,
        knownKeys: ledger!.lastApplied() > MANY_CHANGED ? knownKeys() : [],
        updatedWithinMinutes: minutes,
        fields,
      });
      const byId = new Map(ledger!.jira.load().map((issue) => [issue.id, issue]));
      for (const issue of changed) byId.set(issue.id, issue);
      return { view: [...byId.values()], changed, removed: [] };
    },
    rows: (issues) => issues,
  });
}

/**
 * The observed Jira tree: every issue with our managed label, plus ledger-linked issues the search
 * did not return (someone removed the label: still ours), plus stamp lookups for creates whose
 * outcome is unknown. Issues neither search nor fetch return are treated as missing.
 */
async function observeJira(
  pass: Pass,
  links: ReadonlyMap<string, Link>,
  recent: readonly string[],
  options: ReadWorldOptions,
  fields: readonly string[],
): Promise<{ tree: ObservedTree; extent: ReadExtent }> {
  const { jira } = pass.services;
  const { view: issues, extent } = await readManagedIssues(pass, links, recent, options, fields);
  const seen = new Set(issues.map((i) => i.id));
  const seenPb = new Set(issues.map((i) => i.pbId));
  const unseen = [...links.values()].flatMap((l) => (l.jiraId && !seen.has(l.jiraId) ? [l.jiraId] : []));
  if (unseen.length) issues.push(...(await jira.fetchByIds(unseen, fields)));
  const pending = [...links.values()].filter((l) => l.state === 'pending' && !l.jiraId && !seenPb.has(l.pbId)).map((l) => l.pbId);
  if (pending.length) issues.push(...(await jira.findByPbIds(pending, fields)));
  return { tree: buildObservedTree(issues), extent };
}
