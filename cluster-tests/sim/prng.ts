// The simulation's only source of randomness: sfc32 (Chris Doty-Humphrey's
// small fast chaotic generator, 128 bits of state, passes PractRand), seeded
// through splitmix32. `fork(label)` derives an independent stream from the
// seed this generator was *created* with and the label — never from its
// current position — so drawing more numbers in one stream (say, the network)
// never shifts another (say, the workload). Forking the same label twice gives
// the same stream: labels must be unique (include an incarnation number).

/** FNV-1a over a string's UTF-16 code units: a stable 32-bit label hash. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The words this stream was created from; forks derive from these. */
  private readonly origin: readonly [number, number, number, number];

  private constructor(words: readonly [number, number, number, number]) {
    this.origin = words;
    [this.a, this.b, this.c, this.d] = words;
    // Discard the first outputs: sfc32 mixes its state in a dozen rounds.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** A generator for a seed: any safe integer (both halves of it count). */
  static seeded(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const st = { s: lo ^ Math.imul(hi, 0x27d4eb2d) ^ 0x5eed };
    return new Rng([splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st) | 1]);
  }

  /** An independent stream named `label`, unaffected by draws made on this one. */
  fork(label: string): Rng {
    const lh = hashString(label);
    const st = { s: (this.origin[0] ^ lh) | 0 };
    const w0 = splitmix32(st) ^ this.origin[1];
    const w1 = splitmix32(st) ^ this.origin[2];
    const w2 = splitmix32(st) ^ this.origin[3];
    const w3 = splitmix32(st) ^ lh;
    return new Rng([w0 >>> 0, w1 >>> 0, w2 >>> 0, (w3 | 1) >>> 0]);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [0, n). Also makes this object a core `RandomSource`. */
  nextInt(n: number): number {
    if (!(n > 0)) throw new RangeError(`nextInt(${n})`);
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi], both inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.nextInt(hi - lo + 1);
  }

  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('pick from an empty list');
    return xs[this.nextInt(xs.length)]!;
  }

  /** A weighted choice: `[weight, value]` pairs, weights >= 0 and not all zero. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let r = this.float() * total;
    for (const [w, v] of choices) {
      if (r < w) return v;
      r -= w;
    }
    return choices[choices.length - 1]![1];
  }

  /** A new array with the elements of `xs` in random order (Fisher–Yates). */
  shuffled<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }

  /** A roughly exponential wait with the given mean (at least 1). */
  exp(mean: number): number {
    return Math.max(1, Math.round(-Math.log(1 - this.float()) * mean));
  }
}
