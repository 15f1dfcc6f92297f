/* eslint-disable no-control-regex -- finding control characters is what this file is for */
// Text from outside (Productboard names, tags, links; vendors' error messages) made safe for where
// it goes: a Jira field (single-line, no control characters, cut where Jira cuts), an operator's
// terminal (every control character and bidi override shown escaped), JSON on a terminal, a link.
// Escape sequences and bidi overrides can repaint a terminal or make a line read as something it is
// not (https://trojansource.codes/); Jira refuses a summary with a newline for ever.

/** ANSI/VT escape sequences: CSI (`ESC [ … final`, also the 8-bit CSI), OSC (`ESC ] … BEL|ST`), and two-byte ones. */
const ESCAPE_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
/** Controls that separate text: they become a space. */
const SEPARATOR = /[\t\n\v\f\r\u001c-\u001f\u0085\u2028\u2029]/g;
/** Other C0 and C1 controls and DEL: they are removed. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they are removed. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of plain text, as a Jira summary or label needs it: escape sequences, controls and bidi
 * overrides gone, newlines and tabs turned into spaces, runs of white space collapsed, ends trimmed.
 */
export const singleLine = (value: string): string =>
  value.replace(ESCAPE_SEQUENCE, '').replace(SEPARATOR, ' ').replace(CONTROL, '').replace(BIDI, '').replace(/\s+/g, ' ').trim();

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of `value` at most `max` UTF-16 units long (Jira counts Java characters) that
 * ends between two graphemes: never half of a surrogate pair, an emoji sequence or a letter with
 * its accents. A single grapheme longer than `max` is cut between code points instead.
 */
export function clipText(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = 0;
  for (const { index, segment } of graphemes.segment(value)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  if (end > 0) return value.slice(0, end);
  const cut = value.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** What a terminal must never receive raw: C0/C1 controls, DEL, line separators, bidi marks, overrides and isolates. */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * One line for an operator's terminal: every control character and bidi control shown escaped
 * (`\n`, `\u001B`, `\u202E`), so data can neither repaint the screen nor pass for other lines.
 * The text formatters pass each line they print through it.
 */
export const printable = (line: string): string => line.replace(TERMINAL_UNSAFE, (c) => SHORT_ESCAPES[c] ?? unicodeEscape(c));

/** Lines joined for the terminal, each made printable (a line's own newlines come out as `\n`). */
export const printableLines = (lines: readonly string[]): string => lines.map(printable).join('\n');

/** What JSON.stringify leaves raw but a terminal would act on (it escapes the C0 controls itself). */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON document for stdout: the same value (a parser reads exactly what JSON.stringify wrote),
 * with the characters JSON leaves raw but a terminal obeys written as `\u` escapes. They can only
 * occur inside strings, where the escape means the same character.
 */
export const jsonText = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(JSON_UNSAFE, unicodeEscape);

/**
 * A link from outside as Jira may show it: an absolute http(s) URL without credentials, control
 * characters, bidi controls or white space; null for anything else (`javascript:`, `data:`,
 * relative or malformed). Returned as given, so links that were fine keep their exact text.
 */
export function webUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/[\s\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return value;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute value: markup characters as entities, so data stays data. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * One line of text inside a Markdown table cell (GitHub, Confluence): one line, and every character
 * Markdown or its inline HTML would act on backslash-escaped, so a name can neither break the table,
 * nor become a link, an image, emphasis or a tag.
 */
export const markdownText = (value: string): string => singleLine(value).replace(/[\\`*_[\]<>|~&!#]/g, '\\$&');
