import { describe, expect, it } from 'vitest';
import { formatEnv, serveSandbox } from '../../src/sandbox/serve.js';

describe('serveSandbox', () => {
  it('starts the sandbox and prints the env block the CLI needs', async () => {
    const lines: string[] = [];
    const sb = await serveSandbox({
      print: (l) => lines.push(l),
      generate: { initiatives: 2, features: 5, subfeatures: 1, notes: 3, seed: 1 },
    });
    try {
      const printed = lines.join('\n');
      for (const key of [
        'PRODUCTBOARD_API_URL',
        'PRODUCTBOARD_TOKEN',
        'JIRA_HOST',
        'JIRA_EMAIL',
        'JIRA_API_TOKEN',
        'JIRA_PROJECT',
        'SLACK_WEBHOOK_URL',
      ]) {
        expect(printed).toContain(`${key}=${sb.env()[key]}`);
      }
      expect(sb.productboard.state.list('feature')).toHaveLength(5);
      expect(formatEnv({ A: "it's" }, 'shell')).toBe(`export A='it'\\''s'`);
    } finally {
      await sb.close();
    }
  });
});
