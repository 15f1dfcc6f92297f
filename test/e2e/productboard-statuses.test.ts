import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { createLogger } from '../../src/log/logger.js';
import { generateWorkspace, type Sandbox, type SeedWorkspace } from '../../src/sandbox/index.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { repoPath } from '../helpers/builders.js';
import { startInProcess, type InProcess } from '../helpers/in-process.js';

// Statuses are per Productboard type and workspace-specific: `validate` compares the mapping with the workspace's
// configuration, and a pass names every status it meets that the mapping does not list, once.

const small = (statuses: SeedWorkspace['statuses'] = {}): SeedWorkspace => ({
  ...generateWorkspace({ initiatives: 4, features: 30, subfeatures: 10, notes: 0, seed: 5 }),
  statuses,
});

/** The shipped mapping, as validate names it from a working directory outside the repository. */
const MAPPING = repoPath('mappings/default.yaml');

let sandbox: Sandbox | undefined;
let run: InProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await sandbox?.close();
  await run?.close();
  sandbox = undefined;
  run = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function validate(workspace: SeedWorkspace): Promise<{ code: number; out: string; requests: string[] }> {
  sandbox = await startCheckedSandbox({ workspace });
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-validate-'));
  dirs.push(dir);
  const out: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => out.push(t),
    env: { ...sandbox.env(), PB_JIRA_SYNC_LEDGER: join(dir, 'ledger.sqlite') },
    cwd: dir,
  };
  const code = await validateCommand(io, {}, []);
  const requests = sandbox.requests.filter((r) => r.service === 'productboard').map((r) => `${r.method} ${r.path}`);
  return { code, out: out.join('\n'), requests };
}

describe('issue 9 §8: statuses', () => {
  it("validate reads each mapped type's configuration and says when the mapping covers the workspace's statuses", async () => {
    const { code, out, requests } = await validate(small());
    expect(code).toBe(0);
    expect(requests).toEqual([
      'GET /v2/entities/configurations/initiative',
      'GET /v2/entities/configurations/feature',
      'GET /v2/entities/configurations/subfeature',
      // Whether Productboard's own Jira integration linked items the first sync will adopt.
      'GET /v2/jira-integrations',
    ]);
    expect(out).toContain('Productboard: token accepted');
    expect(out).toContain('Productboard initiative statuses: all 3 mapped');
    expect(out).toContain('Productboard feature statuses: all 6 mapped');
  });

  it('validate lists, per type, the workspace statuses the mapping does not cover and the mapped names the workspace lacks', async () => {
    const { code, out } = await validate(
      small({
        initiative: ['Not started', 'IN PROGRESS', 'On hold', 'Done'],
        feature: ['New idea', 'Planned', 'In progress', 'Blocked', 'Released'],
      }),
    );
    expect(code).toBe(0);
    const lines = out.split('\n').filter((l) => l.includes('rules['));
    expect(lines).toEqual([
      `warning ${MAPPING}: rules[0] (initiative): the workspace's initiative statuses "On hold", "Done" are not mapped (their items keep their Jira status)`,
      `warning ${MAPPING}: rules[0] (initiative): maps "Completed", which the workspace's initiative does not have`,
      `warning ${MAPPING}: rules[1] (feature): the workspace's feature statuses "Blocked" are not mapped (their items keep their Jira status)`,
      `warning ${MAPPING}: rules[1] (feature): maps "Candidate", "Won't do", which the workspace's feature does not have`,
      `warning ${MAPPING}: rules[2] (subfeature): the workspace's subfeature statuses "Blocked" are not mapped (their items keep their Jira status)`,
      `warning ${MAPPING}: rules[2] (subfeature): maps "Candidate", "Won't do", which the workspace's subfeature does not have`,
    ]);
  });

  it('a pass logs each status the mapping does not list once per type and name, with how many items have it', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    run = await startInProcess({ workspace: small({ initiative: ['Not started', 'In progress', 'Completed', 'On hold'] }) }, undefined, {
      logger: createLogger({ level: 'warn', destination }),
    });
    const pb = run.sandbox.productboard.state;
    const initiatives = pb.list('initiative').filter((i) => !i.archived);
    for (const i of initiatives.slice(0, 2)) pb.setStatus(i.id, 'On hold');
    pb.setStatus(initiatives[2]!.id, 'IN PROGRESS');
    const report = await run.sync({ dryRun: true });
    expect(report.desired.issues.get(initiatives[2]!.id)!.fields.statusCategory).toBe('indeterminate');
    const warnings = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['msg'] === 'productboard status not in the mapping');
    expect(warnings.map(({ pbType, status, items }) => ({ pbType, status, items }))).toEqual([
      { pbType: 'initiative', status: 'On hold', items: 2 },
    ]);
  });
});
