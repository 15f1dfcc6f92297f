import { createHash } from 'node:crypto';
import type { JiraState } from './state.js';

/** One managed issue as the comparison sees it: everything but keys and ids, which vary by run. */
export interface IssueShape {
  type: string;
  summary: string;
  parentPbId: string | null;
  labels: string[];
  status: string;
  duedate: string | null;
  descriptionHash: string;
  remoteLinks: number;
}

const pbIdOf = (labels: readonly string[]): string | null => labels.find((l) => /^pb-[0-9a-f]{8}-/.test(l))?.slice(3) ?? null;

/**
 * The sandbox's Jira keyed by Productboard id: two runs that reached the same final state produce
 * equal snapshots whatever order (and so whatever keys) their issues were created in.
 */
export function snapshotJira(state: JiraState): Map<string, IssueShape[]> {
  const issues = state.issues();
  const pbById = new Map(issues.map((i) => [i.id, pbIdOf(i.labels)]));
  const snapshot = new Map<string, IssueShape[]>();
  for (const issue of issues) {
    const pbId = pbIdOf(issue.labels) ?? `unstamped:${issue.summary}`;
    const shape: IssueShape = {
      type: issue.issueType.name,
      summary: issue.summary,
      parentPbId: issue.parentId ? (pbById.get(issue.parentId) ?? `unstamped:${issue.parentKey}`) : null,
      labels: [...issue.labels].sort(),
      status: issue.status.categoryKey,
      duedate: issue.duedate,
      descriptionHash: createHash('sha256').update(JSON.stringify(issue.description)).digest('hex').slice(0, 12),
      remoteLinks: issue.remoteLinks.length,
    };
    snapshot.set(pbId, [...(snapshot.get(pbId) ?? []), shape]);
  }
  return new Map([...snapshot.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Differences between two snapshots, as readable lines; empty when the states are equal. */
export function diffSnapshots(expected: Map<string, IssueShape[]>, actual: Map<string, IssueShape[]>): string[] {
  const lines: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const a = JSON.stringify(expected.get(key) ?? []);
    const b = JSON.stringify(actual.get(key) ?? []);
    if (a !== b) lines.push(`${key}: expected ${a} got ${b}`);
  }
  return lines;
}
