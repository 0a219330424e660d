import type { Network } from '../backends/tfjs/network.js';

/**
 * A search or retrain that produced a number that is not finite: the quantity, where, and
 * the value. Thrown before the epoch is written, so the last checkpoint stays the last good
 * state and no NaN reaches `alphas.json` or a genotype.
 */
export class Diverged extends Error {
  override name = 'Diverged';
  constructor(
    readonly quantity: string,
    readonly epoch: number,
    readonly step: number | undefined,
    readonly value: number,
  ) {
    super(`${quantity} is ${value} in epoch ${epoch + 1}${step ? `, step ${step}` : ''}`);
  }
}

/** Throws `Diverged` unless `value` is finite. */
export function guardFinite(quantity: string, value: number, epoch: number, step?: number): void {
  if (!Number.isFinite(value)) throw new Diverged(quantity, epoch, step, value);
}

/** Throws `Diverged` if a weight is not finite (a step whose loss was still finite broke it). */
export function guardWeights(net: Network, epoch: number): void {
  for (const w of net.weights) {
    const bad = (w.dataSync() as Float32Array).find((x) => !Number.isFinite(x));
    if (bad !== undefined) throw new Diverged(`weight ${w.name}`, epoch, undefined, bad);
  }
}

/** Throws `Diverged` if an α is not finite (one that diverged while the losses did not yet). */
export function guardAlphas(tables: Record<string, number[][]>, epoch: number): void {
  for (const table of Object.values(tables))
    for (const row of table)
      for (const a of row)
        if (!Number.isFinite(a))
          throw new Diverged('an architecture weight (α)', epoch, undefined, a);
}
