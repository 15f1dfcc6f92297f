// `npm run bench`: the real CLI against the sandbox with realistic latency and the vendors' rate
// limits enforced, on a generated workspace. Prints, for a first sync, a no-op rerun and an
// incremental run after 1% of items changed and a full read: wall time, requests by endpoint, requests per synced
// item, 429s, peak RSS, and the floor those requests need under the limits. Then the planner's CPU
// time for 100,000 items in-process, and the delivery report of the synced workspace: its time, the
// HTML's size and its first render in headless Chromium. `--only report` runs the first sync and
// the report alone; `--only first-sync` the first sync's figures alone. Not a test: figures, not
// assertions.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { plan } from '../src/engine/planner.js';
import { generateWorkspace, isWriteRoute, startSandbox, type RequestLogEntry, type Sandbox } from '../src/sandbox/index.js';
import { buildObservedTree, type ObservedIssue } from '../src/model/observed.js';
import type { DesiredIssue, DesiredTree } from '../src/model/desired.js';
import type { Link } from '../src/model/link.js';
import { formatBytes } from '../src/util/small-file.js';
import { renderTiming, withBrowser } from './report-browser.js';

const { values } = parseArgs({
  options: {
    initiatives: { type: 'string', default: '1000' },
    features: { type: 'string', default: '10000' },
    subfeatures: { type: 'string', default: '5000' },
    notes: { type: 'string', default: '20000' },
    latency: { type: 'string', default: '80' },
    'planner-items': { type: 'string', default: '100000' },
    /** `report`: only the first sync (to have something to report) and the report; `first-sync`: only the first sync's figures. */
    only: { type: 'string' },
  },
});
const size = {
  initiatives: Number(values.initiatives),
  features: Number(values.features),
  subfeatures: Number(values.subfeatures),
  notes: Number(values.notes),
};
const latencyMs = Number(values.latency);
const BIN = fileURLToPath(new URL('../../bin/pb-jira-sync.js', import.meta.url));

// The vendors' limits the floor is computed from (docs/vendor-notes.md §1 and §8), not our pacing.
const PB_RATE = 50; // per second, per token
const JIRA_RATE: Record<string, number> = { GET: 100, POST: 100, PUT: 50, DELETE: 50 }; // per endpoint and method
const PAGED = new Set(['POST /v2/entities/search', 'GET /v2/notes', 'POST /rest/api/3/search/jql']);

interface RunFigures {
  label: string;
  wallMs: number;
  requests: RequestLogEntry[];
  report: {
    plan: { counts: Record<string, number> };
    results: { applied: number; failed: number; pending: number } | null;
    process: { peakRssBytes: number; cpuMs: number };
  };
}

function runCli(
  sandbox: Sandbox,
  ledger: string,
  args: readonly string[] = ['sync', '--json'],
): Promise<{ wallMs: number; stdout: string; stderr: string; code: number | null }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...sandbox.env(), PB_JIRA_SYNC_LEDGER: ledger, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ wallMs: Date.now() - started, stdout, stderr, code }));
  });
}

async function measure(label: string, sandbox: Sandbox, ledger: string, extra: readonly string[] = []): Promise<RunFigures> {
  sandbox.resetRequestLog();
  const run = await runCli(sandbox, ledger, ['sync', '--json', ...extra]);
  if (run.code !== 0) throw new Error(`${label}: exit ${run.code}\n${run.stderr.slice(0, 2000)}`);
  return { label, wallMs: run.wallMs, requests: [...sandbox.requests], report: JSON.parse(run.stdout) as RunFigures['report'] };
}

/** `report --out`: its wall time (a full read of both systems, then rendering), the HTML's size, its first render in Chromium. */
async function measureReport(sandbox: Sandbox, dir: string, ledger: string, sync?: RunFigures): Promise<void> {
  if (sync) console.log(`first sync: ${(sync.wallMs / 1000).toFixed(1)} s, ${sync.report.results?.applied ?? 0} applied`);
  const file = join(dir, 'report.html');
  sandbox.resetRequestLog();
  const run = await runCli(sandbox, ledger, ['report', '--out', file]);
  if (run.code !== 0) throw new Error(`report: exit ${run.code}\n${run.stderr.slice(0, 2000)}`);
  const bytes = statSync(file).size;
  const timing = await withBrowser((browser) => renderTiming(browser, file));
  console.log('');
  console.log(`report: ${(run.wallMs / 1000).toFixed(1)} s wall (${sandbox.requests.length} requests), ${run.stdout.trim()}`);
  console.log(
    `report HTML: ${formatBytes(bytes)} (${bytes} bytes; budget 5 MB); first render in headless Chromium: first frame after load ${timing.firstFrameMs.toFixed(0)} ms after navigation start (${timing.wallMs} ms seen from outside; budget 3 s)`,
  );
}

/**
 * The floor: the least time these requests need under the vendors' limits. Reads must finish
 * before the plan, writes come after it; the Productboard writes after the Jira tree settles. Each
 * phase is bound by its busiest rate bucket (Productboard: all requests of the token at 50/s; Jira:
 * each endpoint and method at its own rate), plus one round trip per dependent step (one for the
 * reads, one per hierarchy level for the creates). Cursor chains are not counted as unavoidable:
 * pages can be read in parallel by splitting the query into ranges, as the engine does for Jira's
 * search.
 */
function floorMs(requests: readonly RequestLogEntry[], levels: number): { floor: number; explain: string } {
  const byRoute = new Map<string, number>();
  for (const r of requests) if (r.service !== 'slack') byRoute.set(r.route, (byRoute.get(r.route) ?? 0) + 1);
  // The read phase is what the plan needs: Productboard, the managed-issue search, the project.
  const isRead = (route: string) =>
    route.includes('/v2/') || PAGED.has(route) || route.endsWith('/bulkfetch') || route.includes('/project/');
  const rateOf = (route: string) => JIRA_RATE[route.split(' ')[0]!]!;
  // Productboard's token lane (50/s) carries the reads before the plan and the delivery writes
  // (entity updates) after the Jira writes: each phase its own share of the lane.
  const isPbWrite = (route: string) => route.startsWith('PATCH /v2/');
  const pbCount = (pick: (route: string) => boolean) =>
    [...byRoute].filter(([route]) => route.includes('/v2/') && pick(route)).reduce((n, [, c]) => n + c, 0);
  const pbReads = pbCount((route) => !isPbWrite(route));
  const pbWrites = pbCount(isPbWrite);
  const readBuckets = [
    { route: `${pbReads} Productboard requests`, ms: (pbReads / PB_RATE) * 1000 },
    ...[...byRoute]
      .filter(([route]) => !route.includes('/v2/') && isRead(route))
      .map(([route, c]) => ({ route, ms: (c / rateOf(route)) * 1000 })),
  ];
  const writeBuckets = [...byRoute]
    .filter(([route]) => !route.includes('/v2/') && !isRead(route))
    .map(([route, c]) => ({ route, ms: (c / rateOf(route)) * 1000 }));
  const busiest = (buckets: ReadonlyArray<{ route: string; ms: number }>) => [...buckets].sort((a, b) => b.ms - a.ms)[0];
  const reads = busiest(readBuckets)!;
  const writes = busiest(writeBuckets);
  const read = reads.ms + latencyMs;
  const write = writes ? writes.ms + levels * latencyMs : 0;
  // The Productboard writes start once the Jira tree is settled (creates, transitions, edits: all
  // but the backlinks, which change nothing Productboard shows) and then run beside the backlinks:
  // two lanes, the floor the longer of them.
  const settles = busiest(writeBuckets.filter((b) => !b.route.includes('/remotelink')));
  const settle = settles ? settles.ms + levels * latencyMs : 0;
  const pbWrite = pbWrites ? (pbWrites / PB_RATE) * 1000 + latencyMs : 0;
  const pbLane = pbWrites ? settle + pbWrite : 0;
  return {
    floor: read + Math.max(write, pbLane),
    explain: `reads ${(read / 1000).toFixed(1)}s (busiest: ${reads.route}) + the longer of Jira writes ${(write / 1000).toFixed(1)}s (${writes ? `busiest: ${writes.route}` : 'none'}) and settling ${(settle / 1000).toFixed(1)}s then Productboard writes ${(pbWrite / 1000).toFixed(1)}s (${pbWrites})`,
  };
}

function endpointTable(requests: readonly RequestLogEntry[]): string[] {
  const byRoute = new Map<string, { n: number; throttled: number }>();
  for (const r of requests) {
    const entry = byRoute.get(r.route) ?? { n: 0, throttled: 0 };
    entry.n += 1;
    if (r.status === 429) entry.throttled += 1;
    byRoute.set(r.route, entry);
  }
  return [...byRoute]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([route, { n, throttled }]) => `    ${String(n).padStart(7)}  ${route}${throttled ? `  (${throttled} × 429)` : ''}`);
}

function plannerCpu(items: number): { ms: number; actions: number } {
  // A mirrored tree: 1/16 epics, 10/16 stories under them, 5/16 sub-tasks; 1% renamed, 1% moved.
  const desired = new Map<string, DesiredIssue>();
  const observed: ObservedIssue[] = [];
  const links = new Map<string, Link>();
  const epics = Math.max(1, Math.floor(items / 16));
  const stories = Math.floor((items * 10) / 16);
  for (let i = 0; i < items; i++) {
    const pbId = `pb-${i}`;
    const [level, parent, typeName] =
      i < epics
        ? [1, null, 'Epic']
        : i < epics + stories
          ? [0, `pb-${i % epics}`, 'Story']
          : [-1, `pb-${epics + (i % stories)}`, 'Sub-task'];
    const labels = ['pb-jira-sync', `pb-${pbId}`, 'team-a'];
    desired.set(pbId, {
      pbId,
      pbType: 'x',
      name: `Item ${i}`,
      pbUrl: null,
      issueTypeId: String(level + 2),
      issueTypeName: typeName,
      level,
      parentPbId: parent,
      depth: 1 - level,
      parentNote: null,
      valueStream: null,
      needs: [],
      parentCandidates: [],
      fields: {
        summary: i % 100 === 7 ? `Item ${i} (renamed)` : `Item ${i}`,
        description: null,
        descriptionHash: `h${i}`,
        labels,
        dueDate: null,
        statusCategory: 'new',
      },
    });
    const stamp = { v: 1 as const, pbId, pbType: 'x', labels, descriptionHash: `h${i}`, statusCategory: 'new' as const };
    const parentId = parent ? String(Number(parent.slice(3)) + (i % 100 === 13 && level < 1 ? 1 : 0)) : null;
    observed.push({
      id: String(i),
      key: `PBJ-${i}`,
      pbId,
      issueTypeId: String(level + 2),
      issueTypeName: typeName,
      level,
      parentId,
      parentKey: parentId ? `PBJ-${parentId}` : null,
      parentLevel: level === -1 ? 0 : level + 1,
      parentTypeName: null,
      summary: `Item ${i}`,
      labels,
      dueDate: null,
      statusCategory: 'new',
      stamp,
    });
    links.set(pbId, {
      pbId,
      pbType: 'x',
      jiraId: String(i),
      jiraKey: `PBJ-${i}`,
      state: 'linked',
      intentAt: null,
      lastError: null,
      pushed: stamp,
    });
  }
  const tree: DesiredTree = { issues: desired, skipped: [], warnings: [] };
  const before = process.cpuUsage();
  const result = plan({ desired: tree, observed: buildObservedTree(observed), links, now: Date.now(), settleMs: 120_000 });
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, actions: result.actions.length };
}

/** The runs after the first sync: no-op reruns, 1% changed and the pass after it, a full read. */
async function laterRuns(sandbox: Sandbox, ledger: string, runs: RunFigures[]): Promise<void> {
  // Right after: it reads back what the first sync wrote (all of it was updated since).
  runs.push(await measure('no-op rerun', sandbox, ledger));
  // A scheduled pass a quarter of an hour later. Both sandboxes let that time pass (JQL's relative
  // dates have minute precision, and Productboard's cursor keeps a minute of margin, so a rerun
  // within seconds cannot show it). Only after a pass that wrote nothing: the engine's own clock
  // does not move, so ageing what a pass just wrote would hide it from the read-back that follows.
  const QUARTER = 15 * 60_000;
  sandbox.age(QUARTER);
  runs.push(await measure('no-op +15 min', sandbox, ledger));
  // 1% of the items change in Productboard: renamed (and so their descriptions' backlinks).
  const pb = sandbox.productboard.state;
  const change = (type: 'initiative' | 'feature' | 'subfeature', n: number) =>
    pb
      .list(type)
      .filter((e) => !e.archived)
      .slice(0, n)
      .forEach((e) => pb.rename(e.id, `${e.name} (revised)`));
  sandbox.age(QUARTER);
  change('initiative', Math.round(size.initiatives / 100));
  change('feature', Math.round(size.features / 100));
  change('subfeature', Math.round(size.subfeatures / 100));
  runs.push(await measure('1% changed', sandbox, ledger));
  // The next pass reads back what that one wrote, and writes nothing.
  runs.push(await measure('after the 1%', sandbox, ledger));
  // Every `sync.fullReadEveryHours` (and on `sync --full-read`) everything is read again: what a
  // deletion, or a re-link that did not bump `updatedAt`, waits for.
  sandbox.age(QUARTER);
  runs.push(await measure('full read', sandbox, ledger, ['--full-read']));
}

async function main() {
  const issues = size.initiatives + size.features + size.subfeatures;
  console.log(
    `pb-jira-sync bench: ${size.initiatives} initiatives, ${size.features} features, ${size.subfeatures} subfeatures, ${size.notes} notes; ${latencyMs} ms latency; rate limits enforced`,
  );
  const sandbox = await startSandbox({ workspace: generateWorkspace(size), latencyMs, enforceRateLimits: true });
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-bench-'));
  const ledger = join(dir, 'ledger.sqlite');
  try {
    const runs: RunFigures[] = [];
    runs.push(await measure('first sync', sandbox, ledger));
    if (values.only === 'report') return await measureReport(sandbox, dir, ledger, runs[0]!);
    if (values.only !== 'first-sync') await laterRuns(sandbox, ledger, runs);

    console.log('');
    console.log(
      `${'run'.padEnd(15)} ${'wall'.padStart(8)} ${'floor'.padStart(8)} ${'ratio'.padStart(6)} ${'requests'.padStart(9)} ${'writes'.padStart(7)} ${'req/item'.padStart(9)} ${'429s'.padStart(6)} ${'peak RSS'.padStart(9)}  plan`,
    );
    const details: string[] = [];
    for (const run of runs) {
      const writes = run.requests.filter((r) => isWriteRoute(r.route)).length;
      const throttled = run.requests.filter((r) => r.status === 429).length;
      const { floor, explain } = floorMs(run.requests, 3);
      const counts = run.report.plan.counts;
      const ratio = floor > 0 ? (run.wallMs / floor).toFixed(2) : '-';
      console.log(
        `${run.label.padEnd(15)} ${(run.wallMs / 1000).toFixed(1).padStart(7)}s ${(floor / 1000).toFixed(1).padStart(7)}s ${ratio.padStart(6)} ${String(run.requests.length).padStart(9)} ${String(writes).padStart(7)} ${(run.requests.length / issues).toFixed(3).padStart(9)} ${String(throttled).padStart(6)} ${`${Math.round(run.report.process.peakRssBytes / 1048576)} MB`.padStart(9)}  create ${counts.create}, update ${counts.update}, move ${counts.move}, skip ${counts.skip}`,
      );
      details.push(`  ${run.label}: floor = ${explain}`, ...endpointTable(run.requests));
    }
    console.log('');
    console.log('requests by endpoint (sandbox log):');
    console.log(details.join('\n'));
    if (values.only === 'first-sync') return;
    await measureReport(sandbox, dir, ledger);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const items = Number(values['planner-items']);
  const cpu = plannerCpu(items);
  console.log('');
  console.log(`planner: ${items} items planned in ${cpu.ms.toFixed(0)} ms of CPU (${cpu.actions} actions: 1% renamed, 1% moved)`);
}

await main();
