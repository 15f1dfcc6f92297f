import { createHash } from 'node:crypto';
import { bulletList, heading, link, paragraph, text } from './adf.js';
import { normaliseBlocks } from './adf-normalise.js';
import { largestFitting, storedLength, takeFitting } from './adf-size.js';
import { htmlToAdf } from './html-to-adf.js';
import type { SourceNote } from '../model/source.js';
import type { AdfDoc, AdfNode } from '../model/adf.js';
import type { DescriptionSource } from '../model/desired.js';

/**
 * Jira caps a description at 32,767 characters; whether it counts text or the stored document is
 * not documented, so we count the document's JSON (adf-size.ts), which is never shorter than the
 * text and includes every link URL, mark and node. 30,000 leaves room for attributes Jira may add
 * when it stores the document (local ids, list order).
 */
const DESCRIPTION_JSON_LIMIT = 30_000;
/** Names are clipped where they are quoted (Jira's own summaries stop at 255 characters). */
const NAME_LIMIT = 255;
/**
 * Bump when rendering changes, so every description is rewritten once with the new rendering.
 * 2: HTML is read with parse5 and fitted to the ADF schema (it was turndown + marklassian): invalid
 * nesting is repaired, underline and strike-through kept, Markdown no longer leaks into the text,
 * and the length is measured on the stored document.
 */
const RENDERING_VERSION = 2;
const TRUNCATED = '(truncated: the full description is in Productboard)';

export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Newest first, like Productboard's insights list (a note without a creation time last). */
const newestFirst = (notes: readonly SourceNote[]) =>
  [...notes].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.id.localeCompare(b.id));

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
  const body = htmlToAdf(source.html).content;
  const tail = source.sourceLink && source.url ? [paragraph(text('Synced from Productboard: '), link(label(source.name), source.url))] : [];
  const insights = source.insights && source.insights.notes.length > 0 ? source.insights : null;
  const sorted = insights ? newestFirst(insights.notes) : [];
  const listed = insights?.list ? Math.min(insights.max, sorted.length) : 0;
  const insightsSection = (shown: number): AdfNode[] => {
    if (!insights) return [];
    const section = [heading(3, `Customer insights (${sorted.length})`)];
    if (shown > 0)
      section.push(
        bulletList(sorted.slice(0, shown).map((note) => [note.url ? link(label(note.name), note.url) : text(label(note.name))])),
      );
    if (listed > 0 && sorted.length > shown) section.push(paragraph(text(`…and ${sorted.length - shown} more in Productboard`)));
    return section;
  };
  const whole = document([...body, ...insightsSection(listed), ...tail]);
  if (storedLength(whole) <= DESCRIPTION_JSON_LIMIT) return whole;

  // Too long. What the body does not need goes to the insights list, which keeps at least half the
  // room when both are long (listing fewer notes); the body is cut where the room ends and marked.
  const marker = paragraph(text(TRUNCATED, [{ type: 'em' }]));
  const room = DESCRIPTION_JSON_LIMIT - storedLength(document([])) - storedLength([...tail, marker]) - 4; // 4: commas joining the parts
  const insightsRoom = Math.max(Math.floor(room / 2), room - storedLength(body));
  const shown = largestFitting(listed, (n) => storedLength(insightsSection(n)) <= insightsRoom);
  const listing = insightsSection(shown);
  const bodyRoom = room - storedLength(listing);
  const kept = storedLength(body) <= bodyRoom ? body : [...takeFitting(body, bodyRoom), marker];
  return document([...kept, ...listing, ...tail]);
}

/** The document as sent: fitted to the schema, whatever its parts (a note's URL is checked too). */
const document = (content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content: normaliseBlocks(content) });

/** A name as quoted in the description: never empty, clipped at NAME_LIMIT. */
function label(name: string): string {
  const trimmed = name.trim() || 'Untitled';
  return trimmed.length > NAME_LIMIT ? `${trimmed.slice(0, NAME_LIMIT - 1).replace(/[\ud800-\udbff]$/, '')}…` : trimmed;
}
