import { DataError } from './dataset.js';

/** The search's splits: indices into the dataset. */
export interface Splits {
  readonly train: readonly number[];
  readonly valid: readonly number[];
  readonly test: readonly number[];
}

/**
 * Splits `size` samples by index (darts-semantics §6.1): the last `test` fraction is held out,
 * then the first ⌊split·N⌋ of the rest train the weights and the remainder trains α. `name`
 * names the data in the error when a split would be empty.
 */
export function splitIndices(size: number, split: number, test: number, name: string): Splits {
  const held = Math.round(size * test);
  const search = size - held;
  const cut = Math.floor(split * search);
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  if (cut < 1 || search - cut < 1)
    throw new DataError(`${name}: ${size} samples are too few to split into train and valid`);
  return { train: range(0, cut), valid: range(cut, search), test: range(search, size) };
}
