import type { StatusCategory } from '../model/status.js';

// Progress rolled up level by level over the Jira tree a pass has read (no request of its own):
// Sub-task → Story → Epic → the level above. A pure function of the tree, so the delivery fields
// and the plugin column show the same figures, a dry run shows what a real pass writes, and a rerun
// over the same tree computes the same values (and so writes nothing).
//
// A done issue is complete whatever its children say (Jira lets people close a story with open
// sub-tasks, and they mean it); a leaf that is not done has none. Any other issue is the mean of
// its children's progress, partly done children counted in part, so a Sub-task closed moves its
// Epic too. When story points are read (`writeBack.storyPoints`), the mean is weighted: each
// child weighs its points, its own estimate or else the sum of its children's (points done /
// points in all, as Jira's epic reports count), and a child nobody estimated weighs nothing beside
// estimated siblings. When no child carries points (an unestimated subtree, or no points read),
// each child counts once: done children / all children, so progress still shows.

export interface TreeIssue {
  key: string;
  parentKey: string | null;
  statusCategory: StatusCategory | null;
  /** Its own estimate (null or absent: none, or points are not read). */
  storyPoints?: number | null;
}

export interface RolledUp {
  /** 0..1. */
  progress: number;
  /** Its own estimate, else the sum of its children's points; null when nothing below it is estimated. */
  points: number | null;
}

/** Progress and points of every issue of the tree, by key. */
export function rollUp(issues: readonly TreeIssue[]): Map<string, RolledUp> {
  const children = new Map<string, TreeIssue[]>();
  const byKey = new Map(issues.map((i) => [i.key, i]));
  for (const issue of issues) {
    if (issue.parentKey === null || !byKey.has(issue.parentKey)) continue;
    const list = children.get(issue.parentKey) ?? [];
    list.push(issue);
    children.set(issue.parentKey, list);
  }
  const done = new Map<string, RolledUp>();
  // Depth-first with an explicit guard: a tree Jira reports with a cycle (it should not) ends, at 0 and no points.
  const visiting = new Set<string>();
  const of = (issue: TreeIssue): RolledUp => {
    const known = done.get(issue.key);
    if (known) return known;
    if (visiting.has(issue.key)) return { progress: 0, points: null };
    visiting.add(issue.key);
    const kids = (children.get(issue.key) ?? []).map(of);
    const weight = kids.reduce((sum, k) => sum + (k.points ?? 0), 0);
    const own = issue.storyPoints ?? null;
    const value: RolledUp = {
      progress:
        issue.statusCategory === 'done'
          ? 1
          : weight > 0
            ? kids.reduce((sum, k) => sum + k.progress * (k.points ?? 0), 0) / weight
            : kids.length
              ? kids.reduce((sum, k) => sum + k.progress, 0) / kids.length
              : 0,
      points: own ?? (kids.some((k) => k.points !== null) ? weight : null),
    };
    visiting.delete(issue.key);
    done.set(issue.key, value);
    return value;
  };
  for (const issue of issues) of(issue);
  return done;
}

/** Progress (0..1) of every issue of the tree, by key. */
export const rollUpProgress = (issues: readonly TreeIssue[]): Map<string, number> =>
  new Map([...rollUp(issues)].map(([key, r]) => [key, r.progress]));

/** As a Productboard number field shows it: whole percent. */
export const percent = (progress: number): number => Math.round(progress * 100);

/** As a Productboard number field shows points: sums of fractional estimates without float noise (0.1 + 0.2 is 0.3). */
export const points = (value: number): number => Math.round(value * 100) / 100;
