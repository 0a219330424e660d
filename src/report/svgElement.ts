import { invariant } from '../util/invariant.js';

/**
 * SVG markup built only by `svgElement` and `textContent`. The brand keeps a raw string (an
 * op or cell name, which users choose) from being passed where markup is expected: every piece
 * of text goes through `escapeXml` on its way in.
 */
export type Markup = string & { readonly __markup: unique symbol };

/** An attribute value: strings are escaped, numbers are coordinates; absent ones are omitted. */
type AttributeValue = string | number | undefined;

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `text` with `& < > " '` replaced by entities, safe in element content and in attributes.
 * Characters XML forbids even as entities (control characters, lone surrogates, U+FFFE/FFFF)
 * become U+FFFD, so that any name gives a well-formed document.
 */
export function escapeXml(text: string): string {
  return (
    text
      .replace(/[&<>"']/g, (c) => entities[c]!)
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu, '\ufffd')
  );
}

/**
 * A number as written in the markup: rounded to one decimal (the output must not change with
 * floating-point noise), without `-0`. A non-finite number here is a bug in a chart's layout.
 */
export function formatCoordinate(x: number): string {
  invariant(Number.isFinite(x), `non-finite coordinate ${x} in a chart`);
  const rounded = Math.round(x * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** Escaped text content of an element. */
export function textContent(text: string): Markup {
  return escapeXml(text) as Markup;
}

/**
 * `<name a="1" …>children</name>`, or `<name … />` without children; attributes keep the order
 * given, so the output is deterministic. Several children go on lines of their own (golden files
 * then diff line by line); a single child stays inline, so the content of `<text>` gains no
 * whitespace.
 */
export function svgElement(
  name: string,
  attributes: Readonly<Record<string, AttributeValue>>,
  ...children: readonly Markup[]
): Markup {
  let attrs = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const text = typeof value === 'number' ? formatCoordinate(value) : escapeXml(value);
    attrs += ` ${key}="${text}"`;
  }
  if (children.length === 0) return `<${name}${attrs}/>` as Markup;
  if (children.length === 1) return `<${name}${attrs}>${children[0]}</${name}>` as Markup;
  return `<${name}${attrs}>\n${children.join('\n')}\n</${name}>` as Markup;
}
