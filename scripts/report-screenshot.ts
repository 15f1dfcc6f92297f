// `npm run report:screenshot`: the README's picture of the report. The seed sandbox is synced as if
// 100 days ago (its clock set back), a Story is flagged and another blocked, findings are recorded,
// and the HTML report is photographed in the same headless Chromium the e2e test uses.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSandbox } from '../src/sandbox/index.js';
import { withBrowser } from './report-browser.js';

const BIN = fileURLToPath(new URL('../../bin/pb-jira-sync.js', import.meta.url));
const OUT = fileURLToPath(new URL('../../docs/report.png', import.meta.url));
const DAY_MS = 86_400_000;

function cli(env: Record<string, string>, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', (code) =>
      code === 0 || (args[0] === 'reconcile' && code === 2) ? resolve() : reject(new Error(`${args[0]}: exit ${code}`)),
    );
  });
}

let shift = 100 * DAY_MS;
const sandbox = await startSandbox({ clock: { now: () => Date.now() - shift } });
const dir = mkdtempSync(join(tmpdir(), 'pbjs-shot-'));
try {
  const env = { ...sandbox.env(), PB_JIRA_SYNC_LEDGER: join(dir, 'ledger.sqlite') };
  await cli(env, ['sync']);
  shift = 0;
  const state = sandbox.jira.state;
  const stories = state.issues().filter((i) => i.issueType.name === 'Story');
  state.flag(stories[0]!.key);
  state.linkIssues('Blocks', stories[2]!.key, stories[1]!.key);
  await cli(env, ['reconcile']);
  const html = join(dir, 'report.html');
  await cli(env, ['report', '--out', html]);
  await withBrowser(async (browser) => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 1150 });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    await page.screenshot({ path: OUT, type: 'png' });
  });
  console.log(`wrote ${OUT} (${Math.round(statSync(OUT).size / 1024)} KB)`);
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
