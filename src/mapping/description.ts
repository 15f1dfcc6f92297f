import { createHash } from 'node:crypto';
import { bulletList, heading, link, paragraph, text, textLength } from './adf.js';
import { htmlToAdf } from './html-to-adf.js';
import type { SourceNote } from '../model/source.js';
import type { AdfDoc, AdfNode } from '../model/adf.js';
import type { DescriptionSource } from '../model/desired.js';

/** Jira caps a description at 32,767 characters; stay well under with room for our sections. */
const DESCRIPTION_TEXT_LIMIT = 30_000;
/** Bump when rendering changes, so every description is rewritten once with the new rendering. */
const RENDERING_VERSION = 1;

export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Newest first, like Productboard's insights list. */
const newestFirst = (notes: readonly SourceNote[]) => [...notes].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));

export function descriptionHash(source: DescriptionSource): string {
  const insights = source.insights && {
    list: source.insights.list,
    max: source.insights.max,
    notes: newestFirst(source.insights.notes).map((n) => [n.id, n.name, n.url]),
  };
  return hashOf({ v: RENDERING_VERSION, html: source.html, name: source.name, url: source.url, sourceLink: source.sourceLink, insights });
}

/** Renders the ADF description; throws HtmlConversionError when the HTML cannot be converted. */
export function renderDescription(source: DescriptionSource): AdfDoc {
  let body: AdfNode[] = htmlToAdf(source.html).content;
  if (textLength(body) > DESCRIPTION_TEXT_LIMIT) {
    const kept: AdfNode[] = [];
    let used = 0;
    for (const node of body) {
      used += textLength([node]);
      if (used > DESCRIPTION_TEXT_LIMIT) break;
      kept.push(node);
    }
    body = [...kept, paragraph(text('(truncated: the full description is in Productboard)', [{ type: 'em' }]))];
  }
  const content = [...body];
  const insights = source.insights;
  if (insights && insights.notes.length > 0) {
    const sorted = newestFirst(insights.notes);
    content.push(heading(3, `Customer insights (${sorted.length})`));
    if (insights.list && insights.max > 0) {
      const shown = sorted.slice(0, insights.max);
      content.push(bulletList(shown.map((note) => [note.url ? link(note.name, note.url) : text(note.name)])));
      if (sorted.length > shown.length) content.push(paragraph(text(`…and ${sorted.length - shown.length} more in Productboard`)));
    }
  }
  if (source.sourceLink && source.url) content.push(paragraph(text('Synced from Productboard: '), link(source.name, source.url)));
  return { version: 1, type: 'doc', content };
}
