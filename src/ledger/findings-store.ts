import type { Database } from 'better-sqlite3';
import { fingerprint, type Finding } from '../model/finding.js';
import type { FindingChanges, FindingsLog } from '../model/ports.js';

interface Row {
  fingerprint: string;
  data: string;
  last_alerted: number | null;
  resolved_at: number | null;
  resolved_alerted: number | null;
}

/**
 * Remembers findings across runs (first seen, last seen, last alerted, resolved). One transaction
 * per reconcile: upsert what is seen now, mark what disappeared as resolved.
 */
export class FindingsStore implements FindingsLog {
  /** `scrub`: applied to what is stored, which may quote vendor text. */
  constructor(
    private readonly db: Database,
    private readonly scrub: (text: string) => string = (text) => text,
  ) {}

  record(current: readonly Finding[], now: number): FindingChanges {
    const upsert = this.db.prepare(`
      INSERT INTO findings (fingerprint, kind, data, first_seen, last_seen)
      VALUES (@fingerprint, @kind, @data, @now, @now)
      ON CONFLICT (fingerprint) DO UPDATE SET data = @data, last_seen = @now,
        -- a finding that comes back after being resolved is new again
        first_seen = CASE WHEN resolved_at IS NULL THEN first_seen ELSE @now END,
        last_alerted = CASE WHEN resolved_at IS NULL THEN last_alerted ELSE NULL END,
        resolved_at = NULL, resolved_alerted = NULL`);
    const resolve = this.db.prepare('UPDATE findings SET resolved_at = @now WHERE fingerprint = @fingerprint AND resolved_at IS NULL');
    return this.db.transaction(() => {
      const seen = new Set<string>();
      for (const finding of current) {
        const key = fingerprint(finding);
        seen.add(key);
        upsert.run({ fingerprint: key, kind: finding.kind, data: this.scrub(JSON.stringify(finding)), now });
      }
      const openRows = this.db.prepare('SELECT fingerprint FROM findings WHERE resolved_at IS NULL').all() as Array<{
        fingerprint: string;
      }>;
      for (const row of openRows) if (!seen.has(row.fingerprint)) resolve.run({ fingerprint: row.fingerprint, now });
      const rows = this.db.prepare('SELECT fingerprint, data, last_alerted, resolved_at, resolved_alerted FROM findings').all() as Row[];
      const parse = (row: Row) => JSON.parse(row.data) as Finding;
      return {
        fresh: rows.filter((r) => r.resolved_at === null && r.last_alerted === null).map(parse),
        resolved: rows.filter((r) => r.resolved_at !== null && r.resolved_alerted === null && r.last_alerted !== null).map(parse),
        open: rows.filter((r) => r.resolved_at === null).map(parse),
      };
    })();
  }

  /** After a successful alert: these open findings and these resolutions have been told. */
  markAlerted(open: readonly Finding[], resolved: readonly Finding[], now: number): void {
    const alerted = this.db.prepare('UPDATE findings SET last_alerted = @now WHERE fingerprint = @fingerprint');
    const told = this.db.prepare('UPDATE findings SET resolved_alerted = @now WHERE fingerprint = @fingerprint');
    this.db.transaction(() => {
      for (const f of open) alerted.run({ fingerprint: fingerprint(f), now });
      for (const f of resolved) told.run({ fingerprint: fingerprint(f), now });
    })();
  }

  /** Every open finding with when it was first and last seen, the oldest first (`status`, the report). */
  openSince(): Array<{ finding: Finding; firstSeen: number; lastSeen: number }> {
    const rows = this.db
      .prepare('SELECT data, first_seen, last_seen FROM findings WHERE resolved_at IS NULL ORDER BY first_seen, fingerprint')
      .all() as Array<{ data: string; first_seen: number; last_seen: number }>;
    return rows.map((row) => ({ finding: JSON.parse(row.data) as Finding, firstSeen: row.first_seen, lastSeen: row.last_seen }));
  }

  openCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM findings WHERE resolved_at IS NULL').get() as { n: number }).n;
  }
}
