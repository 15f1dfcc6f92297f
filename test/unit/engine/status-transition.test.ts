import { describe, expect, it } from 'vitest';
import { chooseTransition } from '../../../src/engine/apply/status-transition.js';
import type { ScreenField, TransitionOption } from '../../../src/model/ports.js';
import type { StatusCategory, StatusTarget } from '../../../src/model/status.js';

// Which transition takes an issue to the status its Productboard status asks for (a pure choice).

const option = (id: string, category: StatusCategory, toStatus: string, requiredFields: ScreenField[] = []): TransitionOption => ({
  id,
  name: `to ${toStatus}`,
  category,
  toStatus,
  hasScreen: requiredFields.length > 0,
  requiredFields,
});
const resolution: ScreenField = {
  id: 'resolution',
  name: 'Resolution',
  required: true,
  hasDefaultValue: false,
  type: 'resolution',
  allowed: [
    { id: '10000', name: 'Done' },
    { id: '10001', name: "Won't Do" },
  ],
};
const storyPoints: ScreenField = { id: 'customfield_10016', name: 'Story Points', required: true, hasDefaultValue: false, type: 'number' };
const released: StatusTarget = { category: 'done', pbStatus: 'Released', otherNames: ["Won't do"] };

describe('issue 9 §9: transitions: the one to take', () => {
  it("to done: the plain Done, never Won't Do, whatever order Jira lists them in", () => {
    const choice = chooseTransition([option('41', 'done', "Won't Do"), option('31', 'done', 'Done')], { ...released, otherNames: [] });
    expect(choice).toMatchObject({ kind: 'take', option: { id: '31' }, fields: {} });
  });

  it('a status named like the Productboard status comes first, before the plain one', () => {
    const choice = chooseTransition([option('31', 'done', 'Done'), option('51', 'done', 'released')], released);
    expect(choice).toMatchObject({ kind: 'take', option: { id: '51' } });
  });

  it('never a status named like another mapped Productboard status: with only that one, nothing is taken and the note says why', () => {
    const choice = chooseTransition([option('11', 'indeterminate', 'In Progress'), option('41', 'done', "Won't Do")], released);
    expect(choice).toEqual({
      kind: 'none',
      reason:
        'no transition from its current status leads to a done status that stands for "Released" (only to "Won\'t Do", named like other Productboard statuses)',
    });
    // ...which is the right one for "Won't do" itself.
    expect(
      chooseTransition([option('41', 'done', "Won't Do")], { category: 'done', pbStatus: "Won't do", otherNames: ['Released'] }),
    ).toMatchObject({
      kind: 'take',
      option: { id: '41' },
    });
  });

  it('a resolution screen is filled with the resolution named like the target status', () => {
    expect(chooseTransition([option('31', 'done', 'Done', [resolution])], released)).toEqual({
      kind: 'take',
      option: option('31', 'done', 'Done', [resolution]),
      fields: { resolution: { id: '10000' } },
    });
    expect(
      chooseTransition([option('41', 'done', "Won't Do", [resolution])], { category: 'done', pbStatus: "Won't do", otherNames: [] }),
    ).toMatchObject({ fields: { resolution: { id: '10001' } } });
  });

  it('a screen asking for other fields: needs-fields with their names; among equals, one we can fill or without a screen wins', () => {
    expect(chooseTransition([option('31', 'done', 'Done', [storyPoints])], released)).toMatchObject({
      kind: 'needs-fields',
      missing: [{ name: 'Story Points' }],
    });
    const plain = chooseTransition([option('31', 'done', 'Done', [storyPoints]), option('32', 'done', 'Done')], released);
    expect(plain).toMatchObject({ kind: 'take', option: { id: '32' } });
    const noScreen = chooseTransition([option('31', 'done', 'Done', [resolution]), option('32', 'done', 'Done')], released);
    expect(noScreen).toMatchObject({ kind: 'take', option: { id: '32' } });
  });

  it('no transition to the category at all', () => {
    expect(chooseTransition([option('11', 'indeterminate', 'In Progress')], released)).toEqual({
      kind: 'none',
      reason: 'no transition to a "done" status is available from its current status',
    });
  });
});
