import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { describeError, isSyncError } from '../../errors.js';
import { silentLogger } from '../../log/logger.js';
import { loadMapping } from '../../mapping/load-mapping.js';
import { checkStatuses } from './validate-statuses.js';
import { resolveIssueTypes } from '../../mapping/resolve-issue-types.js';
import { displayPath } from '../../util/package-root.js';
import { scrubSecrets } from '../../util/secrets.js';
import { processContext, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';
import { formatProblem, type Problem } from '../../util/problems.js';

export interface ValidateOptions {
  config?: string;
  offline?: boolean;
}

/**
 * `pb-jira-sync validate [--config FILE] [--offline] [MAPPING...]`: checks the config, its mapping
 * and any other mapping files, and lists every problem with file and location (exit 1 if any).
 * When the files are valid and credentials are set, it also checks them against Jira (project,
 * issue types) and Productboard (token), reading only.
 */
export async function validateCommand(
  io: CliIo,
  options: ValidateOptions,
  mappingFiles: string[],
  interrupts?: Interrupts,
): Promise<number> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  const result = loadConfig({ configPath: options.config, env: io.env, cwd: io.cwd });
  if (!result.ok) problems.push(...result.problems);
  else checked.push(`${result.config.configFile} (mapping ${result.config.mapping.file})`);

  for (const file of mappingFiles) {
    const absolute = resolve(io.cwd, file);
    const mapping = loadMapping(absolute, displayPath(absolute, io.cwd));
    if (mapping.ok) checked.push(mapping.mapping.file);
    else problems.push(...mapping.problems);
  }

  const online: string[] = [];
  if (result.ok && problems.length === 0 && !options.offline) {
    const { config } = result;
    const { services } = processContext(config, silentLogger(), interrupts);
    try {
      const project = await services.jira.project();
      resolveIssueTypes(config.mapping, project);
      online.push(`Jira project ${project.key}: found, issue types resolved`);
    } catch (error) {
      online.push(`✗ ${scrubSecrets(describeError(error), config.secrets)}`);
      if (isSyncError(error)) problems.push({ file: config.configFile, path: 'jira', message: error.message });
    }
    try {
      // Reading the mapped types' configurations also proves the token.
      const statuses = await checkStatuses(config.mapping, services.sourceCatalog);
      online.push('Productboard: token accepted', ...statuses);
    } catch (error) {
      online.push(`✗ ${scrubSecrets(describeError(error), config.secrets)}`);
      if (isSyncError(error)) problems.push({ file: config.configFile, path: 'productboard', message: error.message });
    }
  }

  const warnings = result.ok ? result.config.warnings.map((w) => `warning ${formatProblem(w)}`) : [];
  if (problems.length === 0) {
    io.stdout([...checked.map((c) => `ok ${c}`), ...warnings, ...online].join('\n'));
    return 0;
  }
  const fileProblems = problems.filter((p) => p.path !== 'jira' && p.path !== 'productboard');
  io.stderr(
    [
      `${problems.length} problem${problems.length === 1 ? '' : 's'} found:`,
      ...fileProblems.map((p) => `  ${formatProblem(p)}`),
      ...online.map((line) => `  ${line}`),
    ].join('\n'),
  );
  return 1;
}
