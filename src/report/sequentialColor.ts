/**
 * ColorBrewer's 9-class "Blues" (Cynthia Brewer, colorbrewer2.org): a single-hue scale whose
 * every channel falls from stop to stop, so luminance falls monotonically with the value and
 * the scale reads the same to colour-blind readers and in greyscale.
 */
const stops: readonly (readonly [number, number, number])[] = [
  [0xf7, 0xfb, 0xff],
  [0xde, 0xeb, 0xf7],
  [0xc6, 0xdb, 0xef],
  [0x9e, 0xca, 0xe1],
  [0x6b, 0xae, 0xd6],
  [0x42, 0x92, 0xc6],
  [0x21, 0x71, 0xb5],
  [0x08, 0x51, 0x9c],
  [0x08, 0x30, 0x6b],
];

/** The colour (`#rrggbb`) of `value` in [0, 1], light to dark; values outside are clamped. */
export function sequentialColor(value: number): string {
  const t = Math.min(1, Math.max(0, value)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(t));
  const [a, b] = [stops[i]!, stops[i + 1]!];
  const channel = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * (t - i));
  return `#${[channel(0), channel(1), channel(2)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of `#rrggbb`, from 0 (black) to 1 (white). */
function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const darkText = '#111111';
const lightText = '#ffffff';

/** Dark or white text, whichever contrasts more with the background `#rrggbb` (WCAG ratio). */
export function textColorOn(background: string): string {
  const l = relativeLuminance(background);
  const dark = (l + 0.05) / (relativeLuminance(darkText) + 0.05);
  const light = (relativeLuminance(lightText) + 0.05) / (l + 0.05);
  return dark >= light ? darkText : lightText;
}
