import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../src/ledger/ledger.js';
import { isWriteRoute, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';
import { repoPath } from '../helpers/builders.js';
import { schemaProblems, type DocumentKind } from '../helpers/output-schemas.js';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface E2E {
  sandbox: Sandbox;
  dir: string;
  ledgerPath: string;
  env: Record<string, string>;
  run(args: string[], extraEnv?: Record<string, string>): Promise<CliRun>;
  spawnCli(args: string[], extraEnv?: Record<string, string>): { child: ChildProcess; done: Promise<CliRun> };
  /** A config file in the temp dir: the shipped defaults plus `extra` YAML (e.g. sync settings). */
  writeConfig(extra: string, mapping?: string): string;
  /** Requests that change something (anything but reads and searches). */
  writes(): string[];
  /** Another process's pass holds the ledger lease, and the request log starts afresh. */
  holdPassLease(holder: string): void;
  close(): Promise<void>;
}

const BIN = repoPath('bin/pb-jira-sync.js');

/** A sandbox held to the vendors' contracts, a temp dir, and a way to run the real CLI binary against them. */
export async function startE2E(options: SandboxOptions = {}): Promise<E2E> {
  const sandbox = await startCheckedSandbox(options);
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-e2e-'));
  const ledgerPath = join(dir, 'ledger.sqlite');
  const env = { ...sandbox.env(), PB_JIRA_SYNC_LEDGER: ledgerPath };

  const spawnCli = (args: string[], extraEnv: Record<string, string> = {}) => {
    // Async spawn: the sandbox answers from this process's event loop while the CLI runs.
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repoPath('.'),
      // PB_JIRA_SYNC_HEAP_MB=0: no launcher re-exec, so signals and kill -9 reach the engine itself.
      env: { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'warn', PB_JIRA_SYNC_HEAP_MB: '0', ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))).then(
      (run) => checkedJson(args, run),
    );
    return { child, done };
  };

  return {
    sandbox,
    dir,
    ledgerPath,
    env,
    spawnCli,
    run: (args, extraEnv) => spawnCli(args, extraEnv).done,
    writeConfig(extra, mapping = repoPath('mappings/default.yaml')) {
      const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(
        file,
        `productboard: { apiUrl: "\${PRODUCTBOARD_API_URL}", token: "\${PRODUCTBOARD_TOKEN}" }
jira: { host: "\${JIRA_HOST}", email: "\${JIRA_EMAIL}", apiToken: "\${JIRA_API_TOKEN}", project: "\${JIRA_PROJECT}" }
slack: { webhookUrl: "\${SLACK_WEBHOOK_URL:-}" }
ledger: { path: "\${PB_JIRA_SYNC_LEDGER}" }
mapping: ${mapping}
${extra}
`,
      );
      return file;
    },
    holdPassLease(holder) {
      const ledger = Ledger.open(ledgerPath);
      ledger.leases.acquire('pass', holder, Date.now(), 60_000);
      ledger.close();
      sandbox.resetRequestLog();
    },
    writes: () => sandbox.requests.filter((r) => r.service !== 'slack' && isWriteRoute(r.route)).map((r) => r.route),
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Commands whose `--json` document has a schema under docs/schemas/. */
const DOCUMENTS: Record<string, DocumentKind> = { sync: 'sync', status: 'status', reconcile: 'reconcile', history: 'history' };

/** Whether the run printed a JSON document to check: `--json`, or `report --format json` to stdout. */
const printsJson = (args: readonly string[]): boolean =>
  args.includes('--json') || (args[0] === 'report' && args.join(' ').includes('--format json') && !args.includes('--out'));

/**
 * Every `--json` run of every e2e test is held to docs/schemas/: its stdout is exactly one document,
 * the command's own or, when it failed, the error document. A run ended by a signal (a crash
 * test's kill) may have printed nothing, and is left to its test.
 */
export function checkedJson(args: readonly string[], run: CliRun): CliRun {
  const kind = args[0] === 'report' ? (run.code === 0 ? 'report' : undefined) : DOCUMENTS[args[0] ?? ''];
  if (!kind || !printsJson(args) || run.signal) return run;
  let document: unknown;
  try {
    document = JSON.parse(run.stdout);
  } catch {
    throw new Error(`\`${args.join(' ')}\` did not print one JSON document (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  // The error document holds only its version and the error; no command's own document has a top-level `error`.
  const isError = typeof document === 'object' && document !== null && 'error' in document;
  const problems = schemaProblems(isError ? 'error' : kind, document);
  if (problems.length)
    throw new Error(
      `\`${args.join(' ')}\` printed a document that does not match docs/schemas/${isError ? 'error' : kind}.schema.json:\n${problems.join('\n')}`,
    );
  return run;
}

/** Issues per Productboard id in the sandbox's Jira: the duplicate detector. */
export function issuesByPbId(sandbox: Sandbox): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const issue of sandbox.jira.state.issues()) {
    const label = issue.labels.find((l) => /^pb-[0-9a-f-]{36}$/.test(l));
    if (!label) continue;
    const pbId = label.slice(3);
    map.set(pbId, [...(map.get(pbId) ?? []), issue.key]);
  }
  return map;
}
