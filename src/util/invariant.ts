/** Thrown for a broken compiler invariant (a bug in dartsc, never a user error). */
export class InternalError extends Error {
  override name = 'InternalError';
}

/** Asserts an internal invariant; a failure is reported by the CLI as an internal compiler error. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}
