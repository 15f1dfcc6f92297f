// A problem located in one of our own files (config, mapping) or in a vendor payload: what is
// wrong and where, so a person can go straight to it. Used by config, mapping, http and connectors.

/** One problem in one of our own files, with enough location for an editor to jump to it. */
export interface Problem {
  file: string;
  /** Dotted path with [index] for arrays, e.g. `rules[1].jira`. Empty for whole-file problems. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export const formatProblem = (p: Problem): string => {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
};

/** `['rules', 1, 'jira']` → `rules[1].jira`. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
