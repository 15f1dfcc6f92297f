import { issueTypeById, issueTypeByName, STATUS_CATEGORIES, STATUSES } from './catalog.js';
import { JqlError, type Clause, type Expr, type JqlQuery, type Op, type Value } from './jql-parse.js';
import type { IssueRec, JiraState } from './state.js';

// Evaluates a parsed JQL query against the sandbox issues. See jira-jql-parse.ts for the supported subset and
// the Jira behaviours kept on purpose (400s for unknown values, EMPTY semantics, unsearchable properties).

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

const FIELD_ALIASES: Record<string, string> = { issuekey: 'key', type: 'issuetype', text: 'summary', createddate: 'created', updateddate: 'updated' };

export function compileJql(q: JqlQuery, state: JiraState, now: number): { match: Pred; compare: (a: IssueRec, b: IssueRec) => number } {
  const match = q.where ? compileExpr(q.where, state, now) : () => true;
  const terms = q.orderBy;
  const compare = (a: IssueRec, b: IssueRec): number => {
    for (const t of terms) {
      const av = t.field === 'key' ? a.num : t.field === 'id' ? Number(a.id) : t.field === 'created' ? a.created : a.updated;
      const bv = t.field === 'key' ? b.num : t.field === 'id' ? Number(b.id) : t.field === 'created' ? b.created : b.updated;
      if (av !== bv) return t.dir === 'asc' ? av - bv : bv - av;
    }
    // Without ORDER BY Jira's order is unspecified; the sandbox uses ascending id and always breaks ties by id.
    return Number(a.id) - Number(b.id);
  };
  return { match, compare };
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

  if (field === 'key' && (c.op === '>' || c.op === '>=' || c.op === '<' || c.op === '<=')) {
    const bound = keyNumber(vals[0] ?? '');
    if (bound === undefined) throw new JqlError(`The issue key '${vals[0] ?? ''}' for field 'key' is invalid.`);
    const cmp = { '>': (n: number) => n > bound, '>=': (n: number) => n >= bound, '<': (n: number) => n < bound, '<=': (n: number) => n <= bound }[c.op];
    return (r) => cmp(keyNumber(r.key) ?? -1);
  }

  switch (field) {
    case 'project': {
      const p = state.project;
      for (const v of vals) {
        if (v.toUpperCase() !== p.key.toUpperCase() && v !== p.id) throw new JqlError(`The value '${v}' does not exist for the field 'project'.`);
      }
      // Every sandbox issue is in the one project.
      return () => pos;
    }
    case 'labels': {
      const set = new Set(vals);
      return (r) => {
        if (r.labels.length === 0) return pos && wantsEmpty;
        const hit = r.labels.some((l) => set.has(l));
        // Negative operators never match issues without a value (JQL EMPTY semantics).
        return pos ? hit : !hit;
      };
    }
    case 'key':
    case 'id':
    case 'parent': {
      const ids = new Set<string>();
      for (const v of vals) {
        const issue = state.find(v);
        if (!issue) throw new JqlError(`An issue with key '${v}' does not exist for field '${c.field}'.`);
        ids.add(issue.id);
      }
      if (field === 'parent') {
        return (r) => {
          if (r.parentId === null) return pos && wantsEmpty;
          return pos ? ids.has(r.parentId) : !ids.has(r.parentId);
        };
      }
      return (r) => (pos ? ids.has(r.id) : !ids.has(r.id));
    }
    case 'issuetype': {
      const ids = new Set<string>();
      for (const v of vals) {
        const t = issueTypeByName(v) ?? issueTypeById(v);
        if (!t) throw new JqlError(`The value '${v}' does not exist for the field '${c.field}'.`);
        ids.add(t.id);
      }
      return (r) => (pos ? ids.has(r.issueTypeId) : !ids.has(r.issueTypeId));
    }
    case 'status': {
      const ids = new Set<string>();
      for (const v of vals) {
        const s = STATUSES.find((x) => x.name.toLowerCase() === v.toLowerCase() || x.id === v);
        if (!s) throw new JqlError(`The value '${v}' does not exist for the field '${c.field}'.`);
        ids.add(s.id);
      }
      return (r) => (pos ? ids.has(r.statusId) : !ids.has(r.statusId));
    }
    case 'statuscategory': {
      const keys = new Set<string>();
      for (const v of vals) {
        const cat = STATUS_CATEGORIES.find((x) => x.key === v.toLowerCase() || x.name.toLowerCase() === v.toLowerCase() || String(x.id) === v);
        if (!cat) throw new JqlError(`The value '${v}' does not exist for the field '${c.field}'.`);
        keys.add(cat.key);
      }
      return (r) => {
        const cat = STATUSES.find((s) => s.id === r.statusId)?.category ?? 'new';
        return pos ? keys.has(cat) : !keys.has(cat);
      };
    }
    case 'summary': {
      if (wantsEmpty) return () => !pos; // summary is required, never empty
      const needle = (vals[0] ?? '').toLowerCase().replace(/\*/g, '');
      return (r) => r.summary.toLowerCase().includes(needle) === pos;
    }
    case 'created':
    case 'updated': {
      const t = parseJqlDate(vals[0] ?? '', now, c.field);
      const get = (r: IssueRec): number => (field === 'created' ? r.created : r.updated);
      switch (c.op) {
        case '>':
          return (r) => get(r) > t;
        case '>=':
          return (r) => get(r) >= t;
        case '<':
          return (r) => get(r) < t;
        case '<=':
          return (r) => get(r) <= t;
        case '!=':
          return (r) => get(r) !== t;
        default:
          return (r) => get(r) === t;
      }
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
