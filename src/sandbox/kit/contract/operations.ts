// The operations of a set of OpenAPI documents, found by method and path. A sandbox route is checked against the
// operation the vendor documents for the same method and path, never against a schema picked by hand.

/** An OpenAPI 3.0 or 3.1 document, as parsed JSON. Only the parts the checks read are typed. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  servers?: Array<{ url: string }>;
  paths?: Record<string, Json>;
  [key: string]: unknown;
}

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** An object inside a document and the JSON pointer it sits at (the pointer is what the schema validator compiles). */
export interface Located {
  value: Json;
  pointer: string;
}

export interface Operation {
  /** Which document of the service (index into its document list). */
  doc: number;
  method: string;
  /** The documented template, e.g. '/entities/{id}' (without the server's base path). */
  template: string;
  /** 'POST /entities/search (performEntitiesSearch)': how violations name it. */
  name: string;
  deprecated: boolean;
  located: Located;
  /** The path item: parameters declared there apply to every method under it. */
  pathItem: Located;
  regex: RegExp;
  /** Literal segments first: '/entities/search' wins over '/entities/{id}'. */
  specificity: number;
  pathParams: string[];
}

export function escapePointerSegment(s: string): string {
  return s.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Follows `$ref`s inside one document (parameters, request bodies and responses are often references). */
export function deref(doc: OpenApiDocument, at: Located): Located {
  let cur = at;
  for (let i = 0; i < 20; i++) {
    const ref = cur.value['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return cur;
    let value: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const seg = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      value = (value as Json | undefined)?.[seg];
    }
    if (typeof value !== 'object' || value === null) throw new Error(`unresolved $ref ${ref}`);
    cur = { value: value as Json, pointer: ref.slice(1) };
  }
  throw new Error(`$ref chain too long at ${at.pointer}`);
}

/** The path prefix of the document's first server ('/v2' for Productboard, '' for Jira). */
export function basePath(doc: OpenApiDocument): string {
  const url = doc.servers?.[0]?.url;
  if (!url) return '';
  const path = new URL(url, 'http://x').pathname.replace(/\/$/, '');
  return path === '/' ? '' : path;
}

export function indexOperations(docs: readonly OpenApiDocument[]): Operation[] {
  const ops: Operation[] = [];
  docs.forEach((doc, d) => {
    for (const [template, item] of Object.entries(doc.paths ?? {})) {
      const itemPointer = `/paths/${escapePointerSegment(template)}`;
      const names: string[] = [];
      const segments = template.split('/');
      const pattern = segments
        .map((seg) => {
          const m = /^\{([^}]+)\}$/.exec(seg);
          if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1] ?? '');
          return '([^/]+)';
        })
        .join('/');
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        const operationId = typeof op['operationId'] === 'string' ? ` (${op['operationId']})` : '';
        ops.push({
          doc: d,
          method: method.toUpperCase(),
          template,
          name: `${method.toUpperCase()} ${template}${operationId}`,
          deprecated: op['deprecated'] === true,
          located: { value: op, pointer: `${itemPointer}/${method}` },
          pathItem: { value: item, pointer: itemPointer },
          regex: new RegExp(`^${pattern}/?$`),
          specificity: segments.length * 2 - names.length,
          pathParams: names,
        });
      }
    }
  });
  return ops.sort((a, b) => b.specificity - a.specificity);
}

export type OperationMatch =
  { kind: 'found'; operation: Operation; params: Record<string, string> } | { kind: 'undocumented'; reason: string };

export function findOperation(ops: readonly Operation[], base: string, method: string, fullPath: string): OperationMatch {
  if (base !== '' && fullPath !== base && !fullPath.startsWith(`${base}/`)) {
    return { kind: 'undocumented', reason: `the path is outside the documented base path ${base}` };
  }
  const path = fullPath.slice(base.length) || '/';
  let pathKnown = false;
  for (const op of ops) {
    const m = op.regex.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (op.method !== method) continue;
    const params: Record<string, string> = {};
    op.pathParams.forEach((n, i) => {
      params[n] = safeDecode(m[i + 1] ?? '');
    });
    return { kind: 'found', operation: op, params };
  }
  return {
    kind: 'undocumented',
    reason: pathKnown ? `the specification documents no ${method} on this path` : 'the specification documents no such path',
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
