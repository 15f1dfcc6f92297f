import { z } from 'zod';
import { writeBackSchema } from './write-back.js';

// The mapping file format (documented in mappings/README.md). Strict everywhere: a typo in a
// mapping is an error with file and path, never a silently ignored key (docs/architecture.md, principle 3).

export const PB_TYPES = ['initiative', 'objective', 'feature', 'subfeature', 'component', 'product', 'release'] as const;
export type PbType = (typeof PB_TYPES)[number];

export const issueTypeSchema = z
  .strictObject({
    /** Jira hierarchy level: Epic 1, standard 0, sub-task -1. */
    level: z.number().int().min(-1).max(5),
    /** Overrides the default pick among the project's issue types at that level. */
    name: z.string().min(1).optional(),
  })
  .describe('issue type');

export const parentSchema = z.strictObject({
  /** The rule (by its `from` type) whose Jira issue becomes this issue's parent. */
  rule: z.enum(PB_TYPES),
  /** Which Productboard relationship points at the parent item. */
  via: z.enum(['link', 'parent']),
  /** When true, an item without such a relationship is not created (reported as `unparented`). */
  required: z.boolean().default(true),
  /** Deterministic choice when several items qualify (a feature linked to two initiatives). */
  whenSeveral: z.enum(['earliest-created', 'first-by-name']).default('earliest-created'),
});

export const summaryField = z.strictObject({
  from: z.literal('name'),
  prefix: z.string().max(50).default(''),
});
export const descriptionField = z.strictObject({
  from: z.literal('description'),
  /** Append "View in Productboard" with the item's link. */
  sourceLink: z.boolean().default(true),
});
export const labelsField = z.strictObject({ from: z.literal('tags') });
export const dueDateField = z.strictObject({ from: z.enum(['timeframe.endDate', 'timeframe.startDate']) });
export const statusField = z.strictObject({
  from: z.literal('status'),
  /** Productboard status names per Jira status category (matched whatever their case). */
  categories: z.strictObject({
    new: z.array(z.string().min(1)).default([]),
    indeterminate: z.array(z.string().min(1)).default([]),
    done: z.array(z.string().min(1)).default([]),
  }),
});

/** `false` turns a field off for a rule (e.g. no due date on epics). */
export const off = z.literal(false);

export const fieldsSchema = z.strictObject({
  summary: summaryField.optional(),
  description: z.union([descriptionField, off]).optional(),
  labels: z.union([labelsField, off]).optional(),
  dueDate: z.union([dueDateField, off]).optional(),
  status: z.union([statusField, off]).optional(),
});

export const insightsSchema = z.strictObject({
  /** List the linked notes under "Customer insights (N)" in the description. */
  list: z.boolean().default(true),
  /** At most this many notes are listed; the rest are counted ("…and N more"). */
  max: z.number().int().min(0).max(200).default(25),
});

/** The Productboard fields a Jira field can take its value from (`{ from: name }`). */
export const FIELD_SOURCES = ['name', 'timeframe.startDate', 'timeframe.endDate'] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A Jira field's value at creation: a constant as Jira's REST API takes it (`Platform`, `3`,
 * `{ value: Adaptive }`, `[{ name: Backend }]`), or `{ from: <Productboard field> }`. An object with
 * a `from` key is always read as the latter, so a typo in it is an error, never a constant.
 */
const jiraFieldValue = z.json().superRefine((value, ctx) => {
  if (value === null) ctx.addIssue({ code: 'custom', message: 'null sets nothing: leave the field out instead' });
  if (!isRecord(value) || !('from' in value)) return;
  const extra = Object.keys(value).filter((k) => k !== 'from');
  if (extra.length) ctx.addIssue({ code: 'custom', message: `{ from: … } takes no other key (got ${extra.join(', ')})` });
  if (!(FIELD_SOURCES as readonly unknown[]).includes(value.from))
    ctx.addIssue({ code: 'custom', message: `from: must be one of ${FIELD_SOURCES.join(', ')} (got ${JSON.stringify(value.from)})` });
});

export const ruleSchema = z.strictObject({
  from: z.enum(PB_TYPES),
  jira: z.strictObject({
    issueType: issueTypeSchema,
    parent: parentSchema.optional(),
    /** Jira fields (by name or id) given a value at creation, e.g. a required Epic Name. */
    fields: z.record(z.string().min(1), jiraFieldValue).optional(),
  }),
  insights: insightsSchema.optional(),
  fields: fieldsSchema.optional(),
});

/** Version 1 (mappings/README.md): still read, and still behaving as it always did. */
export const mappingSchema = z.strictObject({
  version: z.literal(1),
  description: z.string().optional(),
  rules: z.array(ruleSchema).min(1),
  fields: fieldsSchema.default({}),
  writeBack: writeBackSchema.optional(),
});

export type MappingFile = z.infer<typeof mappingSchema>;
export type MappingRule = z.infer<typeof ruleSchema>;
export type FieldsSpec = z.infer<typeof fieldsSchema>;
