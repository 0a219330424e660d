import { invariant } from '../util/invariant.js';

/**
 * The largest magnitude a chart plots. Beyond it, spans and steps overflow a double; a float32
 * run cannot produce such values (its maximum is about 3.4e38), so charts skip them as they skip
 * NaN and Infinity.
 */
export const maxPlottable = 1e300;

/** Axis ticks: evenly spaced nice numbers from `min` to `max`, which they define as the axis range. */
export interface Ticks {
  readonly min: number;
  readonly max: number;
  /** 1, 2 or 5 times a power of ten. */
  readonly step: number;
  readonly values: readonly number[];
}

/** Options of `niceTicks`. */
interface TickOptions {
  /** About how many intervals (the result has between half and twice as many). */
  readonly count?: number;
  /** Ticks at whole numbers only (epochs). */
  readonly integer?: boolean;
}

/**
 * Nice ticks (1-2-5 steps) whose range covers [lo, hi], for finite `lo` and `hi` within
 * ±`maxPlottable`. An empty or near-empty range is widened around its centre, so one value or
 * all-equal values still give an axis.
 */
export function niceTicks(lo: number, hi: number, options: TickOptions = {}): Ticks {
  invariant(
    Math.abs(lo) <= maxPlottable && Math.abs(hi) <= maxPlottable,
    `ticks for [${lo}, ${hi}]`,
  );
  [lo, hi] = widen(Math.min(lo, hi), Math.max(lo, hi), options.integer ?? false);
  // hi/count − lo/count rather than (hi − lo)/count: the difference could overflow.
  const count = options.count ?? 5;
  let step = niceStep(hi / count - lo / count);
  if (options.integer) step = Math.max(1, step);
  let first = Math.floor(lo / step);
  let last = Math.ceil(hi / step);
  // lo / step carries rounding error: move each end in while it still covers, out while it does not.
  if (clean((first + 1) * step) <= lo) first += 1;
  if (clean(first * step) > lo) first -= 1;
  if (clean((last - 1) * step) >= hi) last -= 1;
  if (clean(last * step) < hi) last += 1;
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(clean(i * step));
  invariant(values.length >= 2 && Number.isFinite(step), `ticks for [${lo}, ${hi}]`);
  return { min: values[0]!, max: values[values.length - 1]!, step, values };
}

/** [lo, hi] widened when it is empty or too narrow to divide (relative to its magnitude). */
function widen(lo: number, hi: number, integer: boolean): [number, number] {
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo > magnitude * 1e-9 && hi - lo > 1e-250) return [lo, hi];
  const centre = lo / 2 + hi / 2;
  let pad = Math.abs(centre) < 1e-250 ? 1 : Math.abs(centre) * 0.1;
  if (integer) pad = Math.max(pad, 1);
  return [centre - pad, centre + pad];
}

/** The nice number (1, 2 or 5 times a power of ten) nearest to `raw` (d3's thresholds). */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice =
    fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.SQRT2 ? 2 : 1;
  return nice * power;
}

/** `x` without the noise of `i * step` (0.30000000000000004 becomes 0.3). */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** A tick's label: as many decimals as the step needs; as a percentage when `percent`. */
export function formatTick(value: number, step: number, percent = false): string {
  const scale = percent ? 100 : 1;
  const v = clean(value * scale);
  const s = step * scale;
  const decimals = Math.max(0, -Math.floor(Math.log10(s) + 1e-9));
  let text: string;
  if (decimals <= 6 && Math.abs(v) < 1e6) text = v.toFixed(decimals);
  else if (v === 0) text = '0';
  else {
    const digits = Math.floor(Math.log10(Math.abs(v))) - Math.floor(Math.log10(s) + 1e-9);
    text = v.toExponential(Math.min(20, Math.max(0, digits)));
  }
  return percent ? `${text}%` : text;
}
