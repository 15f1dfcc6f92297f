import { uuidFromName } from '../kit/deterministic-id.js';
import {
  quarterOf,
  type CustomFieldInput,
  type PbEntityType,
  type SeedCustomField,
  type SeedEntity,
  type SeedNote,
  type SeedWorkspace,
} from './model.js';

// A small workspace shaped like the organisation models our users think in, for the mapping-format e2e tests:
//
//   objective (roadmap item) ─link─ initiative (outcome) ─link─ feature (idea / backlog item, spike or bug)
//                                                                   └─parent─ subfeature (task)
//   product ─ component ─parent─ feature;  releaseGroup ─ release ─link─ feature;  note (insight) ─link─ feature
//
// - Drivers on every idea (feature): Impact (Low / Medium / High), Strategic alignment and Effort (Low / Med / High),
//   all single selects; request frequency is the number of linked insights: 0, 1–4 and 5+ all occur, and one feature's
//   insights come from fewer distinct customers than insights.
// - Investment type (Perfective, Preventative, Adaptive, Corrective, Added value) on initiatives and features; Feature
//   type (Backlog item, Spike, Bug) on features.
// - Value streams twice, as a `vs:` tag and as the "Value stream" select; most items agree, some do not (below).
// - Owners: three people who are Jira users by the same email, one contractor who is not (`modelOwners`).
// - Releases linked to features; "Story points" (number), "Engineering lead" (member), "Target date" (date),
//   "Platforms" (multi select) and the empty delivery fields "Jira key", "Jira status", "Delivery progress".
// - Defects on purpose (`modelIds.defects`): an initiative linked to no objective, an initiative linked to two, a
//   feature linked to no initiative, a feature linked to two, a feature without any value stream, a feature whose
//   tag and field name different streams, a feature with its stream only as a tag, and an archived feature with a
//   live subfeature.
// 46 entities and 19 notes; ids are derived from names and times are fixed, so every build is identical.

const id = (type: PbEntityType, name: string): string => uuidFromName(`model:${type}:${name}`);
const noteId = (name: string): string => uuidFromName(`model:note:${name}`);
const fieldId = (name: string): string => uuidFromName(`model:field:${name}`);
/** Fixed clock: day N of February 2026. */
const feb = (day: number, hour = 9): string => new Date(Date.UTC(2026, 1, day, hour)).toISOString();

/** People who own things; the first three are also Jira users by these emails, the contractor is not. */
export const modelOwners = {
  maria: 'maria.ionescu@hubco.example',
  tom: 'tom.okafor@hubco.example',
  lea: 'lea.schneider@hubco.example',
  /** Not a Jira user: an assignee lookup by email finds nobody. */
  contractor: 'sam.contractor@partner.example',
} as const;
const O = modelOwners;

type FieldName =
  | 'Impact'
  | 'Strategic alignment'
  | 'Effort'
  | 'Investment type'
  | 'Feature type'
  | 'Value stream'
  | 'Story points'
  | 'Engineering lead'
  | 'Target date'
  | 'Platforms'
  | 'Jira key'
  | 'Jira status'
  | 'Delivery progress';

const LMH = ['Low', 'Med', 'High'];
const FIELDS: Array<Omit<SeedCustomField, 'id'> & { name: FieldName }> = [
  { name: 'Impact', kind: 'singleSelect', options: ['Low', 'Medium', 'High'], entityTypes: ['feature'] },
  { name: 'Strategic alignment', kind: 'singleSelect', options: LMH, entityTypes: ['feature'] },
  { name: 'Effort', kind: 'singleSelect', options: LMH, entityTypes: ['feature'] },
  {
    name: 'Investment type',
    kind: 'singleSelect',
    options: ['Perfective', 'Preventative', 'Adaptive', 'Corrective', 'Added value'],
    entityTypes: ['initiative', 'feature'],
  },
  { name: 'Feature type', kind: 'singleSelect', options: ['Backlog item', 'Spike', 'Bug'], entityTypes: ['feature'] },
  {
    name: 'Value stream',
    kind: 'singleSelect',
    options: ['Self-service', 'Onboarding', 'Cost transparency', 'Compute'],
    entityTypes: ['initiative', 'feature'],
  },
  { name: 'Story points', kind: 'number', entityTypes: ['feature', 'subfeature'] },
  { name: 'Engineering lead', kind: 'member', entityTypes: ['initiative', 'feature'] },
  { name: 'Target date', kind: 'date', entityTypes: ['initiative', 'feature'] },
  { name: 'Platforms', kind: 'multiSelect', options: ['Web', 'API', 'CLI'], entityTypes: ['feature'] },
  { name: 'Jira key', kind: 'text', entityTypes: ['objective', 'initiative', 'feature', 'subfeature'] },
  { name: 'Jira status', kind: 'text', entityTypes: ['objective', 'initiative', 'feature', 'subfeature'] },
  { name: 'Delivery progress', kind: 'number', entityTypes: ['objective', 'initiative', 'feature', 'subfeature'] },
];

type Values = Partial<Record<FieldName, CustomFieldInput>>;

const P = { hub: id('product', 'Research Hub') };
const C = {
  experience: id('component', 'Hub experience'),
  partners: id('component', 'Partner onboarding'),
  billing: id('component', 'Billing'),
  compute: id('component', 'Compute'),
};
const OB = {
  selfService: id('objective', 'Grow self-service adoption'),
  costVisible: id('objective', 'Make cost visible to every community'),
  reliability: id('objective', 'Reliable platform capacity'),
};
const IN = {
  customise: id('initiative', 'Hub admins customise without tickets'),
  partnersLive: id('initiative', 'Partners go live in a week'),
  statements: id('initiative', 'Monthly cost statements'),
  gpu: id('initiative', 'Predictable GPU capacity'),
  orphan: id('initiative', 'Accessibility audit follow-ups'),
  shared: id('initiative', 'Usage data for everyone'),
};
const REL = { r1: id('release', '2026.1'), r2: id('release', '2026.2'), r3: id('release', '2026.3') };
const CUSTOMERS = [
  'University of Tartu',
  'Open Bio Lab',
  'Climate Data Collective',
  'Marine Genomics Institute',
  'Open Astro Network',
  'City Health Lab',
];
const CU = (name: string): string => id('company', name);

interface FeatureSpec {
  name: string;
  component: string;
  initiatives: string[];
  status: string;
  owner: string;
  tags: string[];
  fields: Values;
  releases?: string[];
  archived?: boolean;
  subfeatures?: Array<{ name: string; status: string; points?: number }>;
}

const F = (name: string): string => id('feature', name);

const FEATURES: FeatureSpec[] = [
  {
    name: 'Theme editor',
    component: C.experience,
    initiatives: [IN.customise],
    status: 'In progress',
    owner: O.maria,
    tags: ['vs:self-service', 'ux'],
    fields: {
      Impact: 'High',
      'Strategic alignment': 'High',
      Effort: 'Med',
      'Investment type': 'Added value',
      'Feature type': 'Backlog item',
      'Value stream': 'Self-service',
      'Story points': 13,
      'Engineering lead': O.tom,
      Platforms: ['Web'],
    },
    releases: [REL.r2],
    subfeatures: [
      { name: 'Colour picker', status: 'In progress', points: 5 },
      { name: 'Live preview', status: 'Planned', points: 5 },
      { name: 'Contrast checker', status: 'New idea' },
    ],
  },
  {
    name: 'Theme import from CSS',
    component: C.experience,
    initiatives: [IN.customise],
    status: 'Candidate',
    owner: O.tom,
    tags: ['vs:self-service'],
    fields: {
      Impact: 'Low',
      'Strategic alignment': 'Med',
      Effort: 'Low',
      'Investment type': 'Perfective',
      'Feature type': 'Spike',
      'Value stream': 'Self-service',
    },
  },
  {
    name: 'Broken logo cache',
    component: C.experience,
    initiatives: [IN.customise],
    status: 'Planned',
    owner: O.lea,
    tags: ['vs:self-service', 'bug'],
    fields: {
      Impact: 'Medium',
      'Strategic alignment': 'Low',
      Effort: 'Low',
      'Investment type': 'Corrective',
      'Feature type': 'Bug',
      'Value stream': 'Self-service',
      'Story points': 2,
    },
    releases: [REL.r1],
  },
  {
    name: 'Faster admin pages',
    component: C.experience,
    initiatives: [IN.customise],
    status: 'New idea',
    owner: O.maria,
    // The stream only as a tag: the field is empty.
    tags: ['vs:self-service'],
    fields: {
      Impact: 'Medium',
      'Strategic alignment': 'Med',
      Effort: 'Med',
      'Investment type': 'Perfective',
      'Feature type': 'Backlog item',
    },
  },
  {
    name: 'SAML login for partners',
    component: C.partners,
    initiatives: [IN.partnersLive],
    status: 'In progress',
    owner: O.tom,
    tags: ['vs:onboarding', 'security'],
    fields: {
      Impact: 'High',
      'Strategic alignment': 'High',
      Effort: 'High',
      'Investment type': 'Added value',
      'Feature type': 'Backlog item',
      'Value stream': 'Onboarding',
      'Story points': 21,
      'Engineering lead': O.lea,
      'Target date': '2026-03-31',
      Platforms: ['Web', 'API'],
    },
    releases: [REL.r1],
    subfeatures: [
      { name: 'IdP metadata upload', status: 'Released', points: 3 },
      { name: 'Just-in-time provisioning', status: 'In progress', points: 8 },
    ],
  },
  {
    name: 'Partner welcome checklist',
    component: C.partners,
    initiatives: [IN.partnersLive],
    status: 'Planned',
    // Owned by someone Jira does not know.
    owner: O.contractor,
    tags: ['vs:onboarding'],
    fields: {
      Impact: 'Medium',
      'Strategic alignment': 'High',
      Effort: 'Low',
      'Investment type': 'Added value',
      'Feature type': 'Backlog item',
      'Value stream': 'Onboarding',
      'Target date': '2026-04-30',
    },
  },
  {
    name: 'Invite timeout on large CSVs',
    component: C.partners,
    initiatives: [IN.partnersLive],
    status: 'Candidate',
    owner: O.maria,
    tags: ['vs:onboarding', 'bug'],
    fields: {
      Impact: 'Medium',
      'Strategic alignment': 'Med',
      Effort: 'Med',
      'Investment type': 'Corrective',
      'Feature type': 'Bug',
      'Value stream': 'Onboarding',
      'Story points': 3,
    },
  },
  {
    name: 'Cost statement PDF',
    component: C.billing,
    initiatives: [IN.statements],
    status: 'Planned',
    owner: O.lea,
    tags: ['vs:cost'],
    fields: {
      Impact: 'High',
      'Strategic alignment': 'High',
      Effort: 'Med',
      'Investment type': 'Added value',
      'Feature type': 'Backlog item',
      'Value stream': 'Cost transparency',
      'Story points': 8,
      Platforms: ['Web'],
    },
    releases: [REL.r2],
    subfeatures: [{ name: 'PDF layout', status: 'Planned', points: 3 }],
  },
  {
    name: 'Currency conversion rules',
    component: C.billing,
    initiatives: [IN.statements],
    status: 'New idea',
    owner: O.lea,
    tags: ['vs:cost'],
    fields: {
      Impact: 'Medium',
      'Strategic alignment': 'Med',
      Effort: 'High',
      'Investment type': 'Adaptive',
      'Feature type': 'Spike',
      'Value stream': 'Cost transparency',
    },
  },
  {
    name: 'GPU quota alerts',
    component: C.compute,
    initiatives: [IN.gpu],
    status: 'Candidate',
    owner: O.tom,
    tags: ['vs:compute'],
    fields: {
      Impact: 'High',
      'Strategic alignment': 'Med',
      Effort: 'Med',
      'Investment type': 'Preventative',
      'Feature type': 'Backlog item',
      'Value stream': 'Compute',
      'Story points': 5,
      Platforms: ['Web', 'CLI'],
    },
    releases: [REL.r3],
    subfeatures: [{ name: 'Alert thresholds per hub', status: 'Candidate', points: 2 }],
  },
  {
    name: 'Upgrade node images',
    component: C.compute,
    initiatives: [IN.gpu],
    status: 'Planned',
    owner: O.tom,
    tags: ['vs:compute'],
    fields: {
      Impact: 'Low',
      'Strategic alignment': 'Med',
      Effort: 'High',
      'Investment type': 'Adaptive',
      'Feature type': 'Backlog item',
      'Value stream': 'Compute',
    },
    releases: [REL.r3],
  },
  {
    name: 'Dark mode',
    component: C.experience,
    // Linked to no initiative, and in no value stream at all.
    initiatives: [],
    status: 'New idea',
    owner: O.maria,
    tags: ['ux'],
    fields: {
      Impact: 'Low',
      'Strategic alignment': 'Low',
      Effort: 'Med',
      'Investment type': 'Added value',
      'Feature type': 'Backlog item',
    },
  },
  {
    name: 'Usage export API',
    component: C.billing,
    // Linked to two initiatives; its tag says Compute, its field Cost transparency.
    initiatives: [IN.statements, IN.shared],
    status: 'Candidate',
    owner: O.lea,
    tags: ['vs:compute'],
    fields: {
      Impact: 'Medium',
      'Strategic alignment': 'High',
      Effort: 'Med',
      'Investment type': 'Added value',
      'Feature type': 'Backlog item',
      'Value stream': 'Cost transparency',
      Platforms: ['API'],
    },
  },
  {
    name: 'Legacy quota migrator',
    component: C.compute,
    initiatives: [IN.gpu],
    status: "Won't do",
    owner: O.tom,
    tags: ['vs:compute'],
    archived: true,
    fields: {
      Impact: 'Low',
      'Strategic alignment': 'Low',
      Effort: 'High',
      'Investment type': 'Perfective',
      'Feature type': 'Backlog item',
      'Value stream': 'Compute',
    },
    // The archived feature's subfeature is still planned.
    subfeatures: [{ name: 'Migrate per-user quotas', status: 'Planned' }],
  },
];

interface NoteSpec {
  name: string;
  features: string[];
  customer?: string;
  archived?: boolean;
}

// Theme editor: 6 insights from 6 customers (5+); Invite timeout: 4 insights from 3 customers; SAML: 3; logo: 2;
// statement: 2; checklist: 1; the others none. One note is linked to nothing, one archived.
const NOTES: NoteSpec[] = [
  ...CUSTOMERS.map((c, i) => ({ name: `Theme request ${i + 1}`, features: [F('Theme editor')], customer: c })),
  { name: 'Invite of 400 students timed out', features: [F('Invite timeout on large CSVs')], customer: 'University of Tartu' },
  { name: 'Invite timed out again', features: [F('Invite timeout on large CSVs')], customer: 'University of Tartu' },
  { name: 'CSV invite fails for big classes', features: [F('Invite timeout on large CSVs')], customer: 'Open Bio Lab' },
  { name: 'Bulk invites are slow', features: [F('Invite timeout on large CSVs')], customer: 'City Health Lab' },
  { name: 'We need SAML', features: [F('SAML login for partners')], customer: 'Marine Genomics Institute' },
  { name: 'Azure AD federation', features: [F('SAML login for partners')], customer: 'Open Astro Network' },
  { name: 'SSO before the pilot', features: [F('SAML login for partners')], customer: 'Open Bio Lab' },
  { name: 'Old logo still shows', features: [F('Broken logo cache')], customer: 'Climate Data Collective' },
  { name: 'Finance wants PDFs', features: [F('Cost statement PDF')], customer: 'City Health Lab' },
  { name: 'Statement per grant', features: [F('Cost statement PDF'), F('Usage export API')], customer: 'Climate Data Collective' },
  { name: 'Onboarding felt long', features: [F('Partner welcome checklist')], customer: 'Open Astro Network' },
  { name: 'Workshop feedback', features: [] },
];
const ARCHIVED_NOTE: NoteSpec = {
  name: 'Theme request (duplicate)',
  features: [F('Theme editor')],
  customer: 'Open Bio Lab',
  archived: true,
};

/** Named ids the mapping tests talk about. */
export const modelIds = {
  product: P.hub,
  components: C,
  objectives: OB,
  initiatives: IN,
  releases: REL,
  features: Object.fromEntries(FEATURES.map((f) => [f.name, F(f.name)])) as Record<string, string>,
  fields: Object.fromEntries(FIELDS.map((f) => [f.name, fieldId(f.name)])) as Record<FieldName, string>,
  defects: {
    initiativeWithoutObjective: IN.orphan,
    initiativeWithTwoObjectives: IN.shared,
    featureWithoutInitiative: F('Dark mode'),
    featureWithTwoInitiatives: F('Usage export API'),
    featureWithoutValueStream: F('Dark mode'),
    featureWithConflictingValueStreams: F('Usage export API'),
    featureWithValueStreamTagOnly: F('Faster admin pages'),
    archivedFeatureWithLiveSubfeature: F('Legacy quota migrator'),
  },
} as const;

function fieldValues(values: Values): Record<string, CustomFieldInput> {
  return Object.fromEntries(Object.entries(values).map(([name, v]) => [fieldId(name), v as CustomFieldInput]));
}

/** Product, components, releases and customers: the frame the ideas hang in. */
function frameEntities(): SeedEntity[] {
  const at = feb(1);
  const group = id('releaseGroup', 'Platform releases');
  return [
    { id: P.hub, type: 'product', name: 'Research Hub', descriptionHtml: '<p>The managed research hub platform.</p>', createdAt: at },
    { id: C.experience, type: 'component', name: 'Hub experience', parentId: P.hub, createdAt: at },
    { id: C.partners, type: 'component', name: 'Partner onboarding', parentId: P.hub, createdAt: at },
    { id: C.billing, type: 'component', name: 'Billing', parentId: P.hub, createdAt: at },
    { id: C.compute, type: 'component', name: 'Compute', parentId: P.hub, createdAt: at },
    { id: group, type: 'releaseGroup', name: 'Platform releases', createdAt: at },
    ...[REL.r1, REL.r2, REL.r3].map((rid, i) => ({
      id: rid,
      type: 'release' as const,
      name: `2026.${i + 1}`,
      status: ['Released', 'In progress', 'Upcoming'][i] ?? 'Upcoming',
      parentId: group,
      timeframe: quarterOf(2026, i + 1),
      createdAt: at,
    })),
    ...CUSTOMERS.map((name) => ({ id: CU(name), type: 'company' as const, name, createdAt: at })),
  ];
}

/** Objectives (roadmap items) and the initiatives (outcomes) linked to them. */
function strategyEntities(): SeedEntity[] {
  const objective = (oid: string, name: string, status: string, owner: string, quarter: number): SeedEntity => ({
    id: oid,
    type: 'objective',
    name,
    status,
    ownerEmail: owner,
    timeframe: quarterOf(2026, quarter),
    descriptionHtml: `<p>${name}.</p>`,
    createdAt: feb(2),
  });
  const initiative = (iid: string, name: string, status: string, owner: string, objectives: string[], values: Values): SeedEntity => ({
    id: iid,
    type: 'initiative',
    name,
    status,
    ownerEmail: owner,
    linkedIds: objectives,
    fields: fieldValues(values),
    descriptionHtml: `<p>Outcome: ${name.toLowerCase()}.</p>`,
    createdAt: feb(3),
  });
  const cost = { 'Value stream': 'Cost transparency' } as const;
  return [
    objective(OB.selfService, 'Grow self-service adoption', 'In progress', O.maria, 1),
    objective(OB.costVisible, 'Make cost visible to every community', 'Not started', O.lea, 2),
    objective(OB.reliability, 'Reliable platform capacity', 'In progress', O.tom, 2),
    initiative(IN.customise, 'Hub admins customise without tickets', 'In progress', O.maria, [OB.selfService], {
      'Investment type': 'Added value',
      'Value stream': 'Self-service',
      'Engineering lead': O.tom,
    }),
    initiative(IN.partnersLive, 'Partners go live in a week', 'In progress', O.tom, [OB.selfService], {
      'Investment type': 'Added value',
      'Value stream': 'Onboarding',
      'Target date': '2026-05-31',
    }),
    initiative(IN.statements, 'Monthly cost statements', 'Not started', O.lea, [OB.costVisible], {
      'Investment type': 'Added value',
      ...cost,
    }),
    initiative(IN.gpu, 'Predictable GPU capacity', 'In progress', O.tom, [OB.reliability], {
      'Investment type': 'Preventative',
      'Value stream': 'Compute',
    }),
    initiative(IN.orphan, 'Accessibility audit follow-ups', 'Not started', O.maria, [], { 'Investment type': 'Corrective' }),
    initiative(IN.shared, 'Usage data for everyone', 'Not started', O.lea, [OB.costVisible, OB.reliability], {
      'Investment type': 'Added value',
      ...cost,
    }),
  ];
}

/** Features (ideas) and their subfeatures (tasks). */
function featureEntities(): SeedEntity[] {
  return FEATURES.flatMap((f, i) => {
    const created = feb(5 + i);
    const fid = F(f.name);
    const feature: SeedEntity = {
      id: fid,
      type: 'feature',
      name: f.name,
      descriptionHtml: `<p>${f.name}: see the insights linked to it.</p>`,
      status: f.status,
      parentId: f.component,
      linkedIds: [...f.initiatives, ...(f.releases ?? [])],
      ownerEmail: f.owner,
      tags: f.tags,
      fields: fieldValues(f.fields),
      createdAt: created,
    };
    if (f.archived) feature.archived = true;
    const subfeatures = (f.subfeatures ?? []).map((s, j): SeedEntity => ({
      id: id('subfeature', s.name),
      type: 'subfeature',
      name: s.name,
      descriptionHtml: `<p>Task of ${f.name}.</p>`,
      status: s.status,
      parentId: fid,
      ownerEmail: f.owner,
      ...(s.points !== undefined ? { fields: fieldValues({ 'Story points': s.points }) } : {}),
      createdAt: new Date(Date.parse(created) + (j + 1) * 3_600_000).toISOString(),
    }));
    return [feature, ...subfeatures];
  });
}

function buildNotes(): SeedNote[] {
  return [...NOTES, ARCHIVED_NOTE].map((n, i) => {
    const note: SeedNote = {
      id: noteId(n.name),
      name: n.name,
      contentHtml: `<p>${n.name}.</p>`,
      linkedIds: n.features,
      processed: n.features.length > 0,
      createdAt: feb(20 + (i % 8), 8 + Math.floor(i / 8)),
    };
    if (n.customer) note.customerId = CU(n.customer);
    if (n.archived) note.archived = true;
    return note;
  });
}

/** A fresh copy of the model workspace (see the top of this file). */
export function buildModelWorkspace(): SeedWorkspace {
  return {
    entities: [...frameEntities(), ...strategyEntities(), ...featureEntities()],
    notes: buildNotes(),
    customFields: FIELDS.map((f) => ({
      ...f,
      id: fieldId(f.name),
      entityTypes: [...f.entityTypes],
      ...(f.options ? { options: [...f.options] } : {}),
    })),
    members: [O.maria, O.tom, O.lea, O.contractor],
  };
}
