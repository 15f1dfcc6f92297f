import { z } from 'zod';
import { DELIVERY_VALUES, type DeliveryValueName, type JiraStatus } from '../model/delivery.js';
import { STATUS_CATEGORIES, type StatusCategory } from '../model/status.js';
import { statusKey } from './status-table.js';

// The `writeBack` section of a mapping (mappings/README.md, "Delivery back into Productboard"): the
// Productboard custom fields that show each synced item's Jira issue, its status and its progress,
// and, opt-in per rule, the Productboard status Jira's status sets. Kept apart from the rest of the
// schema: it speaks of Productboard's fields, not of Jira's.

/** A Productboard custom field, by the name people see or by its id (a UUID). */
const fieldRef = z.string().trim().min(1);
const pbStatus = z.string().trim().min(1);

/**
 * Jira → Productboard status for one rule: by Jira status category, and (winning over the
 * category) by Jira status name, whatever its case. A Jira status neither names leaves
 * Productboard's status alone.
 */
const statusBackSchema = z
  .strictObject({
    categories: z
      .strictObject(
        Object.fromEntries(STATUS_CATEGORIES.map((c) => [c, pbStatus.optional()])) as Record<
          StatusCategory,
          z.ZodOptional<typeof pbStatus>
        >,
      )
      .optional(),
    names: z.record(z.string().trim().min(1), pbStatus).optional(),
  })
  .refine((s) => Object.keys(s.categories ?? {}).length + Object.keys(s.names ?? {}).length > 0, {
    message: 'map at least one Jira status category or name to a Productboard status',
  });

export const writeBackSchema = z
  .strictObject({
    fields: z
      .strictObject({
        /** A text field: the issue key (`ENG-42`). */
        jiraKey: fieldRef.optional(),
        /** A text field: the address (`https://<site>/browse/ENG-42`). */
        jiraLink: fieldRef.optional(),
        /** A text field: the Jira status name (`In Review`). */
        jiraStatus: fieldRef.optional(),
        /** A number field: percent done, rolled up level by level from the Jira tree (weighted by `storyPoints` when named). */
        progress: fieldRef.optional(),
        /** A number field: the item's story points, its issue's own estimate or else the sum of its children's. */
        storyPoints: fieldRef.optional(),
      })
      .default({}),
    /**
     * The Jira number field that holds story points (by name, `Story point estimate`, or id,
     * `customfield_10016`): read with the managed issues, it weights progress and fills `fields.storyPoints`.
     */
    storyPoints: z.string().trim().min(1).optional(),
    /** Status back, per rule (keyed by its Productboard type): Jira's status sets Productboard's. */
    status: z.record(z.string(), statusBackSchema).optional(),
  })
  .refine((w) => Object.values(w.fields).some(Boolean) || Object.keys(w.status ?? {}).length > 0, {
    message: 'name at least one field (jiraKey, jiraLink, jiraStatus, progress, storyPoints) or a status table',
  })
  .refine((w) => !w.fields.storyPoints || w.storyPoints, {
    path: ['fields', 'storyPoints'],
    message:
      'story points are read from Jira: name the Jira field that holds them with `writeBack.storyPoints` (team-managed projects: "Story point estimate"; company-managed: "Story Points")',
  })
  .describe('write-back');

export type WriteBackSpec = z.infer<typeof writeBackSchema>;

/** One rule's Jira → Productboard status table. */
export class StatusBackTable {
  private readonly byName: Map<string, string>;

  constructor(
    readonly byCategory: Readonly<Partial<Record<StatusCategory, string>>>,
    names: Readonly<Record<string, string>>,
  ) {
    this.byName = new Map(Object.entries(names).map(([jira, pb]) => [statusKey(jira), pb]));
  }

  /** The Productboard status a Jira status stands for (its name first, then its category); undefined: none. */
  pbStatusFor(jira: JiraStatus): string | undefined {
    return (
      (jira.name === null ? undefined : this.byName.get(statusKey(jira.name))) ??
      (jira.category ? this.byCategory[jira.category] : undefined)
    );
  }

  /** Every Productboard status the table can write (what `validate` checks against the workspace). */
  pbStatuses(): string[] {
    return [...new Set([...Object.values(this.byCategory), ...this.byName.values()])];
  }
}

export interface CompiledWriteBack {
  /** The Productboard field (name or id) each value goes to; only the values the mapping names a field for. */
  fields: Partial<Record<DeliveryValueName, string>>;
  /** Jira's story points field as the mapping names it (name or id, resolved per pass); absent: progress counts issues. */
  storyPoints?: string;
  /** Status back, by Productboard type: only the rules that opted in. */
  status: ReadonlyMap<string, StatusBackTable>;
}

export const compileWriteBack = (spec: WriteBackSpec | undefined): CompiledWriteBack | null =>
  spec
    ? {
        fields: Object.fromEntries(DELIVERY_VALUES.flatMap((k) => (spec.fields[k] ? [[k, spec.fields[k]]] : []))),
        ...(spec.storyPoints ? { storyPoints: spec.storyPoints } : {}),
        status: new Map(
          Object.entries(spec.status ?? {}).map(([type, s]) => [type, new StatusBackTable(definedOnly(s.categories ?? {}), s.names ?? {})]),
        ),
      }
    : null;

const definedOnly = <T>(record: Partial<Record<StatusCategory, T | undefined>>): Partial<Record<StatusCategory, T>> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<Record<StatusCategory, T>>;

/** `writeBack.status` keys that name no rule: each a message for its path. */
export const unknownStatusRules = (
  spec: WriteBackSpec | undefined,
  ruleTypes: readonly string[],
): Array<{ type: string; message: string }> =>
  Object.keys(spec?.status ?? {})
    .filter((type) => !ruleTypes.includes(type))
    .map((type) => ({
      type,
      message: `no rule maps "${type}" (mapped: ${ruleTypes.join(', ')}); status back is set per rule, by its \`from\` type`,
    }));
