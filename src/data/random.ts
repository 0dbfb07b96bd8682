/**
 * Seeded pseudo-random numbers: the mulberry32 generator (32-bit state, period 2^32),
 * fast and good enough for synthetic data, not for cryptography. The same seed always
 * gives the same sequence on every platform.
 */
export class Random {
  private state: number;

  /** `seed` is any number; only its low 32 bits (after truncation) are used. */
  constructor(seed: number) {
    this.state = Math.trunc(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Log-uniform in [min, max): small values as likely per octave as large ones. */
  logUniform(min: number, max: number): number {
    return min * Math.exp(Math.log(max / min) * this.next());
  }

  /** Standard normal (Box-Muller transform). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A random element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
