import type { RecordedEntry } from '../model/history.js';
import type { RunRecord } from '../model/run.js';
import { printableLines } from '../util/untrusted-text.js';
import { fieldLines } from './format-fields.js';
import { runJson, shortId } from './format-status.js';
import { OUTPUT_SCHEMA_VERSION, isoTime } from './output-schema.js';

// `history`: what each run did to each item, newest run first; as text or as the JSON document of
// docs/schemas/history.schema.json.

export interface HistoryView {
  ledger: string;
  filter: { run: string | null; item: string | null };
  runs: Array<{ run: RunRecord; entries: RecordedEntry[] }>;
}

const VERB: Record<RecordedEntry['action'], string> = { create: 'created', adopt: 'adopted', update: 'updated', move: 'moved' };
const SYMBOL: Record<RecordedEntry['action'], string> = { create: '+', adopt: '@', update: '~', move: '>' };

export function historyJson(view: HistoryView) {
  return {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    ledger: view.ledger,
    filter: view.filter,
    runs: view.runs.map(({ run, entries }) => ({
      ...runJson(run),
      entries: entries.map((e) => ({
        at: isoTime(e.at),
        action: e.action,
        outcome: e.outcome,
        pbId: e.pbId,
        pbType: e.pbType,
        name: e.name,
        jiraKey: e.jiraKey,
        changes: e.changes,
        detail: e.detail,
      })),
    })),
  };
}

export function formatHistory(view: HistoryView): string {
  if (!view.runs.length) {
    const which = view.filter.item ? ` for ${view.filter.item}` : view.filter.run ? ` in run ${view.filter.run}` : '';
    return printableLines([`No changes recorded${which}: history lists what syncs and \`reconcile --fix\` wrote.`]);
  }
  const lines: string[] = [];
  for (const { run, entries } of view.runs) {
    if (lines.length) lines.push('');
    const failed = entries.filter((e) => e.outcome === 'failed').length;
    const tally = `${entries.length - failed} change${entries.length - failed === 1 ? '' : 's'}${failed ? `, ${failed} failed` : ''}`;
    lines.push(`Run ${shortId(run.id)}  ${isoTime(run.startedAt)}  ${run.command}  ${run.outcome}  (${tally})`);
    for (const entry of entries) {
      const key = entry.jiraKey ? `${entry.jiraKey} ` : '';
      const what =
        entry.outcome === 'failed'
          ? `! ${entry.action} failed: ${key}${entry.pbType} "${entry.name}"`
          : `${SYMBOL[entry.action]} ${VERB[entry.action]} ${key}${entry.pbType} "${entry.name}"`;
      lines.push(`  ${what}${entry.detail ? `: ${entry.detail}` : ''}`, ...fieldLines(entry.changes, '      '));
    }
  }
  return printableLines(lines);
}
