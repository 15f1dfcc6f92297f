import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Connection } from '../model/connection.js';

// The action endpoint of the plugin integration (callbacks of createPluginIntegration in
// plugin-integrations.openapi.json, https://developer.productboard.com/v2/openapi): Productboard's
// probe (GET ?validationToken=…, answered 200 text/plain with the token echoed exactly) and the
// action notifications a person's button press sends (POST, answered with a ConnectionState within
// 5 seconds). Every request must carry the configured secret as its Authorization header.

/** An action notification is a small JSON document; anything bigger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;

const payloadSchema = z.object({
  data: z.object({
    trigger: z.enum(['button.push', 'button.unlink', 'button.dismiss']),
    feature: z.object({ id: z.string().min(1).max(100) }),
  }),
});

export type Trigger = z.infer<typeof payloadSchema>['data']['trigger'];

/** What a press does; answers the connection Productboard shows at once (a push: `progress`, then the pass writes the final state). */
export type PressHandler = (trigger: Trigger, entityId: string) => Promise<Connection>;

export interface ActionServerOptions {
  /** The Authorization header value Productboard sends (the configured secret). */
  authorization: string;
  press: PressHandler;
  logger: Logger;
  /** Certificate and key (PEM): serve HTTPS itself instead of plain HTTP behind a TLS-terminating proxy. */
  tls?: { cert: string; key: string };
}

export function createActionServer(options: ActionServerOptions): Server {
  const expected = Buffer.from(options.authorization);
  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    // Constant time: the comparison must not tell how much of a guess was right.
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const listener: RequestListener = (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'action endpoint: request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error');
      else res.end();
    });
  };
  return options.tls ? createTlsServer(options.tls, listener) : createServer(listener);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://action.invalid');
    if (!authorized(req)) {
      options.logger.warn({ method: req.method }, 'action endpoint: request without the configured secret refused');
      req.resume();
      return send(
        res,
        401,
        'application/json',
        JSON.stringify({ errors: [{ code: 'unauthorized', detail: 'Authorization does not match the configured secret' }] }),
      );
    }
    if (req.method === 'GET') {
      const token = url.searchParams.get('validationToken');
      if (token === null) return send(res, 400, 'text/plain', 'validationToken is required');
      options.logger.info('action endpoint: probe answered');
      return send(res, 200, 'text/plain; charset=utf-8', token);
    }
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'GET (probe) or POST (action) only');
    const body = await readBody(req);
    if (body === null) return send(res, 413, 'text/plain', `the body exceeds ${MAX_BODY_BYTES} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return send(res, 400, 'application/json', problem('the body is not JSON'));
    }
    const parsed = payloadSchema.safeParse(json);
    if (!parsed.success)
      return send(res, 400, 'application/json', problem('expected {data: {trigger, feature: {id}}} as the action notification defines it'));
    const { trigger, feature } = parsed.data.data;
    options.logger.info({ trigger, entityId: feature.id }, 'action endpoint: button pressed');
    const connection = await options.press(trigger, feature.id);
    send(res, 200, 'application/json', JSON.stringify({ data: { fields: { connection } } }));
  }
}

const problem = (detail: string): string => JSON.stringify({ errors: [{ code: 'badRequest', detail }] });

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** The body, or null when it is bigger than the bound (the rest is not read). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
