import { writeFileSync } from 'node:fs';
import { startSandbox } from '../../sandbox/index.js';
import type { CliIo } from '../context.js';

/**
 * `pb-jira-sync sandbox`: runs the simulators until interrupted and prints the environment that
 * points the CLI at them, e.g. `eval "$(npx pb-jira-sync sandbox --port-file /tmp/sb.env &)"`.
 */
export async function sandboxCommand(io: CliIo, options: { portFile?: string }): Promise<number> {
  const sandbox = await startSandbox();
  const lines = Object.entries(sandbox.env()).map(([name, value]) => `export ${name}='${value}'`);
  io.stdout(['# pb-jira-sync sandbox is running; in another shell:', ...lines, '# Ctrl-C stops it.'].join('\n'));
  if (options.portFile) writeFileSync(options.portFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandbox.close();
  return 0;
}
