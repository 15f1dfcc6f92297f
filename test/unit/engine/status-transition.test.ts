import { describe, expect, it } from 'vitest';
import { chooseTransition, take, TRANSITION_SENDS } from '../../../src/engine/apply/status-transition.js';
import { SyncError } from '../../../src/errors.js';
import type { JiraWriter, ScreenField, TransitionOption } from '../../../src/model/ports.js';
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

describe('taking a transition whose answer is lost', () => {
  const lost = () => new SyncError('ambiguous', 'HTTP 503; the write may or may not have happened', { service: 'jira' });
  /** An issue in To Do; each send either is taken by Jira or not, and its answer may be lost either way. */
  function issue(sends: Array<{ taken: boolean; answered: boolean }>) {
    let status = 'To Do';
    const log: string[] = [];
    const writer: Pick<JiraWriter, 'doTransition' | 'statusName'> = {
      async doTransition(_jiraId, transitionId) {
        const send = sends.shift() ?? { taken: true, answered: true };
        log.push(`send ${transitionId}`);
        if (send.taken) status = 'Done';
        if (!send.answered) throw lost();
      },
      async statusName() {
        log.push('read');
        return status;
      },
    };
    return { writer, log, status: () => status };
  }
  const done = chooseTransition([option('31', 'done', 'Done')], { ...released, otherNames: [] });

  it('Jira took it: the issue read back says so, and it is not sent again', async () => {
    const jira = issue([{ taken: true, answered: false }]);
    expect(await take(jira.writer, '10001', done)).toEqual({ reached: true });
    expect(jira.log).toEqual(['send 31', 'read']);
  });

  it('Jira did not take it: sent again once the issue shows it was not', async () => {
    const jira = issue([{ taken: false, answered: false }]);
    expect(await take(jira.writer, '10001', done)).toEqual({ reached: true });
    expect(jira.log).toEqual(['send 31', 'read', 'send 31']);
    expect(jira.status()).toBe('Done');
  });

  it(`answers lost ${TRANSITION_SENDS} times over: the item fails with the last error (the next pass tries again)`, async () => {
    const jira = issue(Array.from({ length: TRANSITION_SENDS }, () => ({ taken: false, answered: false })));
    await expect(take(jira.writer, '10001', done)).rejects.toMatchObject({ kind: 'ambiguous' });
    expect(jira.log.filter((l) => l.startsWith('send'))).toHaveLength(TRANSITION_SENDS);
  });
});
