import type { CompiledMapping } from '../../mapping/load-mapping.js';
import { DELIVERY_VALUES, type DeliveryValueName } from '../../model/delivery.js';
import type { DeliveryCatalog, SourceCatalog } from '../../model/ports.js';
import { statusKey } from '../../mapping/status-table.js';
import type { Problem } from '../../util/problems.js';

/** The Productboard field type each delivery value needs. */
const NEEDED_KIND: Record<DeliveryValueName, 'text' | 'number'> = {
  jiraKey: 'text',
  jiraLink: 'text',
  jiraStatus: 'text',
  progress: 'number',
  storyPoints: 'number',
};

const KIND_LABEL = { text: 'Text', number: 'Number' } as const;

/**
 * `validate`'s check of the mapping's `writeBack`: each field it names exists on every mapped
 * Productboard type, with a type that can hold the value (text for key, link and status, number
 * for progress and story points); when one does not, how to create it. One line per field when all is well.
 */
export async function checkWriteBack(
  mapping: CompiledMapping,
  catalog: DeliveryCatalog,
): Promise<{ problems: Problem[]; lines: string[] }> {
  const problems: Problem[] = [];
  const lines: string[] = [];
  const writeBack = mapping.writeBack;
  if (!writeBack) return { problems, lines };
  const types = [...mapping.rules.keys()];
  const fieldsByType = new Map(await Promise.all(types.map(async (type) => [type, await catalog.fields(type)] as const)));
  for (const value of DELIVERY_VALUES) {
    const ref = writeBack.fields[value];
    if (ref === undefined) continue;
    const kind = NEEDED_KIND[value];
    const at = { file: mapping.file, path: `writeBack.fields.${value}` };
    const missing: string[] = [];
    for (const type of types) {
      const field = fieldsByType.get(type)!.find((f) => f.id === ref || f.name === ref);
      if (!field) missing.push(type);
      else if (field.kind !== kind)
        problems.push({
          ...at,
          message: `Productboard's "${field.name}" on ${type}s is a ${field.kind} field; ${value} needs a ${kind} field`,
        });
    }
    if (missing.length)
      problems.push({
        ...at,
        message: `Productboard has no field "${ref}" on ${missing.join(', ')} entities: create a ${KIND_LABEL[kind]} custom field named "${ref}" (Productboard → Settings → Data → Custom fields) and add it to ${missing.join(', ')}s, or name an existing one`,
      });
    else if (!problems.some((p) => p.path === at.path))
      lines.push(`Productboard field "${ref}" (${value}): ${kind} on ${types.join(', ')}`);
  }
  return { problems, lines };
}

/**
 * `validate`'s check of status back (`writeBack.status`): every Productboard status a rule's table
 * can write exists among that type's statuses (its configuration), whatever its case; one line per
 * rule when all do.
 */
export async function checkStatusBack(mapping: CompiledMapping, catalog: SourceCatalog): Promise<{ problems: Problem[]; lines: string[] }> {
  const problems: Problem[] = [];
  const lines: string[] = [];
  for (const [type, table] of mapping.writeBack?.status ?? []) {
    const at = { file: mapping.file, path: `writeBack.status.${type}` };
    const names = (await catalog.statusNames(type)) ?? [];
    const known = new Set(names.map(statusKey));
    const unknown = table.pbStatuses().filter((name) => !known.has(statusKey(name)));
    if (unknown.length)
      problems.push({
        ...at,
        message: `Productboard's ${type}s have no status ${unknown.map((n) => `"${n}"`).join(', ')} (they have: ${names.map((n) => `"${n}"`).join(', ') || 'no status field'})`,
      });
    else
      lines.push(
        `Status back on ${type}s: Jira → ${table
          .pbStatuses()
          .map((n) => `"${n}"`)
          .join(', ')} (each a status Productboard's ${type}s have)`,
      );
  }
  return { problems, lines };
}
