import type { AdfMark, AdfNode } from '../model/adf.js';

// Atlassian Document Format: the rich-text format of Jira Cloud v3 descriptions
// (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/).

export const text = (value: string, marks?: AdfMark[]): AdfNode =>
  marks?.length ? { type: 'text', text: value, marks } : { type: 'text', text: value };

export const link = (value: string, href: string): AdfNode => text(value, [{ type: 'link', attrs: { href } }]);

export const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });

export const heading = (level: number, value: string): AdfNode => ({ type: 'heading', attrs: { level }, content: [text(value)] });

export const bulletList = (items: AdfNode[][]): AdfNode => ({
  type: 'bulletList',
  content: items.map((inline) => ({ type: 'listItem', content: [paragraph(...inline)] })),
});

/** Empty text nodes are invalid ADF (a text node needs non-empty `text`); returns the first bad path. */
export function findInvalidNode(nodes: readonly AdfNode[], path = 'content'): string | undefined {
  for (const [index, node] of nodes.entries()) {
    const here = `${path}[${index}]`;
    if (typeof node.type !== 'string' || node.type === '') return `${here}: node without a type`;
    if (node.type === 'text' && (typeof node.text !== 'string' || node.text.length === 0)) return `${here}: empty text node`;
    if (node.content) {
      const nested = findInvalidNode(node.content, `${here}.content`);
      if (nested) return nested;
    }
  }
  return undefined;
}
