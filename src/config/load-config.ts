import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadMapping, type CompiledMapping } from '../mapping/load-mapping.js';
import { displayPath, packageRoot } from '../util/package-root.js';
import { configSchema, type ConfigFile, type ReportFormat } from './schema.js';
import { formatPath, type Problem } from '../util/problems.js';
import { problemsAt, readLocatedYaml, zodProblems, type LocatedYaml } from '../util/located-yaml.js';
import { knownKeysOf } from '../util/schema-keys.js';
import { secretForms } from '../util/secrets.js';
import { readSmallFile } from '../util/small-file.js';

export interface EngineConfig {
  configFile: string;
  productboard: { apiUrl: string; token: string };
  jira: { host: string; email: string; apiToken: string; project: string; flaggedField: string };
  slack: { webhookUrl: string | null };
  ledgerPath: string;
  mapping: CompiledMapping;
  sync: ConfigFile['sync'];
  http: ConfigFile['http'];
  schedule: ConfigFile['schedule'];
  /** `out` resolved against the working directory; null: the scheduler writes no report. */
  report: { out: string | null; format: ReportFormat; staleDays: number };
  /** Every form of every secret value (raw, Basic header...), so output, logs and the ledger can be scrubbed of them. */
  secrets: string[];
  /** Things that work but look wrong (a webhook that is not Slack's): logged, never fatal. */
  warnings: Problem[];
}

export type ConfigResult = { ok: true; config: EngineConfig } | { ok: false; problems: Problem[] };

/** A secret file holds one token or URL: anything bigger (or not a file, like /dev/zero) is a mistake. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

export interface LoadConfigOptions {
  /** `--config FILE`; the shipped config/default.yaml (which reads the environment) when absent. */
  configPath?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

export const defaultConfigPath = (): string => join(packageRoot(), 'config', 'default.yaml');

const knownKeys = knownKeysOf(configSchema);
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Loads, interpolates and validates the config and its mapping, collecting every problem. */
export function loadConfig(options: LoadConfigOptions): ConfigResult {
  const absolute = options.configPath ? resolve(options.cwd, options.configPath) : defaultConfigPath();
  const source = readLocatedYaml(absolute, displayPath(absolute, options.cwd));
  if (source.problems.length) return { ok: false, problems: source.problems };

  const problems: Problem[] = [];
  const interpolated = interpolate(source, source.value, [], options.env, problems);
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) {
    // An unset variable already explains why its value is empty: don't also report "too short".
    const unset = new Set(problems.map((p) => p.path));
    problems.push(...zodProblems(source, parsed.error, knownKeys).filter((p) => !unset.has(p.path)));
  }
  if (!parsed.success || problems.length) {
    // Still check the mapping the config names: validate lists every problem, not just the first file's.
    const mappingRef = (interpolated as { mapping?: unknown } | undefined)?.mapping;
    if (typeof mappingRef === 'string' && mappingRef) {
      const mappingAbsolute = isAbsolute(mappingRef) ? mappingRef : resolve(dirname(absolute), mappingRef);
      const mapping = loadMapping(mappingAbsolute, displayPath(mappingAbsolute, options.cwd));
      if (!mapping.ok) problems.push(...mapping.problems);
    }
    return { ok: false, problems: dedupe(problems) };
  }

  const file = parsed.data;
  const baseDir = dirname(absolute);
  const at = problemsAt(source, problems);

  const pbToken = readSecret(file.productboard.token, baseDir, ['productboard', 'token'], at);
  const jiraToken = readSecret(file.jira.apiToken, baseDir, ['jira', 'apiToken'], at);
  const webhook = file.slack.webhookUrl ? readSecret(file.slack.webhookUrl, baseDir, ['slack', 'webhookUrl'], at) : '';
  const warnings: Problem[] = [];
  checkServiceUrls(file, webhook, at, problemsAt(source, warnings));

  const mappingAbsolute = isAbsolute(file.mapping) ? file.mapping : resolve(baseDir, file.mapping);
  const mapping = loadMapping(mappingAbsolute, displayPath(mappingAbsolute, options.cwd));
  if (!mapping.ok) problems.push(...mapping.problems);
  if (problems.length || !mapping.ok) return { ok: false, problems };

  return {
    ok: true,
    config: {
      configFile: source.file,
      productboard: { apiUrl: file.productboard.apiUrl.replace(/\/+$/, ''), token: pbToken },
      jira: {
        host: file.jira.host.replace(/\/+$/, ''),
        email: file.jira.email,
        apiToken: jiraToken,
        project: file.jira.project,
        flaggedField: file.jira.flaggedField,
      },
      slack: { webhookUrl: webhook || null },
      ledgerPath: resolve(options.cwd, file.ledger.path),
      mapping: mapping.mapping,
      sync: file.sync,
      http: file.http,
      schedule: file.schedule,
      report: { ...file.report, out: file.report.out ? resolve(options.cwd, file.report.out) : null },
      secrets: secretForms({ values: [pbToken, jiraToken, webhook], basic: [{ user: file.jira.email, password: jiraToken }] }),
      warnings,
    },
  };
}

export interface OperatorConfig {
  configFile: string;
  ledgerPath: string;
  schedule: ConfigFile['schedule'];
}

/**
 * The parts of the config an operator's read-only view needs (`status`): the ledger and the
 * schedule. Credentials are not required, so status works from any shell.
 */
export function loadOperatorConfig(options: LoadConfigOptions): { ok: true; config: OperatorConfig } | { ok: false; problems: Problem[] } {
  const absolute = options.configPath ? resolve(options.cwd, options.configPath) : defaultConfigPath();
  const source = readLocatedYaml(absolute, displayPath(absolute, options.cwd));
  if (source.problems.length) return { ok: false, problems: source.problems };
  const raw = (source.value ?? {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  const picked = interpolate(source, { ledger: raw.ledger, schedule: raw.schedule }, [], options.env, problems);
  const parsed = configSchema.pick({ ledger: true, schedule: true }).safeParse(picked);
  if (!parsed.success) problems.push(...zodProblems(source, parsed.error, knownKeys));
  if (!parsed.success || problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: { configFile: source.file, ledgerPath: resolve(options.cwd, parsed.data.ledger.path), schedule: parsed.data.schedule },
  };
}

/** Replaces `${NAME}` and `${NAME:-default}` in every string; an unset required variable is a problem. */
function interpolate(
  source: LocatedYaml,
  value: unknown,
  path: Array<string | number>,
  env: Record<string, string | undefined>,
  problems: Problem[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push({
        file: source.file,
        path: formatPath(path),
        message: `environment variable ${name} is not set`,
        ...(source.locate(path) ?? {}),
      });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(source, item, [...path, i], env, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(source, item, [...path, key], env, problems)]));
  }
  return value;
}

function readSecret(
  value: string | { file: string },
  baseDir: string,
  path: string[],
  at: (path: string[], message: string) => void,
): string {
  if (typeof value === 'string') {
    if (value.trim() === '') at(path, 'is empty');
    return value.trim();
  }
  const read = readSmallFile(resolve(baseDir, value.file), MAX_SECRET_FILE_BYTES);
  if (!read.ok) {
    at([...path, 'file'], `cannot read secret file ${value.file}: ${read.reason}`);
    return '';
  }
  const secret = read.text.trim();
  if (!secret) at([...path, 'file'], `secret file ${value.file} is empty`);
  return secret;
}

type ProblemAt = (path: string[], message: string) => void;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

interface UrlRules {
  allowInsecure: boolean;
  /** What a good value looks like, for the messages. */
  example: string;
  /** The URL is itself a secret (a webhook): never quote it in a message. */
  secret?: boolean;
  /** Only the site root is meaningful (Jira's REST paths are appended to it): no path. */
  siteRoot?: boolean;
}

/**
 * A service URL names a host and nothing else we do not expect: credentials inside it would
 * silently replace the configured ones (and escape scrubbing), a query or fragment would be
 * dropped or misapplied, and a path under a Jira site turns every call into a 404. Credentials
 * must not travel in clear text either: plain http is for the loopback sandbox only.
 */
function checkUrl(value: string, path: string[], rules: UrlRules, at: ProblemAt): URL | undefined {
  const shown = rules.secret ? 'the URL' : `"${value}"`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    at(path, `${rules.secret ? 'is not a valid URL' : `${shown} is not a valid URL`} (expected e.g. ${rules.example})`);
    return undefined;
  }
  if (url.username || url.password) {
    at(
      path,
      `${rules.secret ? 'the URL' : `"${url.host}${url.pathname}"`} carries a user name or password (user:pass@host); remove them: credentials come from the config's token settings, never from a URL`,
    );
    return undefined;
  }
  if (url.search || url.hash) {
    at(path, `${shown} has a ${url.search ? 'query (?…)' : 'fragment (#…)'}; use the URL without it, e.g. ${rules.example}`);
    return undefined;
  }
  if (rules.siteRoot && !/^\/*$/.test(url.pathname)) {
    at(path, `${shown} has a path (${url.pathname}); use the site root only, e.g. ${rules.example}`);
    return undefined;
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || rules.allowInsecure)) return url;
  if (url.protocol === 'http:') {
    at(path, `plain http:// to ${url.hostname} would send credentials unencrypted; use https:// (or set http.allowInsecureHttp: true)`);
    return undefined;
  }
  at(path, `unsupported URL scheme ${url.protocol}`);
  return undefined;
}

/** The three service URLs: problems through `at`; a webhook that is not Slack's is only a warning. */
function checkServiceUrls(file: ConfigFile, webhook: string, at: ProblemAt, warn: ProblemAt): void {
  const allowInsecure = file.http.allowInsecureHttp;
  checkUrl(file.productboard.apiUrl, ['productboard', 'apiUrl'], { allowInsecure, example: 'https://api.productboard.com' }, at);
  checkUrl(file.jira.host, ['jira', 'host'], { allowInsecure, example: 'https://acme.atlassian.net', siteRoot: true }, at);
  if (!webhook) return;
  const url = checkUrl(
    webhook,
    ['slack', 'webhookUrl'],
    { allowInsecure, example: 'https://hooks.slack.com/services/…', secret: true },
    at,
  );
  if (url && !isSlackWebhook(url)) {
    warn(
      ['slack', 'webhookUrl'],
      `posts to ${url.hostname}, which is not Slack's webhook host (hooks.slack.com); alerts will be sent there`,
    );
  }
}

// Slack's incoming webhooks live on hooks.slack.com (GovSlack: hooks.slack-gov.com); the loopback sandbox stands in for it in tests.
const isSlackWebhook = (url: URL): boolean =>
  ['hooks.slack.com', 'hooks.slack-gov.com'].includes(url.hostname) || LOOPBACK.has(url.hostname);

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
