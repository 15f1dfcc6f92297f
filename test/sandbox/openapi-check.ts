import ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { vendorSpec } from '../contract/load-contracts.js';

// Validates sandbox answers against the Productboard v2 OpenAPI 3.1 bundles vendored under test/contract/specs (JSON Schema
// 2020-12 through ajv: formats, lengths, patterns, const and enums included), and reads the bundles' examples so a
// test can compare a sandbox answer with the shape the vendor shows.

export type PbSpecName = 'entities' | 'notes' | 'plugin-integrations' | 'jira-integrations';

type Json = Record<string, unknown>;

// ajv's 2020 build is CommonJS: its default import is module.exports, whose `default` is the class.
const Ajv2020 = ajv2020.default;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PbSpec {
  readonly doc: Json;
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly name: PbSpecName) {
    this.doc = vendorSpec(`productboard-v2/${name}.openapi.json`) as unknown as Json;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
    this.ajv.addFormat('uuid', UUID);
    this.ajv.addFormat('date', (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)));
    this.ajv.addFormat(
      'date-time',
      (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
    );
    this.ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(s));
    this.ajv.addFormat('email', (s: string) => /^[^@\s]+@[^@\s]+$/.test(s));
    // OpenAPI's numeric format hints say nothing a JSON number can break.
    for (const f of ['float', 'double', 'int32', 'int64']) this.ajv.addFormat(f, { type: 'number', validate: () => true });
    this.ajv.addSchema(this.doc, 'spec');
  }

  /** Errors of `value` against the schema at a JSON pointer of the bundle ('' when valid). */
  check(pointer: string, value: unknown): string[] {
    const validate = this.compiled.get(pointer) ?? this.ajv.compile({ $ref: `spec#${pointer}` });
    this.compiled.set(pointer, validate);
    return validate(value) ? [] : (validate.errors ?? []).map(describe);
  }

  schema(name: string, value: unknown): string[] {
    return this.check(`/components/schemas/${name}`, value);
  }

  /** Errors of a response body against the documented response of an operation (following a components $ref). */
  response(path: string, method: string, status: number, body: unknown): string[] {
    return this.check(`${this.responsePointer(path, method, status)}/content/application~1json/schema`, body);
  }

  /** The examples of a documented response, by name (`example` becomes 'default'). */
  examples(path: string, method: string, status: number): Record<string, unknown> {
    const content = this.at(`${this.responsePointer(path, method, status)}/content/application~1json`) as Json;
    if (content['example'] !== undefined) return { default: content['example'] };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((content['examples'] as Record<string, Json> | undefined) ?? {})) out[k] = v['value'];
    return out;
  }

  /** The value at a JSON pointer of the bundle. */
  at(pointer: string): unknown {
    let cur: unknown = this.doc;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      cur = (cur as Json | undefined)?.[key];
    }
    return cur;
  }

  private responsePointer(path: string, method: string, status: number): string {
    const pointer = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}`;
    const res = this.at(pointer) as Json | undefined;
    if (!res) throw new Error(`${this.name}: no documented ${status} for ${method.toUpperCase()} ${path}`);
    return typeof res['$ref'] === 'string' ? (res['$ref'] as string).slice(1) : pointer;
  }
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`;
}

const cache = new Map<PbSpecName, PbSpec>();

export function pbSpec(name: PbSpecName): PbSpec {
  let spec = cache.get(name);
  if (!spec) {
    spec = new PbSpec(name);
    cache.set(name, spec);
  }
  return spec;
}

/**
 * The shape of a JSON value: its type, and for objects the shapes of its keys, for arrays the shape of its first
 * item. Two values with equal shapes are laid out alike, whatever their contents.
 */
export function shapeOf(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? ['empty'] : [shapeOf(v[0])];
  if (typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as Json)
        .sort()
        .map((k) => [k, shapeOf((v as Json)[k])]),
    );
  }
  return typeof v;
}

/** The sorted keys of an object. */
export function keysOf(v: unknown): string[] {
  return Object.keys(v as Json).sort();
}
