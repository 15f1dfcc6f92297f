import type { NativeAdoption } from '../engine/native-adoption.js';
import { printableLines } from '../util/untrusted-text.js';

// What Productboard's own Jira integration gave a pass: how many items adopt the issue it linked
// (instead of a new one), and each link not used, naming the item and why.

/** The plan's lines about it; empty when the pass created nothing (the integration was not read). */
export function formatNativeAdoption(native: NativeAdoption | null, dryRun: boolean): string {
  if (!native) return '';
  const lines: string[] = [];
  if (native.unavailable) lines.push(`Productboard's Jira integration: ${native.unavailable}`);
  const n = native.issues.size;
  if (n || native.warnings.length)
    lines.push(
      `Productboard's Jira integration (${native.integrations.join(', ')}): ${n} linked ${n === 1 ? 'item' : 'items'} ${dryRun ? 'will be adopted' : 'adopted'} instead of created` +
        (native.warnings.length ? `; ${native.warnings.length} ${native.warnings.length === 1 ? 'link' : 'links'} not used:` : ''),
    );
  for (const w of native.warnings) lines.push(`  ! "${w.name}": ${w.message}`);
  return lines.length ? printableLines(['', ...lines]) : '';
}

/** `--json`: the same, by item. */
export const nativeJson = (native: NativeAdoption | null) =>
  native && {
    integrations: native.integrations,
    adopted: [...native.issues].map(([pbId, { issue, integration }]) => ({ pbId, jiraKey: issue.key, integration })),
    notUsed: native.warnings,
    unavailable: native.unavailable,
  };
