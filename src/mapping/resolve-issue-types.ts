import { SyncError } from '../errors.js';
import type { CompiledMapping } from './load-mapping.js';
import type { PbType } from './schema.js';
import { formatProblem, type Problem } from '../util/problems.js';
import type { ProjectCatalog, ProjectIssueType } from '../model/ports.js';

// When a level has several issue types (Story, Task, Bug at level 0), prefer the conventional one.
const PREFERRED: Record<number, string[]> = { 1: ['epic'], 0: ['story', 'task'], [-1]: ['sub-task', 'subtask'] };

/**
 * Resolves each rule's issue type against the project's issue types by hierarchy level (Epic 1,
 * standard 0, sub-task -1), honouring a `name` override. Throws a config error listing every rule
 * that cannot be resolved, before anything is written.
 */
export function resolveIssueTypes(mapping: CompiledMapping, catalog: ProjectCatalog): Map<PbType, ProjectIssueType> {
  const { resolved, problems } = matchIssueTypes(mapping, catalog);
  if (problems.length) {
    throw new SyncError('config', `the mapping does not fit Jira project ${catalog.key}`, { details: problems.map(formatProblem) });
  }
  return resolved;
}

/** Each rule's issue type, and a problem for each rule that has none in the project. */
export function matchIssueTypes(
  mapping: CompiledMapping,
  catalog: ProjectCatalog,
): { resolved: Map<PbType, ProjectIssueType>; problems: Problem[] } {
  const resolved = new Map<PbType, ProjectIssueType>();
  const problems: Problem[] = [];
  const available = catalog.issueTypes.map((t) => `${t.name} (level ${t.level})`).join(', ');
  for (const rule of mapping.rules.values()) {
    const path = `rules[${rule.index}].jira.issueType`;
    const { level, name, choice } = rule.issueType;
    // Every type the rule may choose sits at its level, so the parent rule holds whichever is chosen.
    for (const chosen of choice?.table.values() ?? []) {
      const match = catalog.issueTypes.find((t) => t.name.toLowerCase() === String(chosen).toLowerCase());
      if (!match)
        problems.push({
          file: mapping.file,
          path: `${path}.table`,
          message: `project ${catalog.key} has no issue type named "${chosen}" (available: ${available})`,
        });
      else if (match.level !== level)
        problems.push({
          file: mapping.file,
          path: `${path}.table`,
          message: `"${match.name}" is a level ${match.level} issue type in ${catalog.key}, but the rule's types are level ${level}`,
        });
    }
    if (name) {
      const match = catalog.issueTypes.find((t) => t.name.toLowerCase() === name.toLowerCase());
      if (!match)
        problems.push({
          file: mapping.file,
          path,
          message: `project ${catalog.key} has no issue type named "${name}" (available: ${available})`,
        });
      else if (match.level !== level)
        problems.push({
          file: mapping.file,
          path,
          message: `"${match.name}" is a level ${match.level} issue type in ${catalog.key}, but the rule says level ${level}`,
        });
      else resolved.set(rule.pbType, match);
      continue;
    }
    const atLevel = catalog.issueTypes.filter((t) => t.level === level);
    const preferred = (PREFERRED[level] ?? []).map((n) => atLevel.find((t) => t.name.toLowerCase() === n)).find(Boolean);
    const pick = preferred ?? atLevel[0];
    if (!pick)
      problems.push({
        file: mapping.file,
        path,
        message: `project ${catalog.key} has no level ${level} issue type (available: ${available})`,
      });
    else resolved.set(rule.pbType, pick);
  }
  return { resolved, problems };
}
