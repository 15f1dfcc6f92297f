import { isRecord, json, type Call, type SimResponse } from '../kit/http.js';
import { isIsoDate, type CustomFieldDef, type CustomValue } from './custom-fields.js';
import { bad, jsonBody, notFound, unprocessable } from './errors.js';
import { fieldSpecsFor, type FieldSpec, type LifecycleOps } from './field-specs.js';
import { statusId, tagId, type Granularity, type SourceMetadata, type Timeframe } from './model.js';
import type { EntityRec } from './records.js';
import { entityLinks } from './render.js';
import type { EntityChanges, PbState } from './state.js';

// PATCH /v2/entities/{id} (https://developer.productboard.com/reference/updateentity): `data.fields` replaces values,
// `data.patch` applies operations (set, addItems, removeItems, clear) in order, `data.metadata.source` is a JSON Merge
// Patch. What a type allows comes from the same table as its configuration (field-specs.ts). A malformed value is a 400
// `request.invalid`; a well-formed one the workspace cannot take (unknown field, option, status or member; an operation
// the lifecycle forbids) is a 422 `validation.failed`. The answer is the entity's reference only (EntityUpdateResponse);
// `updatedAt` moves when a stored value changed.

const GRANULARITIES: readonly Granularity[] = ['year', 'quarter', 'month', 'day'];
const TIMEFRAME_PARTS = ['startDate', 'endDate', 'granularity'] as const;
type TimeframePart = (typeof TIMEFRAME_PARTS)[number];

export function updateEntity(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const entity = state.entity(id);
  if (!entity) throw notFound('Entity', id);
  const data = requestData(call.body);
  const hasFields = data['fields'] !== undefined;
  const hasPatch = data['patch'] !== undefined;
  if (!hasFields && !hasPatch && data['metadata'] === undefined) {
    throw bad('Either "fields" or "patch" must be provided.', { pointer: '/data' });
  }
  if (hasFields && hasPatch && state.behaviour.patchWithFieldsAndPatch === 'refuse') {
    throw bad('You must use either "fields" or "patch", not both.', { pointer: '/data/patch' });
  }
  const draft = new Draft(state, entity);
  if (hasFields) draft.applyFields(data['fields']);
  if (hasPatch) draft.applyPatch(data['patch']);
  if (data['metadata'] !== undefined) draft.changes.metadata = parseMetadata(data['metadata']);
  state.applyChanges(id, draft.result());
  return json(200, { data: { id: entity.id, type: entity.type, links: entityLinks(call.baseUrl, entity.id) } });
}

function requestData(body: Buffer): Record<string, unknown> {
  const parsed = jsonBody(body);
  if (!isRecord(parsed)) throw bad('The request body must be a JSON object.', { pointer: '' });
  for (const k of Object.keys(parsed)) if (k !== 'data') throw bad(`Unknown property "${k}".`, { pointer: `/${k}` });
  const data = parsed['data'];
  if (!isRecord(data)) throw bad('Field "data" is required and must be an object.', { pointer: '/data' });
  for (const k of Object.keys(data)) {
    if (k !== 'fields' && k !== 'patch' && k !== 'metadata') throw bad(`Unknown property "${k}".`, { pointer: `/data/${k}` });
  }
  return data;
}

/** The entity's values as the request goes, operation by operation, and the changes they add up to. */
class Draft {
  readonly changes: EntityChanges = {};
  private readonly specs: FieldSpec[];
  private tags: string[];
  private readonly custom = new Map<string, CustomValue | null>();
  private timeframe: Partial<Timeframe> | null;

  constructor(
    private readonly state: PbState,
    private readonly entity: EntityRec,
  ) {
    this.specs = fieldSpecsFor(state, entity.type);
    this.tags = [...entity.tags];
    this.timeframe = entity.timeframe ? { ...entity.timeframe } : null;
  }

  applyFields(raw: unknown): void {
    if (!isRecord(raw)) throw bad('"fields" must be an object.', { pointer: '/data/fields' });
    for (const [key, value] of Object.entries(raw)) {
      const pointer = `/data/fields/${key}`;
      const spec = this.spec(key, pointer);
      if (value === null) this.clear(spec, 'update', pointer);
      else this.set(spec, value, 'update', pointer);
    }
  }

  applyPatch(raw: unknown): void {
    if (!Array.isArray(raw)) throw bad('"patch" must be an array of operations.', { pointer: '/data/patch' });
    raw.forEach((op: unknown, i) => {
      const pointer = `/data/patch/${i}`;
      if (!isRecord(op)) throw bad('A patch operation must be an object.', { pointer });
      const kind = op['op'];
      const allowedKeys = kind === 'clear' ? ['op', 'path'] : ['op', 'path', 'value'];
      for (const k of Object.keys(op)) if (!allowedKeys.includes(k)) throw bad(`Unknown property "${k}".`, { pointer: `${pointer}/${k}` });
      if (kind !== 'set' && kind !== 'addItems' && kind !== 'removeItems' && kind !== 'clear') {
        throw bad('"op" must be one of set, addItems, removeItems, clear.', { pointer: `${pointer}/op` });
      }
      if (typeof op['path'] !== 'string') throw bad('"path" must be a field id.', { pointer: `${pointer}/path` });
      if (kind !== 'clear' && !('value' in op)) throw bad('"value" is required.', { pointer: `${pointer}/value` });
      const [fieldId, part] = op['path'].split('.', 2) as [string, string | undefined];
      const spec = this.spec(fieldId, `${pointer}/path`);
      const valuePointer = `${pointer}/value`;
      if (part !== undefined) this.timeframePart(spec, part, kind, op['value'], pointer);
      else if (kind === 'clear') this.clear(spec, 'patch', `${pointer}/path`);
      else if (kind === 'set') this.set(spec, op['value'], 'patch', valuePointer);
      else this.items(spec, kind, op['value'], valuePointer);
    });
  }

  result(): EntityChanges {
    return this.changes;
  }

  private spec(id: string, pointer: string): FieldSpec {
    const spec = this.specs.find((s) => s.id === id);
    if (!spec) throw unprocessable(`The field '${id}' does not exist on ${this.entity.type} entities in this workspace.`, pointer);
    return spec;
  }

  private allow(spec: FieldSpec, stage: 'update' | 'patch', op: keyof LifecycleOps, pointer: string): void {
    if (!spec.lifecycle[stage][op]) throw unprocessable(`The field '${spec.id}' does not allow "${op}" here.`, pointer);
  }

  private clear(spec: FieldSpec, stage: 'update' | 'patch', pointer: string): void {
    this.allow(spec, stage, 'clear', pointer);
    if (spec.source === 'custom') {
      this.custom.set(spec.id, null);
      this.changes.custom = this.custom;
      return;
    }
    switch (spec.kind) {
      case 'richText':
        this.changes.descriptionHtml = null;
        return;
      case 'member':
        this.changes.ownerEmail = null;
        return;
      case 'timeframe':
        this.timeframe = null;
        this.changes.timeframe = null;
        return;
      case 'tags':
        this.tags = [];
        this.changes.tags = this.tags;
        return;
      default:
        // name, status and archived have no `clear` in their lifecycle; allow() has refused already.
        return;
    }
  }

  private set(spec: FieldSpec, value: unknown, stage: 'update' | 'patch', pointer: string): void {
    this.allow(spec, stage, 'set', pointer);
    if (spec.source === 'custom') {
      this.custom.set(spec.id, this.customValue(spec.def, value, pointer));
      this.changes.custom = this.custom;
      return;
    }
    switch (spec.kind) {
      case 'name': {
        if (typeof value !== 'string' || value.length > 255)
          throw bad("Field 'name' must be a string of at most 255 characters.", { pointer });
        if (value.trim() === '') throw unprocessable("The field 'name' cannot be empty.", pointer);
        this.changes.name = value;
        return;
      }
      case 'richText':
        if (typeof value !== 'string' || value.length > 524288)
          throw bad("Field 'description' must be an HTML string of at most 524288 characters.", { pointer });
        this.changes.descriptionHtml = value;
        return;
      case 'status':
        this.changes.status = this.statusName(value, pointer);
        return;
      case 'member':
        this.changes.ownerEmail = this.member(value, pointer);
        return;
      case 'timeframe':
        this.timeframe = parseTimeframe(value, pointer);
        this.changes.timeframe = everyPart(this.timeframe);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') throw bad(`Field '${spec.id}' must be a boolean.`, { pointer });
        this.changes.archived = value;
        return;
      case 'tags':
        this.tags = this.tagNames(value, pointer);
        this.changes.tags = this.tags;
        return;
    }
  }

  /** addItems / removeItems on a list field (tags, multi selects). */
  private items(spec: FieldSpec, op: 'addItems' | 'removeItems', value: unknown, pointer: string): void {
    this.allow(spec, 'patch', op, pointer);
    if (spec.source === 'standard') {
      const names = this.tagNames(value, pointer);
      this.tags = op === 'addItems' ? [...new Set([...this.tags, ...names])] : this.tags.filter((t) => !names.includes(t));
      this.changes.tags = this.tags;
      return;
    }
    const ids = this.customValue(spec.def, value, pointer) as readonly string[];
    const current = (this.custom.has(spec.id) ? this.custom.get(spec.id) : this.entity.custom.get(spec.id)) ?? [];
    const before = current as readonly string[];
    const next = op === 'addItems' ? [...new Set([...before, ...ids])] : before.filter((x) => !ids.includes(x));
    this.custom.set(spec.id, next);
    this.changes.custom = this.custom;
  }

  /** `timeframe.startDate`, `timeframe.endDate`, `timeframe.granularity`. */
  private timeframePart(spec: FieldSpec, part: string, op: string, value: unknown, pointer: string): void {
    if (spec.source !== 'standard' || spec.kind !== 'timeframe' || !(TIMEFRAME_PARTS as readonly string[]).includes(part)) {
      throw unprocessable(`The field '${spec.id}.${part}' does not exist.`, `${pointer}/path`);
    }
    if (op !== 'set' && op !== 'clear') throw unprocessable(`The field 'timeframe.${part}' does not allow "${op}".`, `${pointer}/op`);
    const next: Partial<Timeframe> = { ...(this.timeframe ?? {}) };
    const key = part as TimeframePart;
    if (op === 'clear') delete next[key];
    else if (key === 'granularity') next.granularity = parseGranularity(value, `${pointer}/value`);
    else next[key] = parseDate(value, `${pointer}/value`);
    checkOrder(next, `${pointer}/value`);
    this.timeframe = next;
    this.changes.timeframe = everyPart(next);
  }

  private customValue(def: CustomFieldDef, raw: unknown, pointer: string): CustomValue {
    const value = withoutMetadata(def, raw, pointer);
    switch (def.kind) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw bad(`Field '${def.id}' (${def.name}) must be a number.`, { pointer });
        return value;
      case 'text':
        if (typeof value !== 'string' || value.length > 255)
          throw bad(`Field '${def.id}' (${def.name}) must be a string of at most 255 characters.`, { pointer });
        return value;
      case 'date':
        return parseDate(value, pointer);
      case 'member':
        return this.member(value, pointer);
      case 'singleSelect':
        return this.option(def, value, pointer);
      case 'multiSelect': {
        if (!Array.isArray(value)) throw bad(`Field '${def.id}' (${def.name}) takes an array of {id} or {name}.`, { pointer });
        return [...new Set(value.map((v: unknown, i) => this.option(def, v, `${pointer}/${i}`)))];
      }
    }
  }

  private option(def: CustomFieldDef, raw: unknown, pointer: string): string {
    const ref = idOrName(raw, pointer);
    const found = def.options.find((o) => (ref.id !== undefined ? o.id === ref.id : o.name === ref.name));
    if (!found) throw unprocessable(`'${ref.id ?? ref.name}' is not an option of the field '${def.name}'.`, pointer);
    return found.id;
  }

  private statusName(raw: unknown, pointer: string): string {
    const ref = idOrName(raw, pointer);
    const names = this.state.fields.statusNames(this.entity.type) ?? [];
    // Names match exactly, case included ("In progress" is not "In Progress").
    const name = names.find((n) => (ref.id !== undefined ? statusId(this.entity.type, n) === ref.id : n === ref.name));
    if (name === undefined) {
      throw unprocessable(`'${ref.id ?? ref.name}' is not a status of ${this.entity.type}s (allowed: ${names.join(', ')}).`, pointer);
    }
    return name;
  }

  private member(raw: unknown, pointer: string): string {
    if (!isRecord(raw) || (typeof raw['email'] !== 'string' && typeof raw['id'] !== 'string')) {
      throw bad('A member is assigned as {email} or {id}.', { pointer });
    }
    const ref = typeof raw['email'] === 'string' ? { email: raw['email'] } : { id: String(raw['id']) };
    const email = this.state.member(ref);
    if (!email) throw unprocessable(`No workspace member ${ref.email ?? ref.id}.`, pointer, 'validation.referenceNotFound');
    return email;
  }

  private tagNames(raw: unknown, pointer: string): string[] {
    if (!Array.isArray(raw)) throw bad('"tags" takes an array of {id} or {name}.', { pointer });
    const known = this.state.tagNames();
    return raw.map((t: unknown, i) => {
      const ref = idOrName(t, `${pointer}/${i}`);
      if (ref.name !== undefined) return ref.name; // a new name makes a new tag
      const name = known.find((n) => tagId(n) === ref.id);
      if (name === undefined) throw unprocessable(`No tag with id ${ref.id}.`, `${pointer}/${i}`, 'validation.referenceNotFound');
      return name;
    });
  }
}

/** `{value, metadata}` (the "object format" of EntityCreateOrUpdateFields) unwrapped for number, text and date. */
function withoutMetadata(def: CustomFieldDef, raw: unknown, pointer: string): unknown {
  const wrapped = (def.kind === 'number' || def.kind === 'text' || def.kind === 'date') && isRecord(raw) && 'value' in raw;
  if (!wrapped) return raw;
  const rec = raw as Record<string, unknown>;
  if (rec['metadata'] !== undefined && !isRecord(rec['metadata']))
    throw bad('"metadata" must be an object.', { pointer: `${pointer}/metadata` });
  return rec['value'];
}

function idOrName(raw: unknown, pointer: string): { id?: string; name?: string } {
  if (isRecord(raw) && typeof raw['id'] === 'string') return { id: raw['id'] };
  if (isRecord(raw) && typeof raw['name'] === 'string' && raw['name'] !== '') return { name: raw['name'] };
  throw bad('Expected {id} or {name}.', { pointer });
}

function parseDate(raw: unknown, pointer: string): string {
  if (typeof raw !== 'string' || !isIsoDate(raw)) throw bad(`Expected a date YYYY-MM-DD, got ${JSON.stringify(raw)}.`, { pointer });
  return raw;
}

function parseGranularity(raw: unknown, pointer: string): Granularity {
  if (typeof raw !== 'string' || !(GRANULARITIES as readonly string[]).includes(raw)) {
    throw bad(`"granularity" must be one of ${GRANULARITIES.join(', ')}.`, { pointer });
  }
  return raw as Granularity;
}

function parseTimeframe(raw: unknown, pointer: string): Partial<Timeframe> {
  if (!isRecord(raw)) throw bad('"timeframe" must be an object {startDate, endDate, granularity}.', { pointer });
  const out: Partial<Timeframe> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'startDate' || k === 'endDate') out[k] = parseDate(v, `${pointer}/${k}`);
    else if (k === 'granularity') out.granularity = parseGranularity(v, `${pointer}/granularity`);
    else throw bad(`Unknown property "${k}".`, { pointer: `${pointer}/${k}` });
  }
  checkOrder(out, pointer);
  return out;
}

/** Every part named, absent ones as undefined: applyChanges merges timeframes, and this makes it a replacement. */
function everyPart(t: Partial<Timeframe>): Partial<Timeframe> {
  return { startDate: t.startDate, endDate: t.endDate, granularity: t.granularity } as Partial<Timeframe>;
}

/** TimeframeFieldValue: "`endDate` must be on or after `startDate`". */
function checkOrder(t: Partial<Timeframe>, pointer: string): void {
  if (t.startDate && t.endDate && t.endDate < t.startDate) throw unprocessable('"endDate" must be on or after "startDate".', pointer);
}

/** `metadata.source` as JSON Merge Patch (ApiSourceUpdate): a string sets, null clears, absent keeps. */
function parseMetadata(raw: unknown): { [K in keyof SourceMetadata]?: string | null } {
  const pointer = '/data/metadata';
  const source = isRecord(raw) ? raw['source'] : undefined;
  if (!isRecord(raw) || Object.keys(raw).some((k) => k !== 'source') || !isRecord(source)) {
    throw bad('"metadata" must be { source: { system?, recordId?, url? } }.', { pointer });
  }
  const out: { [K in keyof SourceMetadata]?: string | null } = {};
  for (const [k, v] of Object.entries(source)) {
    if (k !== 'system' && k !== 'recordId' && k !== 'url') throw bad(`Unknown property "${k}".`, { pointer: `${pointer}/source/${k}` });
    if (v !== null && typeof v !== 'string') throw bad(`"${k}" must be a string or null.`, { pointer: `${pointer}/source/${k}` });
    if (k === 'url' && typeof v === 'string' && (v.length > 1024 || !/^[a-z][a-z0-9+.-]*:/i.test(v))) {
      throw bad('"url" must be a URI of at most 1024 characters.', { pointer: `${pointer}/source/url` });
    }
    out[k] = v;
  }
  return out;
}
