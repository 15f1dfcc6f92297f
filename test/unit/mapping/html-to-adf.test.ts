import { describe, expect, it } from 'vitest';
import { htmlToAdf } from '../../../src/mapping/html-to-adf.js';

describe('htmlToAdf', () => {
  it('converts Productboard rich text to ADF blocks and marks', () => {
    const doc = htmlToAdf('<h2>Goal</h2><p>Make <b>checkout</b> <i>fast</i> &amp; <a href="https://example.com">safe</a></p><ul><li>one</li><li>two</li></ul>');
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
