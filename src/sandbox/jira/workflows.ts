import { STATUSES, TRANSITIONS, type JiraIssueType, type JiraStatus, type StatusCategoryKey } from './catalog.js';
import type { FieldDef } from './field-defs.js';
import type { WorkflowSpec } from './options.js';

// Workflows of the sandbox's Jira site, closer to company-managed ones than a single global workflow: one per issue
// type, transitions available only from some statuses, several transitions into one category (Done and Won't Do), and
// transition screens whose fields must be filled (GET …/transitions?expand=transitions.fields,
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get).
// Transition ids belong to a workflow, so two workflows may reuse the same ids, as in Jira.

export interface ScreenField {
  fieldId: string;
  required: boolean;
}

export interface TransitionDef {
  id: string;
  name: string;
  toStatusId: string;
  /** Status ids it is available from; null = global (from every status but its target). */
  from: readonly string[] | null;
  /** Fields of its screen; null = no screen. */
  screen: readonly ScreenField[] | null;
}

export interface WorkflowDef {
  name: string;
  statusIds: readonly string[];
  initialStatusId: string;
  transitions: readonly TransitionDef[];
}

export interface BuiltWorkflows {
  statuses: JiraStatus[];
  /** By issue type id. */
  byType: Map<string, WorkflowDef>;
}

const DEFAULT_WORKFLOW: WorkflowDef = {
  name: 'Software Simplified Workflow (sandbox)',
  statusIds: STATUSES.map((s) => s.id),
  initialStatusId: '10000',
  transitions: TRANSITIONS.map((t) => ({ ...t, from: null, screen: null })),
};

/** Transitions of `wf` a person may take from `statusId` (never one into the status the issue is already in). */
export function availableTransitions(wf: WorkflowDef, statusId: string): TransitionDef[] {
  return wf.transitions.filter((t) => t.toStatusId !== statusId && (t.from === null || t.from.includes(statusId)));
}

export function buildWorkflows(
  specs: readonly WorkflowSpec[] | undefined,
  types: readonly JiraIssueType[],
  field: (ref: string) => FieldDef | undefined,
): BuiltWorkflows {
  if (!specs || specs.length === 0) return { statuses: [...STATUSES], byType: new Map(types.map((t) => [t.id, DEFAULT_WORKFLOW])) };
  const statuses: JiraStatus[] = [];
  let nextStatusId = 10003;
  const statusNamed = (name: string, category: StatusCategoryKey): JiraStatus => {
    const known = statuses.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (known) {
      if (known.category !== category) throw new Error(`Status '${name}' is given two status categories.`);
      return known;
    }
    // Jira's default statuses keep their usual ids, so a configured site still has To Do = 10000.
    const usual = STATUSES.find((s) => s.name.toLowerCase() === name.toLowerCase() && s.category === category);
    const created = { id: usual?.id ?? String(nextStatusId++), name, category };
    statuses.push(created);
    return created;
  };

  const built = specs.map((spec) => buildOne(spec, statusNamed, field));
  const byType = new Map<string, WorkflowDef>();
  specs.forEach((spec, i) => {
    for (const name of spec.issueTypes ?? []) {
      const type = types.find((t) => t.name.toLowerCase() === name.toLowerCase());
      if (!type) throw new Error(`Workflow '${spec.name}' names an unknown issue type '${name}'.`);
      if (byType.has(type.id)) throw new Error(`Issue type '${name}' is given two workflows.`);
      byType.set(type.id, built[i] as WorkflowDef);
    }
  });
  const fallback = built[specs.findIndex((s) => s.issueTypes === undefined)] ?? (built[0] as WorkflowDef);
  for (const t of types) if (!byType.has(t.id)) byType.set(t.id, fallback);
  return { statuses, byType };
}

function buildOne(
  spec: WorkflowSpec,
  statusNamed: (name: string, category: StatusCategoryKey) => JiraStatus,
  field: (ref: string) => FieldDef | undefined,
): WorkflowDef {
  if (spec.statuses.length === 0) throw new Error(`Workflow '${spec.name}' has no status.`);
  const own = spec.statuses.map((s) => statusNamed(s.name, s.category));
  const idOf = (name: string, what: string): string => {
    const s = own.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!s) throw new Error(`Workflow '${spec.name}': ${what} '${name}' is not one of its statuses.`);
    return s.id;
  };
  const transitions = spec.transitions.map((t, i): TransitionDef => {
    const screen = t.screen
      ? t.screen.fields.map((ref): ScreenField => {
          const f = field(ref);
          if (!f?.value)
            throw new Error(`Workflow '${spec.name}', transition '${t.name}': '${ref}' is not a field a transition screen can hold.`);
          return { fieldId: f.id, required: (t.screen?.required ?? []).some((r) => field(r)?.id === f.id) };
        })
      : null;
    return {
      id: t.id ?? `${i + 1}1`,
      name: t.name,
      toStatusId: idOf(t.to, 'target status'),
      from: t.from ? t.from.map((n) => idOf(n, 'source status')) : null,
      screen,
    };
  });
  const ids = transitions.map((t) => t.id);
  if (new Set(ids).size !== ids.length) throw new Error(`Workflow '${spec.name}' uses a transition id twice.`);
  return {
    name: spec.name,
    statusIds: own.map((s) => s.id),
    initialStatusId: idOf(spec.initial ?? (own[0] as JiraStatus).name, 'initial status'),
    transitions,
  };
}
