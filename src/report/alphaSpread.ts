/**
 * Whether α moved at all. With a small architecture learning rate or few steps, softmax(α)
 * stays near uniform (a 10-epoch tabular search kept every weight between 0.24 and 0.26), and
 * the genotype derived from it is decided by noise. The measure is the largest spread of an
 * edge's weights (max − min over its candidates) relative to the uniform weight 1/n: 0 when α
 * never moved, 1 when one op gained as much as the uniform weight over another.
 */

/** Below this relative spread on every edge, the genotype is called nearly arbitrary. */
const flatBelow = 0.2;

export interface AlphaSpread {
  /** The largest relative spread over every edge of every table. */
  readonly spread: number;
  /** Where it is: the table and 0-based edge row. */
  readonly role: string;
  readonly row: number;
  readonly uniform: number;
  readonly flat: boolean;
}

/** The largest spread of softmax(α) rows, or undefined without any row. */
export function alphaSpread(
  probs: Readonly<Record<string, readonly (readonly number[])[]>>,
): AlphaSpread | undefined {
  let best: AlphaSpread | undefined;
  for (const [role, rows] of Object.entries(probs))
    rows.forEach((p, row) => {
      if (p.length < 2) return;
      const uniform = 1 / p.length;
      const spread = (Math.max(...p) - Math.min(...p)) / uniform;
      if (!best || spread > best.spread)
        best = { spread, role, row, uniform, flat: spread < flatBelow };
    });
  return best;
}

/** The warning for α that barely moved, or undefined. */
export function flatMessage(s: AlphaSpread | undefined): string | undefined {
  if (!s?.flat) return undefined;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return `α barely moved: on every edge the ops' weights differ by at most ${pct(s.spread)} of the uniform weight ${s.uniform.toFixed(3)} (warning below ${pct(flatBelow)}), so the genotype is nearly arbitrary: search longer or raise the architecture learning rate (\`arch adam(lr: ...)\`)`;
}
