import { SyncError } from '../errors.js';
import type { CompiledMapping, CompiledRule, JiraFieldSpec } from '../mapping/load-mapping.js';
import type { PbType } from '../mapping/schema.js';
import type { JiraFieldValue } from '../model/field-value.js';
import type { AllowedValue, JiraReader, ProjectIssueType, ScreenField } from '../model/ports.js';
import { formatProblem, type Problem } from '../util/problems.js';
import type { MappingContext } from './mapping-context.js';

// The create screens of the mapped issue types (Jira's create metadata, docs/vendor-notes.md §10)
// against what the mapping writes. "The fields that can be set … are determined using Get create issue metadata" (POST
// /rest/api/3/issue/bulk): a company-managed project may require a field (Epic Name) or leave one
// off its screen (Labels, Due date). Found before the first create, in `validate` and in every pass
// that creates, so no create fails for a field the screen settles.

/** How the creates of one issue type fit its screen. */
export interface CreateScreenFit {
  /** The Jira field id of each `jira.fields` entry (as the mapping names it). */
  fieldIds: ReadonlyMap<string, string>;
  /** Fields the mapping owns that the screen does not show: left out of creates (a warning says so). */
  omit: ReadonlySet<OmittableField>;
}

/** Fields a create can do without: the issue is still placed and stamped. */
export type OmittableField = 'description' | 'duedate';

export interface ScreenCheck {
  /** By issue type id, for the types that fit. */
  fits: Map<string, CreateScreenFit>;
  /** What stops the creates of a type: a required field nobody fills, a field we must set that is not on the screen. */
  problems: Problem[];
  /** Fields left out of creates, one line per issue type and field. */
  warnings: string[];
}

/** Fields Jira fills itself when a create leaves them out, whatever the metadata says (the reporter is the caller). */
const FILLED_BY_JIRA = new Set(['project', 'issuetype', 'reporter']);

const OMITTABLE: ReadonlyArray<{ id: OmittableField; owned: (rule: CompiledRule) => boolean; what: string }> = [
  { id: 'description', owned: (rule) => rule.fields.description !== null, what: 'description' },
  { id: 'duedate', owned: (rule) => rule.fields.dueDate !== null, what: 'due date' },
];

/** Create screens read once per issue type and pass (or `validate` run), whatever asks for them. */
export class CreateScreens {
  private readonly read = new Map<string, Promise<ScreenField[]>>();

  constructor(private readonly reader: Pick<JiraReader, 'createFields'>) {}

  fields(issueTypeId: string): Promise<ScreenField[]> {
    let pending = this.read.get(issueTypeId);
    if (!pending) {
      pending = this.reader.createFields(issueTypeId);
      this.read.set(issueTypeId, pending);
    }
    return pending;
  }

  /** The screens of the rules' issue types (each type a rule may choose), checked against what each rule writes. */
  async check(
    mapping: CompiledMapping,
    issueTypes: ReadonlyMap<PbType, ProjectIssueType>,
    only?: ReadonlySet<string>,
    context?: MappingContext,
  ): Promise<ScreenCheck> {
    const pairs = [...mapping.rules.values()].flatMap((rule) =>
      ruleTypes(rule, issueTypes, context)
        .filter((type) => !only || only.has(type.id))
        .map((type) => ({ rule, type })),
    );
    const screens = await Promise.all(pairs.map(({ type }) => this.fields(type.id)));
    const result: ScreenCheck = { fits: new Map(), problems: [], warnings: [] };
    pairs.forEach(({ rule, type }, i) => {
      const written = writtenFields(rule, context);
      const { fit, problems, warnings } = checkRule(mapping.file, rule, type, screens[i]!, written);
      result.problems.push(...problems);
      result.warnings.push(...warnings);
      if (!problems.length) result.fits.set(type.id, fit);
    });
    return result;
  }
}

/** The issue types a rule creates: its own, and those its `issueType.from` table may choose. */
export function ruleTypes(
  rule: CompiledRule,
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>,
  context?: MappingContext,
): ProjectIssueType[] {
  const own = issueTypes.get(rule.pbType);
  const chosen =
    rule.issueType.choice?.table.values().flatMap((name) => context?.issueTypes.filter((t) => same(t.name, String(name))) ?? []) ?? [];
  return [...new Map([...(own ? [own] : []), ...chosen].map((t) => [t.id, t])).values()];
}

/** The version 2 fields every create of the rule writes (by field id, with the name the mapping gives them). */
function writtenFields(rule: CompiledRule, context: MappingContext | undefined): Array<{ id: string; path: string }> {
  const targets = (context?.targets.get(rule.pbType) ?? []).map((t) => ({ id: t.field.id, path: t.spec.path }));
  const stream = context?.componentsField ? [{ id: context.componentsField.id, path: 'valueStreams.component' }] : [];
  return [...targets, ...stream];
}

/**
 * The fits of the issue types a pass is about to create, or a `config` error naming every field
 * that would make those creates fail (docs/architecture.md, principle 4: every problem at once).
 */
export async function fitCreateScreens(
  screens: CreateScreens,
  mapping: CompiledMapping,
  issueTypes: ReadonlyMap<PbType, ProjectIssueType>,
  creating: ReadonlySet<string>,
  context?: MappingContext,
): Promise<{ fits: Map<string, CreateScreenFit>; warnings: string[] }> {
  if (!creating.size) return { fits: new Map(), warnings: [] };
  const { fits, problems, warnings } = await screens.check(mapping, issueTypes, creating, context);
  if (problems.length)
    throw new SyncError('config', "the mapping does not fit the Jira project's create screens; nothing was created", {
      service: 'jira',
      endpoint: 'GET /rest/api/3/issue/createmeta/{key}/issuetypes/{id}',
      details: problems.map(formatProblem),
    });
  return { fits, warnings };
}

const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
const label = (f: ScreenField): string => (f.name && f.name !== f.id ? `${f.name} (${f.id})` : f.id);

/** One rule's creates against its issue type's create screen. */
interface RuleScreen {
  file: string;
  rule: CompiledRule;
  type: ProjectIssueType;
  screen: readonly ScreenField[];
  /** `rules[N]`, where the mapping says it. */
  at: string;
  /** `the create screen of Story`, as messages say it. */
  where: string;
}

function checkRule(
  file: string,
  rule: CompiledRule,
  type: ProjectIssueType,
  screen: readonly ScreenField[],
  written: ReadonlyArray<{ id: string; path: string }> = [],
): { fit: CreateScreenFit; problems: Problem[]; warnings: string[] } {
  const r: RuleScreen = { file, rule, type, screen, at: `rules[${rule.index}]`, where: `the create screen of ${type.name}` };
  const fields = resolveJiraFields(r);
  // A field every create writes must be on the screen, or Jira refuses the create.
  const offScreen = written
    .filter((w) => !screen.some((f) => f.id === w.id))
    .map((w) => ({ file, path: w.path, message: `${r.where} has no field ${w.id}: add it to the screen, or map it on another rule` }));
  const filled = new Map([...fields.ids, ...written.map((w) => [w.path, w.id] as const)]);
  const problems = [...missingFields(r), ...fields.problems, ...offScreen, ...unfilledFields(r, filled)];
  const omit = new Set(OMITTABLE.filter((f) => f.owned(rule) && !screen.some((s) => s.id === f.id)));
  const warnings = [...omit].map(
    (f) =>
      `${file}: ${r.at}: ${r.where} has no ${f.what} field: ${type.name} issues are created without it, and a later edit writes it if the edit screen has it`,
  );
  return { fit: { fieldIds: fields.ids, omit: new Set([...omit].map((f) => f.id)) }, problems, warnings };
}

/** Fields every create of the rule sets, which the screen must show: the summary, the labels (the stamp), the parent. */
function missingFields({ file, rule, type, screen, at, where }: RuleScreen): Problem[] {
  const shown = (id: string) => screen.some((f) => f.id === id);
  const problems: Problem[] = [];
  if (!shown('summary'))
    problems.push({
      file,
      path: `${at}.jira.issueType`,
      message: `${where} has no Summary field; Jira cannot create ${type.name} issues through it`,
    });
  if (!shown('labels'))
    problems.push({
      file,
      path: `${at}.jira.issueType`,
      message: `${where} has no Labels field, which carries the stamp that finds every synced issue again: add Labels to the screen`,
    });
  if (rule.parent && type.level !== -1 && !shown('parent'))
    problems.push({
      file,
      path: `${at}.jira.parent`,
      message: `${where} has no Parent field, so a ${type.name} cannot be placed under its parent: add Parent to the screen`,
    });
  return problems;
}

/** The field id of each `jira.fields` entry (by id, else by name), its value checked against what the field takes. */
function resolveJiraFields({ file, rule, screen, at, where }: RuleScreen): { ids: Map<string, string>; problems: Problem[] } {
  const ids = new Map<string, string>();
  const problems: Problem[] = [];
  for (const [key, spec] of rule.jiraFields) {
    const path = `${at}.jira.fields["${key}"]`;
    const byId = screen.filter((f) => f.id === key);
    const matches = byId.length ? byId : screen.filter((f) => same(f.name, key));
    const field = matches.length === 1 ? matches[0]! : undefined;
    const message = !field
      ? matches.length
        ? `${where} has ${matches.length} fields named "${key}" (${matches.map(label).join(', ')}): name it by id`
        : `${where} has no field "${key}" (fields: ${screen.map(label).join(', ')})`
      : valueProblem(field, spec, spec.kind === 'from' && field.required && !field.hasDefaultValue);
    if (message) problems.push({ file, path, message: field ? `${label(field)}: ${message}` : message });
    else ids.set(key, field!.id);
  }
  return { ids, problems };
}

/** Required fields Jira does not fill and nothing of ours does: every create would fail on them. */
function unfilledFields({ file, rule, screen, at, where }: RuleScreen, fieldIds: ReadonlyMap<string, string>): Problem[] {
  const filled = new Set([
    ...FILLED_BY_JIRA,
    'summary',
    'labels',
    ...(rule.parent ? ['parent'] : []),
    ...OMITTABLE.filter((f) => f.owned(rule)).map((f) => f.id),
    ...fieldIds.values(),
  ]);
  return screen
    .filter((field) => field.required && !field.hasDefaultValue && !filled.has(field.id))
    .map((field) => {
      const hint = field.type === 'string' ? `, e.g. ${JSON.stringify(field.name)}: { from: name }` : '';
      return {
        file,
        path: `${at}.jira.fields`,
        message: `${where} requires ${label(field)}, which nothing fills: give it a value in ${at}.jira.fields${hint}`,
      };
    });
}

/**
 * Why a value cannot be what the field takes, in words; undefined when it fits as far as the
 * metadata tells. A required field cannot take a Productboard field some items leave empty.
 */
function valueProblem(field: ScreenField, spec: JiraFieldSpec, required: boolean): string | undefined {
  if (spec.kind === 'from') {
    if (required && spec.source !== 'name')
      return `it is required, and ${spec.source} is empty for items without a timeframe: give a constant`;
    const text = field.type === 'string' || (spec.source !== 'name' && (field.type === 'date' || field.type === 'datetime'));
    return text ? undefined : `takes ${field.type} values; { from: ${spec.source} } gives text`;
  }
  const value = spec.value;
  switch (field.type) {
    case 'string':
    case 'date':
    case 'datetime':
      return typeof value === 'string' ? undefined : `takes text; got ${JSON.stringify(value)}`;
    case 'number':
      return typeof value === 'number' ? undefined : `takes a number; got ${JSON.stringify(value)}`;
    case 'array': {
      if (!Array.isArray(value)) return `takes a list; got ${JSON.stringify(value)}`;
      if (field.items === 'string') return value.every((v) => typeof v === 'string') ? undefined : 'takes a list of text';
      return value.map((v) => allowedProblem(field, v)).find(Boolean);
    }
    default:
      return allowedProblem(field, value);
  }
}

/** A select-like value (`{ value }`, `{ name }`, `{ id }`) checked against the values Jira lists for the field. */
function allowedProblem(field: ScreenField, value: JiraFieldValue): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `takes an object such as { value: … } or { name: … }; got ${JSON.stringify(value)}`;
  if (!field.allowed?.length) return undefined;
  const record = value as Readonly<Record<string, JiraFieldValue>>;
  const matches = (a: AllowedValue) =>
    (typeof record['id'] === 'string' && a.id === record['id']) ||
    (typeof record['value'] === 'string' && a.value !== undefined && same(a.value, record['value'])) ||
    (typeof record['name'] === 'string' && a.name !== undefined && same(a.name, record['name']));
  if (field.allowed.some(matches)) return undefined;
  const names = field.allowed.map((a) => a.value ?? a.name ?? a.id).filter(Boolean);
  return `${JSON.stringify(value)} is not one of its values (${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`;
}
