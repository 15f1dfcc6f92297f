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

export const issueBeanSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .object({
      summary: z.string().nullish(),
      labels: z.array(z.string()).nullish(),
      duedate: z.string().nullish(),
      issuetype: issueTypeSchema.nullish(),
      parent: z.object({ id: z.string(), key: z.string(), fields: z.object({ issuetype: issueTypeSchema.nullish() }).nullish() }).nullish(),
      status: z.object({ name: z.string().optional(), statusCategory: statusCategorySchema.optional() }).nullish(),
    })
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

/** The writer record kept in a project property (src/model/ports.ts WriterRecord). */
export const writerRecordSchema = z.object({
  v: z.literal(1),
  holder: z.object({ id: z.string(), ledger: z.string(), token: z.string() }).nullable(),
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
