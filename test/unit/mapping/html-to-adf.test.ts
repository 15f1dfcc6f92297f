import { describe, expect, it } from 'vitest';
import { HtmlConversionError, htmlToAdf } from '../../../src/mapping/html-to-adf.js';
import type { AdfDoc } from '../../../src/model/adf.js';
import { adfProblems, adfText, visible } from './adf-schema.js';

describe('htmlToAdf', () => {
  it('converts Productboard rich text to ADF blocks and marks', () => {
    const doc = htmlToAdf(
      '<h2>Goal</h2><p>Make <b>checkout</b> <i>fast</i> &amp; <a href="https://example.com">safe</a></p><ul><li>one</li><li>two</li></ul>',
    );
    expect(doc).toMatchObject({ version: 1, type: 'doc' });
    expect(doc.content.map((n) => n.type)).toEqual(['heading', 'paragraph', 'bulletList']);
    const paragraph = JSON.stringify(doc.content[1]);
    expect(paragraph).toContain('"strong"');
    expect(paragraph).toContain('"em"');
    expect(paragraph).toContain('"href":"https://example.com"');
    expect(paragraph).toContain(' & ');
  });

  it('keeps code blocks, quotes, ordered lists and rules', () => {
    const doc = htmlToAdf('<pre><code>a &lt; b</code></pre><blockquote>said</blockquote><ol><li>x</li></ol><hr>');
    expect(doc.content.map((n) => n.type)).toEqual(['codeBlock', 'blockquote', 'orderedList', 'rule']);
    expect(JSON.stringify(doc.content[0])).toContain('a < b');
  });

  it('drops links Jira would refuse but keeps their text', () => {
    const doc = htmlToAdf('<p><a href="javascript:alert(1)">click</a></p>');
    expect(JSON.stringify(doc)).not.toContain('javascript');
    expect(JSON.stringify(doc)).toContain('click');
  });

  it('gives an empty document for an empty description', () => {
    expect(htmlToAdf('   ')).toEqual({ version: 1, type: 'doc', content: [] });
  });
});

describe('valid ADF, always (from Productboard HTML)', () => {
  const marksOf = (doc: AdfDoc) =>
    doc.content.flatMap((block) => (block.content ?? []).map((node) => [node.text, (node.marks ?? []).map((m) => m.type)]));

  it('keeps strike-through (<s>, <del>, <strike>) and underline (<u>, <ins>) as ADF marks', () => {
    const doc = htmlToAdf('<p><s>old</s> <del>gone</del> <strike>was</strike> <u>key</u> <ins>added</ins></p>');
    expect(adfProblems(doc)).toEqual([]);
    expect(marksOf(doc)).toEqual([
      ['old', ['strike']],
      [' ', []],
      ['gone', ['strike']],
      [' ', []],
      ['was', ['strike']],
      [' ', []],
      ['key', ['underline']],
      [' ', []],
      ['added', ['underline']],
    ]);
  });

  it('carries every mark through any nesting, links included', () => {
    const html = '<p><b>a <i>b <a href="https://x.example/p?q=1&amp;r=2"><u><s>c</s></u></a> d</i> e</b></p>';
    const doc = htmlToAdf(html);
    expect(adfProblems(doc)).toEqual([]);
    expect(marksOf(doc)).toEqual([
      ['a ', ['strong']],
      ['b ', ['strong', 'em']],
      ['c', ['link', 'strong', 'em', 'underline', 'strike']],
      [' d', ['strong', 'em']],
      [' e', ['strong']],
    ]);
    expect(JSON.stringify(doc)).toContain('"href":"https://x.example/p?q=1&r=2"');
  });

  it('keeps text that looks like markup or Markdown exactly as typed', () => {
    const typed = 'if a <div> b < c, *not bold* _x_ 1. [a](b) `c` # h \\ ~~y~~';
    const html = `<p>${typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;
    expect(adfText(htmlToAdf(html).content)).toBe(typed);
    expect(adfText(htmlToAdf('<p><a href="https://x.example/a_b*c">https://x.example/a_b*c</a></p>').content)).toBe(
      'https://x.example/a_b*c',
    );
  });

  it('only http(s) and mailto links survive as links; other hrefs and images keep their text or become links', () => {
    const doc = htmlToAdf(
      '<p><a href="javascript:alert(1)">js</a> <a href="/rel">rel</a> <a href=" https://ok.example ">ok</a> <a href="mailto:pm@example.com">mail</a> <img src="https://img.example/a.png" alt="chart"><img src="data:x" alt="inline"></p>',
    );
    expect(adfProblems(doc)).toEqual([]);
    const hrefs = JSON.stringify(doc).match(/"href":"[^"]*"/g);
    expect(hrefs).toEqual(['"href":"https://ok.example"', '"href":"mailto:pm@example.com"', '"href":"https://img.example/a.png"']);
    expect(adfText(doc.content)).toBe('js rel ok mail chart');
  });

  it('lays out whitespace as a browser does and keeps <br> as a break, code blocks verbatim', () => {
    const doc = htmlToAdf('<p>  one \n <b> two </b>  three<br>  four <br></p><pre>  x\n  y<br>z</pre>');
    expect(adfProblems(doc)).toEqual([]);
    expect(adfText(doc.content)).toBe('one two three\nfour  x\n  y\nz');
    expect(doc.content[1]).toEqual({ type: 'codeBlock', content: [{ type: 'text', text: '  x\n  y\nz' }] });
  });

  it('numbers an ordered list from its start attribute, or from 1 when it has none that ADF accepts', () => {
    const orders = htmlToAdf(
      '<ol start="3"><li>a</li></ol><ol start=""><li>b</li></ol><ol start="-2"><li>c</li></ol><ol><li>d</li></ol>',
    ).content.map((n) => n.attrs);
    expect(orders).toEqual([{ order: 3 }, { order: 1 }, { order: 1 }, { order: 1 }]);
  });

  it('keeps the text of markup a browser repairs (a list inside a heading, blocks inside bold)', () => {
    const doc = htmlToAdf('<h2>a<ul><li>b</li></ul>c</h2><b><p>bold para</p></b><ul><li>one</li><ul><li>nested</li></ul></ul>');
    expect(adfProblems(doc)).toEqual([]);
    expect(doc.content.map((node) => node.type)).toEqual(['heading', 'bulletList', 'heading', 'paragraph', 'bulletList']);
    expect(visible(adfText(doc.content))).toBe('abcboldparaonenested');
  });
});

describe('htmlToAdf on pathological input', () => {
  it('nesting too deep to walk is a clear HtmlConversionError, not a crash', () => {
    expect(() => htmlToAdf(`${'<blockquote>'.repeat(50_000)}x`)).toThrow(HtmlConversionError);
    expect(() => htmlToAdf(`${'<blockquote>'.repeat(50_000)}x`)).toThrow(/HTML could not be converted: Maximum call stack size exceeded/);
  });
});
