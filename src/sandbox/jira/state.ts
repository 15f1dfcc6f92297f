import { getOrCreate } from '../kit/maps.js';
import type { AdfDoc } from './adf.js';
import {
  INITIAL_STATUS_ID,
  issueTypeById,
  issueTypeByName,
  jiraTimestamp,
  parentLevelOk,
  statusById,
  statusOfCategory,
  type JiraIssueType,
  type StatusCategoryKey,
} from './catalog.js';

// In-memory Jira project. The HTTP layer validates requests and then calls insert/apply/remove; tests use the
// synchronous helpers (issues(), moveIssue(), ...) to inspect the result or act like a person in the Jira UI.

export interface RemoteLinkRec {
  id: number;
  globalId: string | null;
  application: Record<string, unknown> | null;
  relationship: string | null;
  object: Record<string, unknown>;
}

export interface IssueRec {
  id: string;
  num: number;
  key: string;
  issueTypeId: string;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  duedate: string | null;
  parentId: string | null;
  statusId: string;
  properties: Map<string, unknown>;
  remoteLinks: RemoteLinkRec[];
  created: number;
  updated: number;
  /** Last create/edit time; search/jql hides the issue until `searchLagMs` has passed since then. */
  indexedAt: number;
}

export interface IssueDraft {
  issueType: JiraIssueType;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  duedate: string | null;
  parentId: string | null;
  properties: Array<[string, unknown]>;
  statusId?: string;
}

export interface IssuePatch {
  issueTypeId?: string;
  summary?: string;
  description?: AdfDoc | null;
  labels?: string[];
  duedate?: string | null;
  /** undefined = unchanged, null = remove parent */
  parentId?: string | null;
  properties: Array<[string, unknown]>;
}

export interface JiraIssueView {
  id: string;
  key: string;
  issueType: { id: string; name: string; hierarchyLevel: number; subtask: boolean };
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  duedate: string | null;
  parentId: string | null;
  parentKey: string | null;
  status: { id: string; name: string; categoryKey: StatusCategoryKey };
  properties: Record<string, unknown>;
  remoteLinks: RemoteLinkRec[];
  created: string;
  updated: string;
}

export interface CreateIssueInput {
  issueType: string;
  summary: string;
  labels?: string[];
  parent?: string | null;
  description?: AdfDoc | null;
  properties?: Record<string, unknown>;
  status?: StatusCategoryKey;
}

export interface JiraProjectInfo {
  id: string;
  key: string;
  name: string;
}

export class JiraState {
  readonly project: JiraProjectInfo;
  private readonly byId = new Map<string, IssueRec>();
  private readonly byKey = new Map<string, string>();
  private readonly childIds = new Map<string, Set<string>>();
  private nextNum = 1;
  private nextId = 10000;
  private nextLinkId = 10000;
  private sortedCache: IssueRec[] | undefined;

  /**
   * Create-screen rules, like a field an admin made required for some issues: each returns field
   * errors for a draft it refuses, or null. Lets tests provoke Jira's per-item bulk-create failures.
   */
  readonly createRules: Array<(draft: { summary: string; issueTypeName: string }) => Record<string, string> | null> = [];

  constructor(projectKey: string) {
    this.project = { id: '10020', key: projectKey, name: `${projectKey} delivery (sandbox)` };
  }

  // ---- test-facing ----

  issues(): JiraIssueView[] {
    return this.sorted().map((r) => this.view(r));
  }

  getIssue(idOrKey: string): JiraIssueView | undefined {
    const r = this.find(idOrKey);
    return r ? this.view(r) : undefined;
  }

  /**
   * Lets time pass for every issue (created, updated and indexed that much earlier), so tests can
   * show what a later scheduled pass reads without waiting for JQL's minute-grained relative dates.
   */
  age(ms: number): void {
    for (const r of this.byId.values()) {
      r.updated -= ms;
      r.indexedAt -= ms;
    }
  }

  /** Deletes like the UI does: sub-tasks go with their parent; children of an epic lose their parent. */
  deleteIssue(idOrKey: string): void {
    this.remove(this.must(idOrKey), Date.now());
  }

  /** Re-parents like a person in the UI (who cannot break the hierarchy). */
  moveIssue(idOrKey: string, newParentIdOrKey: string | null): void {
    const r = this.must(idOrKey);
    const type = this.typeOf(r);
    if (newParentIdOrKey === null) {
      if (type.hierarchyLevel === -1) throw new Error('A sub-task must have a parent.');
      this.apply(r, { parentId: null, properties: [] }, Date.now());
      return;
    }
    const p = this.must(newParentIdOrKey);
    if (!parentLevelOk(type, this.typeOf(p))) throw new Error(`${p.key} cannot be the parent of ${r.key} (hierarchy).`);
    this.apply(r, { parentId: p.id, properties: [] }, Date.now());
  }

  setSummary(idOrKey: string, summary: string): void {
    this.edit(idOrKey, { summary });
  }

  setLabels(idOrKey: string, labels: string[]): void {
    this.edit(idOrKey, { labels });
  }

  setDescription(idOrKey: string, description: AdfDoc | null): void {
    this.edit(idOrKey, { description });
  }

  setProperty(idOrKey: string, key: string, value: unknown): void {
    this.must(idOrKey).properties.set(key, structuredClone(value));
  }

  setStatusByCategory(idOrKey: string, category: StatusCategoryKey): void {
    const status = statusOfCategory(category);
    if (!status) throw new Error(`Unknown status category ${category}`);
    this.transition(this.must(idOrKey), status.id, Date.now());
  }

  /** Creates an issue directly (e.g. one a person made by hand before the first sync). */
  createIssue(input: CreateIssueInput): JiraIssueView {
    const issueType = issueTypeByName(input.issueType) ?? issueTypeById(input.issueType);
    if (!issueType) throw new Error(`Unknown issue type ${input.issueType}`);
    let parentId: string | null = null;
    if (input.parent) {
      const p = this.must(input.parent);
      if (!parentLevelOk(issueType, this.typeOf(p))) throw new Error(`${p.key} cannot be the parent of a ${issueType.name}.`);
      parentId = p.id;
    } else if (issueType.hierarchyLevel === -1) {
      throw new Error('A sub-task must have a parent.');
    }
    const draft: IssueDraft = {
      issueType,
      summary: input.summary,
      description: input.description ?? null,
      labels: normaliseLabels(input.labels ?? []),
      duedate: null,
      parentId,
      properties: Object.entries(input.properties ?? {}),
    };
    const status = input.status ? statusOfCategory(input.status) : undefined;
    if (status) draft.statusId = status.id;
    return this.view(this.insert(draft, Date.now()));
  }

  // ---- HTTP layer ----

  /** True when `ref` names the sandbox project, by key (any case) or id. */
  isProject(ref: string): boolean {
    return ref.toUpperCase() === this.project.key.toUpperCase() || ref === this.project.id;
  }

  find(idOrKey: string): IssueRec | undefined {
    if (/^\d+$/.test(idOrKey)) return this.byId.get(idOrKey);
    // Jira matches issue keys case-insensitively.
    const id = this.byKey.get(idOrKey.toUpperCase());
    return id ? this.byId.get(id) : undefined;
  }

  typeOf(r: IssueRec): JiraIssueType {
    return issueTypeById(r.issueTypeId) as JiraIssueType;
  }

  childrenOf(id: string): IssueRec[] {
    return [...(this.childIds.get(id) ?? [])].map((c) => this.byId.get(c)).filter((c): c is IssueRec => c !== undefined);
  }

  /** All issues in ascending id order. */
  sorted(): IssueRec[] {
    this.sortedCache ??= [...this.byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
    return this.sortedCache;
  }

  allocateLinkId(): number {
    return this.nextLinkId++;
  }

  insert(d: IssueDraft, now: number): IssueRec {
    const num = this.nextNum++;
    const rec: IssueRec = {
      id: String(this.nextId++),
      num,
      key: `${this.project.key}-${num}`,
      issueTypeId: d.issueType.id,
      summary: d.summary,
      description: d.description ? structuredClone(d.description) : null,
      labels: normaliseLabels(d.labels),
      duedate: d.duedate,
      parentId: d.parentId,
      statusId: d.statusId ?? INITIAL_STATUS_ID,
      properties: new Map(d.properties.map(([k, v]) => [k, structuredClone(v)])),
      remoteLinks: [],
      created: now,
      updated: now,
      indexedAt: now,
    };
    this.byId.set(rec.id, rec);
    this.byKey.set(rec.key.toUpperCase(), rec.id);
    if (rec.parentId) this.childSet(rec.parentId).add(rec.id);
    this.sortedCache = undefined;
    return rec;
  }

  /** Applies a validated patch. `updated` only moves when a field value really changed, as in Jira. */
  apply(r: IssueRec, p: IssuePatch, now: number): void {
    let changed = false;
    if (p.issueTypeId !== undefined && p.issueTypeId !== r.issueTypeId) {
      r.issueTypeId = p.issueTypeId;
      changed = true;
    }
    if (p.summary !== undefined && p.summary !== r.summary) {
      r.summary = p.summary;
      changed = true;
    }
    if (p.description !== undefined && JSON.stringify(p.description) !== JSON.stringify(r.description)) {
      r.description = p.description ? structuredClone(p.description) : null;
      changed = true;
    }
    if (p.labels !== undefined) {
      const next = normaliseLabels(p.labels);
      if (next.join('\u0000') !== r.labels.join('\u0000')) {
        r.labels = next;
        changed = true;
      }
    }
    if (p.duedate !== undefined && p.duedate !== r.duedate) {
      r.duedate = p.duedate;
      changed = true;
    }
    if (p.parentId !== undefined && p.parentId !== r.parentId) {
      if (r.parentId) this.childIds.get(r.parentId)?.delete(r.id);
      r.parentId = p.parentId;
      if (p.parentId) this.childSet(p.parentId).add(r.id);
      changed = true;
    }
    for (const [k, v] of p.properties) r.properties.set(k, structuredClone(v));
    if (changed) {
      r.updated = now;
      r.indexedAt = now;
    }
  }

  transition(r: IssueRec, statusId: string, now: number): void {
    if (r.statusId === statusId) return;
    r.statusId = statusId;
    r.updated = now;
    r.indexedAt = now;
  }

  remove(r: IssueRec, now: number): void {
    for (const child of this.childrenOf(r.id)) {
      if (this.typeOf(child).hierarchyLevel === -1) this.remove(child, now);
      else this.apply(child, { parentId: null, properties: [] }, now);
    }
    if (r.parentId) this.childIds.get(r.parentId)?.delete(r.id);
    this.childIds.delete(r.id);
    this.byId.delete(r.id);
    this.byKey.delete(r.key.toUpperCase());
    this.sortedCache = undefined;
  }

  view(r: IssueRec): JiraIssueView {
    const t = this.typeOf(r);
    const s = statusById(r.statusId);
    const parent = r.parentId ? this.byId.get(r.parentId) : undefined;
    return {
      id: r.id,
      key: r.key,
      issueType: { id: t.id, name: t.name, hierarchyLevel: t.hierarchyLevel, subtask: t.subtask },
      summary: r.summary,
      description: r.description ? structuredClone(r.description) : null,
      labels: [...r.labels],
      duedate: r.duedate,
      parentId: r.parentId,
      parentKey: parent?.key ?? null,
      status: { id: s.id, name: s.name, categoryKey: s.category },
      properties: Object.fromEntries([...r.properties].map(([k, v]) => [k, structuredClone(v)])),
      remoteLinks: r.remoteLinks.map((l) => structuredClone(l)),
      created: jiraTimestamp(r.created),
      updated: jiraTimestamp(r.updated),
    };
  }

  private must(idOrKey: string): IssueRec {
    const r = this.find(idOrKey);
    if (!r) throw new Error(`No Jira issue ${idOrKey}`);
    return r;
  }

  private edit(idOrKey: string, patch: Omit<IssuePatch, 'properties'>): void {
    this.apply(this.must(idOrKey), { ...patch, properties: [] }, Date.now());
  }

  private childSet(id: string): Set<string> {
    return getOrCreate(this.childIds, id, () => new Set<string>());
  }
}

/** Jira keeps labels as a set and returns them sorted. */
export function normaliseLabels(labels: string[]): string[] {
  return [...new Set(labels)].sort();
}
