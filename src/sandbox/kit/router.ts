import type { Call, SimResponse } from './http.js';

// A templated router: '/rest/api/3/issue/{id}' matches '/rest/api/3/issue/10001' with params { id: '10001' }. The
// template doubles as the rate-limit bucket key and the `route` in the request log.

/** A handler answers at once, or later when it must call out first (Productboard probes a plugin's action URL). */
export type Handler = (call: Call) => SimResponse | Promise<SimResponse>;

export interface RouteDef {
  method: string;
  template: string;
  handler: Handler;
  /** The sandbox's own route (not the vendor's API): never faulted, never held to the vendor's contract; still guarded. */
  control?: boolean;
}

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  /** `control`: the sandbox's own route (not the vendor's API): never faulted, never held to the vendor's contract. */
  | { kind: 'found'; route: string; params: Record<string, string>; handler: Handler; control?: boolean }
  | { kind: 'method-not-allowed'; route: string; allowed: string[] }
  | { kind: 'not-found'; route: string };

/** Finds the route of a request; `routes` lists every 'METHOD /template' served (the contract audits them). */
export interface RouteMatcher {
  (method: string, path: string): RouteMatch;
  routes?: readonly string[];
}

export function compileRoutes(defs: RouteDef[]): RouteMatcher {
  const compiled: CompiledRoute[] = defs.map((d) => {
    const names: string[] = [];
    const pattern = d.template
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (m) {
          names.push(m[1] ?? '');
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { ...d, regex: new RegExp(`^${pattern}/?$`), names };
  });
  const match = (method: string, path: string): RouteMatch => {
    const allowed: string[] = [];
    let firstTemplate: string | undefined;
    for (const r of compiled) {
      const m = r.regex.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        allowed.push(r.method);
        firstTemplate ??= r.template;
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = safeDecode(m[i + 1] ?? '');
      });
      return { kind: 'found', route: `${method} ${r.template}`, params, handler: r.handler, ...(r.control ? { control: true } : {}) };
    }
    if (firstTemplate !== undefined) return { kind: 'method-not-allowed', route: `${method} ${firstTemplate}`, allowed };
    return { kind: 'not-found', route: `${method} <unmatched>` };
  };
  return Object.assign(match, { routes: defs.filter((d) => !d.control).map((d) => `${d.method} ${d.template}`) });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
