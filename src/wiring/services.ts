import type { Logger } from 'pino';
import { PolicyJiraClient } from '../../connectors/jira/client.js';
import { JiraTarget } from '../../connectors/jira/jira-target.js';
import { ProductboardClient } from '../../connectors/productboard/client.js';
import { Configurations } from '../../connectors/productboard/configurations.js';
import { ProductboardDeliveryWriter } from '../../connectors/productboard/delivery-writer.js';
import { ProductboardNativeLinks } from '../../connectors/productboard/native-jira-links.js';
import { ProductboardSource } from '../../connectors/productboard/read-source.js';
import { SlackNotifier } from '../../connectors/slack/webhook.js';
import type { EngineConfig } from '../config/load-config.js';
import type { Services } from '../engine/pass.js';
import { DEFAULT_LANES } from '../http/lanes.js';
import { HttpPolicy, type LaneLimits } from '../http/policy.js';
import type { DeliveryCatalog, Notifier, SourceCatalog } from '../model/ports.js';
import type { Clock } from '../util/clock.js';

// The composition root: the only place that knows which connector implements which port. The CLI,
// the scheduler and the scripts build the services here, once per process, and hand them to the
// engine, which knows only the ports.

export interface ServiceOptions {
  clock: Clock;
  logger: Logger;
  /** Aborted: start no new request (a shutdown was asked for). */
  signal?: AbortSignal;
  /** Aborted: abandon requests in flight (the shutdown grace period is over). */
  cancel?: AbortSignal;
  lanes?: Record<string, LaneLimits>;
  random?: () => number;
}

export interface ProcessServices extends Services {
  /** The one HTTP policy of this process: every request of every connector goes through it. */
  policy: HttpPolicy;
  productboard: ProductboardClient;
  /** The workspace's configuration (statuses per type), for `validate`. */
  sourceCatalog: SourceCatalog;
  /** The custom fields of each entity type, for `validate`'s check of the mapping's `writeBack`. */
  deliveryCatalog: DeliveryCatalog;
  jira: JiraTarget;
}

/** Where alerts go when no webhook is configured: nowhere, and the report says why. */
const noWebhook: Notifier = {
  unavailable: 'SLACK_WEBHOOK_URL is not set',
  notify: async () => ({ status: 'not-sent', reason: 'SLACK_WEBHOOK_URL is not set' }),
};

export function createServices(config: EngineConfig, options: ServiceOptions): ProcessServices {
  const policy = new HttpPolicy({
    clock: options.clock,
    logger: options.logger,
    lanes: options.lanes ?? DEFAULT_LANES,
    retry: { maxTransientRetries: config.http.maxRetries, maxThrottleRetries: config.http.maxThrottleRetries },
    limits: {
      timeoutMs: config.http.timeoutMs,
      maxRetryAfterMs: config.http.maxRetryAfterSeconds * 1000,
      maxResponseBytes: config.http.maxResponseMB * 1024 * 1024,
    },
    secrets: config.secrets,
    ...(options.random ? { random: options.random } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.cancel ? { cancel: options.cancel } : {}),
  });
  const productboard = new ProductboardClient({ baseUrl: config.productboard.apiUrl, token: config.productboard.token, policy });
  const jiraClient = new PolicyJiraClient({
    host: config.jira.host,
    email: config.jira.email,
    apiToken: config.jira.apiToken,
    policy,
  });
  const webhookUrl = config.slack.webhookUrl;
  const configurations = new Configurations(productboard);
  const source = new ProductboardSource(productboard, configurations);
  const delivery = new ProductboardDeliveryWriter(productboard, configurations);
  return {
    policy,
    productboard,
    source,
    sourceCatalog: source,
    delivery,
    deliveryCatalog: delivery,
    nativeLinks: new ProductboardNativeLinks(productboard, config.sync.adoptNativeJira),
    jira: new JiraTarget(jiraClient, config.jira.project, undefined, config.jira.flaggedField),
    notifier: webhookUrl ? new SlackNotifier({ webhookUrl, policy }) : noWebhook,
    requests: () => policy.snapshot(),
  };
}
