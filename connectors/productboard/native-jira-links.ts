import { z } from 'zod';
import { isSyncError } from '../../src/errors.js';
import { parseResponse } from '../../src/http/parse-response.js';
import type { NativeLink, NativeLinks } from '../../src/model/native-link.js';
import type { NativeLinkReader } from '../../src/model/ports.js';
import type { ProductboardClient } from './client.js';

// The links of Productboard's native Jira integration (jira-integrations.openapi.json,
// https://developer.productboard.com/v2.0.0/reference): GET /v2/jira-integrations (paged), then each
// integration's connections, GET /v2/jira-integrations/{id}/connections (paged): one per linked
// item, its id being the item's id. Read only when a pass is about to create issues.

const LIST = 'GET /v2/jira-integrations';
const ONE = 'GET /v2/jira-integrations/{integrationId}';
const CONNECTIONS = 'GET /v2/jira-integrations/{integrationId}/connections';
/** The scope both reads need (`security` of the Jira-integration operations). */
export const NATIVE_LINKS_SCOPE = 'jira-integrations:read';

const integrationSchema = z.object({
  id: z.string().min(1),
  fields: z.object({ name: z.string(), integrationStatus: z.enum(['enabled', 'disabled']) }),
});
const connectionSchema = z.object({
  id: z.string().min(1),
  fields: z.object({ issueKey: z.string().min(1), issueId: z.string().min(1) }),
});

type Integration = z.infer<typeof integrationSchema>;

export class ProductboardNativeLinks implements NativeLinkReader {
  constructor(
    private readonly client: ProductboardClient,
    /** An integration's id, or `discover`: every enabled one. */
    private readonly which: string,
  ) {}

  async read(): Promise<NativeLinks> {
    let integrations: Integration[];
    try {
      integrations = await this.integrations();
    } catch (error) {
      // Discovering, a token that may not read integrations means there is nothing to adopt through
      // it; said in the plan. A configured integration must be read.
      if (this.which === 'discover' && isSyncError(error) && error.kind === 'permission')
        return {
          integrations: [],
          byPbId: new Map(),
          unavailable: `the token lacks the \`${NATIVE_LINKS_SCOPE}\` scope: items linked by Productboard's Jira integration were not looked for`,
        };
      throw error;
    }
    const byPbId = new Map<string, NativeLink>();
    for (const integration of integrations) {
      const path = `/v2/jira-integrations/${encodeURIComponent(integration.id)}/connections`;
      for await (const page of this.client.list(CONNECTIONS, path)) {
        for (const raw of page) {
          const c = parseResponse(connectionSchema, raw, 'productboard', CONNECTIONS);
          // The first integration listed keeps an item linked by two.
          if (!byPbId.has(c.id)) byPbId.set(c.id, { pbId: c.id, ...c.fields, integration: integration.fields.name });
        }
      }
    }
    return { integrations: integrations.map((i) => i.fields.name), byPbId, unavailable: null };
  }

  private async integrations(): Promise<Integration[]> {
    if (this.which !== 'discover') {
      const one = await this.client.get(ONE, `/v2/jira-integrations/${encodeURIComponent(this.which)}`);
      return [parseResponse(integrationSchema, one, 'productboard', ONE)];
    }
    const all: Integration[] = [];
    for await (const page of this.client.list(LIST, '/v2/jira-integrations'))
      for (const raw of page) all.push(parseResponse(integrationSchema, raw, 'productboard', LIST));
    return all.filter((i) => i.fields.integrationStatus === 'enabled');
  }
}
