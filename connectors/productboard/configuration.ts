import { parseResponse } from '../../src/http/parse-response.js';
import type { SourceCustomField } from '../../src/model/ports.js';
import type { ProductboardClient } from './client.js';
import { Configurations } from './configurations.js';
import { configurationSchema, statusValueSchema } from './schemas.js';

const CONFIGURATION = 'GET /v2/entities/configurations/{type}';
const FIELD_VALUES = 'GET /v2/entities/fields/{id}/values';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A type's configuration (https://developer.productboard.com/v2.0.0/reference/getentityconfiguration):
// its fields with their value schemas and, for statuses and selects, their values (FieldValues: "data +
// links.next: preview in data, full list at link"). Statuses are per type: initiatives have their own set.

type Configuration = ReturnType<typeof configurationSchema.parse>;
type ConfigurationField = Configuration['fields'][string];

/** Read through the process's one cache of configurations (configurations.ts): statuses, custom fields and write-back share it. */
async function readConfiguration(configurations: Configurations, type: string): Promise<Configuration> {
  return parseResponse(configurationSchema, await configurations.of(type), 'productboard', CONFIGURATION);
}

/** Every value name of a field: the inline preview, then the pages behind `links.next`. */
async function valueNames(client: ProductboardClient, field: ConfigurationField): Promise<string[]> {
  const names = new Set((field.values?.data ?? []).map((v) => v.name));
  const more = field.values?.links?.next;
  if (more) {
    for await (const page of client.list(FIELD_VALUES, more)) {
      for (const raw of page) names.add(parseResponse(statusValueSchema, raw, 'productboard', FIELD_VALUES).fields.name);
    }
  }
  return [...names];
}

/** The status names the workspace allows for one entity type; null when the type has no status field. */
export async function readStatusNames(
  client: ProductboardClient,
  type: string,
  configurations = new Configurations(client),
): Promise<string[] | null> {
  const status = (await readConfiguration(configurations, type)).fields['status'];
  return status ? valueNames(client, status) : null;
}

/** The custom fields (those keyed by a UUID) the workspace gives one entity type. */
export async function readCustomFields(
  client: ProductboardClient,
  type: string,
  configurations = new Configurations(client),
): Promise<SourceCustomField[]> {
  const configuration = await readConfiguration(configurations, type);
  const custom = Object.entries(configuration.fields).filter(([id]) => UUID.test(id));
  return Promise.all(
    custom.map(async ([id, field]): Promise<SourceCustomField> => {
      const kind = kindOf(field.schema);
      const options = kind === 'select' || kind === 'multiselect' ? await valueNames(client, field) : [];
      return { id, name: field.name ?? id, kind, options };
    }),
  );
}

const NAMED: Record<string, SourceCustomField['kind']> = {
  NumberFieldValue: 'number',
  TextFieldValue: 'text',
  DateFieldValue: 'date',
  SingleSelectFieldValue: 'select',
  MultiSelectFieldValue: 'multiselect',
  MemberFieldValue: 'member',
};

/** A field's kind from its value schema: named (the "Field Value Types" guide) or inline JSON Schema. */
function kindOf(schema: unknown): SourceCustomField['kind'] {
  if (typeof schema === 'string') return NAMED[schema] ?? 'other';
  const s = (schema ?? {}) as { type?: unknown; format?: unknown; properties?: Record<string, unknown>; required?: unknown };
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'string') return s.format === 'date' ? 'date' : 'text';
  if (s.type === 'array') return 'multiselect';
  // An object value names its keys in `properties` or, as the workspace configuration gives it, in `required`.
  const keys = [...Object.keys(s.properties ?? {}), ...(Array.isArray(s.required) ? (s.required as unknown[]).map(String) : [])];
  if (s.type === 'object') return keys.includes('email') ? 'member' : keys.includes('name') ? 'select' : 'other';
  return 'other';
}
