import axios, { type AxiosInstance } from 'axios';
import { SyncError } from '../../src/errors.js';
import type { HttpPolicy } from '../../src/http/policy.js';
import { parseResponse } from '../../src/http/parse-response.js';
import { pageSchema } from './schemas.js';

export interface ProductboardClientOptions {
  /** e.g. https://api.productboard.com; v2 paths live under `<base>/v2/...`. */
  baseUrl: string;
  token: string;
  policy: HttpPolicy;
}

export interface Page {
  data: unknown[];
  next: string | null;
}

/** Productboard v2 over axios, every request through the shared HTTP policy. */
export class ProductboardClient {
  private readonly http: AxiosInstance;
  private readonly origin: string;

  constructor(private readonly options: ProductboardClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
    this.http = axios.create({
      baseURL: options.baseUrl,
      // No timeout of its own: the policy gives every attempt a total deadline (headers and body).
      // v2 wants Accept: application/json on every request and no X-Version header (migration guide).
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      // Keep axios from following redirects with our token to another host.
      maxRedirects: 0,
      // A page bigger than this is cut off as an invalid response instead of exhausting memory.
      maxContentLength: options.policy.limits.maxResponseBytes,
    });
  }

  /** POST /v2/entities/search: one type per search; the cursor goes in the query, the body is resent. */
  searchEntities(body: unknown, cursorUrl: string | null): Promise<Page> {
    const route = 'POST /v2/entities/search';
    const url = cursorUrl ? this.sameOrigin(cursorUrl, route) : '/v2/entities/search';
    return this.page(route, (signal) => this.http.post(url, body, signal ? { signal } : {}));
  }

  /** GET of a `links.next` URL (relationships overflow, notes pages) or a first page path. */
  getPage(route: string, pathOrUrl: string, params?: Record<string, string>): Promise<Page> {
    const url = /^https?:/.test(pathOrUrl) ? this.sameOrigin(pathOrUrl, route) : pathOrUrl;
    return this.page(route, (signal) => this.http.get(url, { ...(params ? { params } : {}), ...(signal ? { signal } : {}) }));
  }

  private async page(route: string, send: (signal: AbortSignal | undefined) => Promise<{ data: unknown }>): Promise<Page> {
    const response = await this.options.policy.execute(
      { service: 'productboard', method: route.split(' ')[0]!, route, idempotent: true },
      send,
    );
    const parsed = parseResponse(pageSchema, response.data, 'productboard', route);
    return { data: parsed.data, next: parsed.links?.next ?? null };
  }

  /** Cursor links are absolute; never send the token to a host other than the configured one. */
  private sameOrigin(url: string, route: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SyncError('invalid-response', `links.next is not a URL: ${url.slice(0, 100)}`, {
        service: 'productboard',
        endpoint: route,
      });
    }
    if (parsed.origin !== this.origin) {
      throw new SyncError('invalid-response', `links.next points to another host (${parsed.origin}); refusing to send the token there`, {
        service: 'productboard',
        endpoint: route,
      });
    }
    return parsed.pathname + parsed.search;
  }
}
