import { describe, expect, it } from 'vitest';
import { buildDesiredTree } from '../../../src/engine/desired-tree.js';
import { compileMappingSource } from '../../../src/mapping/load-mapping.js';
import { resolveIssueTypes } from '../../../src/mapping/resolve-issue-types.js';
import { StatusTable, statusCoverage } from '../../../src/mapping/status-table.js';
import { readLocatedYaml } from '../../../src/util/located-yaml.js';
import { catalog, graph, item, shippedMapping, uuid } from '../../helpers/builders.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mapping = shippedMapping();
const types = resolveIssueTypes(mapping, catalog);
const categoryOf = (type: string, statusName: string) => {
  const initiative = item({ id: uuid(1), type: 'initiative', name: 'I' });
  const subject =
    type === 'initiative'
      ? { ...initiative, statusName }
      : item({ id: uuid(2), type, name: 'F', statusName, links: [{ id: initiative.id, type: 'initiative' }] });
  const tree = buildDesiredTree(graph(type === 'initiative' ? [subject] : [initiative, subject]), mapping, types);
  return tree.issues.get(subject.id)!.fields.statusCategory;
};

const compile = (yaml: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'pbjs-status-')), 'mapping.yaml');
  writeFileSync(file, yaml);
  return compileMappingSource(readLocatedYaml(file, 'mapping.yaml'));
};

describe('issue 9 §8: statuses', () => {
  it('match whatever their case (and surrounding spaces)', () => {
    const table = new StatusTable([
      ['In progress', 'indeterminate'],
      ['Released', 'done'],
    ]);
    expect(table.get('In Progress')).toBe('indeterminate');
    expect(table.get(' RELEASED ')).toBe('done');
    expect(table.get('Planned')).toBeUndefined();
    expect(categoryOf('feature', 'IN PROGRESS')).toBe('indeterminate');
    expect(categoryOf('feature', "won't do")).toBe('done');
  });

  it("per-type tables are honoured: the default mapping gives initiatives their own set, features keep the file's", () => {
    expect(categoryOf('initiative', 'Not started')).toBe('new');
    expect(categoryOf('initiative', 'Completed')).toBe('done');
    expect(categoryOf('initiative', 'In Progress')).toBe('indeterminate');
    // Not an initiative status in the mapping: not synced for initiatives.
    expect(categoryOf('initiative', 'Released')).toBeNull();
    expect(categoryOf('feature', 'Completed')).toBeNull();
    expect(categoryOf('feature', 'Released')).toBe('done');
  });

  it('a name listed twice whatever its case is a located problem in the mapping', () => {
    const result = compile(`version: 1
rules:
  - from: feature
    jira: { issueType: { level: 0 } }
fields:
  status:
    from: status
    categories:
      new: [Planned]
      done: [planned]
`);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ file: 'mapping.yaml', path: 'fields.status.categories.done[0]', message: '"planned" is also listed under new' }],
    });
  });

  it("coverage against a workspace's names: the unmapped ones and the mapped ones it lacks, each in its own spelling", () => {
    const table = new StatusTable([
      ['New idea', 'new'],
      ['In progress', 'indeterminate'],
      ['Shipped', 'done'],
    ]);
    expect(statusCoverage(table, ['New idea', 'In Progress', 'Released', 'Blocked'])).toEqual({
      unmapped: ['Released', 'Blocked'],
      unknown: ['Shipped'],
    });
  });
});
