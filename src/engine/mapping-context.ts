import { SyncError } from '../errors.js';
import type { CompiledMapping, CompiledRule, TargetSpec } from '../mapping/load-mapping.js';
import type { SourceRef } from '../mapping/sources.js';
import { templateSources } from '../mapping/template.js';
import { filterFields } from '../mapping/where.js';
import type { PbType } from '../mapping/schema.js';
import { targetKindOf, type TargetKind } from '../mapping/target-kinds.js';
import type { JiraReader, JiraUser, ProjectCatalog, SiteField, SourceCatalog, SourceCustomField } from '../model/ports.js';
import { formatProblem, type Problem } from '../util/problems.js';

// What a mapping's names stand for on this site and in this workspace: each Jira field a version 2
// mapping writes, and the story points field `writeBack.storyPoints` reads (by name or id, through
// one `GET /rest/api/3/field` for both), each Productboard custom field it
// reads (by name or id, through the type's configuration), the project's components and versions,
// and the Jira users behind the owners' emails. Resolved once per pass, before the desired tree,
// which stays a pure function of what is resolved here.

export interface ResolvedTarget {
  spec: TargetSpec;
  field: SiteField;
  kind: TargetKind;
}

export interface MappingContext {
  /** Each rule's Jira fields, resolved, in the file's order. */
  targets: ReadonlyMap<PbType, readonly ResolvedTarget[]>;
  /** Productboard custom fields as the mapping names them (lower-cased name, or id) → field id, per type. */
  sourceFieldIds: ReadonlyMap<PbType, ReadonlyMap<string, string>>;
  /** The project's issue types: a rule's `issueType.from` picks among them by name. */
  issueTypes: ProjectCatalog['issueTypes'];
  /** The project's component and version names; null when the mapping writes neither. */
  components: readonly string[] | null;
  versions: readonly string[] | null;
  /** Jira's Components field, when value streams are written as components. */
  componentsField: SiteField | null;
  /** The number field of story points (`writeBack.storyPoints`), read with the managed issues; null when the mapping names none. */
  storyPoints: SiteField | null;
  /** Owners' emails (lower-cased) → the Jira user, or null when there is none. */
  users: ReadonlyMap<string, JiraUser | null>;
}

/** The context of a mapping that names nothing beyond version 1. */
export const emptyContext = (project: ProjectCatalog): MappingContext => ({
  targets: new Map(),
  sourceFieldIds: new Map(),
  issueTypes: project.issueTypes,
  components: null,
  versions: null,
  componentsField: null,
  storyPoints: null,
  users: new Map(),
});

/** How to find the right field: its name differs between Jira Cloud's two kinds of project. */
const POINTS_HINT =
  ': name the number field your boards estimate with (team-managed projects: "Story point estimate"; company-managed: "Story Points"; Jira → Settings → Issues → Custom fields lists them)';

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
const label = (f: { id: string; name: string }): string => (f.name !== f.id ? `${f.name} (${f.id})` : f.id);

/** Every name the mapping uses, resolved; or every problem with them at once. */
export async function resolveMappingContext(
  mapping: CompiledMapping,
  project: ProjectCatalog,
  jira: Pick<JiraReader, 'siteFields' | 'projectOptions'>,
  source: Pick<SourceCatalog, 'customFields'>,
): Promise<{ context: MappingContext; problems: Problem[]; sourceFields: ReadonlyMap<PbType, readonly SourceCustomField[]> }> {
  const context = emptyContext(project);
  const rules = [...mapping.rules.values()];
  const streams = mapping.valueStreams;
  const pointsRef = mapping.writeBack?.storyPoints;
  if (mapping.version === 1 && !pointsRef) return { context, problems: [], sourceFields: new Map() };
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: mapping.file, path, message });

  const wantsJira = rules.some((r) => r.targets.length) || Boolean(streams?.component) || Boolean(pointsRef);
  const [siteFields, sourceFields] = await Promise.all([
    wantsJira ? jira.siteFields() : Promise.resolve([]),
    Promise.all([...mapping.sourceFields.keys()].map(async (type) => [type, await source.customFields(type)] as const)),
  ]);

  const targets = new Map<PbType, ResolvedTarget[]>();
  const siteField = (key: string, path: string, hint = ''): SiteField | undefined => {
    const found = siteFieldNamed(siteFields, key);
    if (typeof found === 'string') problem(path, `${found}${hint}`);
    return typeof found === 'string' ? undefined : found;
  };
  for (const rule of rules) {
    const resolved: ResolvedTarget[] = [];
    for (const spec of rule.targets) {
      const field = siteField(spec.key, spec.path);
      if (!field) continue;
      const kind = targetKindOf(field);
      if (!kind) {
        problem(
          spec.path,
          `${label(field)} takes ${field.type}${field.items ? ` of ${field.items}` : ''} values, which a mapping cannot write`,
        );
        continue;
      }
      if (spec.create && kind !== 'components' && kind !== 'versions')
        problem(spec.path, `create: true adds components or versions; ${label(field)} is neither`);
      resolved.push({ spec, field, kind });
    }
    targets.set(rule.pbType, resolved);
  }

  // A value stream's field may exist on some of the types only (a subfeature then inherits its feature's stream).
  const streamRefs = new Set(streams?.sources.flatMap((s) => (s.kind === 'field' ? [s.ref] : [])) ?? []);
  const streamFound = new Set<string>();
  const sourceFieldIds = new Map<PbType, Map<string, string>>();
  for (const [type, fields] of sourceFields) {
    const ids = new Map<string, string>();
    const rule = mapping.rules.get(type);
    for (const ref of mapping.sourceFields.get(type) ?? []) {
      const field = fields.find((f) => f.id === ref) ?? fieldByName(fields, ref);
      if (field) ids.set(ref.trim().toLowerCase(), field.id);
      if (field && streamRefs.has(ref)) streamFound.add(ref);
      if (field || (streamRefs.has(ref) && !ruleReads(rule, ref))) continue;
      problem(
        rule ? `rules[${rule.index}]` : 'valueStreams',
        `Productboard has no ${type} field "${ref}" (${type} fields: ${fields.map((f) => f.name).join(', ') || 'none'})`,
      );
    }
    sourceFieldIds.set(type, ids);
  }
  for (const ref of streamRefs)
    if (!streamFound.has(ref)) problem('valueStreams.from', `Productboard has no field "${ref}" on any type the value streams cover`);

  const storyPoints = pointsRef ? (siteField(pointsRef, 'writeBack.storyPoints', POINTS_HINT) ?? null) : null;
  if (storyPoints && storyPoints.type !== 'number')
    problem(
      'writeBack.storyPoints',
      `${label(storyPoints)} holds ${storyPoints.type} values; story points are read from a number field${POINTS_HINT}`,
    );

  const all = [...targets.values()].flat();
  const componentsField = streams?.component ? (siteFields.find((f) => f.id === 'components') ?? null) : null;
  const wantsOptions = all.some((t) => t.kind === 'components' || t.kind === 'versions') || componentsField !== null;
  const options = wantsOptions ? await jira.projectOptions() : null;
  return {
    context: {
      ...context,
      targets,
      sourceFieldIds,
      components: options?.components ?? null,
      versions: options?.versions ?? null,
      componentsField,
      storyPoints: storyPoints?.type === 'number' ? storyPoints : null,
    },
    problems,
    sourceFields: new Map(sourceFields),
  };
}

/** `resolveMappingContext` for a pass: any problem stops it before anything is written. */
export async function mappingContextOrThrow(...args: Parameters<typeof resolveMappingContext>): Promise<MappingContext> {
  const { context, problems } = await resolveMappingContext(...args);
  if (problems.length)
    throw new SyncError('config', `the mapping's field names do not fit Jira project ${args[1].key} or the Productboard workspace`, {
      details: problems.map(formatProblem),
    });
  return context;
}

/** The one site field a name or id stands for, or why there is none. */
function siteFieldNamed(siteFields: readonly SiteField[], key: string): SiteField | string {
  const byId = siteFields.filter((f) => f.id === key);
  const matches = byId.length ? byId : siteFields.filter((f) => same(f.name, key));
  if (matches.length === 1) return matches[0]!;
  return matches.length
    ? `Jira has ${matches.length} fields named "${key}" (${matches.map(label).join(', ')}): name it by id`
    : `Jira has no field "${key}"${closest(key, siteFields)}`;
}

function fieldByName(fields: readonly SourceCustomField[], ref: string): SourceCustomField | undefined {
  const named = fields.filter((f) => same(f.name, ref));
  return named.length === 1 ? named[0] : undefined;
}

/** A hint naming the field whose name contains the one asked for, if there is one. */
function closest(key: string, fields: readonly SiteField[]): string {
  const near = fields.filter((f) => f.name.toLowerCase().includes(key.trim().toLowerCase())).slice(0, 3);
  return near.length ? ` (did you mean ${near.map(label).join(', ')}?)` : '';
}

/**
 * The Jira user of each email, looked up once per distinct email per pass (user search costs a
 * request each); an email nobody has is remembered as null, and the item gets a warning.
 */
export async function withUsers(
  context: MappingContext,
  emails: Iterable<string>,
  jira: Pick<JiraReader, 'userByEmail'>,
): Promise<MappingContext> {
  const wanted = [...new Set([...emails].map((e) => e.trim().toLowerCase()))].filter((e) => e && !context.users.has(e));
  if (!wanted.length) return context;
  const found = await Promise.all(wanted.map(async (email) => [email, await jira.userByEmail(email)] as const));
  return { ...context, users: new Map([...context.users, ...found]) };
}

/** Whether the rule itself (not only its value stream) reads the custom field. */
function ruleReads(rule: CompiledRule | undefined, ref: string): boolean {
  if (!rule) return false;
  const named = (r: SourceRef) => r.kind === 'field' && r.ref === ref;
  return (
    (rule.issueType.choice !== null && named(rule.issueType.choice.source)) ||
    rule.targets.some(
      (t) =>
        (t.value.kind === 'source' && named(t.value.source)) ||
        (t.value.kind === 'template' && templateSources(t.value.template).some(named)),
    ) ||
    [rule.fields.summaryTemplate, rule.fields.description?.header, rule.fields.description?.footer].some(
      (t) => t && templateSources(t).some(named),
    ) ||
    filterFields(rule.where).includes(ref)
  );
}
