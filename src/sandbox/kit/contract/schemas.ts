import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { escapePointerSegment, type OpenApiDocument } from './operations.js';

// JSON Schema validation of the parts of an operation, with ajv: OpenAPI 3.1 documents (Productboard) are JSON Schema
// 2020-12, OpenAPI 3.0 documents (Jira) a draft-07 dialect with `nullable`. Each document is registered whole, and a
// schema is compiled the first time a request reaches it, by its JSON pointer in the document: starting a sandbox
// compiles nothing, and a compiled schema is reused by every later sandbox given the same documents.

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

/** One refusal by a schema: where in the checked value, and why. */
export interface SchemaProblem {
  /** JSON pointer into the checked value ('' = the value itself). */
  pointer: string;
  message: string;
  /** The offending value, shortened. */
  value: string;
}

export type Check = (value: unknown) => SchemaProblem[];

/** One ajv over the documents, compiling each schema the first time it is asked for. */
class Compiler {
  private readonly ajv: Ajv | Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(docs: readonly OpenApiDocument[], keys: readonly string[], allErrors: boolean) {
    const dialect2020 = docs.every((d) => d.openapi.startsWith('3.1'));
    if (!dialect2020 && docs.some((d) => d.openapi.startsWith('3.1')))
      throw new Error('one contract cannot mix OpenAPI 3.0 and 3.1 documents');
    // OpenAPI adds keywords JSON Schema does not know (example, discriminator, xml, x-*): ignore them.
    const options = { strict: false, allErrors, validateSchema: false, logger: false as const };
    this.ajv = dialect2020 ? new Ajv2020(options) : new Ajv(options);
    addFormats(this.ajv);
    // `nullable` (OpenAPI 3.0) is built into ajv; `url` is a data-type format of the Jira document ajv-formats lacks.
    this.ajv.addFormat('url', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    docs.forEach((doc, i) => this.ajv.addSchema(doc as AnySchemaObject, keys[i]));
  }

  get(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    return validate;
  }
}

export class DocumentSchemas {
  private readonly keys: string[];
  // Most exchanges are valid: they are checked by validators that stop at the first error (a `oneOf` over many field
  // kinds is then cheap); only a value found invalid is checked again by one that reports every error.
  private readonly fast: Compiler;
  private readonly thorough: Compiler;

  constructor(docs: readonly OpenApiDocument[]) {
    this.keys = docs.map((_, i) => `contract-doc-${i}`);
    this.fast = new Compiler(docs, this.keys, false);
    this.thorough = new Compiler(docs, this.keys, true);
  }

  /** A checker for the schema at `pointer` (e.g. '/paths/~1issue/post/requestBody/content/application~1json/schema'). */
  check(doc: number, pointer: string): Check {
    const ref = `${this.keys[doc]}#${pointer
      .split('/')
      .map((s) => encodeURIComponent(s))
      .join('/')}`;
    const fast = this.fast.get(ref);
    return (value) => {
      if (fast(value)) return [];
      const thorough = this.thorough.get(ref);
      thorough(value);
      return problems(thorough.errors ?? [], value);
    };
  }
}

/** A JSON pointer for a property name or an array index. */
export const childPointer = (parent: string, key: string | number): string => `${parent}/${escapePointerSegment(String(key))}`;

// With allErrors, a failed anyOf/oneOf also reports why every alternative failed; keep the one summary line.
function problems(errors: readonly ErrorObject[], root: unknown): SchemaProblem[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const kept = errors.filter((e) => !alternatives.some((prefix) => e.schemaPath.startsWith(prefix)));
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of kept) {
    const { pointer, message } = describe(e);
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message, value: shorten(at(root, pointer)) });
  }
  return out;
}

function describe(e: ErrorObject): { pointer: string; message: string } {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    return {
      pointer: childPointer(e.instancePath, String(p['additionalProperty'])),
      message: 'is not a property the schema allows (additionalProperties: false)',
    };
  }
  if (e.keyword === 'unevaluatedProperties') {
    return {
      pointer: childPointer(e.instancePath, String(p['unevaluatedProperty'])),
      message: 'is not a property the schema allows (unevaluatedProperties: false)',
    };
  }
  if (e.keyword === 'required')
    return { pointer: childPointer(e.instancePath, String(p['missingProperty'])), message: 'is required but missing' };
  if (e.keyword === 'enum') return { pointer: e.instancePath, message: `must be one of ${JSON.stringify(p['allowedValues'])}` };
  return { pointer: e.instancePath, message: `${e.message ?? 'is invalid'} (${e.keyword})` };
}

function at(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur;
}

function shorten(v: unknown): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
