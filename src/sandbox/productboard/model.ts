import { uuidFromName } from '../kit/deterministic-id.js';

// Plain-data model of a Productboard workspace as the sandbox stores it. Types follow the v2 entities and notes
// OpenAPI documents (`EntityType`, `TimeframeFieldValue`, `GranularityFieldValue`; https://developer.productboard.com/v2/openapi).

export type PbEntityType =
  | 'product'
  | 'component'
  | 'feature'
  | 'subfeature'
  | 'initiative'
  | 'objective'
  | 'keyResult'
  | 'release'
  | 'releaseGroup'
  | 'company'
  | 'user';

export const PB_ENTITY_TYPES: readonly PbEntityType[] = [
  'product',
  'component',
  'feature',
  'subfeature',
  'initiative',
  'objective',
  'keyResult',
  'release',
  'releaseGroup',
  'company',
  'user',
];

export type Granularity = 'year' | 'quarter' | 'month' | 'day';

export interface Timeframe {
  startDate: string; // YYYY-MM-DD
  endDate: string;
  granularity: Granularity;
}

/** Quarter `quarter` (1–4) of `year`. */
export function quarterOf(year: number, quarter: number): Timeframe {
  return timeframe(Date.UTC(year, (quarter - 1) * 3, 1), Date.UTC(year, quarter * 3, 0), 'quarter');
}

/** Month `month` (1–12) of `year`. */
export function monthOf(year: number, month: number): Timeframe {
  return timeframe(Date.UTC(year, month - 1, 1), Date.UTC(year, month, 0), 'month');
}

function timeframe(startMs: number, endMs: number, granularity: Granularity): Timeframe {
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { startDate: day(startMs), endDate: day(endMs), granularity };
}

/** Kinds of custom field the sandbox models (the spec's "Dynamic Field System" lists more; these are the ones a mapping uses). */
export type CustomFieldKind = 'number' | 'text' | 'date' | 'singleSelect' | 'multiSelect' | 'member';

/** A workspace's custom field definition; v2 keys its values in `fields` by this id. */
export interface SeedCustomField {
  id: string; // UUID
  name: string;
  kind: CustomFieldKind;
  /** Entity types the field is assigned to (shown in their configuration). */
  entityTypes: PbEntityType[];
  /** Option names of a single or multi select, in display order. */
  options?: string[];
}

/**
 * A custom field value as a seed or a test gives it: a number; a text; a date `YYYY-MM-DD`; an option name (single
 * select); option names (multi select); a member's email.
 */
export type CustomFieldInput = number | string | string[];

/** `metadata.source` of an entity (ApiSource in the v2 entities document): where an integration says it came from. */
export interface SourceMetadata {
  system?: string;
  recordId?: string;
  url?: string;
}

export interface SeedEntity {
  id: string;
  type: PbEntityType;
  name: string;
  descriptionHtml?: string;
  /** Status *name*; the id is derived (status values are workspace-specific UUIDs in v2). */
  status?: string;
  tags?: string[];
  timeframe?: Timeframe;
  archived?: boolean;
  parentId?: string;
  /** `link` relationships; stored symmetric, so listing them on one end is enough. */
  linkedIds?: string[];
  ownerEmail?: string;
  /** Custom field values keyed by field id. */
  fields?: Record<string, CustomFieldInput>;
  metadata?: SourceMetadata;
  createdAt: string; // ISO date-time
  updatedAt?: string; // defaults to createdAt
}

export interface SeedNote {
  id: string;
  name: string;
  contentHtml: string;
  /** Linked features/subfeatures (an "insight" in the UI). */
  linkedIds: string[];
  /** A company or user entity id (v2 notes have at most one customer). */
  customerId?: string;
  archived?: boolean;
  processed?: boolean;
  tags?: string[];
  ownerEmail?: string;
  createdAt: string;
  updatedAt?: string;
}

/** One feature-to-issue link of Productboard's native Jira integration (JiraIntegrationConnection). */
export interface SeedJiraConnection {
  entityId: string;
  issueKey: string;
  issueId: string;
}

export interface SeedJiraIntegration {
  id: string;
  name: string;
  integrationStatus: 'enabled' | 'disabled';
  createdAt: string;
  connections: SeedJiraConnection[];
}

export interface SeedWorkspace {
  entities: SeedEntity[];
  notes: SeedNote[];
  /** Custom field definitions. Default: none. */
  customFields?: SeedCustomField[];
  /** Status names per status group; groups left out get DEFAULT_STATUSES. */
  statuses?: Partial<Record<StatusGroup, readonly string[]>>;
  /** Productboard's native Jira integrations and their connections. Default: none. */
  jiraIntegrations?: SeedJiraIntegration[];
  /** Workspace members' emails besides those already owning something (an owner must be a member). */
  members?: string[];
}

// v2 matches status names exactly, case included ("In progress" ≠ "In Progress"), so keep the canonical spelling here.
export const FEATURE_STATUSES = ['New idea', 'Candidate', 'Planned', 'In progress', 'Released', "Won't do"] as const;
export const INITIATIVE_STATUSES = ['Not started', 'In progress', 'Completed'] as const;

/**
 * Types whose status values form one set: features and subfeatures share theirs, every other type with a status has
 * its own (status values carry `assignedEntityTypes`, FieldValueItem in the v2 entities document).
 */
export type StatusGroup = 'feature' | 'initiative' | 'objective' | 'keyResult' | 'release';

export const DEFAULT_STATUSES: Readonly<Record<StatusGroup, readonly string[]>> = {
  feature: FEATURE_STATUSES,
  initiative: INITIATIVE_STATUSES,
  objective: INITIATIVE_STATUSES,
  keyResult: INITIATIVE_STATUSES,
  release: ['Upcoming', 'In progress', 'Released'],
};

/** The status group of a type, or undefined for types without a status (products, components, companies, ...). */
export function statusGroupOf(type: PbEntityType): StatusGroup | undefined {
  switch (type) {
    case 'feature':
    case 'subfeature':
      return 'feature';
    case 'initiative':
    case 'objective':
    case 'keyResult':
    case 'release':
      return type;
    default:
      return undefined;
  }
}

/** Features and subfeatures share one status field; initiatives have their own. */
export function statusId(type: PbEntityType, name: string): string {
  return uuidFromName(`status:${statusGroupOf(type) ?? type}:${name}`);
}

/** The id of a select option: stable for a field and an option name. */
export function optionId(fieldId: string, name: string): string {
  return uuidFromName(`option:${fieldId}:${name}`);
}

export function tagId(name: string): string {
  return uuidFromName(`tag:${name}`);
}

export function memberId(email: string): string {
  return uuidFromName(`member:${email}`);
}
