// mulberry32: a tiny, fast, seedable PRNG. Faults and generated workspaces must be reproducible from a seed,
// so nothing in the sandbox uses Math.random.
export type Prng = () => number;

export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function pickIndex(rng: Prng, n: number): number {
  return Math.floor(rng() * n);
}
