import { resolve } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { describeError, isSyncError } from '../../errors.js';
import { silentLogger } from '../../log/logger.js';
import { CreateScreens } from '../../engine/create-screens.js';
import { loadMapping, type CompiledMapping } from '../../mapping/load-mapping.js';
import type { JiraReader, ProjectCatalog, SourceCatalog } from '../../model/ports.js';
import { optionProblems } from '../../engine/check-options.js';
import { resolveMappingContext } from '../../engine/mapping-context.js';
import type { EngineConfig } from '../../config/load-config.js';
import { matchIssueTypes } from '../../mapping/resolve-issue-types.js';
import { checkNativeLinks } from './validate-native.js';
import { checkStatuses } from './validate-statuses.js';
import { checkStatusBack, checkWriteBack } from './validate-write-back.js';
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
 * When the files are valid and credentials are set, it also checks every mapping given against Jira
 * (project, issue types, the create screen of each mapped type: required fields, labels, due date)
 * and Productboard (token), reading only.
 */
export async function validateCommand(
  io: CliIo,
  options: ValidateOptions,
  mappingFiles: string[],
  interrupts?: Interrupts,
): Promise<number> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  // `validate --offline FILE...` checks those files alone: no config, so no credentials and no
  // environment (a product manager drafting a mapping has neither). `--config` checks it too.
  const filesOnly = Boolean(options.offline) && mappingFiles.length > 0 && options.config === undefined;
  const result = filesOnly ? null : loadConfig({ configPath: options.config, env: io.env, cwd: io.cwd });
  if (result && !result.ok) problems.push(...result.problems);
  else if (result) checked.push(`${result.config.configFile} (mapping ${result.config.mapping.file})`);

  const mappings: CompiledMapping[] = result?.ok ? [result.config.mapping] : [];
  for (const file of mappingFiles) {
    const absolute = resolve(io.cwd, file);
    const mapping = loadMapping(absolute, displayPath(absolute, io.cwd));
    if (mapping.ok) {
      checked.push(mapping.mapping.file);
      if (!mappings.some((m) => m.file === mapping.mapping.file)) mappings.push(mapping.mapping);
    } else problems.push(...mapping.problems);
  }

  const online: string[] = [];
  const warnings: string[] = [];
  if (result?.ok && problems.length === 0 && !options.offline) {
    const { config } = result;
    const { services } = processContext(config, silentLogger(), interrupts);
    const jira = await checkJira(config, services.jira, services.sourceCatalog, mappings);
    problems.push(...jira.problems);
    warnings.push(...jira.warnings);
    online.push(jira.line);
    try {
      // Reading the mapped types' configurations also proves the token.
      const statuses = (await Promise.all(mappings.map((m) => checkStatuses(m, services.sourceCatalog)))).flat();
      online.push('Productboard: token accepted', ...statuses);
      for (const mapping of mappings) {
        const writeBack = await checkWriteBack(mapping, services.deliveryCatalog);
        const statusBack = await checkStatusBack(mapping, services.sourceCatalog);
        problems.push(...writeBack.problems, ...statusBack.problems);
        online.push(...writeBack.lines, ...statusBack.lines);
      }
      online.push(...(await checkNativeLinks(config, services.nativeLinks)));
    } catch (error) {
      online.push(`✗ ${scrubSecrets(describeError(error), config.secrets)}`);
      if (isSyncError(error)) problems.push({ file: config.configFile, path: 'productboard', message: error.message });
    }
  }

  warnings.unshift(...(result?.ok ? result.config.warnings.map(formatProblem) : []));
  const warningLines = warnings.map((w) => `warning ${w}`);
  if (problems.length === 0) {
    io.stdout([...checked.map((c) => `ok ${c}`), ...warningLines, ...online].join('\n'));
    return 0;
  }
  const fileProblems = problems.filter((p) => p.path !== 'jira' && p.path !== 'productboard');
  io.stderr(
    [
      `${problems.length} problem${problems.length === 1 ? '' : 's'} found:`,
      ...fileProblems.map((p) => `  ${formatProblem(p)}`),
      ...warningLines.map((line) => `  ${line}`),
      ...online.map((line) => `  ${line}`),
    ].join('\n'),
  );
  return 1;
}

/** Every mapping given, not only the config's: each against the project's issue types and create screens. */
async function checkJira(
  config: EngineConfig,
  jira: JiraReader,
  source: SourceCatalog,
  mappings: readonly CompiledMapping[],
): Promise<{ problems: Problem[]; warnings: string[]; line: string }> {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  try {
    const project = await jira.project();
    const screens = new CreateScreens(jira);
    for (const mapping of mappings) {
      const fitted = await fitMapping(mapping, project, screens, jira, source);
      problems.push(...fitted.problems);
      warnings.push(...fitted.warnings);
    }
    const fits = problems.length === 0;
    return {
      problems,
      warnings,
      line: `${fits ? '' : '✗ '}Jira project ${project.key}: found; issue types and create screens ${fits ? 'fit' : 'do not fit'}`,
    };
  } catch (error) {
    if (isSyncError(error)) problems.push({ file: config.configFile, path: 'jira', message: error.message });
    return { problems, warnings, line: `✗ ${scrubSecrets(describeError(error), config.secrets)}` };
  }
}

/** One mapping against the project: its issue types, then their create screens (problems located in the mapping file). */
async function fitMapping(
  mapping: CompiledMapping,
  project: ProjectCatalog,
  screens: CreateScreens,
  jira: JiraReader,
  source: SourceCatalog,
): Promise<{ problems: Problem[]; warnings: string[] }> {
  const { resolved: issueTypes, problems: typeProblems } = matchIssueTypes(mapping, project);
  if (typeProblems.length) return { problems: typeProblems, warnings: [] };
  // Version 2: the Jira fields and Productboard custom fields it names, then the options on both sides.
  const named = await resolveMappingContext(mapping, project, jira, source);
  if (named.problems.length) return { problems: named.problems, warnings: [] };
  const { problems, warnings } = await screens.check(mapping, issueTypes, undefined, named.context);
  problems.push(...(await optionProblems(mapping, issueTypes, named.context, named.sourceFields, screens)));
  return { problems, warnings };
}
