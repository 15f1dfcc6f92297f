// The JQL subset the engine sends to /rest/api/3/search/jql
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/): project, labels,
// key/issuekey/id, parent, issuetype, status, statusCategory, summary ~, created/updated comparisons,
// priority, component, fixVersion, assignee, resolution and custom fields (value-clauses.ts),
// issue.property[...], AND / OR / NOT / parentheses, ORDER BY. Behaviours kept from Jira on purpose:
// - unbounded queries (no clause at all) are rejected by /search/jql;
// - unknown projects, issue types, statuses and non-existent issue keys are 400s, not empty results;
// - `labels != x` and `parent != x` do not match issues with no labels / no parent (JQL's EMPTY semantics);
// - issue.property[...] clauses parse but match nothing: properties are only searchable when an app registers
//   them for indexing (https://developer.atlassian.com/cloud/jira/platform/modules/entity-property/), which an
//   API-token integration cannot do.

/** A query Jira refuses; its message is what Jira answers in `errorMessages`. */
export class JqlError extends Error {}

export type Op = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

export type Value = { kind: 'literal'; text: string; quoted: boolean; pos: number } | { kind: 'empty'; pos: number };

export interface Clause {
  kind: 'clause';
  field: string;
  fieldPos: number;
  op: Op;
  values: Value[];
}

export type Expr = Clause | { kind: 'and'; items: Expr[] } | { kind: 'or'; items: Expr[] } | { kind: 'not'; item: Expr };

export interface OrderTerm {
  field: 'key' | 'id' | 'created' | 'updated';
  dir: 'asc' | 'desc';
}

export interface JqlQuery {
  where?: Expr;
  orderBy: OrderTerm[];
}

/** A query is bounded when it has at least one search restriction; /search/jql refuses the others. */
export function isBounded(q: JqlQuery): boolean {
  return q.where !== undefined;
}

/** Where in the query an error is, as Jira words it. */
export const at = (pos: number): string => `(line 1, character ${pos + 1})`;
