import type { StepEvent } from '../index.js';

/** Seconds left until the current epoch's line, and until the run's end. */
export interface TimeLeft {
  readonly epoch: number;
  readonly run: number;
}

/**
 * The time a run has left, from what it measured so far: the mean time between consecutive
 * steps of an epoch, and the mean time from an epoch's last step to its end (the validation
 * pass of a search, next to nothing for a retrain). An epoch's first step is not timed: it
 * follows setup or a checkpoint write, and the run's very first one may arrive together with
 * the start event (a job's events are delivered when it yields). A resumed run shows only
 * the steps it runs, so only those are timed; the work left follows from the step events' own
 * epoch and step numbers. Times are in ms, read by the caller from one clock, so a test can
 * drive it with a fake one.
 */
export class RunEta {
  private last: number;
  private inEpoch = false;
  private between = { ms: 0, count: 0 };
  private tail = { ms: 0, count: 0 };
  private losses = { sum: 0, count: 0 };

  /** A run of `epochs` epochs in all (the ones done before a resume included), started at `now`. */
  constructor(
    private readonly epochs: number,
    now: number,
  ) {
    this.last = now;
  }

  /** A step done at `now`. */
  step(e: StepEvent, now: number): void {
    if (this.inEpoch) add(this.between, now - this.last);
    this.last = now;
    this.inEpoch = true;
    this.losses.sum += e.loss;
    this.losses.count++;
  }

  /** An epoch ended at `now` (its validation done): the next step opens a new one. */
  epoch(now: number): void {
    add(this.tail, now - this.last);
    this.last = now;
    this.inEpoch = false;
    this.losses = { sum: 0, count: 0 };
  }

  /** The mean of the current epoch's batch losses so far (the steps this process ran). */
  get loss(): number {
    return this.losses.sum / this.losses.count;
  }

  /** The time left after step event `e`, in seconds; unknown until two steps follow each other. */
  left(e: StepEvent): TimeLeft | undefined {
    if (!this.between.count) return undefined;
    const step = mean(this.between);
    const tail = this.tail.count ? mean(this.tail) : 0;
    const epoch = (e.steps - e.step) * step + tail;
    const later = Math.max(0, this.epochs - 1 - e.epoch) * (e.steps * step + tail);
    return { epoch: epoch / 1000, run: (epoch + later) / 1000 };
  }
}

function add(total: { ms: number; count: number }, ms: number): void {
  total.ms += ms;
  total.count++;
}

function mean(total: { ms: number; count: number }): number {
  return total.ms / total.count;
}
