import { z } from 'zod';

// Zod schemas for the Productboard v2 fields we use, and only those: tolerant of vendor additions
// (docs/architecture.md, principle 3; docs/vendor-notes.md §8). Shapes follow the v2 OpenAPI documents (https://developer.productboard.com/v2/openapi):
// `Entity`, `EntityRelationship` and `ListLinks` from entities, `Note` from notes. Where a document's
// schema and its own examples disagree, both shapes are read (docs/vendor-notes.md §8, "Contradictions").

const linksSchema = z.object({ next: z.string().nullish() }).nullish();

/** Every v2 list: `{ data: [...], links: { next } }`, `next` null/absent on the last page. */
export const pageSchema = z.object({ data: z.array(z.unknown()), links: linksSchema });

/** A single resource: `{ data: {...} }`. */
export const resourceSchema = z.object({ data: z.unknown() });

const targetSchema = z.object({ id: z.string().min(1), type: z.string().optional() });

export const relationshipSchema = z.object({ type: z.string(), target: targetSchema });

/**
 * Inline relationships: `{data, links}` as the `EntityRelationships`/`NoteRelationships` schemas
 * declare, or a bare array as the `EntityResponse` and every note example show (an array has no
 * `links.next`: nothing more to follow). Absent means "not included", never "none".
 */
const inlineRelationshipsSchema = z.union([
  z.array(z.unknown()).transform((data) => ({ data, next: null })),
  z
    .object({ data: z.array(z.unknown()).default([]), links: linksSchema })
    .transform((r) => ({ data: r.data, next: r.links?.next ?? null })),
]);

export type InlineRelationships = z.output<typeof inlineRelationshipsSchema>;

export const entitySchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  fields: z
    // Custom fields are keyed by their UUID beside the standard ones ("Dynamic Field System" in the
    // entities document): kept, and read by custom-values.ts.
    .looseObject({
      name: z.string().nullish(),
      description: z.string().nullish(),
      status: z.object({ name: z.string() }).nullish(),
      archived: z.boolean().nullish(),
      tags: z.array(z.object({ name: z.string() })).nullish(),
      timeframe: z
        .object({
          startDate: z.string().nullish(),
          endDate: z.string().nullish(),
        })
        .nullish(),
      owner: z.object({ email: z.string().nullish() }).nullish(),
    })
    .default({}),
  relationships: inlineRelationshipsSchema.nullish(),
  links: z.object({ html: z.string().nullish() }).nullish(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * A note: the times top-level (schema `Note`) or inside `fields` (the `GET /notes` examples);
 * `relationships` in either shape or absent (the filter examples of `GET /notes` leave it out).
 */
export const noteSchema = z.object({
  id: z.string().min(1),
  type: z.string().nullish(),
  fields: z.object({ name: z.string().nullish(), archived: z.boolean().nullish(), createdAt: z.string().nullish() }).default({}),
  relationships: inlineRelationshipsSchema.nullish(),
  links: z.object({ html: z.string().nullish() }).nullish(),
  createdAt: z.string().nullish(),
});

/**
 * A type's `Configuration` (`GET /v2/entities/configurations/{type}`): its fields, of which we read
 * the status values (`ConfigurationField.values`, a `FieldValues`: inline `data`, and `links.next`
 * when there are more).
 */
export const configurationSchema = z.object({
  type: z.string(),
  fields: z.record(
    z.string(),
    z.object({
      name: z.string().optional(),
      /** Inline JSON Schema of its values, or (in the "Field Value Types" guide's form) the name of one. */
      schema: z.unknown().optional(),
      values: z
        .object({
          data: z.array(z.object({ name: z.string() })).default([]),
          links: z.object({ next: z.string().nullish() }).nullish(),
        })
        .nullish(),
    }),
  ),
});

/** `GET /v2/entities/fields/{id}/values` items for the status field (`StatusValue`). */
export const statusValueSchema = z.object({ fields: z.object({ name: z.string() }) });

export type EntityDto = z.infer<typeof entitySchema>;
export type NoteDto = z.infer<typeof noteSchema>;
