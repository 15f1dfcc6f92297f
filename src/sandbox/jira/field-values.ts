import { isRecord } from '../kit/http.js';
import type { JiraDirectory } from './directory.js';
import { checkAdf, checkDate, checkLabel, opsOf, type ErrorCollection, type Ops } from './field-checks.js';
import type { FieldDef, SelectOption, ValueType } from './field-defs.js';
import type { JiraSite } from './site.js';
import { componentRefJson, optionJson, priorityJson, resolutionJson, userJson, versionJson } from './value-json.js';

// Values of the fields an issue keeps beside its core ones (priority, components, fix versions, assignee, resolution
// and custom fields): parsed from a create, edit or transition body, stored as ids, rendered as issue JSON. Input shapes
// are the ones the REST reference shows in its create examples (`{"value": "red"}`, `[{"id": "10000"}]`,
// `{"accountId": …}`); error texts are the ones Jira is observed to answer, keyed by field id.

/** What a value may refer to. */
export interface ValueContext {
  site: JiraSite;
  directory: JiraDirectory;
}

/** A field whose value lives in IssueRec.values. */
export type ValueField = FieldDef & { value: ValueType };

/** Stored forms: number, string, ADF object, 'yyyy-mm-dd', option/priority/resolution id, id lists, labels, account id. */
export type Stored = unknown;

const MAX_TEXT = 255;

const ref = (v: Record<string, unknown>): { id?: string; name?: string } => {
  if (v['id'] !== undefined && v['id'] !== null) return { id: String(v['id']) };
  return typeof v['name'] === 'string' ? { name: v['name'] } : {};
};

/** True when a required field would be left without a value. */
export function isEmpty(v: Stored | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function optionOf(raw: unknown, options: readonly SelectOption[], key: string, errs: ErrorCollection): string | undefined {
  if (!isRecord(raw) || (raw['id'] === undefined && typeof raw['value'] !== 'string')) {
    errs.errors[key] = "Could not find valid 'id' or 'value' in the Parent Option object.";
    return undefined;
  }
  const byId = raw['id'] !== undefined;
  const found = byId ? options.find((o) => o.id === String(raw['id'])) : options.find((o) => o.value === raw['value']);
  if (!found)
    errs.errors[key] = byId ? `Option id '${String(raw['id'])}' is not valid` : `Option value '${String(raw['value'])}' is not valid`;
  return found?.id;
}

/** One element of a multi-valued field (an option, component, version or label). */
function elementOf(f: ValueField, raw: unknown, ctx: ValueContext, errs: ErrorCollection): string | undefined {
  const key = f.id;
  const t = f.value;
  if (t.kind === 'option') return optionOf(raw, t.options, key, errs);
  if (t.kind === 'labels') return checkLabel(raw, errs, key) ? raw : undefined;
  if (!isRecord(raw)) {
    errs.errors[key] = 'expected Object';
    return undefined;
  }
  const r = ref(raw);
  const what = t.kind === 'components' ? 'Component' : 'Version';
  const found = t.kind === 'components' ? ctx.directory.component(r) : ctx.directory.version(r);
  if (!found || ('archived' in found && found.archived)) {
    errs.errors[key] = r.id !== undefined ? `${what} id '${r.id}' is not valid` : `${what} name '${r.name ?? ''}' is not valid`;
    return undefined;
  }
  return found.id;
}

const isMulti = (t: ValueType): boolean =>
  t.kind === 'components' || t.kind === 'versions' || t.kind === 'labels' || (t.kind === 'option' && t.many);

/** A list value (options, components, versions, labels): the ids, null when empty, undefined when refused. */
function parseMany(f: ValueField, raw: unknown, ctx: ValueContext, errs: ErrorCollection): string[] | null | undefined {
  if (raw === null) return null;
  if (!Array.isArray(raw)) {
    errs.errors[f.id] = 'data was not an array';
    return undefined;
  }
  const ids: string[] = [];
  for (const item of raw) {
    const id = elementOf(f, item, ctx, errs);
    if (id === undefined) return undefined;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids.length > 0 ? ids : null;
}

/** The entry of `list` a `{id}` or `{name}` names. */
function named<T extends { id: string; name: string }>(list: readonly T[], raw: unknown): T | undefined {
  if (!isRecord(raw)) return undefined;
  const r = ref(raw);
  return list.find((x) => (r.id !== undefined ? x.id === r.id : x.name === r.name));
}

function parseText(raw: unknown, key: string, errs: ErrorCollection): string | null | undefined {
  if (raw === null || raw === '') return null;
  if (typeof raw !== 'string') errs.errors[key] = 'Operation value must be a string';
  else if (raw.length > MAX_TEXT)
    errs.errors[key] = `The entered text is too long. It exceeds the allowed limit of ${MAX_TEXT} characters.`;
  else return raw;
  return undefined;
}

/** Parses a whole value (a `fields` entry or a `set` operand): the stored form, null to clear, undefined when refused. */
export function parseValue(f: ValueField, raw: unknown, ctx: ValueContext, errs: ErrorCollection): Stored | null | undefined {
  const key = f.id;
  const t = f.value;
  if (isMulti(t)) return parseMany(f, raw, ctx, errs);
  switch (t.kind) {
    case 'number':
      if (raw === null) return null;
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      errs.errors[key] = 'Operation value must be a number';
      return undefined;
    case 'string':
      return parseText(raw, key, errs);
    case 'adf':
      return checkAdf(raw, errs, key);
    case 'date':
      return checkDate(raw, errs, key);
    case 'option':
      return raw === null ? null : optionOf(raw, t.options, key, errs);
    case 'user':
      return parseUser(f, raw, ctx, errs);
    case 'priority': {
      const found = named(ctx.site.priorities, raw);
      if (!found)
        errs.errors[key] = isRecord(raw) ? 'The priority selected is invalid.' : 'Specify the Priority (name) in the string format';
      return found?.id;
    }
    case 'resolution': {
      if (raw === null) return null;
      const found = named(ctx.site.resolutions, raw);
      if (!found) errs.errors[key] = 'The resolution selected is invalid.';
      return found?.id;
    }
    default:
      return undefined;
  }
}

function parseUser(f: ValueField, raw: unknown, ctx: ValueContext, errs: ErrorCollection): string | null | undefined {
  if (raw === null) return null;
  // Cloud takes account ids only: `{"accountId": …}` (the create example also shows `{"id": …}`).
  const id = isRecord(raw) ? (raw['accountId'] ?? raw['id']) : undefined;
  if (typeof id !== 'string' || id === '') {
    errs.errors[f.id] = "expected Object containing an 'accountId' property";
    return undefined;
  }
  const user = ctx.directory.user(id);
  if (!user) errs.errors[f.id] = `User '${id}' does not exist.`;
  else if (!user.active && f.id === 'assignee') errs.errors[f.id] = `User '${id}' cannot be assigned issues.`;
  else return id;
  return undefined;
}

/**
 * The new value of `f` from a body, applying `update` operations (set; add and remove on multi-valued fields) to
 * `current`. `{present: false}` when the body leaves the field alone.
 */
export function valueFromBody(
  f: ValueField,
  o: Ops,
  current: Stored | undefined,
  ctx: ValueContext,
  errs: ErrorCollection,
): { present: boolean; value?: Stored | null } {
  if (f.id in o.fields) {
    const value = parseValue(f, o.fields[f.id], ctx, errs);
    return value === undefined ? { present: true } : { present: true, value };
  }
  const ops = opsOf(o.update, f.id, errs);
  if (ops.length === 0) return { present: false };
  let value: Stored | null = current ?? null;
  for (const op of ops) {
    if ('set' in op) {
      const v = parseValue(f, op['set'], ctx, errs);
      if (v === undefined) return { present: true };
      value = v;
    } else if (isMulti(f.value) && ('add' in op || 'remove' in op)) {
      const id = elementOf(f, 'add' in op ? op['add'] : op['remove'], ctx, errs);
      if (id === undefined) return { present: true };
      const list = Array.isArray(value) ? (value as string[]) : [];
      const next = 'add' in op ? (list.includes(id) ? list : [...list, id]) : list.filter((x) => x !== id);
      value = next.length > 0 ? next : null;
    } else {
      errs.errors[f.id] = `Field '${f.id}' does not support the operation '${Object.keys(op)[0] ?? ''}'.`;
      return { present: true };
    }
  }
  return { present: true, value };
}

/** The issue JSON of a stored value (`fields.<id>`); an unset value is null, or [] for components and fix versions. */
export function renderValue(f: ValueField, v: Stored | undefined, ctx: ValueContext, baseUrl: string, projectId: string): unknown {
  const t = f.value;
  if (t.kind === 'components' || t.kind === 'versions') {
    const ids = (v as string[] | undefined) ?? [];
    if (t.kind === 'components')
      return ids.flatMap((id) => {
        const c = ctx.directory.component({ id });
        return c ? [componentRefJson(baseUrl, c)] : [];
      });
    const today = new Date().toISOString().slice(0, 10);
    return ids.flatMap((id) => {
      const x = ctx.directory.version({ id });
      return x ? [versionJson(baseUrl, x, projectId, today)] : [];
    });
  }
  if (v === undefined || v === null) return null;
  switch (t.kind) {
    case 'option': {
      const json = (id: string): unknown => {
        const o = t.options.find((x) => x.id === id);
        return o ? optionJson(baseUrl, o) : null;
      };
      return t.many ? (v as string[]).map(json) : json(v as string);
    }
    case 'user': {
      const u = ctx.directory.user(v as string);
      return u ? userJson(baseUrl, u) : null;
    }
    case 'priority': {
      const p = ctx.site.priorities.find((x) => x.id === v);
      return p ? priorityJson(baseUrl, p) : null;
    }
    case 'resolution': {
      const r = ctx.site.resolutions.find((x) => x.id === v);
      return r ? resolutionJson(baseUrl, r) : null;
    }
    default:
      return structuredClone(v);
  }
}

/** A value as a person reads it: option, priority, resolution, component and version names; account ids; the rest as stored. */
export function friendlyValue(f: ValueField, v: Stored | undefined, ctx: ValueContext): unknown {
  if (v === undefined || v === null) return f.value.kind === 'components' || f.value.kind === 'versions' ? [] : null;
  const t = f.value;
  switch (t.kind) {
    case 'option': {
      const name = (id: string): string => t.options.find((o) => o.id === id)?.value ?? id;
      return t.many ? (v as string[]).map(name) : name(v as string);
    }
    case 'priority':
      return ctx.site.priorities.find((p) => p.id === v)?.name ?? null;
    case 'resolution':
      return ctx.site.resolutions.find((r) => r.id === v)?.name ?? null;
    case 'components':
      return (v as string[]).map((id) => ctx.directory.component({ id })?.name ?? id);
    case 'versions':
      return (v as string[]).map((id) => ctx.directory.version({ id })?.name ?? id);
    default:
      return structuredClone(v);
  }
}

/** `allowedValues` of a field in create metadata and transition screens; undefined when Jira lists none. */
export function allowedValues(f: FieldDef, ctx: ValueContext, baseUrl: string, projectId: string): unknown[] | undefined {
  const t = f.value;
  if (!t) return undefined;
  switch (t.kind) {
    case 'option':
      return t.options.map((o) => optionJson(baseUrl, o));
    case 'priority':
      return ctx.site.priorities.map((p) => priorityJson(baseUrl, p));
    case 'resolution':
      return ctx.site.resolutions.map((r) => resolutionJson(baseUrl, r));
    case 'components':
      return ctx.directory.listComponents().map((c) => componentRefJson(baseUrl, c));
    case 'versions': {
      const today = new Date().toISOString().slice(0, 10);
      return ctx.directory
        .listVersions()
        .filter((v) => !v.archived)
        .map((v) => versionJson(baseUrl, v, projectId, today));
    }
    default:
      return undefined;
  }
}
