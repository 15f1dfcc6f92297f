import { randomBytes } from 'node:crypto';
import { systemClock, type SandboxClock } from './kit/clock.js';
import { contractRejection as jiraContractRejection, JIRA_FAULT_RESPONSES } from './jira/errors.js';
import type { JiraSandboxOptions } from './jira/options.js';
import { startJiraServer } from './jira/server.js';
import { JiraState } from './jira/state.js';
import {
  ContractGate,
  serviceContract,
  type ContractViolation,
  type RejectRequest,
  type SandboxContract,
} from './kit/contract/sandbox-contract.js';
import { FaultInjector, type FaultPlan } from './kit/faults.js';
import { closeServer } from './kit/http.js';
import type { RequestLogEntry } from './kit/request-log.js';
import { defaultPbBehaviour, type PbBehaviour } from './productboard/behaviour.js';
import { contractRejection as pbContractRejection, PB_FAULT_RESPONSES } from './productboard/errors.js';
import type { SeedWorkspace } from './productboard/model.js';
import { createNativeJiraIssues } from './productboard/native-jira-issues.js';
import { buildSeedWorkspace } from './productboard/seed-workspace.js';
import { startPbServer } from './productboard/server.js';
import { PbState } from './productboard/state.js';
import { SLACK_FAULT_RESPONSES, startSlackServer } from './slack/server.js';
import type { SlackMessage, SlackMode } from './slack/types.js';

// Embedded sandbox: local simulators of Productboard API v2, Jira Cloud REST v3 and a Slack incoming webhook,
// each on its own 127.0.0.1 port. Used by the quick-start demo, the e2e tests and the benchmark.

export interface SandboxOptions {
  /** Default: the realistic seed workspace (productboard/seed-workspace.ts). */
  workspace?: SeedWorkspace;
  /**
   * The time each request is judged at: rate limits, Retry-After and reset times, search lag, the timestamps requests
   * write (kit/clock.ts). Default: the system clock. Tests hold it still to judge a burst at one instant.
   */
  clock?: SandboxClock;
  /** Added to every response. Default 0. */
  latencyMs?: number;
  /** Productboard 50 req/s per token; Jira burst buckets per route+method and 20 writes / 2 s per issue. Default false. */
  enforceRateLimits?: boolean;
  /** Jira: issues created/edited less than this ago are invisible to search/jql unless listed in reconcileIssues. Default 0. */
  searchLagMs?: number;
  /** Injected faults; live and mutable through `sandbox.faults`. Default none. */
  faults?: FaultPlan;
  /** Default 'PBJ'. */
  jiraProjectKey?: string;
  /**
   * The vendors' OpenAPI documents. Given them, the sandbox refuses, in the vendor's own error shape, every request its
   * specification refuses, and records in `contractViolations` every such request, every request to an undocumented
   * route and every answer of its own outside the specification. Default: none (no checks).
   */
  contract?: SandboxContract;
  /** The Jira site: issue types, fields, screens, workflows, components, versions, users, behaviours. Default: the historical site. */
  jira?: JiraSandboxOptions;
  /**
   * Productboard behaviour where the vendor's documents leave a choice or contradict themselves, hostile modes, the
   * token's scopes and the action-URL policy (productboard/behaviour.ts). Live and mutable through
   * `sandbox.productboard.behaviour`. Default: as the sandbox always behaved.
   */
  productboard?: Partial<PbBehaviour>;
  /**
   * Create, in the sandbox Jira, the issues the workspace's native Jira integration links to, and point its
   * connections at them (a team moving off Productboard's own integration). Default false: the seed's links point at
   * issues of a project the sandbox Jira does not hold.
   */
  createNativeJiraIssues?: boolean;
}

export interface Sandbox {
  /** `behaviour` is live and mutable (the same object `state.behaviour` holds). */
  productboard: { url: string; token: string; state: PbState; behaviour: PbBehaviour };
  jira: { url: string; email: string; apiToken: string; projectKey: string; state: JiraState };
  /** `mode` is mutable; `messagesUrl` answers GET with `{ messages }` (the sandbox's own route, not Slack's). */
  slack: { webhookUrl: string; messagesUrl: string; messages: SlackMessage[]; mode: SlackMode };
  /** Every request to any of the three servers, in arrival order. */
  requests: RequestLogEntry[];
  /** What the contract checks found, in order (empty without `contract`); tests may read and clear it. */
  contractViolations: ContractViolation[];
  /** Live, mutable; may also be replaced wholesale. */
  faults: FaultPlan;
  /** PRODUCTBOARD_API_URL, PRODUCTBOARD_TOKEN, JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT, SLACK_WEBHOOK_URL */
  env(): Record<string, string>;
  resetRequestLog(): void;
  /** Lets time pass in both services: every record was created and updated `ms` earlier. */
  age(ms: number): void;
  close(): Promise<void>;
}

const FAULT_RESPONSES = { productboard: PB_FAULT_RESPONSES, jira: JIRA_FAULT_RESPONSES, slack: SLACK_FAULT_RESPONSES };

/** The contract checks of the two vendor simulators, recording into one list; none without the documents. */
function contractGates(contract: SandboxContract | undefined, violations: ContractViolation[]) {
  const gate = (service: 'productboard' | 'jira', reject: RejectRequest): ContractGate | undefined =>
    contract && new ContractGate(service, serviceContract(contract[service]), contract.tolerated ?? [], violations, reject);
  return { productboard: gate('productboard', pbContractRejection), jira: gate('jira', jiraContractRejection) };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const projectKey = options.jiraProjectKey ?? 'PBJ';
  // Jira project keys: an uppercase letter followed by uppercase letters, digits or underscores.
  if (!/^[A-Z][A-Z0-9_]{1,9}$/.test(projectKey)) throw new Error(`Invalid Jira project key '${projectKey}'.`);
  const clock = options.clock ?? systemClock;
  const latencyMs = options.latencyMs ?? 0;
  const enforceRateLimits = options.enforceRateLimits ?? false;
  let plan: FaultPlan = options.faults ?? {};
  const faults = new FaultInjector(() => plan, FAULT_RESPONSES);
  const requests: RequestLogEntry[] = [];
  const contractViolations: ContractViolation[] = [];
  const gates = contractGates(options.contract, contractViolations);

  const behaviour: PbBehaviour = { ...defaultPbBehaviour(), ...options.productboard };
  const pbState = new PbState(options.workspace ?? buildSeedWorkspace(), behaviour);
  const jiraState = new JiraState(projectKey, options.jira);
  if (options.createNativeJiraIssues) createNativeJiraIssues(pbState, jiraState);
  const pbToken = `pb_sandbox_${randomBytes(16).toString('hex')}`;
  const jiraEmail = 'pb-sync-bot@sandbox.example';
  const jiraToken = `ATATT_sandbox_${randomBytes(16).toString('hex')}`;
  const jiraAccountId = '712020:5a1d-sandbox-bot';
  // The bot the API token belongs to is a user of the site too (GET /myself, user search).
  jiraState.addUser({ displayName: 'PB Sync Bot (sandbox)', email: jiraEmail, accountId: jiraAccountId });

  const pb = await startPbServer({
    state: pbState,
    token: pbToken,
    log: requests,
    clock,
    latencyMs,
    enforceRateLimits,
    faults,
    contract: gates.productboard,
  });
  const jira = await startJiraServer({
    state: jiraState,
    email: jiraEmail,
    apiToken: jiraToken,
    accountId: jiraAccountId,
    log: requests,
    clock,
    latencyMs,
    enforceRateLimits,
    searchLagMs: options.searchLagMs ?? 0,
    faults,
    contract: gates.jira,
  });
  const slack = await startSlackServer(requests, clock, latencyMs, faults);

  let closed: Promise<void> | undefined;
  const sandbox: Sandbox = {
    productboard: { url: pb.url, token: pbToken, state: pbState, behaviour },
    jira: { url: jira.url, email: jiraEmail, apiToken: jiraToken, projectKey, state: jiraState },
    slack: slack.box,
    requests,
    contractViolations,
    get faults(): FaultPlan {
      return plan;
    },
    set faults(next: FaultPlan) {
      plan = next;
    },
    env: () => ({
      PRODUCTBOARD_API_URL: pb.url,
      PRODUCTBOARD_TOKEN: pbToken,
      JIRA_HOST: jira.url,
      JIRA_EMAIL: jiraEmail,
      JIRA_API_TOKEN: jiraToken,
      JIRA_PROJECT: projectKey,
      SLACK_WEBHOOK_URL: slack.box.webhookUrl,
    }),
    resetRequestLog: () => {
      requests.length = 0; // in place: callers may hold the array
    },
    age: (ms) => {
      pbState.age(ms);
      jiraState.age(ms);
    },
    close: () => {
      closed ??= Promise.all([closeServer(pb.server), closeServer(jira.server), closeServer(slack.hosted.server)]).then(() => undefined);
      return closed;
    },
  };
  return sandbox;
}
