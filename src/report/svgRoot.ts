import { fitText, fontSize } from './fitText.js';
import { formatCoordinate, svgElement, textContent, type Markup } from './svgElement.js';

/**
 * A chart's `<svg>` element, self-contained (no ids, styles or fonts to share with the page, so
 * several charts can sit in one document): sized by a `viewBox`, named by `title` for screen
 * readers (`role="img"`, `aria-label`, a `<title>`), with the title drawn at the top left.
 */
export function svgRoot(
  title: string,
  size: { readonly width: number; readonly height: number; readonly class: string },
  ...children: readonly Markup[]
): string {
  const { width, height } = size;
  const shown = fitText(title, width - 16, 13).shown;
  return svgElement(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: size.class,
      viewBox: `0 0 ${formatCoordinate(width)} ${formatCoordinate(height)}`,
      width,
      height,
      role: 'img',
      'aria-label': title,
      'font-family': 'system-ui, sans-serif',
      'font-size': fontSize,
    },
    svgElement('title', {}, textContent(title)),
    svgElement(
      'text',
      { class: 'chart-title', x: 8, y: 18, 'font-size': 13, 'font-weight': 'bold' },
      textContent(shown),
    ),
    ...children,
  );
}
