import { isSyncError, messageOf } from '../errors.js';
import { OUTPUT_SCHEMA_VERSION } from './output-schema.js';

/**
 * A failure as the one JSON document of a `--json` command (docs/schemas/error.schema.json): the
 * error's kind, message, service, endpoint and detail lines, as `describeError` prints them on
 * stderr. The exit code is the same as without `--json`.
 */
export function errorJson(error: unknown) {
  const known = isSyncError(error) ? error : null;
  return {
    schemaVersion: OUTPUT_SCHEMA_VERSION,
    error: {
      kind: known?.kind ?? 'bug',
      message: messageOf(error),
      service: known?.service ?? null,
      endpoint: known?.endpoint ?? null,
      status: known?.status ?? null,
      details: known?.details ?? [],
    },
  };
}
