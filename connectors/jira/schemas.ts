import { z } from 'zod';

// Zod schemas for the Jira Cloud v3 shapes we read, named as in Atlassian's OpenAPI document
// (https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json): Project, IssueTypeDetails,
// SearchAndReconcileResults, IssueBean, CreatedIssues, Transitions.
// Tolerant: unknown fields are ignored; only what we use is required.

export const issueTypeSchema = z.object({
  id: z.string(),
  name: z.string(),
  subtask: z.boolean().optional(),
  hierarchyLevel: z.number().int().optional(),
});

export const projectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string().optional(),
  issueTypes: z.array(issueTypeSchema).optional(),
});

const statusCategorySchema = z.object({ key: z.string() });
const statusSchema = z.object({ name: z.string().optional(), statusCategory: statusCategorySchema.optional() });

/** IssueLink as an issue's `issuelinks` lists it: the type, and the other end as `inwardIssue` or `outwardIssue`. */
/** IssueBean (`GET /rest/api/3/issue/{id}?fields=status`): the issue's status only. */
export const issueStatusSchema = z.object({ fields: z.object({ status: statusSchema.nullish() }).nullish() });
const linkedIssueSchema = z.object({ key: z.string(), fields: z.object({ status: statusSchema.nullish() }).nullish() });
const issueLinkSchema = z.object({
  type: z.object({ name: z.string().optional(), inward: z.string().optional(), outward: z.string().optional() }).nullish(),
  inwardIssue: linkedIssueSchema.nullish(),
  outwardIssue: linkedIssueSchema.nullish(),
});
export type IssueLinkBean = z.infer<typeof issueLinkSchema>;

/** An instant as ISO 8601 text: Jira's own text as it is, epoch milliseconds converted; anything else null. */
const instantSchema = z
  .union([
    z.string(),
    z
      .number()
      .refine((ms) => Math.abs(ms) <= 8.64e15)
      .transform((ms) => new Date(ms).toISOString()),
  ])
  .nullish()
  .catch(null);

export const issueBeanSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .looseObject({
      summary: z.string().nullish(),
      labels: z.array(z.string()).nullish(),
      duedate: z.string().nullish(),
      issuetype: issueTypeSchema.nullish(),
      parent: z.object({ id: z.string(), key: z.string(), fields: z.object({ issuetype: issueTypeSchema.nullish() }).nullish() }).nullish(),
      status: statusSchema.nullish(),
      // Only the report reads these: a value it cannot use is left out, never a failed read of the hierarchy.
      // Jira writes instants as text; the platform document's search example has epoch milliseconds.
      created: instantSchema,
      updated: instantSchema,
      issuelinks: z.array(issueLinkSchema).nullish().catch(null),
    })
    // Custom fields (the Flagged field, the mapping's fields: jira-values.ts) are read by id from the rest.
    .catchall(z.unknown())
    .default({}),
  properties: z.record(z.string(), z.unknown()).nullish(),
});

export const searchResultsSchema = z.object({
  issues: z.array(issueBeanSchema),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export const bulkFetchSchema = z.object({
  issues: z.array(issueBeanSchema).default([]),
  issueErrors: z.array(z.unknown()).optional(),
});

export const errorCollectionSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

/** CreatedIssue: where the new issue is, and the outcome of the `transition` the create carried (a NestedResponse). */
export const createdIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  transition: z.object({ status: z.number().int().optional(), errorCollection: errorCollectionSchema.optional() }).optional(),
});

export const createdIssuesSchema = z.object({
  issues: z.array(createdIssueSchema).default([]),
  errors: z
    .array(
      z.object({
        status: z.number().optional(),
        elementErrors: errorCollectionSchema.optional(),
        failedElementNumber: z.number().int(),
      }),
    )
    .default([]),
});

/** An allowed value of a field: options carry `value`, most other things `name`; every one an `id`. */
const allowedValueSchema = z.object({ id: z.string().optional(), name: z.string().optional(), value: z.string().optional() });

/** FieldMetadata (transition screens) and FieldCreateMetadata (create screens, which add `fieldId`). */
const fieldMetadataSchema = z.object({
  fieldId: z.string().optional(),
  key: z.string().optional(),
  name: z.string().optional(),
  required: z.boolean().default(false),
  hasDefaultValue: z.boolean().optional(),
  schema: z.object({ type: z.string().optional(), items: z.string().optional() }).optional(),
  // Not every allowed value is an object with a name (project, issue type): keep the ones that are.
  allowedValues: z.array(z.unknown()).optional(),
});

export type FieldMetadata = z.infer<typeof fieldMetadataSchema>;

export const allowedValuesOf = (field: FieldMetadata) =>
  field.allowedValues?.flatMap((v) => {
    const parsed = allowedValueSchema.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });

/** PageOfCreateMetaIssueTypeWithField: one page of an issue type's create screen. */
export const createMetaPageSchema = z.object({
  fields: z.array(fieldMetadataSchema).default([]),
  startAt: z.number().int().optional(),
  maxResults: z.number().int().optional(),
  total: z.number().int().optional(),
});

export const transitionsSchema = z.object({
  transitions: z.array(
    z.object({
      id: z.string(),
      name: z.string().optional(),
      isAvailable: z.boolean().optional(),
      hasScreen: z.boolean().optional(),
      to: z.object({ id: z.string().optional(), name: z.string().optional(), statusCategory: statusCategorySchema.optional() }).optional(),
      // With expand=transitions.fields: the screen's fields by id.
      fields: z.record(z.string(), fieldMetadataSchema).optional(),
    }),
  ),
});

/** FieldDetails (`GET /rest/api/3/field`): the site's fields and the JsonTypeBean of each. */
export const siteFieldsSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string().optional(),
    schema: z.object({ type: z.string().optional(), items: z.string().optional(), custom: z.string().optional() }).optional(),
  }),
);

/** ProjectComponent / Version lists (`GET /rest/api/3/project/{key}/components`, `…/versions`): their names. */
export const namedListSchema = z.array(z.object({ name: z.string() }));

/** User (`GET /rest/api/3/user/search`): an email the person hides is absent. */
export const usersSchema = z.array(
  z.object({
    accountId: z.string(),
    displayName: z.string().optional(),
    emailAddress: z.string().optional(),
    active: z.boolean().optional(),
  }),
);

/** The writer record kept in a project property (src/model/ports.ts WriterRecord). */
export const writerRecordSchema = z.object({
  v: z.literal(1),
  holder: z.object({ id: z.string(), ledger: z.string(), token: z.string(), acquiredAt: z.number().optional() }).nullable(),
  heartbeatAt: z.number(),
  lastWrite: z.object({ at: z.number(), ledger: z.string() }).nullable(),
});

/** EntityProperty: `GET /rest/api/3/project/{key}/properties/{propertyKey}`. */
export const entityPropertySchema = z.object({ key: z.string().optional(), value: z.unknown() });

export type IssueBean = z.infer<typeof issueBeanSchema>;
export type IssueType = z.infer<typeof issueTypeSchema>;
export type ErrorCollection = z.infer<typeof errorCollectionSchema>;

export const errorCollectionText = (errors: ErrorCollection | undefined): string => {
  if (!errors) return 'rejected';
  const parts = [...(errors.errorMessages ?? []), ...Object.entries(errors.errors ?? {}).map(([field, message]) => `${field}: ${message}`)];
  return parts.join('; ') || 'rejected';
};
