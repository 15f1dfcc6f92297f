import type { AxiosResponse } from 'axios';
import { Version3Client } from 'jira.js';
import type { HttpPolicy, RequestSpec } from '../../src/http/policy.js';

export interface JiraClientOptions {
  host: string;
  email: string;
  apiToken: string;
  policy: HttpPolicy;
}

interface RequestConfigLike {
  url?: string;
  method?: string;
}

// POSTs that only read, or that upsert by a key (remote links by globalId): safe to retry.
const IDEMPOTENT_POSTS = [/\/search\/jql$/, /\/issue\/bulkfetch$/, /\/issue\/\{id\}\/remotelink$/];

/** `/rest/api/3/issue/PBJ-12/transitions` → `/rest/api/3/issue/{id}/transitions`: one stats key per endpoint. */
export function routeTemplate(url: string): string {
  const path = url.split('?')[0] ?? url;
  return path
    .replace(/\/project\/[^/]+/, '/project/{key}')
    .replace(/\/properties\/[^/]+/, '/properties/{key}')
    .replace(/\/issue\/(?!bulk$|bulkfetch$|createmeta|properties\b|picker$)[^/]+/, '/issue/{id}');
}

function issueOf(url: string): string | undefined {
  const match = /\/issue\/(?!bulk$|bulkfetch$|createmeta|properties\b|picker$)([^/?]+)/.exec(url);
  return match?.[1];
}

export function requestSpecFor(config: RequestConfigLike): RequestSpec {
  const method = (config.method ?? 'GET').toUpperCase();
  const url = config.url ?? '';
  const template = routeTemplate(url);
  const issueKey = method === 'GET' ? undefined : issueOf(url);
  const idempotent = method !== 'POST' || IDEMPOTENT_POSTS.some((re) => re.test(template));
  return { service: 'jira', method, route: `${method} ${template}`, idempotent, ...(issueKey ? { issueKey } : {}) };
}

/**
 * jira.js 5 sends every call through `sendRequestFullResponse` (docs/architecture.md, principle 6:
 * wrap a third-party client at its chokepoint). Overriding it puts every Jira request under the shared
 * policy; overriding `handleFailedResponse` keeps our SyncError instead of jira.js's wrapper.
 * jira.js 5 has no retry of its own (docs/vendor-notes.md §7).
 */
export class PolicyJiraClient extends Version3Client {
  private readonly policy: HttpPolicy;

  constructor(options: JiraClientOptions) {
    super({
      host: options.host,
      authentication: { basic: { email: options.email, apiToken: options.apiToken } },
      // No timeout of its own: the policy gives every attempt a total deadline (headers and body).
      // maxContentLength: a response bigger than the policy's cap is cut off as an invalid response.
      baseRequestConfig: { maxRedirects: 0, maxContentLength: options.policy.limits.maxResponseBytes },
    });
    this.policy = options.policy;
  }

  override async sendRequestFullResponse<T>(
    requestConfig: Parameters<Version3Client['sendRequestFullResponse']>[0],
  ): Promise<AxiosResponse<T>> {
    const spec = requestSpecFor(requestConfig as RequestConfigLike);
    return this.policy.execute(spec, (signal) => super.sendRequestFullResponse<T>(signal ? { ...requestConfig, signal } : requestConfig));
  }

  override handleFailedResponse<T>(error: unknown): void {
    // The policy already turned the failure into a SyncError naming service and endpoint.
    throw error as T;
  }
}
