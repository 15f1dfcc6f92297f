// Secrets never leave the process: every text that is printed, logged or stored passes through
// `scrubSecrets`. Two layers, because a vendor can echo a credential in forms we never configured:
// the exact values we know (the tokens, the webhook, the Basic header we build from email and
// token), and anything that looks like a credential header whatever its value.

export const REDACTED = '[redacted]';

/** Shorter values would blank out ordinary words; no real token is this short. */
const MIN_SECRET_LENGTH = 6;

// `Authorization: <scheme> <value>`, also `"authorization":"…"` in JSON: the value goes, whatever it is.
// Values stop at quotes and backslashes so that scrubbing JSON text keeps it valid JSON.
const AUTH_HEADER = /\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?:(?:basic|bearer|token|digest|negotiate)\s+)?[^\s"'\\,;}]+/gi;
const BEARER = /\b(bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
// Base64 with a digit or symbol in it, so that English ("Basic information") is left alone.
const BASIC = /\b(basic)\s+(?=[A-Za-z0-9+/]*[0-9+/])[A-Za-z0-9+/]{8,}={0,2}/gi;

/** Replaces every known secret value and every credential-looking header in a text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join(REDACTED);
  }
  return result
    .replace(AUTH_HEADER, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`)
    .replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(BASIC, (_match, scheme: string) => `${scheme} ${REDACTED}`);
}

export interface Credentials {
  /** Tokens and secret URLs as configured. */
  values: readonly string[];
  /** Pairs sent as HTTP Basic authentication (Jira: email and API token). */
  basic: ReadonlyArray<{ user: string; password: string }>;
}

/**
 * Every form in which a configured credential can travel, and so be echoed back: the raw values,
 * the path of a secret URL (a webhook's path is its secret), and `base64(user:password)` as the
 * Basic header carries it (RFC 7617).
 */
export function secretForms(credentials: Credentials): string[] {
  const forms = new Set<string>();
  for (const value of credentials.values) {
    if (!value) continue;
    forms.add(value);
    const path = urlPath(value);
    if (path) forms.add(path);
  }
  for (const { user, password } of credentials.basic) {
    if (password) forms.add(Buffer.from(`${user}:${password}`).toString('base64'));
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

function urlPath(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    const path = new URL(value).pathname;
    return path.length > 1 ? path : undefined;
  } catch {
    return undefined;
  }
}
