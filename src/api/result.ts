import type { Diagnostic } from '../diagnostics/Diagnostic.js';

/**
 * What every API function returns: the value, or diagnostics that say why there is none.
 * Warnings may come with a value.
 */
export interface Result<T> {
  readonly value?: T;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * A request the API cannot take as asked: an option out of range, a file that cannot be read,
 * a saved α file of the wrong shape. Thrown (the CLI reports it as a usage error, exit 2);
 * problems in a spec are diagnostics instead.
 */
export class OptionError extends Error {
  override name = 'OptionError';
}

/** Throws an `OptionError` unless `value` is an integer of at least `min` (or absent). */
export function checkInteger(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min))
    throw new OptionError(
      `${name} takes ${min === 0 ? 'a non-negative' : 'a positive'} integer, found \`${value}\``,
    );
}

/** Throws an `OptionError` unless the counts of a job's options are integers in range. */
export function checkCounts(options: {
  readonly epochs?: number;
  readonly batch?: number;
  readonly seed?: number;
  readonly steps?: number;
  readonly workers?: number;
}): void {
  for (const [name, min] of [
    ['epochs', 1],
    ['batch', 1],
    ['seed', 0],
    ['steps', 1],
    ['workers', 1],
  ] as const)
    checkInteger(`--${name}`, options[name], min);
}
