import { pino, type Logger } from 'pino';
import { scrubSecrets } from '../util/secrets.js';

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

export interface LoggerOptions {
  level?: string;
  secrets?: readonly string[];
  /** Where log lines go; stderr so that `--json` keeps stdout for the one JSON document. */
  destination?: NodeJS.WritableStream;
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        log(object) {
          // Every line, even without configured secrets: a vendor may echo an Authorization header.
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
