import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { loadMapping } from '../../../src/mapping/load-mapping.js';
import { formatProblem } from '../../../src/util/problems.js';
import { repoPath } from '../../helpers/builders.js';
import { TOKENS } from '../../helpers/hostile-config.js';

const ENV = { ...TOKENS, JIRA_HOST: 'https://acme.atlassian.net', JIRA_PROJECT: 'PBJ' };
const tempDir = () => mkdtempSync(join(tmpdir(), 'pbjs-input-'));

/** A config file in a temp dir (the shipped mapping unless it names another), loaded as the CLI loads it. */
function load(yaml: string, env: Record<string, string> = {}) {
  const dir = tempDir();
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml.includes('mapping:') ? yaml : `${yaml}\nmapping: ${repoPath('mappings/default.yaml')}\n`);
  return loadConfig({ configPath: file, env: { ...ENV, ...env }, cwd: dir });
}

const problems = (result: ReturnType<typeof load>) => (result.ok ? [] : result.problems.map(formatProblem));

const SERVICES = `productboard: { apiUrl: "\${PRODUCTBOARD_API_URL:-https://api.productboard.com}", token: "\${PRODUCTBOARD_TOKEN}" }
jira: { host: "\${JIRA_HOST}", email: "\${JIRA_EMAIL}", apiToken: "\${JIRA_API_TOKEN}", project: "\${JIRA_PROJECT}" }
slack: { webhookUrl: "\${SLACK_WEBHOOK_URL:-}" }`;

const BOMB = `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]
`;

describe('issue 10 M2: credentials and extras inside service URLs', () => {
  it('refuses user:pass@ in JIRA_HOST and PRODUCTBOARD_API_URL, without repeating the password', () => {
    const result = load(SERVICES, {
      JIRA_HOST: 'http://qauser:tok-HOSTPW-999@127.0.0.1:8080',
      PRODUCTBOARD_API_URL: 'https://pbuser:pb-HOSTPW-777@api.productboard.com',
    });
    const found = problems(result).join('\n');
    expect(found).toMatch(/jira\.host: "127\.0\.0\.1:8080\/" carries a user name or password \(user:pass@host\); remove them/);
    expect(found).toMatch(/productboard\.apiUrl: "api\.productboard\.com\/" carries a user name or password/);
    expect(found).not.toMatch(/HOSTPW/);
  });

  it('refuses a webhook URL with credentials without quoting the URL (it is a secret)', () => {
    const found = problems(load(SERVICES, { SLACK_WEBHOOK_URL: 'https://u:p@hooks.slack.com/services/T0/B0/sekrit123' })).join('\n');
    expect(found).toContain('slack.webhookUrl: the URL carries a user name or password');
    expect(found).not.toContain('sekrit123');
  });

  it('refuses JIRA_HOST with a path, a query or a fragment, saying what to use instead', () => {
    for (const [host, what] of [
      ['https://acme.atlassian.net/jira', 'has a path (/jira); use the site root only, e.g. https://acme.atlassian.net'],
      ['https://acme.atlassian.net/?x=1', 'has a query (?…); use the URL without it, e.g. https://acme.atlassian.net'],
      ['https://acme.atlassian.net/#frag', 'has a fragment (#…); use the URL without it'],
    ] as const) {
      expect(problems(load(SERVICES, { JIRA_HOST: host })).join('\n')).toContain(`jira.host: "${host}" ${what}`);
    }
    // A trailing slash (or two) is still the site root.
    expect(load(SERVICES, { JIRA_HOST: 'https://acme.atlassian.net//' }).ok).toBe(true);
  });
});

describe('issue 10 M5: oversized input files', () => {
  it('a 2 MB mapping is refused by size before it is parsed, naming the file', () => {
    const dir = tempDir();
    const mapping = join(dir, 'huge.yaml');
    writeFileSync(mapping, `version: 1\nrules: []\ndescription: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const result = loadMapping(mapping, 'huge.yaml');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual(['huge.yaml: is 2.0 MB; at most 1.0 MB is read']);
  });

  it('an oversized config file is a config problem naming it', () => {
    const dir = tempDir();
    const file = join(dir, 'config.yaml');
    writeFileSync(file, `${SERVICES}\n${'# padding\n'.repeat(120_000)}`);
    const result = loadConfig({ configPath: file, env: ENV, cwd: dir });
    expect(problems(result)).toEqual(['config.yaml: is 1.1 MB; at most 1.0 MB is read']);
  });

  it('token: { file: /dev/zero } is refused at once: secret files are small regular files', () => {
    const started = Date.now();
    const found = problems(load(SERVICES.replace('token: "${PRODUCTBOARD_TOKEN}"', 'token: { file: /dev/zero }')));
    expect(found.join('\n')).toContain(
      'productboard.token.file: cannot read secret file /dev/zero: is a character device, not a regular file',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a secret file over 64 KB is refused', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 'x'.repeat(70 * 1024));
    const found = problems(load(SERVICES.replace('token: "${PRODUCTBOARD_TOKEN}"', `token: { file: ${join(dir, 'token')} }`)));
    expect(found.join('\n')).toContain('is 70 KB; at most 64 KB is read');
  });
});

describe('issue 10 low: YAML alias bomb', () => {
  it('as a mapping: a located config problem, not "this is a bug"', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bomb.yaml'), BOMB);
    const result = loadMapping(join(dir, 'bomb.yaml'), 'bomb.yaml');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'bomb.yaml:2:8: YAML aliases expand to too much data (a "billion laughs" pattern); write the values out instead of nesting aliases',
    ]);
  });

  it('as a config: the same, and the mapping it names is still checked', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.yaml'), `${BOMB}mapping: missing.yaml\n`);
    const result = loadConfig({ configPath: join(dir, 'config.yaml'), env: ENV, cwd: dir });
    expect(problems(result)).toEqual([expect.stringMatching(/^config\.yaml:2:8: YAML aliases expand to too much data/)]);
  });
});

describe('issue 10 low: numbers and booleans from ${VAR}', () => {
  // As in the review: block style, one quoted and the others plain.
  const yaml = `${SERVICES}
http:
  timeoutMs: "\${QA_TIMEOUT:-30000}"
  maxRetries: \${QA_RETRIES:-2}
schedule:
  runOnStart: \${QA_RUN:-true}
  leaseSeconds: \${QA_LEASE:-90}`;

  it('are converted after interpolation, from the default or the environment', () => {
    const defaults = load(yaml);
    expect(defaults.ok && [defaults.config.http.timeoutMs, defaults.config.http.maxRetries, defaults.config.schedule.runOnStart]).toEqual([
      30000,
      2,
      true,
    ]);
    const set = load(yaml, { QA_TIMEOUT: '5000', QA_RUN: 'False', QA_LEASE: '60' });
    expect(set.ok && [set.config.http.timeoutMs, set.config.schedule.runOnStart, set.config.schedule.leaseSeconds]).toEqual([
      5000,
      false,
      60,
    ]);
  });

  it('a value that does not convert is a located problem saying what was expected', () => {
    const found = problems(load(yaml, { QA_TIMEOUT: 'abc', QA_RUN: 'sometimes' }));
    expect(found).toEqual([
      expect.stringMatching(/config\.yaml:5:14: http\.timeoutMs: "abc" is not a number$/),
      expect.stringMatching(/config\.yaml:8:15: schedule\.runOnStart: "sometimes" is not a boolean \(use true or false\)$/),
    ]);
  });
});

describe('issue 10 low: a Slack webhook URL that is not Slack’s', () => {
  it('is accepted with a warning naming the host, never the URL', () => {
    for (const url of ['https://example.com/not-slack/abc123secret', 'https://hooks.slack.com.evil.example/services/abc123secret']) {
      const result = load(SERVICES, { SLACK_WEBHOOK_URL: url });
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      const warnings = result.config.warnings.map(formatProblem);
      expect(warnings).toEqual([
        expect.stringContaining(`slack.webhookUrl: posts to ${new URL(url).hostname}, which is not Slack's webhook host`),
      ]);
      expect(warnings.join('')).not.toContain('abc123secret');
    }
    const slack = load(SERVICES, { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/abc123secret' });
    expect(slack.ok && slack.config.warnings).toEqual([]);
  });
});
