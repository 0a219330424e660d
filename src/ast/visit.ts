import type { AstKind, AstNode } from './nodes.js';

type NodeOf<K extends AstKind> = Extract<AstNode, { kind: K }>;
type ChildKeys<N> = {
  [P in keyof N]-?: NonNullable<N[P]> extends AstNode | readonly AstNode[] ? P : never;
}[keyof N];

/**
 * For every node kind, the keys that hold child nodes, in source order. Typed as a mapped
 * type over every kind, so a new node kind without an entry does not compile.
 */
const childKeys: { readonly [K in AstKind]: readonly ChildKeys<NodeOf<K>>[] } = {
  Name: [],
  Program: ['items'],
  Import: ['module', 'file', 'alias'],
  Annotation: ['name', 'args'],
  Primitive: ['annotations', 'name', 'params', 'signature', 'body'],
  Cell: ['annotations', 'name', 'params', 'signature', 'body'],
  CellAlias: ['base'],
  Space: ['annotations', 'name', 'params', 'signature', 'body'],
  Genotype: ['annotations', 'name', 'body'],
  Search: ['annotations', 'name', 'body'],
  Let: ['annotations', 'name', 'value'],
  Block: ['items'],
  Setting: ['key', 'value', 'from'],
  NodeDecl: ['name', 'inputs'],
  Param: ['name', 'type', 'default'],
  Signature: ['input', 'output'],
  TensorType: ['name', 'dims'],
  TupleType: ['elements'],
  TupleTypeElement: ['label', 'type'],
  IntLiteral: [],
  FloatLiteral: [],
  StringLiteral: [],
  BoolLiteral: [],
  Reference: ['parts'],
  Call: ['callee', 'args'],
  Argument: ['name', 'value'],
  Binary: ['left', 'right'],
  Unary: ['operand'],
  Conditional: ['condition', 'then', 'else'],
  Tuple: ['elements'],
  List: ['elements'],
};

/** The direct children of a node, in source order. */
export function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key of childKeys[node.kind] as readonly string[]) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) out.push(...(value as AstNode[]));
    else if (value) out.push(value as AstNode);
  }
  return out;
}

/** Calls `enter` for every node in depth-first pre-order; returning false skips its children. */
export function walk(node: AstNode, enter: (node: AstNode) => boolean | void): void {
  if (enter(node) === false) return;
  for (const child of children(node)) walk(child, enter);
}
