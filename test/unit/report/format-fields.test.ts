import { describe, expect, it } from 'vitest';
import { fieldDiff, newIssueDiffs, type FieldDiff } from '../../../src/model/field-diff.js';
import type { FieldChange, NewIssue } from '../../../src/model/plan.js';
import { fieldLines } from '../../../src/report/format-fields.js';
import { stamp, uuid } from '../../helpers/builders.js';

const pbId = uuid(7);
const description = {
  html: '<p>Let hub admins pick <b>colours</b>.</p>',
  name: 'Custom hub themes',
  url: 'https://pb.test/x',
  sourceLink: true,
  insights: { notes: [{ id: 'n', name: 'Asked', url: null, linkedIds: [pbId], createdAt: '2026-01-01T00:00:00Z' }], list: true, max: 10 },
};

describe('a field as people read it, whatever the field', () => {
  it("an update's changes: values from → to, labels as +added −removed, the description by a note with its reason", () => {
    const changes: FieldChange[] = [
      { field: 'summary', from: 'Themes', to: 'Custom hub themes' },
      { field: 'labels', add: ['theming'], remove: ['old-tag'] },
      { field: 'dueDate', from: null, to: '2026-12-31' },
      { field: 'status', from: 'new', to: 'indeterminate', target: { category: 'indeterminate', pbStatus: 'In progress', otherNames: [] } },
      { field: 'description', fromHash: 'aaa', toHash: 'bbb', to: description },
      { field: 'description', fromHash: null, toHash: 'bbb', to: description },
      { field: 'description', fromHash: 'aaa', toHash: null, to: null },
    ];
    expect(fieldLines(changes.map(fieldDiff), '  ')).toEqual([
      '  summary:     "Themes" → "Custom hub themes"',
      '  labels:      +theming −old-tag',
      '  due date:    2026-12-31',
      '  status:      To Do → In Progress',
      '  description: changed in Productboard (its name, text, insights or link); will be 28 characters of text, 1 insight listed, a link back to Productboard',
      '  description: changed: not written by pb-jira-sync before; will be 28 characters of text, 1 insight listed, a link back to Productboard',
      '  description: changed: now empty (removed from the issue)',
    ]);
  });

  it('a field the formatter has never heard of is shown by its shape: no new code for a new field', () => {
    const diffs: FieldDiff[] = [
      { field: 'priority', type: 'value', from: 'Low', to: 'High' },
      { field: 'components', type: 'set', add: ['Billing & usage'], remove: ['Docs'] },
      { field: 'storyPoints', type: 'value', from: 3, to: 5 },
      { field: 'customField_10020', type: 'value', from: null, to: 'PBJ-7' },
    ];
    expect(fieldLines(diffs, '')).toEqual([
      'priority:           "Low" → "High"',
      'components:         +Billing & usage −Docs',
      'story points:       3 → 5',
      'custom field_10020: PBJ-7',
    ]);
  });

  it("a create's fields come from the new issue's own members (a member the mapping learns to own included), stamp labels left out", () => {
    const issue: NewIssue = {
      issueTypeId: '2',
      fields: {
        summary: '[Feature] Custom hub themes',
        description,
        labels: ['pb-jira-sync', `pb-${pbId}`, 'theming'],
        dueDate: null,
        // What issue 11's fields look like to this code: members of IssueFields it does not name.
        ...({ priority: 'High', components: ['Billing & usage'] } as object),
      },
      status: { category: 'done', pbStatus: 'Released', otherNames: ["Won't do"] },
      stamp: stamp(pbId, 'feature'),
      remoteLink: null,
      parentNote: null,
    };
    expect(fieldLines(newIssueDiffs(pbId, issue), '')).toEqual([
      'summary:     "[Feature] Custom hub themes"',
      'description: 28 characters of text, 1 insight listed, a link back to Productboard',
      'labels:      +theming',
      'priority:    "High"',
      'components:  +Billing & usage',
      'status:      To Do → Done',
    ]);
  });

  it("a create shows the mapping's `jira.fields` under the names the mapping gives them, whatever their shape", () => {
    const issue: NewIssue = {
      issueTypeId: '1',
      fields: {
        summary: 'Themes',
        description: null,
        labels: ['pb-jira-sync', `pb-${pbId}`],
        jiraFields: { 'Epic Name': 'Themes', priority: { name: 'High' }, Sprint: 12, Teams: ['Platform'] },
      },
      status: null,
      stamp: { ...stamp(pbId, 'feature'), statusCategory: null },
      remoteLink: null,
      parentNote: null,
    };
    expect(fieldLines(newIssueDiffs(pbId, issue), '')).toEqual([
      'summary:   "Themes"',
      'epic name: "Themes"',
      'priority:  {"name":"High"}',
      'sprint:    12',
      'teams:     +Platform',
    ]);
  });
});
