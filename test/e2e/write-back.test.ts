import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPath } from '../helpers/builders.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { PB_SCOPES, seedIds } from '../../src/sandbox/index.js';
import { startE2E, type E2E } from './harness.js';

let e2e: E2E;
afterEach(async () => {
  await e2e?.close();
});

const PATCH = 'PATCH /v2/entities/{id}';
const patches = (e: E2E) => e.sandbox.requests.filter((r) => r.route === PATCH);
const shown = (e: E2E, pbId: string) => e.sandbox.productboard.state.get(pbId)!.customFields;
const issueOf = (e: E2E, pbId: string) => e.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${pbId}`))!;
const keyOf = (e: E2E, pbId: string) => issueOf(e, pbId).key;

describe('delivery written back to Productboard (real CLI)', () => {
  it('after a sync every synced item shows its Jira key, status and progress; one write per item; a rerun writes nothing', async () => {
    e2e = await startE2E();
    const first = await e2e.run(['sync']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Productboard: 24 items to update');
    expect(first.stdout).toContain('Productboard: written 24, skipped 0, failed 0.');
    // At most one Productboard write per synced item.
    expect(patches(e2e)).toHaveLength(24);
    const feature = seedIds.featureWithSubfeatures;
    // Its Jira status as Jira names it; of its three sub-tasks one is done (Released in Productboard).
    expect(shown(e2e, feature)).toMatchObject({
      'Jira key': keyOf(e2e, feature),
      'Jira status': issueOf(e2e, feature).status.name,
      'Delivery progress': 33,
    });
    expect(seedIds.subfeaturesOfFeature.map((sub) => shown(e2e, sub)['Delivery progress']).sort()).toEqual([0, 0, 100]);
    const initiative = seedIds.initiatives.selfService;
    expect(shown(e2e, initiative)['Jira key']).toBe(keyOf(e2e, initiative));
    for (const sub of seedIds.subfeaturesOfFeature) expect(shown(e2e, sub)['Jira key']).toBe(keyOf(e2e, sub));

    e2e.sandbox.resetRequestLog();
    const second = await e2e.run(['sync']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Productboard: nothing to update (24 items already show their delivery)');
    expect(e2e.writes()).toEqual([]);
  });

  it('moving a Sub-task to Done in Jira updates its status and its Story’s and Epic’s progress on the next pass, nothing else', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    const sub = seedIds.subfeaturesOfFeature.find((id) => issueOf(e2e, id).status.categoryKey !== 'done')!;
    const feature = seedIds.featureWithSubfeatures;
    const initiative = seedIds.initiatives.selfService;
    const epicBefore = shown(e2e, initiative)['Delivery progress'] as number;
    expect(shown(e2e, feature)['Delivery progress']).toBe(33);
    e2e.sandbox.jira.state.setStatusByCategory(keyOf(e2e, sub), 'done');
    e2e.sandbox.resetRequestLog();
    const next = await e2e.run(['sync']);
    expect(next.code, next.stderr).toBe(0);
    expect(shown(e2e, sub)).toMatchObject({ 'Jira status': 'Done', 'Delivery progress': 100 });
    // Two of three sub-tasks done now: the Story is two thirds done, and its Epic moves with it.
    expect(shown(e2e, feature)['Delivery progress']).toBe(67);
    expect(shown(e2e, initiative)['Delivery progress']).toBeGreaterThan(epicBefore);
    expect(
      patches(e2e)
        .map((r) => r.path.split('/').pop())
        .sort(),
    ).toEqual([sub, feature, initiative].sort());
    // No Jira request of its own: the roll-up uses the tree the pass read.
    expect(e2e.sandbox.requests.filter((r) => r.service === 'jira' && r.route.includes('/issue/') && r.method === 'GET')).toEqual([]);
  });

  it('dry run: says what Productboard would get, lists it in --json, and writes to neither service', async () => {
    e2e = await startE2E();
    const run = await e2e.run(['sync', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Productboard: 24 items to update \(24 keys, 24 statuses, 24 progress\)/);
    const asJson = await e2e.run(['sync', '--dry-run', '--json']);
    const doc = JSON.parse(asJson.stdout) as {
      productboard: { writes: Array<{ pbId: string; changes: Array<{ value: string }> }>; results: unknown };
    };
    expect(doc.productboard.writes).toHaveLength(24);
    expect(doc.productboard.writes[0]!.changes.map((c) => c.value)).toEqual(['jiraKey', 'jiraStatus', 'progress']);
    expect(doc.productboard.results).toBeNull();
    expect(e2e.writes()).toEqual([]);
  });

  it('a token without entities:write: one message naming the scope, the Jira side applied and recorded; the next pass with the scope writes the fields', async () => {
    e2e = await startE2E();
    e2e.sandbox.productboard.behaviour.tokenScopes = PB_SCOPES.filter((s) => s !== 'entities:write');
    const run = await e2e.run(['sync']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('`entities:write` scope');
    expect(run.stderr.match(/lacks the `entities:write` scope/g)).toHaveLength(1);
    expect(e2e.sandbox.jira.state.issues()).toHaveLength(24);
    const ledger = Ledger.open(e2e.ledgerPath);
    expect([...ledger.links().values()].filter((l) => l.state === 'linked')).toHaveLength(24);
    expect(ledger.delivered().size).toBe(0);
    ledger.close();

    e2e.sandbox.productboard.behaviour.tokenScopes = [...PB_SCOPES];
    e2e.sandbox.resetRequestLog();
    const again = await e2e.run(['sync']);
    expect(again.code, again.stderr).toBe(0);
    expect(patches(e2e)).toHaveLength(24);
    expect(e2e.sandbox.requests.filter((r) => r.service === 'jira' && r.route.startsWith('POST') && r.route.includes('bulk'))).toEqual([]);
    expect(shown(e2e, seedIds.featureWithSubfeatures)['Jira key']).toBe(keyOf(e2e, seedIds.featureWithSubfeatures));
  });

  it('a 429 on an entity update waits for Retry-After and writes it', async () => {
    e2e = await startE2E({
      faults: { hostile: [{ service: 'productboard', route: PATCH, kind: 'retryAfter', status: 429, retryAfter: '1', count: 1 }] },
    });
    const run = await e2e.run(['sync']);
    expect(run.code, run.stderr).toBe(0);
    expect(patches(e2e).filter((r) => r.status === 429)).toHaveLength(1);
    expect(patches(e2e).filter((r) => r.status === 200)).toHaveLength(24);
  });

  it('validate: the fields exist with suitable types; a missing one says how to create it, a wrong type says which it needs', async () => {
    e2e = await startE2E();
    const ok = await e2e.run(['validate']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Productboard field "Jira key" (jiraKey): text on initiative, feature, subfeature');
    expect(ok.stdout).toContain('Productboard field "Delivery progress" (progress): number on initiative, feature, subfeature');

    const mapping = join(e2e.dir, 'mapping.yaml');
    const shipped = readFileSync(repoPath('mappings/default.yaml'), 'utf8');
    writeFileSync(
      mapping,
      shipped.replace('jiraKey: Jira key', 'jiraLink: Jira URL').replace('progress: Delivery progress', 'progress: Jira status'),
    );
    const bad = await e2e.run(['validate', '--config', e2e.writeConfig('', mapping)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'writeBack.fields.jiraLink: Productboard has no field "Jira URL" on initiative, feature, subfeature entities: create a Text custom field named "Jira URL"',
    );
    expect(bad.stderr).toContain(
      'writeBack.fields.progress: Productboard\'s "Jira status" on features is a text field; progress needs a number field',
    );
    expect(e2e.writes()).toEqual([]);
  });
});
