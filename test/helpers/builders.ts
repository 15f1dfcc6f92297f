import { fileURLToPath } from 'node:url';
import { loadMapping, type CompiledMapping } from '../../src/mapping/load-mapping.js';
import type { ObservedIssue } from '../../src/model/observed.js';
import type { SourceGraph, SourceItem, SourceNote } from '../../src/model/source.js';
import { type StampProperty, MANAGED_LABEL, itemLabel } from '../../src/model/stamp.js';
import type { ProjectCatalog } from '../../src/model/ports.js';

export const repoPath = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export function shippedMapping(name = 'default'): CompiledMapping {
  const result = loadMapping(repoPath(`mappings/${name}.yaml`), `mappings/${name}.yaml`);
  if (!result.ok) throw new Error(`shipped mapping invalid: ${JSON.stringify(result.problems)}`);
  return result.mapping;
}

export const catalog: ProjectCatalog = {
  id: '10000',
  key: 'PBJ',
  issueTypes: [
    { id: '1', name: 'Epic', level: 1 },
    { id: '2', name: 'Story', level: 0 },
    { id: '3', name: 'Task', level: 0 },
    { id: '4', name: 'Sub-task', level: -1 },
  ],
};

let counter = 0;
/** Deterministic UUID-shaped ids for tests. */
export const uuid = (n: number = ++counter): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

export function item(partial: Partial<SourceItem> & { type: string; name: string }): SourceItem {
  return {
    id: partial.id ?? uuid(),
    descriptionHtml: '<p>Why this matters.</p>',
    url: `https://sandbox.productboard.com/entity-detail/${partial.id ?? 'x'}`,
    archived: false,
    statusName: null,
    tags: [],
    timeframe: null,
    parent: null,
    links: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...partial,
  };
}

export function graph(items: SourceItem[], notes: SourceNote[] = []): SourceGraph {
  return { items: new Map(items.map((i) => [i.id, i])), notes, rejected: [] };
}

/** A small workspace: one initiative with a feature and its subfeature. */
export function smallWorkspace() {
  const initiative = item({ id: uuid(1001), type: 'initiative', name: 'Self-service hubs', createdAt: '2026-01-01T00:00:00Z' });
  const other = item({ id: uuid(1002), type: 'initiative', name: 'Cost reporting', createdAt: '2026-01-02T00:00:00Z' });
  const feature = item({
    id: uuid(1003),
    type: 'feature',
    name: 'Custom domains',
    links: [{ id: initiative.id, type: 'initiative' }],
    tags: ['mobile app'],
    statusName: 'Planned',
  });
  const subfeature = item({ id: uuid(1004), type: 'subfeature', name: 'DNS check', parent: { id: feature.id, type: 'feature' } });
  return { initiative, other, feature, subfeature, graph: graph([initiative, other, feature, subfeature]) };
}

export function observedFrom(partial: Partial<ObservedIssue> & { id: string; key: string; pbId: string }): ObservedIssue {
  return {
    issueTypeId: '2',
    issueTypeName: 'Story',
    level: 0,
    parentId: null,
    parentKey: null,
    parentLevel: null,
    parentTypeName: null,
    summary: '',
    labels: [MANAGED_LABEL, itemLabel(partial.pbId)],
    dueDate: null,
    statusCategory: 'new',
    stamp: null,
    ...partial,
  };
}

export const stamp = (pbId: string, pbType: string, partial: Partial<StampProperty> = {}): StampProperty => ({
  v: 1,
  pbId,
  pbType,
  labels: [MANAGED_LABEL, itemLabel(pbId)],
  descriptionHash: null,
  statusCategory: null,
  ...partial,
});
