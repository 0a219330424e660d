import { fitText, fittedLabel, fontSize, textWidth } from './fitText.js';
import { formatTick, maxPlottable, niceTicks, type Ticks } from './niceTicks.js';
import { opColor } from './opColor.js';
import { formatCoordinate, svgElement, textContent, type Markup } from './svgElement.js';
import { svgRoot } from './svgRoot.js';

export { heatMap, type HeatMapOptions } from './heatMap.js';
export { opColor } from './opColor.js';

/** One curve: `points` are [x, y] pairs drawn in the order given. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Any CSS colour; `opColor(index in series)` when absent. */
  readonly color?: string;
  readonly dashed?: boolean;
}

/** What `lineChart` draws. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Size in pixels without the legend (which adds a row per line of entries); 560 × 260. */
  readonly width?: number;
  readonly height?: number;
  /** Values the y axis covers besides the data (e.g. 0 and 1 for an accuracy). */
  readonly yMin?: number;
  readonly yMax?: number;
  /** y ticks and tooltips as percentages (0.5 is `50%`). */
  readonly percent?: boolean;
  /** x ticks at whole numbers (epochs). */
  readonly integerX?: boolean;
}

const legendRow = 16;
/** Legend entries stay short enough that several fit on a row; the full name is in a tooltip. */
const legendLabelWidth = 160;

/** The plot area in pixels. */
interface Frame {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** An axis: its ticks and the map from data to pixels. */
interface Axis {
  readonly ticks: Ticks;
  readonly toPixel: (v: number) => number;
}

/**
 * A line chart as a self-contained `<svg>` element: nice axes with gridlines, one `<path
 * class="series" data-name=…>` per series, a dot per point with a `<title>` tooltip, and a
 * legend that wraps. Points with a NaN, infinite or absurdly large coordinate are skipped and
 * break their line. Deterministic: the same options give the same string.
 */
export function lineChart(o: LineChartOptions): string {
  const width = size(o.width, 560, 240);
  const height = size(o.height, 260, 160);
  const frame: Frame = { left: 60, top: 30, right: width - 16, bottom: height - 44 };
  const points = o.series.flatMap((s) => s.points.filter(plottable));
  const xs = points.map((p) => p[0]);
  const bounds = [o.yMin, o.yMax].filter((v): v is number => v !== undefined && plottable([0, v]));
  const ys = [...points.map((p) => p[1]), ...bounds];
  const x = axis(xs, frame.left, frame.right, { count: 6, integer: o.integerX ?? false });
  const y = axis(ys, frame.bottom, frame.top, { count: 5, integer: false });
  const legend = legendMarkup(o.series, frame.left, frame.right, height);
  const fullHeight = height + legend.rows * legendRow + (legend.rows > 0 ? 6 : 0);
  return svgRoot(
    o.title,
    { width, height: fullHeight, class: 'chart line-chart' },
    svgElement('rect', {
      class: 'plot-area',
      x: frame.left,
      y: frame.top,
      width: frame.right - frame.left,
      height: frame.bottom - frame.top,
      fill: '#fff',
    }),
    gridMarkup(frame, x, y),
    axesMarkup(frame, x, y, o),
    ...(points.length === 0 ? [noData(frame)] : []),
    ...o.series.flatMap((s, i) => seriesMarkup(s, i, x, y, o)),
    legend.markup,
  );
}

/** `value` clamped to [min, 4000] pixels, or `fallback` when it is absent or not finite. */
function size(value: number | undefined, fallback: number, min: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(4000, Math.max(min, value));
}

/** Whether both coordinates are finite and within ±`maxPlottable` (data read from files may be anything). */
function plottable(p: readonly [number, number]): boolean {
  const ok = (v: unknown) => typeof v === 'number' && Math.abs(v) <= maxPlottable;
  return ok(p[0]) && ok(p[1]);
}

/** An axis over `values` (or [0, 1] without any) from pixel `from` (at its minimum) to `to`. */
function axis(
  values: readonly number[],
  from: number,
  to: number,
  options: { count: number; integer: boolean },
): Axis {
  // A loop, not Math.min(...values): a long run would overflow the call stack.
  let [lo, hi] = values.length > 0 ? [Infinity, -Infinity] : [0, 1];
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const ticks = niceTicks(lo, hi, options);
  const span = ticks.max - ticks.min;
  return { ticks, toPixel: (v) => from + ((v - ticks.min) / span) * (to - from) };
}

/** Light gridlines at every tick, under the data. */
function gridMarkup(frame: Frame, x: Axis, y: Axis): Markup {
  const lines = [
    ...x.ticks.values.map((t) => {
      const px = x.toPixel(t);
      return svgElement('line', { x1: px, y1: frame.top, x2: px, y2: frame.bottom });
    }),
    ...y.ticks.values.map((t) => {
      const py = y.toPixel(t);
      return svgElement('line', { x1: frame.left, y1: py, x2: frame.right, y2: py });
    }),
  ];
  return svgElement('g', { class: 'grid', stroke: '#e6e6e6' }, ...lines);
}

/** The two axis lines, tick labels and axis titles. */
function axesMarkup(frame: Frame, x: Axis, y: Axis, o: LineChartOptions): Markup {
  const labels = [
    ...x.ticks.values.map((t) =>
      svgElement(
        'text',
        { x: x.toPixel(t), y: frame.bottom + 16, 'text-anchor': 'middle' },
        textContent(formatTick(t, x.ticks.step)),
      ),
    ),
    ...y.ticks.values.map((t) =>
      svgElement(
        'text',
        { x: frame.left - 6, y: y.toPixel(t), dy: '0.32em', 'text-anchor': 'end' },
        textContent(formatTick(t, y.ticks.step, o.percent)),
      ),
    ),
  ];
  const middleY = (frame.top + frame.bottom) / 2;
  const rotate = `rotate(-90 14 ${formatCoordinate(middleY)})`;
  return svgElement(
    'g',
    { class: 'axes', fill: '#444' },
    svgElement('path', {
      d: pathData([
        [frame.left, frame.top],
        [frame.left, frame.bottom],
        [frame.right, frame.bottom],
      ]),
      fill: 'none',
      stroke: '#888',
    }),
    ...labels,
    fittedLabel(o.xLabel, frame.right - frame.left, {
      class: 'x-label',
      x: (frame.left + frame.right) / 2,
      y: frame.bottom + 36,
      'text-anchor': 'middle',
    }),
    fittedLabel(o.yLabel, frame.bottom - frame.top, {
      class: 'y-label',
      x: 14,
      y: middleY,
      'text-anchor': 'middle',
      transform: rotate,
    }),
  );
}

function noData(frame: Frame): Markup {
  const [x, y] = [(frame.left + frame.right) / 2, (frame.top + frame.bottom) / 2];
  return svgElement(
    'text',
    { class: 'no-data', x, y, 'text-anchor': 'middle', fill: '#888' },
    textContent('no data'),
  );
}

/** `M x y L x y …` for one run of points. */
function pathData(points: readonly (readonly [number, number])[]): string {
  return points
    .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${formatCoordinate(x)} ${formatCoordinate(y)}`)
    .join(' ');
}

/** The path of a series, broken where a point is skipped, and its dots with tooltips. */
function seriesMarkup(s: Series, index: number, x: Axis, y: Axis, o: LineChartOptions): Markup[] {
  const color = s.color ?? opColor(index);
  const runs: [number, number][][] = [[]];
  const dots: Markup[] = [];
  for (const p of s.points) {
    if (!plottable(p)) {
      if (runs[runs.length - 1]!.length > 0) runs.push([]);
      continue;
    }
    const [px, py] = [x.toPixel(p[0]), y.toPixel(p[1])];
    runs[runs.length - 1]!.push([px, py]);
    const tip = `${s.name} · ${o.xLabel} ${formatValue(p[0])}: ${formatValue(p[1], o.percent)}`;
    dots.push(
      svgElement('circle', { cx: px, cy: py, r: 2.5 }, svgElement('title', {}, textContent(tip))),
    );
  }
  const d = runs
    .filter((r) => r.length > 0)
    .map(pathData)
    .join(' ');
  const dash = s.dashed ? '5 3' : undefined;
  return [
    svgElement('path', {
      class: 'series',
      'data-name': s.name,
      d,
      fill: 'none',
      stroke: color,
      'stroke-width': 1.5,
      'stroke-dasharray': dash,
      'stroke-linejoin': 'round',
    }),
    svgElement('g', { class: 'points', 'data-name': s.name, fill: color }, ...dots),
  ];
}

/** A data value in a tooltip: four significant digits. */
function formatValue(v: number, percent = false): string {
  return percent ? `${Number((v * 100).toPrecision(4))}%` : String(Number(v.toPrecision(4)));
}

/** Legend entries in rows below the chart, from `left`, wrapping at `right`. */
function legendMarkup(
  series: readonly Series[],
  left: number,
  right: number,
  top: number,
): { markup: Markup; rows: number } {
  const items: Markup[] = [];
  let [x, row] = [left, 0];
  for (const [i, s] of series.entries()) {
    const label = fitText(s.name, Math.min(legendLabelWidth, right - left - 22), fontSize);
    const w = 22 + textWidth(label.shown, fontSize);
    if (x > left && x + w > right) [x, row] = [left, row + 1];
    const y = top + row * legendRow + legendRow / 2;
    const line = { x1: x, y1: y, x2: x + 18, y2: y, 'stroke-width': 2 };
    items.push(
      svgElement(
        'g',
        { class: 'legend-item', 'data-name': s.name },
        ...(label.truncated ? [svgElement('title', {}, textContent(s.name))] : []),
        svgElement('line', {
          ...line,
          stroke: s.color ?? opColor(i),
          'stroke-dasharray': s.dashed ? '5 3' : undefined,
        }),
        svgElement('text', { x: x + 22, y, dy: '0.32em' }, textContent(label.shown)),
      ),
    );
    x += w + 14;
  }
  const markup = svgElement('g', { class: 'legend', fill: '#444' }, ...items);
  return { markup, rows: series.length > 0 ? row + 1 : 0 };
}
