import type { WriteTally } from '../engine/apply/productboard-writes.js';

// What a Productboard write step did (delivery fields, column connections), as people read it
// after a real pass: the counts, the one refusal if any, and each item that was not written.

interface ShownItem {
  outcome: 'written' | 'skipped' | 'failed';
  name: string;
  jiraKey?: string | null;
  reason?: string;
}

/** `title`: what was written, e.g. "Productboard" or "Productboard column". */
export function writeResultLines(title: string, result: WriteTally<ShownItem>): string[] {
  const lines = [`${title}: written ${result.written}, skipped ${result.skipped}, failed ${result.failed}.`];
  if (result.refused) lines.push(`  refused: ${result.refused}`);
  for (const item of result.items.filter((i) => i.outcome !== 'written'))
    lines.push(`  ${item.outcome.padEnd(7)} "${item.name}"${item.jiraKey ? ` (${item.jiraKey})` : ''}: ${item.reason ?? ''}`);
  return lines;
}

/** A plan's item lines, at most `max` of them, and how many more `--json` lists. */
export function limitedLines<T>(writes: readonly T[], describe: (write: T) => string, max: number): string[] {
  const lines = writes.slice(0, max).map(describe);
  if (writes.length > max) lines.push(`  …and ${writes.length - max} more (\`--json\` lists them all)`);
  return lines;
}
