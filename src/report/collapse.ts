/**
 * The known failure mode of DARTS (Zela et al. 2020, DARTS+, P-DARTS): as the search goes
 * on, parameter-free operations (skip connections, pools) win the softmax in the normal
 * cell, because they make the supernet train fastest, and the derived network is shallow
 * and weak. This module measures it in the two places a person looks: the genotype (the
 * kept edges) and α (the strongest op on every edge, before only `keep` per node are kept).
 */

/** A warning is raised at this share of parameter-free choices. */
const collapseThreshold = 0.5;

/** What the measure needs of an α table. */
export interface CollapseTable {
  readonly role: string;
  readonly columns: readonly string[];
  readonly excluded: readonly boolean[];
  readonly parameterFree: readonly boolean[];
}

/** The share of parameter-free choices of one cell role, in its genotype or in α. */
export interface CollapseMeasure {
  readonly role: string;
  readonly where: 'genotype' | 'alpha';
  /** Choices that are parameter-free, of `total`. */
  readonly count: number;
  readonly total: number;
  readonly share: number;
  readonly threshold: number;
  /** The parameter-free ops chosen, with how often. */
  readonly ops: readonly (readonly [string, number])[];
  readonly over: boolean;
}

/**
 * Measures every table's genotype pairs and, with `probs` (softmax(α) rows), its edges.
 * Reduction cells are left out: pooling is what they are expected to choose (the paper's
 * DARTS_V2 reduction cell is max pools and skips only).
 */
export function measureCollapse(
  tables: readonly CollapseTable[],
  pairs: Readonly<Record<string, readonly (readonly [string, number])[]>>,
  probs: Readonly<Record<string, readonly (readonly number[])[]>> = {},
): CollapseMeasure[] {
  const out: CollapseMeasure[] = [];
  for (const table of tables) {
    if (table.role === 'reduce') continue;
    const free = new Set(table.columns.filter((_, c) => table.parameterFree[c]));
    const kept = pairs[table.role];
    if (kept?.length)
      out.push(
        measure(
          table.role,
          'genotype',
          kept.map(([op]) => op),
          free,
        ),
      );
    const rows = probs[table.role];
    if (rows?.length)
      out.push(
        measure(
          table.role,
          'alpha',
          rows.map((r) => strongest(r, table)),
          free,
        ),
      );
  }
  return out;
}

function measure(
  role: string,
  where: CollapseMeasure['where'],
  chosen: readonly string[],
  free: ReadonlySet<string>,
): CollapseMeasure {
  const counts = new Map<string, number>();
  for (const op of chosen) if (free.has(op)) counts.set(op, (counts.get(op) ?? 0) + 1);
  const count = [...counts.values()].reduce((a, b) => a + b, 0);
  const share = count / chosen.length;
  return {
    role,
    where,
    count,
    total: chosen.length,
    share,
    threshold: collapseThreshold,
    ops: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    over: share >= collapseThreshold,
  };
}

/** The op a genotype would take on this edge: the strongest column not excluded (`none`). */
function strongest(row: readonly number[], table: CollapseTable): string {
  let best = -1;
  row.forEach((p, c) => {
    if (!table.excluded[c] && (best < 0 || p > row[best]!)) best = c;
  });
  return table.columns[best] ?? '?';
}

/** One sentence per measure over the threshold, for a terminal or the report. */
export function collapseMessage(m: CollapseMeasure): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const ops = m.ops.map(([op, n]) => `${op} ${n}`).join(', ');
  const what =
    m.where === 'genotype'
      ? `of the ${m.total} edges the ${m.role} cell keeps`
      : `of the ${m.total} edges of the ${m.role} cell, by strongest α`;
  return `parameter-free ops take ${m.count} ${what} (${pct(m.share)}, warning at ${pct(m.threshold)}: ${ops})`;
}
