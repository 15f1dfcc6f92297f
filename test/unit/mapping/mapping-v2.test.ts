import { describe, expect, it } from 'vitest';
import { compileMappingSource } from '../../../src/mapping/load-mapping.js';
import { parseTemplate, renderTemplate } from '../../../src/mapping/template.js';
import { ValueTable } from '../../../src/mapping/value-table.js';
import { filterOut, type Filter, type FilterSubject } from '../../../src/mapping/where.js';
import { formatProblem } from '../../../src/util/problems.js';
import { parseLocatedYaml } from '../../../src/util/located-yaml.js';

// The pure parts of mapping format version 2: value tables, templates, filters, and the file's own checks.

const problemsOf = (yaml: string): string[] => {
  const result = compileMappingSource(parseLocatedYaml(yaml, 'm.yaml'));
  return result.ok ? [] : result.problems.map(formatProblem);
};

const RULES = `
rules:
  - from: initiative
    jira: { issueType: { level: 1 } }
  - from: feature
    jira:
      issueType: { level: 0 }
      parent: { rule: initiative, via: link }
`;

describe('value tables', () => {
  it('match names whatever their case, numbers by value, ranges with both ends, open ranges; the first key wins', () => {
    const table = new ValueTable([
      ['High', 'Highest'],
      ['0', 'None'],
      ['1-4', 'Some'],
      ['5+', 'Many'],
      ['high', 'never reached'],
    ]);
    expect(table.lookup('HIGH')).toBe('Highest');
    expect([0, 1, 4, 5, 500].map((n) => table.lookup(n))).toEqual(['None', 'Some', 'Some', 'Many', 'Many']);
    expect(table.lookup('3')).toBe('Some');
    expect(table.lookup('Low')).toBeUndefined();
    expect(table.duplicates()).toEqual(['high']);
  });
});

describe('templates', () => {
  it('render sources in double braces, lists joined, empty values as nothing', () => {
    const parsed = parseTemplate('[{{fields.Impact}}] {{name}} ({{tags}})');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const values: Record<string, string | string[] | null> = { field: 'High', name: 'Theme editor', tags: ['ux', 'web'] };
    expect(renderTemplate(parsed.template, (ref) => values[ref.kind] ?? null)).toBe('[High] Theme editor (ux, web)');
    expect(renderTemplate(parsed.template, (ref) => (ref.kind === 'name' ? 'X' : null))).toBe('[] X ()');
  });

  it('name every unknown source and unmatched brace', () => {
    const parsed = parseTemplate('{{impact}} {{name} }}');
    expect(parsed).toMatchObject({ ok: false });
    if (parsed.ok) return;
    expect(parsed.errors[0]).toContain('{{impact}}: "impact" is not a source');
    expect(parsed.errors.some((e) => e.includes('unmatched braces'))).toBe(true);
  });
});

describe('filters', () => {
  const subject = (over: Partial<FilterSubject> = {}): FilterSubject => ({
    product: 'Research Hub',
    components: ['Billing', 'Platform'],
    status: 'Planned',
    tags: ['vs:cost'],
    archived: false,
    field: (ref) => (ref === 'Impact' ? 'High' : null),
    ...over,
  });
  const filter = (over: Partial<Filter>): Filter => ({
    products: null,
    components: null,
    statuses: null,
    tags: null,
    fields: [],
    archived: null,
    not: null,
    ...over,
  });

  it('keep an item when every condition holds (any of a list), whatever the case; say why when not', () => {
    expect(
      filterOut(
        filter({ products: ['research hub'], components: ['platform'], fields: [{ ref: 'Impact', values: ['Low', 'High'] }] }),
        subject(),
      ),
    ).toBeNull();
    expect(filterOut(filter({ statuses: ['In progress'] }), subject())).toBe('its status is "Planned", not "In progress"');
    expect(filterOut(filter({ fields: [{ ref: 'Effort', values: ['Low'] }] }), subject())).toBe('its Effort is empty, not "Low"');
    expect(filterOut(filter({ not: filter({ tags: ['VS:COST'] }) }), subject())).toContain('where.not');
    expect(filterOut(filter({ archived: false }), subject({ archived: true }))).toBe('it is archived');
  });
});

describe("a version 2 file's own checks (validate --offline)", () => {
  it('accepts the drivers, tables, templates and value streams of the issue', () => {
    const yaml = `version: 2
valueTables: { lmh: { Low: Low, Med: Medium, High: High } }
valueStreams: { from: [tags, fields.Value stream], tagPrefix: "vs:", component: true, required: true }
${RULES.replace('issueType: { level: 0 }', 'issueType: { level: 0 }\n      fields:\n        Effort: { from: fields.Effort, table: lmh }\n        Request frequency: { from: insights.count }')}
fields:
  summary: { template: "[{{fields.Impact}}] {{name}} {{valueStream}}" }
`;
    expect(problemsOf(yaml)).toEqual([]);
  });

  it('names what can never work, each with its place in the file', () => {
    const yaml = `version: 2
valueStreams: { from: [tags, insights.count] }
${RULES.replace('issueType: { level: 0 }', 'issueType: { level: 0, from: fields.Type }\n      fields:\n        Effort: { from: fields.Effort, table: lmh }\n        Team: { from: nothing }\n        Summary: { from: name }')}`;
    const problems = problemsOf(yaml);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/rules\[1\]\.jira\.issueType: from and table go together/)]));
    const second = problemsOf(yaml.replace('issueType: { level: 0, from: fields.Type }', 'issueType: { level: 0 }'));
    expect(second).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/valueStreams\.from\[1\]: a value stream is read from tags, fields\.<name>, component or product/),
        expect.stringMatching(/valueStreams\.tagPrefix: reading streams from tags needs the prefix/),
        expect.stringMatching(/rules\[1\]\.jira\.fields\.Effort\.table: no value table named "lmh"/),
        expect.stringMatching(/rules\[1\]\.jira\.fields\.Team\.from: "nothing" is not a source/),
        expect.stringMatching(/rules\[1\]\.jira\.fields\.Summary: "Summary" is written by the sync itself/),
      ]),
    );
  });

  it('a version 1 file with a version 2 key is still refused as before', () => {
    expect(problemsOf(`version: 1\n${RULES}\nvalueStreams: { from: [tags] }`)).toEqual([
      expect.stringContaining('unknown key "valueStreams"'),
    ]);
  });
});
