import type { CstNode, IToken } from 'chevrotain';

import type * as C from '../../grammar/cst.js';
import type * as A from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import { isInsertedToken } from './parser.js';

/**
 * Turns the concrete syntax tree into the AST: changes shape and attaches spans, nothing
 * else. Parts that error recovery left out are dropped (their syntax error is already
 * reported), so the result is a smaller but well-formed tree. The only diagnostics made here
 * are literal checks the lexer cannot do: integer range (E0106) and string escapes (E0107).
 */
export function cstToAst(
  file: SourceFile,
  cst: C.ProgramCstNode,
): {
  program: A.ProgramNode;
  diagnostics: Diagnostic[];
} {
  const builder = new AstBuilder(file);
  const items = (cst.children.topLevel ?? []).flatMap((t) => builder.topLevel(t) ?? []);
  const program: A.ProgramNode = { kind: 'Program', span: file.span(0, file.text.length), items };
  return { program, diagnostics: builder.diagnostics };
}

type Real = IToken & { startOffset: number; endOffset: number };

const real = (token: IToken | undefined): Real | undefined =>
  token && !isInsertedToken(token) ? (token as Real) : undefined;

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly file: SourceFile) {}

  // ---- spans ---------------------------------------------------------------------------

  private tokenSpan(token: Real): Span {
    return this.file.span(token.startOffset, token.endOffset + 1);
  }

  /** The span of a CST node from its first to its last real token. */
  private spanOf(node: CstNode): Span | undefined {
    const tokens = realTokens(node);
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    return first && last ? this.file.span(first.startOffset, last.endOffset + 1) : undefined;
  }

  private join(from: Span, to: Span): Span {
    return this.file.span(from.start, to.end);
  }

  private name(token: IToken | undefined): A.NameNode | undefined {
    const t = real(token);
    return t && { kind: 'Name', span: this.tokenSpan(t), value: t.image };
  }

  // ---- top level -----------------------------------------------------------------------

  topLevel(node: C.TopLevelCstNode): A.TopLevelNode | undefined {
    const { importDecl, declaration } = node.children;
    if (importDecl?.[0]) return this.importDecl(importDecl[0]);
    if (declaration?.[0]) return this.declaration(declaration[0]);
    return undefined;
  }

  private importDecl(node: C.ImportDeclCstNode): A.ImportNode | undefined {
    const span = this.spanOf(node);
    const { modulePath, StringLiteral, Identifier } = node.children;
    const module = modulePath?.[0] && this.names(modulePath[0].children.Identifier);
    const file = StringLiteral?.[0] && this.string(StringLiteral[0]);
    const alias = this.name(Identifier?.[0]);
    if (!span || (!module?.length && !file)) return undefined;
    return {
      kind: 'Import',
      span,
      ...(module?.length ? { module } : {}),
      ...(file ? { file } : {}),
      ...(alias ? { alias } : {}),
    };
  }

  private names(tokens: IToken[] | undefined): A.NameNode[] {
    return (tokens ?? []).flatMap((t) => this.name(t) ?? []);
  }

  private declaration(node: C.DeclarationCstNode): A.DeclarationNode | undefined {
    const c = node.children;
    const annotations = (c.annotation ?? []).flatMap((a) => this.annotation(a) ?? []);
    const span = this.spanOf(node);
    if (!span) return undefined;
    if (c.primitiveDecl?.[0]) return this.primitive(c.primitiveDecl[0], span, annotations);
    if (c.cellDecl?.[0]) return this.cell(c.cellDecl[0], span, annotations);
    if (c.spaceDecl?.[0]) return this.space(c.spaceDecl[0], span, annotations);
    if (c.genotypeDecl?.[0]) return this.genotype(c.genotypeDecl[0], span, annotations);
    if (c.searchDecl?.[0]) return this.search(c.searchDecl[0], span, annotations);
    if (c.letDecl?.[0]) return this.let(c.letDecl[0], span, annotations);
    return undefined;
  }

  private annotation(node: C.AnnotationCstNode): A.AnnotationNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const span = this.spanOf(node);
    const args = node.children.arguments?.[0] && this.arguments(node.children.arguments[0]);
    return name && span ? { kind: 'Annotation', span, name, ...(args ? { args } : {}) } : undefined;
  }

  private header(children: {
    paramList?: C.ParamListCstNode[];
    signature?: C.SignatureCstNode[];
  }): { params?: A.ParamNode[]; signature?: A.SignatureNode } {
    const params = children.paramList?.[0] && this.params(children.paramList[0]);
    const signature = children.signature?.[0] && this.signature(children.signature[0]);
    return { ...(params ? { params } : {}), ...(signature ? { signature } : {}) };
  }

  private primitive(
    node: C.PrimitiveDeclCstNode,
    span: Span,
    annotations: A.AnnotationNode[],
  ): A.PrimitiveNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const body = this.expression(node.children.expression?.[0]);
    if (!name || !body) return undefined;
    return { kind: 'Primitive', span, annotations, name, ...this.header(node.children), body };
  }

  private cell(
    node: C.CellDeclCstNode,
    span: Span,
    annotations: A.AnnotationNode[],
  ): A.CellNode | undefined {
    const c = node.children;
    const name = this.name(c.Identifier?.[0]);
    const body = c.block?.[0] ? this.block(c.block[0]) : this.cellAlias(c.cellAlias?.[0]);
    if (!name || !body) return undefined;
    return { kind: 'Cell', span, annotations, name, ...this.header(c), body };
  }

  private cellAlias(node: C.CellAliasCstNode | undefined): A.CellAliasNode | undefined {
    const base = this.expression(node?.children.expression?.[0]);
    const span = node && this.spanOf(node);
    if (!node || !base || !span) return undefined;
    return { kind: 'CellAlias', span, base, reducing: !!real(node.children.KwReducing?.[0]) };
  }

  private space(
    node: C.SpaceDeclCstNode,
    span: Span,
    annotations: A.AnnotationNode[],
  ): A.SpaceNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const body = node.children.block?.[0] && this.block(node.children.block[0]);
    if (!name || !body) return undefined;
    return { kind: 'Space', span, annotations, name, ...this.header(node.children), body };
  }

  private genotype(
    node: C.GenotypeDeclCstNode,
    span: Span,
    annotations: A.AnnotationNode[],
  ): A.GenotypeNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const body = node.children.block?.[0] && this.block(node.children.block[0]);
    return name && body ? { kind: 'Genotype', span, annotations, name, body } : undefined;
  }

  private search(
    node: C.SearchDeclCstNode,
    span: Span,
    annotations: A.AnnotationNode[],
  ): A.SearchNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const block = node.children.searchBlock?.[0];
    const blockSpan = block && this.spanOf(block);
    if (!block || !blockSpan) return undefined;
    const items = (block.children.searchItem ?? []).flatMap((item) => this.searchItem(item) ?? []);
    const body: A.BlockNode = { kind: 'Block', span: blockSpan, items };
    return { kind: 'Search', span, annotations, ...(name ? { name } : {}), body };
  }

  /** `space X(...)` is a setting whose key is the keyword. */
  private searchItem(node: C.SearchItemCstNode): A.BlockItemNode | undefined {
    const { KwSpace, expression, setting, nodeDecl, fromClause } = node.children;
    if (setting?.[0]) return this.setting(setting[0]);
    if (nodeDecl?.[0]) return this.nodeDecl(nodeDecl[0]);
    return this.keyValue(this.name(KwSpace?.[0]), expression?.[0], fromClause?.[0], node);
  }

  private let(
    node: C.LetDeclCstNode,
    span: Span,
    annotations: A.AnnotationNode[],
  ): A.LetNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const value = this.expression(node.children.expression?.[0]);
    return name && value ? { kind: 'Let', span, annotations, name, value } : undefined;
  }

  // ---- parameters, signatures, types ---------------------------------------------------

  private params(node: C.ParamListCstNode): A.ParamNode[] {
    return (node.children.param ?? []).flatMap((p) => this.param(p) ?? []);
  }

  private param(node: C.ParamCstNode): A.ParamNode | undefined {
    const [nameToken, typeToken] = node.children.Identifier ?? [];
    const name = this.name(nameToken);
    const type = this.name(typeToken);
    const span = this.spanOf(node);
    const def = this.expression(node.children.expression?.[0]);
    if (!name || !type || !span) return undefined;
    return { kind: 'Param', span, name, type, ...(def ? { default: def } : {}) };
  }

  private signature(node: C.SignatureCstNode): A.SignatureNode | undefined {
    const [inNode, outNode] = node.children.typeExpr ?? [];
    const input = inNode && this.typeExpr(inNode);
    const output = outNode && this.typeExpr(outNode);
    const span = this.spanOf(node);
    return input && output && span ? { kind: 'Signature', span, input, output } : undefined;
  }

  private typeExpr(node: C.TypeExprCstNode): A.TypeNode | undefined {
    const { tensorType, tupleType } = node.children;
    if (tensorType?.[0]) return this.tensorType(tensorType[0]);
    if (!tupleType?.[0]) return undefined;
    const span = this.spanOf(tupleType[0]);
    const elements = (tupleType[0].children.tupleTypeElement ?? []).flatMap(
      (e) => this.tupleTypeElement(e) ?? [],
    );
    return span && elements.length ? { kind: 'TupleType', span, elements } : undefined;
  }

  private tupleTypeElement(node: C.TupleTypeElementCstNode): A.TupleTypeElementNode | undefined {
    const type = node.children.tensorType?.[0] && this.tensorType(node.children.tensorType[0]);
    const label = this.name(node.children.Identifier?.[0]);
    const span = this.spanOf(node);
    if (!type || !span) return undefined;
    return { kind: 'TupleTypeElement', span, ...(label ? { label } : {}), type };
  }

  private tensorType(node: C.TensorTypeCstNode): A.TensorTypeNode | undefined {
    const name = this.name(node.children.Identifier?.[0]);
    const dims = (node.children.additive ?? []).flatMap((d) => this.additive(d) ?? []);
    const span = this.spanOf(node);
    return name && span && dims.length ? { kind: 'TensorType', span, name, dims } : undefined;
  }

  // ---- blocks --------------------------------------------------------------------------

  private block(node: C.BlockCstNode): A.BlockNode | undefined {
    const span = this.spanOf(node);
    const items = (node.children.blockItem ?? []).flatMap((i) => this.blockItem(i) ?? []);
    return span && { kind: 'Block', span, items };
  }

  private blockItem(node: C.BlockItemCstNode): A.BlockItemNode | undefined {
    const { nodeDecl, setting } = node.children;
    if (nodeDecl?.[0]) return this.nodeDecl(nodeDecl[0]);
    return setting?.[0] && this.setting(setting[0]);
  }

  private setting(node: C.SettingCstNode): A.SettingNode | undefined {
    const { Identifier, expression, fromClause } = node.children;
    return this.keyValue(this.name(Identifier?.[0]), expression?.[0], fromClause?.[0], node);
  }

  /** A setting from its key, its value and its `from` clause, if any. */
  private keyValue(
    key: A.NameNode | undefined,
    valueNode: C.ExpressionCstNode | undefined,
    fromNode: C.FromClauseCstNode | undefined,
    node: CstNode,
  ): A.SettingNode | undefined {
    const value = this.expression(valueNode);
    const fromNodes = fromNode?.children.expression ?? [];
    const from = fromNodes.flatMap((e) => this.expression(e) ?? []);
    const span = this.spanOf(node);
    if (!key || !value || !span || from.length < fromNodes.length) return undefined;
    return { kind: 'Setting', span, key, value, ...(from.length ? { from } : {}) };
  }

  private nodeDecl(node: C.NodeDeclCstNode): A.NodeDeclNode | undefined {
    const [nameToken, ...inputTokens] = node.children.Identifier ?? [];
    const name = this.name(nameToken);
    const inputs = this.names(inputTokens);
    const span = this.spanOf(node);
    return name && span && inputs.length ? { kind: 'NodeDecl', span, name, inputs } : undefined;
  }

  // ---- expressions ---------------------------------------------------------------------

  expression(node: C.ExpressionCstNode | undefined): A.ExpressionNode | undefined {
    const { conditional, composition } = node?.children ?? {};
    if (conditional?.[0]) return this.conditional(conditional[0]);
    const c = composition?.[0]?.children;
    return c && this.chain(c.additive, c.Compose, (n) => this.additive(n));
  }

  private conditional(node: C.ConditionalCstNode): A.ExpressionNode | undefined {
    const condition = node.children.comparison?.[0] && this.comparison(node.children.comparison[0]);
    const [thenNode, elseNode] = node.children.expression ?? [];
    const then = this.expression(thenNode);
    const otherwise = this.expression(elseNode);
    const span = this.spanOf(node);
    if (!condition || !then || !otherwise || !span) return undefined;
    return { kind: 'Conditional', span, condition, then, else: otherwise };
  }

  private comparison(node: C.ComparisonCstNode): A.BinaryNode | undefined {
    const c = node.children;
    const [leftNode, rightNode] = c.additive ?? [];
    const left = leftNode && this.additive(leftNode);
    const right = rightNode && this.additive(rightNode);
    const op = real(
      c.EqualEqual?.[0] ??
        c.NotEqual?.[0] ??
        c.Less?.[0] ??
        c.LessEqual?.[0] ??
        c.Greater?.[0] ??
        c.GreaterEqual?.[0],
    );
    if (!left || !right || !op) return undefined;
    const operator = op.image as A.BinaryOperator;
    return { kind: 'Binary', span: this.join(left.span, right.span), operator, left, right };
  }

  private additive(node: C.AdditiveCstNode): A.ExpressionNode | undefined {
    const ops = [...(node.children.Plus ?? []), ...(node.children.Minus ?? [])];
    return this.chain(node.children.multiplicative, ops, (n) => this.multiplicative(n));
  }

  private multiplicative(node: C.MultiplicativeCstNode): A.ExpressionNode | undefined {
    const c = node.children;
    const ops = [...(c.Star ?? []), ...(c.Slash ?? []), ...(c.Percent ?? [])];
    return this.chain(c.unary, ops, (n) => this.unary(n));
  }

  /** Folds `a op b op c` left-associatively; operators are sorted back into source order. */
  private chain<N extends CstNode>(
    operands: N[] | undefined,
    operators: IToken[] | undefined,
    convert: (n: N) => A.ExpressionNode | undefined,
  ): A.ExpressionNode | undefined {
    const parts = (operands ?? []).map(convert);
    const ops = (operators ?? [])
      .filter((t) => real(t))
      .sort((a, b) => a.startOffset - b.startOffset);
    let result = parts[0];
    if (!result) return undefined;
    for (let i = 1; i < parts.length; i++) {
      const right = parts[i];
      const op = ops[i - 1];
      if (!right || !op) return result;
      result = {
        kind: 'Binary',
        span: this.join(result.span, right.span),
        operator: op.image as A.BinaryOperator,
        left: result,
        right,
      };
    }
    return result;
  }

  private unary(node: C.UnaryCstNode): A.ExpressionNode | undefined {
    const { Minus, unary, primary } = node.children;
    if (primary?.[0]) return this.primary(primary[0]);
    const minus = real(Minus?.[0]);
    const operand = unary?.[0] && this.unary(unary[0]);
    if (!minus || !operand) return undefined;
    const span = this.join(this.tokenSpan(minus), operand.span);
    return { kind: 'Unary', span, operator: '-', operand };
  }

  private primary(node: C.PrimaryCstNode): A.ExpressionNode | undefined {
    const c = node.children;
    const literal = real(
      c.IntLiteral?.[0] ??
        c.FloatLiteral?.[0] ??
        c.StringLiteral?.[0] ??
        c.KwTrue?.[0] ??
        c.KwFalse?.[0],
    );
    if (literal) return this.literal(literal);
    if (c.reference?.[0]) return this.reference(c.reference[0]);
    if (c.parenthesized?.[0]) return this.parenthesized(c.parenthesized[0]);
    if (c.listLiteral?.[0]) return this.list(c.listLiteral[0]);
    return undefined;
  }

  private literal(token: Real): A.ExpressionNode {
    const span = this.tokenSpan(token);
    switch (token.tokenType.name) {
      case 'IntLiteral': {
        const value = Number(token.image);
        if (!Number.isSafeInteger(value)) {
          this.diagnostics.push(diagnostic('E0106', span, { text: token.image }));
        }
        return { kind: 'IntLiteral', span, value };
      }
      case 'FloatLiteral': {
        const value = Number(token.image);
        if (!Number.isFinite(value)) {
          this.diagnostics.push(diagnostic('E0106', span, { text: token.image }));
        }
        return { kind: 'FloatLiteral', span, value, text: token.image };
      }
      case 'KwTrue':
      case 'KwFalse':
        return { kind: 'BoolLiteral', span, value: token.image === 'true' };
      default:
        return this.string(token)!;
    }
  }

  private string(token: IToken): A.StringLiteralNode | undefined {
    const t = real(token);
    if (!t) return undefined;
    const span = this.tokenSpan(t);
    const closed =
      t.image.length >= 2 && t.image.endsWith('"') && t.tokenType.name === 'StringLiteral';
    const body = t.image.slice(1, closed ? -1 : undefined);
    const escapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
    const value = body.replace(/\\(.?)/g, (whole, ch: string, at: number) => {
      const known = escapes[ch];
      if (known !== undefined) return known;
      const start = t.startOffset + 1 + at;
      this.diagnostics.push(
        diagnostic('E0107', this.file.span(start, start + whole.length), { escape: whole }),
      );
      return ch;
    });
    return { kind: 'StringLiteral', span, value };
  }

  private reference(node: C.ReferenceCstNode): A.ExpressionNode | undefined {
    const parts = this.names(node.children.Identifier);
    const span = this.spanOf(node);
    if (!parts.length || !span) return undefined;
    const last = parts[parts.length - 1]!;
    const ref: A.ReferenceNode = {
      kind: 'Reference',
      span: this.join(parts[0]!.span, last.span),
      parts,
    };
    const argsNode = node.children.arguments?.[0];
    if (!argsNode) return ref;
    return { kind: 'Call', span, callee: ref, args: this.arguments(argsNode) };
  }

  private arguments(node: C.ArgumentsCstNode): A.ArgumentNode[] {
    return (node.children.argument ?? []).flatMap((a) => {
      const value = this.expression(a.children.expression?.[0]);
      const name = this.name(a.children.Identifier?.[0]);
      const span = this.spanOf(a);
      return value && span
        ? [{ kind: 'Argument' as const, span, ...(name ? { name } : {}), value }]
        : [];
    });
  }

  private parenthesized(node: C.ParenthesizedCstNode): A.ExpressionNode | undefined {
    const elements = (node.children.expression ?? []).flatMap((e) => this.expression(e) ?? []);
    const span = this.spanOf(node);
    const isTuple = (node.children.Comma ?? []).some((t) => real(t));
    if (!span || !elements.length) return undefined;
    return isTuple ? { kind: 'Tuple', span, elements } : elements[0];
  }

  private list(node: C.ListLiteralCstNode): A.ListNode | undefined {
    const elements = (node.children.expression ?? []).flatMap((e) => this.expression(e) ?? []);
    const span = this.spanOf(node);
    return span && { kind: 'List', span, elements };
  }
}

/** The real (not recovery-inserted) tokens under a CST node, in source order. */
function realTokens(node: CstNode): Real[] {
  const out: Real[] = [];
  const visit = (n: CstNode) => {
    for (const children of Object.values(n.children)) {
      for (const child of children) {
        if ('tokenType' in child) {
          const t = real(child);
          if (t) out.push(t);
        } else visit(child);
      }
    }
  };
  visit(node);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}
