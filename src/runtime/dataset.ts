import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import type { Preprocessing } from '../intrinsics/preprocessing.js';
import type { Layout } from '../intrinsics/tensorType.js';
import { SourceFile, type Span } from '../source/SourceFile.js';

/**
 * Datasets in memory: inputs as one Float32Array (channels last, sample-major) and integer
 * labels. Loaders validate everything before returning, so nothing is half-loaded.
 */
export interface Dataset {
  readonly name: string;
  /** The tensor type of one sample. */
  readonly layout: Layout;
  /** One sample's shape (batch excluded). */
  readonly shape: readonly number[];
  /** The number of classes (0 for regression). */
  readonly classes: number;
  readonly x: Float32Array;
  /** Class indices, or for regression (`task`) the target values. */
  readonly y: Int32Array | Float32Array;
  readonly size: number;
  /** `regression`: one real target per sample, fitted by mean squared error. */
  readonly task?: 'regression';
  /** Token data only: the largest token id + 1, which an embedding's `vocab` must cover. */
  readonly vocab?: number;
  /**
   * How the loader made `x` from the raw samples, with its constants: what a served model
   * applies to raw inputs (saved with a trained model, emitted as `PREPROCESSING`).
   */
  readonly preprocessing: Preprocessing;
  /**
   * How raw rows became the samples through the spec's transforms, in order, with their
   * fitted constants (docs/search.md#preprocessing): present for tables and reshaped data.
   */
  readonly transforms?: readonly TableStep[];
}

/**
 * One step from raw rows to samples, as plain JSON, with the constants fitted to the data:
 * categories in the order of their codes (one-hot column `c=v` is 1 where `c` is `v`),
 * standardisation constants of the train split (`(v - mean[i]) / std[i]` for `columns[i]`;
 * a constant column has std 1), the feature columns in sample order, then how rows make a
 * sample (a window of consecutive rows ordered by `by`, a reshape).
 */
export type TableStep =
  | {
      readonly kind: 'onehot' | 'index';
      readonly column: string;
      readonly categories: readonly (string | number)[];
    }
  | {
      readonly kind: 'standardize';
      readonly columns: readonly string[];
      readonly mean: readonly number[];
      readonly std: readonly number[];
    }
  | { readonly kind: 'columns'; readonly names: readonly string[] }
  | {
      readonly kind: 'window';
      readonly length: number;
      readonly horizon: number;
      readonly by?: string;
    }
  | { readonly kind: 'reshape'; readonly shape: readonly number[] };

/** A problem with the data (a bad file, a mismatch), reported by the CLI as one message. */
export class DataError extends Error {
  override name = 'DataError';
}

/**
 * A problem of the data pipeline found once a file is loaded (an unknown column of a CSV
 * file): the same diagnostic `dartsc check` gives for a vega table, placed by whoever knows
 * where the pipeline is written.
 */
export class DataProblem extends DataError {
  override name = 'DataProblem';

  constructor(
    readonly at: (span: Span) => Diagnostic,
    /** The stage of the pipeline (0: the source) and its argument the problem is in. */
    readonly where: { readonly stage: number; readonly arg?: string },
  ) {
    const nowhere = new SourceFile('', '').span(0, 0);
    super(at(nowhere).message);
  }
}
