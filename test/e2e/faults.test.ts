import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/ledger.js';
import { diffSnapshots, seedIds, snapshotJira, uuidFromName } from '../../src/sandbox/index.js';
import { takeViolations } from '../helpers/contract-guard.js';
import { startingInProcess, type InProcess } from '../helpers/in-process.js';

// Faults injected by the sandbox, survived by the real engine (in-process, virtual clock).

const start = startingInProcess();

/** The fault-free final state of the seed workspace, to compare faulty runs against. */
async function baseline() {
  const clean = await start();
  await clean.sync();
  return snapshotJira(clean.sandbox.jira.state);
}

/** The note of a create whose answer was lost and whose issue Jira's search does not show (yet). */
const LOST_CREATE = 'the create response was lost and the issue is not visible yet';

/**
 * Syncs until a pass has nothing left to create or finish, advancing past the settle window between
 * passes. Returns the reports of every pass.
 */
async function syncUntilSettled(run: InProcess, maxPasses = 8) {
  const reports: Array<Awaited<ReturnType<InProcess['sync']>>> = [];
  for (let pass = 1; pass <= maxPasses; pass++) {
    const report = await run.sync();
    reports.push(report);
    if (
      report.apply.pending === 0 &&
      report.apply.failed === 0 &&
      report.plan.counts.create === 0 &&
      report.plan.actions.every((a) => a.kind !== 'skip' || a.reason !== 'awaiting-search')
    )
      return reports;
    run.clock.advance(run.config.sync.intentSettleSeconds * 1000 + 1000);
  }
  throw new Error('did not settle');
}

const noDuplicates = (run: InProcess) => [...snapshotJira(run.sandbox.jira.state).values()].every((shapes) => shapes.length === 1);

describe('rate limits', () => {
  it('rides out 429 storms on Jira and Productboard (every RateLimit-Reason, HTML bodies) to the fault-free final state', async () => {
    const expected = await baseline();
    // The sandbox's PRNG is seeded; with seed 13 both services are throttled (Productboard 5 times).
    const run = await start({ faults: { rate429: 0.3, seed: 13 } });
    const report = await run.sync();
    const throttled = run.sandbox.requests.filter((r) => r.status === 429);
    expect(new Set(throttled.map((r) => r.service))).toEqual(new Set(['jira', 'productboard']));
    // Every retry after a 429 waited at least the Retry-After (1 s) the sandbox sent.
    const retries = Object.values(report.requests).reduce((n, s) => n + s.throttled, 0);
    expect(retries).toBe(throttled.length);
    expect(run.clock.sleeps.filter((ms) => ms >= 1000).length).toBeGreaterThan(0);
    expect(run.clock.sleeps.every((ms) => ms === 0 || ms >= 1)).toBe(true);
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    expect(diffSnapshots(expected, snapshotJira(run.sandbox.jira.state))).toEqual([]);
    const again = await run.sync();
    expect(again.plan.counts).toMatchObject({ create: 0, update: 0, move: 0 });
  });
});

describe('transient errors', () => {
  // Seeded faults land on different requests with every change to the order of requests, so no
  // one seed stands for the behaviour: a handful of them does, each held to what the mechanism allows.
  // Everything the policy may send again is sent again (reads, edits, backlinks, Productboard's
  // PATCH and PUT; a transition after the issue, read back, shows it was not taken), so transient
  // faults fail no item. What is left for a later pass is only a bulk create whose answer was lost:
  // it may have created its issues, Jira's search may not show them yet, and no create carries an
  // idempotency key, so those items (and their children) wait out the settle window and the next
  // pass looks their stamps up before creating them. Each pass that loses a create's answer thus
  // costs exactly one more pass: one pass creates everything, one more finds nothing left to do.
  it('5xx and connection resets: nothing fails, never a duplicate, the same final state; only a create whose answer was lost costs one more pass', async () => {
    const expected = await baseline();
    let lostCreates = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const run = await start({ faults: { rate503: 0.15, resetConnection: 0.08, seed } });
      const reports = await syncUntilSettled(run);
      expect(run.sandbox.requests.some((r) => r.status === 503)).toBe(true);
      expect(run.sandbox.requests.some((r) => r.status === 0)).toBe(true); // sockets destroyed
      for (const report of reports) {
        expect(report.apply.failed).toBe(0);
        expect(report.delivery?.result.failed ?? 0).toBe(0);
      }
      const losing = reports.filter((r) => r.apply.results.some((a) => a.outcome === 'pending' && a.note?.startsWith(LOST_CREATE))).length;
      expect(reports.length).toBe(losing + 2);
      lostCreates += losing;
      expect(noDuplicates(run)).toBe(true);
      expect(diffSnapshots(expected, snapshotJira(run.sandbox.jira.state))).toEqual([]);
    }
    // These seeds do lose some creates' answers: the bound above is exercised, not only its base.
    expect(lostCreates).toBeGreaterThan(0);
  });

  it('a server that never answers: the pass fails with a clear summary instead of hanging', async () => {
    const run = await start({ faults: { hostile: [{ kind: 'hang', service: 'jira' }] } }, () => ({}));
    run.config.http.timeoutMs = 150;
    run.config.http.maxRetries = 1;
    const began = Date.now();
    const error = await run.sync().catch((e: unknown) => e);
    // Two 150 ms deadlines and a backoff in virtual time; the bound only leaves a busy machine room.
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(run.sandbox.requests.filter((r) => r.fault === 'hang')).toHaveLength(2);
    expect(error).toMatchObject({
      kind: 'transient',
      service: 'jira',
      endpoint: 'GET /rest/api/3/project/{key}',
      message: 'gave up after 1 retry (no complete response within 150 ms)',
    });
  });
});

describe('partial bulk failure', () => {
  it('records the item Jira rejected with its message, creates the rest, and retries it next pass', async () => {
    const run = await start();
    run.sandbox.jira.state.createRules.push((draft) => (draft.summary.includes('SSO') ? { customfield_10020: 'Team is required.' } : null));
    const first = await run.sync();
    expect(first.apply.results.filter((r) => r.outcome === 'failed')).toEqual([
      { pbId: seedIds.inProgressFeature, kind: 'create', jiraKey: null, outcome: 'failed', error: 'customfield_10020: Team is required.' },
    ]);
    expect(first.apply.results.filter((r) => r.outcome === 'pending')).toHaveLength(1); // its sub-task waits for it
    expect(run.sandbox.jira.state.issues()).toHaveLength(22);
    const ledger = Ledger.open(run.config.ledgerPath);
    expect(ledger.links().get(seedIds.inProgressFeature)).toMatchObject({
      state: 'failed',
      lastError: 'customfield_10020: Team is required.',
    });
    ledger.close();

    const second = await run.sync();
    expect(second.plan.actions.find((a) => a.pbId === seedIds.inProgressFeature)).toMatchObject({
      kind: 'create',
      reason: 'retry: the last attempt failed (customfield_10020: Team is required.)',
    });
    run.sandbox.jira.state.createRules.length = 0; // an admin fixes the screen
    const third = await run.sync();
    expect(third.apply).toMatchObject({ applied: 2, failed: 0, pending: 0 });
    expect(run.sandbox.jira.state.issues()).toHaveLength(24);
    expect(noDuplicates(run)).toBe(true);
  });
});

describe('bad data from Productboard', () => {
  it('skips each bad item with a named reason, and syncs the rest', async () => {
    const run = await start();
    const pb = run.sandbox.productboard.state;
    const byName = (name: string) => pb.list('feature').find((f) => f.name === name)!.id;
    const [emptyName, badHtml, dangling, badEnum, badDate] = [
      'Budget alerts',
      'Community discussion notifications',
      'Partner welcome checklist',
      'Usage dashboard per community',
      'Keyboard navigation for hub admin',
    ].map(byName) as [string, string, string, string, string];
    const ghost = uuidFromName('initiative that was never returned');
    pb.corruptions.set(emptyName, (json) => ({ ...json, fields: { ...(json.fields as object), name: '   ' } }));
    pb.setDescription(badHtml, `<p>${'<b>'.repeat(5000)}too deep</p>`);
    pb.corruptions.set(dangling, (json) => ({
      ...json,
      relationships: { data: [{ type: 'link', target: { id: ghost, type: 'initiative' } }], links: { next: null } },
    }));
    pb.corruptions.set(badEnum, (json) => ({ ...json, type: 'featurette' }));
    pb.corruptions.set(badDate, (json) => ({
      ...json,
      fields: { ...(json.fields as object), timeframe: { startDate: '2026-02-01', endDate: '2026-02-30', granularity: 'month' } },
    }));

    const report = await run.sync();
    const skips = new Map(
      report.plan.actions.filter((a) => a.kind === 'skip').map((a) => [a.pbId, a.kind === 'skip' ? `${a.reason}: ${a.detail}` : '']),
    );
    expect(skips.get(emptyName)).toBe('invalid-item: empty name');
    // Descriptions are converted when written, so that one is skipped by the applier, with its reason.
    expect(report.apply.results.find((r) => r.pbId === badHtml)).toMatchObject({
      outcome: 'skipped',
      error: 'invalid-item: description: HTML could not be converted: Maximum call stack size exceeded',
    });
    expect(skips.get(dangling)).toBe(`invalid-item: linked initiative ${ghost} was not returned by Productboard`);
    expect(skips.get(badEnum)).toBe('invalid-item: unexpected type "featurette" in a search for feature');
    expect(skips.get(badDate)).toBe('invalid-item: timeframe.endDate "2026-02-30" is not a YYYY-MM-DD date');
    expect(report.apply).toMatchObject({ failed: 0, pending: 0 });
    expect(run.sandbox.jira.state.issues()).toHaveLength(24 - 5);
    // and the next pass says so again, without writing anything else
    const again = await run.sync();
    expect(again.apply.results).toMatchObject([{ pbId: badHtml, outcome: 'skipped' }]);
    // Of the corruptions, the v2 specification itself refuses the unknown type: the contract check sees it too.
    const violations = takeViolations(run.sandbox);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.side === 'response' && v.operation === 'POST /entities/search' && v.value === '"featurette"')).toBe(
      true,
    );
  });
});
