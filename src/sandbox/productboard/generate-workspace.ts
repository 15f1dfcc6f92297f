import { uuidFromName } from '../kit/deterministic-id.js';
import { mulberry32, pickIndex } from '../kit/prng.js';
import {
  FEATURE_STATUSES,
  INITIATIVE_STATUSES,
  quarterOf,
  type PbEntityType,
  type SeedCustomField,
  type SeedEntity,
  type SeedNote,
  type SeedWorkspace,
} from './model.js';

// Large synthetic workspaces for the benchmark. Same shape as the seed; deterministic for a given seed.
// Memory-lean: descriptions and tag arrays are shared from small pools instead of allocated per item.
// Components get ~40 features each, so their inline relationships overflow the 20-per-entity inline cap and the
// engine has to follow `relationships.links.next` at scale.

export interface GenerateWorkspaceOptions {
  initiatives?: number;
  features?: number;
  subfeatures?: number;
  notes?: number;
  seed?: number;
}

const DESCRIPTIONS = [
  '<p>Researchers asked for this in the last community survey.</p>',
  '<h2>Problem</h2><p>Admins spend <b>hours</b> on manual steps.</p><ul><li>Step one</li><li>Step two</li></ul>',
  '<p>See the <a href="https://docs.hubco.example/spec">spec</a> for details.</p><hr><p><i>Owner:</i> platform team</p>',
  '<p>Config example:</p><pre>limits:\n  cpu: 4\n  memory: 16Gi</pre>',
  '<blockquote>We lose a day every time this breaks.</blockquote><p>Needs <code>audit</code> logging.</p>',
  '<ol><li>Design</li><li>Build</li><li>Roll out to <u>pilot</u> hubs</li></ol>',
  '<h1>Goal</h1><p>Fewer support tickets; <s>manual</s> self-service.</p>',
  '',
];

const TAG_POOL: string[][] = [[], [], ['ux'], ['billing'], ['a11y'], ['mobile app'], ['security', 'compute'], ['export']];
const WORDS = [
  'hub',
  'quota',
  'image',
  'export',
  'login',
  'theme',
  'budget',
  'report',
  'invite',
  'storage',
  'GPU',
  'notebook',
  'archive',
  'audit',
  'search',
  'sharing',
];
const VERBS = ['Improve', 'Add', 'Automate', 'Simplify', 'Secure', 'Speed up', 'Redesign', 'Monitor'];

const BASE = Date.UTC(2025, 5, 1); // 2025-06-01
const LATEST = Date.UTC(2026, 0, 31);

/**
 * A workspace of `items` mapped items in the default proportions (initiatives, features,
 * subfeatures 1 : 10 : 5, at least one initiative) with about 1.25 notes per item, as people ask
 * for it (`pb-jira-sync sandbox --generate N`).
 */
export function workspaceOfSize(items: number, seed = 1): GenerateWorkspaceOptions {
  const initiatives = Math.max(1, Math.round(items / 16));
  const subfeatures = Math.min(items - initiatives, Math.round((items * 5) / 16));
  return { initiatives, features: items - initiatives - subfeatures, subfeatures, notes: Math.round(items * 1.25), seed };
}

export function generateWorkspace(opts: GenerateWorkspaceOptions = {}): SeedWorkspace {
  const nInit = opts.initiatives ?? 1000;
  const nFeat = opts.features ?? 10000;
  const nSub = opts.subfeatures ?? 5000;
  const nNotes = opts.notes ?? 20000;
  const seed = opts.seed ?? 1;
  const rng = mulberry32(seed);
  const gid = (kind: string, i: number): string => uuidFromName(`gen:${seed}:${kind}:${i}`);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const created = (i: number, total: number): number => BASE + Math.floor(((LATEST - BASE) * 0.7 * i) / Math.max(1, total));
  const touched = (c: number): string => iso(Math.min(LATEST, c + pickIndex(rng, 60) * 86_400_000));
  const title = (): string =>
    `${VERBS[pickIndex(rng, VERBS.length)]} ${WORDS[pickIndex(rng, WORDS.length)]} ${WORDS[pickIndex(rng, WORDS.length)]}`;

  const entities: SeedEntity[] = [];
  const notes: SeedNote[] = [];
  /** Adds `count` entities of `type`, in order; `build` must call the PRNG in a fixed order for the seed to hold. */
  const addAll = (type: PbEntityType, count: number, build: (i: number) => Omit<SeedEntity, 'id' | 'type'>): string[] => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = gid(type, i);
      ids.push(id);
      entities.push({ id, type, ...build(i) });
    }
    return ids;
  };

  const nProducts = 3;
  const nComponents = Math.max(1, Math.ceil(nFeat / 40));
  const products = addAll('product', nProducts, (i) => ({ name: `Product ${i + 1}`, createdAt: iso(BASE) }));
  const components = addAll('component', nComponents, (i) => ({
    name: `Component ${i + 1}`,
    parentId: products[i % nProducts],
    createdAt: iso(BASE),
  }));
  const companies = addAll('company', 50, (i) => ({ name: `Research group ${i + 1}`, createdAt: iso(BASE) }));
  const initiatives = addAll('initiative', nInit, (i) => {
    const c = created(i, nInit);
    return {
      name: `Initiative ${i + 1}: ${title()}`,
      status: INITIATIVE_STATUSES[pickIndex(rng, INITIATIVE_STATUSES.length)],
      descriptionHtml: DESCRIPTIONS[i % DESCRIPTIONS.length],
      createdAt: iso(c),
      updatedAt: touched(c),
    };
  });
  const features = addAll('feature', nFeat, (i) => {
    const c = created(i, nFeat);
    const e: Omit<SeedEntity, 'id' | 'type'> = {
      name: `${title()} (#${i + 1})`,
      descriptionHtml: DESCRIPTIONS[pickIndex(rng, DESCRIPTIONS.length)],
      status: FEATURE_STATUSES[pickIndex(rng, FEATURE_STATUSES.length)],
      tags: TAG_POOL[pickIndex(rng, TAG_POOL.length)],
      parentId: components[i % nComponents],
      linkedIds: initiatives.length > 0 ? [initiatives[pickIndex(rng, initiatives.length)] ?? ''] : [],
      createdAt: iso(c),
      updatedAt: touched(c),
    };
    if (rng() < 0.3) e.timeframe = quarterOf(2026, 1 + pickIndex(rng, 4));
    return e;
  });
  addAll('subfeature', nSub, (i) => {
    const c = created(i, nSub);
    return {
      name: `${title()} (sub #${i + 1})`,
      descriptionHtml: DESCRIPTIONS[pickIndex(rng, DESCRIPTIONS.length)],
      status: FEATURE_STATUSES[pickIndex(rng, FEATURE_STATUSES.length)],
      parentId: features.length > 0 ? features[pickIndex(rng, features.length)] : undefined,
      createdAt: iso(c),
      updatedAt: touched(c),
    };
  });
  for (let i = 0; i < nNotes; i++) {
    const linked: string[] = [];
    if (features.length > 0) {
      linked.push(features[pickIndex(rng, features.length)] ?? '');
      if (rng() < 0.25) {
        const second = features[pickIndex(rng, features.length)] ?? '';
        if (second !== linked[0]) linked.push(second);
      }
    }
    const c = created(i, nNotes);
    const n: SeedNote = {
      id: gid('note', i),
      name: `Feedback ${i + 1}: ${title()}`,
      contentHtml: DESCRIPTIONS[i % (DESCRIPTIONS.length - 1)] ?? '<p>Feedback</p>',
      linkedIds: linked,
      createdAt: iso(c),
      updatedAt: touched(c),
    };
    if (rng() < 0.7) n.customerId = companies[pickIndex(rng, companies.length)];
    if (rng() < 0.4) n.processed = true;
    notes.push(n);
  }
  return { entities, notes, customFields: deliveryFields() };
}

/** The empty delivery fields a sync writes back to (as the seed workspace has them), so the shipped mapping works here too. */
const deliveryFields = (): SeedCustomField[] =>
  (
    [
      ['Jira key', 'text'],
      ['Jira status', 'text'],
      ['Delivery progress', 'number'],
    ] as const
  ).map(([name, kind]) => ({
    id: uuidFromName(`generated:field:${name}`),
    name,
    kind,
    entityTypes: ['initiative', 'feature', 'subfeature'],
  }));
