import { z } from 'zod';
import { SyncError, isSyncError } from '../../src/errors.js';
import { parseResponse } from '../../src/http/parse-response.js';
import type { DeliveryWrite, WriteBackOutcome } from '../../src/model/delivery.js';
import type { DeliveryCatalog, DeliveryWriter, SourceField } from '../../src/model/ports.js';
import type { ProductboardClient } from './client.js';
import type { Configurations } from './configurations.js';
import { readStatusNames } from './configuration.js';

// Delivery written back to Productboard: one entity update per item (PATCH /v2/entities/{id},
// https://developer.productboard.com/v2.0.0/reference/updateentity) setting its custom fields by
// id. The mapping names fields as people see them; their ids come from the type's configuration
// (GET /v2/entities/configurations/{type}, shared with the status check), read once per type per
// process and only when there is something to write, so a pass with nothing to write sends nothing.

const CONFIGURATION = 'GET /v2/entities/configurations/{type}';
const UPDATE = 'PATCH /v2/entities/{id}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ConfigurationField: `schema` is an inline JSON Schema, or (as the "Field Value Types" guide shows it) the value type's name. */
const configurationFieldsSchema = z.object({
  fields: z.record(z.string(), z.object({ id: z.string(), name: z.string(), schema: z.unknown() })),
});

/** `text`, `number`, or the value type's own name: what `validate` compares with what a delivery value needs. */
function kindOf(schema: unknown): string {
  if (typeof schema === 'string') return schema.replace(/FieldValue$/, '').replace(/^./, (c) => c.toLowerCase());
  const type = z.object({ type: z.string(), format: z.string().optional() }).safeParse(schema);
  if (!type.success) return 'unknown';
  if (type.data.type === 'string') return type.data.format ? type.data.format : 'text';
  return type.data.type;
}

export class ProductboardDeliveryWriter implements DeliveryWriter, DeliveryCatalog {
  constructor(
    private readonly client: ProductboardClient,
    private readonly configurations: Configurations,
  ) {}

  async fields(type: string): Promise<SourceField[]> {
    const configuration = parseResponse(configurationFieldsSchema, await this.configurations.of(type), 'productboard', CONFIGURATION);
    return Object.values(configuration.fields).map((f) => ({ id: f.id, name: f.name, kind: kindOf(f.schema) }));
  }

  /** The workspace's spelling of a status the mapping names (Productboard matches status names exactly). */
  private async statusName(type: string, name: string): Promise<string> {
    const names = (await readStatusNames(this.client, type, this.configurations)) ?? [];
    // The mapping matches status names whatever their case (src/mapping/status-table.ts), so does this.
    const key = (n: string) => n.trim().toLowerCase();
    const found = names.find((n) => key(n) === key(name));
    if (found === undefined)
      throw new SyncError('rejected', `Productboard has no status "${name}" for ${type}s (see \`validate\`)`, {
        service: 'productboard',
        endpoint: UPDATE,
      });
    return found;
  }

  async write(write: DeliveryWrite): Promise<WriteBackOutcome> {
    const fields: Record<string, string | number | { name: string }> = {};
    const known = write.changes.some((c) => !UUID.test(c.field)) ? await this.fields(write.pbType) : [];
    for (const change of write.changes) {
      const id = UUID.test(change.field) ? change.field : known.find((f) => f.name === change.field)?.id;
      if (!id)
        throw new SyncError('rejected', `Productboard has no field "${change.field}" on ${write.pbType} entities (see \`validate\`)`, {
          service: 'productboard',
          endpoint: UPDATE,
        });
      fields[id] = change.to;
    }
    if (write.status) fields['status'] = { name: await this.statusName(write.pbType, write.status.to) };
    try {
      await this.client.patch(UPDATE, `/v2/entities/${encodeURIComponent(write.pbId)}`, { data: { fields } });
      return { ok: true };
    } catch (error) {
      if (isSyncError(error) && error.status === 404)
        return { ok: false, gone: 'the entity no longer exists in Productboard (deleted meanwhile)' };
      throw error;
    }
  }
}
