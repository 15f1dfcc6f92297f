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

export const createdIssueSchema = z.object({ id: z.string(), key: z.string() });

const errorCollectionSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
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

export const transitionsSchema = z.object({
  transitions: z.array(
    z.object({
      id: z.string(),
      name: z.string().optional(),
      isAvailable: z.boolean().optional(),
      to: z.object({ id: z.string().optional(), statusCategory: statusCategorySchema.optional() }).optional(),
    }),
  ),
});

export type IssueBean = z.infer<typeof issueBeanSchema>;
export type IssueType = z.infer<typeof issueTypeSchema>;
export type ErrorCollection = z.infer<typeof errorCollectionSchema>;

export const errorCollectionText = (errors: ErrorCollection | undefined): string => {
  if (!errors) return 'rejected';
  const parts = [...(errors.errorMessages ?? []), ...Object.entries(errors.errors ?? {}).map(([field, message]) => `${field}: ${message}`)];
  return parts.join('; ') || 'rejected';
};
