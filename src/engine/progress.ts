import type { StatusCategory } from '../model/status.js';

// Progress rolled up level by level over the Jira tree a pass has read (no request of its own):
// Sub-task → Story → Epic → the level above. A done issue is complete whatever its children say
// (Jira lets people close a story with open sub-tasks, and they mean it); any other issue is the
// share of its children's progress, each child counting once (done children / all children, with
// partly done children counted in part, so a Sub-task closed moves its Epic too); a leaf that is
// not done has none.

export interface TreeIssue {
  key: string;
  parentKey: string | null;
  statusCategory: StatusCategory | null;
}

/** Progress (0..1) of every issue of the tree, by key. */
export function rollUpProgress(issues: readonly TreeIssue[]): Map<string, number> {
  const children = new Map<string, TreeIssue[]>();
  const byKey = new Map(issues.map((i) => [i.key, i]));
  for (const issue of issues) {
    if (issue.parentKey === null || !byKey.has(issue.parentKey)) continue;
    const list = children.get(issue.parentKey) ?? [];
    list.push(issue);
    children.set(issue.parentKey, list);
  }
  const progress = new Map<string, number>();
  // Depth-first with an explicit guard: a tree Jira reports with a cycle (it should not) ends, at 0.
  const visiting = new Set<string>();
  const of = (issue: TreeIssue): number => {
    const known = progress.get(issue.key);
    if (known !== undefined) return known;
    if (visiting.has(issue.key)) return 0;
    visiting.add(issue.key);
    const kids = children.get(issue.key) ?? [];
    const value = issue.statusCategory === 'done' ? 1 : kids.length ? kids.reduce((sum, k) => sum + of(k), 0) / kids.length : 0;
    visiting.delete(issue.key);
    progress.set(issue.key, value);
    return value;
  };
  for (const issue of issues) of(issue);
  return progress;
}

/** As a Productboard number field shows it: whole percent. */
export const percent = (progress: number): number => Math.round(progress * 100);
