import type { ValueField } from '../field-values.js';
import type { IssueRec, JiraState } from '../state.js';
import { JqlError, type Clause, type Op, type Value } from './ast.js';

// JQL clauses on the fields an issue keeps as values: priority, component, fixVersion, assignee, resolution and custom
// fields, named by clause name (`"Story Points"`, `Flagged`) or `cf[10016]`
// (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/). Values are matched by name or id, account ids
// for users; a value that does not exist is Jira's 400, not an empty result. Negative operators never match an issue
// without a value (JQL's EMPTY semantics).

type Pred = (r: IssueRec) => boolean;

const MEMBERSHIP: Op[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORDERED: Op[] = ['=', '!=', '>', '>=', '<', '<=', 'is', 'is not'];
const TEXT: Op[] = ['~', '!~', 'is', 'is not'];

/** The value field a clause names, if any. */
export function valueFieldOf(state: JiraState, name: string): ValueField | undefined {
  const lower = name.toLowerCase();
  return state.site.fields.find((f) => f.value && f.clauseNames.some((c) => c.toLowerCase() === lower)) as ValueField | undefined;
}

/** A literal as the stored form it must equal, or undefined when no such value exists. */
function storedOf(f: ValueField, state: JiraState, v: string): string | number | undefined {
  const t = f.value;
  const lower = v.toLowerCase();
  switch (t.kind) {
    case 'option':
      return t.options.find((o) => o.id === v || o.value.toLowerCase() === lower)?.id;
    case 'priority':
      return state.site.priorities.find((p) => p.id === v || p.name.toLowerCase() === lower)?.id;
    case 'resolution':
      return state.site.resolutions.find((r) => r.id === v || r.name.toLowerCase() === lower)?.id;
    case 'components':
      return state.directory.listComponents().find((c) => c.id === v || c.name.toLowerCase() === lower)?.id;
    case 'versions':
      return state.directory.listVersions().find((x) => x.id === v || x.name.toLowerCase() === lower)?.id;
    case 'user':
      return state.directory.user(v)?.accountId;
    case 'number':
      return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'date':
      return /^\d{4}[-/]\d{2}[-/]\d{2}$/.test(v) ? v.replace(/\//g, '-') : undefined;
    default:
      return v;
  }
}

function opsOf(f: ValueField): Op[] {
  const k = f.value.kind;
  if (k === 'number' || k === 'date') return ORDERED;
  if (k === 'string' || k === 'adf') return TEXT;
  return MEMBERSHIP;
}

function compare(op: Op, x: string | number, bound: string | number): boolean {
  switch (op) {
    case '>':
      return x > bound;
    case '>=':
      return x >= bound;
    case '<':
      return x < bound;
    case '<=':
      return x <= bound;
    case '!=':
      return x !== bound;
    default:
      return x === bound;
  }
}

/** A clause on a value field; a field that is neither a system field nor a value field is Jira's 400. */
export function compileValueClause(c: Clause, f: ValueField | undefined, state: JiraState): Pred {
  if (!f) throw new JqlError(`Field '${c.field}' does not exist or you do not have permission to view it.`);
  if (!opsOf(f).includes(c.op)) throw new JqlError(`The operator '${c.op.toUpperCase()}' is not supported by the '${c.field}' field.`);
  const wantsEmpty = c.values.some((v) => v.kind === 'empty');
  const positive = c.op === '=' || c.op === 'in' || c.op === 'is' || c.op === '~';
  const values = (r: IssueRec): Array<string | number> => {
    const v = r.values.get(f.id);
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? (v as string[]) : [typeof v === 'object' ? JSON.stringify(v) : (v as string | number)];
  };
  if (c.op === 'is' || c.op === 'is not') return (r) => (values(r).length === 0) === (c.op === 'is');
  const literals = c.values.filter((v): v is Extract<Value, { kind: 'literal' }> => v.kind === 'literal').map((v) => v.text);
  if (c.op === '~' || c.op === '!~') {
    const needle = (literals[0] ?? '').toLowerCase().replace(/\*/g, '');
    return (r) => {
      const have = values(r);
      if (have.length === 0) return false;
      return have.some((x) => String(x).toLowerCase().includes(needle)) === positive;
    };
  }
  const wanted = literals.map((v) => {
    const s = storedOf(f, state, v);
    if (s === undefined) throw new JqlError(`The value '${v}' does not exist for the field '${c.field}'.`);
    return s;
  });
  return (r) => {
    const have = values(r);
    if (have.length === 0) return positive && wantsEmpty;
    if (c.op === '>' || c.op === '>=' || c.op === '<' || c.op === '<=')
      return have.some((x) => compare(c.op, x, wanted[0] as string | number));
    const hit = have.some((x) => wanted.includes(x));
    return positive ? hit : !hit;
  };
}
