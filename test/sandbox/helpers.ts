import type { Sandbox } from '../../src/sandbox/index.js';

// Thin fetch wrappers so tests read like the HTTP exchanges they check.

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // Parsed JSON body. `any` on purpose: each test asserts the shape it expects, typing every vendor shape here
  // would only duplicate the assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  body: any;
}

async function send(url: string, init: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export function pb(sb: Sandbox, method: string, path: string, body?: unknown, token = sb.productboard.token): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const url = path.startsWith('http') ? path : `${sb.productboard.url}${path}`;
  return send(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}

export function jiraAuth(sb: Sandbox): string {
  return `Basic ${Buffer.from(`${sb.jira.email}:${sb.jira.apiToken}`).toString('base64')}`;
}

export function jira(sb: Sandbox, method: string, path: string, body?: unknown, auth: string | null = jiraAuth(sb)): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (auth) headers['Authorization'] = auth;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return send(`${sb.jira.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export function slack(url: string, body: unknown): Promise<Reply> {
  return send(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const adf = (text: string): Record<string, unknown> => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

/** Creates an issue over HTTP and returns {id, key}. */
export async function createIssue(
  sb: Sandbox,
  fields: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; key: string }> {
  const r = await jira(sb, 'POST', '/rest/api/3/issue', { fields: { project: { key: sb.jira.projectKey }, ...fields }, ...extra });
  if (r.status !== 201) throw new Error(`create failed ${r.status} ${r.text}`);
  return { id: r.body.id, key: r.body.key };
}
