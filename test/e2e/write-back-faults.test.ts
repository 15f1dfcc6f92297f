import { describe, expect, it } from 'vitest';
import { runSync } from '../../src/engine/run-sync.js';
import { SyncError } from '../../src/errors.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { seedIds } from '../../src/sandbox/index.js';
import { startingInProcess } from '../helpers/in-process.js';

const startInProcess = startingInProcess();

describe('delivery writes meeting faults (engine in process, sandbox held to the contracts)', () => {
  it('an entity deleted in Productboard between the read and its write is skipped with the reason; the rest is written', async () => {
    const run = await startInProcess();
    const context = run.context();
    const victim = seedIds.subfeaturesOfFeature[2]!;
    const real = context.services.delivery;
    context.services.delivery = {
      write: async (write) => {
        if (write.pbId === victim) run.sandbox.productboard.state.delete(victim);
        return real.write(write);
      },
    };
    const report = await runSync(context, { dryRun: false });
    const result = report.delivery!.result;
    expect(result.written).toBe(23);
    expect(result.failed).toBe(0);
    expect(result.items.filter((i) => i.outcome === 'skipped')).toMatchObject([
      { pbId: victim, reason: 'the entity no longer exists in Productboard (deleted meanwhile)' },
    ]);
    const ledger = Ledger.open(run.config.ledgerPath);
    expect(ledger.delivered().has(victim)).toBe(false);
    expect(ledger.delivered().size).toBe(23);
    ledger.close();
  });

  it('a pass that dies after its Jira writes and before its Productboard writes is repaired by the next pass, creating nothing twice', async () => {
    const run = await startInProcess();
    const dying = run.context();
    dying.services.delivery = {
      write: async () => {
        throw new SyncError('interrupted', 'stopped by a signal before the request was sent', { service: 'productboard' });
      },
    };
    await expect(runSync(dying, { dryRun: false })).rejects.toThrow(/stopped by a signal/);
    expect(run.sandbox.jira.state.issues()).toHaveLength(24);
    const feature = seedIds.featureWithSubfeatures;
    expect(run.sandbox.productboard.state.get(feature)!.customFields['Jira key']).toBeUndefined();

    run.sandbox.resetRequestLog();
    const next = await run.sync();
    expect(next.plan.counts.create).toBe(0);
    expect(next.delivery!.result.written).toBe(24);
    expect(run.sandbox.jira.state.issues()).toHaveLength(24);
    const issue = run.sandbox.jira.state.issues().find((i) => i.labels.includes(`pb-${feature}`))!;
    expect(run.sandbox.productboard.state.get(feature)!.customFields['Jira key']).toBe(issue.key);
    expect((await run.sync()).delivery!.plan.writes).toEqual([]);
  });
});
