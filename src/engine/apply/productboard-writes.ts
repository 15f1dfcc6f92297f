import { isSyncError, messageOf, stopsPass } from '../../errors.js';
import { mapPool } from '../../util/map-pool.js';

/** Productboard writes in flight: the Productboard lane of the HTTP policy paces them (shared with reads). */
const WRITES_IN_FLIGHT = 8;

export type WriteOutcome = { outcome: 'written' } | { outcome: 'skipped' | 'failed'; reason: string };

/** What a Productboard write step did: each item's outcome, counted. */
export interface WriteTally<Item extends { outcome: WriteOutcome['outcome'] }> {
  items: Item[];
  written: number;
  skipped: number;
  failed: number;
  /** Why Productboard took no write of this kind at all (a token without the scope); null when it did. */
  refused: string | null;
}

/** A write step's figures for its log line: planned, then what became of them. */
export const tallyFields = (planned: number, { written, skipped, failed }: WriteTally<{ outcome: WriteOutcome['outcome'] }>) => ({
  planned,
  written,
  skipped,
  failed,
});

export function tally<Item extends { outcome: WriteOutcome['outcome'] }>(items: Item[], refused: string | null): WriteTally<Item> {
  const count = (outcome: WriteOutcome['outcome']) => items.filter((i) => i.outcome === outcome).length;
  return { items, written: count('written'), skipped: count('skipped'), failed: count('failed'), refused };
}

export interface WriteEachStep<W> {
  /** Sends one write; `gone` when the entity no longer exists (skipped with that reason). */
  send(write: W): Promise<{ ok: true } | { ok: false; gone: string }>;
  /** Records a write Productboard took, in the ledger (never before: a crash leaves the old record). */
  record(write: W): void;
  /** The one message for an error that refuses every write of this kind (a missing scope), or null. */
  refusal(write: W, error: unknown): string | null;
  /** Told of each item done (written or skipped) and each failed. */
  advance?(done: number, failed: number): void;
}

/**
 * The shared loop of the Productboard write steps (delivery fields, plugin connections): each
 * write sent and recorded once taken; an entity deleted meanwhile skipped with its reason; an
 * error that refuses them all (a token without the scope) stops the rest with one message,
 * leaving the Jira side of the pass standing; an error that stops the pass is rethrown.
 */
export async function writeEach<W>(
  writes: readonly W[],
  step: WriteEachStep<W>,
): Promise<{ outcomes: Array<{ write: W } & WriteOutcome>; refused: string | null }> {
  const outcomes: Array<{ write: W } & WriteOutcome> = [];
  let refused: string | null = null;
  await mapPool(writes, WRITES_IN_FLIGHT, async (write) => {
    if (refused) return;
    try {
      const sent = await step.send(write);
      if (sent.ok) step.record(write);
      outcomes.push(sent.ok ? { write, outcome: 'written' } : { write, outcome: 'skipped', reason: sent.gone });
      step.advance?.(1, 0);
    } catch (error) {
      const refusal = step.refusal(write, error);
      if (refusal !== null) {
        refused ??= refusal;
        return;
      }
      if (stopsPass(error)) throw error;
      outcomes.push({ write, outcome: 'failed', reason: messageOf(error) });
      step.advance?.(0, 1);
    }
  });
  return { outcomes, refused };
}

/** A Productboard 403: the token lacks a scope the write needs. */
export const isProductboardPermission = (error: unknown): boolean =>
  isSyncError(error) && error.kind === 'permission' && error.service === 'productboard';
