import { statusKey, type StatusTable } from '../mapping/status-table.js';
import { descriptionHash } from '../mapping/description.js';
import type { CompiledMapping, CompiledRule } from '../mapping/load-mapping.js';
import type { PbType } from '../mapping/schema.js';
import { MANAGED_LABEL, itemLabel, tagToLabel } from '../model/stamp.js';
import type { DescriptionSource, DesiredFields, DesiredIssue, DesiredSkip, DesiredTree, DesiredWarning } from '../model/desired.js';
import type { SourceGraph, SourceItem, SourceNote } from '../model/source.js';
import type { JiraFieldValue } from '../model/field-value.js';
import type { ProjectIssueType } from '../model/ports.js';
import { clipText, singleLine, webUrl } from '../util/untrusted-text.js';
import type { StatusCategory, StatusTarget } from '../model/status.js';
import { filteredOut, mapItem, valueStreamOf, type ItemMapping } from './item-mapping.js';
import type { ItemScope } from './item-values.js';
import { emptyContext, type MappingContext } from './mapping-context.js';

/** Jira's longest summary, in characters. */
const SUMMARY_LIMIT = 255;
/**
 * Tag labels one issue gets at most, and the room their names may take in the stamp property
 * (UTF-8 bytes of the JSON array). The stamp records every label we own, and Jira refuses a
 * property over 32,768 bytes (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/):
 * an item with thousands of tags would be refused on every pass. Jira documents no limit on labels
 * per issue; a hundred is far beyond what a person reads on an issue.
 */
const MAX_TAG_LABELS = 100;
const TAG_LABELS_BYTES = 24_000;

/**
 * What Jira should look like according to the mapping: a pure function of the Productboard graph,
 * the compiled mapping and the resolved issue types. Items that cannot be placed become skips with
 * a named reason; nothing is dropped silently.
 */
export function buildDesiredTree(
  graph: SourceGraph,
  mapping: CompiledMapping,
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>,
  context: MappingContext = emptyContext({ id: '', key: '', issueTypes: [...issueTypes.values()] }),
): DesiredTree {
  const warnings: DesiredWarning[] = [];
  const tree = new TreeBuilder(graph, mapping, context, indexNotes(safeNotes(graph.notes, warnings)), warnings);

  // What Productboard returned but could not be read is listed, even without an id or a type: only
  // an item of a type the mapping does not use is none of this plan's business.
  for (const rejected of graph.rejected) {
    if (rejected.type !== null && !mapping.rules.has(rejected.type as PbType)) continue;
    const detail = rejected.id ? rejected.reason : `Productboard returned it without an id: ${rejected.reason}`;
    tree.skip({ id: rejected.id, type: rejected.type ?? 'unknown', name: rejected.name ?? '(unnamed)' }, 'invalid-item', detail);
  }

  // Parents first, so a child can see whether its parent was placed or skipped.
  for (const type of mapping.order) {
    const rule = mapping.rules.get(type)!;
    const issueType = issueTypes.get(type);
    if (!issueType) continue;
    const items = [...graph.items.values()].filter((item) => item.type === type).sort(byNameThenId);
    for (const item of items) tree.add(item, rule, issueType);
  }
  return { issues: tree.issues, skipped: tree.skipped, warnings };
}

/** The tree as it grows, parents first: each item placed, or skipped with its reason. */
class TreeBuilder {
  readonly issues = new Map<string, DesiredIssue>();
  readonly skipped: DesiredSkip[] = [];
  private readonly skippedIds = new Set<string>();
  /** Items a rule's `where` leaves out: their children are left out with them, never reported as orphans. */
  private readonly filteredIds = new Set<string>();

  constructor(
    private readonly graph: SourceGraph,
    private readonly mapping: CompiledMapping,
    private readonly context: MappingContext,
    private readonly notesByItem: ReadonlyMap<string, SourceNote[]>,
    private readonly warnings: DesiredWarning[],
  ) {}

  skip(item: { id: string; type: string; name: string }, reason: DesiredSkip['reason'], detail: string, parentPbId: string | null = null) {
    this.skipped.push({ pbId: item.id, pbType: item.type, name: item.name, reason, detail, parentPbId });
    this.skippedIds.add(item.id);
    if (reason === 'filtered') this.filteredIds.add(item.id);
  }

  /** Filtered, placed under its parent, then mapped (type, templates, fields, value stream): or skipped at the first step that fails. */
  add(item: SourceItem, rule: CompiledRule, issueType: ProjectIssueType): void {
    const notes = this.notesByItem.get(item.id) ?? [];
    const scope: ItemScope = { item, graph: this.graph, notes, context: this.context, valueStream: null };
    const excluded = filteredOut(rule, scope);
    if (excluded !== null) return this.skip(item, 'filtered', `rules[${rule.index}].where: ${excluded}`);
    const placement = placeUnderParent(item, rule, this.graph, this.issues, this.skippedIds, this.filteredIds);
    if (placement.kind === 'skip') return this.skip(item, placement.reason, placement.detail, placement.parentPbId);
    const parent = placement.parentPbId ? this.issues.get(placement.parentPbId) : undefined;
    scope.valueStream = valueStreamOf(this.mapping, rule, scope, parent?.valueStream ?? null);
    const mapped = mapItem(this.mapping, rule, scope, issueType);
    if (!mapped.ok) return this.skip(item, 'invalid-item', mapped.detail, placement.parentPbId);
    for (const message of mapped.value.warnings) this.warnings.push({ pbId: item.id, name: item.name, message });
    const pbUrl = webUrl(item.url);
    if (item.url && !pbUrl) this.warnings.push(unsafeLink(item, 'its link'));
    const type = mapped.value.issueType;
    this.issues.set(item.id, {
      pbId: item.id,
      pbType: item.type,
      name: item.name,
      pbUrl,
      issueTypeId: type.id,
      issueTypeName: type.name,
      level: type.level,
      parentPbId: placement.parentPbId,
      depth: parent ? parent.depth + 1 : 0,
      fields: desiredFields({ ...item, url: pbUrl }, rule, notes, this.warnings, mapped.value),
      parentNote: placement.note,
      parentCandidates: placement.candidates,
      valueStream: mapped.value.valueStream,
      needs: mapped.value.needs,
    });
  }
}

const unsafeLink = (of: { id: string; name: string }, what: string): DesiredWarning => ({
  pbId: of.id,
  name: of.name,
  message: `${what} is not an http(s) URL: left out of Jira (no backlink)`,
});

/** Notes whose link is not a web URL are listed without it, once each, with a warning naming the note. */
function safeNotes(notes: readonly SourceNote[], warnings: DesiredWarning[]): SourceNote[] {
  return notes.map((note) => {
    const url = webUrl(note.url);
    if (note.url === url) return note;
    warnings.push(unsafeLink(note, 'the link of this note'));
    return { ...note, url };
  });
}

type Placement =
  | { kind: 'place'; parentPbId: string | null; note: string | null; candidates: string[] }
  | { kind: 'skip'; reason: DesiredSkip['reason']; detail: string; parentPbId: string | null };

/** Where the item goes: under which parent, or skipped (archived, no usable name, no parent to go under). */
function placeUnderParent(
  item: SourceItem,
  rule: CompiledRule,
  graph: SourceGraph,
  placed: ReadonlyMap<string, DesiredIssue>,
  skippedIds: ReadonlySet<string>,
  filteredIds: ReadonlySet<string>,
): Placement {
  if (item.archived) return { kind: 'skip', reason: 'archived', detail: 'archived in Productboard: not synced', parentPbId: null };
  if (!singleLine(item.name))
    return { kind: 'skip', reason: 'invalid-item', detail: 'its name has no printable characters: Jira needs a summary', parentPbId: null };
  const parentRule = rule.parent;
  if (!parentRule) return { kind: 'place', parentPbId: null, note: null, candidates: [] };
  const refs =
    parentRule.via === 'link'
      ? item.links.filter((ref) => ref.type === parentRule.pbType)
      : item.parent && item.parent.type === parentRule.pbType
        ? [item.parent]
        : [];
  const missing = refs.filter((ref) => !graph.items.has(ref.id));
  const found = refs.map((ref) => graph.items.get(ref.id)).filter((p): p is SourceItem => Boolean(p));
  // A relationship can claim a type its target does not have, or point back at the item itself;
  // such a parent would make the item its own ancestor.
  const candidates = found.filter((p) => p.type === parentRule.pbType && p.id !== item.id);
  const bogus = found.find((p) => !candidates.includes(p));
  const relation = parentRule.via === 'link' ? `linked ${parentRule.pbType}` : `parent ${parentRule.pbType}`;
  if (candidates.length === 0) {
    if (missing.length)
      return {
        kind: 'skip',
        reason: 'invalid-item',
        detail: `${relation} ${missing[0]!.id} was not returned by Productboard`,
        parentPbId: null,
      };
    if (bogus)
      return {
        kind: 'skip',
        reason: 'invalid-item',
        detail: `its ${relation} ${bogus.id} is ${bogus.id === item.id ? 'the item itself' : `a ${bogus.type}`}`,
        parentPbId: null,
      };
    if (!parentRule.required) return { kind: 'place', parentPbId: null, note: null, candidates: [] };
    return { kind: 'skip', reason: 'unparented', detail: `no ${relation}: the mapping needs one to place it`, parentPbId: null };
  }
  const chosen = choose(candidates, parentRule.whenSeveral);
  const note =
    candidates.length > 1
      ? `linked to ${candidates.length} ${parentRule.pbType}s (${candidates.map((c) => `"${c.name}"`).join(', ')}); placed under "${chosen.name}" (${parentRule.whenSeveral})`
      : null;
  if (filteredIds.has(chosen.id))
    return { kind: 'skip', reason: 'filtered', detail: `its ${relation} "${chosen.name}" is filtered out`, parentPbId: chosen.id };
  if (!placed.has(chosen.id)) {
    const why = chosen.archived ? 'is archived' : skippedIds.has(chosen.id) ? 'is not synced' : 'is not mapped';
    return { kind: 'skip', reason: 'parent-not-synced', detail: `${relation} "${chosen.name}" ${why}`, parentPbId: chosen.id };
  }
  return {
    kind: 'place',
    parentPbId: chosen.id,
    note,
    candidates: [chosen.id, ...candidates.filter((c) => c.id !== chosen.id).map((c) => c.id)],
  };
}

/** Deterministic whatever order Productboard lists relationships in (documented in mappings/README.md). */
function choose(candidates: readonly SourceItem[], rule: 'earliest-created' | 'first-by-name'): SourceItem {
  const sorted = [...candidates].sort(
    (a, b) =>
      (rule === 'earliest-created' ? a.createdAt.localeCompare(b.createdAt) : a.name.localeCompare(b.name)) || a.id.localeCompare(b.id),
  );
  return sorted[0]!;
}

const byNameThenId = (a: SourceItem, b: SourceItem) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

function indexNotes(notes: readonly SourceNote[]): Map<string, SourceNote[]> {
  const index = new Map<string, SourceNote[]>();
  for (const note of notes) {
    for (const id of note.linkedIds) {
      const list = index.get(id);
      if (list) list.push(note);
      else index.set(id, [note]);
    }
  }
  return index;
}

function desiredFields(
  item: SourceItem,
  rule: CompiledRule,
  notes: readonly SourceNote[],
  warnings: DesiredWarning[],
  mapped: ItemMapping,
): DesiredFields {
  const f = rule.fields;
  const description: DescriptionSource | null = f.description
    ? {
        html: withLines(mapped.header, item.descriptionHtml, mapped.footer),
        name: item.name,
        url: item.url,
        sourceLink: f.description.sourceLink,
        insights: rule.insights ? { notes, list: rule.insights.list, max: rule.insights.max } : null,
      }
    : null;
  const tagLabels = f.labels ? boundedTagLabels(item, warnings) : [];
  const labels = [...new Set([MANAGED_LABEL, itemLabel(item.id), ...tagLabels, ...mapped.labels])];
  const timeframe = item.timeframe;
  const statusCategory = f.status && item.statusName ? (f.status.get(item.statusName) ?? null) : null;
  return {
    summary: clipText(singleLine(mapped.summary ?? `${f.summaryPrefix}${item.name}`), SUMMARY_LIMIT),
    description,
    descriptionHash: description ? descriptionHash(description) : null,
    labels,
    dueDate: f.dueDate ? ((f.dueDate === 'endDate' ? timeframe?.endDate : timeframe?.startDate) ?? null) : undefined,
    statusCategory,
    status: statusCategory && item.statusName ? statusTarget(item.statusName, statusCategory, f.status!) : null,
    jiraFields: jiraFieldValues(item, rule),
    ...(mapped.mapped.length ? { mapped: mapped.mapped } : {}),
  };
}

/** A template's line above and below the item's description, as paragraphs of plain text. */
function withLines(header: string | null, html: string, footer: string | null): string {
  const paragraph = (text: string | null) => (text ? `<p>${escapeHtml(text)}</p>` : '');
  return `${paragraph(header)}${html}${paragraph(footer)}`;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The item's tags as labels, distinct, in Productboard's order, at most MAX_TAG_LABELS of them and
 * TAG_LABELS_BYTES in the stamp; what does not fit is named in a warning and not written (nor
 * owned: a label a person adds is never ours to remove).
 */
function boundedTagLabels(item: SourceItem, warnings: DesiredWarning[]): string[] {
  const reserved = new Set([MANAGED_LABEL, itemLabel(item.id)]);
  const distinct = [...new Set(item.tags.map(tagToLabel))].filter((label) => label && !reserved.has(label));
  const kept: string[] = [];
  let bytes = 2; // the brackets of the JSON array
  for (const label of distinct) {
    const size = Buffer.byteLength(JSON.stringify(label)) + 1;
    if (kept.length === MAX_TAG_LABELS || bytes + size > TAG_LABELS_BYTES) break;
    kept.push(label);
    bytes += size;
  }
  if (kept.length < distinct.length)
    warnings.push({
      pbId: item.id,
      name: item.name,
      message: `${distinct.length} tags: only the first ${kept.length} become labels (a Jira issue's stamp has room for no more)`,
    });
  return kept;
}

/** The status to reach, and the mapping's other statuses of its category (a Jira status named like one of them is not this one). */
function statusTarget(pbStatus: string, category: StatusCategory, statuses: StatusTable): StatusTarget {
  const otherNames = statuses.entries
    .filter(([name, c]) => c === category && statusKey(name) !== statusKey(pbStatus))
    .map(([name]) => name);
  return { category, pbStatus, otherNames };
}

/** The values of the rule's `jira.fields` for this item; a Productboard field the item leaves empty sets nothing. */
function jiraFieldValues(item: SourceItem, rule: CompiledRule): Record<string, JiraFieldValue> {
  const values: Record<string, JiraFieldValue> = {};
  for (const [key, spec] of rule.jiraFields) {
    const value =
      spec.kind === 'value'
        ? spec.value
        : spec.source === 'name'
          ? item.name
          : spec.source === 'timeframe.startDate'
            ? item.timeframe?.startDate
            : item.timeframe?.endDate;
    if (value !== undefined && value !== null) values[key] = value;
  }
  return values;
}
