import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceNote } from '../../../src/model/source.js';
import type { AdfDoc, AdfNode } from '../../../src/model/adf.js';
import { renderDescription } from '../../../src/mapping/description.js';
import { htmlToAdf } from '../../../src/mapping/html-to-adf.js';
import { adfProblems, adfText, visible } from './adf-schema.js';

// Random Productboard-style HTML, nested any way at all (a list in bold, a heading in a list item,
// quotes in quotes), with text from every corner of Unicode. fast-check runs it from a fixed seed,
// so a failure reproduces; on failure it prints the seed and the smallest HTML it could shrink to.
// ADF_PROPERTY_SEED=<n> and ADF_PROPERTY_RUNS=<n> explore further (`npx vitest run <this file>`).
const SEED = Number(process.env.ADF_PROPERTY_SEED ?? 20_261_129);
const RUNS = Number(process.env.ADF_PROPERTY_RUNS ?? 500);
const JIRA_DESCRIPTION_LIMIT = 32_767;
const TRUNCATED = '(truncated: the full description is in Productboard)';

/** A generated piece of HTML and the text a reader sees in it (in document order). */
interface Html {
  html: string;
  text: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const words = fc.constantFrom(
  'checkout',
  'Faster',
  'p95 < 200ms',
  'a & b',
  '<div>',
  '*not bold*',
  '_x_',
  '[a](b)',
  '`c`',
  '# h',
  '1.',
  '\\',
  '~~y~~',
  '👩‍👩‍👧',
  '🇯🇵',
  '😀',
  'ünïcödé',
  'e\u0301',
  'שלום',
  'مرحبا',
  '中文字符',
  '—',
  '\u00a0',
  '"quoted"',
  "it's",
);
const text: fc.Arbitrary<Html> = fc
  .array(fc.oneof(words, fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom(' ', '  ', '\n', '\t')), { maxLength: 6 })
  .map((parts) => ({ html: escape(parts.join('')), text: parts.join('') }));

const INLINE_TAGS = ['b', 'strong', 'i', 'em', 'u', 's', 'del', 'strike', 'code', 'span'];
const BLOCK_TAGS = ['p', 'h1', 'h2', 'h3', 'ul', 'ol', 'li', 'pre', 'blockquote', 'div'];
const HREFS = ['https://example.com/a?b=1&c=2', 'http://example.com', 'mailto:pm@example.com', 'javascript:alert(1)', '/relative', ''];

const join = (parts: readonly Html[]): Html => ({ html: parts.map((p) => p.html).join(''), text: parts.map((p) => p.text).join('') });
const element =
  (tag: string, attrs = '') =>
  (children: readonly Html[]): Html => {
    const inner = join(children);
    return { html: `<${tag}${attrs}>${inner.html}</${tag}>`, text: inner.text };
  };

const { node } = fc.letrec<{ node: Html; children: Html[] }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.constantFrom<Html>({ html: '<br>', text: '' }, { html: '<hr>', text: '' }),
    fc.tuple(fc.constantFrom(...INLINE_TAGS, ...BLOCK_TAGS), tie('children')).map(([tag, children]) => element(tag)(children)),
    fc.tuple(fc.constantFrom(...HREFS), tie('children')).map(([href, children]) => element('a', ` href="${escape(href)}"`)(children)),
  ),
  children: fc.array(tie('node'), { maxLength: 4 }),
}));

/** A description body: usually a few blocks, sometimes repeated until it must be cut. */
const body = fc
  .tuple(
    fc.array(node, { minLength: 1, maxLength: 6 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 800 }) }),
  )
  .map(([nodes, times]) => join(Array.from({ length: times }, () => join(nodes))));

const notes = fc.array(
  fc.record({
    name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant('x'.repeat(400))),
    url: fc.constantFrom<string | null>('https://acme.productboard.com/insights/notes/1', 'javascript:alert(1)', null),
  }),
  { maxLength: 30 },
);

function hrefs(nodes: readonly AdfNode[]): string[] {
  return nodes.flatMap((node) => [
    ...(node.marks ?? []).flatMap((mark) => (mark.type === 'link' ? [String(mark.attrs?.href)] : [])),
    ...hrefs(node.content ?? []),
  ]);
}

function expectValid(doc: AdfDoc): void {
  expect(adfProblems(doc)).toEqual([]);
  for (const href of hrefs(doc.content)) expect(href).toMatch(/^(https?:\/\/|mailto:)\S+$/);
}

describe('valid ADF, always (property: random Productboard HTML)', () => {
  it('every conversion is schema-valid and keeps all the text, in order', () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 6 }).map(join), (input) => {
        const doc = htmlToAdf(input.html);
        expectValid(doc);
        expect(visible(adfText(doc.content))).toBe(visible(input.text));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('every rendered description is schema-valid, under 32,767 characters stored, and keeps the text or a marked beginning of it', () => {
    fc.assert(
      fc.property(body, notes, fc.integer({ min: 0, max: 200 }), (input, noteList, max) => {
        const sourceNotes: SourceNote[] = noteList.map((n, i) => ({
          id: `note-${i}`,
          name: n.name,
          url: n.url,
          linkedIds: [],
          createdAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
        }));
        const doc = renderDescription({
          html: input.html,
          name: 'Faster checkout',
          url: 'https://acme.productboard.com/features/1',
          sourceLink: true,
          insights: { notes: sourceNotes, list: true, max },
        });
        expectValid(doc);
        expect(JSON.stringify(doc).length).toBeLessThanOrEqual(JIRA_DESCRIPTION_LIMIT);
        expect(adfText(doc.content.slice(-1))).toBe('Synced from Productboard: Faster checkout');
        const marker = doc.content.findIndex((block) => adfText([block]) === TRUNCATED);
        const insightsAt = doc.content.findIndex(
          (block) => block.type === 'heading' && /^Customer insights \(\d+\)$/.test(adfText([block])),
        );
        const bodyEnd = [marker, insightsAt, doc.content.length - 1].filter((i) => i >= 0)[0]!;
        const kept = visible(adfText(doc.content.slice(0, bodyEnd)));
        if (marker < 0) expect(kept).toBe(visible(input.text));
        else expect(visible(input.text).startsWith(kept)).toBe(true);
        if (sourceNotes.length > 0) expect(adfText([doc.content[insightsAt]!])).toBe(`Customer insights (${sourceNotes.length})`);
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
