import type { Phase, ProgressEvent } from '../model/progress.js';

// The words of the progress display and of the progress log lines: what each phase is called, and
// a phase's state in one line (counts, rate, time).

export function phaseLabel(phase: Phase): string {
  switch (phase.name) {
    case 'read-productboard':
      return 'Read Productboard';
    case 'read-jira':
      return 'Read Jira';
    case 'plan':
      return 'Plan';
    case 'wait-for-lease':
      return 'Wait for the Jira lease';
    case 'create':
      return `Create level ${phase.level} of ${phase.levels}${types(phase.issueTypes)}`;
    case 'edit':
      return `Update and move, level ${phase.level} of ${phase.levels}${types(phase.issueTypes)}`;
    case 'follow-ups':
      return `Backlinks and statuses, level ${phase.level} of ${phase.levels}${types(phase.issueTypes)}`;
    case 'write-productboard':
      return 'Write Productboard';
  }
}

const types = (names: readonly string[]): string => (names.length ? ` (${names.join(', ')})` : '');

/** A phase under way: `Create level 2 of 3 (Story): 1,250 of 4,000, 3 failed, 85/s`. */
export function runningLine(event: Extract<ProgressEvent, { kind: 'started' | 'advanced' }>, startedAt: number): string {
  const label = phaseLabel(event.phase);
  if (event.kind === 'started') return event.total === null ? `${label}…` : `${label}: 0 of ${number(event.total)}`;
  const seconds = (event.at - startedAt) / 1000;
  const parts = [event.total === null ? number(event.done) : `${number(event.done)} of ${number(event.total)}`];
  if (event.failed) parts.push(`${number(event.failed)} failed`);
  if (seconds >= 1) parts.push(`${number(Math.round((event.done + event.failed) / seconds))}/s`);
  return `${label}: ${parts.join(', ')}`;
}

/** A phase done: `Read Productboard: 5,000 items, 1,200 notes (12.3 s)`. */
export function finishedLine(event: Extract<ProgressEvent, { kind: 'finished' }>): string {
  const counts = Object.entries(event.counts).map(([name, n]) => `${number(n)} ${name}`);
  return `${phaseLabel(event.phase)}${counts.length ? `: ${counts.join(', ')}` : ''} (${(event.durationMs / 1000).toFixed(1)} s)`;
}

/** The phase as log fields: its name, and its level of the tree when it has one (`level` is the log line's own). */
export function phaseFields(phase: Phase): Record<string, unknown> {
  if (!('level' in phase)) return { phase: phase.name };
  return { phase: phase.name, treeLevel: phase.level, treeLevels: phase.levels, issueTypes: phase.issueTypes };
}

/** Tells apart phases of the same name (the levels). */
export const phaseKey = (phase: Phase): string => ('level' in phase ? `${phase.name}:${phase.level}` : phase.name);

const number = (n: number): string => n.toLocaleString('en-US');
