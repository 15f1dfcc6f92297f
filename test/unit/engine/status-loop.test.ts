import { describe, expect, it } from 'vitest';
import { StatusBackTable } from '../../../src/mapping/write-back.js';
import { statusStep, type StatusStepInput } from '../../../src/engine/status-loop.js';

const table = new StatusBackTable({ indeterminate: 'In progress', done: 'Released' }, { "Won't Do": "Won't do" });
const jira = (category: 'new' | 'indeterminate' | 'done', name: string | null = null) => ({ category, name });
const step = (over: Partial<StatusStepInput>) =>
  statusStep({
    synced: { pb: 'Planned', jira: jira('new', 'To Do') },
    pb: 'Planned',
    jiraRead: jira('new', 'To Do'),
    jiraNow: jira('new', 'To Do'),
    settled: true,
    table,
    ...over,
  });

describe('the status loop, one item', () => {
  it('first contact records both sides and writes nothing back', () => {
    expect(step({ synced: undefined, pb: 'Candidate' })).toEqual({
      kind: 'record',
      synced: { pb: 'Candidate', jira: jira('new', 'To Do') },
      conflict: null,
    });
  });

  it('nothing changed on either side: nothing to do', () => {
    expect(step({})).toEqual({ kind: 'none' });
  });

  it('Jira changed: Productboard gets the status of its name first, else of its category; recorded as written', () => {
    expect(step({ jiraRead: jira('done', 'Done'), jiraNow: jira('done', 'Done') })).toEqual({
      kind: 'write',
      write: { from: 'Planned', to: 'Released', jira: 'Done' },
      synced: { pb: 'Released', jira: jira('done', 'Done') },
    });
    const wontDo = step({ jiraNow: jira('done', "won't do") });
    expect(wontDo.kind === 'write' && wontDo.write.to).toBe("Won't do");
  });

  it('Jira changed to a status the table does not map, or one Productboard already shows: recorded, nothing written', () => {
    expect(step({ synced: { pb: 'Planned', jira: jira('done', 'Done') } })).toMatchObject({ kind: 'record', conflict: null });
    expect(step({ pb: 'released', synced: { pb: 'released', jira: jira('new') }, jiraNow: jira('done', 'Done') })).toMatchObject({
      kind: 'record',
      synced: { pb: 'released' },
    });
  });

  it('Productboard changed: the push is recorded once applied, and waits when the Jira write did not happen', () => {
    expect(step({ pb: 'In progress', jiraNow: jira('indeterminate') })).toEqual({
      kind: 'record',
      synced: { pb: 'In progress', jira: jira('indeterminate') },
      conflict: null,
    });
    expect(step({ pb: 'In progress', settled: false })).toEqual({ kind: 'none' });
  });

  it('both changed: Productboard wins and Jira’s change is reported', () => {
    expect(step({ pb: 'In progress', jiraRead: jira('done', 'Done'), jiraNow: jira('indeterminate') })).toEqual({
      kind: 'record',
      synced: { pb: 'In progress', jira: jira('indeterminate') },
      conflict: { pb: 'In progress', jira: 'Done' },
    });
  });

  it('a status pushed by category is remembered by name once Jira says it, so a move within the category is seen later', () => {
    const synced = { pb: 'In progress', jira: jira('indeterminate') };
    expect(step({ synced, pb: 'In progress', jiraNow: jira('indeterminate', 'In Progress') })).toMatchObject({ kind: 'record' });
    const later = step({ synced: { pb: 'In progress', jira: jira('done', 'Done') }, pb: 'In progress', jiraNow: jira('done', "Won't Do") });
    expect(later).toMatchObject({ kind: 'write', write: { to: "Won't do" } });
  });
});
