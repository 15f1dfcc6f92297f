// The JQL subset the engine needs (jira-api.md §4 "Useful JQL for the sync"): project, labels, key/issuekey/id,
// parent, issuetype, status, statusCategory, summary ~, created/updated comparisons, issue.property[...],
// AND / OR / NOT / parentheses, ORDER BY. Behaviours kept from Jira on purpose:
// - unbounded queries (no clause at all) are rejected by /search/jql;
// - unknown projects, issue types, statuses and non-existent issue keys are 400s, not empty results;
// - `labels != x` and `parent != x` do not match issues with no labels / no parent (JQL's EMPTY semantics);
// - issue.property[...] clauses parse but match nothing: properties are only searchable when an app registers
//   them for indexing, which an API-token integration cannot do (jira-api.md §5a).

export class JqlError extends Error {}

export type Op = '=' | '!=' | '~' | '!~' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is' | 'is not';

interface Token {
  kind: 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma';
  text: string;
  pos: number;
}

export type Value = { kind: 'literal'; text: string; quoted: boolean; pos: number } | { kind: 'empty'; pos: number };

export interface Clause {
  kind: 'clause';
  field: string;
  fieldPos: number;
  op: Op;
  values: Value[];
}

export type Expr = Clause | { kind: 'and'; items: Expr[] } | { kind: 'or'; items: Expr[] } | { kind: 'not'; item: Expr };

export interface OrderTerm {
  field: 'key' | 'id' | 'created' | 'updated';
  dir: 'asc' | 'desc';
}

export interface JqlQuery {
  where?: Expr;
  orderBy: OrderTerm[];
}

const at = (pos: number): string => `(line 1, character ${pos + 1})`;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(') out.push({ kind: 'lparen', text: ch, pos: i++ });
    else if (ch === ')') out.push({ kind: 'rparen', text: ch, pos: i++ });
    else if (ch === ',') out.push({ kind: 'comma', text: ch, pos: i++ });
    else if (ch === '"' || ch === "'") {
      const start = i++;
      let text = '';
      while (i < src.length && src[i] !== ch) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        text += src[i];
        i++;
      }
      if (i >= src.length) throw new JqlError(`Error in the JQL Query: The quoted string '${text}' has not been completed. ${at(start)}`);
      i++;
      out.push({ kind: 'string', text, pos: start });
    } else if ('=!~<>'.includes(ch)) {
      const two = src.slice(i, i + 2);
      if (two === '!=' || two === '!~' || two === '>=' || two === '<=') {
        out.push({ kind: 'op', text: two, pos: i });
        i += 2;
      } else if (ch === '!') {
        throw new JqlError(`Error in the JQL Query: The character '!' is a reserved JQL character. ${at(i)}`);
      } else out.push({ kind: 'op', text: ch, pos: i++ });
    } else {
      const start = i;
      while (i < src.length && !/[\s(),=!~<>"']/.test(src[i] as string)) i++;
      // issue.property[key].path may contain characters JQL words normally don't; take the bracket verbatim.
      out.push({ kind: 'word', text: src.slice(start, i), pos: start });
    }
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly src: string,
  ) {}

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private isWord(t: Token | undefined, w: string): boolean {
    return t?.kind === 'word' && t.text.toLowerCase() === w;
  }

  parse(): JqlQuery {
    const q: JqlQuery = { orderBy: [] };
    if (this.peek() && !this.isWord(this.peek(), 'order')) q.where = this.parseOr();
    if (this.isWord(this.peek(), 'order')) {
      this.i++;
      if (!this.isWord(this.peek(), 'by')) throw this.expected("'by'");
      this.i++;
      q.orderBy = this.parseOrder();
    }
    const rest = this.peek();
    if (rest) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'. ${at(rest.pos)}`);
    return q;
  }

  private expected(what: string): JqlError {
    const t = this.peek();
    if (!t) return new JqlError(`Error in the JQL Query: Expecting ${what} but reached the end of the query. ${at(this.src.length)}`);
    return new JqlError(`Error in the JQL Query: Expecting ${what} but got '${t.text}'. ${at(t.pos)}`);
  }

  private parseOr(): Expr {
    const items = [this.parseAnd()];
    while (this.isWord(this.peek(), 'or')) {
      this.i++;
      items.push(this.parseAnd());
    }
    return items.length === 1 ? (items[0] as Expr) : { kind: 'or', items };
  }

  private parseAnd(): Expr {
    const items = [this.parseNot()];
    while (this.isWord(this.peek(), 'and')) {
      this.i++;
      items.push(this.parseNot());
    }
    return items.length === 1 ? (items[0] as Expr) : { kind: 'and', items };
  }

  private parseNot(): Expr {
    if (this.isWord(this.peek(), 'not')) {
      this.i++;
      return { kind: 'not', item: this.parseNot() };
    }
    const t = this.peek();
    if (t?.kind === 'lparen') {
      this.i++;
      const e = this.parseOr();
      if (this.peek()?.kind !== 'rparen') throw this.expected("')'");
      this.i++;
      return e;
    }
    return this.parseClause();
  }

  private parseClause(): Clause {
    const f = this.peek();
    if (!f || (f.kind !== 'word' && f.kind !== 'string') || (f.kind === 'word' && KEYWORDS.has(f.text.toLowerCase()))) {
      throw this.expected('a field name');
    }
    this.i++;
    const op = this.parseOp();
    let values: Value[];
    if (op === 'in' || op === 'not in') {
      if (this.peek()?.kind !== 'lparen') throw this.expected("'('");
      this.i++;
      values = [this.parseValue()];
      while (this.peek()?.kind === 'comma') {
        this.i++;
        values.push(this.parseValue());
      }
      if (this.peek()?.kind !== 'rparen') throw this.expected("')'");
      this.i++;
    } else {
      values = [this.parseValue()];
      if ((op === 'is' || op === 'is not') && values[0]?.kind !== 'empty') {
        throw new JqlError(`Error in the JQL Query: The operator '${op.toUpperCase()}' can only be used with EMPTY or NULL. ${at(values[0]?.pos ?? 0)}`);
      }
    }
    return { kind: 'clause', field: f.text, fieldPos: f.pos, op, values };
  }

  private parseOp(): Op {
    const t = this.peek();
    if (t?.kind === 'op') {
      this.i++;
      return t.text as Op;
    }
    if (this.isWord(t, 'in')) {
      this.i++;
      return 'in';
    }
    if (this.isWord(t, 'not')) {
      this.i++;
      if (!this.isWord(this.peek(), 'in')) throw this.expected("'IN'");
      this.i++;
      return 'not in';
    }
    if (this.isWord(t, 'is')) {
      this.i++;
      if (this.isWord(this.peek(), 'not')) {
        this.i++;
        return 'is not';
      }
      return 'is';
    }
    throw this.expected('operator');
  }

  private parseValue(): Value {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'string')) throw this.expected('a value');
    this.i++;
    if (t.kind === 'word' && (t.text.toLowerCase() === 'empty' || t.text.toLowerCase() === 'null')) return { kind: 'empty', pos: t.pos };
    if (t.kind === 'word' && this.peek()?.kind === 'lparen') {
      throw new JqlError(`Error in the JQL Query: Unable to find JQL function '${t.text}()'. ${at(t.pos)}`);
    }
    return { kind: 'literal', text: t.text, quoted: t.kind === 'string', pos: t.pos };
  }

  private parseOrder(): OrderTerm[] {
    const terms: OrderTerm[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'word') throw this.expected('a field to order by');
      this.i++;
      const name = t.text.toLowerCase();
      const field = name === 'issuekey' ? 'key' : name;
      if (field !== 'key' && field !== 'id' && field !== 'created' && field !== 'updated') {
        throw new JqlError(`Not able to sort using field '${t.text}'.`);
      }
      let dir: 'asc' | 'desc' = 'asc';
      if (this.isWord(this.peek(), 'asc') || this.isWord(this.peek(), 'desc')) {
        dir = (this.peek() as Token).text.toLowerCase() as 'asc' | 'desc';
        this.i++;
      }
      terms.push({ field, dir });
      if (this.peek()?.kind !== 'comma') break;
      this.i++;
    }
    if (terms.length > 7) throw new JqlError('The ORDER BY clause can contain a maximum of 7 fields.');
    return terms;
  }
}

export function parseJql(src: string): JqlQuery {
  return new Parser(tokenize(src), src).parse();
}

/** A query is bounded when it has at least one search restriction (jira-api.md §4). */
export function isBounded(q: JqlQuery): boolean {
  return q.where !== undefined;
}
