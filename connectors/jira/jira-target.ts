import { SyncError, isSyncError } from '../../src/errors.js';
import { parseResponse } from '../../src/http/parse-response.js';
import { formatPath } from '../../src/util/problems.js';
import type { PolicyJiraClient } from './client.js';
import {
  allowedValuesOf,
  bulkFetchSchema,
  createMetaPageSchema,
  createdIssuesSchema,
  entityPropertySchema,
  errorCollectionSchema,
  issueStatusSchema,
  errorCollectionText,
  projectSchema,
  searchResultsSchema,
  namedListSchema,
  siteFieldsSchema,
  usersSchema,
  transitionsSchema,
  writerRecordSchema,
  type FieldMetadata,
  type IssueBean,
  type IssueLinkBean,
} from './schemas.js';
import { mappedValueOf } from './jira-values.js';
import { parseStamp } from './stamp.js';
import type { ProjectAddition } from '../../src/model/desired.js';
import type { ObservedIssue } from '../../src/model/observed.js';
import type { JiraFieldValue, MappedValue } from '../../src/model/field-value.js';
import type {
  CreateOutcome,
  EditOutcome,
  IssueDraft,
  IssueEdit,
  JiraReader,
  JiraUser,
  JiraWriter,
  ManagedSearch,
  ProjectCatalog,
  ScreenField,
  SiteField,
  TransitionOption,
  WriterRecord,
  WriterRecordInspector,
  WriterRecordReading,
  WriterRecordStore,
} from '../../src/model/ports.js';
import { isStatusCategory } from '../../src/model/status.js';
import { MANAGED_LABEL, STAMP_PROPERTY_KEY, itemLabel, pbIdFromLabels, remoteLinkGlobalId } from '../../src/model/stamp.js';

/** The hierarchy, plus what the delivery report shows of an issue's life (created, updated, links, the Flagged field). */
const SEARCH_FIELDS = ['summary', 'labels', 'duedate', 'issuetype', 'parent', 'status', 'created', 'updated', 'issuelinks'];
/** Jira Cloud's usual id of Jira Software's "Flagged" field (GET /rest/api/3/field lists a site's own). */
export const DEFAULT_FLAGGED_FIELD = 'customfield_10021';
/** Users an email search may answer with (it also matches display names and other emails by prefix). */
const USER_MATCHES = 20;
/** Jira returns fewer than asked when fields are requested; 100 is the usual ceiling then. */
const SEARCH_PAGE = 100;
/** search/jql accepts at most 50 ids in reconcileIssues (docs/vendor-notes.md §2). */
const RECONCILE_MAX = 50;
const BULK_FETCH_MAX = 100;
const LABELS_PER_QUERY = 50;
/** Issues per key range when reading all managed issues in parallel (20 pages of 100). */
const PARTITION_SIZE = 2000;
/** Pages of one search before it is taken for a server that never ends (a million issues). */
const MAX_SEARCH_PAGES = 10_000;
/** The largest page the create metadata operations serve (their `maxResults` maximum). */
const CREATEMETA_PAGE = 200;
/** Pages of one create screen before it is taken for a server that never ends (no screen has 10,000 fields). */
const MAX_CREATEMETA_PAGES = 50;
/** The project property holding the writer record: the Jira-side lease (src/engine/jira-lease.ts). */
export const WRITER_PROPERTY_KEY = 'pb-jira-sync.writer';

const pagingError = (what: string): SyncError =>
  new SyncError('invalid-response', `Jira search ${what}; stopped reading instead of paging forever`, {
    service: 'jira',
    endpoint: 'POST /rest/api/3/search/jql',
  });

/** A custom field has a value: not null, not an empty list (the Flagged field holds `[{ value: 'Impediment' }]`). */
const hasValue = (value: unknown): boolean => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);

/**
 * The issue at the other end of an "is blocked by" link, unless it is done. Jira lists a link on
 * each of its issues: this issue is blocked when the other end is its `inwardIssue` and the type
 * reads inward as "is blocked by" (https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/).
 */
const blockerKey = (link: IssueLinkBean): string[] => {
  const blocker = link.inwardIssue;
  if (!blocker || !/blocked by/i.test(link.type?.inward ?? '')) return [];
  return blocker.fields?.status?.statusCategory?.key === 'done' ? [] : [blocker.key];
};

const quote = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** Jira Cloud v3 through jira.js: reads the managed tree and writes issues, one request at a time. */
export class JiraTarget implements JiraReader, JiraWriter, WriterRecordStore, WriterRecordInspector {
  private catalog: ProjectCatalog | undefined;

  constructor(
    private readonly client: PolicyJiraClient,
    private readonly projectKey: string,
    private readonly limits: { maxSearchPages: number } = { maxSearchPages: MAX_SEARCH_PAGES },
    private readonly flaggedField: string = DEFAULT_FLAGGED_FIELD,
  ) {}

  /** What a search or bulk fetch asks for of each issue. */
  private get fields(): string[] {
    return [...SEARCH_FIELDS, this.flaggedField];
  }

  async project(): Promise<ProjectCatalog> {
    if (this.catalog) return this.catalog;
    let raw: unknown;
    try {
      raw = await this.client.projects.getProject<unknown>({ projectIdOrKey: this.projectKey, expand: 'issueTypes' });
    } catch (error) {
      if (isSyncError(error) && error.kind === 'not-found') {
        throw new SyncError(
          'config',
          `Jira project "${this.projectKey}" does not exist or is not visible to this account (jira.project / JIRA_PROJECT)`,
          {
            service: 'jira',
            endpoint: 'GET /rest/api/3/project/{key}',
            cause: error,
          },
        );
      }
      throw error;
    }
    const project = parseResponse(projectSchema, raw, 'jira', 'GET /rest/api/3/project/{key}');
    this.catalog = {
      id: project.id,
      key: project.key,
      issueTypes: (project.issueTypes ?? []).map((t) => ({ id: t.id, name: t.name, level: t.hierarchyLevel ?? (t.subtask ? -1 : 0) })),
    };
    return this.catalog;
  }

  /**
   * The create screen of one issue type: every page of its create metadata (the operation pages by
   * `startAt`, at most 200 fields a page).
   */
  async createFields(issueTypeId: string): Promise<ScreenField[]> {
    const endpoint = 'GET /rest/api/3/issue/createmeta/{key}/issuetypes/{id}';
    const fields: ScreenField[] = [];
    for (let page = 0; ; page++) {
      if (page >= MAX_CREATEMETA_PAGES)
        throw new SyncError('invalid-response', `the create metadata has more than ${MAX_CREATEMETA_PAGES} pages; stopped reading`, {
          service: 'jira',
          endpoint,
        });
      const raw = await this.client.issues.getCreateIssueMetaIssueTypeId<unknown>({
        projectIdOrKey: this.projectKey,
        issueTypeId,
        startAt: fields.length,
        maxResults: CREATEMETA_PAGE,
      });
      const parsed = parseResponse(createMetaPageSchema, raw, 'jira', endpoint);
      for (const field of parsed.fields) {
        const id = field.fieldId ?? field.key;
        if (id) fields.push(screenField(id, field));
      }
      // The last page: empty, or the total reached (a page may be shorter than asked without being the last).
      if (parsed.fields.length === 0 || parsed.total === undefined || fields.length >= parsed.total) break;
    }
    return fields;
  }

  /**
   * Every managed issue. search/jql pages are chained by nextPageToken, so one query over 16,000
   * issues is 160 round trips in a row; split by issue-key ranges (Jira compares one project's
   * keys by number) the pages of each range run side by side. `knownKeys` (from the ledger) only
   * places the boundaries: the first and last ranges are open, so nothing can fall between them.
   */
  async searchManaged(search: ManagedSearch = {}): Promise<ObservedIssue[]> {
    const { reconcileIds = [], knownKeys = [], updatedWithinMinutes, fields = [] } = search;
    // Relative JQL dates are computed by Jira itself: no clock skew between us and the site.
    const since = updatedWithinMinutes !== undefined ? ` AND updated >= "-${Math.ceil(updatedWithinMinutes)}m"` : '';
    const base = `project = ${quote(this.projectKey)} AND labels = ${quote(MANAGED_LABEL)}${since}`;
    const numbers = knownKeys
      .map((k) => Number(/-(\d+)$/.exec(k)?.[1]))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const bounds: number[] = [];
    for (let i = PARTITION_SIZE; i < numbers.length; i += PARTITION_SIZE) bounds.push(numbers[i]!);
    const ranges = [undefined, ...bounds].map((from, i) => ({ from, to: bounds[i] }));
    const key = (n: number) => quote(`${this.projectKey}-${n}`);
    let pages: ObservedIssue[][];
    try {
      pages = await Promise.all(
        ranges.map(({ from, to }) => {
          const clauses = [
            base,
            ...(from !== undefined ? [`issuekey >= ${key(from)}`] : []),
            ...(to !== undefined ? [`issuekey < ${key(to)}`] : []),
          ];
          return this.search(`${clauses.join(' AND ')} ORDER BY key ASC`, reconcileIds, fields);
        }),
      );
    } catch (error) {
      // A boundary key deleted since it was recorded may be refused by Jira (400): the ranges are
      // only an optimisation, so read in one query instead.
      if (ranges.length === 1 || !isSyncError(error) || error.status !== 400) throw error;
      pages = [await this.search(`${base} ORDER BY key ASC`, reconcileIds, fields)];
    }
    const seen = new Set<string>();
    return pages.flat().filter((issue) => !seen.has(issue.id) && Boolean(seen.add(issue.id)));
  }

  async findByPbIds(pbIds: readonly string[], fields: readonly string[] = []): Promise<ObservedIssue[]> {
    const found: ObservedIssue[] = [];
    for (let i = 0; i < pbIds.length; i += LABELS_PER_QUERY) {
      const labels = pbIds.slice(i, i + LABELS_PER_QUERY).map((id) => quote(itemLabel(id)));
      const jql = `project = ${quote(this.projectKey)} AND labels in (${labels.join(', ')}) ORDER BY key ASC`;
      found.push(...(await this.search(jql, [], fields)));
    }
    return found;
  }

  async fetchByIds(ids: readonly string[], fields: readonly string[] = []): Promise<ObservedIssue[]> {
    const found: ObservedIssue[] = [];
    for (let i = 0; i < ids.length; i += BULK_FETCH_MAX) {
      const raw = await this.client.issues.bulkFetchIssues<unknown>({
        issueIdsOrKeys: ids.slice(i, i + BULK_FETCH_MAX) as string[],
        fields: [...this.fields, ...fields],
        properties: [STAMP_PROPERTY_KEY],
      });
      const page = parseResponse(bulkFetchSchema, raw, 'jira', 'POST /rest/api/3/issue/bulkfetch');
      found.push(...page.issues.map((bean) => this.toObserved(bean, fields)));
    }
    return found;
  }

  /**
   * Every issue of these types without a parent, managed or not: the project-wide hierarchy policy
   * (a Story someone created without an Epic breaks it as much as one the sync created).
   */
  async withoutParent(issueTypeIds: readonly string[]): Promise<ObservedIssue[]> {
    if (!issueTypeIds.length) return [];
    const types = issueTypeIds.map(quote).join(', ');
    return this.search(`project = ${quote(this.projectKey)} AND issuetype in (${types}) AND parent is EMPTY ORDER BY key ASC`, [], []);
  }

  async projectOptions(): Promise<{ components: string[]; versions: string[] }> {
    const [components, versions] = await Promise.all([
      this.client.projectComponents.getProjectComponents<unknown>({ projectIdOrKey: this.projectKey }),
      this.client.projectVersions.getProjectVersions<unknown>({ projectIdOrKey: this.projectKey }),
    ]);
    return {
      components: parseResponse(namedListSchema, components, 'jira', 'GET /rest/api/3/project/{key}/components').map((c) => c.name),
      versions: parseResponse(namedListSchema, versions, 'jira', 'GET /rest/api/3/project/{key}/versions').map((v) => v.name),
    };
  }

  /** Every field of the site, system and custom: how a mapping names them and what values they take. */
  async siteFields(): Promise<SiteField[]> {
    const raw = await this.client.issueFields.getFields<unknown>();
    return parseResponse(siteFieldsSchema, raw, 'jira', 'GET /rest/api/3/field').map((f) => ({
      id: f.id,
      name: f.name ?? f.id,
      type: f.schema?.type ?? 'any',
      ...(f.schema?.items ? { items: f.schema.items } : {}),
      ...(f.schema?.custom ? { custom: f.schema.custom } : {}),
    }));
  }

  /**
   * The active user with exactly this email. User search matches the query as a prefix of names and
   * emails, so only an exact match (whatever its case) counts; a person who hides their email
   * (profile visibility) cannot be found by it.
   */
  async userByEmail(email: string): Promise<JiraUser | null> {
    const raw = await this.client.userSearch.findUsers<unknown>({ query: email, maxResults: USER_MATCHES });
    const users = parseResponse(usersSchema, raw, 'jira', 'GET /rest/api/3/user/search');
    const wanted = email.trim().toLowerCase();
    const matches = users.filter((u) => u.active !== false && u.emailAddress?.toLowerCase() === wanted);
    return matches.length === 1 ? { accountId: matches[0]!.accountId, displayName: matches[0]!.displayName ?? email } : null;
  }

  async addToProject(addition: ProjectAddition): Promise<void> {
    if (addition.kind === 'component')
      await this.client.projectComponents.createComponent({ name: addition.name, project: this.projectKey });
    else {
      const project = await this.project();
      await this.client.projectVersions.createVersion({ name: addition.name, projectId: Number(project.id) });
    }
  }

  private async search(jql: string, reconcileIds: readonly string[], fields: readonly string[]): Promise<ObservedIssue[]> {
    const found: ObservedIssue[] = [];
    // Keep the same reconcile list on every page, as the API asks (docs/vendor-notes.md §2).
    const reconcileIssues = reconcileIds.slice(-RECONCILE_MAX).map(Number).filter(Number.isFinite);
    let nextPageToken: string | undefined;
    // A server that hands back a token it already gave (or pages forever) must not keep a pass
    // running at the lane's full rate: a repeated token or too many pages end the read.
    const tokens = new Set<string>();
    do {
      if (nextPageToken !== undefined) {
        if (tokens.has(nextPageToken)) throw pagingError(`returned a nextPageToken it had already returned (page ${tokens.size + 1})`);
        if (tokens.size + 1 >= this.limits.maxSearchPages)
          throw pagingError(`returned more than ${this.limits.maxSearchPages} pages for one query`);
        tokens.add(nextPageToken);
      }
      const raw = await this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost<unknown>({
        jql,
        fields: [...this.fields, ...fields],
        properties: [STAMP_PROPERTY_KEY],
        maxResults: SEARCH_PAGE,
        ...(nextPageToken ? { nextPageToken } : {}),
        ...(reconcileIssues.length ? { reconcileIssues } : {}),
      });
      const page = parseResponse(searchResultsSchema, raw, 'jira', 'POST /rest/api/3/search/jql');
      for (const bean of page.issues) found.push(this.toObserved(bean, fields));
      nextPageToken = page.nextPageToken ?? undefined;
    } while (nextPageToken);
    return found;
  }

  private toObserved(bean: IssueBean, read: readonly string[] = []): ObservedIssue {
    const fields = bean.fields;
    const stamp = parseStamp(bean.properties?.[STAMP_PROPERTY_KEY]);
    const labels = fields.labels ?? [];
    const issueType = fields.issuetype;
    const known = this.catalog?.issueTypes.find((t) => t.id === issueType?.id);
    const category = fields.status?.statusCategory?.key;
    const parentType = fields.parent?.fields?.issuetype;
    return {
      id: bean.id,
      key: bean.key,
      pbId: stamp?.pbId ?? pbIdFromLabels(labels),
      issueTypeId: issueType?.id ?? null,
      issueTypeName: issueType?.name ?? '',
      level: issueType?.hierarchyLevel ?? known?.level ?? (issueType?.subtask ? -1 : 0),
      parentId: fields.parent?.id ?? null,
      parentKey: fields.parent?.key ?? null,
      parentLevel: parentType
        ? (parentType.hierarchyLevel ?? this.catalog?.issueTypes.find((t) => t.id === parentType.id)?.level ?? null)
        : null,
      parentTypeName: parentType?.name ?? null,
      summary: fields.summary ?? '',
      labels,
      dueDate: fields.duedate ?? null,
      statusCategory: isStatusCategory(category) ? category : null,
      statusName: fields.status?.name ?? null,
      stamp,
      activity: {
        statusName: fields.status?.name ?? null,
        created: fields.created ?? null,
        updated: fields.updated ?? null,
        flagged: hasValue(fields[this.flaggedField]),
        blockedBy: (fields.issuelinks ?? []).flatMap(blockerKey),
      },
      ...(read.length ? { fields: Object.fromEntries(read.map((id): [string, MappedValue] => [id, mappedValueOf(fields[id])])) } : {}),
    };
  }

  async bulkCreate(drafts: readonly IssueDraft[]): Promise<CreateOutcome[]> {
    if (drafts.length === 0) return [];
    const project = await this.project();
    const issueUpdates = drafts.map((draft) => ({
      fields: {
        // The mapping's `jira.fields` by field id (a required Epic Name...); the fields the sync owns win.
        ...draft.fields,
        project: { id: project.id },
        issuetype: { id: draft.issueTypeId },
        summary: draft.summary,
        labels: draft.labels,
        ...(draft.description ? { description: draft.description } : {}),
        ...(draft.dueDate ? { duedate: draft.dueDate } : {}),
        ...(draft.parentJiraId ? { parent: { id: draft.parentJiraId } } : {}),
      },
      // A create may take its new issue out of the initial status in the same call.
      ...(draft.transitionId ? { transition: { id: draft.transitionId } } : {}),
      // Set atomically with the issue: an issue can never exist without its stamp.
      properties: [{ key: STAMP_PROPERTY_KEY, value: draft.stamp }],
    }));
    let raw: unknown;
    try {
      raw = await this.client.issues.createIssues<unknown>({ issueUpdates } as never);
    } catch (error) {
      if (isSyncError(error) && error.kind === 'ambiguous')
        return drafts.map((d) => ({ pbId: d.pbId, ok: false, error: error.message, ambiguous: true }));
      // Jira answers 400 with the per-item errors when every item failed.
      const body = isSyncError(error) && error.status === 400 ? (error.cause as { body?: unknown } | undefined)?.body : undefined;
      const parsed = body === undefined ? undefined : createdIssuesSchema.safeParse(body);
      if (!parsed?.success) throw error;
      raw = parsed.data;
    }
    const result = parseResponse(createdIssuesSchema, raw, 'jira', 'POST /rest/api/3/issue/bulk');
    const failed = new Map(result.errors.map((e) => [e.failedElementNumber, errorCollectionText(e.elementErrors)]));
    // A CreatedIssue names no request item, and the documentation promises no order (docs/vendor-notes.md §3):
    // the created issues' stamps say which item each one is, read back in one bulk fetch.
    const stamped = result.issues.length ? await this.createdByStamp(result.issues.map((i) => i.id)) : new Map<string, ObservedIssue>();
    const transitionOf = new Map(result.issues.map((i) => [i.id, i.transition]));
    return drafts.map((draft, index): CreateOutcome => {
      const error = failed.get(index);
      if (error !== undefined) return { pbId: draft.pbId, ok: false, error, ambiguous: false };
      if (stamped === undefined)
        return { pbId: draft.pbId, ok: false, error: 'created, but the new issues could not be read back', ambiguous: true };
      const created = stamped.get(draft.pbId);
      if (!created) return { pbId: draft.pbId, ok: false, error: 'Jira did not report this item', ambiguous: true };
      const transition = transitionOf.get(created.id);
      const refused = transition && (transition.status ?? 200) >= 300 ? errorCollectionText(transition.errorCollection) : undefined;
      return {
        pbId: draft.pbId,
        ok: true,
        jiraId: created.id,
        jiraKey: created.key,
        ...(refused !== undefined ? { transitionRefused: refused } : {}),
      };
    });
  }

  /**
   * The created issues by the Productboard id their stamp names. undefined when they cannot be read
   * back: they exist, so every item becomes a create of unknown outcome, resolved by stamp lookup
   * (never reported as failed, which would let a later pass create them again).
   */
  private async createdByStamp(ids: readonly string[]): Promise<Map<string, ObservedIssue> | undefined> {
    try {
      const issues = await this.fetchByIds(ids);
      return new Map(issues.flatMap((i) => (i.pbId ? [[i.pbId, i] as const] : [])));
    } catch {
      return undefined;
    }
  }

  async edit(edit: IssueEdit): Promise<EditOutcome> {
    const fields: Record<string, unknown> = {};
    const update: Record<string, unknown> = {};
    if (edit.summary !== undefined) fields.summary = edit.summary;
    if (edit.description !== undefined) fields.description = edit.description;
    if (edit.dueDate !== undefined) fields.duedate = edit.dueDate;
    // The mapping's fields travel in the same edit: no request of their own.
    for (const [id, value] of Object.entries(edit.fields ?? {})) fields[id] = value;
    if (edit.parentJiraId !== undefined) {
      if (edit.parentJiraId === null) update.parent = [{ set: { none: true } }];
      else fields.parent = { id: edit.parentJiraId };
    }
    if (edit.labels && (edit.labels.add.length || edit.labels.remove.length)) {
      // Incremental label edits keep labels people added in Jira.
      update.labels = [...edit.labels.add.map((add) => ({ add })), ...edit.labels.remove.map((remove) => ({ remove }))];
    }
    try {
      await this.client.issues.editIssue({
        issueIdOrKey: edit.jiraId,
        ...(Object.keys(fields).length ? { fields } : {}),
        ...(Object.keys(update).length ? { update } : {}),
        // The stamp records what we wrote; it travels in the same request, at no extra cost.
        ...(edit.stamp ? { properties: [{ key: STAMP_PROPERTY_KEY, value: edit.stamp }] } : {}),
      } as never);
      return { ok: true };
    } catch (error) {
      // Jira may refuse to re-parent a sub-task by an edit: that needs its Move operation.
      const refused = edit.parentJiraId !== undefined ? parentRefusal(error) : undefined;
      if (refused !== undefined) return { ok: false, parentRefused: refused };
      throw error;
    }
  }

  async transitionOptions(jiraId: string): Promise<TransitionOption[]> {
    // With the screens' fields: a transition whose screen requires a field is refused without it.
    const raw = await this.client.issues.getTransitions<unknown>({ issueIdOrKey: jiraId, expand: 'transitions.fields' });
    const { transitions } = parseResponse(transitionsSchema, raw, 'jira', 'GET /rest/api/3/issue/{id}/transitions');
    return transitions.flatMap((t): TransitionOption[] => {
      const category = t.to?.statusCategory?.key;
      if (t.isAvailable === false || !isStatusCategory(category)) return [];
      const requiredFields = Object.entries(t.fields ?? {})
        .filter(([, f]) => f.required && !f.hasDefaultValue)
        .map(([id, f]) => screenField(id, f));
      return [{ id: t.id, name: t.name ?? t.id, category, toStatus: t.to?.name ?? '', hasScreen: t.hasScreen ?? false, requiredFields }];
    });
  }

  async doTransition(jiraId: string, transitionId: string, fields: Readonly<Record<string, JiraFieldValue>> = {}): Promise<void> {
    await this.client.issues.doTransition({
      issueIdOrKey: jiraId,
      transition: { id: transitionId },
      ...(Object.keys(fields).length ? { fields: fields as Record<string, unknown> } : {}),
    });
  }

  async statusName(jiraId: string): Promise<string | null> {
    const raw = await this.client.issues.getIssue<unknown>({ issueIdOrKey: jiraId, fields: ['status'] });
    return parseResponse(issueStatusSchema, raw, 'jira', 'GET /rest/api/3/issue/{id}').fields?.status?.name ?? null;
  }

  async upsertRemoteLink(jiraId: string, pbId: string, title: string, url: string): Promise<void> {
    await this.client.issueRemoteLinks.createOrUpdateRemoteIssueLink({
      issueIdOrKey: jiraId,
      // globalId makes the call an upsert on that issue: repeating it never adds a second link.
      globalId: remoteLinkGlobalId(pbId),
      application: { type: 'com.productboard', name: 'Productboard' },
      relationship: 'synced from',
      object: { url, title },
    });
  }

  async readWriterRecord(): Promise<WriterRecord | null> {
    const reading = await this.inspectWriterRecord();
    // Someone else's value under our key is no lease: it is overwritten by the next writer.
    return reading.state === 'read' ? reading.record : null;
  }

  async inspectWriterRecord(): Promise<WriterRecordReading> {
    let raw: unknown;
    try {
      raw = await this.client.projectProperties.getProjectProperty<unknown>({
        projectIdOrKey: this.projectKey,
        propertyKey: WRITER_PROPERTY_KEY,
      });
    } catch (error) {
      if (isSyncError(error) && error.kind === 'not-found') return { state: 'none' };
      throw error;
    }
    const property = parseResponse(entityPropertySchema, raw, 'jira', 'GET /rest/api/3/project/{key}/properties/{key}');
    const parsed = writerRecordSchema.safeParse(property.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { state: 'unreadable', reason: `${WRITER_PROPERTY_KEY} ${formatPath(issue.path) || '(value)'}: ${issue.message}` };
    }
    const { holder, heartbeatAt, lastWrite } = parsed.data;
    return { state: 'read', record: { holder, heartbeatAt, lastWrite } };
  }

  async writeWriterRecord(record: WriterRecord): Promise<void> {
    await this.client.projectProperties.setProjectProperty({
      projectIdOrKey: this.projectKey,
      propertyKey: WRITER_PROPERTY_KEY,
      propertyValue: { v: 1, ...record },
    });
  }
}

/** A field of a screen as the engine reads it. */
function screenField(id: string, field: FieldMetadata): ScreenField {
  const allowed = allowedValuesOf(field);
  return {
    id,
    name: field.name ?? id,
    required: field.required,
    hasDefaultValue: field.hasDefaultValue ?? false,
    type: field.schema?.type ?? 'any',
    ...(field.schema?.items ? { items: field.schema.items } : {}),
    ...(allowed?.length ? { allowed } : {}),
  };
}

/** Jira's reason when a 400 to an edit names the parent (a sub-task it moves only through its Move operation). */
function parentRefusal(error: unknown): string | undefined {
  if (!isSyncError(error) || error.status !== 400) return undefined;
  const body = errorCollectionSchema.safeParse((error.cause as { body?: unknown } | undefined)?.body);
  const errors = body.success ? (body.data.errors ?? {}) : {};
  const message = errors['parent'] ?? errors['parentId'];
  return message === undefined ? undefined : `parent: ${message}`;
}
