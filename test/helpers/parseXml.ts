/**
 * A strict little XML parser for the markup dartsc writes (SVG charts): elements, attributes
 * in quotes, text and the predefined or numeric entities. Anything else (comments, CDATA,
 * processing instructions, a DOCTYPE) is rejected, as are unbalanced tags, duplicate
 * attributes, a raw `<` or a stray `&`, and characters XML forbids. No dependency: the project
 * has no XML parser, and the charts need only this subset.
 */

/** An element with its attributes (entities decoded) and children (text decoded). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

const namePattern = /[A-Za-z_:][\w:.-]*/y;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/u;
const named: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** The root element of `text`; throws with the offset on anything not well-formed. */
export function parseXml(text: string): XmlElement {
  const bad = forbidden.exec(text);
  if (bad) throw new Error(`forbidden character U+${bad[0].charCodeAt(0).toString(16)}`);
  const state = { text, pos: 0 };
  skipSpace(state);
  const root = element(state);
  skipSpace(state);
  if (state.pos !== text.length) fail(state, 'content after the root element');
  return root;
}

interface State {
  readonly text: string;
  pos: number;
}

function fail(s: State, message: string): never {
  throw new Error(
    `${message} at offset ${s.pos}: ${JSON.stringify(s.text.slice(s.pos, s.pos + 40))}`,
  );
}

function skipSpace(s: State): void {
  while (/\s/.test(s.text[s.pos] ?? '')) s.pos++;
}

function name(s: State): string {
  namePattern.lastIndex = s.pos;
  const m = namePattern.exec(s.text);
  if (!m) fail(s, 'expected a name');
  s.pos += m[0].length;
  return m[0];
}

function expect(s: State, literal: string): void {
  if (!s.text.startsWith(literal, s.pos)) fail(s, `expected ${JSON.stringify(literal)}`);
  s.pos += literal.length;
}

function element(s: State): XmlElement {
  expect(s, '<');
  const tag = name(s);
  const attributes: Record<string, string> = {};
  for (;;) {
    const before = s.pos;
    skipSpace(s);
    if (s.text.startsWith('/>', s.pos)) {
      s.pos += 2;
      return { name: tag, attributes, children: [] };
    }
    if (s.text[s.pos] === '>') break;
    if (s.pos === before) fail(s, 'expected a space before an attribute');
    const key = name(s);
    if (key in attributes) fail(s, `duplicate attribute ${key}`);
    expect(s, '=');
    const quote = s.text[s.pos];
    if (quote !== '"' && quote !== "'") fail(s, 'expected a quoted attribute value');
    const end = s.text.indexOf(quote, s.pos + 1);
    if (end < 0) fail(s, 'unterminated attribute value');
    attributes[key] = decode(s, s.text.slice(s.pos + 1, end));
    s.pos = end + 1;
  }
  s.pos++;
  const children = content(s);
  expect(s, `</${tag}`);
  skipSpace(s);
  expect(s, '>');
  return { name: tag, attributes, children };
}

function content(s: State): (XmlElement | string)[] {
  const children: (XmlElement | string)[] = [];
  for (;;) {
    const next = s.text.indexOf('<', s.pos);
    if (next < 0) fail(s, 'unclosed element');
    if (next > s.pos) children.push(decode(s, s.text.slice(s.pos, next)));
    s.pos = next;
    if (s.text.startsWith('</', s.pos)) return children;
    children.push(element(s));
  }
}

function decode(s: State, raw: string): string {
  if (raw.includes('<')) fail(s, 'raw < in a value');
  return raw.replace(/&([^;]*);?/g, (whole, entity: string) => {
    if (!whole.endsWith(';')) fail(s, `stray & in ${JSON.stringify(raw)}`);
    if (entity in named) return named[entity]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(entity);
    if (!m) fail(s, `unknown entity &${entity};`);
    return String.fromCodePoint(m[1] ? parseInt(m[1], 16) : Number(m[2]));
  });
}

/** `root` and all elements below it, in document order, that satisfy `test`. */
export function findAll(
  root: XmlElement,
  test: (e: XmlElement) => boolean = () => true,
): XmlElement[] {
  const found = test(root) ? [root] : [];
  for (const child of root.children) {
    if (typeof child !== 'string') found.push(...findAll(child, test));
  }
  return found;
}

/** The text of `e` and its descendants, entities decoded. */
export function textOf(e: XmlElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Whether `e` has the class `cls` among its space-separated classes. */
export function hasClass(e: XmlElement, cls: string): boolean {
  return (e.attributes['class'] ?? '').split(/\s+/).includes(cls);
}
