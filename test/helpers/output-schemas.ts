import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { repoPath } from './builders.js';

// The JSON Schemas committed under docs/schemas/, compiled strictly: a schema that uses a keyword
// wrongly fails here, and a document that does not match fails the test that printed it.

// ajv-formats is CommonJS: under NodeNext its default import is module.exports, whose `default` is the plugin.
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

export type DocumentKind = 'sync' | 'reconcile' | 'status' | 'history' | 'report' | 'error' | 'plan-file';

let ajv: Ajv2020 | undefined;

function compiler(): Ajv2020 {
  if (ajv) return ajv;
  // strictRequired stays off: the schemas require members by kind in if/then, declared once on the object.
  ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  const folder = repoPath('docs/schemas');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.schema.json')))
    ajv.addSchema(JSON.parse(readFileSync(`${folder}/${file}`, 'utf8')) as object);
  return ajv;
}

/** The problems of a document against its schema, one line each (empty: it matches). */
export function schemaProblems(kind: DocumentKind, document: unknown): string[] {
  const validate = compiler().getSchema(`${kind}.schema.json`);
  if (!validate) throw new Error(`docs/schemas/${kind}.schema.json is missing`);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(document)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Parses a command's stdout as exactly one JSON document and checks it against its schema. */
export function checkedDocument<T = Record<string, unknown>>(kind: DocumentKind, stdout: string): T {
  const document = JSON.parse(stdout) as T;
  const problems = schemaProblems(kind, document);
  if (problems.length) throw new Error(`the ${kind} document does not match docs/schemas/${kind}.schema.json:\n${problems.join('\n')}`);
  return document;
}
