import { isRecord } from '../kit/http.js';
import { adfProblem, type AdfDoc } from './adf.js';
import { issueTypeById, issueTypeByName, type JiraIssueType } from './catalog.js';
import type { IssueRec, JiraState } from './state.js';

// The field checks behind create and edit (IssueUpdateDetails). Each records its refusal in the ErrorCollection, keyed
// by field as Jira does, and returns undefined; the caller keeps going, so one answer lists every bad field.

export interface ErrorCollection {
  errorMessages: string[];
  errors: Record<string, string>;
}

const SETTABLE = new Set(['project', 'issuetype', 'summary', 'description', 'labels', 'duedate', 'parent']);
const ADF_ERROR = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
export const MAX_PROPERTY_BYTES = 32768;

export const cannotSet = (f: string): string => `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** The body split into `fields` (values) and `update` (operations). */
export interface Ops {
  fields: Record<string, unknown>;
  update: Record<string, unknown>;
}

export function splitBody(body: unknown, errs: ErrorCollection): Ops | undefined {
  if (!isRecord(body)) {
    errs.errorMessages.push('The request body must be a JSON object (IssueUpdateDetails).');
    return undefined;
  }
  const fields = body['fields'] ?? {};
  const update = body['update'] ?? {};
  if (!isRecord(fields)) errs.errors['fields'] = 'data was not an object';
  if (!isRecord(update)) errs.errors['update'] = 'data was not an object';
  if (!isRecord(fields) || !isRecord(update)) return undefined;
  for (const k of Object.keys(fields)) if (!SETTABLE.has(k)) errs.errors[k] = cannotSet(k);
  for (const k of Object.keys(update)) {
    if (!SETTABLE.has(k)) errs.errors[k] = cannotSet(k);
    // A field may appear in `fields` or in `update`, never in both.
    else if (k in fields) errs.errors[k] = `Field '${k}' cannot be set in both 'fields' and 'update'.`;
  }
  return { fields, update };
}

/** Reads `update.<field>` as a list of operations. */
function opsOf(update: Record<string, unknown>, field: string, errs: ErrorCollection): Array<Record<string, unknown>> {
  const v = update[field];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => !isRecord(x))) {
    errs.errors[field] = 'Operations must be an array of objects like {"set": ...}.';
    return [];
  }
  return v as Array<Record<string, unknown>>;
}

/** Value of a single-value field from `fields` or an `update` `set` operation; undefined when absent. */
export function singleValue(o: Ops, field: string, errs: ErrorCollection): { present: boolean; value: unknown } {
  if (field in o.fields) return { present: true, value: o.fields[field] };
  const ops = opsOf(o.update, field, errs);
  if (ops.length === 0) return { present: false, value: undefined };
  const op = ops[ops.length - 1] as Record<string, unknown>;
  if (!('set' in op)) {
    errs.errors[field] = `Field '${field}' only supports the 'set' operation.`;
    return { present: false, value: undefined };
  }
  return { present: true, value: op['set'] };
}

/** A field check: the accepted value, or undefined with the refusal recorded in `errs`. */
export type FieldCheck<T> = (v: unknown, errs: ErrorCollection) => T | undefined;

/** The checked value of `field`: `absent` when the body leaves it out, undefined when refused. */
export function fieldValue<T>(o: Ops, field: string, check: FieldCheck<T>, errs: ErrorCollection, absent?: T): T | undefined {
  const v = singleValue(o, field, errs);
  return v.present ? check(v.value, errs) : absent;
}

/** An issue type given as `{id}` or `{name}`. */
export function issueTypeOf(v: Record<string, unknown>): JiraIssueType | undefined {
  if (v['id'] !== undefined) return issueTypeById(String(v['id']));
  return typeof v['name'] === 'string' ? issueTypeByName(v['name']) : undefined;
}

export function checkSummary(v: unknown, errs: ErrorCollection): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') {
    errs.errors['summary'] = 'You must specify a summary of the issue.';
    return undefined;
  }
  if (/[\r\n]/.test(v)) {
    errs.errors['summary'] = 'The summary is invalid because it contains newline characters.';
    return undefined;
  }
  if (v.length > 255) {
    errs.errors['summary'] = 'Summary must be less than 255 characters.';
    return undefined;
  }
  return v;
}

export function checkDescription(v: unknown, errs: ErrorCollection): AdfDoc | null | undefined {
  if (v === null) return null;
  // v3 takes ADF only; a plain string is what API v2 wanted.
  if (typeof v === 'string') {
    errs.errors['description'] = ADF_ERROR;
    return undefined;
  }
  const problem = adfProblem(v);
  if (problem) {
    errs.errors['description'] = `${ADF_ERROR}: ${problem}.`;
    return undefined;
  }
  return v as AdfDoc;
}

function checkLabel(l: unknown, errs: ErrorCollection): l is string {
  if (typeof l !== 'string' || l === '') {
    errs.errors['labels'] = 'Labels must be non-empty strings.';
    return false;
  }
  if (/\s/.test(l)) {
    errs.errors['labels'] = `The label '${l}' contains spaces which is invalid.`;
    return false;
  }
  if (l.length > 255) {
    errs.errors['labels'] = `The label '${l}' exceeds the maximum length for a single label of 255 characters.`;
    return false;
  }
  return true;
}

export function labelsFrom(o: Ops, current: string[], errs: ErrorCollection): string[] | undefined {
  if ('labels' in o.fields) {
    const v = o.fields['labels'];
    if (v === null) return [];
    if (!Array.isArray(v)) {
      errs.errors['labels'] = 'data was not an array';
      return undefined;
    }
    return v.every((l) => checkLabel(l, errs)) ? (v as string[]) : undefined;
  }
  const ops = opsOf(o.update, 'labels', errs);
  if (ops.length === 0) return undefined;
  let labels = [...current];
  for (const op of ops) {
    if ('add' in op) {
      if (!checkLabel(op['add'], errs)) return undefined;
      labels.push(op['add']);
    } else if ('remove' in op) {
      labels = labels.filter((l) => l !== op['remove']);
    } else if ('set' in op) {
      const v = op['set'];
      if (!Array.isArray(v) || !v.every((l) => checkLabel(l, errs))) {
        errs.errors['labels'] ??= 'data was not an array';
        return undefined;
      }
      labels = [...(v as string[])];
    } else {
      errs.errors['labels'] = "Labels support the operations 'add', 'remove' and 'set'.";
      return undefined;
    }
  }
  return labels;
}

export function checkDuedate(v: unknown, errs: ErrorCollection): string | null | undefined {
  if (v === null || v === '') return null;
  if (
    typeof v !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(v) ||
    Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ||
    new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v
  ) {
    errs.errors['duedate'] = `Error parsing date string: ${String(v)}`;
    return undefined;
  }
  return v;
}

/** Resolves a `{key}` / `{id}` reference; reports a missing or malformed parent. */
export function resolveParent(v: unknown, state: JiraState, errs: ErrorCollection): IssueRec | undefined {
  if (!isRecord(v)) {
    errs.errors['parent'] = 'data was not an object';
    return undefined;
  }
  const ref =
    typeof v['id'] === 'string' || typeof v['id'] === 'number' ? String(v['id']) : typeof v['key'] === 'string' ? v['key'] : undefined;
  if (ref === undefined) {
    errs.errors['parent'] = 'Parent must be given as {"key": ...} or {"id": ...}.';
    return undefined;
  }
  const p = state.find(ref);
  if (!p) errs.errors['parent'] = `Could not find issue by id or key: ${ref}`;
  return p;
}

export function checkProperties(v: unknown, errs: ErrorCollection): Array<[string, unknown]> {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    errs.errors['properties'] = 'data was not an array';
    return [];
  }
  const out: Array<[string, unknown]> = [];
  for (const p of v) {
    if (!isRecord(p) || typeof p['key'] !== 'string' || p['key'] === '' || p['key'].length > 255 || p['value'] === undefined) {
      errs.errorMessages.push('Each property needs a non-empty "key" (≤255 characters) and a "value".');
      continue;
    }
    const problem = propertyValueProblem(p['value']);
    if (problem) {
      errs.errorMessages.push(`Property '${p['key']}': ${problem}`);
      continue;
    }
    out.push([p['key'], p['value']]);
  }
  return out;
}

/** Issue property values are any JSON value up to 32,768 bytes. */
export function propertyValueProblem(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  if (text === undefined) return 'The property value must be valid JSON.';
  if (Buffer.byteLength(text) > MAX_PROPERTY_BYTES) return `The property value exceeds the maximum size of ${MAX_PROPERTY_BYTES} bytes.`;
  return undefined;
}
