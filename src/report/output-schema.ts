// Every JSON document the CLI prints (`sync`, `reconcile`, `status`, `history`, `report --format
// json`, and an error with `--json`) carries this `schemaVersion`, and is described by a JSON Schema under docs/schemas/
// (tests validate real outputs against them). Adding a member keeps the version; removing or
// changing the meaning of one raises it.
export const OUTPUT_SCHEMA_VERSION = 1;

/** ISO 8601 in UTC, without milliseconds when there are none; null stays null. */
export const isoTime = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
