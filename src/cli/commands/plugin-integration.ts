import { SyncError } from '../../errors.js';
import { silentLogger } from '../../log/logger.js';
import { processContext, requireConfig, type CliIo } from '../context.js';
import type { Interrupts } from '../interrupts.js';

/**
 * `pb-jira-sync plugin-integration create`: creates the configured integration with its action URL
 * and Authorization secret, never implicitly. Productboard probes the URL before it answers, so
 * `serve` must already be reachable there. Refuses when one with that name exists.
 */
export async function pluginIntegrationCommand(
  io: CliIo,
  action: string,
  options: { config?: string },
  interrupts: Interrupts,
): Promise<number> {
  if (action !== 'create') throw new SyncError('config', `unknown action "${action}" (expected: create)`);
  const config = requireConfig(io, options.config);
  const plugin = config.productboard.pluginIntegration;
  if (!plugin || !plugin.actionUrl || !('name' in plugin.ref))
    throw new SyncError(
      'config',
      'creating the plugin integration needs `productboard.pluginIntegration` with `name`, `actionUrl` (the public HTTPS address of `serve`) and `authorization`',
    );
  const { services } = processContext(config, silentLogger(), interrupts);
  const existing = await services.plugins.find(plugin.ref);
  if (existing) {
    io.stdout(`Productboard plugin integration "${existing.name}" exists already (${existing.id}): nothing created.`);
    return 0;
  }
  const created = await services.plugins.create({ name: plugin.name, actionUrl: plugin.actionUrl, authorization: plugin.authorization });
  io.stdout(
    `Created Productboard plugin integration "${created.name}" (${created.id}); Productboard's probe of ${plugin.actionUrl} succeeded.`,
  );
  return 0;
}
