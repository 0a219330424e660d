/**
 * A small seeded PRNG (mulberry32) and the distributions the runtime needs. One seed drives
 * weight init, α init, data order and dropout, on every backend alike.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** `count` uniform values in [-bound, bound). */
  uniform(count: number, bound: number): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (2 * this.next() - 1) * bound;
    return out;
  }

  /** `count` standard normal values (Box-Muller), scaled by `std`. */
  normal(count: number, std = 1): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += 2) {
      const u = 1 - this.next();
      const v = this.next();
      const r = Math.sqrt(-2 * Math.log(u));
      out[i] = r * Math.cos(2 * Math.PI * v) * std;
      if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v) * std;
    }
    return out;
  }

  /** A random permutation of 0 .. n-1 (Fisher-Yates). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A seed for a derived stream (e.g. one dropout mask). */
  fork(): number {
    return Math.floor(this.next() * 2 ** 31);
  }
}
