import { z } from 'zod';
import { SyncError, isSyncError } from '../../src/errors.js';
import { parseResponse } from '../../src/http/parse-response.js';
import { missingIntegration, type Connection, type ConnectionOutcome } from '../../src/model/connection.js';
import type { ConnectionWriter, PluginIntegrationInfo, PluginIntegrations } from '../../src/model/ports.js';
import type { ProductboardClient } from './client.js';

// Productboard's plugin integrations (plugin-integrations.openapi.json,
// https://developer.productboard.com/v2/openapi): the integration itself (found by id or name,
// created with its action URL and Authorization secret), and one connection per entity, set by an
// upsert (PUT) and reset by DELETE, which the spec names equivalent to PUT with `state: initial`.

const LIST = 'GET /v2/plugin-integrations';
const GET = 'GET /v2/plugin-integrations/{id}';
const CREATE = 'POST /v2/plugin-integrations';
const PUT = 'PUT /v2/plugin-integrations/{id}/connections/{entityId}';
const DELETE = 'DELETE /v2/plugin-integrations/{id}/connections/{entityId}';

const integrationSchema = z.object({
  id: z.string(),
  fields: z.object({ name: z.string(), integrationStatus: z.enum(['enabled', 'disabled']) }),
});
const createdSchema = z.object({ data: z.object({ id: z.string() }) });

const info = (raw: z.infer<typeof integrationSchema>): PluginIntegrationInfo => ({
  id: raw.id,
  name: raw.fields.name,
  enabled: raw.fields.integrationStatus === 'enabled',
});

export class ProductboardPluginIntegrations implements ConnectionWriter, PluginIntegrations {
  /** The configured integration's id, found once per process, when the first connection is written. */
  private configuredId: Promise<string> | undefined;

  constructor(
    private readonly client: ProductboardClient,
    private readonly configured: { id: string } | { name: string } | null,
  ) {}

  async find(ref: { id: string } | { name: string }): Promise<PluginIntegrationInfo | null> {
    if ('id' in ref) {
      try {
        return info(
          parseResponse(
            integrationSchema,
            await this.client.get(GET, `/v2/plugin-integrations/${encodeURIComponent(ref.id)}`),
            'productboard',
            GET,
          ),
        );
      } catch (error) {
        if (isSyncError(error) && error.status === 404) return null;
        throw error;
      }
    }
    for await (const page of this.client.list(LIST, '/v2/plugin-integrations')) {
      for (const raw of page) {
        const found = info(parseResponse(integrationSchema, raw, 'productboard', LIST));
        if (found.name === ref.name) return found;
      }
    }
    return null;
  }

  /** Productboard probes the action URL before it answers: `serve` must be reachable there already. */
  async create(input: { name: string; actionUrl: string; authorization: string }): Promise<PluginIntegrationInfo> {
    const body = {
      data: {
        fields: {
          type: 'pb-jira-sync',
          name: input.name,
          integrationStatus: 'enabled',
          initialState: { label: 'Push' },
          action: { url: input.actionUrl, version: 1, headers: { authorization: input.authorization } },
        },
      },
    };
    const created = parseResponse(createdSchema, await this.client.create(CREATE, '/v2/plugin-integrations', body), 'productboard', CREATE);
    return { id: created.data.id, name: input.name, enabled: true };
  }

  async writeConnection(pbId: string, connection: Connection): Promise<ConnectionOutcome> {
    const integrationId = await this.integrationId();
    const path = `/v2/plugin-integrations/${encodeURIComponent(integrationId)}/connections/${encodeURIComponent(pbId)}`;
    try {
      if (connection.state === 'initial') await this.client.delete(DELETE, path);
      else await this.client.put(PUT, path, { data: { fields: { connection } } });
      return { ok: true };
    } catch (error) {
      if (isSyncError(error) && error.status === 404)
        return { ok: false, gone: 'the entity no longer exists in Productboard (deleted meanwhile)' };
      throw error;
    }
  }

  private integrationId(): Promise<string> {
    const ref = this.configured;
    if (!ref) return Promise.reject(new Error('no plugin integration is configured'));
    this.configuredId ??= this.find(ref).then((found) => {
      if (found) return found.id;
      throw new SyncError('config', `${missingIntegration(ref)} (see \`pb-jira-sync validate\`)`, {
        service: 'productboard',
        endpoint: LIST,
      });
    });
    // A failed lookup is tried again by the next write (a transient error must not stick for the process's life).
    this.configuredId.catch(() => (this.configuredId = undefined));
    return this.configuredId;
  }
}
