import { z } from 'zod';
import type { StampProperty } from '../../src/model/stamp.js';
import { STATUS_CATEGORIES } from '../../src/model/status.js';

// Reading the stamp (src/model/stamp.ts) back from a Jira payload: tolerant, never an error.

const stampSchema = z.object({
  v: z.literal(1),
  pbId: z.string().min(1),
  pbType: z.string(),
  labels: z.array(z.string()).default([]),
  descriptionHash: z.string().nullable().default(null),
  statusCategory: z.enum(STATUS_CATEGORIES).nullable().default(null),
});

/** A stamp someone else wrote or corrupted is treated as absent, not as an error. */
export const parseStamp = (value: unknown): StampProperty | null => {
  const parsed = stampSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
};
