import { parseResponse } from '../../src/http/parse-response.js';
import type { ProductboardClient } from './client.js';
import { Configurations } from './configurations.js';
import { configurationSchema, statusValueSchema } from './schemas.js';

const CONFIGURATION = 'GET /v2/entities/configurations/{type}';
const FIELD_VALUES = 'GET /v2/entities/fields/{id}/values';

/**
 * The status names the workspace allows for one entity type, from its configuration
 * (https://developer.productboard.com/v2.0.0/reference/getentityconfiguration): the `status` field's
 * values, inline or, when there are more, behind `values.links.next` (FieldValues: "data + links.next:
 * preview in data, full list at link"). Statuses are per type: initiatives have their own set.
 * Null when the type has no status field.
 */
export async function readStatusNames(
  client: ProductboardClient,
  type: string,
  configurations = new Configurations(client),
): Promise<string[] | null> {
  const data = await configurations.of(type);
  const configuration = parseResponse(configurationSchema, data, 'productboard', CONFIGURATION);
  const status = configuration.fields['status'];
  if (!status) return null;
  const names = new Set((status.values?.data ?? []).map((v) => v.name));
  const more = status.values?.links?.next;
  if (more) {
    for await (const page of client.list(FIELD_VALUES, more)) {
      for (const raw of page) names.add(parseResponse(statusValueSchema, raw, 'productboard', FIELD_VALUES).fields.name);
    }
  }
  return [...names];
}
