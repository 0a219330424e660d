import { svgElement, textContent, type Markup } from './svgElement.js';

/** The font size of chart text other than titles, in pixels. */
export const fontSize = 11;

/**
 * Average advance of a character as a fraction of the font size, for a sans-serif face. The
 * charts run in Node, without fonts to measure, so widths are estimates: generous enough that
 * labels of ordinary letters and digits fit.
 */
const charWidth = 0.6;

/** Estimated width in pixels of `text` at `fontSize`. */
export function textWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * charWidth;
}

/** Text cut to an estimated width: `shown` ends with `…` when `truncated`. */
interface FittedText {
  readonly shown: string;
  readonly truncated: boolean;
}

/**
 * `text` shortened with an ellipsis to fit `maxWidth` pixels at `fontSize` (by code points, so a
 * surrogate pair is never split). Callers keep the full text in a `<title>` when truncated.
 */
export function fitText(text: string, maxWidth: number, fontSize: number): FittedText {
  const chars = Array.from(text);
  const max = Math.max(1, Math.floor(maxWidth / (fontSize * charWidth)));
  if (chars.length <= max) return { shown: text, truncated: false };
  return { shown: chars.slice(0, max - 1).join('') + '…', truncated: true };
}

/**
 * A `<text>` element showing `text` cut to `maxWidth`; when cut, wrapped in a `<g>` whose
 * `<title>` holds the full text (a tooltip), since a `<title>` inside `<text>` would add to it.
 */
export function fittedLabel(
  text: string,
  maxWidth: number,
  attributes: Readonly<Record<string, string | number | undefined>>,
): Markup {
  const size = typeof attributes['font-size'] === 'number' ? attributes['font-size'] : fontSize;
  const fitted = fitText(text, maxWidth, size);
  const element = svgElement('text', attributes, textContent(fitted.shown));
  if (!fitted.truncated) return element;
  return svgElement('g', {}, svgElement('title', {}, textContent(text)), element);
}
