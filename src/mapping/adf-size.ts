import type { AdfNode } from '../model/adf.js';

// Jira caps a description at 32,767 characters (JRACLOUD-68949). Atlassian does not say whether the
// cap applies to the text or to the stored document, and a description rich in links, marks and
// list items has far more JSON than text. So we measure the conservative way: the length of the
// document's JSON, which is never shorter than its text (every character of text appears in it,
// escaped or not) and counts every link URL, mark and node wrapper.

/** Characters of a node, node list or document as JSON, the form Jira stores. */
export const storedLength = (value: unknown): number => JSON.stringify(value).length;

/**
 * The longest beginning of `nodes`, in reading order, whose JSON array fits in `budget` characters:
 * whole nodes while they fit, then the first one that does not is cut inside (its children, down
 * to the characters of a text node). A container left with no content is dropped, so what remains
 * keeps the shape the normaliser gave it (a list item still starts with its paragraph).
 */
export function takeFitting(nodes: readonly AdfNode[], budget: number): AdfNode[] {
  const kept: AdfNode[] = [];
  let used = 2; // "[]"
  for (const node of nodes) {
    const comma = kept.length > 0 ? 1 : 0;
    const size = storedLength(node) + comma;
    if (used + size <= budget) {
      kept.push(node);
      used += size;
      continue;
    }
    const cut = cutNode(node, budget - used - comma);
    if (cut) kept.push(cut);
    break;
  }
  return kept;
}

function cutNode(node: AdfNode, budget: number): AdfNode | undefined {
  if (node.type === 'text') {
    const text = longestPrefix(node.text ?? '', (prefix) => storedLength({ ...node, text: prefix }) <= budget);
    return text ? { ...node, text } : undefined;
  }
  if (!node.content?.length) return undefined; // a leaf (rule, break) is kept whole or not at all
  const frame = storedLength({ ...node, content: [] }) - 2;
  const content = takeFitting(node.content, budget - frame);
  return content.length > 0 ? { ...node, content } : undefined;
}

/** Longest prefix of `text` that `fits` (monotone), never splitting a surrogate pair. */
function longestPrefix(text: string, fits: (prefix: string) => boolean): string {
  const length = largestFitting(text.length, (n) => fits(text.slice(0, n)));
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/** The largest n in 0..max with fits(n), for a `fits` that holds up to some n and not beyond (fits(0) is assumed). */
export function largestFitting(max: number, fits: (n: number) => boolean): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
