import { at, JqlError } from './ast.js';

// Splits a JQL query into words, quoted strings, operators, parentheses and commas, keeping each token's position
// for Jira's "(line 1, character N)" error messages.

export interface Token {
  kind: 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma';
  text: string;
  pos: number;
}

export function tokenize(src: string): Token[] {
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
