import type { CompiledMapping } from '../../mapping/load-mapping.js';
import { statusCoverage } from '../../mapping/status-table.js';
import type { SourceCatalog } from '../../model/ports.js';

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/**
 * `validate`'s status check: for every rule that syncs status, the workspace's statuses for its type
 * (each type has its own set) against the rule's table. Findings are warnings, not problems: a
 * workspace may leave some statuses unmapped on purpose, and a shared mapping may name statuses one
 * workspace does not use. One line per rule.
 */
export async function checkStatuses(mapping: CompiledMapping, catalog: SourceCatalog): Promise<string[]> {
  const lines: string[] = [];
  for (const rule of mapping.rules.values()) {
    const table = rule.fields.status;
    if (!table) continue;
    const where = `${mapping.file}: rules[${rule.index}] (${rule.pbType})`;
    const names = await catalog.statusNames(rule.pbType);
    if (names === null) {
      lines.push(`warning ${where}: Productboard's ${rule.pbType} has no status field; its status mapping does nothing`);
      continue;
    }
    const { unmapped, unknown } = statusCoverage(table, names);
    if (unmapped.length > 0) {
      lines.push(
        `warning ${where}: the workspace's ${rule.pbType} statuses ${quoted(unmapped)} are not mapped (their items keep their Jira status)`,
      );
    }
    if (unknown.length > 0) lines.push(`warning ${where}: maps ${quoted(unknown)}, which the workspace's ${rule.pbType} does not have`);
    if (unmapped.length === 0 && unknown.length === 0) lines.push(`Productboard ${rule.pbType} statuses: all ${names.length} mapped`);
  }
  return lines;
}
