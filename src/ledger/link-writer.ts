import type { Link, StampProperty } from '../engine/model.js';

export interface CreatedLink {
  pbId: string;
  pbType: string;
  jiraId: string;
  jiraKey: string;
  pushed: StampProperty;
}

export interface PushedLink {
  pbId: string;
  jiraKey: string;
  pushed: StampProperty;
}

/**
 * What the applier may write to the ledger. The real Ledger implements it; a dry run gets the
 * in-memory `ScratchLinks`, so dry-run is the same pipeline with the writer swapped
 * (architecture principle 8) and changes no link on disk.
 */
export interface LinkWriter {
  recordIntents(items: ReadonlyArray<{ pbId: string; pbType: string }>, at: number): void;
  recordCreated(items: readonly CreatedLink[], at: number): void;
  recordFailed(items: ReadonlyArray<{ pbId: string; pbType: string; error: string }>, at: number): void;
  recordPushed(items: readonly PushedLink[], at: number): void;
  recordUpdateFailed(items: ReadonlyArray<{ pbId: string; error: string }>, at: number): void;
  clearIntents(pbIds: readonly string[], at: number): void;
}

/** A LinkWriter that keeps everything in memory: used by dry runs. */
export class ScratchLinks implements LinkWriter {
  readonly links: Map<string, Link>;

  constructor(initial: ReadonlyMap<string, Link>) {
    this.links = new Map(initial);
  }

  recordIntents(items: ReadonlyArray<{ pbId: string; pbType: string }>, at: number): void {
    for (const item of items) {
      const existing = this.links.get(item.pbId);
      if (existing?.jiraId) continue;
      this.links.set(item.pbId, { pbId: item.pbId, pbType: item.pbType, jiraId: null, jiraKey: null, state: 'pending', intentAt: at, lastError: null, pushed: null });
    }
  }

  recordCreated(items: readonly CreatedLink[]): void {
    for (const item of items) {
      this.links.set(item.pbId, { pbId: item.pbId, pbType: item.pbType, jiraId: item.jiraId, jiraKey: item.jiraKey, state: 'linked', intentAt: null, lastError: null, pushed: item.pushed });
    }
  }

  recordFailed(items: ReadonlyArray<{ pbId: string; pbType: string; error: string }>): void {
    for (const item of items) {
      const existing = this.links.get(item.pbId);
      if (existing?.jiraId) continue;
      this.links.set(item.pbId, { pbId: item.pbId, pbType: item.pbType, jiraId: null, jiraKey: null, state: 'failed', intentAt: null, lastError: item.error, pushed: null });
    }
  }

  recordPushed(items: readonly PushedLink[]): void {
    for (const item of items) {
      const existing = this.links.get(item.pbId);
      if (existing) this.links.set(item.pbId, { ...existing, jiraKey: item.jiraKey, pushed: item.pushed, lastError: null });
    }
  }

  recordUpdateFailed(items: ReadonlyArray<{ pbId: string; error: string }>): void {
    for (const item of items) {
      const existing = this.links.get(item.pbId);
      if (existing) this.links.set(item.pbId, { ...existing, lastError: item.error });
    }
  }

  clearIntents(pbIds: readonly string[]): void {
    for (const pbId of pbIds) {
      const existing = this.links.get(pbId);
      if (existing && !existing.jiraId) this.links.set(pbId, { ...existing, state: 'failed', intentAt: null });
    }
  }
}
