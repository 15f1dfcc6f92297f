import { issueTypeById, issueTypeByName, STATUS_CATEGORIES, statusById, STATUSES } from '../catalog.js';
import type { IssueRec, JiraState } from '../state.js';
import { JqlError, type Clause, type Expr, type JqlQuery, type Op, type OrderTerm, type Value } from './ast.js';

// Evaluates a parsed JQL query against the sandbox issues. See ast.ts for the supported subset and the Jira
// behaviours kept on purpose (400s for unknown values, EMPTY semantics, unsearchable properties).

type Pred = (r: IssueRec) => boolean;

const SUPPORTED: Record<string, Op[]> = {
  project: ['=', '!=', 'in', 'not in'],
  labels: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  // Jira compares keys of one project by their number (`issuekey > "PBJ-100"`).
  key: ['=', '!=', 'in', 'not in', '>', '>=', '<', '<='],
  id: ['=', '!=', 'in', 'not in'],
  parent: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  issuetype: ['=', '!=', 'in', 'not in'],
  status: ['=', '!=', 'in', 'not in'],
  statuscategory: ['=', '!=', 'in', 'not in'],
  summary: ['~', '!~', 'is', 'is not'],
  created: ['=', '!=', '>', '>=', '<', '<='],
  updated: ['=', '!=', '>', '>=', '<', '<='],
};

const FIELD_ALIASES: Record<string, string> = {
  issuekey: 'key',
  type: 'issuetype',
  text: 'summary',
  createddate: 'created',
  updateddate: 'updated',
};

/** `match` says whether an issue is a result; `sortKey` places it in the result order. */
export function compileJql(q: JqlQuery, state: JiraState, now: number): { match: Pred; sortKey: (r: IssueRec) => number[] } {
  return { match: q.where ? compileExpr(q.where, state, now) : () => true, sortKey: sortKeyOf(q.orderBy) };
}

/**
 * The ORDER BY terms as a vector that increases along the result order, ending in the id: without ORDER BY Jira's
 * order is unspecified, and the sandbox uses ascending id and always breaks ties by id.
 */
function sortKeyOf(orderBy: readonly OrderTerm[]): (r: IssueRec) => number[] {
  return (r) => [
    ...orderBy.map((t) => {
      const v = t.field === 'key' ? r.num : t.field === 'id' ? Number(r.id) : t.field === 'created' ? r.created : r.updated;
      return t.dir === 'asc' ? v : -v;
    }),
    Number(r.id),
  ];
}

/** Lexicographic order of two sort keys (a missing element counts as 0). */
export function compareSortKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

function compileExpr(e: Expr, state: JiraState, now: number): Pred {
  if (e.kind === 'and') {
    const ps = e.items.map((i) => compileExpr(i, state, now));
    return (r) => ps.every((p) => p(r));
  }
  if (e.kind === 'or') {
    const ps = e.items.map((i) => compileExpr(i, state, now));
    return (r) => ps.some((p) => p(r));
  }
  if (e.kind === 'not') {
    const p = compileExpr(e.item, state, now);
    return (r) => !p(r);
  }
  return compileClause(e, state, now);
}

function literals(c: Clause): string[] {
  return c.values.filter((v): v is Extract<Value, { kind: 'literal' }> => v.kind === 'literal').map((v) => v.text);
}

const keyNumber = (key: string): number | undefined => {
  const match = /^[A-Z][A-Z0-9_]*-(\d+)$/i.exec(key.trim());
  return match ? Number(match[1]) : undefined;
};

function positive(op: Op): boolean {
  return op === '=' || op === 'in' || op === 'is' || op === '~';
}

/** The comparison `n <op> bound`; '=' for any operator that is not an ordering or '!='. */
function numericTest(op: Op, bound: number): (n: number) => boolean {
  switch (op) {
    case '>':
      return (n) => n > bound;
    case '>=':
      return (n) => n >= bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '!=':
      return (n) => n !== bound;
    default:
      return (n) => n === bound;
  }
}

/** Every value resolved to an id, or the query refused like Jira does (a 400, not an empty result). */
function resolveAll(values: string[], resolve: (v: string) => string | undefined, unknown: (v: string) => string): Set<string> {
  const ids = new Set<string>();
  for (const v of values) {
    const id = resolve(v);
    if (id === undefined) throw new JqlError(unknown(v));
    ids.add(id);
  }
  return ids;
}

/** Membership of a single-valued field; negative operators never match an issue without a value (JQL EMPTY semantics). */
function memberOf(ids: Set<string>, pos: boolean, wantsEmpty: boolean, valueOf: (r: IssueRec) => string | null): Pred {
  return (r) => {
    const v = valueOf(r);
    if (v === null) return pos && wantsEmpty;
    return pos ? ids.has(v) : !ids.has(v);
  };
}

function compileClause(c: Clause, state: JiraState, now: number): Pred {
  const raw = c.field.toLowerCase();
  if (raw.startsWith('issue.property[')) return () => false;
  const field = FIELD_ALIASES[raw] ?? raw;
  const ops = SUPPORTED[field];
  if (!ops) throw new JqlError(`Field '${c.field}' does not exist or you do not have permission to view it.`);
  if (!ops.includes(c.op)) throw new JqlError(`The operator '${c.op.toUpperCase()}' is not supported by the '${c.field}' field.`);
  const wantsEmpty = c.values.some((v) => v.kind === 'empty');
  const vals = literals(c);
  const pos = positive(c.op);
  const noSuchValue = (v: string): string => `The value '${v}' does not exist for the field '${c.field}'.`;
  const lower = (v: string): string => v.toLowerCase();

  if (field === 'key' && (c.op === '>' || c.op === '>=' || c.op === '<' || c.op === '<=')) {
    const bound = keyNumber(vals[0] ?? '');
    if (bound === undefined) throw new JqlError(`The issue key '${vals[0] ?? ''}' for field 'key' is invalid.`);
    const test = numericTest(c.op, bound);
    return (r) => test(keyNumber(r.key) ?? -1);
  }

  switch (field) {
    case 'project':
      resolveAll(vals, (v) => (state.isProject(v) ? v : undefined), noSuchValue);
      // Every sandbox issue is in the one project.
      return () => pos;
    case 'labels': {
      const set = new Set(vals);
      return (r) => {
        if (r.labels.length === 0) return pos && wantsEmpty;
        const hit = r.labels.some((l) => set.has(l));
        return pos ? hit : !hit;
      };
    }
    case 'key':
    case 'id':
    case 'parent': {
      const ids = resolveAll(
        vals,
        (v) => state.find(v)?.id,
        (v) => `An issue with key '${v}' does not exist for field '${c.field}'.`,
      );
      return memberOf(ids, pos, wantsEmpty, field === 'parent' ? (r) => r.parentId : (r) => r.id);
    }
    case 'issuetype': {
      const ids = resolveAll(vals, (v) => (issueTypeByName(v) ?? issueTypeById(v))?.id, noSuchValue);
      return memberOf(ids, pos, wantsEmpty, (r) => r.issueTypeId);
    }
    case 'status': {
      const ids = resolveAll(vals, (v) => STATUSES.find((x) => lower(x.name) === lower(v) || x.id === v)?.id, noSuchValue);
      return memberOf(ids, pos, wantsEmpty, (r) => r.statusId);
    }
    case 'statuscategory': {
      const keys = resolveAll(
        vals,
        (v) => STATUS_CATEGORIES.find((x) => x.key === lower(v) || lower(x.name) === lower(v) || String(x.id) === v)?.key,
        noSuchValue,
      );
      return memberOf(keys, pos, wantsEmpty, (r) => statusById(r.statusId).category);
    }
    case 'summary': {
      if (wantsEmpty) return () => !pos; // summary is required, never empty
      const needle = (vals[0] ?? '').toLowerCase().replace(/\*/g, '');
      return (r) => r.summary.toLowerCase().includes(needle) === pos;
    }
    case 'created':
    case 'updated': {
      const test = numericTest(c.op, parseJqlDate(vals[0] ?? '', now, c.field));
      return field === 'created' ? (r) => test(r.created) : (r) => test(r.updated);
    }
    default:
      throw new JqlError(`Field '${c.field}' does not exist or you do not have permission to view it.`);
  }
}

/** 'YYYY-MM-DD', 'YYYY/MM/DD', optional ' HH:mm', or relative '-15m', '-2h', '-1d', '-1w' (site time zone = UTC here). */
function parseJqlDate(v: string, now: number, field: string): number {
  const rel = /^([-+]?)(\d+)([mhdw])$/.exec(v);
  if (rel) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[3] as 'm' | 'h' | 'd' | 'w'];
    const sign = rel[1] === '-' ? -1 : 1;
    return now + sign * Number(rel[2]) * unit;
  }
  const abs = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(v);
  if (abs) return Date.UTC(Number(abs[1]), Number(abs[2]) - 1, Number(abs[3]), Number(abs[4] ?? 0), Number(abs[5] ?? 0));
  throw new JqlError(
    `Date value '${v}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}
