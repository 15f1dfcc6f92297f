import { ISSUE_TYPES } from './catalog.js';
import type { CustomFieldSpec, IssueTypeSpec, JiraSandboxOptions, WorkflowSpec } from './options.js';

// Ready-made Jira sites for tests, the demo and people trying the tool: what organisations actually run, as opposed to
// the sandbox's minimal default site.

/** The default five issue types, to extend: `[...DEFAULT_ISSUE_TYPES, { name: 'Spike', hierarchyLevel: 0 }]`. */
export const DEFAULT_ISSUE_TYPES: readonly IssueTypeSpec[] = ISSUE_TYPES.map(({ id, name, hierarchyLevel, description }) => ({
  id,
  name,
  hierarchyLevel,
  description,
}));

const SCREEN_FIELDS = [
  'description',
  'labels',
  'duedate',
  'parent',
  'priority',
  'components',
  'fixVersions',
  'assignee',
  'Story Points',
  'Investment type',
];

const CUSTOM_FIELDS: CustomFieldSpec[] = [
  { id: 'customfield_10011', name: 'Epic Name', type: 'epic-name' },
  { id: 'customfield_10016', name: 'Story Points', type: 'number' },
  { name: 'Investment type', type: 'select', options: ['Perfective', 'Preventative', 'Adaptive', 'Corrective', 'Added value'] },
];

const RESOLUTION_SCREEN = { fields: ['resolution'], required: ['resolution'] };

/** Stories, tasks, bugs and epics: Blocked and In Review in progress; Done and Won't Do both done, each asking why. */
const DELIVERY_WORKFLOW: WorkflowSpec = {
  name: 'Delivery workflow',
  statuses: [
    { name: 'To Do', category: 'new' },
    { name: 'In Progress', category: 'indeterminate' },
    { name: 'Blocked', category: 'indeterminate' },
    { name: 'In Review', category: 'indeterminate' },
    { name: 'Done', category: 'done' },
    { name: "Won't Do", category: 'done' },
  ],
  transitions: [
    { name: 'Start work', to: 'In Progress', from: ['To Do', 'Blocked'] },
    { name: 'Block', to: 'Blocked', from: ['In Progress'] },
    { name: 'Request review', to: 'In Review', from: ['In Progress'] },
    { name: 'Done', to: 'Done', from: ['In Progress', 'In Review'], screen: RESOLUTION_SCREEN },
    { name: "Won't do", to: "Won't Do", screen: RESOLUTION_SCREEN },
    { name: 'Reopen', to: 'To Do', from: ['Done', "Won't Do"] },
  ],
};

const SUBTASK_WORKFLOW: WorkflowSpec = {
  name: 'Sub-task workflow',
  issueTypes: ['Sub-task'],
  statuses: [
    { name: 'To Do', category: 'new' },
    { name: 'In Progress', category: 'indeterminate' },
    { name: 'Done', category: 'done' },
  ],
  transitions: [
    { name: 'To Do', to: 'To Do' },
    { name: 'In Progress', to: 'In Progress' },
    { name: 'Done', to: 'Done' },
  ],
};

/**
 * The default site with Jira Premium's plans hierarchy: an issue type `name` (e.g. 'Initiative')
 * at level 2, above Epic. Refused when the site already has a type of that name.
 */
export function withLevelTwo(name: string): JiraSandboxOptions {
  const taken = DEFAULT_ISSUE_TYPES.find((t) => t.name.toLowerCase() === name.trim().toLowerCase());
  if (!name.trim() || taken)
    throw new Error(name.trim() ? `the sandbox Jira already has an issue type named ${taken!.name}` : 'the name is empty');
  return {
    issueTypes: [
      { name: name.trim(), hierarchyLevel: 2, description: 'A large piece of work spanning several epics.' },
      ...DEFAULT_ISSUE_TYPES,
    ],
  };
}

/**
 * A company-managed Jira Software project: an Epic must have an Epic Name; create screens carry priority, components,
 * fix versions, assignee, story points and an investment type; stories, tasks and bugs follow a delivery workflow with
 * a Blocked status, transitions only from some statuses, and two ways into done (Done, Won't Do) whose screens require a
 * resolution; sub-tasks keep the simple workflow. With `levelTwo`, Jira Premium's plans hierarchy adds that type (e.g.
 * 'Initiative') above Epic.
 */
export function companyManagedJira(opts: { levelTwo?: string } = {}): JiraSandboxOptions {
  return {
    issueTypes: [
      ...(opts.levelTwo ? [{ name: opts.levelTwo, hierarchyLevel: 2, description: 'A large piece of work spanning several epics.' }] : []),
      ...DEFAULT_ISSUE_TYPES,
      { name: 'Spike', hierarchyLevel: 0, description: 'Time-boxed research.' },
    ],
    customFields: CUSTOM_FIELDS,
    screens: {
      '*': { fields: SCREEN_FIELDS },
      Epic: { fields: ['Epic Name', ...SCREEN_FIELDS], required: ['Epic Name'] },
    },
    workflows: [DELIVERY_WORKFLOW, SUBTASK_WORKFLOW],
    components: [{ name: 'Frontend', description: 'Web and mobile clients' }, { name: 'Backend' }, { name: 'Platform' }],
    versions: [
      { name: '2026.1', released: true, releaseDate: '2026-03-31' },
      { name: '2026.2', releaseDate: '2026-06-30' },
      { name: '2026.3' },
    ],
    users: [
      { displayName: 'Ada Lovelace', email: 'ada@example.com' },
      { displayName: 'Grace Hopper', email: 'grace@example.com', emailVisible: false },
      { displayName: 'Former Colleague', email: 'former@example.com', active: false },
    ],
  };
}

/** The driver fields of the product delivery flow: selects the backlog sorts and filters by, and a number. */
const DELIVERY_FIELDS: CustomFieldSpec[] = [
  { name: 'Impact', type: 'select', options: ['Low', 'Medium', 'High'] },
  { name: 'Request frequency', type: 'number' },
  { name: 'Demand', type: 'select', options: ['None', 'Some', 'Many'] },
  { name: 'Strategic alignment', type: 'select', options: ['Low', 'Medium', 'High'] },
  { name: 'Effort', type: 'select', options: ['Low', 'Medium', 'High'] },
];

/**
 * The Jira of an organisation that runs the seeds' models (the shipped mappings/ files): `companyManagedJira` with an
 * Outcome type at level 2 (Jira Premium's plans hierarchy), Backlog item and Spike beside Story and Bug, the four driver
 * fields, one component per value stream, and the Productboard model workspace's owners as users (its contractor is not).
 */
export function deliveryModelJira(opts: { levelTwo?: string } = {}): JiraSandboxOptions {
  const base = companyManagedJira({ levelTwo: opts.levelTwo ?? 'Outcome' });
  const screenFields = [...SCREEN_FIELDS, ...DELIVERY_FIELDS.map((f) => f.name)];
  return {
    ...base,
    issueTypes: [
      ...(base.issueTypes ?? []),
      { name: 'Backlog item', hierarchyLevel: 0, description: 'The smallest operational increment.' },
    ],
    customFields: [...CUSTOM_FIELDS, ...DELIVERY_FIELDS],
    screens: { '*': { fields: screenFields }, Epic: { fields: ['Epic Name', ...screenFields], required: ['Epic Name'] } },
    components: [...(base.components ?? []), ...['Self-service', 'Onboarding', 'Cost transparency', 'Compute'].map((name) => ({ name }))],
    users: [
      ...(base.users ?? []),
      { displayName: 'Maria Ionescu', email: 'maria.ionescu@hubco.example' },
      { displayName: 'Tom Okafor', email: 'tom.okafor@hubco.example' },
      { displayName: 'Lea Schneider', email: 'lea.schneider@hubco.example' },
    ],
  };
}
