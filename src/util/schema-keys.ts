import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas reachable at `path`, unwrapping optionals, defaults, unions and pipes. */
function schemasAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): z.ZodType[] {
  let current: z.ZodType[] = [schema];
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    const def = defOf(s);
    if (def.innerType) return unwrap(def.innerType);
    if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
    // A preprocess is a pipe from a transform into the schema that holds the keys.
    if (def.type === 'pipe') return [...(def.in ? unwrap(def.in) : []), ...(def.out ? unwrap(def.out) : [])];
    return [s];
  };
  current = current.flatMap(unwrap);
  for (const key of path) {
    current = current
      .flatMap((s) => {
        const def = defOf(s);
        if (typeof key === 'number' && def.element) return [def.element];
        if (typeof key === 'string' && def.shape?.[key]) return [def.shape[key]];
        if (typeof key === 'string' && def.valueType) return [def.valueType];
        return [];
      })
      .flatMap(unwrap);
  }
  return current;
}

/** Keys the object schema at `path` accepts, used for "did you mean" hints on typos. */
export const knownKeysOf =
  (schema: z.ZodType) =>
  (path: ReadonlyArray<PropertyKey>): string[] => [...new Set(schemasAt(schema, path).flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
