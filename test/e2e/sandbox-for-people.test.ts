import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPath } from '../helpers/builders.js';
import { startE2E, type E2E } from './harness.js';

// The sandbox for people: a generated workspace of any size, latency and the vendors' rate limits,
// a level-2 Jira type, Productboard changed by hand, and `tree` to see what the sync made of it.

let e2e: E2E | undefined;
afterEach(async () => {
  await e2e?.close();
  e2e = undefined;
});

const BIN = repoPath('bin/pb-jira-sync.js');

/** The environment a port file holds (`export KEY='value'` lines). */
const envOf = (file: string): Record<string, string> =>
  Object.fromEntries([...readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));

describe('pb-jira-sync sandbox', () => {
  it('--generate 50 serves a generated workspace of 50 items, with latency, rate limits and a level-2 Jira type', async () => {
    e2e = await startE2E();
    const portFile = join(e2e.dir, 'ports');
    const args = ['sandbox', '--generate', '50', '--latency', '5', '--rate-limits', '--level2', 'Initiative', '--port-file', portFile];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repoPath('.'),
      env: { PATH: process.env.PATH ?? '', HOME: e2e.dir, PB_JIRA_SYNC_HEAP_MB: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const until = Date.now() + 45_000;
      while (!existsSync(portFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const env = envOf(portFile);
      const pb = async (type: string) => {
        const response = await fetch(`${env['PRODUCTBOARD_API_URL']}/_sandbox/entities?type=${type}`, {
          headers: { Authorization: `Bearer ${env['PRODUCTBOARD_TOKEN']}` },
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as { data: unknown[] }).data.length;
      };
      const counts = [await pb('initiative'), await pb('feature'), await pb('subfeature')];
      expect(counts.every((n) => n > 0)).toBe(true);
      expect(counts.reduce((a, b) => a + b)).toBe(50);

      const jira = await fetch(`${env['JIRA_HOST']}/rest/api/3/project/${env['JIRA_PROJECT']}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${env['JIRA_EMAIL']}:${env['JIRA_API_TOKEN']}`).toString('base64')}` },
      });
      const project = (await jira.json()) as { issueTypes: Array<{ name: string; hierarchyLevel: number }> };
      expect(project.issueTypes).toContainEqual(expect.objectContaining({ name: 'Initiative', hierarchyLevel: 2 }));

      const slack = await fetch(new URL('/messages', env['SLACK_WEBHOOK_URL']).href);
      expect(await slack.json()).toEqual({ messages: [] });
      expect(stdout).toContain('# Generated workspace: 50 items');
      expect(stdout).toContain('# Latency 5 ms per response; the vendors’ rate limits are on');
      expect(stdout).toContain('# Jira: Initiative at hierarchy level 2, above Epic');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a level-2 type named like a type the site has, and a size that is not a count', async () => {
    e2e = await startE2E();
    const run = (args: string[]) => e2e!.run(['sandbox', ...args]);
    const epic = await run(['--level2', 'Epic']);
    expect(epic.code).toBe(1);
    expect(epic.stderr).toContain('--level2 Epic: the sandbox Jira already has an issue type named Epic');
    const size = await run(['--generate', 'lots']);
    expect(size.code).toBe(1);
    expect(size.stderr).toContain("option '--generate <n>' argument 'lots' is invalid");
  });
});

describe('pb-jira-sync tree', () => {
  it('prints every epic of a synced project with its stories beneath it, and writes nothing', async () => {
    e2e = await startE2E();
    expect((await e2e.run(['sync'])).code).toBe(0);
    e2e.sandbox.resetRequestLog();
    const tree = await e2e.run(['tree']);
    expect(tree.code).toBe(0);
    expect(e2e.writes()).toEqual([]);

    const lines = tree.stdout.split('\n');
    const issues = e2e.sandbox.jira.state.issues();
    const epics = issues.filter((i) => i.issueType.name === 'Epic');
    expect(epics.length).toBeGreaterThan(1);
    const lineOf = (key: string) => lines.findIndex((l) => l.trimStart().startsWith(`${key} `));
    for (const epic of epics) {
      const at = lineOf(epic.key);
      expect(lines[at]).toMatch(new RegExp(`^${epic.key} +Epic +${epic.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\[`));
      // Its block: the lines after it that are indented, up to the next top-level line.
      const end = lines.findIndex((l, i) => i > at && !l.startsWith(' '));
      const block = lines.slice(at + 1, end);
      const stories = issues.filter((i) => i.issueType.name === 'Story' && i.parentKey === epic.key);
      for (const story of stories) expect(block).toContainEqual(expect.stringMatching(new RegExp(`^ {4}${story.key} +Story `)));
    }
    const withStories = epics.filter((e) => issues.some((i) => i.parentKey === e.key));
    expect(withStories.length).toBeGreaterThan(0);
    expect(tree.stdout).toContain(`${issues.length} managed issues`);
  });
});
