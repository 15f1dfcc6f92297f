import type { DesiredWarning } from '../model/desired.js';
import type { ObservedIssue, ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { Pass } from './pass.js';

// Adopting the links of Productboard's own Jira integration (mappings/README.md, "Moving off
// Productboard's Jira integration"): an item about to be created that the integration already
// linked to an issue of the project gets that issue instead (stamped by the pass's update, recorded
// in the ledger, `adopt` in the plan): zero duplicates. Read only when the plan creates something,
// so a pass with nothing to create sends no request for it.

/** What the pass learned from the integration, for the planner and the plan. */
export interface NativeAdoption {
  /** The integrations read, by name. */
  integrations: string[];
  /** The issue each item adopts, with the integration that linked it. */
  issues: ReadonlyMap<string, { issue: ObservedIssue; integration: string }>;
  /** Links not adopted (outside the project, missing, already another item's issue): the item is created as usual. */
  warnings: DesiredWarning[];
  /** Why no link was looked for (a token without the read scope); null when they were. */
  unavailable: string | null;
}

/** The native links of the items the plan would create; null when it creates nothing or adoption is off. */
export async function findNativeLinks(pass: Pass, observed: ObservedTree, plan: Plan): Promise<NativeAdoption | null> {
  if (pass.config.sync.adoptNativeJira === 'off') return null;
  const creates = plan.actions.filter((a) => a.kind === 'create');
  if (!creates.length) return null;
  const links = await pass.services.nativeLinks.read();
  const project = pass.config.jira.project;
  const warnings: DesiredWarning[] = [];
  const candidates = creates.flatMap((action) => {
    const link = links.byPbId.get(action.pbId);
    if (!link) return [];
    const warn = (why: string) => {
      warnings.push({
        pbId: action.pbId,
        name: action.name,
        message: `linked by Productboard's Jira integration (${link.integration}) to ${link.issueKey}, ${why}: not adopted, a new issue is created`,
      });
      return [];
    };
    return link.issueKey.startsWith(`${project}-`) ? [{ action, link, warn }] : warn(`outside project ${project}`);
  });
  const fetched = candidates.length ? await pass.services.jira.fetchByIds(candidates.map((c) => c.link.issueId)) : [];
  const byId = new Map(fetched.map((issue) => [issue.id, issue]));
  const issues = new Map<string, { issue: ObservedIssue; integration: string }>();
  const taken = new Map<string, string>();
  for (const { action, link, warn } of candidates) {
    const issue = byId.get(link.issueId);
    if (!issue || !issue.key.startsWith(`${project}-`)) warn('which no longer exists in the project or is not visible');
    else if (observed.byId.has(issue.id) || (issue.pbId !== null && issue.pbId !== action.pbId))
      warn('which is already synced for another item');
    else if (taken.has(issue.id)) warn(`which "${taken.get(issue.id)}" adopts`);
    else {
      taken.set(issue.id, action.name);
      issues.set(action.pbId, { issue, integration: link.integration });
    }
  }
  for (const w of warnings) pass.logger.warn({ pbId: w.pbId, reason: w.message }, 'native jira link not adopted');
  return { integrations: links.integrations, issues, warnings, unavailable: links.unavailable };
}
