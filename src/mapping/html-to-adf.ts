import TurndownService from 'turndown';
import { markdownToAdf } from 'marklassian';
import { findInvalidNode } from './adf.js';
import type { AdfDoc, AdfNode } from '../model/adf.js';

// Productboard rich text is HTML from a small tag set (p, b, i, u, s, code, h1, h2, ul/ol/li, pre,
// blockquote, hr, a: reference/productboard-api.md §3.1). We convert with two well-kept libraries
// rather than a hand-written walker: turndown (HTML → Markdown) and marklassian (Markdown → ADF).
// Markdown has no underline, so <u> degrades to plain text; everything else survives.

export class HtmlConversionError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HtmlConversionError';
  }
}

const SAFE_HREF = /^(https?:|mailto:)/i;

const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '_' });
// A link Jira would reject (javascript:, relative) keeps its text and loses the href.
turndown.addRule('unsafe-links', {
  filter: (node) => node.nodeName === 'A' && !SAFE_HREF.test(node.getAttribute('href') ?? ''),
  replacement: (content) => content,
});
// Images are not carried: Jira would try to fetch external media; keep a link when there is one.
turndown.addRule('images-as-links', {
  filter: 'img',
  replacement: (_content, node) => {
    const element = node as unknown as { getAttribute(name: string): string | null };
    const src = element.getAttribute('src') ?? '';
    const alt = element.getAttribute('alt') || 'image';
    return SAFE_HREF.test(src) ? `[${alt}](${src})` : '';
  },
});

/** Converts Productboard HTML to ADF; throws HtmlConversionError with the reason when it cannot. */
export function htmlToAdf(html: string): AdfDoc {
  if (html.trim() === '') return { version: 1, type: 'doc', content: [] };
  let doc: { content?: unknown };
  try {
    doc = markdownToAdf(turndown.turndown(html)) as { content?: unknown };
  } catch (error) {
    throw new HtmlConversionError(`HTML could not be converted: ${(error as Error).message}`);
  }
  if (!Array.isArray(doc.content)) throw new HtmlConversionError('HTML conversion produced no document');
  const content = doc.content as AdfNode[];
  const invalid = findInvalidNode(content);
  if (invalid) throw new HtmlConversionError(`HTML conversion produced invalid ADF at ${invalid}`);
  return { version: 1, type: 'doc', content };
}
