import axios, { type AxiosInstance } from 'axios';
import { SyncError, isSyncError } from '../../src/errors.js';
import type { AttemptFailure } from '../../src/http/failure.js';
import type { HttpPolicy } from '../../src/http/policy.js';
import { parseResponse } from '../../src/http/parse-response.js';
import { pageSchema, resourceSchema } from './schemas.js';

/**
 * Pages one read may take before it is stopped. Productboard v2 gives no totals to derive a bound
 * from (docs/vendor-notes.md §8, "Paging"), so this is a ceiling: 10,000 pages of 100 is a million
 * records of one type, far beyond any workspace, and at 50 requests a second about 3.5 minutes.
 */
export const MAX_PAGES_PER_READ = 10_000;

/** Redirects followed for one request (a merged entity's 308 points at the survivor; chains are short). */
const MAX_REDIRECTS = 5;

export interface ProductboardClientOptions {
  /** e.g. https://api.productboard.com; v2 paths live under `<base>/v2/...`. */
  baseUrl: string;
  token: string;
  policy: HttpPolicy;
  /** Default MAX_PAGES_PER_READ; tests lower it. */
  maxPagesPerRead?: number;
}

interface Page {
  data: unknown[];
  next: string | null;
}

/** Productboard v2 over axios, every request through the shared HTTP policy. */
export class ProductboardClient {
  private readonly http: AxiosInstance;
  private readonly origin: string;
  private readonly maxPages: number;

  constructor(private readonly options: ProductboardClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
    this.maxPages = options.maxPagesPerRead ?? MAX_PAGES_PER_READ;
    this.http = axios.create({
      baseURL: options.baseUrl,
      // No timeout of its own: the policy gives every attempt a total deadline (headers and body).
      // v2 wants Accept: application/json on every request and no X-Version header (migration guide).
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      // Redirects are followed by `get` itself, same origin only: axios would send our token anywhere.
      maxRedirects: 0,
      // A page bigger than this is cut off as an invalid response instead of exhausting memory.
      maxContentLength: options.policy.limits.maxResponseBytes,
    });
  }

  /**
   * POST /v2/entities/search, every page. The cursor is taken out of `links.next` and sent as the
   * search's own `pageCursor` query parameter with the same body: the one example of the shared list
   * response points `next` at GET /v2/entities, and POSTing there would be createEntity
   * (docs/vendor-notes.md §8, "Contradictions").
   */
  searchEntities(body: unknown): AsyncGenerator<unknown[]> {
    const route = 'POST /v2/entities/search';
    const post = (cursor: string | null) =>
      this.send(route, (signal) =>
        this.http.post('/v2/entities/search', body, { signal, ...(cursor ? { params: { pageCursor: cursor } } : {}) }),
      );
    return this.follow(
      route,
      async (cursor) => this.asPage(route, await post(cursor)),
      (next) => this.pageCursorOf(next, route),
    );
  }

  /** A GET list from its first path (or a `links.next` URL) to its last page. */
  list(route: string, first: string): AsyncGenerator<unknown[]> {
    return this.follow(
      route,
      (path) => this.getPage(route, path ?? first),
      (next) => this.sameOrigin(next, route, 'links.next'),
    );
  }

  /** GET of one resource; its `data`. */
  async get(route: string, path: string): Promise<unknown> {
    return parseResponse(resourceSchema, await this.getFollowing(route, path), 'productboard', route).data;
  }

  /** PATCH of one resource (an entity update sets values: sent again, it changes nothing more). */
  async patch(route: string, path: string, body: unknown): Promise<unknown> {
    return this.send(route, (signal) => this.http.patch(path, body, { signal }));
  }

  /**
   * Every page of one read, guarded: a `links.next` already followed, or more than `maxPages`
   * pages, stops the read with an `invalid-response` error naming the endpoint, so a server that
   * loops ends the pass in bounded time instead of hammering it forever. `cursorOf` turns a
   * `links.next` into what `fetchPage` takes for the next page (null: the first).
   */
  private async *follow(
    route: string,
    fetchPage: (cursor: string | null) => Promise<Page>,
    cursorOf: (next: string) => string,
  ): AsyncGenerator<unknown[]> {
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let pages = 1; ; pages++) {
      const page = await fetchPage(cursor);
      yield page.data;
      if (!page.next) return;
      cursor = cursorOf(page.next);
      if (seen.has(cursor))
        throw this.invalid(route, `links.next repeats a cursor already followed (after page ${pages}); stopped reading`);
      if (pages >= this.maxPages) throw this.invalid(route, `more than ${this.maxPages} pages in one read (the ceiling); stopped reading`);
      seen.add(cursor);
    }
  }

  private async getPage(route: string, pathOrUrl: string): Promise<Page> {
    return this.asPage(route, await this.getFollowing(route, pathOrUrl));
  }

  private asPage(route: string, body: unknown): Page {
    const parsed = parseResponse(pageSchema, body, 'productboard', route);
    return { data: parsed.data, next: parsed.links?.next ?? null };
  }

  /**
   * GET, following a 308 Permanent Redirect on the same origin: Productboard answers one for a
   * merged entity's GET and relationships, pointing at the entity it was merged into (v2 changelog
   * 2026-10-26, https://developer.productboard.com/changelog). Any other host is refused.
   */
  private async getFollowing(route: string, pathOrUrl: string): Promise<unknown> {
    let url = /^https?:/i.test(pathOrUrl) ? this.sameOrigin(pathOrUrl, route, 'links.next') : pathOrUrl;
    for (let hops = 0; ; hops++) {
      try {
        const target = url;
        return await this.send(route, (signal) => this.http.get(target, { signal }));
      } catch (error) {
        const location = redirectLocation(error);
        if (location === undefined) throw error;
        if (hops >= MAX_REDIRECTS) throw this.invalid(route, `more than ${MAX_REDIRECTS} redirects; stopped following`, 308);
        url = this.sameOrigin(new URL(location, this.origin).toString(), route, 'the redirect (HTTP 308)', 308);
      }
    }
  }

  private async send(route: string, request: (signal: AbortSignal) => Promise<{ data: unknown }>): Promise<unknown> {
    const response = await this.options.policy.execute(
      { service: 'productboard', method: route.split(' ')[0]!, route, idempotent: true },
      request,
    );
    return response.data;
  }

  private pageCursorOf(next: string, route: string): string {
    let cursor: string | null = null;
    try {
      cursor = new URL(next, this.origin).searchParams.get('pageCursor');
    } catch {
      // Reported below like a link without a cursor.
    }
    if (!cursor) throw this.invalid(route, `links.next carries no pageCursor: ${this.options.policy.scrub(next.slice(0, 100))}`);
    return cursor;
  }

  /** Cursor links and redirects are absolute; never send the token to a host other than the configured one. */
  private sameOrigin(url: string, route: string, what: string, status?: number): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw this.invalid(route, `${what} is not a URL: ${this.options.policy.scrub(url.slice(0, 100))}`, status);
    }
    if (parsed.origin !== this.origin) {
      throw this.invalid(route, `${what} points to another host (${parsed.origin}); refusing to send the token there`, status);
    }
    return parsed.pathname + parsed.search;
  }

  private invalid(route: string, message: string, status?: number): SyncError {
    return new SyncError('invalid-response', message, { service: 'productboard', endpoint: route, ...(status ? { status } : {}) });
  }
}

/** The Location of a 308 the policy reported as a failure, if that is what `error` is. */
function redirectLocation(error: unknown): string | undefined {
  if (!isSyncError(error) || error.status !== 308) return undefined;
  return (error.cause as AttemptFailure | undefined)?.headers?.['location'];
}

/** A 308 that could not be followed (another host, too many hops): the caller may report it per item. */
export const isRedirectError = (error: unknown): boolean => isSyncError(error) && error.status === 308;
