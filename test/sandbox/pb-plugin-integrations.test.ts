import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pressPluginButton, seedIds, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { pb, type Reply } from './helpers.js';
import { pbSpec, shapeOf } from './openapi-check.js';

// Plugin integrations against plugin-integrations.openapi.json: the probe on creation, connections and their states,
// and a person pressing the button (the `actionCallback` callbacks).

const spec = pbSpec('plugin-integrations');
const SECRET = 'Bearer action-secret-123';

interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for a tool's action endpoint: records every call, answers as the current `respond` says. */
class ActionEndpoint {
  readonly received: Received[] = [];
  respond: (r: Received, res: ServerResponse) => void = ActionEndpoint.correct;
  private server!: Server;
  url = '';

  static correct(r: Received, res: ServerResponse): void {
    if (r.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(r.url.searchParams.get('validationToken') ?? '');
      return;
    }
    const trigger = (JSON.parse(r.body) as { data: { trigger: string } }).data.trigger;
    const connection =
      trigger === 'button.push'
        ? {
            state: 'connected',
            label: 'In Progress',
            hoverLabel: 'PBJ-7',
            tooltip: 'PBJ-7 Bulk user invitations',
            color: 'blue',
            targetUrl: 'https://jira.example/browse/PBJ-7',
          }
        : { state: 'initial' };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: { fields: { connection } } }));
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = {
          method: req.method ?? '',
          url: new URL(req.url ?? '/', this.url),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(r);
        this.respond(r, res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const createBody = (url: string, extra: Record<string, unknown> = {}) => ({
  data: {
    fields: {
      type: 'com.pb-jira-sync.delivery',
      name: 'Jira delivery',
      initialState: { label: 'Push' },
      action: { url, version: 1, headers: { authorization: SECRET } },
      ...extra,
    },
  },
});

function expectError(r: Reply, status: number, code: string, pointer?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body.errors[0].code).toBe(code);
  if (pointer !== undefined) expect(r.body.errors[0].source?.pointer).toBe(pointer);
  expect(spec.schema('ErrorResponse', r.body)).toEqual([]);
}

describe('Productboard plugin integrations', () => {
  let sb: Sandbox;
  const endpoint = new ActionEndpoint();
  beforeAll(async () => {
    await endpoint.start();
    sb = await startSandbox({ productboard: { actionUrls: 'loopback-allowed' } });
  });
  afterAll(async () => {
    await sb.close();
    await endpoint.close();
  });
  beforeEach(() => {
    endpoint.respond = ActionEndpoint.correct;
    endpoint.received.length = 0;
  });

  it('creating an enabled integration probes the action URL (validationToken, text/plain, Authorization) and never returns the action', async () => {
    const r = await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/pb-action?team=a`));
    expect(r.status, r.text).toBe(201);
    expect(spec.response('/plugin-integrations', 'post', 201, r.body)).toEqual([]);
    const id = r.body.data.id as string;
    expect(r.body.data.links).toEqual({
      self: `${sb.productboard.url}/v2/plugin-integrations/${id}`,
      connections: `${sb.productboard.url}/v2/plugin-integrations/${id}/connections`,
    });

    expect(endpoint.received).toHaveLength(1);
    const probe = endpoint.received[0]!;
    expect(probe.method).toBe('GET');
    expect(probe.url.pathname).toBe('/pb-action');
    expect(probe.url.searchParams.get('team')).toBe('a');
    expect(probe.url.searchParams.get('validationToken')).toMatch(/^[0-9a-f-]{36}$/);
    expect(probe.headers['accept']).toBe('text/plain');
    expect(probe.headers['authorization']).toBe(SECRET);

    const one = await pb(sb, 'GET', `/v2/plugin-integrations/${id}`);
    expect(spec.response('/plugin-integrations/{integrationId}', 'get', 200, one.body)).toEqual([]);
    expect(one.body.data).toMatchObject({
      id,
      type: 'pluginIntegration',
      fields: { type: 'com.pb-jira-sync.delivery', name: 'Jira delivery', integrationStatus: 'enabled', initialState: { label: 'Push' } },
    });
    expect(one.text).not.toContain('action-secret');
    expect(one.body.data.fields).not.toHaveProperty('action');
    const list = await pb(sb, 'GET', '/v2/plugin-integrations');
    expect(spec.response('/plugin-integrations', 'get', 200, list.body)).toEqual([]);
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(id);
    expect(list.text).not.toContain('action-secret');
    // Laid out like the spec's examples, key for key.
    expect(shapeOf(list.body)).toEqual(shapeOf(spec.examples('/plugin-integrations', 'get', 200)['default']));
    expect(shapeOf(r.body)).toEqual(shapeOf(spec.examples('/plugin-integrations', 'post', 201)['created']));
  });

  it('refuses creation with callback.probeFailed when the probe is not answered exactly as specified; nothing is created', async () => {
    const before = (await pb(sb, 'GET', '/v2/plugin-integrations')).body.data.length;
    const bad: Array<[string, (r: Received, res: ServerResponse) => void]> = [
      ['wrong echo', (_r, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('something else')],
      [
        'JSON instead of text',
        (r, res) =>
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(r.url.searchParams.get('validationToken'))),
      ],
      ['an error', (_r, res) => res.writeHead(500).end()],
      ['a redirect', (_r, res) => res.writeHead(302, { Location: 'https://example.com/' }).end()],
    ];
    for (const [why, respond] of bad) {
      endpoint.respond = respond;
      const r = await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/pb-action`));
      expectError(r, 422, 'callback.probeFailed', '/data/fields/action/url');
      expect(r.text, why).not.toContain('action-secret');
    }
    // An endpoint that never answers is cut off after the spec's 5 seconds.
    endpoint.respond = () => undefined;
    const silent = await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/silent`));
    expectError(silent, 422, 'callback.probeFailed');
    expect(silent.body.errors[0].detail).toMatch(/within 5 s/);
    const closed = await pb(sb, 'POST', '/v2/plugin-integrations', createBody('http://127.0.0.1:9/nothing-listens-here'));
    expectError(closed, 422, 'callback.probeFailed');
    expect(closed.body.errors[0].detail).toMatch(/no answer/);
    expect((await pb(sb, 'GET', '/v2/plugin-integrations')).body.data.length).toBe(before);
    expect(
      sb.productboard.state.plugins.outbound.filter((c) => c.kind === 'probe' && c.outcome === 'failed').length,
    ).toBeGreaterThanOrEqual(6);
  });

  it('creates a disabled integration without a probe; enabling it, or changing the action of an enabled one, probes', async () => {
    const r = await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/staged`, { integrationStatus: 'disabled' }));
    expect(r.status).toBe(201);
    expect(endpoint.received).toHaveLength(0);
    const id = r.body.data.id as string;

    endpoint.respond = (_r, res) => res.writeHead(404).end();
    const enable = await pb(sb, 'PATCH', `/v2/plugin-integrations/${id}`, { data: { fields: { integrationStatus: 'enabled' } } });
    expectError(enable, 422, 'callback.probeFailed');
    expect((await pb(sb, 'GET', `/v2/plugin-integrations/${id}`)).body.data.fields.integrationStatus).toBe('disabled');

    endpoint.respond = ActionEndpoint.correct;
    const ok = await pb(sb, 'PATCH', `/v2/plugin-integrations/${id}`, {
      data: { fields: { integrationStatus: 'enabled', name: 'Jira (pilot)' } },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(spec.response('/plugin-integrations/{integrationId}', 'patch', 200, ok.body)).toEqual([]);
    const renamed = await pb(sb, 'PATCH', `/v2/plugin-integrations/${id}`, { data: { fields: { name: 'Jira' } } });
    expect(renamed.status).toBe(200);
    expect(endpoint.received.filter((x) => x.method === 'GET')).toHaveLength(2); // the failed and the good probe, none for the rename
    const moved = await pb(sb, 'PATCH', `/v2/plugin-integrations/${id}`, {
      data: { fields: { action: { url: `${endpoint.url}/moved`, version: 1 } } },
    });
    expect(moved.status).toBe(200);
    expect(endpoint.received.at(-1)!.url.pathname).toBe('/moved');
    expect(endpoint.received.at(-1)!.headers['authorization']).toBeUndefined(); // the new action has no header
    expect((await pb(sb, 'DELETE', `/v2/plugin-integrations/${id}`)).status).toBe(204);
    expect((await pb(sb, 'GET', `/v2/plugin-integrations/${id}`)).status).toBe(404);
  });

  it('refuses action URLs the spec forbids: http (400) and, unless loopback is allowed, local or private hosts (422)', async () => {
    const strict = await startSandbox();
    try {
      expectError(
        await pb(strict, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/x`)),
        400,
        'request.invalid',
        '/data/fields/action/url',
      );
      expectError(
        await pb(strict, 'POST', '/v2/plugin-integrations', createBody('https://127.0.0.1:8443/x')),
        422,
        'validation.failed',
        '/data/fields/action/url',
      );
      expectError(await pb(strict, 'POST', '/v2/plugin-integrations', createBody('https://10.1.2.3/x')), 422, 'validation.failed');
      expectError(await pb(strict, 'POST', '/v2/plugin-integrations', createBody('https://intranet/x')), 422, 'validation.failed');
      expectError(
        await pb(
          strict,
          'POST',
          '/v2/plugin-integrations',
          createBody(`${endpoint.url}/x`, { initialState: { label: 'Push to Jira now' } }),
        ),
        400,
        'request.invalid',
        '/data/fields/initialState/label',
      );
      const noType = createBody('https://example.com/x');
      delete (noType.data.fields as Record<string, unknown>)['type'];
      expectError(await pb(strict, 'POST', '/v2/plugin-integrations', noType), 400, 'request.invalid', '/data/fields/type');
      expect(endpoint.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('sets, reads, lists, searches and resets connections with the states of the spec', async () => {
    const id = (await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/c`))).body.data.id as string;
    const conn = (entity: string) => `/v2/plugin-integrations/${id}/connections/${entity}`;
    const initial = await pb(sb, 'GET', conn(seedIds.plainFeature));
    expect(spec.response('/plugin-integrations/{integrationId}/connections/{entityId}', 'get', 200, initial.body)).toEqual([]);
    expect(initial.body.data).toEqual({
      id: seedIds.plainFeature,
      type: 'pluginIntegrationConnection',
      fields: { connection: { state: 'initial' } },
      links: { self: `${sb.productboard.url}${conn(seedIds.plainFeature)}` },
    });

    const connected = {
      state: 'connected',
      label: 'Done',
      hoverLabel: 'PBJ-3',
      tooltip: 'PBJ-3 Usage dashboard',
      color: 'green',
      targetUrl: 'https://jira.example/browse/PBJ-3',
    };
    const put = await pb(sb, 'PUT', conn(seedIds.releasedFeature), { data: { fields: { connection: connected } } });
    expect(put.status, put.text).toBe(200);
    expect(spec.response('/plugin-integrations/{integrationId}/connections/{entityId}', 'put', 200, put.body)).toEqual([]);
    expect(
      (
        await pb(sb, 'PUT', conn(seedIds.inProgressFeature), {
          data: { fields: { connection: { state: 'error', message: 'Jira refused: Summary is required.' } } },
        })
      ).status,
    ).toBe(200);
    expect((await pb(sb, 'PUT', conn(seedIds.plainFeature), { data: { fields: { connection: { state: 'progress' } } } })).status).toBe(200);

    const got = await pb(sb, 'GET', conn(seedIds.releasedFeature));
    expect(got.body.data.fields.connection).toEqual(connected);
    const examples = spec.examples('/plugin-integrations/{integrationId}/connections/{entityId}', 'get', 200);
    expect(shapeOf(got.body)).toEqual(shapeOf(examples['connected']));
    expect(shapeOf(initial.body)).toEqual(shapeOf(examples['initial']));
    const list = await pb(sb, 'GET', `/v2/plugin-integrations/${id}/connections`);
    expect(spec.response('/plugin-integrations/{integrationId}/connections', 'get', 200, list.body)).toEqual([]);
    expect(list.body.data.map((c: { fields: { connection: { state: string } } }) => c.fields.connection.state).sort()).toEqual([
      'connected',
      'error',
      'progress',
    ]);
    const errors = await pb(sb, 'GET', `/v2/plugin-integrations/${id}/connections?state[]=error`);
    expect(errors.body.data.map((c: { id: string }) => c.id)).toEqual([seedIds.inProgressFeature]);
    const searched = await pb(sb, 'POST', `/v2/plugin-integrations/${id}/connections/search`, {
      data: { filter: { state: ['connected', 'progress'], entityId: [seedIds.plainFeature, seedIds.inProgressFeature] } },
    });
    expect(spec.response('/plugin-integrations/{integrationId}/connections/search', 'post', 200, searched.body)).toEqual([]);
    expect(searched.body.data.map((c: { id: string }) => c.id)).toEqual([seedIds.plainFeature]);

    // `initial` through PUT and DELETE both reset; the list leaves initial connections out.
    expect((await pb(sb, 'PUT', conn(seedIds.plainFeature), { data: { fields: { connection: { state: 'initial' } } } })).status).toBe(200);
    expect((await pb(sb, 'DELETE', conn(seedIds.inProgressFeature))).status).toBe(204);
    const after = await pb(sb, 'GET', `/v2/plugin-integrations/${id}/connections`);
    expect(after.body.data.map((c: { id: string }) => c.id)).toEqual([seedIds.releasedFeature]);
    expect((await pb(sb, 'GET', conn(seedIds.inProgressFeature))).body.data.fields.connection).toEqual({ state: 'initial' });
  });

  it('refuses connection states the spec forbids, and unknown integrations or entities', async () => {
    const id = (await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/v`))).body.data.id as string;
    const put = (connection: unknown, entity: string = seedIds.plainFeature, integration = id) =>
      pb(sb, 'PUT', `/v2/plugin-integrations/${integration}/connections/${entity}`, { data: { fields: { connection } } });
    const good = {
      state: 'connected',
      label: 'Done',
      hoverLabel: 'PBJ-3',
      tooltip: 'PBJ-3',
      color: 'green',
      targetUrl: 'https://jira.example/browse/PBJ-3',
    };
    expectError(await put({ ...good, label: 'A label far too long to fit' }), 400, 'request.invalid', '/data/fields/connection/label');
    expectError(await put({ ...good, color: 'pink' }), 400, 'request.invalid', '/data/fields/connection/color');
    expectError(await put({ ...good, targetUrl: undefined }), 400, 'request.invalid', '/data/fields/connection/targetUrl');
    expectError(await put({ state: 'error' }), 400, 'request.invalid', '/data/fields/connection/message');
    expectError(
      await put({ state: 'error', message: 'x', debugDetail: 'mine' }),
      400,
      'request.invalid',
      '/data/fields/connection/debugDetail',
    );
    expectError(await put({ state: 'done' }), 400, 'request.invalid', '/data/fields/connection/state');
    expectError(await put(good, '00000000-0000-4000-8000-000000000000'), 404, 'resource.notFound');
    expectError(await put(good, seedIds.plainFeature, '00000000-0000-4000-8000-000000000000'), 404, 'resource.notFound');
    expect(
      spec.response(
        '/plugin-integrations/{integrationId}/connections/{entityId}',
        'put',
        404,
        (await put(good, '00000000-0000-4000-8000-000000000000')).body,
      ),
    ).toEqual([]);
  });

  it("a person's push POSTs the action payload with the Authorization header; the answered state becomes the connection", async () => {
    const id = (await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/press`))).body.data.id as string;
    endpoint.received.length = 0;
    const result = await pressPluginButton(sb.productboard, {
      integrationId: id,
      entityId: seedIds.plainFeature,
      user: { name: 'Maria Ionescu', email: 'maria.ionescu@hubco.example' },
    });
    expect(result).toMatchObject({ status: 200, applied: true, connection: { state: 'connected', hoverLabel: 'PBJ-7' } });

    const call = endpoint.received[0]!;
    expect(call.method).toBe('POST');
    expect(call.headers['authorization']).toBe(SECRET);
    expect(call.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(call.body) as { data: unknown };
    expect(
      spec.check(
        '/paths/~1plugin-integrations/post/callbacks/actionCallback/{$request.body#~1data~1fields~1action~1url}/post/requestBody/content/application~1json/schema',
        payload,
      ),
    ).toEqual([]);
    expect(payload.data).toMatchObject({
      integrationId: id,
      trigger: 'button.push',
      feature: { id: seedIds.plainFeature, links: { html: expect.stringContaining(seedIds.plainFeature) } },
      triggeredByUser: { name: 'Maria Ionescu', email: 'maria.ionescu@hubco.example' },
      links: { connection: `${sb.productboard.url}/v2/plugin-integrations/${id}/connections/${seedIds.plainFeature}` },
    });
    const read = await pb(sb, 'GET', `/v2/plugin-integrations/${id}/connections/${seedIds.plainFeature}`);
    expect(read.body.data.fields.connection.state).toBe('connected');

    // Unlink: the endpoint answers initial, which resets the connection.
    const unlink = await pressPluginButton(sb.productboard, {
      integrationId: id,
      entityId: seedIds.plainFeature,
      trigger: 'button.unlink',
    });
    expect(unlink).toMatchObject({ applied: true, connection: { state: 'initial' } });
    expect(JSON.parse(endpoint.received.at(-1)!.body).data.trigger).toBe('button.unlink');
  });

  it('an answer that is not a 200 with a valid state leaves the connection in error with a debugDetail; a dismiss clears it', async () => {
    const id = (await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/bad`))).body.data.id as string;
    const cases: Array<[(r: Received, res: ServerResponse) => void, RegExp]> = [
      [(_r, res) => res.writeHead(401, { 'Content-Type': 'application/json' }).end('{}'), /HTTP 401/],
      [(_r, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('not json'), /JSON decoding error/],
      [
        (_r, res) =>
          res
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ data: { fields: { connection: { state: 'connected', label: 'Done' } } } })),
        /hoverLabel/,
      ],
    ];
    for (const [respond, why] of cases) {
      endpoint.respond = respond;
      const r = await pressPluginButton(sb.productboard, { integrationId: id, entityId: seedIds.releasedFeature });
      expect(r.applied).toBe(false);
      expect(r.connection).toMatchObject({ state: 'error', message: expect.any(String), debugDetail: expect.stringMatching(why) });
      const read = await pb(sb, 'GET', `/v2/plugin-integrations/${id}/connections/${seedIds.releasedFeature}`);
      expect(spec.response('/plugin-integrations/{integrationId}/connections/{entityId}', 'get', 200, read.body)).toEqual([]);
      expect(read.body.data.fields.connection.debugDetail).toMatch(why);
    }
    endpoint.respond = ActionEndpoint.correct;
    const dismissed = await pressPluginButton(sb.productboard, {
      integrationId: id,
      entityId: seedIds.releasedFeature,
      trigger: 'button.dismiss',
    });
    expect(dismissed.connection).toEqual({ state: 'initial' });

    const disabled = (await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/off`, { integrationStatus: 'disabled' })))
      .body.data.id as string;
    await expect(pressPluginButton(sb.productboard, { integrationId: disabled, entityId: seedIds.releasedFeature })).rejects.toThrow(
      /disabled/,
    );
  });

  it('answers 403 when the token lacks the plugin-integrations scope the operation names', async () => {
    const saved = [...sb.productboard.behaviour.tokenScopes];
    sb.productboard.behaviour.tokenScopes = sb.productboard.behaviour.tokenScopes.filter((s) => s !== 'plugin-integrations:write');
    try {
      const r = await pb(sb, 'POST', '/v2/plugin-integrations', createBody(`${endpoint.url}/x`));
      expectError(r, 403, 'auth.accessDenied');
      expect(endpoint.received).toHaveLength(0);
      expect((await pb(sb, 'GET', '/v2/plugin-integrations')).status).toBe(200);
    } finally {
      sb.productboard.behaviour.tokenScopes = saved;
    }
  });
});
