import type { ObservedIssue } from '../model/observed.js';
import { printableLines } from '../util/untrusted-text.js';

const STATUS: Record<string, string> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

/** The managed Jira issues as a tree (Epic → Story → Sub-task), for people to eyeball. */
export function formatJiraTree(issues: readonly ObservedIssue[]): string {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const children = new Map<string | null, ObservedIssue[]>();
  for (const issue of issues) {
    const parent = issue.parentId && byId.has(issue.parentId) ? issue.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), issue]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string) => {
    const list = (children.get(parent) ?? []).sort((a, b) => b.level - a.level || a.key.localeCompare(b.key, undefined, { numeric: true }));
    for (const issue of list) {
      const status = issue.statusCategory ? STATUS[issue.statusCategory] : 'unknown';
      lines.push(`${indent}${issue.key.padEnd(8)} ${issue.issueTypeName.padEnd(8)} ${issue.summary}  [${status}]`);
      walk(issue.id, `${indent}    `);
    }
  };
  walk(null, '');
  lines.push('', `${issues.length} managed issues`);
  return printableLines(lines);
}
