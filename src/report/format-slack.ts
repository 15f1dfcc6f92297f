import { printableLines } from '../util/untrusted-text.js';

/** Renders a Block Kit payload as plain lines, to show in a terminal what Slack would display. */
export function formatSlackMessage(body: unknown): string {
  const payload = (body ?? {}) as {
    text?: string;
    blocks?: Array<{ type: string; text?: { text?: string }; elements?: Array<{ text?: string }> }>;
  };
  const lines: string[] = [];
  for (const block of payload.blocks ?? []) {
    if (block.type === 'header') lines.push(`┃ ${block.text?.text ?? ''}`);
    else if (block.type === 'section') lines.push(...(block.text?.text ?? '').split('\n').map((l) => `┃ ${l}`));
    else if (block.type === 'context') lines.push(...(block.elements ?? []).map((e) => `┃ (${e.text ?? ''})`));
  }
  if (!lines.length && payload.text) lines.push(`┃ ${payload.text}`);
  // Show Slack's <url|label> links as "label" for reading, and unescape entities.
  return printableLines(
    lines.map((l) =>
      l
        .replace(/<[^|>]+\|([^>]+)>/g, '$1')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ),
  );
}
