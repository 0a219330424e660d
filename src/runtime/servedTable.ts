import { identityPreprocessing, type Preprocessing } from '../intrinsics/preprocessing.js';
import type { TableStep } from './dataset.js';

/**
 * What a served model does to a raw table row, from the table's transforms. Selected columns
 * and standardisation are a row's `scale` (a column not standardised: mean 0, std 1); the
 * served model then takes rows by column name. Categories (`onehot`, `index`) and samples
 * made of several rows (`window`, `reshape`) are not steps a served model applies yet: it then
 * takes the samples as the transforms made them (the identity), and the record of the
 * transforms (`Dataset.transforms`) says how to make them.
 */
export function servedTable(
  steps: readonly TableStep[],
  features: readonly string[],
  shape: readonly number[],
): Preprocessing {
  const plain = steps.every((s) => s.kind === 'standardize' || s.kind === 'columns');
  if (!plain)
    return identityPreprocessing({ layout: shape.length === 2 ? 'Seq' : 'Vec', dims: [...shape] });
  const standardize = steps.find((s) => s.kind === 'standardize');
  const input = { kind: 'table' as const, columns: [...features] };
  if (!standardize) return { input, steps: [] };
  const at = (c: string) => standardize.columns.indexOf(c);
  const mean = features.map((c) => (at(c) < 0 ? 0 : standardize.mean[at(c)]!));
  const std = features.map((c) => (at(c) < 0 ? 1 : standardize.std[at(c)]!));
  return { input, steps: [{ kind: 'scale', mean, std }] };
}
