import { fittedLabel, fontSize, textWidth } from './fitText.js';
import { sequentialColor, textColorOn } from './sequentialColor.js';
import { formatCoordinate, svgElement, textContent, type Markup } from './svgElement.js';
import { svgRoot } from './svgRoot.js';

/** What `heatMap` draws: `values[row][column]`, in [0, 1] (e.g. softmax(α) of each edge). */
export interface HeatMapOptions {
  readonly title: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** A missing or non-finite value is drawn as `n/a`; the colour clamps to [0, 1]. */
  readonly values: readonly (readonly number[])[];
  /** [row, column] of cells to outline (the ops the genotype keeps); others are ignored. */
  readonly marked?: readonly (readonly [number, number])[];
}

const cellWidth = 44;
const cellHeight = 22;
/** Labels are cut to these widths; the full text is in a tooltip. */
const maxRowLabel = 180;
const maxColumnLabel = 140;
const markColor = '#d55e00';

/** Where the grid sits in the picture. */
interface Layout {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A heat map as a self-contained `<svg>` element, sized from its rows and columns: one `<rect
 * class="cell">` per row and column (class `cell marked` and outlined when marked) on a light to
 * dark scale, its value printed with 2 decimals in a contrasting colour, and a tooltip
 * `row · column: 0.213`. Column labels are rotated, row labels on the left.
 */
export function heatMap(o: HeatMapOptions): string {
  const layout = layoutOf(o);
  const marked = new Set((o.marked ?? []).map(([r, c]) => `${r},${c}`));
  const cells = o.rows.flatMap((row, r) =>
    o.columns.map((column, c) =>
      cellMarkup(row, column, o.values[r]?.[c], marked.has(`${r},${c}`), {
        x: layout.left + c * cellWidth,
        y: layout.top + r * cellHeight,
      }),
    ),
  );
  return svgRoot(
    o.title,
    { width: layout.width, height: layout.height, class: 'chart heat-map' },
    svgElement('g', { class: 'column-labels', fill: '#444' }, ...columnLabels(o.columns, layout)),
    svgElement('g', { class: 'row-labels', fill: '#444' }, ...rowLabels(o.rows, layout)),
    svgElement('g', { class: 'cells', 'font-size': 10, 'text-anchor': 'middle' }, ...cells),
  );
}

/** Margins from the longest labels: row labels to the left, rotated column labels above. */
function layoutOf(o: HeatMapOptions): Layout {
  const widest = (labels: readonly string[], max: number) =>
    Math.min(
      max,
      labels.reduce((w, l) => Math.max(w, textWidth(l, fontSize)), 0),
    );
  const rowLabels = widest(o.rows, maxRowLabel);
  const columnLabels = widest(o.columns, maxColumnLabel) * Math.SQRT1_2;
  // Whole pixels, so that cell edges are crisp.
  const left = Math.ceil(8 + rowLabels + 8);
  const top = Math.ceil(30 + columnLabels + 10);
  // The last column's label leans right, past the grid.
  const overhang = Math.max(0, columnLabels - cellWidth / 2);
  const gridRight = left + o.columns.length * cellWidth + overhang + 8;
  const titleWidth = Math.min(560, textWidth(o.title, 13) + 16);
  return {
    left,
    top,
    width: Math.ceil(Math.max(gridRight, titleWidth, 120)),
    height: Math.ceil(top + o.rows.length * cellHeight + 8),
  };
}

/** Column labels rotated 45°, rising from the top of their column. */
function columnLabels(columns: readonly string[], layout: Layout): Markup[] {
  return columns.map((column, c) => {
    const [x, y] = [layout.left + c * cellWidth + cellWidth / 2, layout.top - 6];
    const transform = `rotate(-45 ${formatCoordinate(x)} ${formatCoordinate(y)})`;
    return fittedLabel(column, maxColumnLabel, { x, y, transform });
  });
}

/** Row labels right-aligned against the grid. */
function rowLabels(rows: readonly string[], layout: Layout): Markup[] {
  return rows.map((row, r) =>
    fittedLabel(row, maxRowLabel, {
      x: layout.left - 6,
      y: layout.top + r * cellHeight + cellHeight / 2,
      dy: '0.32em',
      'text-anchor': 'end',
    }),
  );
}

/** One cell: its rectangle (1 px apart from its neighbours), printed value and tooltip. */
function cellMarkup(
  row: string,
  column: string,
  value: number | undefined,
  marked: boolean,
  at: { x: number; y: number },
): Markup {
  const known = value !== undefined && Number.isFinite(value);
  const fill = known ? sequentialColor(value) : '#eeeeee';
  const rect = svgElement('rect', {
    class: marked ? 'cell marked' : 'cell',
    x: at.x,
    y: at.y,
    width: cellWidth - 1,
    height: cellHeight - 1,
    fill,
    // Drawn 1 px into the gap on each side, so a neighbour never paints over it.
    stroke: marked ? markColor : undefined,
    'stroke-width': marked ? 2 : undefined,
  });
  const text = svgElement(
    'text',
    { x: at.x + cellWidth / 2, y: at.y + cellHeight / 2, dy: '0.32em', fill: textColorOn(fill) },
    textContent(known ? fixed(value, 2) : 'n/a'),
  );
  const tip = `${row} · ${column}: ${known ? fixed(value, 3) : 'n/a'}`;
  return svgElement('g', {}, svgElement('title', {}, textContent(tip)), rect, text);
}

/** `value.toFixed(digits)`, without the sign of a negative that rounds to zero. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}
