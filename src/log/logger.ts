import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

// Paths pino blanks out wherever they appear: secrets are redacted by construction, not by care.
const REDACT_PATHS = [
  'token',
  'apiToken',
  'password',
  'authorization',
  'webhookUrl',
  '*.token',
  '*.apiToken',
  '*.authorization',
  '*.Authorization',
  '*.webhookUrl',
  'headers.authorization',
  'headers.Authorization',
  'config.headers.Authorization',
  'err.config.headers.Authorization',
];

/**
 * Replaces every known secret value in a string. Used for text that pino's path redaction cannot
 * see (error messages, URLs embedded in messages).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 6) result = result.split(secret).join('[redacted]');
  }
  return result;
}

export interface LoggerOptions {
  level?: string;
  secrets?: readonly string[];
  /** Where log lines go; stderr so that `--json` keeps stdout for the one JSON document. */
  destination?: NodeJS.WritableStream;
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])].filter((s) => s.length >= 6);
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        log(object) {
          if (secrets.length === 0) return object;
          // Errors do not survive JSON.stringify (message and stack are not enumerable), and this
          // runs before pino's err serializer: serialize them first, then scrub every string.
          const serializable = Object.fromEntries(
            Object.entries(object).map(([key, value]) => [key, value instanceof Error ? pino.stdSerializers.err(value) : value]),
          );
          return JSON.parse(scrubSecrets(JSON.stringify(serializable), secrets)) as Record<string, unknown>;
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination as pino.DestinationStream,
  );
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
