import { z } from 'zod';
import { DELIVERY_VALUES, type DeliveryValueName } from '../model/delivery.js';

// The `writeBack` section of a mapping (mappings/README.md, "Delivery back into Productboard"): the
// Productboard custom fields that show each synced item's Jira issue, its status and its progress.
// Kept apart from the rest of the schema: it speaks of Productboard's fields, not of Jira's.

/** A Productboard custom field, by the name people see or by its id (a UUID). */
const fieldRef = z.string().trim().min(1);

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
        /** A number field: percent done, rolled up level by level from the Jira tree. */
        progress: fieldRef.optional(),
      })
      .refine((f) => Object.values(f).some(Boolean), { message: 'name at least one field (jiraKey, jiraLink, jiraStatus, progress)' }),
  })
  .describe('write-back');

export type WriteBackSpec = z.infer<typeof writeBackSchema>;

export interface CompiledWriteBack {
  /** The Productboard field (name or id) each value goes to; only the values the mapping names a field for. */
  fields: Partial<Record<DeliveryValueName, string>>;
}

export const compileWriteBack = (spec: WriteBackSpec | undefined): CompiledWriteBack | null =>
  spec ? { fields: Object.fromEntries(DELIVERY_VALUES.flatMap((k) => (spec.fields[k] ? [[k, spec.fields[k]]] : []))) } : null;
