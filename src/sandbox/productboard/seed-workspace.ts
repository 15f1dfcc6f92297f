import { uuidFromName } from '../kit/deterministic-id.js';
import {
  monthOf,
  quarterOf,
  type CustomFieldInput,
  type PbEntityType,
  type SeedCustomField,
  type SeedEntity,
  type SeedJiraIntegration,
  type SeedNote,
  type SeedWorkspace,
  type Timeframe,
} from './model.js';

// The realistic default workspace: a product team running a cloud hosting platform for research communities.
// Ids are derived from names (deterministic UUIDs) and timestamps are fixed, so every run is identical.
// Besides the hierarchy it carries what a client that reads more than names would find in a real workspace: custom
// fields of every kind the mappings use (with values on some items), a member field, releases linked to features, and
// Productboard's native Jira integration with a few features already linked to Jira issues (in a project "HUB" the
// sandbox Jira does not hold, unless `createNativeJiraIssues` makes them). None of it changes what a client reading
// only names, statuses, tags, timeframes and initiative links sees.
// Descriptions only use the rich-text tags v2 accepts (p, b, i, u, s, code, h1, h2, ul/ol/li, pre, blockquote,
// hr, a: https://developer.productboard.com/v1.0.0/reference/rich-text-formatting), so the engine's HTML→ADF
// conversion is exercised on real input.

const id = (type: PbEntityType, name: string): string => uuidFromName(`seed:${type}:${name}`);
const noteId = (name: string): string => uuidFromName(`seed:note:${name}`);

/** Fixed clock: day N of January 2026 at a given hour, as v2 returns it (ISO 8601 with ms, UTC). */
const jan = (day: number, hour = 9): string => new Date(Date.UTC(2026, 0, day, hour, 0, 0)).toISOString();

const OWNERS = {
  maria: 'maria.ionescu@hubco.example',
  tom: 'tom.okafor@hubco.example',
  lea: 'lea.schneider@hubco.example',
} as const;

const fieldId = (name: string): string => uuidFromName(`seed:field:${name}`);

/** Custom field ids of the seed workspace. */
export const seedFieldIds = {
  impact: fieldId('Impact'),
  effortDays: fieldId('Effort (days)'),
  valueStream: fieldId('Value stream'),
  platforms: fieldId('Platforms'),
  engineeringLead: fieldId('Engineering lead'),
  targetDate: fieldId('Target date'),
  releaseNote: fieldId('Release note'),
  /** Delivery fields a sync may fill (Jira key, status, progress): empty in the seed. */
  jiraKey: fieldId('Jira key'),
  jiraStatus: fieldId('Jira status'),
  deliveryProgress: fieldId('Delivery progress'),
} as const;

const F_ = seedFieldIds;
const CUSTOM_FIELDS: SeedCustomField[] = [
  {
    id: F_.impact,
    name: 'Impact',
    kind: 'singleSelect',
    options: ['Low', 'Medium', 'High'],
    entityTypes: ['feature', 'subfeature', 'initiative'],
  },
  { id: F_.effortDays, name: 'Effort (days)', kind: 'number', entityTypes: ['feature', 'subfeature'] },
  {
    id: F_.valueStream,
    name: 'Value stream',
    kind: 'singleSelect',
    options: ['Research onboarding', 'Compute & data', 'Cost transparency'],
    entityTypes: ['feature', 'initiative'],
  },
  {
    id: F_.platforms,
    name: 'Platforms',
    kind: 'multiSelect',
    options: ['Web', 'API', 'CLI', 'Mobile'],
    entityTypes: ['feature', 'subfeature'],
  },
  { id: F_.engineeringLead, name: 'Engineering lead', kind: 'member', entityTypes: ['feature', 'initiative'] },
  { id: F_.targetDate, name: 'Target date', kind: 'date', entityTypes: ['feature', 'initiative'] },
  { id: F_.releaseNote, name: 'Release note', kind: 'text', entityTypes: ['feature'] },
  { id: F_.jiraKey, name: 'Jira key', kind: 'text', entityTypes: ['feature', 'subfeature', 'initiative'] },
  { id: F_.jiraStatus, name: 'Jira status', kind: 'text', entityTypes: ['feature', 'subfeature', 'initiative'] },
  { id: F_.deliveryProgress, name: 'Delivery progress', kind: 'number', entityTypes: ['feature', 'subfeature', 'initiative'] },
];

/** Custom values by field name, resolved to ids when the workspace is built. */
type FieldValues = Partial<
  Record<'Impact' | 'Effort (days)' | 'Value stream' | 'Platforms' | 'Engineering lead' | 'Target date' | 'Release note', CustomFieldInput>
>;

function fieldsByName(values: FieldValues | undefined): Record<string, CustomFieldInput> | undefined {
  if (!values) return undefined;
  const out: Record<string, CustomFieldInput> = {};
  for (const [name, v] of Object.entries(values)) if (v !== undefined) out[fieldId(name)] = v;
  return out;
}

/** Named ids of the items the tests and the demo talk about. */
export const seedIds = {
  products: { hubPlatform: id('product', 'Hub Platform'), communityPortal: id('product', 'Community Portal') },
  components: {
    hubManagement: id('component', 'Hub management'),
    billing: id('component', 'Billing & usage'),
    identity: id('component', 'Identity & access'),
    onboarding: id('component', 'Onboarding'),
    docs: id('component', 'Docs & support'),
  },
  initiatives: {
    selfService: id('initiative', 'Self-service hub customization'),
    costReporting: id('initiative', 'Reliable cost reporting'),
    partnerOnboarding: id('initiative', 'Partner onboarding'),
    accessibility: id('initiative', 'Accessibility'),
  },
  companies: {
    tartu: id('company', 'University of Tartu Research Computing'),
    openBio: id('company', 'Open Bio Lab'),
    climate: id('company', 'Climate Data Collective'),
  },
  /** A normal feature (linked to one initiative) with three subfeatures. */
  featureWithSubfeatures: id('feature', 'Custom hub themes'),
  subfeaturesOfFeature: [id('subfeature', 'Logo upload'), id('subfeature', 'Color palette editor'), id('subfeature', 'Theme preview')],
  /** Linked to no initiative. */
  unparentedFeature: id('feature', 'Offline docs bundle'),
  /** Linked to two initiatives (Accessibility and Self-service hub customization). */
  ambiguousFeature: id('feature', 'High-contrast theme'),
  /** Archived, and still has a (non-archived) subfeature. */
  archivedFeature: id('feature', 'Legacy hub migrator'),
  archivedFeatureSubfeature: id('subfeature', 'Migrate legacy user quotas'),
  releasedFeature: id('feature', 'Usage dashboard per community'),
  inProgressFeature: id('feature', 'Partner SSO (SAML)'),
  /** A feature whose name/description are plain, for rename tests. */
  plainFeature: id('feature', 'Bulk user invitations'),
  /** The insight linked to two features. */
  noteLinkedToTwoFeatures: noteId('Themes should respect high-contrast mode'),
  releaseGroup: id('releaseGroup', 'Hub releases'),
  releases: { r2026_1: id('release', '2026.1'), r2026_2: id('release', '2026.2'), r2026_3: id('release', '2026.3') },
  /** Productboard's native Jira integrations: one enabled, one disabled (an old Jira Server link). */
  jiraIntegrations: { cloud: uuidFromName('seed:jira-integration:cloud'), legacy: uuidFromName('seed:jira-integration:legacy') },
} as const;

interface FeatureSpec {
  name: string;
  component: string;
  initiatives: string[];
  status: string;
  created: string;
  updated?: string;
  description: string;
  tags?: string[];
  timeframe?: Timeframe;
  archived?: boolean;
  owner?: string;
  fields?: FieldValues;
  /** Releases the feature is linked to (`link` relationships to `release` entities). */
  releases?: string[];
  subfeatures?: Array<{ name: string; status: string; description: string; tags?: string[]; fields?: FieldValues; releases?: string[] }>;
}

const C = seedIds.components;
const I = seedIds.initiatives;
const R = seedIds.releases;

const FEATURES: FeatureSpec[] = [
  {
    name: 'Custom hub themes',
    component: C.hubManagement,
    initiatives: [I.selfService],
    status: 'In progress',
    created: jan(5),
    updated: jan(20),
    owner: OWNERS.maria,
    tags: ['ux', 'theming'],
    timeframe: quarterOf(2026, 1),
    fields: {
      Impact: 'High',
      'Effort (days)': 13,
      'Value stream': 'Research onboarding',
      Platforms: ['Web'],
      'Engineering lead': OWNERS.tom,
      'Target date': '2026-03-20',
    },
    releases: [R.r2026_2],
    description:
      '<h1>Custom hub themes</h1><p>Hub admins want their research hub to <b>look like their institution</b>, not like a generic cloud console.</p>' +
      '<h2>Scope</h2><ul><li>Logo and favicon upload</li><li>Primary and accent colours</li><li>Live <i>preview</i> before publishing</li></ul>' +
      '<p>Out of scope: custom CSS (see <a href="https://docs.hubco.example/theming">theming notes</a>).</p>',
    subfeatures: [
      {
        name: 'Logo upload',
        status: 'Released',
        description: '<p>PNG or SVG up to <code>512 KB</code>, shown in the hub header.</p>',
        fields: { 'Effort (days)': 2, Platforms: ['Web', 'API'] },
        releases: [R.r2026_1],
      },
      {
        name: 'Color palette editor',
        status: 'In progress',
        description:
          '<p>Pick primary/accent colours; we compute accessible text colours automatically.</p><ol><li>Pick colour</li><li>Check contrast</li><li>Save</li></ol>',
      },
      {
        name: 'Theme preview',
        status: 'Planned',
        description: '<p>Preview the hub landing page with the draft theme <u>before</u> publishing.</p>',
      },
    ],
  },
  {
    name: 'Per-hub environment images',
    component: C.hubManagement,
    initiatives: [I.selfService],
    status: 'Planned',
    created: jan(6),
    owner: OWNERS.tom,
    tags: ['compute'],
    timeframe: quarterOf(2026, 2),
    fields: { Impact: 'Medium', 'Value stream': 'Compute & data', Platforms: ['Web', 'CLI'] },
    releases: [R.r2026_3],
    description:
      '<p>Let each hub choose its default user environment image instead of the platform-wide one.</p>' +
      '<pre>image: registry.hubco.example/communities/genomics:2026.01</pre>',
    subfeatures: [
      { name: 'Image registry picker', status: 'Planned', description: "<p>Browse images from the hub's allowed registries.</p>" },
      { name: 'Image build logs', status: 'New idea', description: '<p>Show build logs for images built by the platform.</p>' },
    ],
  },
  {
    name: 'Usage dashboard per community',
    component: C.billing,
    initiatives: [I.costReporting],
    status: 'Released',
    created: jan(7),
    updated: jan(25),
    owner: OWNERS.lea,
    tags: ['billing'],
    timeframe: monthOf(2026, 1),
    fields: {
      Impact: 'High',
      'Effort (days)': 8,
      'Value stream': 'Cost transparency',
      'Release note': 'Usage per community, per month, in the hub admin.',
    },
    releases: [R.r2026_1],
    description:
      '<h2>Why</h2><p>Community leads need to see CPU-hours and storage per month <b>without asking support</b>.</p>' +
      '<blockquote>"I only find out we overspent when the invoice arrives." — community lead</blockquote>',
  },
  {
    name: 'Monthly cost export (CSV)',
    component: C.billing,
    initiatives: [I.costReporting],
    status: 'Candidate',
    created: jan(8),
    owner: OWNERS.lea,
    tags: ['billing', 'export'],
    fields: { Impact: 'Medium', 'Effort (days)': 5, 'Value stream': 'Cost transparency', Platforms: ['Web', 'API'] },
    description:
      '<p>Export monthly costs per hub as CSV for finance teams.</p><p>Columns: <code>hub</code>, <code>month</code>, <code>cpu_hours</code>, <code>storage_gb</code>, <code>cost_eur</code>.</p>',
    subfeatures: [{ name: 'Scheduled export emails', status: 'New idea', description: '<p>Email the CSV on the 1st of each month.</p>' }],
  },
  {
    name: 'Budget alerts',
    component: C.billing,
    initiatives: [I.costReporting],
    status: 'New idea',
    created: jan(9),
    tags: ['billing', 'mobile app'],
    description:
      '<p>Warn hub admins when spend reaches 80% and 100% of a budget.</p><hr><p><s>SMS alerts</s> dropped in favour of the mobile app.</p>',
  },
  {
    name: 'Partner SSO (SAML)',
    component: C.identity,
    initiatives: [I.partnerOnboarding],
    status: 'In progress',
    created: jan(10),
    updated: jan(28),
    owner: OWNERS.tom,
    tags: ['security'],
    timeframe: quarterOf(2026, 1),
    fields: {
      Impact: 'High',
      'Effort (days)': 21,
      'Value stream': 'Research onboarding',
      'Engineering lead': OWNERS.lea,
      'Target date': '2026-03-31',
    },
    releases: [R.r2026_2],
    description:
      '<p>Partners log in with their own identity provider over <b>SAML 2.0</b>.</p><ul><li>SP-initiated login</li><li>Just-in-time provisioning</li></ul>',
    subfeatures: [
      {
        name: 'IdP metadata upload',
        status: 'In progress',
        description: '<p>Upload or link the IdP metadata XML.</p>',
        fields: { 'Effort (days)': 3 },
      },
    ],
  },
  {
    name: 'Partner welcome checklist',
    component: C.onboarding,
    initiatives: [I.partnerOnboarding],
    status: 'Planned',
    created: jan(11),
    owner: OWNERS.maria,
    timeframe: quarterOf(2026, 2),
    fields: { Impact: 'Low', 'Value stream': 'Research onboarding' },
    description: '<p>A guided checklist for a new partner: create hub, invite admins, set budget, pick image.</p>',
  },
  {
    name: 'Bulk user invitations',
    component: C.onboarding,
    initiatives: [I.partnerOnboarding],
    status: 'Candidate',
    created: jan(12),
    description: '<p>Invite many users at once.</p>',
    subfeatures: [{ name: 'Invite via CSV', status: 'Candidate', description: '<p>Upload a CSV with <code>email,role</code>.</p>' }],
  },
  {
    name: 'Keyboard navigation for hub admin',
    component: C.hubManagement,
    initiatives: [I.accessibility],
    status: 'Planned',
    created: jan(13),
    tags: ['a11y'],
    description: '<p>Every admin screen is usable with the keyboard alone (WCAG 2.1 <i>2.1.1</i>).</p>',
  },
  {
    name: 'Screen-reader labels in the portal',
    component: C.docs,
    initiatives: [I.accessibility],
    status: 'Released',
    created: jan(14),
    updated: jan(22),
    owner: OWNERS.lea,
    tags: ['a11y'],
    fields: { Impact: 'Medium', Platforms: ['Web', 'Mobile'] },
    description: '<p>All portal controls carry accessible names.</p>',
  },
  {
    name: 'High-contrast theme',
    component: C.docs,
    initiatives: [I.accessibility, I.selfService],
    status: 'New idea',
    created: jan(15),
    tags: ['a11y', 'theming'],
    description:
      '<p>A high-contrast theme for the portal and hubs. Belongs to <b>both</b> accessibility and self-service theming — an ambiguous parent on purpose.</p>',
  },
  {
    name: 'Offline docs bundle',
    component: C.docs,
    initiatives: [],
    status: 'New idea',
    created: jan(16),
    description: '<p>Downloadable docs for air-gapped research sites.</p>',
  },
  {
    name: 'Legacy hub migrator',
    component: C.hubManagement,
    initiatives: [I.selfService],
    status: "Won't do",
    archived: true,
    created: jan(3),
    updated: jan(18),
    description: '<p>One-off tool to move v1 hubs to the new platform. Archived after the last migration.</p>',
    subfeatures: [{ name: 'Migrate legacy user quotas', status: "Won't do", description: '<p>Carry over per-user quotas.</p>' }],
  },
  {
    name: 'Community discussion notifications',
    component: C.onboarding,
    initiatives: [I.partnerOnboarding],
    status: 'New idea',
    created: jan(17),
    tags: ['mobile app', 'notifications'],
    description: '<p>Push notifications for replies in community discussions.</p>',
  },
];

interface NoteSpec {
  name: string;
  content: string;
  features: string[];
  customer?: string;
  created: string;
  processed?: boolean;
  archived?: boolean;
  tags?: string[];
}

const F = (name: string): string => id('feature', name);
const S = (name: string): string => id('subfeature', name);
const CO = seedIds.companies;

const NOTES: NoteSpec[] = [
  {
    name: 'Our logo looks blurry in the header',
    content: '<p>The uploaded SVG is rasterised at 32px.</p>',
    features: [S('Logo upload')],
    customer: CO.tartu,
    created: jan(20, 10),
    processed: true,
  },
  {
    name: 'We want our university colours',
    content: '<p>Brand guidelines require <b>#003366</b> as primary.</p>',
    features: [F('Custom hub themes')],
    customer: CO.tartu,
    created: jan(21, 11),
    processed: true,
    tags: ['branding'],
  },
  {
    name: 'Preview before publishing please',
    content: '<p>Last time we published a broken theme to 400 users.</p>',
    features: [F('Custom hub themes')],
    customer: CO.openBio,
    created: jan(22, 12),
  },
  {
    name: 'Themes should respect high-contrast mode',
    content: '<p>Custom colours must not break the high-contrast setting.</p>',
    features: [F('Custom hub themes'), F('High-contrast theme')],
    customer: CO.climate,
    created: jan(23, 9),
    processed: true,
  },
  {
    name: 'Finance asks for CSV every month',
    content: '<ul><li>per hub</li><li>per month</li></ul>',
    features: [F('Monthly cost export (CSV)')],
    customer: CO.openBio,
    created: jan(23, 15),
  },
  {
    name: 'Dashboard numbers differ from invoice',
    content: '<p>CPU-hours on the dashboard are 3% lower than invoiced.</p>',
    features: [F('Usage dashboard per community')],
    customer: CO.climate,
    created: jan(24, 8),
    processed: true,
    tags: ['bug'],
  },
  {
    name: 'Love the usage dashboard',
    content: '<p>Finally we can see storage growth.</p>',
    features: [F('Usage dashboard per community')],
    customer: CO.tartu,
    created: jan(24, 16),
  },
  {
    name: 'Alert before we hit the budget',
    content: '<p>An email at 80% would have saved us.</p>',
    features: [F('Budget alerts')],
    created: jan(25, 10),
  },
  {
    name: 'Azure AD login for partners',
    content: '<p>Our partners all use Azure AD; SAML is fine.</p>',
    features: [F('Partner SSO (SAML)')],
    customer: CO.openBio,
    created: jan(26, 9),
    processed: true,
  },
  {
    name: 'Metadata URL instead of file',
    content: '<p>Our IdP rotates certs; we prefer a metadata URL.</p>',
    features: [S('IdP metadata upload')],
    customer: CO.climate,
    created: jan(26, 14),
  },
  {
    name: 'Onboarding took us two weeks',
    content: '<p>A checklist would have helped.</p>',
    features: [F('Partner welcome checklist')],
    customer: CO.tartu,
    created: jan(27, 10),
  },
  {
    name: 'Inviting 300 students one by one',
    content: '<p>Please allow CSV upload.</p>',
    features: [S('Invite via CSV'), F('Bulk user invitations')],
    created: jan(27, 13),
  },
  {
    name: 'Tab order broken in admin settings',
    content: '<p>Focus jumps from the sidebar to the footer.</p>',
    features: [F('Keyboard navigation for hub admin')],
    customer: CO.climate,
    created: jan(28, 9),
    tags: ['a11y'],
  },
  {
    name: 'Old migrator question',
    content: '<p>Do we still need the legacy migrator?</p>',
    features: [F('Legacy hub migrator')],
    created: jan(12, 9),
    archived: true,
  },
  {
    name: 'General praise from a workshop',
    content: '<p>Participants liked the platform overall.</p>',
    features: [],
    customer: CO.openBio,
    created: jan(29, 17),
  },
];

const INITIATIVE_FIELDS: Record<string, FieldValues> = {
  [I.selfService]: { Impact: 'High', 'Value stream': 'Research onboarding', 'Engineering lead': OWNERS.tom, 'Target date': '2026-06-30' },
  [I.costReporting]: { Impact: 'Medium', 'Value stream': 'Cost transparency' },
  [I.partnerOnboarding]: { 'Value stream': 'Research onboarding' },
};

/** One release group with a release per quarter of 2026 (Q1 released, Q2 under way, Q3 to come). */
function releaseEntities(): SeedEntity[] {
  const group: SeedEntity = {
    id: seedIds.releaseGroup,
    type: 'releaseGroup',
    name: 'Hub releases',
    descriptionHtml: '<p>Quarterly releases of the hub platform.</p>',
    createdAt: jan(2),
  };
  const releases = ([R.r2026_1, R.r2026_2, R.r2026_3] as const).map((rid, i): SeedEntity => ({
    id: rid,
    type: 'release',
    name: `2026.${i + 1}`,
    status: ['Released', 'In progress', 'Upcoming'][i] ?? 'Upcoming',
    parentId: seedIds.releaseGroup,
    timeframe: quarterOf(2026, i + 1),
    createdAt: jan(2, 12),
  }));
  return [group, ...releases];
}

function buildEntities(): SeedEntity[] {
  const out: SeedEntity[] = [];
  const P = seedIds.products;
  out.push(
    {
      id: P.hubPlatform,
      type: 'product',
      name: 'Hub Platform',
      descriptionHtml: '<p>The managed hub service researchers log in to.</p>',
      createdAt: jan(2),
    },
    {
      id: P.communityPortal,
      type: 'product',
      name: 'Community Portal',
      descriptionHtml: '<p>Public portal, docs and onboarding for research communities.</p>',
      createdAt: jan(2),
    },
    { id: C.hubManagement, type: 'component', name: 'Hub management', parentId: P.hubPlatform, createdAt: jan(2, 10) },
    { id: C.billing, type: 'component', name: 'Billing & usage', parentId: P.hubPlatform, createdAt: jan(2, 10) },
    { id: C.identity, type: 'component', name: 'Identity & access', parentId: P.hubPlatform, createdAt: jan(2, 10) },
    { id: C.onboarding, type: 'component', name: 'Onboarding', parentId: P.communityPortal, createdAt: jan(2, 11) },
    { id: C.docs, type: 'component', name: 'Docs & support', parentId: P.communityPortal, createdAt: jan(2, 11) },
    {
      id: I.selfService,
      type: 'initiative',
      name: 'Self-service hub customization',
      status: 'In progress',
      descriptionHtml: '<p>Hub admins change what their hub looks like and runs without a support ticket.</p>',
      timeframe: { startDate: '2026-01-01', endDate: '2026-06-30', granularity: 'quarter' },
      ownerEmail: OWNERS.maria,
      createdAt: jan(3),
    },
    {
      id: I.costReporting,
      type: 'initiative',
      name: 'Reliable cost reporting',
      status: 'In progress',
      descriptionHtml: '<p>Every community can see and export what it spends.</p>',
      ownerEmail: OWNERS.lea,
      createdAt: jan(3),
    },
    {
      id: I.partnerOnboarding,
      type: 'initiative',
      name: 'Partner onboarding',
      status: 'Not started',
      descriptionHtml: '<p>New partner institutions go live in days, not weeks.</p>',
      ownerEmail: OWNERS.tom,
      createdAt: jan(3),
    },
    {
      id: I.accessibility,
      type: 'initiative',
      name: 'Accessibility',
      status: 'Not started',
      descriptionHtml: '<p>WCAG 2.1 AA across hub admin and portal.</p>',
      createdAt: jan(4),
    },
    { id: CO.tartu, type: 'company', name: 'University of Tartu Research Computing', createdAt: jan(1) },
    { id: CO.openBio, type: 'company', name: 'Open Bio Lab', createdAt: jan(1) },
    { id: CO.climate, type: 'company', name: 'Climate Data Collective', createdAt: jan(1) },
    ...releaseEntities(),
  );
  for (const e of out) {
    const fields = fieldsByName(INITIATIVE_FIELDS[e.id]);
    if (fields) e.fields = fields;
  }
  for (const f of FEATURES) {
    const fid = F(f.name);
    const e: SeedEntity = {
      id: fid,
      type: 'feature',
      name: f.name,
      descriptionHtml: f.description,
      status: f.status,
      parentId: f.component,
      linkedIds: [...f.initiatives, ...(f.releases ?? [])],
      createdAt: f.created,
      updatedAt: f.updated ?? f.created,
    };
    const fields = fieldsByName(f.fields);
    if (fields) e.fields = fields;
    if (f.tags) e.tags = f.tags;
    if (f.timeframe) e.timeframe = f.timeframe;
    if (f.archived) e.archived = true;
    if (f.owner) e.ownerEmail = f.owner;
    out.push(e);
    (f.subfeatures ?? []).forEach((s, i) => {
      const created = new Date(Date.parse(f.created) + (i + 1) * 3_600_000).toISOString();
      const sub: SeedEntity = {
        id: S(s.name),
        type: 'subfeature',
        name: s.name,
        descriptionHtml: s.description,
        status: s.status,
        parentId: fid,
        createdAt: created,
        updatedAt: created,
      };
      const subFields = fieldsByName(s.fields);
      if (subFields) sub.fields = subFields;
      if (s.releases) sub.linkedIds = s.releases;
      if (s.tags) sub.tags = s.tags;
      out.push(sub);
    });
  }
  return out;
}

function buildNotes(): SeedNote[] {
  return NOTES.map((n) => {
    const note: SeedNote = {
      id: noteId(n.name),
      name: n.name,
      contentHtml: n.content,
      linkedIds: n.features,
      createdAt: n.created,
      updatedAt: n.created,
    };
    if (n.customer) note.customerId = n.customer;
    if (n.processed) note.processed = true;
    if (n.archived) note.archived = true;
    if (n.tags) note.tags = n.tags;
    return note;
  });
}

/** Features pushed to Jira by Productboard's native integration before this tool arrived. */
function buildJiraIntegrations(): SeedJiraIntegration[] {
  return [
    {
      id: seedIds.jiraIntegrations.cloud,
      name: 'Jira Cloud (hubco.atlassian.net)',
      integrationStatus: 'enabled',
      createdAt: jan(2, 15),
      connections: [
        { entityId: seedIds.inProgressFeature, issueKey: 'HUB-101', issueId: '20101' },
        { entityId: S('IdP metadata upload'), issueKey: 'HUB-102', issueId: '20102' },
        { entityId: seedIds.releasedFeature, issueKey: 'HUB-87', issueId: '20087' },
      ],
    },
    {
      id: seedIds.jiraIntegrations.legacy,
      name: 'Jira Server (retired)',
      integrationStatus: 'disabled',
      createdAt: new Date(Date.UTC(2025, 5, 1, 9)).toISOString(),
      connections: [{ entityId: F('Budget alerts'), issueKey: 'OPS-12', issueId: '30012' }],
    },
  ];
}

/** A fresh copy of the realistic seed workspace. */
export function buildSeedWorkspace(): SeedWorkspace {
  const customFields = CUSTOM_FIELDS.map((f) => ({
    ...f,
    entityTypes: [...f.entityTypes],
    ...(f.options ? { options: [...f.options] } : {}),
  }));
  return { entities: buildEntities(), notes: buildNotes(), customFields, jiraIntegrations: buildJiraIntegrations() };
}
