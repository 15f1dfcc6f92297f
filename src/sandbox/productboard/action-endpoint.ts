import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { PbBehaviour } from './behaviour.js';

// Calls from the simulated Productboard to a plugin integration's action URL: the creation probe and the button
// actions (the `callbacks` of POST /plugin-integrations in plugin-integrations.openapi.json,
// https://developer.productboard.com/v2/openapi). Both time out after 5 seconds and send the configured
// Authorization header verbatim.

export const ACTION_TIMEOUT_MS = 5000;
/** Answers larger than this are cut off and count as failed; an action endpoint answers a small JSON document. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** A refused action URL: 400 when it breaks the schema (not a URI, not https), 422 when it is not public. */
export interface UrlProblem {
  status: 400 | 422;
  detail: string;
}

/**
 * Why `url` may not be an action URL, or undefined when it may. The spec: https, a valid certificate, publicly
 * reachable, "no `localhost`, private IPs, or internal addresses" (`#/components/schemas/Action/properties/url`);
 * behaviour 'loopback-allowed' lets a test's local endpoint through.
 */
export function actionUrlProblem(raw: string, policy: PbBehaviour['actionUrls']): UrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { status: 400, detail: 'The action URL is not an absolute URL.' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy === 'loopback-allowed' && isLoopback(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return undefined;
  if (url.protocol !== 'https:') return { status: 400, detail: 'The action URL must use https.' };
  if (isLoopback(host) || isPrivate(host))
    return { status: 422, detail: `The action URL must be publicly reachable; ${host} is a local or private address.` };
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function isPrivate(host: string): boolean {
  if (host.endsWith('.local') || host.endsWith('.internal') || (!host.includes('.') && isIP(host) === 0)) return true;
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return isIP(host) === 6 && (/^f[cd]/.test(host) || host.startsWith('fe80') || host === '::');
}

export interface CallOptions {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** One request with a 5 s deadline for the whole exchange; rejects with a readable reason when no answer came. */
export function callActionEndpoint(o: CallOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = o.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = { ...o.headers, ...(o.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(o.body)) } : {}) };
    // Certificates are checked except on loopback, which the spec never allows and a test uses with a self-signed one.
    const loopback = isLoopback(o.url.hostname.replace(/^\[|\]$/g, '').toLowerCase());
    const req = send(o.url, { method: o.method, headers, rejectUnauthorized: !loopback, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) {
          req.destroy(new Error(`the answer exceeded ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', (err) => reject(err));
    });
    const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${ACTION_TIMEOUT_MS / 1000} s`)), ACTION_TIMEOUT_MS);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(o.body);
  });
}
