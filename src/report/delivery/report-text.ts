import type { ReportRow, StreamCounts } from './report-model.js';

// Phrases every format of the report shares.

/** Why an item is blocked, in words: `flagged; blocked by PBJ-7`. */
export function blockText(r: ReportRow): string {
  return r.blocked
    .map((reason) =>
      reason === 'flagged' ? 'flagged' : reason === 'status' ? `status ${r.jira?.status ?? ''}` : `blocked by ${r.blockedBy.join(', ')}`,
    )
    .join('; ');
}

export function countsText(c: StreamCounts): string {
  return `${c.items} item${plural(c.items)}, ${c.byStatus.done} done, ${c.blocked} blocked, ${c.stale} stale, ${c.openFindings} open finding${plural(c.openFindings)}`;
}

export const plural = (n: number): string => (n === 1 ? '' : 's');
