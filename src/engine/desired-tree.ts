import { descriptionHash } from '../mapping/description.js';
import type { CompiledMapping, CompiledRule } from '../mapping/load-mapping.js';
import type { PbType } from '../mapping/schema.js';
import { MANAGED_LABEL, itemLabel, tagToLabel } from '../model/stamp.js';
import type { DescriptionSource, DesiredFields, DesiredIssue, DesiredSkip, DesiredTree } from '../model/desired.js';
import type { SourceGraph, SourceItem, SourceNote } from '../model/source.js';
import type { JiraFieldValue } from '../model/field-value.js';
import type { ProjectIssueType } from '../model/ports.js';
import type { StatusCategory, StatusTarget } from '../model/status.js';

const SUMMARY_LIMIT = 255;

/**
 * What Jira should look like according to the mapping: a pure function of the Productboard graph,
 * the compiled mapping and the resolved issue types. Items that cannot be placed become skips with
 * a named reason; nothing is dropped silently.
 */
export function buildDesiredTree(
  graph: SourceGraph,
  mapping: CompiledMapping,
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>,
): DesiredTree {
  const issues = new Map<string, DesiredIssue>();
  const skipped: DesiredSkip[] = [];
  const skippedIds = new Set<string>();
  const notesByItem = indexNotes(graph.notes);
  const skip = (
    item: { id: string; type: string; name: string },
    reason: DesiredSkip['reason'],
    detail: string,
    parentPbId: string | null = null,
  ) => {
    skipped.push({ pbId: item.id, pbType: item.type, name: item.name, reason, detail, parentPbId });
    skippedIds.add(item.id);
  };

  for (const rejected of graph.rejected) {
    if (!mapping.rules.has(rejected.type as PbType) || !rejected.id) continue;
    skip({ id: rejected.id, type: rejected.type ?? 'unknown', name: rejected.name ?? '(unnamed)' }, 'invalid-item', rejected.reason);
  }

  // Parents first, so a child can see whether its parent was placed or skipped.
  for (const type of mapping.order) {
    const rule = mapping.rules.get(type)!;
    const issueType = issueTypes.get(type);
    if (!issueType) continue;
    const items = [...graph.items.values()].filter((item) => item.type === type).sort(byNameThenId);
    for (const item of items) {
      if (item.archived) {
        skip(item, 'archived', 'archived in Productboard: not synced', null);
        continue;
      }
      const placement = placeUnderParent(item, rule, graph, issues, skippedIds);
      if (placement.kind === 'skip') {
        skip(item, placement.reason, placement.detail, placement.parentPbId);
        continue;
      }
      const fields = desiredFields(item, rule, notesByItem.get(item.id) ?? []);
      const parent = placement.parentPbId ? issues.get(placement.parentPbId) : undefined;
      issues.set(item.id, {
        pbId: item.id,
        pbType: item.type,
        name: item.name,
        pbUrl: item.url,
        issueTypeId: issueType.id,
        issueTypeName: issueType.name,
        level: issueType.level,
        parentPbId: placement.parentPbId,
        depth: parent ? parent.depth + 1 : 0,
        fields,
        parentNote: placement.note,
        parentCandidates: placement.candidates,
      });
    }
  }
  return { issues, skipped };
}

type Placement =
  | { kind: 'place'; parentPbId: string | null; note: string | null; candidates: string[] }
  | { kind: 'skip'; reason: DesiredSkip['reason']; detail: string; parentPbId: string | null };

function placeUnderParent(
  item: SourceItem,
  rule: CompiledRule,
  graph: SourceGraph,
  placed: ReadonlyMap<string, DesiredIssue>,
  skippedIds: ReadonlySet<string>,
): Placement {
  const parentRule = rule.parent;
  if (!parentRule) return { kind: 'place', parentPbId: null, note: null, candidates: [] };
  const refs =
    parentRule.via === 'link'
      ? item.links.filter((ref) => ref.type === parentRule.pbType)
      : item.parent && item.parent.type === parentRule.pbType
        ? [item.parent]
        : [];
  const missing = refs.filter((ref) => !graph.items.has(ref.id));
  const candidates = refs.map((ref) => graph.items.get(ref.id)).filter((p): p is SourceItem => Boolean(p));
  const relation = parentRule.via === 'link' ? `linked ${parentRule.pbType}` : `parent ${parentRule.pbType}`;
  if (candidates.length === 0) {
    if (missing.length)
      return {
        kind: 'skip',
        reason: 'invalid-item',
        detail: `${relation} ${missing[0]!.id} was not returned by Productboard`,
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

function desiredFields(item: SourceItem, rule: CompiledRule, notes: readonly SourceNote[]): DesiredFields {
  const f = rule.fields;
  const description: DescriptionSource | null = f.description
    ? {
        html: item.descriptionHtml,
        name: item.name,
        url: item.url,
        sourceLink: f.description.sourceLink,
        insights: rule.insights ? { notes, list: rule.insights.list, max: rule.insights.max } : null,
      }
    : null;
  const tagLabels = f.labels ? item.tags.map(tagToLabel).filter(Boolean) : [];
  const labels = [...new Set([MANAGED_LABEL, itemLabel(item.id), ...tagLabels])];
  const timeframe = item.timeframe;
  const statusCategory = f.status && item.statusName ? (f.status.get(item.statusName) ?? null) : null;
  return {
    summary: `${f.summaryPrefix}${item.name}`.slice(0, SUMMARY_LIMIT),
    description,
    descriptionHash: description ? descriptionHash(description) : null,
    labels,
    dueDate: f.dueDate ? ((f.dueDate === 'endDate' ? timeframe?.endDate : timeframe?.startDate) ?? null) : undefined,
    statusCategory,
    status: statusCategory && item.statusName ? statusTarget(item.statusName, statusCategory, f.status!) : null,
    jiraFields: jiraFieldValues(item, rule),
  };
}

/** The status to reach, and the mapping's other statuses of its category (a Jira status named like one of them is not this one). */
function statusTarget(pbStatus: string, category: StatusCategory, statuses: ReadonlyMap<string, StatusCategory>): StatusTarget {
  const otherNames = [...statuses].filter(([name, c]) => c === category && name !== pbStatus).map(([name]) => name);
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
