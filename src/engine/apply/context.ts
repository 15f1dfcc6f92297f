import type { Logger } from 'pino';
import { messageOf, stopsPass } from '../../errors.js';
import { renderDescription } from '../../mapping/description.js';
import { HtmlConversionError } from '../../mapping/html-to-adf.js';
import type { AdfDoc } from '../../model/adf.js';
import type { DescriptionSource } from '../../model/desired.js';
import type { ActionKind } from '../../model/plan.js';
import type { JiraReader, JiraWriter, LinkWriter } from '../../model/ports.js';
import type { ProgressListener } from '../../model/progress.js';
import type { Clock } from '../../util/clock.js';
import type { CreateScreenFit } from '../create-screens.js';

/** What applying a plan may touch: the Jira writer, the stamp lookup, the ledger's link writer. */
export interface ApplyPorts {
  writer: JiraWriter;
  /** Finds issues by stamp after a create of unknown outcome. */
  reader: Pick<JiraReader, 'findByPbIds'>;
  links: LinkWriter;
  clock: Clock;
  logger: Logger;
  /** The run the history records what was done under. */
  runId: string;
  /** How each issue type's creates fit its create screen (src/engine/create-screens.ts); absent: sent as planned. */
  screens?: ReadonlyMap<string, CreateScreenFit>;
  /** Told how far each level got (absent: nobody is watching). */
  progress?: ProgressListener | undefined;
  /**
   * Called once every issue is as the pass leaves it (creates, their transitions, edits and moves
   * done) while backlinks may still be under way: what depends only on the tree may start then.
   * A plan applied without an error that stops the pass always calls it, before it resolves.
   */
  onSettled?: (settled: ApplyResult) => void;
}

export interface ActionResult {
  pbId: string;
  kind: ActionKind;
  jiraKey: string | null;
  /** skipped: the item cannot be written as it is (its description cannot be converted). */
  outcome: 'applied' | 'failed' | 'pending' | 'skipped';
  error?: string;
  note?: string;
}

export interface ApplyResult {
  results: ActionResult[];
  applied: number;
  failed: number;
  pending: number;
  skipped: number;
}

export interface IssueAt {
  jiraId: string;
  jiraKey: string;
}

/** What the walk over a plan has learned so far: results, issues known by Productboard id, items in doubt. */
export class ApplyState {
  readonly results: ActionResult[] = [];
  /** Created-or-not unknown, or failed: their children must wait. */
  private readonly unresolved = new Set<string>();
  private readonly known: Map<string, IssueAt>;

  constructor(existing: ReadonlyMap<string, IssueAt>) {
    this.known = new Map(existing);
  }

  report(result: ActionResult): void {
    this.results.push(result);
  }

  /** The item did not get an issue in this pass (failed, pending, skipped): its children wait. */
  hold(pbId: string): void {
    this.unresolved.add(pbId);
  }

  learn(pbId: string, issue: IssueAt): void {
    this.known.set(pbId, issue);
  }

  /** The Jira issue of a parent, once it exists and is settled; undefined while it is not. */
  parent(parentPbId: string): IssueAt | undefined {
    return this.unresolved.has(parentPbId) ? undefined : this.known.get(parentPbId);
  }

  /** The issue of an item, once known (existing, created or adopted), whether settled or not. */
  issueOf(pbId: string): IssueAt | undefined {
    return this.known.get(pbId);
  }

  /** The summary with every created issue applied, their backlinks possibly still under way (reported once done). */
  settledSummary(created: ReadonlyArray<{ action: { pbId: string }; jiraKey: string }>): ApplyResult {
    const reported = new Set(this.results.filter((r) => r.kind === 'create').map((r) => r.pbId));
    const settled = created
      .filter((c) => !reported.has(c.action.pbId))
      .map((c): ActionResult => ({ pbId: c.action.pbId, kind: 'create', jiraKey: c.jiraKey, outcome: 'applied' }));
    return summaryOf([...this.results, ...settled]);
  }

  summary(): ApplyResult {
    return summaryOf(this.results);
  }
}

function summaryOf(results: ActionResult[]): ApplyResult {
  const count = (outcome: ActionResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  return { results, applied: count('applied'), failed: count('failed'), pending: count('pending'), skipped: count('skipped') };
}

/** Rethrows what must stop the pass; returns the message of what only fails this item. */
export function itemFailure(error: unknown): string {
  if (stopsPass(error)) throw error;
  return messageOf(error);
}

/**
 * Renders a description for a write. HTML that cannot be converted is this item's problem, not the
 * pass's: the item is skipped with the reason (its children wait) and the rest goes on.
 */
export function render(source: DescriptionSource | null): { ok: true; doc: AdfDoc | null } | { ok: false; error: string } {
  if (!source) return { ok: true, doc: null };
  try {
    return { ok: true, doc: renderDescription(source) };
  } catch (error) {
    if (!(error instanceof HtmlConversionError)) throw error;
    return { ok: false, error: `invalid-item: description: ${error.message}` };
  }
}
