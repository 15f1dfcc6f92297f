import type { CreatedLink, Link, PushedLink } from '../model/link.js';
import type { LinkWriter } from '../model/ports.js';

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
