import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { formatPath, type Problem } from './problems.js';
import { readSmallFile } from './small-file.js';

export interface LocatedYaml {
  file: string;
  value: unknown;
  problems: Problem[];
  locate(path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined;
  /** Position of the key itself (for unknown keys), falling back to its object. */
  locateKey(path: ReadonlyArray<PropertyKey>, key: string): { line: number; column: number } | undefined;
}

/** Our config and mapping files are a few KB; a bigger one is a mistake, refused before it is parsed. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** Reads a YAML file keeping node positions, so later schema errors can name line and column. */
export function readLocatedYaml(absolutePath: string, displayName: string): LocatedYaml {
  const read = readSmallFile(absolutePath, MAX_YAML_BYTES);
  if (!read.ok) {
    const reason = read.code === 'ENOENT' ? 'file not found' : read.reason;
    return {
      file: displayName,
      value: undefined,
      problems: [{ file: displayName, path: '', message: reason }],
      locate: () => undefined,
      locateKey: () => undefined,
    };
  }
  return parseLocatedYaml(read.text, displayName);
}

export function parseLocatedYaml(text: string, displayName: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((error) => {
    const pos = error.linePos?.[0];
    return {
      file: displayName,
      path: '',
      message: error.message.split('\n')[0] ?? error.message,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });
  const locate = (path: ReadonlyArray<PropertyKey>) => {
    // Walk up until a node with a position exists (unknown keys point at their parent object).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as Array<string | number>, true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
  const locateKey = (path: ReadonlyArray<PropertyKey>, key: string) => {
    const parent = doc.getIn(path as Array<string | number>, true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (pair && isNode(pair.key) && pair.key.range) {
        const pos = lineCounter.linePos(pair.key.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return locate(path);
  };
  const value = problems.length ? undefined : toValue(doc, lineCounter, displayName, problems);
  return { file: displayName, value, problems, locate, locateKey };
}

/**
 * The document as plain data. The yaml library refuses aliases that expand too much (a
 * "billion laughs" file): that is a problem in this file, located at its first alias.
 */
function toValue(doc: Document, lineCounter: LineCounter, displayName: string, problems: Problem[]): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    let first: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = first === undefined ? undefined : lineCounter.linePos(first);
    const aliases = /alias/i.test((error as Error).message);
    problems.push({
      file: displayName,
      path: '',
      message: aliases
        ? 'YAML aliases expand to too much data (a "billion laughs" pattern); write the values out instead of nesting aliases'
        : `cannot read the YAML: ${(error as Error).message}`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
    return undefined;
  }
}

/** Keys of a strict object a typo probably meant, by edit distance. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Known keys of the (strict) object schema at `path`, for "did you mean" hints. */
export type KnownKeys = (path: ReadonlyArray<PropertyKey>) => readonly string[];

/** Turns every zod issue into a located Problem: all of them, not just the first. */
export function zodProblems(source: LocatedYaml, error: z.ZodError, knownKeys: KnownKeys): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = closest(key, knownKeys(issue.path));
        const known = knownKeys(issue.path);
        const message = `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : known.length ? ` (known keys: ${known.join(', ')})` : ''}`;
        problems.push({ file: source.file, path: formatPath(issue.path), message, ...(source.locateKey(issue.path, key) ?? {}) });
      }
      continue;
    }
    // zod says "expected object, received undefined" for a missing key; say what a person means.
    const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'is required' : issue.message;
    problems.push({ file: source.file, path: formatPath(issue.path), message, ...(source.locate(issue.path) ?? {}) });
  }
  return problems;
}

/**
 * A collector for problems found at paths of one located file: `at(path, message)` records the
 * problem with the file, the formatted path and the line and column of the node.
 */
export function problemsAt(source: LocatedYaml, problems: Problem[]): (path: ReadonlyArray<PropertyKey>, message: string) => void {
  return (path, message) => problems.push({ file: source.file, path: formatPath(path), message, ...(source.locate(path) ?? {}) });
}
