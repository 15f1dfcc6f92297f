import type { PbType } from './schema.js';

// Which Productboard relationship can lead from an item of one type to an item of another: what a
// rule's `parent: { rule, via }` can reach at all. From the `relationships` each type's
// configuration lists (`GET /v2/entities/configurations/{type}`,
// https://developer.productboard.com/v2.0.0/reference/getentityconfiguration): a feature's `parent`
// is a component or a product, never an initiative; initiatives and features are joined by `link`.

const REACHABLE: Record<PbType, Record<'parent' | 'link', readonly PbType[]>> = {
  product: { parent: [], link: [] },
  component: { parent: ['product', 'component'], link: [] },
  feature: { parent: ['component', 'product'], link: ['initiative', 'release', 'feature', 'objective'] },
  subfeature: { parent: ['feature'], link: ['initiative', 'release', 'feature'] },
  initiative: { parent: [], link: ['feature', 'subfeature', 'objective'] },
  objective: { parent: ['objective'], link: ['initiative', 'feature'] },
  release: { parent: [], link: ['feature', 'subfeature'] },
};

/** The types `via` can reach from an item of type `from`. */
export const reachable = (from: PbType, via: 'parent' | 'link'): readonly PbType[] => REACHABLE[from][via];

/** The relationships that do lead from `from` to `to` (empty: no rule can place one under the other). */
export const routesBetween = (from: PbType, to: PbType): Array<'parent' | 'link'> =>
  (['parent', 'link'] as const).filter((via) => REACHABLE[from][via].includes(to));
