import { z } from 'zod';

// Zod schemas for the Productboard v2 fields we use, and only those: tolerant of vendor additions
// (docs/architecture.md, principle 3; docs/vendor-notes.md §8). Shapes follow the v2 OpenAPI documents (https://developer.productboard.com/v2/openapi):
// `Entity`, `EntityRelationship` and `ListLinks` from entities, `Note` from notes.

/** Every v2 list: `{ data: [...], links: { next } }`, `next` null/absent on the last page. */
export const pageSchema = z.object({
  data: z.array(z.unknown()),
  links: z.object({ next: z.string().nullish() }).nullish(),
});

const targetSchema = z.object({ id: z.string().min(1), type: z.string().optional() });

export const relationshipSchema = z.object({ type: z.string(), target: targetSchema });

const relationshipsSchema = z.object({
  data: z.array(z.unknown()).default([]),
  links: z.object({ next: z.string().nullish() }).nullish(),
});

export const entitySchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  fields: z
    .object({
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
    })
    .default({}),
  relationships: relationshipsSchema.nullish(),
  links: z.object({ html: z.string().nullish() }).nullish(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const noteSchema = z.object({
  id: z.string().min(1),
  fields: z.object({ name: z.string().nullish(), archived: z.boolean().nullish() }).default({}),
  relationships: relationshipsSchema.nullish(),
  links: z.object({ html: z.string().nullish() }).nullish(),
  createdAt: z.string(),
});

export type EntityDto = z.infer<typeof entitySchema>;
export type NoteDto = z.infer<typeof noteSchema>;
