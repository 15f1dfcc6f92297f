import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Comments cite what a reader of the repository can open: a public vendor page, or a note under docs/
// (docs/architecture.md, principle 11). Notes kept outside the repository are not openable from a clone.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FOLDERS = ['src', 'connectors', 'scripts', 'test'];
const SOURCE = /\.(ts|js|mjs|cjs)$/;

/** Citations of documents that live outside the repository. */
const OUTSIDE: [RegExp, string][] = [
  [/\breference\/[\w*-]+\.md/, 'a research note outside the repository'],
  [/\b(jira-api|productboard-api|peers-and-pain-points)(\.md)?\b/, 'a research note outside the repository'],
  [/\barchitecture principle\b/i, 'the design sketch outside the repository (cite docs/architecture.md, principle N)'],
  [/(^|[^\w/.-])(\.\.\/)*shared\/(specs|reference|design|reviews|seeds)\b/, 'the shared folder outside the repository'],
  [/\b(issue \d+ §|review F\d+)/i, 'a review or issue text outside the repository'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

/** Every comment of a file, with its line: the leading trivia of every token. */
function commentsOf(path: string): { line: number; text: string }[] {
  const text = readFileSync(path, 'utf8');
  const kind = path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const found = new Map<number, string>();
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) found.set(range.pos, text.slice(range.pos, range.end));
    for (const child of node.getChildren(file)) visit(child);
  };
  visit(file);
  return [...found].map(([pos, comment]) => ({ line: file.getLineAndCharacterOfPosition(pos).line + 1, text: comment }));
}

const self = fileURLToPath(import.meta.url);
const files = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder))).filter((path) => path !== self);
const comments = files.flatMap((path) => commentsOf(path).map((c) => ({ where: `${relative(ROOT, path)}:${c.line}`, text: c.text })));

/** Section numbers of a markdown note: `## 3. Title` gives 3. */
function sectionsOf(doc: string): Set<string> {
  return new Set([...readFileSync(join(ROOT, doc), 'utf8').matchAll(/^## (\d+)\./gm)].map((m) => m[1]!));
}

/** Numbered principles of docs/architecture.md. */
function principles(): Set<string> {
  const text = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = text.slice(text.indexOf('## Principles'));
  return new Set([...section.matchAll(/^(\d+)\. /gm)].map((m) => m[1]!));
}

describe('comments cite what a reader can open', () => {
  it('reads the comments of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(comments.some((c) => c.text.includes('docs/vendor-notes.md §1'))).toBe(true);
  });

  it('no comment cites a document outside the repository', () => {
    const offending = comments.flatMap((c) => {
      const hit = OUTSIDE.find(([pattern]) => pattern.test(c.text));
      return hit ? [`${c.where}: cites ${hit[1]}`] : [];
    });
    expect(offending).toEqual([]);
  });

  it('every document a comment names exists in the repository', () => {
    const missing = comments.flatMap((c) =>
      [...c.text.matchAll(/\b((?:docs|mappings)\/[\w-]+\.md)\b/g)]
        .filter((m) => !existsSync(join(ROOT, m[1]!)))
        .map((m) => `${c.where}: ${m[1]}`),
    );
    expect(missing).toEqual([]);
  });

  it('every cited section and principle exists', () => {
    const known = new Map<string, Set<string>>();
    const sections = (doc: string): Set<string> => known.get(doc) ?? known.set(doc, sectionsOf(doc)).get(doc)!;
    const numbered = principles();
    const dangling = comments.flatMap((c) => [
      ...[...c.text.matchAll(/\b(docs\/[\w-]+\.md) §(\d+)(?: and §(\d+))?/g)].flatMap((m) =>
        [m[2], m[3]]
          .filter((n): n is string => n !== undefined && existsSync(join(ROOT, m[1]!)) && !sections(m[1]!).has(n))
          .map((n) => `${c.where}: ${m[1]} §${n}`),
      ),
      ...[...c.text.matchAll(/docs\/architecture\.md, principle (\d+)/g)]
        .filter((m) => !numbered.has(m[1]!))
        .map((m) => `${c.where}: principle ${m[1]}`),
    ]);
    expect(dangling).toEqual([]);
  });

  it('the patterns catch the citations they are meant for', () => {
    const flagged = (comment: string): boolean => OUTSIDE.some(([pattern]) => pattern.test(comment));
    expect(flagged('// at most 50 ids (reference/jira-api.md §4)')).toBe(true);
    expect(flagged('// see productboard-api §3.1')).toBe(true);
    expect(flagged('// (architecture principle 5)')).toBe(true);
    expect(flagged('// shapes from shared/specs/jira-platform-v3.openapi.json')).toBe(true);
    expect(flagged('// next to the repository (../shared/specs)')).toBe(true);
    expect(flagged('// docs/vendor-notes.md §2; https://developer.atlassian.com/cloud/jira/platform/rate-limiting/')).toBe(false);
    expect(flagged('// (docs/architecture.md, principle 3)')).toBe(false);
  });
});
