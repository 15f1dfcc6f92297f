import { parseSource, type SourceRef } from './sources.js';

// Templates: text with sources in double braces, `"[{{fields.Impact}}] {{name}}"`. Rendered when the
// desired tree is built, so the plan (and a dry run) shows exactly the text that will be written.

export interface Template {
  /** As the mapping writes it. */
  text: string;
  /** Literal text and sources, in order. */
  parts: ReadonlyArray<string | SourceRef>;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The template, or every reason it is not one (an unknown source, an unclosed brace). */
export function parseTemplate(text: string): { ok: true; template: Template } | { ok: false; errors: string[] } {
  const parts: Array<string | SourceRef> = [];
  const errors: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const source = parseSource(match[1]!);
    if ('error' in source) errors.push(`{{${match[1]}}}: ${source.error}`);
    else parts.push(source);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  for (const part of parts) if (typeof part === 'string' && /\{\{|\}\}/.test(part)) errors.push(`unmatched braces in "${part}"`);
  return errors.length ? { ok: false, errors } : { ok: true, template: { text, parts } };
}

/** The sources a template reads. */
export const templateSources = (template: Template): SourceRef[] => template.parts.filter((p): p is SourceRef => typeof p !== 'string');

/** The text: each source's value (lists joined by ", "; an empty value is empty text). */
export function renderTemplate(template: Template, value: (source: SourceRef) => string | number | readonly string[] | null): string {
  return template.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const v = value(part);
      return v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
    })
    .join('');
}
