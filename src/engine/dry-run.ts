import type { Alert, DeliveryOutcome } from '../model/alert.js';
import type { Finding } from '../model/finding.js';
import type { HistoryEntry } from '../model/history.js';
import type { CreatedLink, PushedLink } from '../model/link.js';
import type { ConnectionOutcome } from '../model/connection.js';
import type { WriteBackOutcome } from '../model/delivery.js';
import type {
  ConnectionLog,
  ConnectionWriter,
  CreateOutcome,
  DeliveryLog,
  DeliveryWriter,
  FindingChanges,
  FindingsLog,
  IssueDraft,
  JiraWriter,
  LinkWriter,
  Notifier,
  TransitionOption,
  EditOutcome,
} from '../model/ports.js';
import { PLAIN_STATUS, STATUS_CATEGORIES } from '../model/status.js';

// The writers of a dry run: they send nothing and change nothing on disk, so a dry run is the very
// same pipeline as a real one (ordering, batching, parent resolution, reconcile's repairs and
// alerts) with the writers swapped, never an `if (dryRun)` at a write site.

/** Sends nothing; invents placeholder ids so the applier's parent resolution runs as it would. */
export class DryRunWriter implements JiraWriter {
  private next = 1;

  async bulkCreate(drafts: readonly IssueDraft[]): Promise<CreateOutcome[]> {
    return drafts.map((draft) => {
      const n = this.next++;
      return { pbId: draft.pbId, ok: true, jiraId: `dry-run-${n}`, jiraKey: `(new #${n})` };
    });
  }

  async edit(): Promise<EditOutcome> {
    return { ok: true };
  }

  /** One plain transition into each category: a dry run cannot know the workflow, and says it would transition. */
  async transitionOptions(): Promise<TransitionOption[]> {
    return STATUS_CATEGORIES.map((category) => ({
      id: `dry-run-${category}`,
      name: PLAIN_STATUS[category],
      category,
      toStatus: PLAIN_STATUS[category],
      hasScreen: false,
      requiredFields: [],
    }));
  }

  private readonly statuses = new Map<string, string>();

  async doTransition(jiraId: string, transitionId: string): Promise<void> {
    const category = STATUS_CATEGORIES.find((c) => transitionId === `dry-run-${c}`);
    if (category) this.statuses.set(jiraId, PLAIN_STATUS[category]);
  }

  /** The status the dry run's last transition of the issue led to (its answers are never lost, so this is never asked). */
  async statusName(jiraId: string): Promise<string | null> {
    return this.statuses.get(jiraId) ?? null;
  }

  async upsertRemoteLink(): Promise<void> {}

  async addToProject(): Promise<void> {}
}

/** Sends no Productboard write: a dry run lists them from the plan. */
export class DryRunDelivery implements DeliveryWriter {
  async write(): Promise<WriteBackOutcome> {
    return { ok: true };
  }
}

/** Sends no connection write: a dry run lists them from the plan. */
export class DryRunConnections implements ConnectionWriter {
  async writeConnection(): Promise<ConnectionOutcome> {
    return { ok: true };
  }
}

/** Remembers the links a pass would record, in memory only. */
export class DryRunLinks implements LinkWriter, DeliveryLog, ConnectionLog {
  readonly created: CreatedLink[] = [];
  readonly pushed: PushedLink[] = [];

  recordIntents(): void {}

  recordStatusSynced(): void {}

  recordCreated(items: readonly CreatedLink[]): void {
    this.created.push(...items);
  }

  recordFailed(): void {}

  recordPushed(items: readonly PushedLink[]): void {
    this.pushed.push(...items);
  }

  recordUpdateFailed(): void {}

  recordMoveRefused(): void {}

  clearIntents(): void {}

  /** What a real pass would record as history; never written (history is of what happened). */
  readonly history: HistoryEntry[] = [];

  recordHistory(entries: readonly HistoryEntry[]): void {
    this.history.push(...entries);
  }

  recordDelivered(): void {}

  recordConnections(): void {}
}

/** Without a record of earlier runs every finding is new, and nothing is marked as told. */
export class DryRunFindings implements FindingsLog {
  record(current: readonly Finding[]): FindingChanges {
    return { fresh: [...current], resolved: [], open: [...current] };
  }

  markAlerted(): void {}
}

/** Records the alerts it would send; sends none. */
export class DryRunNotifier implements Notifier {
  readonly wouldSend: Alert[] = [];
  readonly unavailable: string | null;

  constructor(real: Notifier) {
    this.unavailable = real.unavailable;
  }

  async notify(alert: Alert): Promise<DeliveryOutcome> {
    this.wouldSend.push(alert);
    return { status: 'not-sent', reason: 'dry run: not sent' };
  }
}
