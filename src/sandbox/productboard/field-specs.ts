import type { CustomFieldDef } from './custom-fields.js';
import type { PbEntityType } from './model.js';
import type { PbState } from './state.js';

// Which fields each entity type has and what may be done to them: one table behind both the configuration endpoints
// (what a client may discover) and PATCH /v2/entities/{id} (what a client may write), so the two cannot disagree.
// Shapes follow ConfigurationField / ConfigurationFieldLifecycle of the v2 entities document
// (https://developer.productboard.com/v2/openapi) and its `ConfigurationResponse` example.

export type StandardKind = 'name' | 'richText' | 'status' | 'member' | 'timeframe' | 'boolean' | 'tags';

export interface LifecycleOps {
  set?: boolean;
  clear?: boolean;
  addItems?: boolean;
  removeItems?: boolean;
}

export interface Lifecycle {
  create: LifecycleOps;
  update: LifecycleOps;
  patch: LifecycleOps;
}

export type FieldSpec =
  | { id: string; name: string; source: 'standard'; kind: StandardKind; lifecycle: Lifecycle }
  | { id: string; name: string; source: 'custom'; def: CustomFieldDef; lifecycle: Lifecycle };

const SET: Lifecycle = { create: { set: true }, update: { set: true }, patch: { set: true } };
const SET_CLEAR: Lifecycle = { create: { set: true }, update: { set: true, clear: true }, patch: { set: true, clear: true } };
const LIST: Lifecycle = {
  create: { set: true },
  update: { set: true, clear: true },
  patch: { set: true, clear: true, addItems: true, removeItems: true },
};

const OWNED: readonly PbEntityType[] = ['product', 'component', 'feature', 'subfeature', 'initiative', 'objective', 'keyResult'];
const TIMED: readonly PbEntityType[] = ['feature', 'subfeature', 'initiative', 'objective', 'keyResult', 'release'];
const TAGGED: readonly PbEntityType[] = ['feature', 'subfeature', 'initiative'];

/** The fields of `type` in this workspace, standard first, then its custom fields. */
export function fieldSpecsFor(state: PbState, type: PbEntityType): FieldSpec[] {
  const specs: FieldSpec[] = [
    { id: 'name', name: 'Name', source: 'standard', kind: 'name', lifecycle: SET },
    { id: 'description', name: 'Description', source: 'standard', kind: 'richText', lifecycle: SET_CLEAR },
  ];
  if (state.fields.statusNames(type)) specs.push({ id: 'status', name: 'Status', source: 'standard', kind: 'status', lifecycle: SET });
  if (OWNED.includes(type)) specs.push({ id: 'owner', name: 'Owner', source: 'standard', kind: 'member', lifecycle: SET_CLEAR });
  if (TIMED.includes(type)) specs.push({ id: 'timeframe', name: 'Timeframe', source: 'standard', kind: 'timeframe', lifecycle: SET_CLEAR });
  specs.push({ id: 'archived', name: 'Archived', source: 'standard', kind: 'boolean', lifecycle: SET });
  if (TAGGED.includes(type)) specs.push({ id: 'tags', name: 'Tags', source: 'standard', kind: 'tags', lifecycle: LIST });
  for (const def of state.fields.forType(type)) {
    specs.push({ id: def.id, name: def.name, source: 'custom', def, lifecycle: def.kind === 'multiSelect' ? LIST : SET_CLEAR });
  }
  return specs;
}

export interface RelationshipSpec {
  targetType: PbEntityType[];
  cardinality: 'single' | 'multiple';
  mandatory: boolean;
}

/**
 * Allowed relationships per type. Feature and subfeature follow the spec's configuration example; the others follow
 * the product hierarchy (https://developer.productboard.com/reference/glossary-feature and its sibling glossary pages).
 */
export function relationshipSpecsFor(type: PbEntityType): Record<string, RelationshipSpec> {
  const blocking: Record<string, RelationshipSpec> = {
    isBlockedBy: { targetType: ['feature'], cardinality: 'multiple', mandatory: false },
    isBlocking: { targetType: ['feature'], cardinality: 'multiple', mandatory: false },
  };
  switch (type) {
    case 'product':
      return { child: { targetType: ['component', 'feature'], cardinality: 'multiple', mandatory: false } };
    case 'component':
      return {
        parent: { targetType: ['product', 'component'], cardinality: 'single', mandatory: true },
        child: { targetType: ['component', 'feature'], cardinality: 'multiple', mandatory: false },
      };
    case 'feature':
      return {
        parent: { targetType: ['component', 'product'], cardinality: 'single', mandatory: false },
        child: { targetType: ['subfeature'], cardinality: 'multiple', mandatory: false },
        link: { targetType: ['initiative', 'release', 'feature'], cardinality: 'multiple', mandatory: false },
        ...blocking,
      };
    case 'subfeature':
      return {
        parent: { targetType: ['feature'], cardinality: 'single', mandatory: true },
        link: { targetType: ['initiative', 'release', 'feature'], cardinality: 'multiple', mandatory: false },
        ...blocking,
      };
    case 'initiative':
      return { link: { targetType: ['feature', 'subfeature', 'objective'], cardinality: 'multiple', mandatory: false } };
    case 'objective':
      return {
        parent: { targetType: ['objective'], cardinality: 'single', mandatory: false },
        child: { targetType: ['objective', 'keyResult'], cardinality: 'multiple', mandatory: false },
        link: { targetType: ['initiative', 'feature'], cardinality: 'multiple', mandatory: false },
      };
    case 'keyResult':
      return {
        parent: { targetType: ['objective'], cardinality: 'single', mandatory: true },
        link: { targetType: ['initiative', 'feature'], cardinality: 'multiple', mandatory: false },
      };
    case 'release':
      return {
        parent: { targetType: ['releaseGroup'], cardinality: 'single', mandatory: true },
        link: { targetType: ['feature', 'subfeature'], cardinality: 'multiple', mandatory: false },
      };
    case 'releaseGroup':
      return { child: { targetType: ['release'], cardinality: 'multiple', mandatory: false } };
    case 'company':
    case 'user':
      return {};
  }
}
