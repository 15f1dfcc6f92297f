import { z } from 'zod';
import { SyncError } from '../errors.js';
import type { CompiledMapping } from '../mapping/load-mapping.js';
import type { DesiredTree } from '../model/desired.js';
import type { ObservedTree } from '../model/observed.js';
import type { Plan } from '../model/plan.js';
import type { ItemInputs, SavedAction, SavedPlan } from '../model/saved-plan.js';
import type { SourceGraph } from '../model/source.js';
import { canonicalJson, fingerprintOf } from '../util/canonical-json.js';
import { formatPath } from '../util/problems.js';

// The plan file of `sync --dry-run --out FILE`, read back by `sync --plan FILE`: the complete plan
// (every action with its payload) and what each action was computed from. Documented by
// docs/schemas/plan-file.schema.json (tests validate saved plans against it); read back with zod.

export const PLAN_FILE_SCHEMA_VERSION = 1;

/** What a plan was computed from: both systems as read, the mapping, the project, and the issues the mapping made of the items. */
export interface PlanSources {
  project: string;
  mapping: CompiledMapping;
  graph: SourceGraph;
  desired: DesiredTree;
  observed: ObservedTree;
}

/** The mapping's rules as compiled: a comment or a reordering of keys does not change it, a rule does. */
export const mappingHash = (mapping: CompiledMapping): string => fingerprintOf({ rules: mapping.rules, order: mapping.order });

/**
 * What each item of a plan was computed from, looked up by Productboard id. The Productboard side
 * is the issue the mapping made of the item (name, description and the insights it lists, status,
 * parent, tags, mapped fields), not the item as read: a value a sync writes back (its Jira key,
 * status, progress) or any field the mapping does not read changes the item's `updatedAt` but not
 * what the plan depends on. `updatedAt` is kept only to say when a real change happened.
 */
export function inputsIndex(sources: PlanSources, plan: Pick<Plan, 'existing'>): (pbId: string) => ItemInputs {
  const issueOf = (pbId: string) => {
    const known = plan.existing.get(pbId);
    if (known) return sources.observed.byId.get(known.jiraId);
    return sources.observed.byPbId.get(pbId)?.[0];
  };
  return (pbId) => {
    const item = sources.graph.items.get(pbId);
    const issue = issueOf(pbId);
    return {
      // Null in the hash: the item is read but no longer synced (archived, unparented...).
      productboard: item ? { updatedAt: item.updatedAt, hash: fingerprintOf(sources.desired.issues.get(pbId) ?? null) } : null,
      jira: issue ? { key: issue.key, hash: fingerprintOf(issue) } : null,
    };
  };
}

/** The plan as a file: every action with its payload, and what each was computed from. */
export function savedPlanOf(plan: Plan, sources: PlanSources, run: { runId: string; createdAt: number }): SavedPlan {
  const inputs = inputsIndex(sources, plan);
  const named = new Set(plan.actions.flatMap((a) => (a.parentPbId ? [a.pbId, a.parentPbId] : [a.pbId])));
  return {
    schemaVersion: PLAN_FILE_SCHEMA_VERSION,
    createdAt: new Date(run.createdAt).toISOString(),
    runId: run.runId,
    project: sources.project,
    mapping: { file: sources.mapping.file, hash: mappingHash(sources.mapping) },
    counts: plan.counts,
    // Through JSON, as the file will hold it: what is compared later is what was saved.
    actions: JSON.parse(JSON.stringify(plan.actions)) as SavedAction[],
    additions: [...(plan.additions ?? [])],
    existing: Object.fromEntries([...plan.existing].filter(([pbId]) => named.has(pbId))),
    inputs: Object.fromEntries([...new Set(plan.actions.map((a) => a.pbId))].map((pbId) => [pbId, inputs(pbId)])),
  };
}

const side = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).nullable();
const ACTION_KINDS = ['create', 'adopt', 'update', 'move', 'skip'] as const;

/**
 * The file's shape. Actions are checked for what identifies them; their payload is compared with
 * the plan computed again, member for member, so a payload edited by hand is refused as changed.
 */
export const planFileSchema = z.strictObject({
  schemaVersion: z.literal(PLAN_FILE_SCHEMA_VERSION),
  createdAt: z.iso.datetime(),
  runId: z.string().min(1),
  project: z.string().min(1),
  mapping: z.strictObject({ file: z.string(), hash: z.string().min(1) }),
  counts: z.strictObject(
    Object.fromEntries(ACTION_KINDS.map((k) => [k, z.number().int().min(0)])) as Record<(typeof ACTION_KINDS)[number], z.ZodNumber>,
  ),
  actions: z.array(
    z.looseObject({
      kind: z.enum(ACTION_KINDS),
      pbId: z.string(),
      pbType: z.string(),
      name: z.string(),
      depth: z.number().int(),
      parentPbId: z.string().nullable(),
    }),
  ),
  additions: z.array(z.strictObject({ kind: z.enum(['component', 'version']), name: z.string() })).optional(),
  existing: z.record(z.string(), z.strictObject({ jiraId: z.string(), jiraKey: z.string() })),
  inputs: z.record(
    z.string(),
    z.strictObject({
      productboard: side({ updatedAt: z.string(), hash: z.string() }),
      jira: side({ key: z.string(), hash: z.string() }),
    }),
  ),
});

/** Reads a plan file's text; anything but a plan file of this version is a `config` error naming the file and what is wrong. */
export function parsePlanFile(text: string, file: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SyncError('config', `${file} is not a plan file: ${(error as Error).message}`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== PLAN_FILE_SCHEMA_VERSION)
    throw new SyncError(
      'config',
      `${file} is a plan file of schema version ${version}; this pb-jira-sync reads version ${PLAN_FILE_SCHEMA_VERSION}: save the plan again`,
    );
  const parsed = planFileSchema.safeParse(data);
  if (!parsed.success)
    throw new SyncError('config', `${file} is not a plan file saved by \`sync --dry-run --out\``, {
      details: parsed.error.issues.slice(0, 10).map((issue) => `${formatPath(issue.path) || '(top)'}: ${issue.message}`),
    });
  return parsed.data as SavedPlan;
}

/** The text of a plan file: indented for people who review it, compact beyond a few thousand actions. */
export const planFileText = (saved: SavedPlan): string =>
  `${saved.actions.length > 2000 ? JSON.stringify(saved) : JSON.stringify(saved, null, 2)}\n`;

/** Two actions are the same when their canonical JSON is: the saved one as read, the fresh one as it would be saved. */
export const sameAction = (saved: SavedAction, fresh: unknown): boolean =>
  canonicalJson(saved) === canonicalJson(JSON.parse(JSON.stringify(fresh)));
