import { at, JqlError, type Clause, type Expr, type JqlQuery, type Op, type OrderTerm, type Value } from './ast.js';
import { tokenize, type Token } from './tokenize.js';

// Recursive descent over the tokens: OR binds loosest, then AND, then NOT and parentheses; errors carry Jira's wording.

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

export function parseJql(src: string): JqlQuery {
  return new Parser(tokenize(src), src).parse();
}

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

  /** Consumes the next token when it is the keyword `w`. */
  private takeWord(w: string): boolean {
    if (!this.isWord(this.peek(), w)) return false;
    this.i++;
    return true;
  }

  /** Consumes the next token when it is of `kind`. */
  private takeKind(kind: Token['kind']): boolean {
    if (this.peek()?.kind !== kind) return false;
    this.i++;
    return true;
  }

  private expectKind(kind: Token['kind'], what: string): void {
    if (!this.takeKind(kind)) throw this.expected(what);
  }

  private expected(what: string): JqlError {
    const t = this.peek();
    if (!t) return new JqlError(`Error in the JQL Query: Expecting ${what} but reached the end of the query. ${at(this.src.length)}`);
    return new JqlError(`Error in the JQL Query: Expecting ${what} but got '${t.text}'. ${at(t.pos)}`);
  }

  parse(): JqlQuery {
    const q: JqlQuery = { orderBy: [] };
    if (this.peek() && !this.isWord(this.peek(), 'order')) q.where = this.parseOr();
    if (this.takeWord('order')) {
      if (!this.takeWord('by')) throw this.expected("'by'");
      q.orderBy = this.parseOrder();
    }
    const rest = this.peek();
    if (rest) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'. ${at(rest.pos)}`);
    return q;
  }

  private parseOr(): Expr {
    return this.parseJoined('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseJoined('and', () => this.parseNot());
  }

  /** `operand (word operand)*`, flattened into one node. */
  private parseJoined(word: 'and' | 'or', operand: () => Expr): Expr {
    const items = [operand()];
    while (this.takeWord(word)) items.push(operand());
    return items.length === 1 ? (items[0] as Expr) : { kind: word, items };
  }

  private parseNot(): Expr {
    if (this.takeWord('not')) return { kind: 'not', item: this.parseNot() };
    if (this.takeKind('lparen')) {
      const e = this.parseOr();
      this.expectKind('rparen', "')'");
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
      this.expectKind('lparen', "'('");
      values = [this.parseValue()];
      while (this.takeKind('comma')) values.push(this.parseValue());
      this.expectKind('rparen', "')'");
    } else {
      values = [this.parseValue()];
      if ((op === 'is' || op === 'is not') && values[0]?.kind !== 'empty') {
        throw new JqlError(
          `Error in the JQL Query: The operator '${op.toUpperCase()}' can only be used with EMPTY or NULL. ${at(values[0]?.pos ?? 0)}`,
        );
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
    if (this.takeWord('in')) return 'in';
    if (this.takeWord('not')) {
      if (!this.takeWord('in')) throw this.expected("'IN'");
      return 'not in';
    }
    if (this.takeWord('is')) return this.takeWord('not') ? 'is not' : 'is';
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
    do {
      const t = this.peek();
      if (!t || t.kind !== 'word') throw this.expected('a field to order by');
      this.i++;
      const name = t.text.toLowerCase();
      const field = name === 'issuekey' ? 'key' : name;
      if (field !== 'key' && field !== 'id' && field !== 'created' && field !== 'updated') {
        throw new JqlError(`Not able to sort using field '${t.text}'.`);
      }
      let dir: 'asc' | 'desc' = 'asc';
      if (this.takeWord('asc')) dir = 'asc';
      else if (this.takeWord('desc')) dir = 'desc';
      terms.push({ field, dir });
    } while (this.takeKind('comma'));
    if (terms.length > 7) throw new JqlError('The ORDER BY clause can contain a maximum of 7 fields.');
    return terms;
  }
}
