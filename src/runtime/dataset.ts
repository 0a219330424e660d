import type { Preprocessing } from '../intrinsics/preprocessing.js';
import type { Layout } from '../intrinsics/tensorType.js';

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
}

/** A problem with the data (a bad file, a mismatch), reported by the CLI as one message. */
export class DataError extends Error {
  override name = 'DataError';
}
