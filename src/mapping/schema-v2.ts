import { z } from 'zod';
import { descriptionField, dueDateField, insightsSchema, labelsField, off, parentSchema, PB_TYPES, statusField } from './schema.js';
import { writeBackSchema } from './write-back.js';

// Mapping format version 2 (mappings/README.md): version 1 plus the organisation's own model:
// custom fields and computed values as sources, Jira fields of every kind as targets (updated on
// change), value tables, the issue type chosen per item, templates, filters, value streams and a
// hierarchy policy for the whole project. Strict like version 1: an unknown key is an error.

const scalar = z.union([z.string(), z.number()]);
/** A value table written inline: `{ High: Highest, Medium: Medium }`, `{ "0": None, "1-4": Some, "5+": Many }`. */
export const tableSchema = z.record(z.string().min(1), scalar);
/** A table by the name it has under `valueTables`, or inline. */
const tableRef = z.union([z.string().min(1), tableSchema]);

const exactlyOne = (keys: readonly string[], spec: Record<string, unknown>, ctx: z.RefinementCtx, hint: string) => {
  const given = keys.filter((k) => spec[k] !== undefined);
  if (given.length !== 1)
    ctx.addIssue({ code: 'custom', message: given.length ? `give only one of ${given.join(', ')}` : `give one of ${hint}` });
};

/**
 * One Jira field's value: `{ from: <source> }` (optionally through a `table`, with a `default` for
 * an empty source), `{ template: "…" }`, or a constant (`{ value: … }`, or the bare value).
 * `update: false` gives it at creation only; `create: true` lets a components or fix versions field
 * add what the project lacks.
 */
export const fieldSpecSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { value: v }),
  z
    .strictObject({
      from: z.string().min(1).optional(),
      value: z.union([scalar, z.array(scalar).min(1)]).optional(),
      template: z.string().min(1).max(2000).optional(),
      table: tableRef.optional(),
      default: scalar.optional(),
      update: z.boolean().default(true),
      create: z.boolean().default(false),
    })
    .superRefine((spec, ctx) => {
      exactlyOne(['from', 'value', 'template'], spec, ctx, 'from: <source>, value: <constant> or template: "<text>"');
      if (spec.from === undefined && spec.table !== undefined) ctx.addIssue({ code: 'custom', message: 'table goes with from' });
      if (spec.from === undefined && spec.default !== undefined) ctx.addIssue({ code: 'custom', message: 'default goes with from' });
    }),
);

export const issueTypeSchemaV2 = z
  .strictObject({
    level: z.number().int().min(-1).max(9),
    /** The type when no `from`/`table` applies. */
    name: z.string().min(1).optional(),
    /** Chooses the type per item: a source (a select, `tags`) and the table from its values to type names. */
    from: z.string().min(1).optional(),
    table: tableRef.optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.from === undefined) !== (t.table === undefined))
      ctx.addIssue({ code: 'custom', message: 'from and table go together: the table says which issue type each value gives' });
  })
  .describe('issue type');

const list = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const whereBase = z.strictObject({
  product: list.optional(),
  component: list.optional(),
  status: list.optional(),
  tags: list.optional(),
  /** Custom fields (by name or id) and the values any of which the item must have. */
  fields: z.record(z.string().min(1), list).optional(),
  archived: z.boolean().optional(),
});
export const whereSchema = whereBase.extend({ not: whereBase.optional() });

export const summaryFieldV2 = z
  .strictObject({
    from: z.literal('name').optional(),
    prefix: z.string().max(50).optional(),
    /** `"[{{fields.Impact}}] {{name}}"` */
    template: z.string().min(1).max(1000).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.template !== undefined && (s.prefix !== undefined || s.from !== undefined))
      ctx.addIssue({ code: 'custom', message: 'a template is the whole summary: leave out from and prefix' });
  });

export const descriptionFieldV2 = descriptionField.extend({
  /** A line of text above the item's description and below it (templates). */
  header: z.string().min(1).max(2000).optional(),
  footer: z.string().min(1).max(2000).optional(),
});

export const fieldsSchemaV2 = z.strictObject({
  summary: summaryFieldV2.optional(),
  description: z.union([descriptionFieldV2, off]).optional(),
  labels: z.union([labelsField, off]).optional(),
  dueDate: z.union([dueDateField, off]).optional(),
  status: z.union([statusField, off]).optional(),
});

export const ruleSchemaV2 = z.strictObject({
  from: z.enum(PB_TYPES),
  /** Which items of the type the rule syncs; the others are `skip filtered`. */
  where: whereSchema.optional(),
  jira: z.strictObject({
    issueType: issueTypeSchemaV2,
    parent: parentSchema.optional(),
    /** Jira fields by name or id, and where each one's value comes from. */
    fields: z.record(z.string().min(1), fieldSpecSchema).optional(),
  }),
  insights: insightsSchema.optional(),
  fields: fieldsSchemaV2.optional(),
});

export const valueStreamsSchema = z.strictObject({
  /** Where an item's value stream is read, tried in order: `tags` (with `tagPrefix`), `fields.<name>`, `component`, `product`. */
  from: list,
  tagPrefix: z.string().min(1).optional(),
  /** Raw value → stream name (a tag `self-service` → "Self-service"); a value it does not list is no stream. */
  table: tableRef.optional(),
  /** The rules whose items belong to a stream; default every rule. */
  rules: z.array(z.enum(PB_TYPES)).min(1).optional(),
  /** An item without a stream of its own takes its parent's. */
  inherit: z.boolean().default(true),
  /** Written to Jira as a component named like the stream, and/or as a label. */
  component: z.boolean().default(false),
  createComponents: z.boolean().default(false),
  label: z.strictObject({ prefix: z.string().max(50).default('') }).optional(),
  /** `reconcile` reports an item of these rules without a stream (`no-value-stream`). */
  required: z.boolean().default(false),
});

export const hierarchySchema = z.strictObject({
  /** Every issue of the project at these levels, or of these types, must have a parent (`unparented-in-jira`). */
  parentRequired: z
    .strictObject({
      levels: z.array(z.number().int().min(-1).max(9)).min(1).optional(),
      issueTypes: z.array(z.string().min(1)).min(1).optional(),
    })
    .refine((p) => p.levels || p.issueTypes, 'give levels, issueTypes or both'),
});

export const mappingSchemaV2 = z.strictObject({
  version: z.literal(2),
  description: z.string().optional(),
  valueTables: z.record(z.string().min(1), tableSchema).optional(),
  valueStreams: valueStreamsSchema.optional(),
  hierarchy: hierarchySchema.optional(),
  rules: z.array(ruleSchemaV2).min(1),
  fields: fieldsSchemaV2.default({}),
  /** Delivery back into Productboard, as in version 1 (src/mapping/write-back.ts). */
  writeBack: writeBackSchema.optional(),
});

export type MappingFileV2 = z.infer<typeof mappingSchemaV2>;
export type RuleV2 = z.infer<typeof ruleSchemaV2>;
export type FieldsSpecV2 = z.infer<typeof fieldsSchemaV2>;
export type FieldSpecV2 = z.infer<typeof fieldSpecSchema>;
export type WhereSpec = z.infer<typeof whereSchema>;
export type TableSpec = z.infer<typeof tableSchema> | string;
