import type { Span } from '../source/SourceFile.js';

/**
 * The syntax tree of a `.darts` file: readonly nodes in discriminated unions, each with the
 * source span it came from. Only shape, no meaning: names are unresolved, numbers unchecked.
 */

/** An identifier with its own span, so diagnostics can point at exactly the name. */
export interface NameNode {
  readonly kind: 'Name';
  readonly span: Span;
  readonly value: string;
}

export interface ProgramNode {
  readonly kind: 'Program';
  readonly span: Span;
  readonly items: readonly TopLevelNode[];
}

export type TopLevelNode = ImportNode | DeclarationNode;
export type DeclarationNode =
  PrimitiveNode | CellNode | SpaceNode | GenotypeNode | SearchNode | LetNode;

/** `import std.ops2d`, `import "./ops.darts" as mine`. */
export interface ImportNode {
  readonly kind: 'Import';
  readonly span: Span;
  /** The dotted module path (`std.ops2d`) or, for a file import, undefined. */
  readonly module?: readonly NameNode[];
  /** The file path of a string import. */
  readonly file?: StringLiteralNode;
  readonly alias?: NameNode;
}

/** `@excluded`, `@search_only(bn_after)`. */
export interface AnnotationNode {
  readonly kind: 'Annotation';
  readonly span: Span;
  readonly name: NameNode;
  readonly args?: readonly ArgumentNode[];
}

/** `primitive sep_conv(C: int, k: int) : Img[h, w, C] -> Img[h, w, C] = relu >> ...` */
export interface PrimitiveNode {
  readonly kind: 'Primitive';
  readonly span: Span;
  readonly annotations: readonly AnnotationNode[];
  readonly name: NameNode;
  readonly params?: readonly ParamNode[];
  readonly signature?: SignatureNode;
  readonly body: ExpressionNode;
}

/** `cell Normal(C: int) { ... }` or `cell Reduce(C: int) = Normal(C) reducing`. */
export interface CellNode {
  readonly kind: 'Cell';
  readonly span: Span;
  readonly annotations: readonly AnnotationNode[];
  readonly name: NameNode;
  readonly params?: readonly ParamNode[];
  readonly signature?: SignatureNode;
  readonly body: BlockNode | CellAliasNode;
}

/** The `= Base(args) reducing` form of a cell. */
export interface CellAliasNode {
  readonly kind: 'CellAlias';
  readonly span: Span;
  readonly base: ExpressionNode;
  readonly reducing: boolean;
}

/** `space Mnist(C: int = 8) : Img[28, 28, 1] -> Logits[10] { stem ... cells ... head ... }` */
export interface SpaceNode {
  readonly kind: 'Space';
  readonly span: Span;
  readonly annotations: readonly AnnotationNode[];
  readonly name: NameNode;
  readonly params?: readonly ParamNode[];
  readonly signature?: SignatureNode;
  readonly body: BlockNode;
}

/** `genotype DARTS_V2 { normal [...] normal_concat [...] ... }` */
export interface GenotypeNode {
  readonly kind: 'Genotype';
  readonly span: Span;
  readonly annotations: readonly AnnotationNode[];
  readonly name: NameNode;
  readonly body: BlockNode;
}

/** `search [Name] { space ... data ... epochs ... }` */
export interface SearchNode {
  readonly kind: 'Search';
  readonly span: Span;
  readonly annotations: readonly AnnotationNode[];
  readonly name?: NameNode;
  readonly body: BlockNode;
}

/** `let darts_ops = [none, max_pool_3x3, ...]` */
export interface LetNode {
  readonly kind: 'Let';
  readonly span: Span;
  readonly annotations: readonly AnnotationNode[];
  readonly name: NameNode;
  readonly value: ExpressionNode;
}

/** `{ key value ... node n from a, b ... }` */
export interface BlockNode {
  readonly kind: 'Block';
  readonly span: Span;
  readonly items: readonly BlockItemNode[];
}

export type BlockItemNode = SettingNode | NodeDeclNode;

/**
 * `epochs 10`, `ops [none, skip_connect]`: a key and its value. In a space, a part may say
 * which states it reads: `stem1 relu >> conv2d(C, 3) from stem0`, `aux head(10) from 9`.
 */
export interface SettingNode {
  readonly kind: 'Setting';
  readonly span: Span;
  readonly key: NameNode;
  readonly value: ExpressionNode;
  readonly from?: readonly ExpressionNode[];
}

/** `node n2 from s0, n1`: an intermediate state summing mixed edges from the named states. */
export interface NodeDeclNode {
  readonly kind: 'NodeDecl';
  readonly span: Span;
  readonly name: NameNode;
  readonly inputs: readonly NameNode[];
}

/** `C: int = 16` */
export interface ParamNode {
  readonly kind: 'Param';
  readonly span: Span;
  readonly name: NameNode;
  readonly type: NameNode;
  readonly default?: ExpressionNode;
}

/** `Img[h, w, C] -> Img[h, w, C]` */
export interface SignatureNode {
  readonly kind: 'Signature';
  readonly span: Span;
  readonly input: TypeNode;
  readonly output: TypeNode;
}

export type TypeNode = TensorTypeNode | TupleTypeNode;

/** `Img[h, w, 4*C]` */
export interface TensorTypeNode {
  readonly kind: 'TensorType';
  readonly span: Span;
  readonly name: NameNode;
  readonly dims: readonly ExpressionNode[];
}

/** `(s0: Img[h, w, C0], s1: Img[h, w, C1])` */
export interface TupleTypeNode {
  readonly kind: 'TupleType';
  readonly span: Span;
  readonly elements: readonly TupleTypeElementNode[];
}

export interface TupleTypeElementNode {
  readonly kind: 'TupleTypeElement';
  readonly span: Span;
  readonly label?: NameNode;
  readonly type: TensorTypeNode;
}

export type ExpressionNode =
  | IntLiteralNode
  | FloatLiteralNode
  | StringLiteralNode
  | BoolLiteralNode
  | ReferenceNode
  | CallNode
  | BinaryNode
  | UnaryNode
  | ConditionalNode
  | TupleNode
  | ListNode;

export interface IntLiteralNode {
  readonly kind: 'IntLiteral';
  readonly span: Span;
  readonly value: number;
}

/** A float keeps its source text so printing reproduces `3e-4` rather than `0.0003`. */
export interface FloatLiteralNode {
  readonly kind: 'FloatLiteral';
  readonly span: Span;
  readonly value: number;
  readonly text: string;
}

export interface StringLiteralNode {
  readonly kind: 'StringLiteral';
  readonly span: Span;
  readonly value: string;
}

export interface BoolLiteralNode {
  readonly kind: 'BoolLiteral';
  readonly span: Span;
  readonly value: boolean;
}

/** A possibly qualified name: `sep_conv_3x3`, `ops2d.none`. */
export interface ReferenceNode {
  readonly kind: 'Reference';
  readonly span: Span;
  readonly parts: readonly NameNode[];
}

/** `conv2d(C, 3, stride: 2)` */
export interface CallNode {
  readonly kind: 'Call';
  readonly span: Span;
  readonly callee: ReferenceNode;
  readonly args: readonly ArgumentNode[];
}

/** A positional or named (`stride: 2`) argument. */
export interface ArgumentNode {
  readonly kind: 'Argument';
  readonly span: Span;
  readonly name?: NameNode;
  readonly value: ExpressionNode;
}

/** Binary operators, lowest precedence first: comparisons (only in `if`), `>>` composes ops, then arithmetic. */
export type BinaryOperator =
  '==' | '!=' | '<' | '<=' | '>' | '>=' | '>>' | '+' | '-' | '*' | '/' | '%';

/** `if stride == 1 then identity else factorized_reduce(C)` */
export interface ConditionalNode {
  readonly kind: 'Conditional';
  readonly span: Span;
  readonly condition: BinaryNode;
  readonly then: ExpressionNode;
  readonly else: ExpressionNode;
}

export interface BinaryNode {
  readonly kind: 'Binary';
  readonly span: Span;
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

export interface UnaryNode {
  readonly kind: 'Unary';
  readonly span: Span;
  readonly operator: '-';
  readonly operand: ExpressionNode;
}

/** `(a, b)`; a parenthesised single expression without a comma is just that expression. */
export interface TupleNode {
  readonly kind: 'Tuple';
  readonly span: Span;
  readonly elements: readonly ExpressionNode[];
}

export interface ListNode {
  readonly kind: 'List';
  readonly span: Span;
  readonly elements: readonly ExpressionNode[];
}

/** Every node of the tree. */
export type AstNode =
  | NameNode
  | ProgramNode
  | ImportNode
  | AnnotationNode
  | PrimitiveNode
  | CellNode
  | CellAliasNode
  | SpaceNode
  | GenotypeNode
  | SearchNode
  | LetNode
  | BlockNode
  | SettingNode
  | NodeDeclNode
  | ParamNode
  | SignatureNode
  | TensorTypeNode
  | TupleTypeNode
  | TupleTypeElementNode
  | ArgumentNode
  | ExpressionNode;

/** Every `kind` string. */
export type AstKind = AstNode['kind'];
