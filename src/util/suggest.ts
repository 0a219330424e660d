/**
 * Did-you-mean suggestions: among the candidates within an edit distance of
 * floor(len * 0.4) + 1 of `input`, the closest ones, ties in natural order, at most 5.
 */
export function suggest(input: string, candidates: Iterable<string>): string[] {
  const threshold = Math.floor(input.length * 0.4) + 1;
  const lower = input.toLowerCase();
  const scored: { name: string; distance: number }[] = [];
  for (const name of new Set(candidates)) {
    if (name === input) continue;
    // A case-only difference is the most likely typo of all.
    const distance = name.toLowerCase() === lower ? 0.5 : editDistance(input, name);
    if (distance <= threshold) scored.push({ name, distance });
  }
  scored.sort(
    (a, b) => a.distance - b.distance || a.name.localeCompare(b.name, 'en', { numeric: true }),
  );
  // Only the closest names: `sep_conv_3x3` for `sep_conv_3x4`, not every conv within reach.
  const best = scored[0]?.distance;
  return scored
    .filter((s) => s.distance === best)
    .slice(0, 5)
    .map((s) => s.name);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
