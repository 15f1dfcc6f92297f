import { findInvalidNode } from './adf.js';
import type { AdfDoc, AdfNode } from '../model/adf.js';
import { normaliseBlocks } from './adf-normalise.js';
import { readHtml } from './html-reader.js';

// Productboard rich text → Jira's Atlassian Document Format, in two steps: read the HTML into ADF
// nodes (html-reader.ts), then fit them to the schema Jira enforces (adf-normalise.ts). Text,
// bold, italics, underline, strike-through, code, links, headings, lists, quotes, code blocks and
// rules survive; images become links; only web and mail links are kept as links.

export class HtmlConversionError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'HtmlConversionError';
  }
}

/** Converts Productboard HTML to ADF; throws HtmlConversionError with the reason when it cannot. */
export function htmlToAdf(html: string): AdfDoc {
  let content: AdfNode[];
  try {
    content = normaliseBlocks(readHtml(html));
  } catch (error) {
    // The parser repairs any markup; what can still fail is nesting so deep the stack runs out.
    throw new HtmlConversionError(`HTML could not be converted: ${(error as Error).message}`);
  }
  const invalid = findInvalidNode(content);
  if (invalid) throw new HtmlConversionError(`HTML conversion produced invalid ADF at ${invalid}`);
  return { version: 1, type: 'doc', content };
}
