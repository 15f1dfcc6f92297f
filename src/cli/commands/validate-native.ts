import type { EngineConfig } from '../../config/load-config.js';
import type { NativeLinkReader } from '../../model/ports.js';

/**
 * `validate`'s count of what Productboard's own Jira integration will give the first sync: items
 * linked to issues of the project (adopted instead of created) and links elsewhere (created anew,
 * with a warning). One line; none when adoption is off or no integration links anything.
 */
export async function checkNativeLinks(config: EngineConfig, reader: NativeLinkReader): Promise<string[]> {
  if (config.sync.adoptNativeJira === 'off') return [];
  const links = await reader.read();
  if (links.unavailable) return [`warning Productboard's Jira integration: ${links.unavailable}`];
  if (links.byPbId.size === 0) return [];
  const project = config.jira.project;
  const inProject = [...links.byPbId.values()].filter((l) => l.issueKey.startsWith(`${project}-`)).length;
  const elsewhere = links.byPbId.size - inProject;
  return [
    `Productboard's Jira integration (${links.integrations.join(', ')}): ${inProject} linked ${inProject === 1 ? 'item' : 'items'} to issues of ${project}, adopted instead of created when first synced` +
      (elsewhere ? `; ${elsewhere} linked outside ${project} (created anew, with a warning)` : ''),
  ];
}
