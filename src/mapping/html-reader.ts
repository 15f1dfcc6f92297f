import { parseFragment, type DefaultTreeAdapterTypes as Html } from 'parse5';
import type { AdfMark, AdfNode } from '../model/adf.js';
import { isSafeHref } from './adf-normalise.js';

// Reads Productboard rich text (HTML from a small tag set: p, b, i, u, s, code, h1–h3, ul/ol/li,
// pre, blockquote, hr, a, br) into ADF nodes, one element to one node or mark. The HTML is parsed
// by parse5, the WHATWG parser behind jsdom, so broken nesting is repaired exactly as a browser
// would. What comes out may still nest in ways Jira refuses (a heading in a list item): fitting it
// to the schema is adf-normalise.ts's job, kept apart so each rule can be read and tested alone.
//
// Why not HTML → Markdown → ADF (turndown + marklassian, used up to rendering version 1): Markdown
// has no underline, and the round trip lost or invented text. `&lt;div&gt;` vanished as raw HTML;
// a link inside italics inside bold came out as the literal text `[c](https://…)`; Markdown escapes
// leaked into link text (`a\_b`). Walking the parsed tree keeps every character.

const STRONG: AdfMark = { type: 'strong' };
const EM: AdfMark = { type: 'em' };
const UNDERLINE: AdfMark = { type: 'underline' };
const STRIKE: AdfMark = { type: 'strike' };
const CODE: AdfMark = { type: 'code' };

/** Inline formatting elements and the ADF mark each stands for. */
const MARK_OF: Readonly<Record<string, AdfMark>> = {
  b: STRONG,
  strong: STRONG,
  i: EM,
  em: EM,
  cite: EM,
  u: UNDERLINE,
  ins: UNDERLINE,
  s: STRIKE,
  strike: STRIKE,
  del: STRIKE,
  code: CODE,
  kbd: CODE,
  samp: CODE,
  tt: CODE,
  sub: { type: 'subsup', attrs: { type: 'sub' } },
  sup: { type: 'subsup', attrs: { type: 'sup' } },
};

/** Elements that only group blocks (ADF has no such node): their text becomes paragraphs. */
const GROUPING = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
  'center',
  'li',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
]);

/** Elements a browser does not render as text. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'head', 'title', 'meta', 'link', 'base']);

// Control characters other than tab and newline are not text anyone typed; Jira may refuse them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;
// HTML collapses runs of ASCII whitespace to one space outside <pre> (non-breaking spaces stay).
const COLLAPSIBLE = /[\t\n\f\r ]+/g;

const attr = (element: Html.Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;
const isElement = (node: Html.ChildNode): node is Html.Element => 'tagName' in node;
const withMark = (marks: readonly AdfMark[], mark: AdfMark): AdfMark[] => [...marks.filter((m) => m.type !== mark.type), mark];

/** Parses HTML and reads it into ADF block nodes (not yet fitted to the schema). */
export function readHtml(html: string): AdfNode[] {
  return readBlocks(parseFragment(html).childNodes, []);
}

/** Reads nodes that sit where blocks may: runs of inline content become paragraphs. */
function readBlocks(nodes: readonly Html.ChildNode[], outerMarks: readonly AdfMark[]): AdfNode[] {
  const blocks: AdfNode[] = [];
  let run: AdfNode[] = [];
  const endParagraph = () => {
    const inline = tidyInline(run);
    // A paragraph holding only <br> is how editors type an empty line: keep the line.
    if (inline.length > 0 || run.some((node) => node.type === 'hardBreak')) blocks.push({ type: 'paragraph', content: inline });
    run = [];
  };
  const block = (...nodes: AdfNode[]) => {
    endParagraph();
    blocks.push(...nodes);
  };

  const visit = (node: Html.ChildNode, marks: readonly AdfMark[]): void => {
    if (node.nodeName === '#text') {
      const value = (node as Html.TextNode).value.replace(CONTROL, '').replace(COLLAPSIBLE, ' ');
      run.push(marks.length ? { type: 'text', text: value, marks: [...marks] } : { type: 'text', text: value });
      return;
    }
    if (!isElement(node) || HIDDEN.has(node.tagName)) return;
    const tag = node.tagName;
    const children = node.childNodes;
    const heading = /^h([1-6])$/.exec(tag);
    if (tag === 'br') run.push({ type: 'hardBreak' });
    else if (tag === 'hr') block({ type: 'rule' });
    else if (tag === 'pre') block(codeBlock(node));
    else if (tag === 'ul' || tag === 'ol') block(list(node, marks));
    else if (tag === 'blockquote') block({ type: 'blockquote', content: readBlocks(children, marks) });
    else if (heading) block(...asHeadings(Number(heading[1]), readBlocks(children, marks)));
    else if (tag === 'img') visitImage(node, marks);
    else if (GROUPING.has(tag)) {
      endParagraph();
      for (const child of children) visit(child, marks);
      endParagraph();
    } else {
      const href = tag === 'a' ? attr(node, 'href')?.trim() : undefined;
      const mark = href !== undefined && isSafeHref(href) ? { type: 'link', attrs: { href } } : MARK_OF[tag];
      for (const child of children) visit(child, mark ? withMark(marks, mark) : marks);
    }
  };
  // Images are not carried (Jira would fetch external media): a web image becomes a link to it.
  const visitImage = (image: Html.Element, marks: readonly AdfMark[]) => {
    const src = attr(image, 'src')?.trim() ?? '';
    const alt = attr(image, 'alt')?.replace(CONTROL, '').replace(COLLAPSIBLE, ' ').trim();
    if (isSafeHref(src)) run.push({ type: 'text', text: alt || 'image', marks: withMark(marks, { type: 'link', attrs: { href: src } }) });
  };

  for (const node of nodes) visit(node, outerMarks);
  endParagraph();
  return blocks;
}

/** A list; content that is not an <li> is kept in place for the normaliser to attach to an item. */
function list(element: Html.Element, marks: readonly AdfMark[]): AdfNode {
  const content = element.childNodes.flatMap((child): AdfNode[] =>
    isElement(child) && child.tagName === 'li'
      ? [{ type: 'listItem', content: readBlocks(child.childNodes, marks) }]
      : readBlocks([child], marks),
  );
  if (element.tagName === 'ul') return { type: 'bulletList', content };
  const start = attr(element, 'start')?.trim() ?? '';
  return { type: 'orderedList', attrs: { order: /^\d{1,9}$/.test(start) ? Number(start) : 1 }, content };
}

/** A heading's inline content; blocks a parser let into a heading (a list) stay blocks after it. */
function asHeadings(level: number, blocks: AdfNode[]): AdfNode[] {
  return blocks.map((node) => (node.type === 'paragraph' ? { type: 'heading', attrs: { level }, content: node.content ?? [] } : node));
}

/** <pre> is preformatted text: its characters as they are, <br> and block ends as newlines. */
function codeBlock(pre: Html.Element): AdfNode {
  const text = preText(pre.childNodes).replace(CONTROL, '').replace(/\n+$/, '');
  return { type: 'codeBlock', content: text ? [{ type: 'text', text }] : [] };
}

function preText(nodes: readonly Html.ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.nodeName === '#text') out += (node as Html.TextNode).value;
    else if (!isElement(node) || HIDDEN.has(node.tagName)) continue;
    else if (node.tagName === 'br') out += '\n';
    else if (GROUPING.has(node.tagName) || /^(h[1-6]|ul|ol|pre|blockquote)$/.test(node.tagName))
      out += `${out && !out.endsWith('\n') ? '\n' : ''}${preText(node.childNodes)}\n`;
    else out += preText(node.childNodes);
  }
  return out;
}

/**
 * Whitespace as a browser lays it out (CSS `white-space: normal`): no space at the start or end
 * of a line, never two in a row across elements; text left empty is dropped (ADF refuses empty
 * text nodes). A trailing <br> draws nothing in a browser, so it is dropped too.
 */
function tidyInline(run: readonly AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  let lineStart = true;
  const trimEnd = () => {
    const last = out.at(-1);
    if (last?.type !== 'text' || !last.text?.endsWith(' ')) return;
    const text = last.text.slice(0, -1);
    if (text) out[out.length - 1] = { ...last, text };
    else out.pop();
  };
  for (const node of run) {
    if (node.type === 'hardBreak') {
      trimEnd();
      out.push(node);
      lineStart = true;
      continue;
    }
    const previous = out.at(-1);
    const spaced = lineStart || (previous?.type === 'text' && previous.text?.endsWith(' '));
    const text = spaced ? (node.text ?? '').replace(/^ /, '') : (node.text ?? '');
    if (!text) continue;
    out.push({ ...node, text });
    lineStart = false;
  }
  trimEnd();
  while (out.at(-1)?.type === 'hardBreak') out.pop();
  return out;
}
