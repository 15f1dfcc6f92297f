import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { WRITER_PROPERTY_KEY } from '../../connectors/jira/jira-target.js';
import { checkedDocument } from '../helpers/output-schemas.js';
import { startE2E, type E2E } from './harness.js';

// `status --jira`: who writes to this Jira project now, as the Jira-side lease says, whatever host
// or ledger the writer runs with. Read through the CLI against the sandbox; it never writes.

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

interface JiraLeaseDoc {
  jiraLease: null | {
    held: boolean;
    state: string;
    holder?: string;
    since?: string | null;
    heartbeatAt?: string;
    expiresAt?: string;
    lastWrite?: { at: string; ledger: string } | null;
    staleReason?: string | null;
    reason?: string;
  };
}

interface ErrorDoc {
  error: { kind: string; message: string };
}

const FIRST_CREATE = 'POST /rest/api/3/issue/bulk';

/** Generous: on a busy machine a CLI process takes seconds to start; the test's timeout is the real limit. */
async function waitFor(condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `status --jira`, checked to send no write and, with `--json`, to match its schema. */
async function statusJira(e: E2E, json = false, extraEnv?: Record<string, string>) {
  e.sandbox.resetRequestLog();
  const run = await e.run(['status', '--jira', ...(json ? ['--json'] : [])], extraEnv);
  expect(run.code, run.stderr).toBe(0);
  // Read-only: the lease is never taken, written or cleared by looking at it.
  expect(e.sandbox.requests.map((r) => r.route)).toEqual([
    'GET /rest/api/3/project/{projectIdOrKey}',
    expect.stringContaining('/properties/'),
  ]);
  return run;
}

describe('status --jira: the Jira-side lease', () => {
  it('shows a pass holding it with its holder, then stale once that pass is gone, then free after a pass released it', async () => {
    // The pass's first create never gets an answer: it holds the Jira lease for as long as the test looks.
    e2e = await startE2E({ faults: { hostile: [{ kind: 'hang', service: 'jira', route: FIRST_CREATE, count: 1 }] } });
    const config = e2e.writeConfig('http: { timeoutMs: 600000 }\nsync: { leaseConfirmSeconds: 0.5 }');
    const pass = e2e.spawnCli(['sync', '--config', config]);
    await waitFor(() => e2e!.sandbox.requests.some((r) => r.route === FIRST_CREATE && r.fault === 'hang'));

    const held = await statusJira(e2e);
    const holder = new RegExp(
      `jira lease held by ${hostname()}:[0-9a-f]{12}:${pass.child.pid}:\\S+ since \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\n`,
    );
    expect(held.stdout).toMatch(holder);
    expect(held.stdout).toMatch(/ {11}last heartbeat \S+Z \(\d+s ago\), expires \S+Z; last write none recorded\n/);
    const heldDoc = checkedDocument<JiraLeaseDoc>('status', (await statusJira(e2e, true)).stdout);
    expect(heldDoc.jiraLease).toMatchObject({
      held: true,
      state: 'held',
      holder: expect.stringContaining(`:${pass.child.pid}:`),
      staleReason: null,
    });
    expect(Date.parse(heldDoc.jiraLease!.expiresAt!) - Date.parse(heldDoc.jiraLease!.heartbeatAt!)).toBe(120_000);
    expect(Date.parse(heldDoc.jiraLease!.since!)).toBeLessThanOrEqual(Date.parse(heldDoc.jiraLease!.heartbeatAt!));

    // Killed while holding it: the record stays, but its process on this host has ended.
    pass.child.kill('SIGKILL');
    await pass.done;
    const stale = await statusJira(e2e);
    expect(stale.stdout).toMatch(new RegExp(`jira lease STALE: was held by ${hostname()}:[0-9a-f]{12}:${pass.child.pid}:`));
    expect(stale.stdout).toContain('its process on this host has ended: the next pass takes it over');

    // A pass that ran to the end took it over and released it, recording its last write.
    const sync = await e2e.run(['sync', '--config', config]);
    expect(sync.code, sync.stderr).toBe(0);
    const free = await statusJira(e2e);
    expect(free.stdout).toMatch(/jira lease free: no pass holds the Jira lease; last write \S+Z \(ledger [0-9a-f-]{36}\)\n/);
    const freeDoc = checkedDocument<JiraLeaseDoc>('status', (await statusJira(e2e, true)).stdout);
    expect(freeDoc.jiraLease).toEqual({ held: false, state: 'free', lastWrite: { at: expect.any(String), ledger: expect.any(String) } });
  });

  it('a holder of another host silent for longer than schedule.leaseSeconds is stale, in the words of that rule', async () => {
    e2e = await startE2E();
    const heartbeatAt = Date.now() - 2 * 3_600_000;
    e2e.sandbox.jira.state.projectProperties.set(WRITER_PROPERTY_KEY, {
      v: 1,
      holder: { id: 'ops-host:0123456789ab:4242:1:beef', ledger: 'their-ledger', token: 'their-token', acquiredAt: heartbeatAt - 60_000 },
      heartbeatAt,
      lastWrite: { at: heartbeatAt, ledger: 'their-ledger' },
    });
    const text = await statusJira(e2e);
    expect(text.stdout).toContain('jira lease STALE: was held by ops-host:0123456789ab:4242:1:beef since ');
    expect(text.stdout).toContain('no heartbeat for 2h 0m, not within schedule.leaseSeconds (120 s): the next pass takes it over');
    expect(text.stdout).toContain('(ledger their-ledger)');
    // The token another pass would need to pass for the holder is not shown.
    expect(text.stdout).not.toContain('their-token');
    const doc = checkedDocument<JiraLeaseDoc>('status', (await statusJira(e2e, true)).stdout);
    expect(doc.jiraLease).toMatchObject({
      held: false,
      state: 'stale',
      holder: 'ops-host:0123456789ab:4242:1:beef',
      since: new Date(heartbeatAt - 60_000).toISOString(),
      staleReason: expect.stringContaining('schedule.leaseSeconds (120 s)'),
    });
    // Looking did not take it over or clear it.
    expect(e2e.sandbox.jira.state.projectProperties.get(WRITER_PROPERTY_KEY)).toMatchObject({
      heartbeatAt,
      holder: { token: 'their-token' },
    });
  });

  it('a value under the key that is no writer record is shown as unreadable with the reason, not a crash', async () => {
    e2e = await startE2E();
    e2e.sandbox.jira.state.projectProperties.set(WRITER_PROPERTY_KEY, { v: 1, holder: 'someone', heartbeatAt: 'yesterday' });
    const text = await statusJira(e2e);
    expect(text.stdout).toMatch(
      /jira lease unreadable: the project property is not a writer record \(pb-jira-sync\.writer holder: [^)]+\); the next pass overwrites it\n/,
    );
    const doc = checkedDocument<JiraLeaseDoc>('status', (await statusJira(e2e, true)).stdout);
    expect(doc.jiraLease).toEqual({ held: false, state: 'unreadable', reason: expect.stringContaining('pb-jira-sync.writer holder') });
  });

  it('without --jira, status sends no request at all, shows no Jira lease, and its document says null', async () => {
    e2e = await startE2E();
    e2e.sandbox.resetRequestLog();
    const text = await e2e.run(['status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain('jira lease');
    const doc = checkedDocument<JiraLeaseDoc>('status', (await e2e.run(['status', '--json'])).stdout);
    expect(doc.jiraLease).toBeNull();
    expect(e2e.sandbox.requests).toEqual([]);
  });

  it('errors: no credentials is the config error, a refused token is auth naming Jira, an unreachable Jira is transient; no secret printed', async () => {
    e2e = await startE2E();
    const bare = { PATH: process.env.PATH ?? '', PB_JIRA_SYNC_LEDGER: e2e.ledgerPath };
    const unconfigured = await e2e.run(['status', '--jira', '--json'], { ...bare, JIRA_API_TOKEN: '', JIRA_HOST: '', JIRA_EMAIL: '' });
    expect(unconfigured.code).toBe(1);
    expect(checkedDocument<ErrorDoc>('error', unconfigured.stdout).error.kind).toBe('config');
    expect(unconfigured.stderr).toContain('error [config]: the configuration has');
    expect(unconfigured.stderr).toContain('jira.');

    const refused = await e2e.run(['status', '--jira'], { JIRA_API_TOKEN: 'wrong-token-value-123' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error \[auth\] Jira GET \/rest\/api\/3\/project\/\{key\}: Jira rejected the credentials \(HTTP 401\)/);
    expect(refused.stdout + refused.stderr).not.toContain('wrong-token-value-123');

    const config = e2e.writeConfig('http: { maxRetries: 0, timeoutMs: 2000 }');
    const unreachable = await e2e.run(['status', '--jira', '--config', config], { JIRA_HOST: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error \[transient\] Jira GET \/rest\/api\/3\/project\/\{key\}: /);
    for (const run of [unconfigured, refused, unreachable]) expect(run.stdout + run.stderr).not.toContain(e2e.env.JIRA_API_TOKEN!);
  });
});
