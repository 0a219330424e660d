/**
 * Summation across search workers through shared memory: each worker writes its vector into
 * its own slot, waits at a barrier, and every worker adds the slots in rank order, so all of
 * them get bitwise the same sum (and the same sum for the same worker count on every run).
 */

/** The shared memory of one group of workers; sent to each worker once. */
export interface ReduceBuffers {
  /** [count, generation] of the barrier. */
  readonly barrier: SharedArrayBuffer;
  /** `workers` slots of `capacity` floats. */
  readonly slots: SharedArrayBuffer;
  readonly workers: number;
  readonly capacity: number;
}

/** Shared buffers for `workers` vectors of up to `capacity` floats. */
export function reduceBuffers(workers: number, capacity: number): ReduceBuffers {
  return {
    barrier: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    slots: new SharedArrayBuffer(workers * capacity * Float32Array.BYTES_PER_ELEMENT),
    workers,
    capacity,
  };
}

/** One worker's side of the group. */
export class AllReduce {
  readonly #barrier: Int32Array;
  readonly #slots: Float32Array;

  constructor(
    readonly buffers: ReduceBuffers,
    readonly rank: number,
  ) {
    this.#barrier = new Int32Array(buffers.barrier);
    this.#slots = new Float32Array(buffers.slots);
  }

  /** Blocks until every worker of the group has arrived. */
  wait(): void {
    const b = this.#barrier;
    const generation = Atomics.load(b, 1);
    if (Atomics.add(b, 0, 1) === this.buffers.workers - 1) {
      Atomics.store(b, 0, 0);
      Atomics.add(b, 1, 1);
      Atomics.notify(b, 1);
      return;
    }
    while (Atomics.load(b, 1) === generation) Atomics.wait(b, 1, generation);
  }

  /** The sum over workers of `parts` (concatenated), in rank order; `parts` are this worker's. */
  sum(parts: readonly Float32Array[]): Float32Array {
    const { workers, capacity } = this.buffers;
    const length = parts.reduce((n, p) => n + p.length, 0);
    if (length > capacity) throw new Error(`all-reduce of ${length} floats over ${capacity}`);
    let at = this.rank * capacity;
    for (const p of parts) {
      this.#slots.set(p, at);
      at += p.length;
    }
    this.wait();
    const total = this.#slots.slice(0, length);
    for (let r = 1; r < workers; r++) {
      const slot = this.#slots.subarray(r * capacity, r * capacity + length);
      for (let i = 0; i < length; i++) total[i]! += slot[i]!;
    }
    // Nobody writes the next vector before everyone has read this one.
    this.wait();
    return total;
  }
}
