// Value tables convert between two option sets (mappings/README.md, "Value tables"): a Productboard
// select "High" → a Jira priority "Highest", "L/M/H" → 1/2/3, a count of insights → "0", "1–4",
// "5+". Names match whatever their case (as status names do); a number matches a key that is that
// number or a range: `"1-4"` (both ends included) or `"5+"` (5 and more).

export type TableValue = string | number;

type Key = { kind: 'name'; name: string } | { kind: 'range'; min: number; max: number };

const NUMBER = /^-?\d+(\.\d+)?$/;
const RANGE = /^(-?\d+(?:\.\d+)?)\s*[-–]\s*(-?\d+(?:\.\d+)?)$/;
const OPEN = /^(-?\d+(?:\.\d+)?)\s*\+$/;

function keyOf(text: string): Key {
  const trimmed = text.trim();
  if (NUMBER.test(trimmed)) return { kind: 'range', min: Number(trimmed), max: Number(trimmed) };
  const range = RANGE.exec(trimmed);
  if (range) return { kind: 'range', min: Number(range[1]), max: Number(range[2]) };
  const open = OPEN.exec(trimmed);
  if (open) return { kind: 'range', min: Number(open[1]), max: Infinity };
  return { kind: 'name', name: trimmed.toLowerCase() };
}

export class ValueTable {
  private readonly keys: ReadonlyArray<{ key: Key; text: string; value: TableValue }>;

  /** `entries` as the mapping writes them, in its order: the first key that matches wins. */
  constructor(readonly entries: ReadonlyArray<readonly [key: string, value: TableValue]>) {
    this.keys = entries.map(([text, value]) => ({ key: keyOf(text), text, value }));
  }

  /** The value for `input`; undefined when no key matches. */
  lookup(input: string | number): TableValue | undefined {
    const number = typeof input === 'number' ? input : NUMBER.test(input.trim()) ? Number(input.trim()) : undefined;
    const name = String(input).trim().toLowerCase();
    for (const { key, value } of this.keys) {
      if (key.kind === 'name' ? key.name === name : number !== undefined && number >= key.min && number <= key.max) return value;
    }
    return undefined;
  }

  /** The keys that are names (not numbers or ranges), as written: what `validate` checks against an option set. */
  names(): string[] {
    return this.keys.filter((k) => k.key.kind === 'name').map((k) => k.text);
  }

  values(): TableValue[] {
    return [...new Set(this.keys.map((k) => k.value))];
  }

  /** Whether the table converts numbers (its keys are numbers or ranges). */
  numeric(): boolean {
    return this.keys.some((k) => k.key.kind === 'range');
  }

  /** Keys written twice (whatever their case): the second would never match. */
  duplicates(): string[] {
    const seen = new Set<string>();
    return this.keys.flatMap((k) => {
      const id = k.key.kind === 'name' ? `n:${k.key.name}` : `r:${k.key.min}:${k.key.max}`;
      if (seen.has(id)) return [k.text];
      seen.add(id);
      return [];
    });
  }
}
