import type { MappedValue } from '../../src/model/field-value.js';

// A Jira field's value, whatever its type, in the form the engine compares (src/model/field-value.ts):
// an option by its value, a priority, component or version by its name, a user by its account id, a
// rich text by its text. The shapes are the ones issue JSON carries (IssueBean `fields`, described by
// each field's JsonTypeBean: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/).

export function mappedValueOf(raw: unknown): MappedValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'string') return raw === '' ? null : raw;
  if (typeof raw === 'boolean') return String(raw);
  if (Array.isArray(raw)) {
    const names = raw.map(nameOf).filter((n): n is string => n !== null);
    return names.length ? names : null;
  }
  if (typeof raw === 'object' && (raw as { type?: unknown }).type === 'doc') return adfText(raw) || null;
  return nameOf(raw);
}

/** What names one value: an account id (users), a value (options), a name (priorities, components, versions...). */
function nameOf(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  for (const key of ['accountId', 'value', 'name']) if (typeof o[key] === 'string') return o[key];
  return null;
}

/** The text of an ADF document, one line per block. */
function adfText(node: unknown): string {
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (typeof n.text === 'string') return n.text;
  if (!Array.isArray(n.content)) return '';
  const parts = n.content.map(adfText);
  return n.type === 'doc' ? parts.join('\n').trim() : parts.join('');
}
