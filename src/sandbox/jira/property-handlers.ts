import { json, type Call, type SimResponse } from '../kit/http.js';
import { jiraError } from './errors.js';
import { MAX_PROPERTY_BYTES, propertyValueProblem } from './field-checks.js';
import { issueSelf } from './render.js';
import { jiraBody, mustIssue } from './request.js';
import type { JiraState } from './state.js';

// Issue properties (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/).

const keyOf = (call: Call): string => call.params['key'] ?? '';
const noSuchProperty = (key: string): SimResponse => jiraError(404, [`The property with key '${key}' does not exist.`]);

export function listProperties(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const keys = [...r.properties.keys()].map((key) => ({
    key,
    self: `${issueSelf(call.baseUrl, r.id)}/properties/${encodeURIComponent(key)}`,
  }));
  return json(200, { keys });
}

export function getProperty(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const key = keyOf(call);
  return r.properties.has(key) ? json(200, { key, value: structuredClone(r.properties.get(key)) }) : noSuchProperty(key);
}

/** 201 when created, 200 when updated; body ≤ 32,768 bytes; key ≤ 255 characters. */
export function setProperty(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const key = keyOf(call);
  if (key === '' || key.length > 255) return jiraError(400, ['The property key must be between 1 and 255 characters.']);
  if (call.body.length > MAX_PROPERTY_BYTES)
    return jiraError(400, [`The property value exceeds the maximum size of ${MAX_PROPERTY_BYTES} bytes.`]);
  const value = jiraBody(call);
  const problem = propertyValueProblem(value);
  if (problem) return jiraError(400, [problem]);
  const existed = r.properties.has(key);
  r.properties.set(key, value);
  return { status: existed ? 200 : 201 };
}

export function deleteProperty(state: JiraState, call: Call): SimResponse {
  const r = mustIssue(state, call);
  const key = keyOf(call);
  return r.properties.delete(key) ? { status: 204 } : noSuchProperty(key);
}
