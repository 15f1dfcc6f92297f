import { createHash } from 'node:crypto';

// Productboard ids are UUIDs. Deriving them from a stable name (RFC 4122 v5 layout over sha1)
// makes seeded workspaces byte-identical across runs, so e2e tests and the demo can refer to fixed ids.
const NAMESPACE = 'pb-jira-sync/sandbox';

export function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update('\u0000').update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Short stable fingerprint, used to bind page cursors to the request that produced them. */
export function fingerprint(value: string): string {
  return createHash('sha1').update(value).digest('hex').slice(0, 12);
}
