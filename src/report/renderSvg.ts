import { instance } from '@viz-js/viz';

type Viz = Awaited<ReturnType<typeof instance>>;

let viz: Promise<Viz> | undefined;

/**
 * Lays out a DOT graph with Graphviz compiled to WebAssembly (`@viz-js/viz`: no system
 * binary, no network) and returns the SVG document. One instance serves every call; it
 * starts in tens of milliseconds.
 */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success')
    throw new Error(
      `Graphviz failed: ${result.errors.map((e) => e.message).join('; ') || result.status}`,
    );
  return result.output;
}

/** An SVG document as an element to inline in HTML: no XML prolog, doctype or comments. */
export function inlineSvg(svg: string): string {
  return svg
    .slice(svg.indexOf('<svg'))
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .trim();
}
