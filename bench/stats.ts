/** Medians and spreads of repeated timings. */

/** A sample's median and its extremes. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: NaN, min: NaN, max: NaN };
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]! };
}

/** Timed calls: wall ms of each, and the CPU ms of all threads over them. */
export interface Timed {
  readonly ms: number[];
  readonly cpuMs: number;
}

/** Milliseconds of each of `n` calls of `f`, and the CPU ms of all this process's threads. */
export async function timed(n: number, f: () => unknown): Promise<Timed> {
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await f();
    ms.push(performance.now() - start);
  }
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/** Cores busy over timed calls: CPU time over wall time. */
export function coresBusy(runs: readonly Timed[]): number {
  const wall = runs.reduce((s, r) => s + r.ms.reduce((a, b) => a + b, 0), 0);
  return round3(runs.reduce((s, r) => s + r.cpuMs, 0) / wall);
}

/** Rounds a figure to 3 significant digits for printing and JSON. */
export function round3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}
