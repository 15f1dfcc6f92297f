import { describe, expect, it } from 'vitest';
import type { SourceNote } from '../../../src/model/source.js';
import type { AdfDoc } from '../../../src/model/adf.js';
import { renderDescription } from '../../../src/mapping/description.js';
import type { DescriptionSource } from '../../../src/model/desired.js';
import { adfProblems, adfText } from './adf-schema.js';

const JIRA_DESCRIPTION_LIMIT = 32_767;
const TRUNCATED = '(truncated: the full description is in Productboard)';

const note = (
  n: number,
  name = `Customer call ${n}`,
  url: string | null = `https://acme.productboard.com/insights/notes/${n}`,
): SourceNote => ({
  id: `note-${String(n).padStart(4, '0')}`,
  name,
  url,
  linkedIds: [],
  createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
});

const source = (html: string, notes: SourceNote[] = [], max = 25): DescriptionSource => ({
  html,
  name: 'Faster checkout',
  url: 'https://acme.productboard.com/feature-board/features/1',
  sourceLink: true,
  insights: { notes, list: true, max },
});

const blockText = (doc: AdfDoc) => doc.content.map((node) => adfText([node]));

describe('the rendered description is valid ADF', () => {
  it('body, "Customer insights (N)" list and source link together pass the ADF schema', () => {
    const html =
      '<h1>Goal</h1><blockquote><h2>Quote</h2><hr><ul><li><h3>x</h3></li></ul></blockquote><ul><li><ul><li>deep</li></ul></li></ul><p><u>u</u> <s>s</s></p>';
    const doc = renderDescription(source(html, [note(1), note(2, 'Call with <b>', 'javascript:alert(1)'), note(3, '   ')]));
    expect(adfProblems(doc)).toEqual([]);
    const text = blockText(doc);
    expect(text.at(-3)).toBe('Customer insights (3)');
    expect(text.at(-2)).toBe('UntitledCall with <b>Customer call 1'); // newest first; an empty name still shows
    expect(text.at(-1)).toBe('Synced from Productboard: Faster checkout');
    expect(JSON.stringify(doc)).not.toContain('javascript:');
  });
});

describe('description length is measured on the stored document', () => {
  it('many links cannot push the stored document past Jira’s 32,767 characters, though their text is short', () => {
    // 2,000 links: 10,000 characters of text (under the old 30,000-text limit) but ~200,000 of JSON.
    const labels = Array.from({ length: 2000 }, (_, i) => `L${String(i).padStart(4, '0')}`);
    const html = `<p>${labels.map((label, i) => `<a href="https://docs.example.com/very/long/path/to/page/${i}?ref=productboard">${label}</a>`).join(' ')}</p>`;
    const doc = renderDescription(source(html, [note(1)]));
    expect(adfProblems(doc)).toEqual([]);
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(JIRA_DESCRIPTION_LIMIT);
    const text = blockText(doc);
    expect(text.at(-1)).toBe('Synced from Productboard: Faster checkout');
    expect(text).toContain(TRUNCATED);
    expect(text).toContain('Customer insights (1)');
    // What is kept is the beginning of the body, cut inside the one long paragraph.
    expect(text[0]!.length).toBeGreaterThan(1_000);
    expect(labels.join(' ').startsWith(text[0]!)).toBe(true);
  });

  it('cuts one huge paragraph where the room ends instead of dropping it whole', () => {
    const long = 'word '.repeat(12_000); // 60,000 characters in a single paragraph
    const doc = renderDescription(source(`<p>${long}</p>`));
    expect(adfProblems(doc)).toEqual([]);
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(JIRA_DESCRIPTION_LIMIT);
    const [kept, marker] = blockText(doc);
    expect(kept!.length).toBeGreaterThan(25_000);
    expect(long.startsWith(kept!)).toBe(true);
    expect(marker).toBe(TRUNCATED);
  });

  it('a long insights list gives way to a long body at half the room, and says how many more there are', () => {
    const notes = Array.from({ length: 200 }, (_, i) => note(i, `${'Interview notes '.repeat(20)}${i}`));
    const doc = renderDescription(source(`<p>${'body '.repeat(10_000)}</p>`, notes, 200));
    expect(adfProblems(doc)).toEqual([]);
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(JIRA_DESCRIPTION_LIMIT);
    const text = blockText(doc);
    expect(text[0]!.length).toBeGreaterThan(5_000);
    expect(text[1]).toBe(TRUNCATED);
    expect(text[2]).toBe('Customer insights (200)');
    const shown = doc.content[3]!.content!.length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(200);
    expect(text[4]).toBe(`…and ${200 - shown} more in Productboard`);
  });

  it('a short description is whole: no marker, every section', () => {
    const doc = renderDescription(source('<p>Make <b>checkout</b> fast</p>', [note(1), note(2)], 1));
    expect(blockText(doc)).toEqual([
      'Make checkout fast',
      'Customer insights (2)',
      'Customer call 2',
      '…and 1 more in Productboard',
      'Synced from Productboard: Faster checkout',
    ]);
  });
});
