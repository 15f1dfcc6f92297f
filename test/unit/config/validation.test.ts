import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { compileMappingSource, loadMapping } from '../../../src/mapping/load-mapping.js';
import { repoPath } from '../../helpers/builders.js';
import { formatProblem } from '../../../src/util/problems.js';
import { parseLocatedYaml } from '../../../src/util/located-yaml.js';

const compile = (yaml: string) => compileMappingSource(parseLocatedYaml(yaml, 'mappings/custom.yaml'));
const problemsOf = (yaml: string) => {
  const result = compile(yaml);
  return result.ok ? [] : result.problems.map(formatProblem);
};

const VALID = `version: 1
rules:
  - from: initiative
    jira:
      issueType: { level: 1 }
  - from: feature
    jira:
      issueType: { level: 0 }
      parent: { rule: initiative, via: link }
`;

describe('mapping validation', () => {
  it('accepts both shipped mappings', () => {
    for (const name of ['default', 'feature-as-epic']) {
      const result = loadMapping(repoPath(`mappings/${name}.yaml`), `mappings/${name}.yaml`);
      expect(result.ok, JSON.stringify(!result.ok && result.problems)).toBe(true);
    }
  });

  it('names file, line, path and the key a typo probably meant', () => {
    const problems = problemsOf(VALID.replace('      issueType: { level: 0 }', '      isuetype: { level: 0 }'));
    expect(problems).toContain('mappings/custom.yaml:8:7: rules[1].jira: unknown key "isuetype" (did you mean "issueType"?)');
  });

  it('lists every problem at once, not just the first', () => {
    const yaml = `version: 1
rules:
  - from: initiatve
    jira:
      issueType: { level: 1, colour: red }
  - from: feature
    jira:
      issueType: { level: 0 }
      parent: { rule: initiative, via: sideways }
fields:
  sumary: { from: name }
`;
    const problems = problemsOf(yaml);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/rules\[0\]\.from: Invalid option/);
    expect(problems.join('\n')).toContain('rules[0].jira.issueType: unknown key "colour"');
    expect(problems.join('\n')).toMatch(/rules\[1\]\.jira\.parent\.via: Invalid option/);
    expect(problems.join('\n')).toContain('fields: unknown key "sumary" (did you mean "summary"?)');
  });

  it('checks the hierarchy: a parent rule must exist and sit one Jira level up', () => {
    const missing = problemsOf(VALID.replace('rule: initiative', 'rule: objective'));
    expect(missing).toEqual([expect.stringContaining('rules[1].jira.parent.rule: no rule maps "objective"')]);
    const wrongLevel = problemsOf(VALID.replace('issueType: { level: 1 }', 'issueType: { level: 0 }'));
    expect(wrongLevel).toEqual([
      expect.stringContaining('parent "initiative" maps to level 0, but a level 0 issue needs a level 1 parent'),
    ]);
  });

  it('rejects a sub-task rule without a parent and a status listed in two categories', () => {
    const problems = problemsOf(`version: 1
rules:
  - from: subfeature
    jira: { issueType: { level: -1 } }
fields:
  status:
    from: status
    categories: { new: [Planned], done: [Planned] }
`);
    expect(problems.join('\n')).toContain('needs a `parent` rule');
    expect(problems.join('\n')).toContain('"Planned" is also listed under new');
  });

  it('issue 9 §6: jira.fields takes constants and { from: … }; a bad source, an extra key or a field the sync owns is located', () => {
    const withFields = (fields: string) =>
      VALID.replace('      issueType: { level: 1 }', `      issueType: { level: 1 }\n      fields:\n${fields}`);
    const ok = compile(
      withFields('        Epic Name: { from: name }\n        customfield_10100: { value: Adaptive }\n        Story Points: 3'),
    );
    expect(ok.ok && [...ok.mapping.rules.get('initiative')!.jiraFields]).toEqual([
      ['Epic Name', { kind: 'from', source: 'name' }],
      ['customfield_10100', { kind: 'value', value: { value: 'Adaptive' } }],
      ['Story Points', { kind: 'value', value: 3 }],
    ]);
    const problems = problemsOf(
      withFields(
        '        Epic Name: { from: title }\n        Team: { from: name, default: x }\n        Summary: Fixed\n        Flagged: null',
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /rules\[0\]\.jira\.fields\.Epic Name: from: must be one of name, timeframe\.startDate, timeframe\.endDate \(got "title"\)/,
      ),
      expect.stringMatching(/rules\[0\]\.jira\.fields\.Team: \{ from: … \} takes no other key \(got default\)/),
      expect.stringMatching(/rules\[0\]\.jira\.fields\.Flagged: null sets nothing/),
    ]);
    expect(problemsOf(withFields('        Summary: Fixed'))).toEqual([
      expect.stringContaining('rules[0].jira.fields.Summary: "Summary" is written by the sync itself'),
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problemsOf('version: 1\nrules: [\n')[0]).toMatch(/^mappings\/custom\.yaml:\d+:\d+: /);
  });
});

describe('config loading', () => {
  const env = {
    PRODUCTBOARD_TOKEN: 'pb-token-123456',
    JIRA_HOST: 'https://acme.atlassian.net',
    JIRA_EMAIL: 'bot@acme.example',
    JIRA_API_TOKEN: 'jira-token-123456',
    JIRA_PROJECT: 'PBJ',
  };

  it('reads the shipped default config from the environment', () => {
    const result = loadConfig({ env, cwd: '/tmp' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.productboard.apiUrl).toBe('https://api.productboard.com');
    expect(result.config.ledgerPath).toBe('/tmp/data/ledger.sqlite');
    // The Basic header Jira receives is a secret too: a server may echo it back.
    const basic = Buffer.from(`${env.JIRA_EMAIL}:jira-token-123456`).toString('base64');
    expect(result.config.secrets).toEqual(['pb-token-123456', 'jira-token-123456', basic]);
    expect(result.config.mapping.file).toMatch(/mappings\/default\.yaml$/);
  });

  it('lists every missing environment variable with its place in the config', () => {
    const result = loadConfig({ env: { JIRA_PROJECT: 'PBJ' }, cwd: '/tmp' });
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    for (const name of ['PRODUCTBOARD_TOKEN', 'JIRA_HOST', 'JIRA_EMAIL', 'JIRA_API_TOKEN']) {
      expect(lines.some((l) => l.includes(`environment variable ${name} is not set`))).toBe(true);
    }
    expect(lines).toHaveLength(4);
  });

  it('refuses plain http to a host that is not loopback', () => {
    const result = loadConfig({ env: { ...env, JIRA_HOST: 'http://jira.internal.example' }, cwd: '/tmp' });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      expect.stringContaining('jira.host: plain http:// to jira.internal.example would send credentials unencrypted'),
    ]);
    expect(loadConfig({ env: { ...env, JIRA_HOST: 'http://127.0.0.1:8080' }, cwd: '/tmp' }).ok).toBe(true);
  });

  it('reads secrets from files the config names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbjs-config-'));
    writeFileSync(join(dir, 'pb.token'), 'file-token-abcdef\n');
    writeFileSync(
      join(dir, 'config.yaml'),
      `productboard: { token: { file: pb.token } }
jira: { host: "https://acme.atlassian.net", email: a@b.c, apiToken: { file: missing.token }, project: PBJ }
mapping: ${repoPath('mappings/default.yaml')}
`,
    );
    const result = loadConfig({ configPath: join(dir, 'config.yaml'), env: {}, cwd: dir });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      expect.stringContaining('jira.apiToken.file: cannot read secret file missing.token: ENOENT'),
    ]);
  });
});

describe('writeBack.storyPoints', () => {
  it('reads naturally beside the fields, in both versions; compiled with the Jira field as named', () => {
    const result = compile(`${VALID}writeBack:
  storyPoints: Story point estimate
  fields:
    progress: Delivery progress
    storyPoints: Story points
`);
    expect(result.ok && result.mapping.writeBack).toMatchObject({
      storyPoints: 'Story point estimate',
      fields: { progress: 'Delivery progress', storyPoints: 'Story points' },
    });
  });

  it('version 2 carries it the same way', () => {
    const result = compile(`${VALID.replace('version: 1', 'version: 2')}writeBack:
  storyPoints: customfield_10016
  fields: { storyPoints: Story points }
`);
    expect(result.ok, JSON.stringify(!result.ok && result.problems)).toBe(true);
    expect(result.ok && result.mapping.writeBack).toMatchObject({
      storyPoints: 'customfield_10016',
      fields: { storyPoints: 'Story points' },
    });
  });

  it('refuses fields.storyPoints without the Jira field to read them from, located, saying what to name', () => {
    const problems = problemsOf(`${VALID}writeBack:
  fields:
    storyPoints: Story points
`);
    expect(problems).toEqual([
      expect.stringMatching(
        /^mappings\/custom\.yaml:\d+:\d+: writeBack\.fields\.storyPoints: story points are read from Jira: name the Jira field that holds them with `writeBack\.storyPoints` \(team-managed projects: "Story point estimate"; company-managed: "Story Points"\)$/,
      ),
    ]);
    expect(problemsOf(`${VALID}writeBack:\n  storyPoints: ""\n  fields: { progress: Delivery progress }\n`)).toEqual([
      expect.stringContaining('writeBack.storyPoints:'),
    ]);
  });
});
