import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Minimal plumbing shared by the three simulators: the call a handler sees, and a response value that handlers
// return instead of writing to the socket, so the host can still decide to drop it (fault `loseResponse`).

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as application/json. */
  json?: unknown;
  /** Sent verbatim; content type defaults to text/plain. */
  text?: string;
}

/** Thrown by handlers to short-circuit with a ready response (validation errors, 404s). */
export class SimError extends Error {
  constructor(readonly response: SimResponse) {
    super(`simulated ${response.status}`);
  }
}

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
  route: string;
  /** Arrival time (after the simulated latency) on the sandbox's clock (clock.ts), ms since epoch. */
  now: number;
  /** e.g. http://127.0.0.1:PORT */
  baseUrl: string;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonBody(body: Buffer): JsonParse {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: false, message: 'The request body is empty.' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : 'Invalid JSON' };
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return headers ? { status, json: body, headers } : { status, json: body };
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${addr.port}`);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets of the engine's HTTP agents would otherwise hold close() open.
    server.closeAllConnections();
  });
}
