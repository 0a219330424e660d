import type { IToken, TokenType } from 'chevrotain';

import type { AstNode } from '../ast/nodes.js';
import { children } from '../ast/visit.js';
import * as T from './tokens.js';

/**
 * Bounds on what one file may ask of the parser and of every recursive phase after it. The
 * parser and the tree walks recurse once per level of nesting, so without a bound a hostile
 * spec (`((((…))))` 200 deep, a sum of 5,000 terms) overflows the stack; and a spec of
 * several megabytes takes tens of seconds and gigabytes to parse. Both are far beyond any
 * real search space (the examples nest at most 5 levels and are under 4 kB).
 */
export const limits = {
  /** Characters in one source file (E0111). */
  sourceLength: 1_000_000,
  /** Levels of brackets, `if` and unary `-` nested in one another (E0109). */
  nesting: 64,
  /** Depth of the syntax tree below a declaration, each operator of a chain a level (E0110). */
  expressionDepth: 256,
} as const;

/** Tokens after which a `-` is binary: they end an operand. */
const operandEnds = new Set<TokenType>([
  T.Identifier,
  T.IntLiteral,
  T.FloatLiteral,
  T.StringLiteral,
  T.KwTrue,
  T.KwFalse,
  T.RParen,
  T.RBracket,
]);

/** Tokens after which an operand begins: a unary `-` before that operand is closed. */
const binaryOperators = new Set<TokenType>([
  T.Plus,
  T.Minus,
  T.Star,
  T.Slash,
  T.Percent,
  T.Compose,
  T.EqualEqual,
  T.NotEqual,
  T.Less,
  T.LessEqual,
  T.Greater,
  T.GreaterEqual,
  T.KwThen,
  T.KwElse,
]);

const opening = new Set<TokenType>([T.LParen, T.LBracket, T.LBrace]);
const closing = new Set<TokenType>([T.RParen, T.RBracket, T.RBrace]);
const declarationKeywords = new Set<TokenType>([
  T.KwImport,
  T.KwPrimitive,
  T.KwCell,
  T.KwSpace,
  T.KwGenotype,
  T.KwSearch,
  T.KwLet,
  T.At,
]);

/** Prefix constructs still open inside one bracket level. */
interface Level {
  ifs: number;
  minus: number;
}

/**
 * The first token at which brackets, `if` and unary `-` nest deeper than `limits.nesting`,
 * read from the tokens alone (before parsing, which is what recurses). An `if` stays open to
 * the end of its bracket level or list element, a unary `-` to the end of its operand. The
 * count may exceed the parser's real depth, and falls short of it by at most one (a `-` right
 * after a setting's name reads as binary here), which the limit's margin covers.
 */
export function tooDeeplyNested(tokens: readonly IToken[]): IToken | undefined {
  const levels: Level[] = [{ ifs: 0, minus: 0 }];
  let prefixes = 0;
  let previous: TokenType | undefined;
  for (const token of tokens) {
    const type = token.tokenType;
    const level = levels[levels.length - 1]!;
    if (opening.has(type)) {
      levels.push({ ifs: 0, minus: 0 });
    } else if (closing.has(type) && levels.length > 1) {
      levels.pop();
      prefixes -= level.ifs + level.minus;
    } else if (type === T.Comma || (declarationKeywords.has(type) && levels.length === 1)) {
      prefixes -= level.ifs + level.minus;
      level.ifs = level.minus = 0;
    } else if (type === T.KwIf) {
      level.ifs++;
      prefixes++;
    } else if (type === T.Minus && !(previous && operandEnds.has(previous))) {
      level.minus++;
      prefixes++;
    } else if (binaryOperators.has(type)) {
      prefixes -= level.minus;
      level.minus = 0;
    }
    if (levels.length - 1 + prefixes > limits.nesting) return token;
    previous = type;
  }
  return undefined;
}

/**
 * The first node (in pre-order) deeper than `limits.expressionDepth` in the tree, found
 * without recursion: chains such as `a + b + c` fold into one level per operator, which the
 * token count above does not see.
 */
export function tooDeepNode(root: AstNode): { node: AstNode; depth: number } | undefined {
  const stack: [AstNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limits.expressionDepth) return { node, depth };
    for (const child of children(node).reverse()) stack.push([child, depth + 1]);
  }
  return undefined;
}
