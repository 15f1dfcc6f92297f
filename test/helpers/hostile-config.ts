import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type EngineConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Clock } from '../../src/util/clock.js';
import { createServices } from '../../src/wiring/services.js';
import { repoPath } from './builders.js';

export const TOKENS = {
  PRODUCTBOARD_TOKEN: 'pb_secret_4b4498d2f9449fec583ef282',
  JIRA_EMAIL: 'pb-sync-bot@acme.example',
  JIRA_API_TOKEN: 'jira_secret_ATATT3xFfGF0eeea5d2088',
};

/**
 * A config whose services live at the given URLs (a hostile server, the sandbox), with `http`
 * settings for the case at hand, loaded as the CLI would load it.
 */
export function configFor(
  urls: { productboard?: string; jira?: string; slack?: string },
  http = '',
  env: Record<string, string> = {},
): EngineConfig {
  const dir = mkdtempSync(join(tmpdir(), 'pbjs-hostile-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    `productboard: { apiUrl: "${urls.productboard ?? 'http://127.0.0.1:9'}", token: "\${PRODUCTBOARD_TOKEN}" }
jira: { host: "${urls.jira ?? 'http://127.0.0.1:9'}", email: "\${JIRA_EMAIL}", apiToken: "\${JIRA_API_TOKEN}", project: PBJ }
slack: { webhookUrl: "${urls.slack ?? ''}" }
ledger: { path: "${join(dir, 'ledger.sqlite')}" }
mapping: ${repoPath('mappings/default.yaml')}
${http ? `http: ${http}` : ''}
`,
  );
  const loaded = loadConfig({ configPath: file, env: { ...TOKENS, ...env }, cwd: dir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

export const servicesFor = (config: EngineConfig, clock: Clock) =>
  createServices(config, {
    clock,
    logger: silentLogger(),
    random: () => 0.5,
    lanes: { default: { concurrency: 4, ratePerSecond: Infinity } },
  });
