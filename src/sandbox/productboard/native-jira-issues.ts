import type { PbEntityType } from './model.js';
import type { PbState } from './state.js';

// Makes the Jira issues that the native Jira integration's connections point at, in a Jira the caller gives (the
// sandbox Jira), and points the connections at them: the state a team is in when it moves off Productboard's own
// integration. Only the issue maker's shape is needed, so this room does not depend on the Jira room.

export interface IssueMaker {
  createIssue(input: { issueType: string; summary: string; parent?: string | null }): { id: string; key: string };
}

const ISSUE_TYPE: Partial<Record<PbEntityType, string>> = { initiative: 'Epic', feature: 'Story', subfeature: 'Sub-task' };

/** For every connection of every enabled integration, parents first; returns the entity → issue key pairs made. */
export function createNativeJiraIssues(state: PbState, jira: IssueMaker): Map<string, string> {
  const made = new Map<string, { id: string; key: string }>();
  for (const integration of state.jiraIntegrations.list()) {
    if (integration.integrationStatus !== 'enabled') continue;
    const entities = [...integration.connections.keys()]
      .map((id) => state.entity(id))
      .filter((e) => e !== undefined)
      .sort((a, b) => depth(a.type) - depth(b.type));
    for (const e of entities) {
      const parent = e.parentId ? made.get(e.parentId) : undefined;
      // A subfeature whose feature has no issue of its own becomes a plain Task: a sub-task needs a parent.
      const issueType = e.type === 'subfeature' && !parent ? 'Task' : (ISSUE_TYPE[e.type] ?? 'Task');
      const issue = jira.createIssue({ issueType, summary: e.name, ...(issueType === 'Sub-task' && parent ? { parent: parent.key } : {}) });
      made.set(e.id, issue);
      state.jiraIntegrations.connect(integration.id, e.id, { issueKey: issue.key, issueId: issue.id });
    }
  }
  return new Map([...made].map(([entityId, issue]) => [entityId, issue.key]));
}

function depth(type: PbEntityType): number {
  return type === 'initiative' ? 0 : type === 'feature' ? 1 : 2;
}
