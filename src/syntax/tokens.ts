import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * Every token of the language. Order matters to the lexer: the first pattern that matches
 * wins, so comments come before `/`, floats before integers, `->` before `-`, keywords before
 * identifiers (with `longer_alt` so `cellular` is an identifier, not `cell` + `ular`), and
 * the two "unterminated" tokens after their well-formed forms so they match only as a last
 * resort; the lexer wrapper turns those two into diagnostics.
 */

const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\uFEFF]+/,
  group: Lexer.SKIPPED,
});
const LineComment = createToken({
  name: 'LineComment',
  pattern: /\/\/[^\n]*/,
  group: Lexer.SKIPPED,
});
const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** A `/*` without its `*‍/`: reported as E0103, then skipped. */
const UnterminatedComment = createToken({
  name: 'UnterminatedComment',
  pattern: /\/\*[\s\S]*/,
  group: 'errors',
  line_breaks: true,
});

/** A `#` comment (Python habit): reported as E0108, then skipped to the end of the line. */
export const HashComment = createToken({
  name: 'HashComment',
  pattern: /#[^\n]*/,
  group: 'errors',
});

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n]|\\.)*"/,
});
/** A string cut off by the end of its line: reported as E0102, then read as a string. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n]|\\.)*\\?/,
  categories: [StringLiteral],
});

export const FloatLiteral = createToken({
  name: 'FloatLiteral',
  pattern: /\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
});
export const IntLiteral = createToken({ name: 'IntLiteral', pattern: /\d+/ });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

const keyword = (name: string, word: string): TokenType =>
  createToken({ name, pattern: new RegExp(`${word}\\b`), longer_alt: Identifier });

export const KwImport = keyword('KwImport', 'import');
export const KwAs = keyword('KwAs', 'as');
export const KwPrimitive = keyword('KwPrimitive', 'primitive');
export const KwCell = keyword('KwCell', 'cell');
export const KwNode = keyword('KwNode', 'node');
export const KwFrom = keyword('KwFrom', 'from');
export const KwSpace = keyword('KwSpace', 'space');
export const KwGenotype = keyword('KwGenotype', 'genotype');
export const KwSearch = keyword('KwSearch', 'search');
export const KwLet = keyword('KwLet', 'let');
export const KwReducing = keyword('KwReducing', 'reducing');
export const KwTrue = keyword('KwTrue', 'true');
export const KwFalse = keyword('KwFalse', 'false');
export const KwIf = keyword('KwIf', 'if');
export const KwThen = keyword('KwThen', 'then');
export const KwElse = keyword('KwElse', 'else');

export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const Compose = createToken({ name: 'Compose', pattern: />>/ });
export const EqualEqual = createToken({ name: 'EqualEqual', pattern: /==/ });
export const NotEqual = createToken({ name: 'NotEqual', pattern: /!=/ });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/ });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const At = createToken({ name: 'At', pattern: /@/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });

/** The keywords, for the TextMate grammar test and for the printer. */
export const keywordTokens: readonly TokenType[] = [
  KwImport,
  KwAs,
  KwPrimitive,
  KwCell,
  KwNode,
  KwFrom,
  KwSpace,
  KwGenotype,
  KwSearch,
  KwLet,
  KwReducing,
  KwTrue,
  KwFalse,
  KwIf,
  KwThen,
  KwElse,
];

/** All tokens in lexing order. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  HashComment,
  StringLiteral,
  UnterminatedString,
  FloatLiteral,
  IntLiteral,
  ...keywordTokens,
  Identifier,
  Arrow,
  Compose,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Dot,
  Equals,
  At,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
];

/** How each token is named in messages ("expected `)`, found `]`"). */
export function describeToken(type: TokenType): string {
  const fixed: Record<string, string> = {
    Identifier: 'a name',
    IntLiteral: 'an integer',
    FloatLiteral: 'a number',
    StringLiteral: 'a string',
    UnterminatedString: 'a string',
  };
  const known = fixed[type.name];
  if (known) return known;
  const source = (type.PATTERN as RegExp).source.replace(/\\b$/, '').replace(/\\/g, '');
  return `\`${source}\``;
}
