// Writes jira-platform-v3.subset.json: the operations the sandbox's Jira serves, copied verbatim from Atlassian's
// Jira Cloud platform REST v3 OpenAPI document, with every component they reference (transitively). The tests validate
// the sandbox's answers against it, so they run on a fresh clone. Regenerate after adding a route:
//   node test/sandbox/specs/extract-jira-subset.mjs path/to/swagger-v3.v3.json
// (the full document: https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const OPERATIONS = [
  ['get', '/rest/api/3/myself'],
  ['get', '/rest/api/3/project/{projectIdOrKey}'],
  ['get', '/rest/api/3/issuetype/project'],
  ['get', '/rest/api/3/statuscategory'],
  ['post', '/rest/api/3/issue'],
  ['post', '/rest/api/3/issue/bulk'],
  ['post', '/rest/api/3/issue/bulkfetch'],
  ['get', '/rest/api/3/issue/{issueIdOrKey}'],
  ['put', '/rest/api/3/issue/{issueIdOrKey}'],
  ['delete', '/rest/api/3/issue/{issueIdOrKey}'],
  ['get', '/rest/api/3/issue/{issueIdOrKey}/properties'],
  ['get', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}'],
  ['put', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}'],
  ['delete', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}'],
  ['get', '/rest/api/3/issue/{issueIdOrKey}/remotelink'],
  ['post', '/rest/api/3/issue/{issueIdOrKey}/remotelink'],
  ['delete', '/rest/api/3/issue/{issueIdOrKey}/remotelink'],
  ['get', '/rest/api/3/issue/{issueIdOrKey}/remotelink/{linkId}'],
  ['delete', '/rest/api/3/issue/{issueIdOrKey}/remotelink/{linkId}'],
  ['get', '/rest/api/3/issue/{issueIdOrKey}/transitions'],
  ['post', '/rest/api/3/issue/{issueIdOrKey}/transitions'],
  ['get', '/rest/api/3/search/jql'],
  ['post', '/rest/api/3/search/jql'],
  ['post', '/rest/api/3/search/approximate-count'],
  // Removed (410), still in the document.
  ['get', '/rest/api/3/search'],
  ['post', '/rest/api/3/search'],
  ['get', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes'],
  ['get', '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}'],
  ['get', '/rest/api/3/field'],
  ['get', '/rest/api/3/priority'],
  ['get', '/rest/api/3/priority/search'],
  ['get', '/rest/api/3/status'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/statuses'],
  ['get', '/rest/api/3/issueLinkType'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/components'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/component'],
  ['post', '/rest/api/3/component'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/versions'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/version'],
  ['post', '/rest/api/3/version'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/properties'],
  ['get', '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}'],
  ['put', '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}'],
  ['delete', '/rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}'],
  ['get', '/rest/api/3/user/search'],
  ['post', '/rest/api/3/issueLink'],
  ['get', '/rest/api/3/issueLink/{linkId}'],
  ['delete', '/rest/api/3/issueLink/{linkId}'],
];
// Schemas the tests name directly besides those the operations reference.
const EXTRA_SCHEMAS = ['IssueBean', 'ErrorCollection', 'StatusDetails', 'IssueTypeDetails', 'FieldMetadata', 'NestedResponse'];

const source = process.argv[2];
if (!source) throw new Error('usage: node extract-jira-subset.mjs path/to/jira-platform-v3.openapi.json');
const full = JSON.parse(readFileSync(source, 'utf8'));
const out = { openapi: full.openapi, info: full.info, paths: {}, components: {} };
for (const [method, path] of OPERATIONS) {
  const op = full.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
  (out.paths[path] ??= {})[method] = op;
}
const pending = [...EXTRA_SCHEMAS.map((s) => `#/components/schemas/${s}`)];
const collect = (node) => {
  if (Array.isArray(node)) node.forEach(collect);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') pending.push(v);
      else collect(v);
    }
};
collect(out.paths);
const seen = new Set();
while (pending.length > 0) {
  const ref = pending.pop();
  if (seen.has(ref)) continue;
  seen.add(ref);
  const [, , kind, name] = ref.split('/');
  const value = full.components[kind][name];
  if (!value) throw new Error(`unresolved ${ref}`);
  (out.components[kind] ??= {})[name] = value;
  collect(value);
}
for (const kind of Object.keys(out.components))
  out.components[kind] = Object.fromEntries(Object.entries(out.components[kind]).sort(([a], [b]) => a.localeCompare(b)));
const target = new URL('./jira-platform-v3.subset.json', import.meta.url);
// Written the way the repository's formatter keeps JSON, so `npm run lint` passes on the generated file.
const options = { ...(await resolveConfig(target)), parser: 'json' };
writeFileSync(target, await format(JSON.stringify(out), options));
console.log(`${OPERATIONS.length} operations, ${seen.size} components`);
