import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { pressPluginButton, seedIds } from '../../src/sandbox/index.js';
import { repoPath } from '../helpers/builders.js';
import { startE2E, type E2E } from './harness.js';

// The plugin-integration column end to end: the real CLI's `serve` as the action endpoint of an
// integration the real CLI created (Productboard's probe answered), sync passes keeping one
// connection per synced item, and a person's button press syncing one item through `serve`.

const SECRET = 'Bearer column-secret-7f3a9c2e';
const PUT = 'PUT /v2/plugin-integrations/{integrationId}/connections/{entityId}';

let e2e: E2E;
let stopServe: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stopServe?.();
  stopServe = undefined;
  await e2e?.close();
});

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A config naming the integration, its action URL (where `serve` listens) and its secret. */
function columnConfig(port: number, mapping = repoPath('mappings/default.yaml')): string {
  const config = join(e2e.dir, 'config-column.yaml');
  writeFileSync(
    config,
    `productboard:
  apiUrl: "\${PRODUCTBOARD_API_URL}"
  token: "\${PRODUCTBOARD_TOKEN}"
  pluginIntegration:
    name: Jira delivery
    actionUrl: https://127.0.0.1:${port}/pb-action
    authorization: "\${PB_ACTION_SECRET}"
jira: { host: "\${JIRA_HOST}", email: "\${JIRA_EMAIL}", apiToken: "\${JIRA_API_TOKEN}", project: "\${JIRA_PROJECT}" }
ledger: { path: "\${PB_JIRA_SYNC_LEDGER}" }
mapping: ${mapping}
`,
  );
  e2e.env.PB_ACTION_SECRET = SECRET;
  return config;
}

/** A sandbox whose Productboard lets a loopback action URL through, `serve` running, and the integration created by the CLI. */
async function startColumn(
  options: { statusBack?: boolean } = {},
): Promise<{ config: string; integrationId: string; serveLog: () => string }> {
  e2e = await startE2E({ productboard: { actionUrls: 'loopback-allowed' } });
  const port = await freePort();
  const config = columnConfig(port, options.statusBack ? statusBackMapping() : undefined);
  const tls = ['--tls-cert', repoPath('test/e2e/fixtures/loopback-cert.pem'), '--tls-key', repoPath('test/e2e/fixtures/loopback-key.pem')];
  const serve = e2e.spawnCli(['serve', '--port', String(port), ...tls, '--config', config], { LOG_LEVEL: 'info' });
  let out = '';
  serve.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise<void>((resolve, reject) => {
    serve.child.stdout!.on('data', () => out.includes('listening on') && resolve());
    void serve.done.then((r) => reject(new Error(`serve exited: ${r.stderr}`)));
  });
  stopServe = async () => {
    serve.child.kill('SIGTERM');
    return serve.done;
  };
  const create = await e2e.run(['plugin-integration', 'create', '--config', config]);
  expect(create.code, create.stderr).toBe(0);
  const integration = e2e.sandbox.productboard.state.plugins.list().find((p) => p.name === 'Jira delivery')!;
  // Productboard probed `serve` before creating it, with the secret.
  expect(e2e.sandbox.productboard.state.plugins.outbound).toMatchObject([{ kind: 'probe', authorized: true, status: 200, outcome: 'ok' }]);
  return { config, integrationId: integration.id, serveLog: () => out };
}

/** The shipped mapping with status back on features. */
function statusBackMapping(): string {
  const mapping = join(e2e.dir, 'mapping-status-back.yaml');
  const shipped = readFileSync(repoPath('mappings/default.yaml'), 'utf8');
  const table = 'categories: { new: Planned, indeterminate: In progress, done: Released }';
  writeFileSync(mapping, shipped.replace('writeBack:\n', `writeBack:\n  status:\n    feature:\n      ${table}\n`));
  return mapping;
}

const connection = (integrationId: string, pbId: string) => e2e.sandbox.productboard.state.plugins.connection(integrationId, pbId);
const issueOf = (pbId: string) => e2e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`));

/** The push's pass runs after `serve` answered `progress`: wait (generously) for its final state. */
async function settled(integrationId: string, pbId: string) {
  for (let i = 0; i < 600; i++) {
    const c = connection(integrationId, pbId);
    if (c.state !== 'progress') return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the push never finished');
}

/** One request to `serve` (its certificate is the test's own, self-signed). */
function call(method: string, url: string, body?: string, authorization = SECRET): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: authorization, 'Content-Type': 'application/json' };
    const req = httpsRequest(url, { method, headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Productboard plugin-integration column and `serve` (real CLI)', () => {
  it('after a sync every synced item has its connection (key, status, progress, link); a rerun writes none; the dry run lists them and sends nothing', async () => {
    const { config, integrationId } = await startColumn();
    const dry = await e2e.run(['sync', '--dry-run', '--json', '--config', config]);
    expect(dry.code, dry.stderr).toBe(0);
    const doc = JSON.parse(dry.stdout) as { productboardColumn: { writes: unknown[]; results: unknown } };
    expect(doc.productboardColumn.writes).toHaveLength(24);
    expect(doc.productboardColumn.results).toBeNull();
    expect(e2e.writes()).toEqual(['POST /v2/plugin-integrations']);

    const first = await e2e.run(['sync', '--config', config]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Productboard column: 24 connections to write (24 connected), 0 unchanged');
    expect(first.stdout).toContain('Productboard column: written 24, skipped 0, failed 0.');
    const feature = seedIds.featureWithSubfeatures;
    const issue = issueOf(feature)!;
    expect(connection(integrationId, feature)).toEqual({
      state: 'connected',
      label: issue.status.name,
      hoverLabel: `${issue.key} · 33%`,
      tooltip: `${issue.key}: ${issue.status.name}, 33% done`,
      color: 'blue',
      targetUrl: `${e2e.env.JIRA_HOST}/browse/${issue.key}`,
    });
    expect(e2e.sandbox.productboard.state.plugins.connections(integrationId)).toHaveLength(24);
    // One connection write per synced item, through the same Productboard lane as every request.
    expect(e2e.sandbox.requests.filter((r) => r.route === PUT)).toHaveLength(24);

    e2e.sandbox.resetRequestLog();
    const again = await e2e.run(['sync', '--config', config]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Productboard column: nothing to update (24 connections already up to date)');
    expect(e2e.writes()).toEqual([]);

    // An item that leaves the sync (a subfeature archived in Productboard) has its button reset, nothing else.
    const leaving = seedIds.subfeaturesOfFeature[0];
    e2e.sandbox.productboard.state.archive(leaving);
    e2e.sandbox.resetRequestLog();
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    expect(connection(integrationId, leaving)).toEqual({ state: 'initial' });
    const deletes = e2e.sandbox.requests.filter((r) => r.service === 'productboard' && r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([`/v2/plugin-integrations/${integrationId}/connections/${leaving}`]);
  });

  it('a push on an unsynced feature syncs that one item (and the initiative it needs) through `serve`; a push on a changed one syncs only it', async () => {
    const { config, integrationId } = await startColumn();
    const feature = seedIds.plainFeature;
    const pressed = await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: feature });
    expect(pressed).toMatchObject({ status: 200, applied: true, connection: { state: 'progress' } });
    const final = await settled(integrationId, feature);
    const issue = issueOf(feature)!;
    expect(final).toMatchObject({ state: 'connected', targetUrl: `${e2e.env.JIRA_HOST}/browse/${issue.key}` });
    // Only the pushed feature and its initiative (its Epic) are in Jira.
    expect(e2e.sandbox.jira.state.issues().map((i) => i.key)).toHaveLength(2);
    const epic = e2e.sandbox.jira.state.issues().find((i) => i.key === issue.parentKey)!;
    const initiative = epic.labels.find((l) => l.startsWith('pb-'))!.slice(3);
    expect(e2e.sandbox.productboard.state.plugins.connections(integrationId).map((c) => c.entityId)).toEqual([feature, initiative].sort());

    // A full sync, then two features renamed: a push on one updates only that one.
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    const other = seedIds.inProgressFeature;
    e2e.sandbox.productboard.state.rename(feature, 'Bulk user invitations (v2)');
    e2e.sandbox.productboard.state.rename(other, 'Partner SSO (SAML 2.0)');
    // The other item's delivery changes too (its issue done in Jira): the push leaves that to the next pass.
    e2e.sandbox.jira.state.setStatusByCategory(issueOf(other)!.key, 'done');
    e2e.sandbox.resetRequestLog();
    await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: feature });
    expect((await settled(integrationId, feature)).state).toBe('connected');
    expect(issueOf(feature)!.summary).toBe('Bulk user invitations (v2)');
    expect(issueOf(other)!.summary).toBe('Partner SSO (SAML)');
    const edits = e2e.sandbox.requests.filter((r) => r.service === 'jira' && r.method === 'PUT' && r.route.includes('/issue/'));
    expect(edits.map((r) => r.path)).toEqual([`/rest/api/3/issue/${issue.id}`]);
    const updated = (ids: readonly string[]) =>
      e2e.sandbox.requests.filter((r) => r.route === 'PATCH /v2/entities/{id}' && ids.some((id) => r.path.endsWith(id)));
    expect(updated([other])).toEqual([]);
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    expect(updated([other])).toHaveLength(1);
  });

  it('with status back, a push keeps to its item: a Productboard status changed on another item is not taken as synced, and the next pass moves its issue', async () => {
    const { config, integrationId } = await startColumn({ statusBack: true });
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    const feature = seedIds.plainFeature;
    const other = seedIds.inProgressFeature;
    const before = issueOf(other)!.status.categoryKey;
    expect(before).not.toBe('done');
    e2e.sandbox.productboard.state.setStatus(other, 'Released');
    await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: feature });
    expect((await settled(integrationId, feature)).state).toBe('connected');
    // The push's pass wrote to Jira for its item only.
    expect(issueOf(other)!.status.categoryKey).toBe(before);

    const next = await e2e.run(['sync', '--config', config]);
    expect(next.code, next.stderr).toBe(0);
    expect(issueOf(other)!.status.categoryKey).toBe('done');
    expect(e2e.sandbox.productboard.state.get(other)!.status).toBe('Released');
  });

  it('unlink resets the button and later passes leave it so; dismiss clears an error', async () => {
    const { config, integrationId } = await startColumn();
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    const feature = seedIds.featureWithSubfeatures;
    const unlinked = await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: feature, trigger: 'button.unlink' });
    expect(unlinked).toMatchObject({ status: 200, applied: true, connection: { state: 'initial' } });
    e2e.sandbox.resetRequestLog();
    expect((await e2e.run(['sync', '--config', config])).code).toBe(0);
    expect(connection(integrationId, feature)).toEqual({ state: 'initial' });
    expect(e2e.writes()).toEqual([]);
    // Its Jira sync goes on: the mapping decides what is synced.
    expect(issueOf(feature)).toBeDefined();
    // A push brings the connection back.
    await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: feature });
    expect((await settled(integrationId, feature)).state).toBe('connected');

    // An item the mapping does not sync (a feature under no initiative): the push ends in an error saying why; dismiss clears it.
    const unparented = seedIds.unparentedFeature;
    await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: unparented });
    expect(await settled(integrationId, unparented)).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/^Not synced to Jira: /),
    });
    const dismissed = await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: unparented, trigger: 'button.dismiss' });
    expect(dismissed.connection).toEqual({ state: 'initial' });
    const ledger = Ledger.open(e2e.ledgerPath);
    expect(ledger.connections().get(unparented)).toEqual({ connection: { state: 'initial' }, hold: 'dismissed' });
    ledger.close();
  });

  it('validate: a missing integration says how to create it; a disabled one is a warning; creating it is never implicit', async () => {
    e2e = await startE2E();
    const config = columnConfig(8443);
    const missing = await e2e.run(['validate', '--config', config]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'productboard.pluginIntegration: Productboard has no plugin integration named "Jira delivery": create it with `pb-jira-sync plugin-integration create`',
    );
    // A sync neither creates it nor fails its Jira side: the column's writes stop with the reason.
    const sync = await e2e.run(['sync', '--config', config]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain('Productboard has no plugin integration named "Jira delivery"');
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
    expect(e2e.sandbox.productboard.state.plugins.list()).toEqual([]);

    e2e.sandbox.productboard.state.plugins.add({
      type: 'pb-jira-sync',
      name: 'Jira delivery',
      integrationStatus: 'disabled',
      initialLabel: 'Push',
      action: { url: 'https://sync.example.com/pb-action', version: 1 },
    });
    const disabled = await e2e.run(['validate', '--config', config]);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toMatch(/Productboard plugin integration "Jira delivery" \(.+\): disabled/);
    expect(disabled.stdout).toContain('warning Productboard plugin integration "Jira delivery" is disabled: its column is hidden');
    expect(disabled.stdout + disabled.stderr).not.toContain('column-secret');
  });

  it('a request without the configured secret gets 401 and nothing is done; bad JSON gets 400; SIGTERM stops serve cleanly', async () => {
    const { integrationId, serveLog } = await startColumn();
    const rec = e2e.sandbox.productboard.state.plugins.get(integrationId)!;
    rec.action.authorization = 'Bearer wrong-secret';
    e2e.sandbox.resetRequestLog();
    const pressed = await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: seedIds.plainFeature });
    expect(pressed.status).toBe(401);
    expect(pressed.applied).toBe(false);
    delete rec.action.authorization;
    expect((await pressPluginButton(e2e.sandbox.productboard, { integrationId, entityId: seedIds.plainFeature })).status).toBe(401);
    expect(e2e.sandbox.requests).toEqual([]);
    expect(e2e.sandbox.jira.state.issues()).toEqual([]);

    const url = rec.action.url;
    const post = (body: string) => call('POST', url, body);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ data: { trigger: 'button.explode', feature: { id: 'x' } } }))).status).toBe(400);
    expect((await post('x'.repeat(100 * 1024))).status).toBe(413);
    expect(await call('GET', `${url}?validationToken=abc%20123`)).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
      body: 'abc 123',
    });
    expect((await call('GET', `${url}?validationToken=abc`, undefined, 'Bearer column-secret-7f3a9c2f')).status).toBe(401);
    expect(serveLog()).not.toContain('column-secret');

    const stopped = (await stopServe!()) as { code: number; stdout: string; stderr: string };
    stopServe = undefined;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('serve: stopped');
    expect(stopped.stderr).not.toContain('column-secret');
  });
});
