import {
  DEFAULT_STATUSES,
  memberId,
  optionId,
  statusGroupOf,
  type CustomFieldInput,
  type CustomFieldKind,
  type PbEntityType,
  type SeedCustomField,
  type StatusGroup,
} from './model.js';

// A workspace's custom field definitions and status sets, and the three forms a custom value takes: the stored
// value (option ids, a member's email), the API value (as `fields` shows it), and the display value tests read.
// API values follow the `EntityListResponse` example and the value schemas of the v2 entities document
// (https://developer.productboard.com/v2/openapi): numbers, texts and dates bare; single select
// `SingleSelectFieldValue {id, name}`; multi select an array of them; member `MemberFieldValue {id, email}`.

export interface SelectOption {
  id: string;
  name: string;
}

export interface CustomFieldDef {
  id: string;
  name: string;
  kind: CustomFieldKind;
  entityTypes: readonly PbEntityType[];
  options: readonly SelectOption[];
}

/** Stored: number; text; date; option id (single select); option ids (multi select); member email. */
export type CustomValue = number | string | readonly string[];

/** What a test sees: number; text; date; option name; option names; member email. */
export type DisplayValue = number | string | string[];

export class WorkspaceFields {
  private readonly defs = new Map<string, CustomFieldDef>();
  private readonly statuses: Record<StatusGroup, readonly string[]>;

  constructor(defs: readonly SeedCustomField[], statuses: Partial<Record<StatusGroup, readonly string[]>> = {}) {
    for (const d of defs) {
      if (this.defs.has(d.id)) throw new Error(`Duplicate custom field id ${d.id}.`);
      const options = (d.options ?? []).map((name) => ({ id: optionId(d.id, name), name }));
      if ((d.kind === 'singleSelect' || d.kind === 'multiSelect') && options.length === 0) {
        throw new Error(`Custom field "${d.name}" is a select without options.`);
      }
      this.defs.set(d.id, { id: d.id, name: d.name, kind: d.kind, entityTypes: [...d.entityTypes], options });
    }
    this.statuses = { ...DEFAULT_STATUSES, ...statuses };
  }

  all(): CustomFieldDef[] {
    return [...this.defs.values()];
  }

  byId(id: string): CustomFieldDef | undefined {
    return this.defs.get(id);
  }

  /** By id, or by name (names are what people type). */
  find(idOrName: string): CustomFieldDef | undefined {
    return this.defs.get(idOrName) ?? [...this.defs.values()].find((d) => d.name === idOrName);
  }

  forType(type: PbEntityType): CustomFieldDef[] {
    return this.all().filter((d) => d.entityTypes.includes(type));
  }

  /** The status names of a type, or undefined when the type has no status. */
  statusNames(type: PbEntityType): readonly string[] | undefined {
    const group = statusGroupOf(type);
    return group ? this.statuses[group] : undefined;
  }

  /** A seed's or a test's value, checked against the definition; throws with a readable message. */
  fromInput(def: CustomFieldDef, input: CustomFieldInput): CustomValue {
    const fail = (expected: string): never => {
      throw new Error(`Custom field "${def.name}" (${def.kind}) expects ${expected}, got ${JSON.stringify(input)}.`);
    };
    switch (def.kind) {
      case 'number':
        return typeof input === 'number' && Number.isFinite(input) ? input : fail('a number');
      case 'text':
        return typeof input === 'string' && input.length <= 255 ? input : fail('a text of at most 255 characters');
      case 'date':
        return typeof input === 'string' && isIsoDate(input) ? input : fail('a date YYYY-MM-DD');
      case 'member':
        return typeof input === 'string' && input.includes('@') ? input.toLowerCase() : fail("a member's email");
      case 'singleSelect': {
        if (typeof input !== 'string') return fail('an option name');
        return this.option(def, input)?.id ?? fail(`one of ${def.options.map((o) => o.name).join(', ')}`);
      }
      case 'multiSelect': {
        if (!Array.isArray(input)) return fail('a list of option names');
        const ids = input.map((n) => this.option(def, n)?.id ?? fail(`options among ${def.options.map((o) => o.name).join(', ')}`));
        return [...new Set(ids)];
      }
    }
  }

  option(def: CustomFieldDef, name: string): SelectOption | undefined {
    return def.options.find((o) => o.name === name);
  }

  /** The value as `fields` carries it. */
  render(def: CustomFieldDef, v: CustomValue): unknown {
    switch (def.kind) {
      case 'singleSelect':
        return this.optionJson(def, v as string);
      case 'multiSelect':
        return (v as readonly string[]).map((id) => this.optionJson(def, id));
      case 'member':
        return { id: memberId(v as string), email: v };
      default:
        return v;
    }
  }

  display(def: CustomFieldDef, v: CustomValue): DisplayValue {
    const name = (id: string): string => def.options.find((o) => o.id === id)?.name ?? id;
    if (def.kind === 'singleSelect') return name(v as string);
    if (def.kind === 'multiSelect') return (v as readonly string[]).map(name);
    return typeof v === 'number' ? v : Array.isArray(v) ? [...(v as string[])] : (v as string);
  }

  private optionJson(def: CustomFieldDef, id: string): SelectOption {
    return { id, name: def.options.find((o) => o.id === id)?.name ?? '' };
  }
}

export function isIsoDate(s: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
  );
}

/** True when a stored value is empty (cleared), which v2 leaves out of `fields` by default. */
export function isEmptyValue(v: CustomValue | undefined): boolean {
  return v === undefined || (Array.isArray(v) && v.length === 0) || v === '';
}
