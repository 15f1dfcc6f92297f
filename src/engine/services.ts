import type { Logger } from 'pino';
import { PolicyJiraClient } from '../../connectors/jira/client.js';
import { JiraTarget } from '../../connectors/jira/jira-target.js';
import { ProductboardClient } from '../../connectors/productboard/client.js';
import type { EngineConfig } from '../config/load-config.js';
import { DEFAULT_LANES } from '../http/lanes.js';
import { HttpPolicy, type LaneLimits } from '../http/policy.js';
import type { Clock } from '../util/clock.js';

export interface Services {
  policy: HttpPolicy;
  productboard: ProductboardClient;
  jira: JiraTarget;
}

export interface ServiceOptions {
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  cancel?: AbortSignal;
  lanes?: Record<string, LaneLimits>;
  random?: () => number;
}

/** The composition root for connectors: the only place that knows which client implements what. */
export function createServices(config: EngineConfig, options: ServiceOptions): Services {
  const policy = new HttpPolicy({
    clock: options.clock,
    logger: options.logger,
    lanes: options.lanes ?? DEFAULT_LANES,
    retry: { maxTransientRetries: config.http.maxRetries, maxThrottleRetries: config.http.maxThrottleRetries },
    ...(options.random ? { random: options.random } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.cancel ? { cancel: options.cancel } : {}),
  });
  const productboard = new ProductboardClient({ baseUrl: config.productboard.apiUrl, token: config.productboard.token, policy, timeoutMs: config.http.timeoutMs });
  const jiraClient = new PolicyJiraClient({ host: config.jira.host, email: config.jira.email, apiToken: config.jira.apiToken, policy, timeoutMs: config.http.timeoutMs });
  return { policy, productboard, jira: new JiraTarget(jiraClient, config.jira.project) };
}
