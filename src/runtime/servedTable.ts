import {
  identityPreprocessing,
  type EncodeStep,
  type Preprocessing,
  type PreprocessStep,
} from '../intrinsics/preprocessing.js';
import type { TableStep } from './dataset.js';

type Encoding = TableStep & { kind: 'onehot' | 'index' };

/**
 * What a served model does to raw table rows, from the table's transforms: the raw columns
 * the features come from, each categorical one encoded as it was (`encode`), then every
 * feature scaled (a column not standardised: mean 0, std 1). A window takes that many rows,
 * oldest first; a reshape reads the same values in the same order, so it is no step. The
 * served model takes rows by column name. Features that a `select` put in another order than
 * the encoding makes them are served as the transforms made them (the identity).
 */
export function servedTable(
  steps: readonly TableStep[],
  features: readonly string[],
  shape: readonly number[],
): Preprocessing {
  const encodings = steps.filter((s): s is Encoding => s.kind === 'onehot' || s.kind === 'index');
  const columns = rawColumns(features, encodings);
  const encode: EncodeStep[] = encodings
    .filter((e) => columns.includes(e.column))
    .map((e) => ({ kind: 'encode', column: e.column, as: e.kind, categories: e.categories }));
  if (encodedNames(columns, encode)?.join('\n') !== features.join('\n')) return identity(shape);
  const window = steps.find((s) => s.kind === 'window');
  const input = { kind: 'table' as const, columns, ...(window ? { rows: window.length } : {}) };
  const scale = scaleStep(steps, features);
  return { input, steps: [...encode, ...(scale ? [scale] : [])] };
}

function identity(shape: readonly number[]): Preprocessing {
  return identityPreprocessing({ layout: shape.length === 2 ? 'Seq' : 'Vec', dims: [...shape] });
}

/** The raw column each feature comes from (`c=v` of a one-hot `c` is `c`), in order, once. */
function rawColumns(features: readonly string[], encodings: readonly Encoding[]): string[] {
  const source = (f: string) =>
    encodings.find((e) => e.kind === 'onehot' && e.categories.some((v) => `${e.column}=${v}` === f))
      ?.column ?? f;
  return [...new Set(features.map(source))];
}

/** The columns after the encodings, as `encode` names them; undefined if one is missing. */
function encodedNames(columns: readonly string[], encode: readonly EncodeStep[]) {
  let names: readonly string[] | undefined = columns;
  for (const e of encode) {
    if (!names?.includes(e.column)) return undefined;
    names = names.flatMap((n) =>
      n !== e.column || e.as === 'index' ? [n] : e.categories.map((v) => `${n}=${v}`),
    );
  }
  return names;
}

/** The standardisation as a `scale` of every feature, or none. */
function scaleStep(steps: readonly TableStep[], features: readonly string[]) {
  const standardize = steps.find((s) => s.kind === 'standardize');
  if (!standardize) return undefined;
  const at = (c: string) => standardize.columns.indexOf(c);
  const mean = features.map((c) => (at(c) < 0 ? 0 : standardize.mean[at(c)]!));
  const std = features.map((c) => (at(c) < 0 ? 1 : standardize.std[at(c)]!));
  return { kind: 'scale', mean, std } satisfies PreprocessStep;
}
