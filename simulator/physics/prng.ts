/**
 * Seeded pseudo-random numbers so a simulator run is reproducible: the same seed gives
 * the same weather and the same measurement noise.
 */

/** mulberry32: small, fast, good enough for plant noise. Returns a function giving [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sample (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Ornstein–Uhlenbeck step: a value that wanders around zero with a given standard
 * deviation and correlation time (slow weather drift, slow sensor wander). `normal` gives standard normal samples.
 */
export function ouStep(x: number, dtS: number, tauS: number, sigma: number, normal: () => number): number {
  const decay = Math.exp(-dtS / tauS);
  return x * decay + sigma * Math.sqrt(1 - decay * decay) * normal();
}
