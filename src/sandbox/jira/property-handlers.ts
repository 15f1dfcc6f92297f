import { json, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import { MAX_PROPERTY_BYTES, propertyValueProblem } from './field-checks.js';
import { mustProject } from './paging.js';
import { issueSelf } from './render.js';
import { jiraBody, mustIssue } from './request.js';
import type { JiraState } from './state.js';

// Entity properties of issues and of the project (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/,
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-project-properties/): any non-empty JSON value up
// to 32,768 bytes under a key of at most 255 characters; PUT answers 201 when it creates, 200 when it replaces. There is
// no conditional write: the last PUT wins.

/** Where a request's properties live, and the base URL of their `self` links. */
interface Owner {
  bag: Map<string, unknown>;
  self: string;
}

export type OwnerOf = (state: JiraState, call: Call) => Owner;

export const issueOwner: OwnerOf = (state, call) => {
  const r = mustIssue(state, call);
  return { bag: r.properties, self: `${issueSelf(call.baseUrl, r.id)}/properties` };
};

export const projectOwner: OwnerOf = (state, call) => {
  mustProject(state, call);
  return { bag: state.projectProperties, self: `${call.baseUrl}/rest/api/3/project/${state.project.key}/properties` };
};

const keyOf = (call: Call): string => call.params['key'] ?? '';
const noSuchProperty = (key: string): SimResponse => jiraError(404, [`The property with key '${key}' does not exist.`]);

export function listProperties(ownerOf: OwnerOf, state: JiraState, call: Call): SimResponse {
  const o = ownerOf(state, call);
  return json(200, { keys: [...o.bag.keys()].map((key) => ({ key, self: `${o.self}/${encodeURIComponent(key)}` })) });
}

export function getProperty(ownerOf: OwnerOf, state: JiraState, call: Call): SimResponse {
  const o = ownerOf(state, call);
  const key = keyOf(call);
  return o.bag.has(key) ? json(200, { key, value: structuredClone(o.bag.get(key)) }) : noSuchProperty(key);
}

export function setProperty(ownerOf: OwnerOf, state: JiraState, call: Call): SimResponse {
  const o = ownerOf(state, call);
  const key = keyOf(call);
  if (key === '' || key.length > 255) return jiraError(400, ['The property key must be between 1 and 255 characters.']);
  if (call.body.length > MAX_PROPERTY_BYTES)
    return jiraError(400, [`The property value exceeds the maximum size of ${MAX_PROPERTY_BYTES} bytes.`]);
  const value = jiraBody(call);
  const problem = propertyValueProblem(value);
  if (problem) return jiraError(400, [problem]);
  const existed = o.bag.has(key);
  o.bag.set(key, value);
  return { status: existed ? 200 : 201 };
}

export function deleteProperty(ownerOf: OwnerOf, state: JiraState, call: Call): SimResponse {
  const o = ownerOf(state, call);
  const key = keyOf(call);
  return o.bag.delete(key) ? { status: 204 } : noSuchProperty(key);
}
