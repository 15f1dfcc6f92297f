import { createHash } from 'node:crypto';
import { MANAGED_LABEL, itemLabel, tagToLabel } from '../../connectors/jira/stamp.js';
import { bulletList, heading, link, paragraph, text, textLength, type AdfDoc, type AdfNode } from '../mapping/adf.js';
import { HtmlConversionError, htmlToAdf } from '../mapping/html-to-adf.js';
import type { CompiledMapping, CompiledRule } from '../mapping/load-mapping.js';
import type { PbType } from '../mapping/schema.js';
import type { DesiredFields, DesiredIssue, DesiredSkip, DesiredTree, SourceGraph, SourceItem, SourceNote } from './model.js';
import type { ProjectIssueType } from './ports.js';

/** Jira caps a description at 32,767 characters; stay well under with room for our sections. */
const DESCRIPTION_TEXT_LIMIT = 30_000;
const SUMMARY_LIMIT = 255;

export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/**
 * What Jira should look like according to the mapping: a pure function of the Productboard graph,
 * the compiled mapping and the resolved issue types. Items that cannot be placed become skips with
 * a named reason; nothing is dropped silently.
 */
export function buildDesiredTree(graph: SourceGraph, mapping: CompiledMapping, issueTypes: ReadonlyMap<PbType, ProjectIssueType>): DesiredTree {
  const issues = new Map<string, DesiredIssue>();
  const skipped: DesiredSkip[] = [];
  const skippedIds = new Set<string>();
  const notesByItem = indexNotes(graph.notes);
  const skip = (item: { id: string; type: string; name: string }, reason: DesiredSkip['reason'], detail: string, parentPbId: string | null = null) => {
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
      let fields: DesiredFields;
      try {
        fields = desiredFields(item, rule, notesByItem.get(item.id) ?? []);
      } catch (error) {
        if (!(error instanceof HtmlConversionError)) throw error;
        skip(item, 'invalid-item', `description: ${error.message}`, placement.parentPbId);
        continue;
      }
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

function placeUnderParent(item: SourceItem, rule: CompiledRule, graph: SourceGraph, placed: ReadonlyMap<string, DesiredIssue>, skippedIds: ReadonlySet<string>): Placement {
  const parentRule = rule.parent;
  if (!parentRule) return { kind: 'place', parentPbId: null, note: null, candidates: [] };
  const refs = parentRule.via === 'link' ? item.links.filter((ref) => ref.type === parentRule.pbType) : item.parent && item.parent.type === parentRule.pbType ? [item.parent] : [];
  const missing = refs.filter((ref) => !graph.items.has(ref.id));
  const candidates = refs.map((ref) => graph.items.get(ref.id)).filter((p): p is SourceItem => Boolean(p));
  const relation = parentRule.via === 'link' ? `linked ${parentRule.pbType}` : `parent ${parentRule.pbType}`;
  if (candidates.length === 0) {
    if (missing.length) return { kind: 'skip', reason: 'invalid-item', detail: `${relation} ${missing[0]!.id} was not returned by Productboard`, parentPbId: null };
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
  return { kind: 'place', parentPbId: chosen.id, note, candidates: [chosen.id, ...candidates.filter((c) => c.id !== chosen.id).map((c) => c.id)] };
}

/** Deterministic whatever order Productboard lists relationships in (documented in mappings/README.md). */
function choose(candidates: readonly SourceItem[], rule: 'earliest-created' | 'first-by-name'): SourceItem {
  const sorted = [...candidates].sort((a, b) => (rule === 'earliest-created' ? a.createdAt.localeCompare(b.createdAt) : a.name.localeCompare(b.name)) || a.id.localeCompare(b.id));
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
  const description = f.description ? buildDescription(item, f.description.sourceLink, rule.insights, notes) : null;
  const tagLabels = f.labels ? item.tags.map(tagToLabel).filter(Boolean) : [];
  const labels = [...new Set([MANAGED_LABEL, itemLabel(item.id), ...tagLabels])];
  const timeframe = item.timeframe;
  return {
    summary: `${f.summaryPrefix}${item.name}`.slice(0, SUMMARY_LIMIT),
    description,
    descriptionHash: description ? hashOf(description) : null,
    labels,
    dueDate: f.dueDate ? (f.dueDate === 'endDate' ? timeframe?.endDate : timeframe?.startDate) ?? null : undefined,
    statusCategory: f.status && item.statusName ? f.status.get(item.statusName) ?? null : null,
  };
}

function buildDescription(item: SourceItem, sourceLink: boolean, insights: CompiledRule['insights'], notes: readonly SourceNote[]): AdfDoc {
  let body: AdfNode[] = htmlToAdf(item.descriptionHtml).content;
  if (textLength(body) > DESCRIPTION_TEXT_LIMIT) {
    const kept: AdfNode[] = [];
    let used = 0;
    for (const node of body) {
      used += textLength([node]);
      if (used > DESCRIPTION_TEXT_LIMIT) break;
      kept.push(node);
    }
    body = [...kept, paragraph(text('(truncated: the full description is in Productboard)', [{ type: 'em' }]))];
  }
  const content = [...body];
  if (insights && notes.length > 0) {
    // Newest first, like Productboard's insights list.
    const sorted = [...notes].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    content.push(heading(3, `Customer insights (${notes.length})`));
    if (insights.list && insights.max > 0) {
      const shown = sorted.slice(0, insights.max);
      content.push(bulletList(shown.map((note) => [note.url ? link(note.name, note.url) : text(note.name)])));
      if (sorted.length > shown.length) content.push(paragraph(text(`…and ${sorted.length - shown.length} more in Productboard`)));
    }
  }
  if (sourceLink && item.url) content.push(paragraph(text('Synced from Productboard: '), link(item.name, item.url)));
  return { version: 1, type: 'doc', content };
}
