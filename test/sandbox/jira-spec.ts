import { readFileSync } from 'node:fs';
import { responseSchema, schemaRef, validate, type OpenApiDoc } from './spec-validator.js';

// The operations of Atlassian's Jira Cloud platform REST v3 document that the sandbox serves, with their components,
// kept in the repository (specs/extract-jira-subset.mjs) so these checks run on any clone.

export const jiraSpec: OpenApiDoc = JSON.parse(readFileSync(new URL('./specs/jira-platform-v3.subset.json', import.meta.url), 'utf8')) as OpenApiDoc;

/** What is wrong with `value` as the documented `status` answer of `method path` ([] when it conforms). */
export function responseProblems(method: string, path: string, status: number, value: unknown): string[] {
  return validate(jiraSpec, responseSchema(jiraSpec, path, method.toLowerCase(), String(status)), value);
}

/** What is wrong with `value` as an instance of the named component schema. */
export function schemaProblems(name: string, value: unknown): string[] {
  return validate(jiraSpec, schemaRef(name), value);
}
