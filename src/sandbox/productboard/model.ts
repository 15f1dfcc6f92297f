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

export interface SeedWorkspace {
  entities: SeedEntity[];
  notes: SeedNote[];
}

// v2 matches status names exactly, case included ("In progress" ≠ "In Progress"), so keep the canonical spelling here.
export const FEATURE_STATUSES = ['New idea', 'Candidate', 'Planned', 'In progress', 'Released', "Won't do"] as const;
export const INITIATIVE_STATUSES = ['Not started', 'In progress', 'Completed'] as const;

/** Features and subfeatures share one status field; initiatives have their own. */
export function statusId(type: PbEntityType, name: string): string {
  const group = type === 'feature' || type === 'subfeature' ? 'feature' : type;
  return uuidFromName(`status:${group}:${name}`);
}

export function tagId(name: string): string {
  return uuidFromName(`tag:${name}`);
}

export function memberId(email: string): string {
  return uuidFromName(`member:${email}`);
}
