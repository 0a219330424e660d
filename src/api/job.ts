/**
 * A long job (a search, a retrain): its events as an async iterable, and its result. Events
 * are buffered from the start, so a consumer that begins iterating late misses none. The
 * iteration ends when the job does, throwing the job's error if it failed; `result` rejects
 * with the same error. A consumer that stops iterating early (`break`, or an exception in its
 * loop) stops the job too, after its current step.
 */
export interface Job<E, R> extends AsyncIterable<E> {
  readonly result: Promise<R>;
}

/**
 * Starts `run` on the next turn of the event loop, with `emit` feeding the job's events and a
 * signal that aborts when `signal` does or the consumer stops iterating.
 */
export function startJob<E, R>(
  run: (emit: (event: E) => void, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Job<E, R> {
  const queue: E[] = [];
  let state: { done: false } | { done: true; failed: boolean; error?: unknown } = { done: false };
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const stop = new AbortController();
  const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const emit = (event: E) => {
    queue.push(event);
    notify();
  };
  const result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(emit, both));
  result.then(
    () => ((state = { done: true, failed: false }), notify()),
    (error: unknown) => ((state = { done: true, failed: true, error }), notify()),
  );
  return {
    result,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          while (queue.length > 0) yield queue.shift()!;
          if (state.done) {
            if (state.failed) throw state.error;
            return;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        if (!state.done) stop.abort(new Error('the consumer of the job stopped iterating'));
      }
    },
  };
}
