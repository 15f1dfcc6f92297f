import { getOrCreate } from '../kit/maps.js';
import type { AdfDoc } from './adf.js';
import { parentLevelOk, type JiraIssueType, type StatusCategoryKey } from './catalog.js';
import { JiraDirectory, type ComponentRec, type UserRec, type VersionRec } from './directory.js';
import { FLAGGED } from './field-defs.js';
import { parseValue, type ValueField } from './field-values.js';
import { viewOf } from './issue-view.js';
import { IssueLinks } from './links.js';
import {
  DEFAULT_BEHAVIOUR,
  type ComponentSpec,
  type JiraBehaviour,
  type JiraSandboxOptions,
  type UserSpec,
  type VersionSpec,
} from './options.js';
import { normaliseLabels, type CreateIssueInput, type IssueDraft, type IssuePatch, type IssueRec, type JiraIssueView } from './records.js';
import { JiraSite } from './site.js';

export type { CreateIssueInput, IssueDraft, IssueLinkView, IssuePatch, IssueRec, JiraIssueView, RemoteLinkRec } from './records.js';
export { normaliseLabels } from './records.js';

// In-memory Jira project on a configured site. The HTTP layer validates requests and then calls insert/apply/remove;
// tests use the synchronous helpers (issues(), moveIssue(), flag(), linkIssues(), ...) to inspect the result or act like
// a person in the Jira UI, who never breaks the hierarchy, the workflow or a field's type.

export interface JiraProjectInfo {
  id: string;
  key: string;
  name: string;
}

export class JiraState {
  readonly project: JiraProjectInfo;
  readonly site: JiraSite;
  /** Components, versions and users. */
  readonly directory = new JiraDirectory();
  readonly links = new IssueLinks();
  /** Project entity properties (PUT /rest/api/3/project/{key}/properties/{propertyKey}). */
  readonly projectProperties = new Map<string, unknown>();
  /** Live: tests may change it while the sandbox runs. */
  readonly behaviour: JiraBehaviour;
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

  constructor(projectKey: string, options: JiraSandboxOptions = {}) {
    this.project = { id: '10020', key: projectKey, name: `${projectKey} delivery (sandbox)` };
    this.site = new JiraSite(options);
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
    for (const c of options.components ?? []) this.addComponent(c);
    for (const v of options.versions ?? []) this.addVersion(v);
    for (const u of options.users ?? []) this.addUser(u);
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
      r.created -= ms;
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

  /** Moves the issue to the first status of that category in its workflow (an admin can reach any status). */
  setStatusByCategory(idOrKey: string, category: StatusCategoryKey): void {
    const r = this.must(idOrKey);
    const status = this.workflowStatuses(r).find((s) => s.category === category);
    if (!status) throw new Error(`The workflow of ${r.key} has no status in category ${category}`);
    this.transition(r, status.id, Date.now());
  }

  /** Moves the issue to a status of its workflow by name (e.g. 'Blocked'). */
  setStatus(idOrKey: string, statusName: string): void {
    const r = this.must(idOrKey);
    const status = this.workflowStatuses(r).find((s) => s.name.toLowerCase() === statusName.toLowerCase());
    if (!status) throw new Error(`The workflow of ${r.key} has no status '${statusName}'`);
    this.transition(r, status.id, Date.now());
  }

  /**
   * Sets a field other than the core ones (priority, components, fixVersions, assignee, resolution or a custom field, by
   * id or name) with a REST-shaped value: `{ name: 'High' }`, `[{ name: 'Backend' }]`, `{ accountId }`, `5`, null.
   * Screens do not apply (a person edits on the issue view), field types do: a bad value throws Jira's message.
   */
  setField(idOrKey: string, fieldRef: string, value: unknown): void {
    const r = this.must(idOrKey);
    const f = this.valueField(fieldRef);
    const errs = { errorMessages: [], errors: {} as Record<string, string> };
    const parsed = parseValue(f, value, this, errs);
    if (parsed === undefined) throw new Error(`${f.name}: ${Object.values(errs.errors).join('; ')}`);
    this.apply(r, { values: new Map([[f.id, parsed]]), properties: [] }, Date.now());
  }

  /** Flags the issue as an impediment (Jira Software's "Add flag"), or removes the flag. */
  flag(idOrKey: string, flagged = true): void {
    this.setField(idOrKey, FLAGGED.id, flagged ? [{ value: 'Impediment' }] : null);
  }

  /** Links two issues: `linkIssues('Blocks', 'PBJ-1', 'PBJ-2')` reads "PBJ-1 blocks PBJ-2". */
  linkIssues(typeName: string, fromIdOrKey: string, toIdOrKey: string): string {
    const type = this.site.linkTypes.find((t) => t.name.toLowerCase() === typeName.toLowerCase());
    if (!type) throw new Error(`Unknown issue link type ${typeName}`);
    const from = this.must(fromIdOrKey);
    const to = this.must(toIdOrKey);
    if (from.id === to.id) throw new Error('An issue cannot be linked to itself.');
    return this.links.add(type.id, from.id, to.id).id;
  }

  addComponent(spec: string | ComponentSpec): ComponentRec {
    return { ...this.directory.addComponent(typeof spec === 'string' ? { name: spec } : spec) };
  }

  addVersion(spec: string | VersionSpec): VersionRec {
    return { ...this.directory.addVersion(typeof spec === 'string' ? { name: spec } : spec) };
  }

  addUser(spec: UserSpec): UserRec {
    return { ...this.directory.addUser(spec) };
  }

  /** Creates an issue directly (e.g. one a person made by hand before the first sync). */
  createIssue(input: CreateIssueInput): JiraIssueView {
    const issueType = this.site.typeByName(input.issueType) ?? this.site.typeById(input.issueType);
    if (!issueType) throw new Error(`Unknown issue type ${input.issueType}`);
    let parentId: string | null = null;
    if (input.parent) {
      const p = this.must(input.parent);
      if (!parentLevelOk(issueType, this.typeOf(p))) throw new Error(`${p.key} cannot be the parent of a ${issueType.name}.`);
      parentId = p.id;
    } else if (issueType.hierarchyLevel === -1) {
      throw new Error('A sub-task must have a parent.');
    }
    const values = new Map<string, unknown>([['priority', this.site.defaultPriorityId]]);
    for (const [ref, raw] of Object.entries(input.fields ?? {})) {
      const f = this.valueField(ref);
      const errs = { errorMessages: [], errors: {} as Record<string, string> };
      const parsed = parseValue(f, raw, this, errs);
      if (parsed === undefined) throw new Error(`${f.name}: ${Object.values(errs.errors).join('; ')}`);
      if (parsed !== null) values.set(f.id, parsed);
    }
    const draft: IssueDraft = {
      issueType,
      summary: input.summary,
      description: input.description ?? null,
      labels: normaliseLabels(input.labels ?? []),
      duedate: null,
      parentId,
      properties: Object.entries(input.properties ?? {}),
      values,
    };
    const status = input.status
      ? this.site.statuses.find((s) => s.category === input.status && this.site.workflowOf(issueType.id).statusIds.includes(s.id))
      : undefined;
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
    return this.site.typeById(r.issueTypeId) as JiraIssueType;
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
      statusId: d.statusId ?? this.site.workflowOf(d.issueType.id).initialStatusId,
      values: new Map([...(d.values ?? [])].map(([k, v]) => [k, structuredClone(v)])),
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
    for (const [k, v] of p.values ?? []) {
      if (JSON.stringify(v ?? null) === JSON.stringify(r.values.get(k) ?? null)) continue;
      if (v === null) r.values.delete(k);
      else r.values.set(k, structuredClone(v));
      changed = true;
    }
    for (const [k, v] of p.properties) r.properties.set(k, structuredClone(v));
    if (changed) {
      r.updated = now;
      r.indexedAt = now;
    }
  }

  /** Moves to a status. Leaving the done category clears the resolution, as a company-managed workflow's reopen does. */
  transition(r: IssueRec, statusId: string, now: number): void {
    if (r.statusId === statusId) return;
    r.statusId = statusId;
    if (this.site.statusById(statusId).category !== 'done') r.values.delete('resolution');
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
    this.links.forget(r.id);
    this.byId.delete(r.id);
    this.byKey.delete(r.key.toUpperCase());
    this.sortedCache = undefined;
  }

  view(r: IssueRec): JiraIssueView {
    return viewOf(this, r);
  }

  private workflowStatuses(r: IssueRec): Array<{ id: string; name: string; category: StatusCategoryKey }> {
    return this.site.workflowOf(r.issueTypeId).statusIds.map((id) => this.site.statusById(id));
  }

  private valueField(ref: string): ValueField {
    const f = this.site.field(ref);
    if (!f?.value) throw new Error(`'${ref}' is not a field setField can set (use the core setters for summary, labels, ...).`);
    return f as ValueField;
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
