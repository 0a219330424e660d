/**
 * A categorical palette: Okabe–Ito's eight colour-blind-safe colours (Okabe & Ito, "Color
 * Universal Design", 2008), lines first and the pale yellow late, then Tableau 10 for the ninth
 * op onwards. Fixed, so that an op keeps its colour in every chart of every report.
 */
const palette = [
  '#0072b2', // blue
  '#e69f00', // orange
  '#009e73', // bluish green
  '#d55e00', // vermillion
  '#cc79a7', // reddish purple
  '#56b4e9', // sky blue
  '#000000', // black
  '#f0e442', // yellow
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/**
 * The colour of the op at `index` in its candidate list (`#rrggbb`); indices past the palette
 * wrap around, and a negative or fractional index is taken modulo the palette's length as well.
 */
export function opColor(index: number): string {
  const i = Number.isFinite(index) ? Math.trunc(index) : 0;
  return palette[((i % palette.length) + palette.length) % palette.length]!;
}
