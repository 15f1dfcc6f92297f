import type { AdfMark, AdfNode } from '../model/adf.js';

// Fits ADF block content to what Jira accepts, keeping every character of text. Jira refuses a
// description that breaks the ADF schema with 400 INVALID_INPUT, and the item would then fail on
// every pass. The rules, from the document structure page
// (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/), the node and
// mark pages under .../apis/document/nodes/ and .../marks/, and the JSON schema published in
// @atlaskit/adf-schema (json-schema/v1/full.json, which the tests validate against):
//
// - blockquote holds paragraph, bulletList, orderedList, codeBlock (nodes/blockquote/):
//   a heading inside becomes a bold paragraph, a nested quote gives up its frame (its content joins
//   the outer quote), a rule splits the quote in two around it.
// - listItem holds paragraph, bulletList, orderedList, codeBlock (nodes/listItem/), and may not
//   start with a list (adf-builder reference, nodes/listItem/): a heading becomes a bold paragraph,
//   a quote gives up its frame, a rule is dropped (it has no text), and an item that would start
//   with anything but a paragraph or code block gets an empty paragraph first, as Atlassian
//   advises. An item with no content gets an empty paragraph (content needs at least one node).
// - bulletList and orderedList hold listItem only, at least one (nodes/bulletList/): content that is
//   not an item joins the item before it (a browser draws `<ul><li>a</li><ul>…</ul></ul>` nested
//   under "a"), or opens an item; a list with nothing in it is dropped.
// - blockquote needs at least one node: an empty quote is dropped.
// - codeBlock holds unmarked text only (nodes/codeBlock/): marks are dropped, breaks become "\n".
// - text is never empty (nodes/text/); a mark type appears once per node (marks/); code goes with
//   link only (marks/code/): other marks on code text are dropped; a link needs a web or mail href
//   (anything else keeps its text, not its link); subsup needs type sub or sup.
// - inline nodes (text, hardBreak) never sit where blocks belong: they are wrapped in a paragraph.
// - heading level is 1–6 (nodes/heading/); orderedList order is a whole number ≥ 0.
//
// Every function here is pure and the result is a fixed point: normalising twice changes nothing.

type Container = 'doc' | 'blockquote' | 'listItem';

const INLINE = new Set(['text', 'hardBreak']);
/** Marks a text node may carry, in the order we write them (a stable order lets equal runs merge). */
const MARK_ORDER = ['link', 'strong', 'em', 'underline', 'strike', 'subsup', 'code'];
/** What a listItem may start with (nodes/listItem/; mediaSingle is never produced here). */
const ITEM_STARTS = new Set(['paragraph', 'codeBlock']);

/** Jira links to the web and to mail; anything else (javascript:, relative paths) keeps its text only. */
// eslint-disable-next-line no-control-regex -- refusing control characters in a link is the point
export const isSafeHref = (href: string): boolean => /^(https?:\/\/|mailto:)[^\s\u0000-\u001f]+$/i.test(href);

const emptyParagraph = (): AdfNode => ({ type: 'paragraph', content: [] });

/** Fits document content (the top level of a description) to the ADF schema. */
export function normaliseBlocks(nodes: readonly AdfNode[]): AdfNode[] {
  return fitBlocks(nodes, 'doc');
}

function fitBlocks(nodes: readonly AdfNode[], container: Container): AdfNode[] {
  const out: AdfNode[] = [];
  let inline: AdfNode[] = [];
  const endInline = () => {
    if (inline.length > 0) out.push(paragraph(inline));
    inline = [];
  };
  for (const node of nodes) {
    if (INLINE.has(node.type)) inline.push(node);
    else {
      endInline();
      out.push(...fitBlock(node, container));
    }
  }
  endInline();
  return out;
}

function fitBlock(node: AdfNode, container: Container): AdfNode[] {
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return [paragraph(content)];
    case 'heading':
      return container === 'doc'
        ? [{ type: 'heading', attrs: { level: headingLevel(node.attrs?.level) }, content: fitInline(content) }]
        : [paragraph(content.map(bold))];
    case 'bulletList':
    case 'orderedList':
      return fitList(node);
    case 'blockquote':
      // Inside a quote, rules pass through fitBlocks('blockquote') so the quote at the top splits there.
      if (container === 'doc') return splitAtRules(fitBlocks(content, 'blockquote'));
      return fitBlocks(content, container);
    case 'rule':
      return container === 'listItem' ? [] : [{ type: 'rule' }];
    case 'codeBlock':
      return [codeBlock(node)];
    default:
      // A node we do not write (listItem out of a list, anything unknown): keep what it holds.
      return fitBlocks(content, container);
  }
}

function paragraph(content: readonly AdfNode[]): AdfNode {
  return { type: 'paragraph', content: fitInline(content) };
}

function fitList(list: AdfNode): AdfNode[] {
  const items: AdfNode[][] = [];
  for (const child of list.content ?? []) {
    if (child.type === 'listItem') items.push(fitBlocks(child.content ?? [], 'listItem'));
    else {
      const blocks = fitBlocks([child], 'listItem');
      const previous = items.at(-1);
      if (previous) previous.push(...blocks);
      else if (blocks.length > 0) items.push(blocks);
    }
  }
  if (items.length === 0) return [];
  const content = items.map((blocks) => ({
    type: 'listItem',
    content: ITEM_STARTS.has(blocks[0]?.type ?? '') ? blocks : [emptyParagraph(), ...blocks],
  }));
  if (list.type === 'bulletList') return [{ type: 'bulletList', content }];
  const order = list.attrs?.order;
  return [{ type: 'orderedList', attrs: { order: Number.isSafeInteger(order) && (order as number) >= 0 ? order : 1 }, content }];
}

/** A quote cannot hold a rule: the rule stands between two quotes. Empty quotes are dropped. */
function splitAtRules(blocks: readonly AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  let quoted: AdfNode[] = [];
  const endQuote = () => {
    if (quoted.length > 0) out.push({ type: 'blockquote', content: quoted });
    quoted = [];
  };
  for (const node of blocks) {
    if (node.type === 'rule') {
      endQuote();
      out.push(node);
    } else quoted.push(node);
  }
  endQuote();
  return out;
}

function codeBlock(node: AdfNode): AdfNode {
  const text = plainText(node.content ?? []);
  const language = node.attrs?.language;
  return {
    type: 'codeBlock',
    ...(typeof language === 'string' && language !== '' ? { attrs: { language } } : {}),
    content: text ? [{ type: 'text', text }] : [],
  };
}

function plainText(nodes: readonly AdfNode[]): string {
  return nodes.map((node) => (node.type === 'hardBreak' ? '\n' : (node.text ?? '') + plainText(node.content ?? []))).join('');
}

const headingLevel = (level: unknown): number =>
  typeof level === 'number' && Number.isFinite(level) ? Math.min(6, Math.max(1, Math.round(level))) : 1;

/** A heading where none may stand keeps its weight as bold text (code text cannot be bold). */
function bold(node: AdfNode): AdfNode {
  if (node.type !== 'text' || node.marks?.some((mark) => mark.type === 'code')) return node;
  return { ...node, marks: [...(node.marks ?? []), { type: 'strong' }] };
}

/** Inline content: valid marks, no empty text, neighbouring text with equal marks merged. */
function fitInline(nodes: readonly AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    if (node.type === 'hardBreak') out.push({ type: 'hardBreak' });
    else if (node.type === 'text') {
      if (!node.text) continue;
      const marks = fitMarks(node.marks ?? []);
      const previous = out.at(-1);
      if (previous?.type === 'text' && sameMarks(previous.marks, marks))
        out[out.length - 1] = { ...previous, text: `${previous.text}${node.text}` };
      else out.push(marks.length ? { type: 'text', text: node.text, marks } : { type: 'text', text: node.text });
    } else out.push(...fitInline(node.content ?? [])); // a block where text belongs: keep its text
  }
  return out;
}

function fitMarks(marks: readonly AdfMark[]): AdfMark[] {
  const byType = new Map<string, AdfMark>();
  for (const mark of marks) {
    const fitted = fitMark(mark);
    if (fitted) byType.set(fitted.type, fitted); // the innermost of two marks of one type wins
  }
  const kept = byType.has('code')
    ? [...byType.values()].filter((mark) => mark.type === 'code' || mark.type === 'link')
    : [...byType.values()];
  return kept.sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

function fitMark(mark: AdfMark): AdfMark | undefined {
  if (mark.type === 'link') {
    const href = mark.attrs?.href;
    return typeof href === 'string' && isSafeHref(href) ? { type: 'link', attrs: { href } } : undefined;
  }
  if (mark.type === 'subsup') {
    const kind = mark.attrs?.type;
    return kind === 'sub' || kind === 'sup' ? { type: 'subsup', attrs: { type: kind } } : undefined;
  }
  return MARK_ORDER.includes(mark.type) ? { type: mark.type } : undefined;
}

const sameMarks = (a: readonly AdfMark[] | undefined, b: readonly AdfMark[]): boolean => JSON.stringify(a ?? []) === JSON.stringify(b);
