import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import type { CliIo } from '../../src/cli/context.js';
import { buildModelWorkspace, deliveryModelJira, type Sandbox } from '../../src/sandbox/index.js';
import { repoPath } from '../helpers/builders.js';
import { startCheckedSandbox } from '../helpers/checked-sandbox.js';

// `validate` for mapping version 2: offline with no credentials and no environment at all, and online against a Jira
// and a Productboard that run the seeds' models.

const SHIPPED = ['mappings/workflow-hierarchy.yaml', 'mappings/product-delivery-flow.yaml', 'mappings/value-streams.yaml'];

let dir: string | undefined;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await sandbox?.close();
  dir = undefined;
  sandbox = undefined;
});

function io(env: Record<string, string>): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: repoPath('.') };
}

/** A mapping file in a scratch directory: the shipped product delivery flow with one replacement. */
function variant(name: string, from: string, to: string, base = 'mappings/product-delivery-flow.yaml'): string {
  dir ??= mkdtempSync(join(tmpdir(), 'pbjs-validate-'));
  const text = readShipped(base);
  if (!text.includes(from)) throw new Error(`${from} is not in ${base}`);
  const file = join(dir, name);
  writeFileSync(file, text.replace(from, to));
  return file;
}
const readShipped = (file: string): string => readFileSync(repoPath(file), 'utf8');

/** The shipped config, its own mapping a shipped version 2 one (the default mapping does not fill the Epic Name this site requires). */
function config(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'pbjs-validate-'));
  const file = join(dir, 'config.yaml');
  const text = readShipped('config/default.yaml').replace('mapping: ../mappings/default.yaml', `mapping: ${repoPath(SHIPPED[0]!)}`);
  writeFileSync(file, text);
  return file;
}

describe('issue 11: validate --offline FILE...', () => {
  it('needs no credentials and no environment: the shipped mappings, version 1 and 2, are ok', async () => {
    const cli = io({});
    const code = await validateCommand(cli, { offline: true }, [...SHIPPED, 'mappings/default.yaml', 'mappings/feature-as-epic.yaml']);
    expect(cli.err.join('\n')).toBe('');
    expect(code).toBe(0);
    for (const file of SHIPPED) expect(cli.out.join('\n')).toContain(`ok ${file}`);
  });

  it('names every internal inconsistency with its place: an unreachable parent, an unknown source in a template, an unknown table', async () => {
    const unreachable = variant('unreachable.yaml', 'parent: { rule: feature, via: parent }', 'parent: { rule: initiative, via: parent }');
    const template = variant('template.yaml', '"[{{fields.Impact}}] {{name}}"', '"[{{impact}}] {{name}}"');
    const table = variant('table.yaml', 'table: lowMediumHigh, default: Medium', 'table: lmh, default: Medium');
    const cli = io({});
    const code = await validateCommand(cli, { offline: true }, [unreachable, template, table]);
    expect(code).toBe(1);
    const text = cli.err.join('\n');
    expect(text).toMatch(/unreachable\.yaml:\d+:\d+: rules\[2\]\.jira\.parent\.rule: .*level/);
    expect(text).toMatch(
      /unreachable\.yaml:\d+:\d+: rules\[2\]\.jira\.parent\.via: a subfeature never reaches an initiative through `parent` in Productboard: use via: link/,
    );
    expect(text).toMatch(/template\.yaml:\d+:\d+: rules\[1\]\.fields\.summary\.template: \{\{impact\}\}: "impact" is not a source/);
    expect(text).toMatch(/table\.yaml:\d+:\d+: rules\[1\]\.jira\.fields\.Priority\.table: no value table named "lmh"/);
  });
});

describe('issue 11: validate (online) checks every file against Jira and Productboard', () => {
  const start = async () => {
    sandbox = await startCheckedSandbox({ workspace: buildModelWorkspace(), jira: deliveryModelJira() });
    return io({ ...sandbox.env() });
  };

  it('the shipped mappings fit a site that runs the seeds models', async () => {
    const cli = await start();
    const code = await validateCommand(cli, { config: config() }, SHIPPED);
    expect(cli.err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(cli.out.join('\n')).toContain('issue types and create screens fit');
  });

  it('names an unknown Jira field and an unknown Productboard field, with file and rule', async () => {
    const cli = await start();
    const jiraField = variant(
      'jira-field.yaml',
      'Demand: { from: insights.count, table: demand }',
      'Demandz: { from: insights.count, table: demand }',
    );
    const pbField = variant(
      'pb-field.yaml',
      'Effort: { from: fields.Effort, table: lowMediumHigh }',
      'Effort: { from: fields.Effortz, table: lowMediumHigh }',
    );
    expect(await validateCommand(cli, { config: config() }, [jiraField, pbField])).toBe(1);
    const text = cli.err.join('\n');
    expect(text).toContain('jira-field.yaml: rules[1].jira.fields["Demandz"]: Jira has no field "Demandz"');
    expect(text).toContain(
      'pb-field.yaml: rules[1]: Productboard has no feature field "Effortz" (feature fields: Impact, Strategic alignment, Effort',
    );
  });

  it('checks option names on both sides: a table value Jira does not list, a Productboard option a table does not convert', async () => {
    const cli = await start();
    const jiraSide = variant(
      'jira-option.yaml',
      'Priority: { from: fields.Impact, table: lowMediumHigh, default: Medium }',
      'Priority: { from: fields.Impact, table: { Low: Low, Medium: Medium, High: Urgent } }',
    );
    const pbSide = variant(
      'pb-option.yaml',
      'Effort: { from: fields.Effort, table: lowMediumHigh }',
      'Effort: { from: fields.Effort, table: { Low: Low, High: High } }',
    );
    expect(await validateCommand(cli, { config: config() }, [jiraSide, pbSide])).toBe(1);
    const text = cli.err.join('\n');
    expect(text).toContain(
      `jira-option.yaml: rules[1].jira.fields["Priority"]: "Urgent" is not an option of Jira's Priority (options: Highest, High, Medium, Low, Lowest)`,
    );
    expect(text).toContain(
      `pb-option.yaml: rules[1].jira.fields["Effort"]: Productboard's feature field "Effort" has the option "Med", which the table does not convert`,
    );
  });

  it('an issue type a field chooses that the project lacks, or at another level, is named', async () => {
    const cli = await start();
    const file = variant(
      'types.yaml',
      'table: { Backlog item: Backlog item, Spike: Spike, Bug: Bug }',
      'table: { Backlog item: Backlog item, Spike: Research, Bug: Epic }',
      'mappings/workflow-hierarchy.yaml',
    );
    expect(await validateCommand(cli, { config: config() }, [file])).toBe(1);
    const text = cli.err.join('\n');
    expect(text).toContain('types.yaml: rules[2].jira.issueType.table: project PBJ has no issue type named "Research"');
    expect(text).toContain(
      `types.yaml: rules[2].jira.issueType.table: "Epic" is a level 1 issue type in PBJ, but the rule's types are level 0`,
    );
  });
});
