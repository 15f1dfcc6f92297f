import { Ajv, type ErrorObject } from 'ajv';
import { vendorSpec } from '../contract/load-contracts.js';

// Atlassian's Jira Cloud platform REST v3 document, vendored byte for byte under test/contract/specs so these checks run
// on any clone. Checked with ajv against the document's own schemas (OpenAPI 3.0: JSON Schema with `nullable`, which
// ajv knows; OpenAPI's other keywords ignored), formats included.

export interface OpenApiDoc {
  openapi: string;
  components?: { schemas?: Record<string, Record<string, unknown>> };
  paths?: Record<string, Record<string, unknown>>;
}

export const jiraSpec = vendorSpec('jira-platform-v3.openapi.json') as OpenApiDoc;

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
// The formats the document uses (https://spec.openapis.org/oas/v3.0.3#data-types), checked as JSON Schema would.
const formats: Record<string, RegExp | ((s: string) => boolean)> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(s),
  uri: (s) => URL.canParse(s),
  url: (s) => URL.canParse(s),
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};
for (const [name, test] of Object.entries(formats)) ajv.addFormat(name, test);
for (const name of ['int32', 'int64', 'double', 'float', 'binary', 'byte', 'password']) ajv.addFormat(name, true);
ajv.addSchema(jiraSpec, 'jira');

const pointer = (...segments: string[]): string =>
  segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) =>
      `${e.instancePath || '$'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` '${String(e.params['additionalProperty'])}'` : ''}`,
  );

/** What is wrong with `value` as the documented `status` answer of `method path` ([] when it conforms). */
export function responseProblems(method: string, path: string, status: number, value: unknown): string[] {
  const validate = ajv.compile({
    $ref: `jira#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`,
  });
  return validate(value) ? [] : describe(validate.errors);
}

/** What is wrong with `value` as an instance of the named component schema. */
export function schemaProblems(name: string, value: unknown): string[] {
  const validate = ajv.compile({ $ref: `jira#/${pointer('components', 'schemas', name)}` });
  return validate(value) ? [] : describe(validate.errors);
}

/** What is wrong with `value` against a component schema changed by `adjust` (to step around a spec contradiction). */
export function adjustedSchemaProblems(
  name: string,
  adjust: (schema: Record<string, unknown>) => Record<string, unknown>,
  value: unknown,
): string[] {
  const schema = JSON.parse(
    JSON.stringify(jiraSpec.components?.schemas?.[name]).replaceAll('"#/components/', '"jira#/components/'),
  ) as Record<string, unknown>;
  const validate = ajv.compile(adjust(schema));
  return validate(value) ? [] : describe(validate.errors);
}
