import cron from 'node-cron';
import { z } from 'zod';

// Engine configuration (config/default.yaml reads the environment). Strict: unknown keys are errors.

/**
 * `${VAR}` works anywhere (README "Configuration"), but interpolation yields text: where a number or
 * a boolean is wanted, text that spells one is taken as one, and other text is a located problem.
 */
const fromText = <T extends z.ZodType>(wanted: 'number' | 'boolean', schema: T) =>
  z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (wanted === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (wanted === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a ${wanted}${wanted === 'boolean' ? ' (use true or false)' : ''}` });
    return z.NEVER;
  }, schema);
const number = (schema: z.ZodNumber) => fromText('number', schema);
const boolean = () => fromText('boolean', z.boolean());

/** The report's formats: a self-contained web page, Markdown for Confluence or an issue, JSON (docs/schemas/report.schema.json). */
export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A secret is given inline (usually `${ENV_VAR}`) or read from a file the config names. */
const secret = z.union([z.string(), z.strictObject({ file: z.string().min(1) })]);

export const configSchema = z.strictObject({
  productboard: z.strictObject({
    apiUrl: z.string().default('https://api.productboard.com'),
    token: secret,
    /**
     * The plugin-integration column (README "The Productboard column and `serve`"): the integration
     * by id or name, the public HTTPS address of `serve` (needed to create it), and the secret
     * Productboard sends as the Authorization header of every call to `serve`.
     */
    pluginIntegration: z
      .strictObject({
        id: z.string().trim().min(1).optional(),
        name: z.string().trim().min(1).max(255).optional(),
        actionUrl: z.string().url().optional(),
        authorization: secret,
      })
      .refine((p) => p.id !== undefined || p.name !== undefined, { message: 'name the plugin integration by `id` or `name`' })
      .optional(),
  }),
  jira: z.strictObject({
    host: z.string().min(1),
    email: z.string().min(1),
    apiToken: secret,
    project: z.string().regex(/^[A-Z][A-Z0-9_]{0,9}$/, 'must be a Jira project key such as "PBJ" (uppercase letters, digits, underscore)'),
    /** Jira Software's "Flagged" field, which the report counts as blocked (its id differs per site: GET /rest/api/3/field). */
    flaggedField: z
      .string()
      .regex(/^customfield_\d+$/, 'must be a custom field id such as "customfield_10021"')
      .default('customfield_10021'),
  }),
  slack: z
    .strictObject({
      webhookUrl: z.union([secret, z.literal('')]).optional(),
    })
    .default({}),
  ledger: z.strictObject({ path: z.string().min(1) }).default({ path: './data/ledger.sqlite' }),
  /** Mapping file, relative to this config file. */
  mapping: z.string().min(1),
  sync: z
    .strictObject({
      /**
       * A create whose outcome is unknown (crash, lost response) is not retried until this long
       * after its intent, so Jira's search index (eventually consistent) has time to show it.
       */
      intentSettleSeconds: number(z.number().int().min(0)).default(120),
      /**
       * Between full reads, a pass reads only what changed since the last one, on both sides.
       * Deletions are invisible to that (updatedAt cannot show them), and Productboard does not
       * document that a re-link bumps `updatedAt`, so everything is read again this often: the
       * longest a deletion or a re-link can wait (`sync --full-read` reads everything at once).
       */
      fullReadEveryHours: number(z.number().min(0)).default(6),
      /**
       * Read only the Productboard items and notes updated since the last pass, between full reads.
       * On by default: a full read costs about one request per 100 records every pass (363 requests
       * and ~20 s on a 16,000-issue workspace) where an idle incremental pass needs one per type.
       * Off: Productboard is read in full every pass, so a re-link is seen by the next pass.
       */
      incrementalProductboard: boolean().default(true),
      /**
       * A pass about to write takes the Jira lease (a project property shared by every host and
       * ledger); while another pass holds it, wait this long at most, then exit naming the holder.
       */
      leaseWaitSeconds: number(z.number().min(0).max(3600)).default(60),
      /**
       * Taking the Jira lease: write it, wait this long, read it back. Jira has no conditional
       * write, so this wait is what tells two passes that started together apart (README "Running unattended").
       */
      leaseConfirmSeconds: number(z.number().min(0.05).max(60)).default(2),
      /**
       * Refuse (and alert) a pass whose plan would create, update or move more issues than this:
       * one bad mapping edit must not rewrite a whole Jira project. Empty or absent: no limit.
       * `sync --max-changes N` overrides it for one run.
       */
      maxChanges: z.preprocess((value) => (value === '' ? undefined : value), number(z.number().int().min(1)).optional()),
      /**
       * Items Productboard's own Jira integration linked to an issue of the project are adopted, not
       * created again: `discover` reads every enabled integration, an integration id reads that one
       * (enabled or not), `off` never looks. Read only when a pass is about to create issues.
       */
      adoptNativeJira: z.union([z.enum(['discover', 'off']), z.uuid()]).default('discover'),
    })
    .default({
      intentSettleSeconds: 120,
      fullReadEveryHours: 6,
      incrementalProductboard: true,
      leaseWaitSeconds: 60,
      leaseConfirmSeconds: 2,
      adoptNativeJira: 'discover',
    }),
  http: z
    .strictObject({
      /** The longest one request may take, from sending it to the last byte of the answer. */
      timeoutMs: number(z.number().int().min(100).max(3_600_000)).default(30_000),
      /** Permit plain http:// to a non-loopback host (never needed for Atlassian or Productboard). */
      allowInsecureHttp: boolean().default(false),
      /** Retries after 5xx, resets and timeouts (with exponential backoff and jitter). */
      maxRetries: number(z.number().int().min(0).max(10)).default(4),
      /** Retries after 429/503, each waiting at least the server's Retry-After. */
      maxThrottleRetries: number(z.number().int().min(0).max(20)).default(8),
      /** The longest Retry-After waited out; a service asking for more ends the pass with a `throttled` error. */
      maxRetryAfterSeconds: number(z.number().int().min(0).max(86_400)).default(300),
      /** The largest response body read from a service; a bigger one is an `invalid-response` error. */
      maxResponseMB: number(z.number().int().min(1).max(1024)).default(32),
    })
    .default({
      timeoutMs: 30_000,
      allowInsecureHttp: false,
      maxRetries: 4,
      maxThrottleRetries: 8,
      maxRetryAfterSeconds: 300,
      maxResponseMB: 32,
    }),
  /** The delivery report (`report`, and after every scheduled pass when `out` is set). */
  report: z
    .strictObject({
      /** Where `schedule` writes the report after every pass (relative to the working directory); none when absent. */
      out: z.string().min(1).optional(),
      format: z.enum(REPORT_FORMATS).default('html'),
      /** An open item not updated for this many days is stale. */
      staleDays: number(z.number().int().min(1).max(3650)).default(30),
    })
    .default({ format: 'html', staleDays: 30 }),
  schedule: z
    .strictObject({
      /** Cron expression (5 fields, or 6 with seconds), evaluated in `timezone`. */
      cron: z
        .string()
        .superRefine((value, ctx) => {
          const result = cron.validateDetailed(value);
          if (!result.valid) {
            const why = result.errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`)).join('; ');
            ctx.addIssue({
              code: 'custom',
              message: `"${value}" is not a valid cron expression (${why}); e.g. "*/15 * * * *" runs every 15 minutes`,
            });
          }
        })
        .default('*/15 * * * *'),
      /** IANA time zone, e.g. Europe/London. */
      timezone: z
        .string()
        .superRefine((value, ctx) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: value });
          } catch {
            ctx.addIssue({
              code: 'custom',
              message: `"${value}" is not a known time zone (use an IANA name such as UTC or Europe/London)`,
            });
          }
        })
        .default('UTC'),
      runOnStart: boolean().default(true),
      /** A pass holds the ledger lease this long, renewed while it runs; a crashed holder's lease expires. */
      leaseSeconds: number(z.number().int().min(10)).default(120),
    })
    .default({ cron: '*/15 * * * *', timezone: 'UTC', runOnStart: true, leaseSeconds: 120 }),
});

export type ConfigFile = z.infer<typeof configSchema>;
