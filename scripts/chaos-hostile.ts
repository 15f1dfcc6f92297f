// The hostile-server half of `npm run chaos` (issue 10): each case puts a misbehaving server in
// front of one service of the sandbox, runs the real CLI against it and prints how it ended: wall
// time to a clean exit, requests the hostile server saw, exit code, and whether any credential
// showed up in the output or the ledger. Every case must end by itself, in bounded time.
//
// To add a case, add a row to CASES; a case can only use what a local server can do (the
// sandbox's own fault modes can be added the same way once they exist: `sandbox` options in a row).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import { packageRoot } from '../src/util/package-root.js';
import { startHostileServer, type HostileRule } from './hostile-server.js';

type Target = 'productboard' | 'jira' | 'slack';

interface HostileCase {
  name: string;
  /** The service the hostile server stands in front of; other requests pass through to the sandbox. */
  target: Target;
  rules: HostileRule[];
  args: string[];
}

const echo = (status: number): HostileRule['answer'] => ({
  kind: 'reply',
  status,
  body: (req) => `Unauthorized: header Authorization: ${req.authorization} was refused`,
});
const throttle = (retryAfter: string): HostileRule['answer'] => ({
  kind: 'reply',
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: '{}',
});

export const CASES: HostileCase[] = [
  {
    name: 'PB search trickles 1 byte/500 ms',
    target: 'productboard',
    rules: [{ match: /^POST \/v2\/entities\/search/, answer: { kind: 'trickle', everyMs: 500 } }],
    args: ['sync', '--dry-run'],
  },
  {
    name: 'Jira GET project trickles',
    target: 'jira',
    rules: [{ match: /^GET \/rest\/api\/3\/project\//, answer: { kind: 'trickle', everyMs: 500 } }],
    args: ['sync', '--dry-run'],
  },
  {
    name: 'PB 429 Retry-After: 86400',
    target: 'productboard',
    rules: [{ match: /^POST /, answer: throttle('86400') }],
    args: ['sync', '--dry-run'],
  },
  {
    name: 'PB 429 Retry-After: year 2100',
    target: 'productboard',
    rules: [{ match: /^POST /, answer: throttle('Fri, 01 Jan 2100 00:00:00 GMT') }],
    args: ['sync', '--dry-run'],
  },
  {
    name: 'Jira 429 Retry-After: 99999999999',
    target: 'jira',
    rules: [{ match: /^GET /, answer: throttle('99999999999') }],
    args: ['sync'],
  },
  {
    name: 'Slack 429 86400, reconcile --alert',
    target: 'slack',
    rules: [{ match: /^POST /, answer: throttle('86400') }],
    args: ['reconcile', '--alert=all'],
  },
  { name: 'Jira 401 echoes Authorization', target: 'jira', rules: [{ match: /.*/, answer: echo(401) }], args: ['sync'] },
  { name: 'PB 403 echoes Authorization', target: 'productboard', rules: [{ match: /.*/, answer: echo(403) }], args: ['sync'] },
  {
    name: 'PB page of 110 MB',
    target: 'productboard',
    rules: [{ match: /^POST \/v2\/entities\/search/, answer: { kind: 'huge', bytes: 110 * 1024 * 1024 } }],
    args: ['sync', '--dry-run'],
  },
];

const ENV_KEY: Record<Target, string> = { productboard: 'PRODUCTBOARD_API_URL', jira: 'JIRA_HOST', slack: 'SLACK_WEBHOOK_URL' };
/** A case that has not ended by then is a failure of the case, reported as such. */
const CASE_LIMIT_MS = 120_000;

// The review's fast config: short timeouts and few retries, so each case ends in seconds.
const FAST_HTTP = 'http: { timeoutMs: 2000, maxRetries: 1, maxThrottleRetries: 2 }';

interface CaseResult {
  name: string;
  wallMs: number;
  requests: number;
  exitCode: number | string;
  leaks: number;
  headline: string;
}

async function runCase(spec: HostileCase): Promise<CaseResult> {
  const sandbox = await startSandbox();
  const env = sandbox.env();
  const real = new URL(env[ENV_KEY[spec.target]]!);
  const server = await startHostileServer(spec.rules, real.origin);
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-chaos-hostile-'));
  try {
    const config = join(dir, 'config.yaml');
    const shipped = readFileSync(join(packageRoot(), 'config', 'default.yaml'), 'utf8');
    writeFileSync(config, `${shipped.replace('mapping: ../mappings/', `mapping: ${join(packageRoot(), 'mappings')}/`)}\n${FAST_HTTP}\n`);
    const caseEnv = {
      ...env,
      [ENV_KEY[spec.target]]: `${server.url}${spec.target === 'slack' ? real.pathname : ''}`,
      PB_JIRA_SYNC_LEDGER: join(dir, 'ledger.sqlite'),
    };
    // The ledger exists (a first sync through the sandbox), so a failing pass is recorded in it.
    await cli(['sync'], { ...env, PB_JIRA_SYNC_LEDGER: caseEnv.PB_JIRA_SYNC_LEDGER }, dir, config);
    server.requests.length = 0;
    const started = Date.now();
    const run = await cli(spec.args, caseEnv, dir, config);
    const wallMs = Date.now() - started;
    const status = await cli(['status', '--json'], caseEnv, dir, config);
    const stored = readdirSync(dir)
      .filter((name) => name.startsWith('ledger.sqlite'))
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('');
    const basic = Buffer.from(`${env.JIRA_EMAIL}:${env.JIRA_API_TOKEN}`).toString('base64');
    const outputs = [run.stdout, run.stderr, status.stdout, stored];
    const leaks = [basic, env.JIRA_API_TOKEN!, env.PRODUCTBOARD_TOKEN!].reduce(
      (n, secret) => n + outputs.filter((o) => o.includes(secret)).length,
      0,
    );
    const headline = run.stderr.split('\n').find((line) => line.startsWith('error') || line.startsWith('warning')) ?? '';
    return { name: spec.name, wallMs, requests: server.requests.length, exitCode: run.code, leaks, headline };
  } finally {
    await server.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function cli(
  args: string[],
  env: Record<string, string>,
  dir: string,
  config: string,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'pb-jira-sync.js'), '--config', config, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), CASE_LIMIT_MS);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? `killed (${signal})`, stdout, stderr });
    }),
  );
}

/** Runs every case, prints the table; returns whether each ended in bounded time with no leak. */
export async function runHostileCases(): Promise<boolean> {
  const results: CaseResult[] = [];
  for (const spec of CASES) results.push(await runCase(spec));
  console.log(
    `${'hostile case'.padEnd(36)} ${'wall'.padStart(7)} ${'requests'.padStart(8)} ${'exit'.padStart(5)} ${'leaks'.padStart(5)}  message`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(36)} ${`${(r.wallMs / 1000).toFixed(1)}s`.padStart(7)} ${String(r.requests).padStart(8)} ${String(r.exitCode).padStart(5)} ${String(r.leaks).padStart(5)}  ${r.headline.slice(0, 110)}`,
    );
  }
  return results.every((r) => typeof r.exitCode === 'number' && r.leaks === 0);
}
