import { missingIntegration } from '../../model/connection.js';
import type { EngineConfig } from '../../config/load-config.js';
import type { PluginIntegrations } from '../../model/ports.js';
import type { Problem } from '../../util/problems.js';

/**
 * `validate`'s check of the plugin-integration column: the configured integration exists and is
 * enabled (a disabled one hides its column); when it does not exist, how to create it.
 */
export async function checkPluginIntegration(
  config: EngineConfig,
  plugins: PluginIntegrations,
): Promise<{ problems: Problem[]; warnings: string[]; lines: string[] }> {
  const configured = config.productboard.pluginIntegration;
  if (!configured) return { problems: [], warnings: [], lines: [] };
  const at = { file: config.configFile, path: 'productboard.pluginIntegration' };
  const found = await plugins.find(configured.ref);
  if (!found) return { problems: [{ ...at, message: missingIntegration(configured.ref) }], warnings: [], lines: [] };
  const line = `Productboard plugin integration "${found.name}" (${found.id}): ${found.enabled ? 'enabled' : 'disabled'}`;
  const warnings = found.enabled
    ? []
    : [
        `Productboard plugin integration "${found.name}" is disabled: its column is hidden and its buttons cannot be pressed (enable it in Productboard, or PATCH its integrationStatus; Productboard then probes \`serve\` at its action URL)`,
      ];
  return { problems: [], warnings, lines: [line] };
}
