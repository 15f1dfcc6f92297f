import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '../../scripts/hostile-server.js';
import { repoPath } from '../helpers/builders.js';
import { checkedJson, startE2E, type CliRun, type E2E } from './harness.js';

let e2e: E2E | undefined;
let hostile: HostileServer | undefined;
afterEach(async () => {
  await hostile?.close();
  await e2e?.close();
  hostile = undefined;
  e2e = undefined;
});

const BIN = repoPath('bin/pb-jira-sync.js');

/** The real CLI, optionally as another user (the read-only cases: root may write anything). */
function cli(args: string[], env: Record<string, string>, as?: { uid: number; gid: number }): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: repoPath('.'),
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PB_JIRA_SYNC_HEAP_MB: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ?? {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))).then((run) =>
    checkedJson(args, run),
  );
}

describe('issue 10 low: the launcher reports a worker killed by a signal as 128 + its number', () => {
  it('kill -9 of the worker: the launcher exits 137, not 143', async () => {
    e2e = await startE2E();
    const portFile = join(e2e.dir, 'ports');
    // With the heap cap (the default) the launcher re-executes itself: the worker is its child.
    const launcher = spawn(process.execPath, [BIN, 'sandbox', '--port-file', portFile], {
      cwd: repoPath('.'),
      env: { PATH: process.env.PATH ?? '', HOME: e2e.dir },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => launcher.on('exit', (code) => resolve(code)));
    // The port file is written by the worker once its sandbox listens (seconds on a busy machine).
    const until = Date.now() + 45_000;
    while (!existsSync(portFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const worker = Number(spawnSync('ps', ['-o', 'pid=', '--ppid', String(launcher.pid)], { encoding: 'utf8' }).stdout.trim());
    expect(worker).toBeGreaterThan(0);
    process.kill(worker, 'SIGKILL');
    expect(await exited).toBe(137);
  });
});

describe('issue 10 low: status --limit abc', () => {
  it('is a usage error (exit 1, what is expected), not a bug', async () => {
    e2e = await startE2E();
    for (const limit of ['abc', '99999999999999999999', '0']) {
      const run = await cli(['status', '--limit', limit], e2e.env);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`option '--limit <n>' argument '${limit}' is invalid. expected a whole number from 1 to 1000.`);
      expect(run.stderr).not.toContain('[bug]');
    }
    expect((await cli(['status', '--limit', '3'], e2e.env)).code).toBe(0);
  });
});

describe('issue 10 low: sandbox --port-file into a missing folder', () => {
  it('fails with a clear error and exit 1 before serving anything', async () => {
    e2e = await startE2E();
    const run = await cli(['sandbox', '--port-file', '/nonexistent/dir/ports'], { HOME: e2e.dir });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'error [config]: cannot write the port file /nonexistent/dir/ports: the folder /nonexistent/dir does not exist',
    );
    expect(run.stdout).toBe('');
  });
});

describe('issue 10 low: a read-only ledger directory', () => {
  it('status, sync --dry-run and reconcile --dry-run still read the ledger (no -shm or -wal needed)', async () => {
    e2e = await startE2E();
    const folder = join(e2e.dir, 'ro');
    mkdirSync(folder);
    const env = { ...e2e.env, PB_JIRA_SYNC_LEDGER: join(folder, 'ledger.sqlite'), HOME: e2e.dir };
    expect((await cli(['sync'], env)).code).toBe(0);
    // Root writes anywhere: as root, the reader is the unprivileged `nobody` owning the files in a folder it cannot write.
    const asRoot = process.getuid?.() === 0;
    const reader = asRoot ? { uid: 65534, gid: 65534 } : undefined;
    if (reader) {
      chmodSync(e2e.dir, 0o755);
      for (const name of readdirSync(folder)) chownSync(join(folder, name), reader.uid, reader.gid);
      chownSync(folder, reader.uid, reader.gid);
    }
    chmodSync(folder, 0o555);
    try {
      const before = readdirSync(folder).sort();
      const status = await cli(['status'], env, reader);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/links {6}24/);
      const dry = await cli(['sync', '--dry-run'], env, reader);
      expect(dry.code, dry.stderr).toBe(0);
      // 0 to adopt: the ledger was read (without it, every issue in Jira would be adopted by its stamp).
      expect(dry.stdout).toMatch(/ 0 to create, 0 to update, 0 to move, 0 to adopt/);
      const reconcile = await cli(['reconcile', '--dry-run'], env, reader);
      expect([0, 2], reconcile.stderr).toContain(reconcile.code);
      expect(reconcile.stderr).not.toContain('readonly');
      expect(readdirSync(folder).sort()).toEqual(before);
    } finally {
      chmodSync(folder, 0o755);
    }
  });
});

describe('issue 10 M1: secrets echoed by vendors, through the real CLI', () => {
  it('a Jira 401 echoing Authorization: stderr, the ledger file and status carry no credential', async () => {
    const run = await startE2E();
    e2e = run;
    hostile = await startHostileServer([
      {
        match: /.*/,
        answer: { kind: 'reply', status: 401, body: (req) => `Unauthorized: header Authorization: ${req.authorization} was refused` },
      },
    ]);
    const env: Record<string, string> = { ...run.env, JIRA_HOST: hostile.url, HOME: run.dir };
    const basic = Buffer.from(`${env.JIRA_EMAIL}:${env.JIRA_API_TOKEN}`).toString('base64');
    const secrets = [basic, env.JIRA_API_TOKEN!, env.PRODUCTBOARD_TOKEN!];
    const sync = await cli(['sync'], env);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain(
      'error [auth] Jira GET /rest/api/3/project/{key}: Jira rejected the credentials (HTTP 401): Unauthorized: header Authorization: [redacted] was refused',
    );
    const files = readdirSync(run.dir).filter((name) => name.startsWith('ledger.sqlite'));
    const stored = files.map((name) => readFileSync(join(run.dir, name)).toString('latin1')).join('');
    expect(stored).toContain('[redacted]');
    const status = await cli(['status'], env);
    const statusJson = await cli(['status', '--json'], env);
    for (const text of [sync.stdout, sync.stderr, stored, status.stdout, statusJson.stdout]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
