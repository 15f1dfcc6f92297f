import type { SimResponse } from '../http.js';
import {
  basePath,
  deref,
  escapePointerSegment,
  findOperation,
  indexOperations,
  type Located,
  type OpenApiDocument,
  type Operation,
} from './operations.js';
import { DocumentSchemas, type SchemaProblem } from './schemas.js';

// One service's published contract: which operation a request is, whether the request satisfies it (path and query
// parameters, content type, body), and whether an answer is one the operation documents (status, body).

/** Which part of an exchange a problem is in. 'route', 'json' and 'content-type' come before any schema. */
export type ContractPart = 'route' | 'path' | 'query' | 'content-type' | 'json' | 'body' | 'status';

export interface ContractProblem extends SchemaProblem {
  part: ContractPart;
  /** The parameter's name, for 'path' and 'query' problems (the pointer starts with it). */
  parameter?: string;
}

export interface RequestInput {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}

export interface RequestVerdict {
  /** Absent when the specification documents no operation for the method and path. */
  operation?: Operation;
  problems: ContractProblem[];
}

type Json = Record<string, unknown>;

const jsonMediaType = (mt: string): boolean => mt === 'application/json' || /^application\/[\w.-]+\+json$/.test(mt);
const mediaType = (contentType: string | undefined): string | undefined => contentType?.split(';')[0]?.trim().toLowerCase() || undefined;

export class ServiceContract {
  private readonly operations: Operation[];
  private readonly bases: string[];
  private readonly schemas: DocumentSchemas;

  constructor(private readonly docs: readonly OpenApiDocument[]) {
    if (docs.length === 0) throw new Error('a contract needs at least one OpenAPI document');
    this.operations = indexOperations(docs);
    this.bases = [...new Set(docs.map(basePath))];
    if (this.bases.length > 1) throw new Error(`one service's documents must share one base path (got ${this.bases.join(', ')})`);
    this.schemas = new DocumentSchemas(docs);
  }

  /** The documented operation for a method and a full request path, if any. */
  operation(method: string, path: string): Operation | undefined {
    const found = findOperation(this.operations, this.bases[0] ?? '', method, path);
    return found.kind === 'found' ? found.operation : undefined;
  }

  request(input: RequestInput): RequestVerdict {
    const found = findOperation(this.operations, this.bases[0] ?? '', input.method, input.path);
    if (found.kind === 'undocumented') {
      return { problems: [{ part: 'route', pointer: '', message: `${input.method} ${input.path}: ${found.reason}`, value: '(absent)' }] };
    }
    const op = found.operation;
    const problems: ContractProblem[] = [];
    if (op.deprecated) problems.push({ part: 'route', pointer: '', message: `${op.name} is deprecated`, value: input.path });
    const params = this.parameters(op);
    problems.push(...this.pathParameters(op, params, found.params));
    problems.push(...this.queryParameters(op, params, input.query));
    problems.push(...this.body(op, input));
    return { operation: op, problems };
  }

  response(op: Operation, res: SimResponse): ContractProblem[] {
    const doc = this.docs[op.doc] as OpenApiDocument;
    const responses = (op.located.value['responses'] ?? {}) as Json;
    const status = String(res.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => responses[k] !== undefined);
    if (key === undefined) {
      const documented = Object.keys(responses).join(', ');
      return [
        {
          part: 'status',
          pointer: '',
          message: `${status} is not a documented response of ${op.name} (documented: ${documented})`,
          value: status,
        },
      ];
    }
    const response = deref(doc, { value: responses[key] as Json, pointer: `${op.located.pointer}/responses/${key}` });
    const content = response.value['content'] as Json | undefined;
    if (!content || res.status === 204) return [];
    const types = Object.keys(content);
    const jsonType = types.find(jsonMediaType);
    if (res.json === undefined) {
      // An empty body is what Jira sends where its specification documents the schema `{}` (anything).
      const anything = jsonType !== undefined && isEmptySchema((content[jsonType] as Json)['schema']);
      if (jsonType && !anything && !types.some((t) => t.startsWith('text/') || t === '*/*')) {
        return [
          {
            part: 'content-type',
            pointer: '',
            message: `answers non-JSON where ${op.name} documents ${types.join(', ')} for ${key}`,
            value: JSON.stringify(res.text ?? '').slice(0, 120),
          },
        ];
      }
      return [];
    }
    if (!jsonType) {
      return [
        {
          part: 'content-type',
          pointer: '',
          message: `answers JSON where ${op.name} documents ${types.join(', ')} for ${key}`,
          value: '(json)',
        },
      ];
    }
    const media = content[jsonType] as Json;
    if (!media['schema']) return [];
    const check = this.schemas.check(op.doc, `${response.pointer}/content/${escapePointerSegment(jsonType)}/schema`);
    return check(res.json).map((p) => ({ ...p, part: 'body' }));
  }

  /** Operation parameters over path-item parameters (same name and location), each dereferenced. */
  private parameters(op: Operation): Located[] {
    const doc = this.docs[op.doc] as OpenApiDocument;
    const collect = (owner: Located): Located[] =>
      ((owner.value['parameters'] ?? []) as Json[]).map((p, i) => deref(doc, { value: p, pointer: `${owner.pointer}/parameters/${i}` }));
    const byKey = new Map<string, Located>();
    for (const p of [...collect(op.pathItem), ...collect(op.located)]) byKey.set(`${String(p.value['in'])}:${String(p.value['name'])}`, p);
    return [...byKey.values()];
  }

  private pathParameters(op: Operation, params: Located[], values: Record<string, string>): ContractProblem[] {
    const problems: ContractProblem[] = [];
    for (const p of params.filter((x) => x.value['in'] === 'path')) {
      const name = String(p.value['name']);
      const raw = values[name];
      if (raw === undefined) continue;
      problems.push(...this.checkParameter(op, p, [raw], 'path'));
    }
    return problems;
  }

  private queryParameters(op: Operation, params: Located[], query: URLSearchParams): ContractProblem[] {
    const problems: ContractProblem[] = [];
    const documented = params.filter((x) => x.value['in'] === 'query');
    const names = new Set(documented.map((p) => String(p.value['name'])));
    for (const name of new Set(query.keys())) {
      if (!names.has(name))
        problems.push({
          part: 'query',
          parameter: name,
          pointer: `/${escapePointerSegment(name)}`,
          message: `is not a query parameter of ${op.name}`,
          value: JSON.stringify(query.getAll(name)),
        });
    }
    for (const p of documented) {
      const name = String(p.value['name']);
      const values = query.getAll(name);
      if (values.length === 0) {
        if (p.value['required'] === true)
          problems.push({
            part: 'query',
            parameter: name,
            pointer: `/${escapePointerSegment(name)}`,
            message: 'is required but missing',
            value: '(absent)',
          });
        continue;
      }
      problems.push(...this.checkParameter(op, p, values, 'query'));
    }
    return problems;
  }

  /**
   * Parameters arrive as strings; they are typed by their schema before checking (form style: an array is the
   * repeated name, or with explode=false one comma-separated value).
   */
  private checkParameter(op: Operation, p: Located, raw: string[], part: 'path' | 'query'): ContractProblem[] {
    if (!p.value['schema']) return [];
    const doc = this.docs[op.doc] as OpenApiDocument;
    const name = String(p.value['name']);
    const pointer = `/${escapePointerSegment(name)}`;
    const schema = deref(doc, { value: p.value['schema'] as Json, pointer: `${p.pointer}/schema` });
    let value: unknown;
    if (primaryType(schema.value) === 'array') {
      const items = schema.value['items']
        ? deref(doc, { value: schema.value['items'] as Json, pointer: `${schema.pointer}/items` }).value
        : {};
      const parts = p.value['explode'] === false ? raw.flatMap((r) => r.split(',')) : raw;
      value = parts.map((v) => coerce(v, primaryType(items)));
    } else {
      if (raw.length > 1)
        return [
          { part, parameter: name, pointer, message: `is given ${raw.length} times but is not an array`, value: JSON.stringify(raw) },
        ];
      value = coerce(raw[0] ?? '', primaryType(schema.value));
    }
    return this.schemas
      .check(
        op.doc,
        `${p.pointer}/schema`,
      )(value)
      .map((problem) => ({
        ...problem,
        part,
        parameter: name,
        pointer: `${pointer}${problem.pointer}`,
        value: problem.pointer === '' ? JSON.stringify(raw.length === 1 ? raw[0] : raw) : problem.value,
      }));
  }

  private body(op: Operation, input: RequestInput): ContractProblem[] {
    const doc = this.docs[op.doc] as OpenApiDocument;
    const declared = op.located.value['requestBody'] as Json | undefined;
    const empty = input.body.length === 0;
    if (!declared) {
      return empty
        ? []
        : [{ part: 'body', pointer: '', message: `${op.name} takes no request body`, value: input.body.toString('utf8').slice(0, 120) }];
    }
    const rb = deref(doc, { value: declared, pointer: `${op.located.pointer}/requestBody` });
    if (empty)
      return rb.value['required'] === true ? [{ part: 'body', pointer: '', message: 'a request body is required', value: '(absent)' }] : [];
    const content = (rb.value['content'] ?? {}) as Json;
    const mt = mediaType(input.contentType);
    const documentedType = mt !== undefined && content[mt] !== undefined ? mt : undefined;
    if (!documentedType) {
      return [
        {
          part: 'content-type',
          pointer: '',
          message: `Content-Type must be one of ${Object.keys(content).join(', ')}`,
          value: JSON.stringify(input.contentType ?? '(absent)'),
        },
      ];
    }
    if (!jsonMediaType(documentedType)) return [];
    let value: unknown;
    try {
      value = JSON.parse(input.body.toString('utf8'));
    } catch (e) {
      return [
        {
          part: 'json',
          pointer: '',
          message: `the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
          value: input.body.toString('utf8').slice(0, 120),
        },
      ];
    }
    if (!(content[documentedType] as Json)['schema']) return [];
    const check = this.schemas.check(op.doc, `${rb.pointer}/content/${escapePointerSegment(documentedType)}/schema`);
    return check(value).map((p) => ({ ...p, part: 'body' }));
  }
}

function isEmptySchema(schema: unknown): boolean {
  return schema === undefined || (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0);
}

function primaryType(schema: Json): string | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t as string[]).find((x) => x !== 'null');
  return undefined;
}

/** A query or path string typed as its schema asks; left as the string when it does not parse, so the schema names the error. */
function coerce(raw: string, type: string | undefined): unknown {
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}
