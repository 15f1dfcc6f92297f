import { describe, expect, it } from 'vitest';
import type { AdfDoc, AdfMark, AdfNode } from '../../../src/model/adf.js';
import { normaliseBlocks } from '../../../src/mapping/adf-normalise.js';
import { htmlToAdf } from '../../../src/mapping/html-to-adf.js';
import { readHtml } from '../../../src/mapping/html-reader.js';
import { adfProblems, adfText, visible } from './adf-schema.js';

const doc = (content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });
const t = (text: string, ...marks: AdfMark[]): AdfNode => (marks.length ? { type: 'text', text, marks } : { type: 'text', text });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const h = (level: number, text: string): AdfNode => ({ type: 'heading', attrs: { level }, content: [t(text)] });
const quote = (...content: AdfNode[]): AdfNode => ({ type: 'blockquote', content });
const li = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content });
const ul = (...content: AdfNode[]): AdfNode => ({ type: 'bulletList', content });
const rule: AdfNode = { type: 'rule' };
const strong: AdfMark = { type: 'strong' };
const emptyParagraph: AdfNode = { type: 'paragraph', content: [] };

/** Normalises and checks what every normalised document must be: schema-valid, same text. */
function fitted(content: AdfNode[]): AdfNode[] {
  const out = normaliseBlocks(content);
  expect(adfProblems(doc(out))).toEqual([]);
  expect(visible(adfText(out))).toBe(visible(adfText(content)));
  expect(normaliseBlocks(out)).toEqual(out); // a fixed point: normalising twice changes nothing
  return out;
}

describe('valid ADF, always', () => {
  // Inputs found by probing the first converter: each one, read as is, gives ADF Jira's schema forbids.
  const probeTable: [string, string][] = [
    ['heading inside a quote', '<blockquote><h2>Why</h2><p>Because</p></blockquote>'],
    ['quote inside a quote', '<blockquote><blockquote>inner</blockquote>outer</blockquote>'],
    ['rule inside a quote', '<blockquote><p>a</p><hr><p>b</p></blockquote>'],
    ['heading as a list item’s first child', '<ul><li><h2>Title</h2></li></ul>'],
    ['heading then paragraph in an ordered item', '<ol><li><h3>Step</h3><p>do it</p></li></ol>'],
    ['quote inside a list item', '<ul><li><p>x</p><blockquote>quoted</blockquote></li></ul>'],
    ['list item starting with a list', '<ul><li><ul><li>deep</li></ul></li></ul>'],
  ];

  it.each(probeTable)('%s: read as is it breaks the schema; converted it is valid and keeps the text', (_case, html) => {
    expect(adfProblems(doc(readHtml(html)))).not.toEqual([]); // the validator sees the problem
    const converted = htmlToAdf(html);
    expect(adfProblems(converted)).toEqual([]);
    expect(visible(adfText(converted.content))).toBe(visible(adfText(readHtml(html))));
  });

  it('a heading inside a quote becomes a bold paragraph in the quote', () => {
    expect(fitted([quote(h(2, 'Why'), p(t('Because')))])).toEqual([quote(p(t('Why', strong)), p(t('Because')))]);
  });

  it('a quote inside a quote gives up its frame; its content stays in the outer quote, in order', () => {
    expect(fitted([quote(p(t('a')), quote(p(t('b'))), p(t('c')))])).toEqual([quote(p(t('a')), p(t('b')), p(t('c')))]);
  });

  it('a rule inside a quote (at any depth) splits the quote around it', () => {
    expect(fitted([quote(p(t('a')), quote(rule, p(t('b'))), rule)])).toEqual([quote(p(t('a'))), rule, quote(p(t('b'))), rule]);
  });

  it('a heading in a list item becomes a bold paragraph, so the item starts with a paragraph', () => {
    expect(fitted([ul(li(h(3, 'Step'), p(t('do it'))))])).toEqual([ul(li(p(t('Step', strong)), p(t('do it'))))]);
  });

  it('a quote in a list item gives up its frame, and what it held is fitted for the item', () => {
    expect(fitted([ul(li(p(t('x')), quote(h(1, 'H'), p(t('q')), rule)))])).toEqual([ul(li(p(t('x')), p(t('H', strong)), p(t('q'))))]);
  });

  it('a list item never starts with a list: an empty paragraph goes first, as Atlassian advises', () => {
    expect(fitted([ul(li(ul(li(p(t('deep'))))))])).toEqual([ul(li(emptyParagraph, ul(li(p(t('deep'))))))]);
  });

  it('a list item may start with a code block, and an empty item gets an empty paragraph', () => {
    const code: AdfNode = { type: 'codeBlock', content: [t('x')] };
    expect(fitted([ul(li(code), li())])).toEqual([ul(li(code), li(emptyParagraph))]);
  });

  it('content of a list that is not an item joins the item before it, or opens one', () => {
    expect(fitted([ul(p(t('stray')), li(p(t('a'))), ul(li(p(t('b')))))])).toEqual([
      ul(li(p(t('stray'))), li(p(t('a')), ul(li(p(t('b')))))),
    ]);
  });

  it('empty lists and empty quotes are dropped; text at block level is wrapped in a paragraph', () => {
    expect(fitted([ul(), quote(), t('loose'), { type: 'hardBreak' }, t('text')])).toEqual([
      p(t('loose'), { type: 'hardBreak' }, t('text')),
    ]);
  });

  it('a code block holds plain text: marks go, breaks become newlines', () => {
    expect(fitted([{ type: 'codeBlock', attrs: { language: 'ts' }, content: [t('a', strong), { type: 'hardBreak' }, t('b')] }])).toEqual([
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('a\nb')] },
    ]);
  });

  it('code text keeps its link but no other mark; a mark appears once; equal neighbours merge', () => {
    const link: AdfMark = { type: 'link', attrs: { href: 'https://example.com' } };
    expect(fitted([p(t('x', { type: 'code' }, { type: 'underline' }, link), t('a', strong, strong), t('b', strong))])).toEqual([
      p(t('x', link, { type: 'code' }), t('ab', strong)),
    ]);
  });

  it('only web and mail links stay links; any other href keeps its text only', () => {
    const linked = (href: string) => t(href, { type: 'link', attrs: { href } });
    const out = fitted([
      p(
        linked('https://a.example'),
        linked('mailto:pm@example.com'),
        linked('javascript:alert(1)'),
        linked('/relative'),
        linked('ftp://x'),
      ),
    ]);
    expect(JSON.stringify(out)).not.toMatch(/"href":"(javascript|\/relative|ftp)/);
    expect(out).toEqual([p(linked('https://a.example'), linked('mailto:pm@example.com'), t('javascript:alert(1)/relativeftp://x'))]);
  });

  it('heading levels stay within 1–6 and ordered lists keep a whole, non-negative start', () => {
    const out = fitted([
      h(9, 'deep'),
      h(0, 'top'),
      { type: 'orderedList', attrs: { order: -2 }, content: [li(p(t('a')))] },
      { type: 'orderedList', attrs: { order: 4 }, content: [li(p(t('b')))] },
    ]);
    expect(out.map((node) => node.attrs)).toEqual([{ level: 6 }, { level: 1 }, { order: 1 }, { order: 4 }]);
  });
});
