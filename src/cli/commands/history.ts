import { loadOperatorConfig } from '../../config/load-config.js';
import { SyncError } from '../../errors.js';
import { Ledger } from '../../ledger/ledger.js';
import type { RecordedEntry } from '../../model/history.js';
import { formatHistory, historyJson, type HistoryView } from '../../report/format-history.js';
import { groupBy } from '../../util/multimap.js';
import { formatProblem } from '../../util/problems.js';
import { jsonText } from '../../util/untrusted-text.js';
import type { CliIo } from '../context.js';

export interface HistoryCommandOptions {
  run?: string;
  item?: string;
  limit: number;
  json?: boolean;
  config?: string;
}

/**
 * `pb-jira-sync history [--run ID] [--item KEY|PRODUCTBOARD_ID] [--limit N] [--json]`: what the
 * runs changed, item by item, each field before → after; from the ledger alone (read-only, no
 * network, no credentials needed, like `status`).
 */
export async function historyCommand(io: CliIo, options: HistoryCommandOptions): Promise<number> {
  const loaded = loadOperatorConfig({ configPath: options.config, env: io.env, cwd: io.cwd });
  if (!loaded.ok) throw new SyncError('config', 'the configuration has problems', { details: loaded.problems.map(formatProblem) });
  const { ledgerPath } = loaded.config;
  const ledger = Ledger.openReadOnly(ledgerPath);
  const view: HistoryView = {
    ledger: ledgerPath,
    filter: { run: options.run ?? null, item: options.item ?? null },
    runs: ledger ? readHistory(ledger, options) : [],
  };
  io.stdout(options.json ? jsonText(historyJson(view), 2) : formatHistory(view));
  return 0;
}

function readHistory(ledger: Ledger, options: HistoryCommandOptions): HistoryView['runs'] {
  try {
    const matches = (entry: RecordedEntry) => !options.item || entry.pbId === options.item || entry.jiraKey === options.item.toUpperCase();
    if (options.run) {
      const run = findRun(ledger, options.run);
      return [{ run, entries: ledger.history.ofRun(run.id).filter(matches) }].filter((r) => r.entries.length || !options.item);
    }
    if (options.item) {
      // Newest run first, as without a filter; within a run, in the order it happened.
      const byRun = [...groupBy(ledger.history.ofItem(options.item), (e) => e.runId)].reverse().slice(0, options.limit);
      return byRun.flatMap(([runId, entries]) => {
        const run = ledger.run(runId);
        return run ? [{ run, entries }] : [];
      });
    }
    return ledger.history.runsWithEntries(options.limit).flatMap((runId) => {
      const run = ledger.run(runId);
      return run ? [{ run, entries: ledger.history.ofRun(runId) }] : [];
    });
  } catch (error) {
    throw ledger.explain(error);
  } finally {
    ledger.close();
  }
}

/** A run by its id or the start of it (the short id `status` and `history` show); unknown or ambiguous is an error. */
function findRun(ledger: Ledger, idOrPrefix: string) {
  const runs = ledger.runsMatching(idOrPrefix.trim());
  if (runs.length === 1) return runs[0]!;
  throw new SyncError(
    'config',
    runs.length
      ? `--run ${idOrPrefix} matches several runs: give more of its id`
      : `no run ${idOrPrefix} in the ledger at ${ledger.path} (\`status\` lists the runs with their short ids)`,
  );
}
