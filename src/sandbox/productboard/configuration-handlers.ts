import { json, type Call, type SimResponse } from '../kit/http.js';
import type { CustomFieldDef } from './custom-fields.js';
import { bad, notFound } from './errors.js';
import { fieldSpecsFor, relationshipSpecsFor, type FieldSpec } from './field-specs.js';
import { PB_ENTITY_TYPES, statusGroupOf, statusId, tagId, type PbEntityType } from './model.js';
import { offsetPage, queryWithout } from './paging.js';
import { parseType } from './request.js';
import type { PbState } from './state.js';

// Workspace configuration of Productboard API v2: GET /v2/entities/configurations[?type[]=…],
// GET /v2/entities/configurations/{type} and GET /v2/entities/fields/{id}/values
// (https://developer.productboard.com/v2.0.0/reference/getentityconfiguration). A configuration lists each field of a
// type with its JSON schema, lifecycle, constraints and (for statuses and selects) its allowed values, the
// relationships the type allows, and the filters GET /v2/entities takes for it.

export function listConfigurations(state: PbState, call: Call): SimResponse {
  const wanted = call.query.getAll('type[]').map((t) => parseType(t, { parameter: 'type[]' }));
  const types = wanted.length > 0 ? PB_ENTITY_TYPES.filter((t) => wanted.includes(t)) : PB_ENTITY_TYPES;
  return json(200, { data: types.map((t) => configurationJson(state, call.baseUrl, t)), links: { next: null } });
}

export function getConfiguration(state: PbState, call: Call): SimResponse {
  const type = parseType(call.params['type'], { parameter: 'type' });
  return json(200, { data: configurationJson(state, call.baseUrl, type) });
}

function configurationJson(state: PbState, baseUrl: string, type: PbEntityType): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const spec of fieldSpecsFor(state, type)) fields[spec.id] = fieldJson(state, type, spec);
  return {
    type,
    fields,
    relationships: relationshipSpecsFor(type),
    filters: filtersFor(state, type),
    links: { self: `${baseUrl}/v2/entities/configurations/${type}` },
  };
}

function fieldJson(state: PbState, type: PbEntityType, spec: FieldSpec): Record<string, unknown> {
  const { named, inline } = schemaOf(spec);
  const out: Record<string, unknown> = {
    id: spec.id,
    name: spec.name,
    path: `/fields/${spec.id}`,
    schema: state.behaviour.configurationSchemas === 'named' ? named : inline,
    lifecycle: spec.lifecycle,
  };
  const constraints = constraintsOf(spec);
  if (constraints) out['constraints'] = constraints;
  const values = inlineValues(state, type, spec);
  if (values) out['values'] = { data: values };
  return out;
}

const OPTION_SCHEMA = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, color: { type: 'string' } },
};
const MEMBER_SCHEMA = {
  type: 'object',
  required: ['id', 'email'],
  properties: { id: { type: 'string', format: 'uuid' }, email: { type: 'string' } },
};

/** The value schema: by name (the "Field Value Types" guide) and inline (ConfigurationField.schema). */
function schemaOf(spec: FieldSpec): { named: string; inline: Record<string, unknown> } {
  const kind = spec.source === 'standard' ? spec.kind : spec.def.kind;
  switch (kind) {
    case 'name':
      return { named: 'TextFieldValue', inline: { type: 'string', maxLength: 255 } };
    case 'richText':
      return { named: 'RichTextFieldValue', inline: { type: 'string', maxLength: 524288 } };
    case 'status':
      return {
        named: 'StatusFieldValue',
        inline: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
        },
      };
    case 'member':
      return { named: 'MemberFieldValue', inline: MEMBER_SCHEMA };
    case 'timeframe': {
      const date = { type: 'string', format: 'date' };
      const granularity = { type: 'string', enum: ['year', 'quarter', 'month', 'day'] };
      return { named: 'TimeframeFieldValue', inline: { type: 'object', properties: { startDate: date, endDate: date, granularity } } };
    }
    case 'boolean':
      return { named: 'BooleanFieldValue', inline: { type: 'boolean' } };
    case 'tags':
    case 'multiSelect':
      return { named: 'MultiSelectFieldValue', inline: { type: 'array', items: OPTION_SCHEMA } };
    case 'singleSelect':
      return { named: 'SingleSelectFieldValue', inline: OPTION_SCHEMA };
    case 'number':
      return { named: 'NumberFieldValue', inline: { type: 'number' } };
    case 'text':
      return { named: 'TextFieldValue', inline: { type: 'string', maxLength: 255 } };
    case 'date':
      return { named: 'DateFieldValue', inline: { type: 'string', format: 'date' } };
  }
}

function constraintsOf(spec: FieldSpec): Record<string, unknown> | undefined {
  if (spec.source === 'custom')
    return spec.def.kind === 'text' ? { maxLength: 255 } : spec.def.kind === 'multiSelect' ? { uniqueItems: true } : undefined;
  switch (spec.kind) {
    case 'name':
      return { required: true, allowEmpty: false, maxLength: 255 };
    case 'richText':
      return { maxLength: 524288 };
    case 'tags':
      return { uniqueItems: true };
    default:
      return undefined;
  }
}

/** Inline allowed values (FieldValues `data` only: every set here is small). */
function inlineValues(state: PbState, type: PbEntityType, spec: FieldSpec): Array<Record<string, unknown>> | undefined {
  if (spec.source === 'custom') return spec.def.options.length > 0 ? spec.def.options.map((o) => ({ id: o.id, name: o.name })) : undefined;
  if (spec.kind === 'status') {
    const assignedEntityTypes = typesOfGroup(type);
    return (state.fields.statusNames(type) ?? []).map((name) => ({ id: statusId(type, name), name, assignedEntityTypes }));
  }
  if (spec.kind === 'tags') return state.tagNames().map((name) => ({ id: tagId(name), name }));
  return undefined;
}

function typesOfGroup(type: PbEntityType): PbEntityType[] {
  const group = statusGroupOf(type);
  return PB_ENTITY_TYPES.filter((t) => group !== undefined && statusGroupOf(t) === group);
}

/** ConfigurationFilterParameter: the GET /v2/entities query parameters that apply to the type. */
function filtersFor(state: PbState, type: PbEntityType): Array<Record<string, unknown>> {
  const specs = fieldSpecsFor(state, type);
  const has = (id: string): boolean => specs.some((s) => s.id === id);
  const out: Array<Record<string, unknown>> = [
    { name: 'name', field: 'name', schema: { type: 'string' } },
    { name: 'archived', field: 'archived', schema: { type: 'boolean' } },
  ];
  if (has('status')) {
    out.push({ name: 'status[id]', field: 'status', schema: { type: 'string', format: 'uuid' } });
    out.push({ name: 'status[name]', field: 'status', schema: { type: 'string' } });
  }
  if (has('owner')) {
    out.push({ name: 'owner[id]', field: 'owner', schema: { type: 'string', format: 'uuid' } });
    out.push({ name: 'owner[email]', field: 'owner', schema: { type: 'string', format: 'email' }, requiredScopes: ['members:pii:read'] });
  }
  if (relationshipSpecsFor(type)['parent'])
    out.push({ name: 'parent[id]', relationship: 'parent', schema: { type: 'string', format: 'uuid' } });
  out.push({ name: 'metadata[source][system]', schema: { type: 'string' } });
  out.push({ name: 'metadata[source][recordId]', schema: { type: 'string' } });
  return out;
}

/**
 * GET /v2/entities/fields/{id}/values: the options of a select (SelectOptionValue, whose `color` is required) or the
 * values of the status field (StatusValue, filterable by `assignedEntityType[]`), 100 per page.
 */
export function listFieldValues(state: PbState, call: Call): SimResponse {
  const id = call.params['id'] ?? '';
  const values = fieldValues(state, id, call);
  const { page, next } = offsetPage(call, values, '', `/v2/entities/fields/${id}/values`, queryWithout(call, 'pageCursor'));
  return json(200, { data: page, links: { next } });
}

function fieldValues(state: PbState, id: string, call: Call): Array<Record<string, unknown>> {
  if (id === 'status') {
    const wanted = call.query.getAll('assignedEntityType[]').map((t) => parseType(t, { parameter: 'assignedEntityType[]' }));
    const out: Array<Record<string, unknown>> = [];
    for (const type of PB_ENTITY_TYPES) {
      const types = typesOfGroup(type);
      if (types[0] !== type) continue; // one entry per status group
      if (wanted.length > 0 && !types.some((t) => wanted.includes(t))) continue;
      for (const name of state.fields.statusNames(type) ?? [])
        out.push({ id: statusId(type, name), fields: { name, assignedEntityTypes: types } });
    }
    return out;
  }
  if (id === 'tags') return state.tagNames().map((name) => ({ id: tagId(name), fields: { name, color: 'gray' } }));
  const def: CustomFieldDef | undefined = state.fields.byId(id);
  if (!def) throw notFound('Field', id);
  if (def.kind !== 'singleSelect' && def.kind !== 'multiSelect') {
    throw bad(`Field '${def.name}' is a ${def.kind} field; only select-type and status fields have values.`, { parameter: 'id' });
  }
  return def.options.map((o) => ({ id: o.id, fields: { name: o.name, color: 'gray' } }));
}
