import type { CellNode, PrimitiveNode } from '../ast/nodes.js';
import type { IntrinsicName } from '../intrinsics/registry.js';
import type { Span } from '../source/SourceFile.js';
import type { DeclSymbol } from '../check/scope.js';

/**
 * Values of the language, produced by evaluating expressions with parameters bound: numbers,
 * strings, lists, tuples, ops (what a pipeline denotes: a tensor-to-tensor function),
 * references to cells, spaces and genotypes, and calls of setting functions, which `>>`
 * chains into a data pipeline (`vega(...) >> window(7)`). `error` is the poison value: an
 * expression whose problem is already reported; everything that meets it stays quiet.
 */
export type Value =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly Value[] }
  | { readonly kind: 'tuple'; readonly items: readonly Value[] }
  | { readonly kind: 'op'; readonly op: OpValue }
  | {
      readonly kind: 'decl';
      readonly symbol: DeclSymbol;
      readonly args: BoundArgs;
      readonly span: Span;
    }
  | { readonly kind: 'word'; readonly name: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: BoundArgs; readonly span: Span }
  | { readonly kind: 'pipeline'; readonly stages: readonly CallValue[]; readonly span: Span }
  | { readonly kind: 'error' };

/** A call of a setting function (`vega(...)`, `window(7)`). */
export type CallValue = Value & { readonly kind: 'call' };

/** Arguments of a call, positional and named, evaluated. */
export interface BoundArgs {
  readonly positional: readonly Value[];
  readonly named: ReadonlyMap<string, Value>;
  /** Where each argument was written, for diagnostics. */
  readonly spans: ReadonlyMap<string | number, Span>;
}

export const noArgs: BoundArgs = { positional: [], named: new Map(), spans: new Map() };

/** What an op expression denotes, before it is applied to a tensor. */
export type OpValue =
  | {
      readonly kind: 'intrinsic';
      readonly name: IntrinsicName;
      readonly args: BoundArgs;
      readonly span: Span;
    }
  | {
      readonly kind: 'primitive';
      readonly symbol: DeclSymbol & { readonly decl: PrimitiveNode };
      readonly args: BoundArgs;
      readonly span: Span;
    }
  | { readonly kind: 'compose'; readonly stages: readonly OpValue[]; readonly span: Span };

/** Parameter bindings while evaluating inside a declaration. */
export type Env = ReadonlyMap<string, Value>;

/** A cell with its declaration narrowed. */
export type CellSymbol = DeclSymbol & { readonly decl: CellNode };

/** How a value is named in messages ("an integer", "an op"). */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'int':
      return `the integer ${v.value}`;
    case 'float':
      return `the number ${v.value}`;
    case 'bool':
      return `\`${v.value}\``;
    case 'string':
      return 'a string';
    case 'list':
      return 'a list';
    case 'tuple':
      return 'a tuple';
    case 'op':
      return 'an op';
    case 'decl':
      return `${article(v.symbol.decl.kind.toLowerCase())} \`${v.symbol.decl.name.value}\``;
    case 'word':
      return `\`${v.name}\``;
    case 'call':
      return `\`${v.name}(...)\``;
    case 'pipeline':
      return 'a data pipeline';
    case 'error':
      return 'an invalid value';
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
