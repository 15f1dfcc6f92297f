import { pathToFileURL } from 'node:url';
import { startSandbox, type Sandbox, type SandboxOptions } from './index.js';
import { generateWorkspace, type GenerateWorkspaceOptions } from './productboard/generate-workspace.js';
import { PEOPLE_API_HELP } from './productboard/people-api.js';

// Standalone runner: starts the sandbox and prints the environment block the CLI needs, so a person can point
// `pb-jira-sync` at it from another shell. The CLI's `sandbox` command wires to serveSandbox().

export interface ServeSandboxOptions extends SandboxOptions {
  /** Generate a large synthetic workspace instead of the seed (ignored when `workspace` is given). */
  generate?: GenerateWorkspaceOptions;
  /** 'dotenv' prints KEY=value, 'shell' prints export KEY='value'. Default 'dotenv'. */
  format?: 'dotenv' | 'shell';
  /** Where lines go; default stdout. */
  print?: (line: string) => void;
}

export function formatEnv(env: Record<string, string>, format: 'dotenv' | 'shell' = 'dotenv'): string {
  return Object.entries(env)
    .map(([k, v]) => (format === 'shell' ? `export ${k}='${v.replaceAll("'", "'\\''")}'` : `${k}=${v}`))
    .join('\n');
}

export async function serveSandbox(opts: ServeSandboxOptions = {}): Promise<Sandbox> {
  const { generate, format, print, ...sandboxOptions } = opts;
  if (!sandboxOptions.workspace && generate) sandboxOptions.workspace = generateWorkspace(generate);
  const sandbox = await startSandbox(sandboxOptions);
  const out = print ?? ((line: string) => process.stdout.write(`${line}\n`));
  out('# pb-jira-sync sandbox is running (Productboard v2, Jira Cloud v3 and Slack simulators on 127.0.0.1)');
  out(`# Slack messages the webhook received, as JSON: GET ${sandbox.slack.messagesUrl}`);
  out(formatEnv(sandbox.env(), format));
  for (const line of peopleApiHelp()) out(line);
  return sandbox;
}

/** Comment lines (safe to `source` or `eval`) on changing Productboard by hand, to see what a sync or reconcile does. */
function peopleApiHelp(): string[] {
  const auth = '-H "Authorization: Bearer $PRODUCTBOARD_TOKEN"';
  return [
    '# Change Productboard by hand (as a product manager would), then run sync --dry-run or reconcile:',
    `#   curl -s ${auth} "$PRODUCTBOARD_API_URL/_sandbox/entities?type=feature"`,
    `#   curl -s ${auth} -H 'Content-Type: application/json' -d '{"name": "New name"}' "$PRODUCTBOARD_API_URL/_sandbox/entities/<id>/rename"`,
    ...PEOPLE_API_HELP.map((route) => `#   ${route}`),
  ];
}

// `node dist/src/sandbox/serve.js` runs it until Ctrl-C.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const sandbox = await serveSandbox();
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
