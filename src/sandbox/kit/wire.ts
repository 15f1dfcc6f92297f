import type { ServerResponse } from 'node:http';
import type { SimResponse } from './http.js';

// Putting an answer on the wire: whole (the normal case), trickled one byte at a time, or inflated to an oversized
// page and streamed. The last two are hostile modes (kit/faults.ts): a client must bound the total time and size of
// what it reads, not only the wait between bytes.

interface Serialised {
  headers: Record<string, string>;
  payload: Buffer | undefined;
}

function serialise(r: SimResponse): Serialised {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  let payload: Buffer | undefined;
  if (r.json !== undefined && r.status !== 204) {
    payload = Buffer.from(JSON.stringify(r.json), 'utf8');
    if (!hasType) headers['Content-Type'] = 'application/json;charset=UTF-8';
  } else if (r.text !== undefined && r.status !== 204) {
    payload = Buffer.from(r.text, 'utf8');
    if (!hasType) headers['Content-Type'] = 'text/plain; charset=utf-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(payload.length);
  return { headers, payload };
}

export function writeWhole(res: ServerResponse, r: SimResponse): void {
  const { headers, payload } = serialise(r);
  res.writeHead(r.status, headers);
  res.end(payload);
}

/** Headers (with the full Content-Length) at once, then one byte every `byteEveryMs` until done or the client leaves. */
export function writeTrickled(res: ServerResponse, r: SimResponse, byteEveryMs: number): void {
  const { headers, payload } = serialise(r);
  res.writeHead(r.status, headers);
  res.flushHeaders();
  const body = payload ?? Buffer.alloc(0);
  let sent = 0;
  const timer = setInterval(
    () => {
      if (sent >= body.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body.subarray(sent, sent + 1));
      sent += 1;
    },
    Math.max(1, byteEveryMs),
  );
  res.once('close', () => clearInterval(timer));
}

const MARK = '__sandbox_oversized_items__';
const CHUNK_BYTES = 64 * 1024;

/**
 * The answer's first non-empty top-level array (Productboard `data`, Jira `issues`) repeated, in order, until the
 * body is at least `bytes` long; sent chunked (no Content-Length) and written as the client reads, so neither side of
 * the sandbox holds the whole page. Throws when the answer has no such array.
 */
export async function writeOversized(res: ServerResponse, r: SimResponse, bytes: number): Promise<void> {
  const body = r.json;
  const key =
    body && typeof body === 'object' && !Array.isArray(body)
      ? Object.entries(body).find(([, v]) => Array.isArray(v) && v.length > 0)?.[0]
      : undefined;
  if (key === undefined) throw new Error('hostile mode oversized needs an answer with a non-empty top-level array');
  const items = ((body as Record<string, unknown[]>)[key] ?? []).map((item) => JSON.stringify(item));
  const [before = '', after = ''] = JSON.stringify({ ...(body as object), [key]: MARK }).split(JSON.stringify(MARK));
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).filter(([k]) => !/^content-(length|type)$/i.test(k)));
  res.writeHead(r.status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8' });

  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });

  let written = 0;
  let chunk = `${before}[`;
  for (let i = 0; written + chunk.length < bytes && !closed; i++) {
    chunk += `${i === 0 ? '' : ','}${items[i % items.length] ?? '{}'}`;
    if (chunk.length >= CHUNK_BYTES) {
      written += chunk.length;
      const more = res.write(chunk);
      chunk = '';
      if (!more) await drained();
    }
  }
  if (!closed) res.end(`${chunk}]${after}`);
}
