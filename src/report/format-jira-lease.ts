import type { JiraLeaseStatus } from '../engine/jira-lease.js';
import { isoTime } from './output-schema.js';
import { age, secondsTime as when } from './time-text.js';

// `status --jira`: who writes to the Jira project now, as the Jira-side lease says (every host,
// every ledger), beside the ledger's own lease. Text for people, JSON for monitoring.

/** Why a stale lease no longer counts, in the words of the rule the pass takes it over by. */
function staleReason(status: Extract<JiraLeaseStatus, { state: 'stale' | 'held' }>, now: number): string | null {
  if (status.stoppedBecause === 'no-heartbeat')
    return `no heartbeat for ${age(now - status.heartbeatAt)}, not within schedule.leaseSeconds (${Math.round(status.ttlMs / 1000)} s): the next pass takes it over`;
  if (status.stoppedBecause === 'process-gone') return 'its process on this host has ended: the next pass takes it over';
  return null;
}

/** The `jira lease` lines of `status` (label column included). */
export function jiraLeaseLines(status: JiraLeaseStatus, now: number): string[] {
  const pad = ' '.repeat('jira lease '.length);
  const lastWrite = `last write ${status.state === 'unreadable' ? '-' : lastWriteText(status.lastWrite)}`;
  switch (status.state) {
    case 'unreadable':
      return [`jira lease unreadable: the project property is not a writer record (${status.reason}); the next pass overwrites it`];
    case 'free':
      return [`jira lease free: no pass holds the Jira lease; ${lastWrite}`];
    case 'held':
    case 'stale': {
      const state = status.state === 'held' ? 'held' : 'STALE: was held';
      return [
        `jira lease ${state} by ${status.holder} since ${when(status.since)}`,
        `${pad}last heartbeat ${when(status.heartbeatAt)} (${age(now - status.heartbeatAt)} ago), expires ${when(status.expiresAt)}; ${lastWrite}`,
        ...(status.state === 'stale' ? [`${pad}${staleReason(status, now)}`] : []),
      ];
    }
  }
}

/** `jiraLease` of `status --json` (docs/schemas/status.schema.json). */
export function jiraLeaseJson(status: JiraLeaseStatus, now: number) {
  switch (status.state) {
    case 'unreadable':
      return { held: false, state: status.state, reason: status.reason };
    case 'free':
      return { held: false, state: status.state, lastWrite: lastWriteJson(status.lastWrite) };
    case 'held':
    case 'stale':
      return {
        held: status.state === 'held',
        state: status.state,
        holder: status.holder,
        ledger: status.ledger,
        since: isoTime(status.since),
        heartbeatAt: isoTime(status.heartbeatAt),
        expiresAt: isoTime(status.expiresAt),
        lastWrite: lastWriteJson(status.lastWrite),
        staleReason: staleReason(status, now),
      };
  }
}

type LastWrite = Extract<JiraLeaseStatus, { state: 'free' }>['lastWrite'];

const lastWriteText = (write: LastWrite): string => (write ? `${when(write.at)} (ledger ${write.ledger})` : 'none recorded');
const lastWriteJson = (write: LastWrite) => write && { at: isoTime(write.at), ledger: write.ledger };
