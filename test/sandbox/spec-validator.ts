// A deliberately small JSON-schema checker for OpenAPI component schemas: $ref, allOf, anyOf/oneOf, type
// (incl. type arrays and OpenAPI 3.0 `nullable`), enum, required, properties, additionalProperties and items.
// Enough to prove the sandbox's responses carry what the vendor specs require and nothing they forbid.

type Json = Record<string, unknown>;

export interface OpenApiDoc {
  components?: { schemas?: Record<string, Json>; responses?: Record<string, Json> };
  paths?: Record<string, Record<string, Json>>;
}

function resolve(doc: OpenApiDoc, schema: Json): Json {
  let s = schema;
  for (let i = 0; i < 20 && typeof s['$ref'] === 'string'; i++) {
    const parts = (s['$ref'] as string).replace(/^#\//, '').split('/');
    let cur: unknown = doc;
    for (const p of parts) cur = (cur as Json | undefined)?.[p];
    if (!cur) throw new Error(`unresolved $ref ${String(s['$ref'])}`);
    s = cur as Json;
  }
  return s;
}

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return typeof v === t;
  }
}

export function validate(doc: OpenApiDoc, schemaIn: Json, value: unknown, path = '$'): string[] {
  const s = resolve(doc, schemaIn);
  const errs: string[] = [];
  if (Array.isArray(s['allOf'])) for (const sub of s['allOf'] as Json[]) errs.push(...validate(doc, sub, value, path));
  const alternatives = (s['anyOf'] ?? s['oneOf']) as Json[] | undefined;
  if (Array.isArray(alternatives) && !alternatives.some((sub) => validate(doc, sub, value, path).length === 0)) {
    errs.push(`${path}: matches none of the anyOf/oneOf alternatives (${JSON.stringify(value)?.slice(0, 80)})`);
  }
  if (value === null && s['nullable'] === true) return errs;
  const t = s['type'];
  if (t !== undefined) {
    const types = Array.isArray(t) ? (t as string[]) : [t as string];
    if (!types.some((x) => typeOk(x, value))) {
      errs.push(`${path}: expected ${types.join('|')}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
      return errs;
    }
  }
  if (Array.isArray(s['enum']) && !(s['enum'] as unknown[]).includes(value)) errs.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Json;
    for (const r of (s['required'] as string[] | undefined) ?? []) if (!(r in obj)) errs.push(`${path}: missing required property '${r}'`);
    const props = (s['properties'] as Record<string, Json> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      const ps = props[k];
      if (ps) errs.push(...validate(doc, ps, v, `${path}.${k}`));
      else if (s['additionalProperties'] === false) errs.push(`${path}: property '${k}' is not allowed by the schema`);
      else if (typeof s['additionalProperties'] === 'object' && s['additionalProperties'] !== null) {
        errs.push(...validate(doc, s['additionalProperties'] as Json, v, `${path}.${k}`));
      }
    }
  }
  if (Array.isArray(value) && s['items']) value.forEach((v, i) => errs.push(...validate(doc, s['items'] as Json, v, `${path}[${i}]`)));
  return errs;
}

export function schemaRef(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

/** The JSON schema of a documented response (following a components.responses $ref). */
export function responseSchema(doc: OpenApiDoc, path: string, method: string, status: string): Json {
  const op = doc.paths?.[path]?.[method] as Json | undefined;
  const responses = op?.['responses'] as Record<string, Json> | undefined;
  const res = resolve(doc, responses?.[status] ?? {});
  const content = res['content'] as Record<string, Json> | undefined;
  const schema = content?.['application/json']?.['schema'] as Json | undefined;
  if (!schema) throw new Error(`no schema for ${method} ${path} ${status}`);
  return schema;
}
