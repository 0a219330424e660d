// Generated from src/syntax/parser.ts by `npm run gen:grammar`; do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface ProgramCstNode extends CstNode {
  name: "program";
  children: ProgramCstChildren;
}

export type ProgramCstChildren = {
  topLevel?: TopLevelCstNode[];
};

export interface TopLevelCstNode extends CstNode {
  name: "topLevel";
  children: TopLevelCstChildren;
}

export type TopLevelCstChildren = {
  importDecl?: ImportDeclCstNode[];
  declaration?: DeclarationCstNode[];
};

export interface ImportDeclCstNode extends CstNode {
  name: "importDecl";
  children: ImportDeclCstChildren;
}

export type ImportDeclCstChildren = {
  KwImport: IToken[];
  modulePath?: ModulePathCstNode[];
  StringLiteral?: IToken[];
  KwAs?: IToken[];
  Identifier?: IToken[];
};

export interface ModulePathCstNode extends CstNode {
  name: "modulePath";
  children: ModulePathCstChildren;
}

export type ModulePathCstChildren = {
  Identifier: (IToken)[];
  Dot?: IToken[];
};

export interface DeclarationCstNode extends CstNode {
  name: "declaration";
  children: DeclarationCstChildren;
}

export type DeclarationCstChildren = {
  annotation?: AnnotationCstNode[];
  primitiveDecl?: PrimitiveDeclCstNode[];
  cellDecl?: CellDeclCstNode[];
  spaceDecl?: SpaceDeclCstNode[];
  genotypeDecl?: GenotypeDeclCstNode[];
  searchDecl?: SearchDeclCstNode[];
  letDecl?: LetDeclCstNode[];
};

export interface AnnotationCstNode extends CstNode {
  name: "annotation";
  children: AnnotationCstChildren;
}

export type AnnotationCstChildren = {
  At: IToken[];
  Identifier: IToken[];
  arguments?: ArgumentsCstNode[];
};

export interface PrimitiveDeclCstNode extends CstNode {
  name: "primitiveDecl";
  children: PrimitiveDeclCstChildren;
}

export type PrimitiveDeclCstChildren = {
  KwPrimitive: IToken[];
  Identifier: IToken[];
  paramList?: ParamListCstNode[];
  Colon?: IToken[];
  signature?: SignatureCstNode[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface CellDeclCstNode extends CstNode {
  name: "cellDecl";
  children: CellDeclCstChildren;
}

export type CellDeclCstChildren = {
  KwCell: IToken[];
  Identifier: IToken[];
  paramList?: ParamListCstNode[];
  Colon?: IToken[];
  signature?: SignatureCstNode[];
  block?: BlockCstNode[];
  cellAlias?: CellAliasCstNode[];
};

export interface CellAliasCstNode extends CstNode {
  name: "cellAlias";
  children: CellAliasCstChildren;
}

export type CellAliasCstChildren = {
  Equals: IToken[];
  expression: ExpressionCstNode[];
  KwReducing?: IToken[];
};

export interface SpaceDeclCstNode extends CstNode {
  name: "spaceDecl";
  children: SpaceDeclCstChildren;
}

export type SpaceDeclCstChildren = {
  KwSpace: IToken[];
  Identifier: IToken[];
  paramList?: ParamListCstNode[];
  Colon?: IToken[];
  signature?: SignatureCstNode[];
  block: BlockCstNode[];
};

export interface GenotypeDeclCstNode extends CstNode {
  name: "genotypeDecl";
  children: GenotypeDeclCstChildren;
}

export type GenotypeDeclCstChildren = {
  KwGenotype: IToken[];
  Identifier: IToken[];
  block: BlockCstNode[];
};

export interface SearchDeclCstNode extends CstNode {
  name: "searchDecl";
  children: SearchDeclCstChildren;
}

export type SearchDeclCstChildren = {
  KwSearch: IToken[];
  Identifier?: IToken[];
  searchBlock: SearchBlockCstNode[];
};

export interface SearchBlockCstNode extends CstNode {
  name: "searchBlock";
  children: SearchBlockCstChildren;
}

export type SearchBlockCstChildren = {
  LBrace: IToken[];
  searchItem?: SearchItemCstNode[];
  RBrace: IToken[];
};

export interface SearchItemCstNode extends CstNode {
  name: "searchItem";
  children: SearchItemCstChildren;
}

export type SearchItemCstChildren = {
  KwSpace?: IToken[];
  expression?: ExpressionCstNode[];
  fromClause?: FromClauseCstNode[];
  nodeDecl?: NodeDeclCstNode[];
  setting?: SettingCstNode[];
};

export interface LetDeclCstNode extends CstNode {
  name: "letDecl";
  children: LetDeclCstChildren;
}

export type LetDeclCstChildren = {
  KwLet: IToken[];
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface ParamListCstNode extends CstNode {
  name: "paramList";
  children: ParamListCstChildren;
}

export type ParamListCstChildren = {
  LParen: IToken[];
  param?: (ParamCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ParamCstNode extends CstNode {
  name: "param";
  children: ParamCstChildren;
}

export type ParamCstChildren = {
  Identifier: (IToken)[];
  Colon: IToken[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface SignatureCstNode extends CstNode {
  name: "signature";
  children: SignatureCstChildren;
}

export type SignatureCstChildren = {
  typeExpr: (TypeExprCstNode)[];
  Arrow: IToken[];
};

export interface TypeExprCstNode extends CstNode {
  name: "typeExpr";
  children: TypeExprCstChildren;
}

export type TypeExprCstChildren = {
  tensorType?: TensorTypeCstNode[];
  tupleType?: TupleTypeCstNode[];
};

export interface TensorTypeCstNode extends CstNode {
  name: "tensorType";
  children: TensorTypeCstChildren;
}

export type TensorTypeCstChildren = {
  Identifier: IToken[];
  LBracket: IToken[];
  additive: (AdditiveCstNode)[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface TupleTypeCstNode extends CstNode {
  name: "tupleType";
  children: TupleTypeCstChildren;
}

export type TupleTypeCstChildren = {
  LParen: IToken[];
  tupleTypeElement: (TupleTypeElementCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface TupleTypeElementCstNode extends CstNode {
  name: "tupleTypeElement";
  children: TupleTypeElementCstChildren;
}

export type TupleTypeElementCstChildren = {
  Identifier?: IToken[];
  Colon?: IToken[];
  tensorType: TensorTypeCstNode[];
};

export interface BlockCstNode extends CstNode {
  name: "block";
  children: BlockCstChildren;
}

export type BlockCstChildren = {
  LBrace: IToken[];
  blockItem?: BlockItemCstNode[];
  RBrace: IToken[];
};

export interface BlockItemCstNode extends CstNode {
  name: "blockItem";
  children: BlockItemCstChildren;
}

export type BlockItemCstChildren = {
  nodeDecl?: NodeDeclCstNode[];
  setting?: SettingCstNode[];
};

export interface NodeDeclCstNode extends CstNode {
  name: "nodeDecl";
  children: NodeDeclCstChildren;
}

export type NodeDeclCstChildren = {
  KwNode: IToken[];
  Identifier: (IToken)[];
  KwFrom: IToken[];
  Comma?: IToken[];
};

export interface SettingCstNode extends CstNode {
  name: "setting";
  children: SettingCstChildren;
}

export type SettingCstChildren = {
  Identifier: IToken[];
  expression: ExpressionCstNode[];
  fromClause?: FromClauseCstNode[];
};

export interface FromClauseCstNode extends CstNode {
  name: "fromClause";
  children: FromClauseCstChildren;
}

export type FromClauseCstChildren = {
  KwFrom: IToken[];
  expression: (ExpressionCstNode)[];
  Comma?: IToken[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  conditional?: ConditionalCstNode[];
  composition?: CompositionCstNode[];
};

export interface ConditionalCstNode extends CstNode {
  name: "conditional";
  children: ConditionalCstChildren;
}

export type ConditionalCstChildren = {
  KwIf: IToken[];
  comparison: ComparisonCstNode[];
  KwThen: IToken[];
  expression: (ExpressionCstNode)[];
  KwElse: IToken[];
};

export interface ComparisonCstNode extends CstNode {
  name: "comparison";
  children: ComparisonCstChildren;
}

export type ComparisonCstChildren = {
  additive: (AdditiveCstNode)[];
  EqualEqual?: IToken[];
  NotEqual?: IToken[];
  Less?: IToken[];
  LessEqual?: IToken[];
  Greater?: IToken[];
  GreaterEqual?: IToken[];
};

export interface CompositionCstNode extends CstNode {
  name: "composition";
  children: CompositionCstChildren;
}

export type CompositionCstChildren = {
  additive: (AdditiveCstNode)[];
  Compose?: IToken[];
};

export interface AdditiveCstNode extends CstNode {
  name: "additive";
  children: AdditiveCstChildren;
}

export type AdditiveCstChildren = {
  multiplicative: (MultiplicativeCstNode)[];
  Plus?: IToken[];
  Minus?: IToken[];
};

export interface MultiplicativeCstNode extends CstNode {
  name: "multiplicative";
  children: MultiplicativeCstChildren;
}

export type MultiplicativeCstChildren = {
  unary: (UnaryCstNode)[];
  Star?: IToken[];
  Slash?: IToken[];
  Percent?: IToken[];
};

export interface UnaryCstNode extends CstNode {
  name: "unary";
  children: UnaryCstChildren;
}

export type UnaryCstChildren = {
  Minus?: IToken[];
  unary?: UnaryCstNode[];
  primary?: PrimaryCstNode[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  IntLiteral?: IToken[];
  FloatLiteral?: IToken[];
  StringLiteral?: IToken[];
  KwTrue?: IToken[];
  KwFalse?: IToken[];
  reference?: ReferenceCstNode[];
  parenthesized?: ParenthesizedCstNode[];
  listLiteral?: ListLiteralCstNode[];
};

export interface ReferenceCstNode extends CstNode {
  name: "reference";
  children: ReferenceCstChildren;
}

export type ReferenceCstChildren = {
  Identifier: (IToken)[];
  Dot?: IToken[];
  arguments?: ArgumentsCstNode[];
};

export interface ParenthesizedCstNode extends CstNode {
  name: "parenthesized";
  children: ParenthesizedCstChildren;
}

export type ParenthesizedCstChildren = {
  LParen: IToken[];
  expression: (ExpressionCstNode)[];
  Comma?: (IToken)[];
  RParen: IToken[];
};

export interface ListLiteralCstNode extends CstNode {
  name: "listLiteral";
  children: ListLiteralCstChildren;
}

export type ListLiteralCstChildren = {
  LBracket: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: (IToken)[];
  RBracket: IToken[];
};

export interface ArgumentsCstNode extends CstNode {
  name: "arguments";
  children: ArgumentsCstChildren;
}

export type ArgumentsCstChildren = {
  LParen: IToken[];
  argument?: (ArgumentCstNode)[];
  Comma?: (IToken)[];
  RParen: IToken[];
};

export interface ArgumentCstNode extends CstNode {
  name: "argument";
  children: ArgumentCstChildren;
}

export type ArgumentCstChildren = {
  Identifier?: IToken[];
  Colon?: IToken[];
  expression: ExpressionCstNode[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  program(children: ProgramCstChildren, param?: IN): OUT;
  topLevel(children: TopLevelCstChildren, param?: IN): OUT;
  importDecl(children: ImportDeclCstChildren, param?: IN): OUT;
  modulePath(children: ModulePathCstChildren, param?: IN): OUT;
  declaration(children: DeclarationCstChildren, param?: IN): OUT;
  annotation(children: AnnotationCstChildren, param?: IN): OUT;
  primitiveDecl(children: PrimitiveDeclCstChildren, param?: IN): OUT;
  cellDecl(children: CellDeclCstChildren, param?: IN): OUT;
  cellAlias(children: CellAliasCstChildren, param?: IN): OUT;
  spaceDecl(children: SpaceDeclCstChildren, param?: IN): OUT;
  genotypeDecl(children: GenotypeDeclCstChildren, param?: IN): OUT;
  searchDecl(children: SearchDeclCstChildren, param?: IN): OUT;
  searchBlock(children: SearchBlockCstChildren, param?: IN): OUT;
  searchItem(children: SearchItemCstChildren, param?: IN): OUT;
  letDecl(children: LetDeclCstChildren, param?: IN): OUT;
  paramList(children: ParamListCstChildren, param?: IN): OUT;
  param(children: ParamCstChildren, param?: IN): OUT;
  signature(children: SignatureCstChildren, param?: IN): OUT;
  typeExpr(children: TypeExprCstChildren, param?: IN): OUT;
  tensorType(children: TensorTypeCstChildren, param?: IN): OUT;
  tupleType(children: TupleTypeCstChildren, param?: IN): OUT;
  tupleTypeElement(children: TupleTypeElementCstChildren, param?: IN): OUT;
  block(children: BlockCstChildren, param?: IN): OUT;
  blockItem(children: BlockItemCstChildren, param?: IN): OUT;
  nodeDecl(children: NodeDeclCstChildren, param?: IN): OUT;
  setting(children: SettingCstChildren, param?: IN): OUT;
  fromClause(children: FromClauseCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  conditional(children: ConditionalCstChildren, param?: IN): OUT;
  comparison(children: ComparisonCstChildren, param?: IN): OUT;
  composition(children: CompositionCstChildren, param?: IN): OUT;
  additive(children: AdditiveCstChildren, param?: IN): OUT;
  multiplicative(children: MultiplicativeCstChildren, param?: IN): OUT;
  unary(children: UnaryCstChildren, param?: IN): OUT;
  primary(children: PrimaryCstChildren, param?: IN): OUT;
  reference(children: ReferenceCstChildren, param?: IN): OUT;
  parenthesized(children: ParenthesizedCstChildren, param?: IN): OUT;
  listLiteral(children: ListLiteralCstChildren, param?: IN): OUT;
  arguments(children: ArgumentsCstChildren, param?: IN): OUT;
  argument(children: ArgumentCstChildren, param?: IN): OUT;
}
