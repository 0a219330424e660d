import fc from 'fast-check';

import type * as A from '../../src/ast/nodes.js';
import { SourceFile, type Span } from '../../src/source/SourceFile.js';
import { keywordTokens } from '../../src/syntax/tokens.js';

/**
 * fast-check generators of `.darts` syntax trees (every node kind, with the quirks of the
 * grammar: keywords are not names, `>>` and `if` need parentheses where only `additive` may
 * go), for the printer round-trip of test/syntax/properties.test.ts and the formatter's
 * properties of test/format/properties.test.ts.
 */

const keywords: ReadonlySet<string> = new Set(
  keywordTokens.map((t) => (t.PATTERN as RegExp).source.replace(/\\b$/, '')),
);

export const span: Span = new SourceFile('<generated>', '').span(0, 0);

const identifierArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/) },
    {
      weight: 1,
      // Names that start with, or almost are, a keyword.
      arbitrary: fc.constantFrom(
        'iff',
        'cellular',
        'space_',
        'as1',
        'trueish',
        'elsewhere',
        'node2',
        '_',
        'If',
        'FROM',
        'e5',
        'E',
      ),
    },
  )
  .filter((s) => !keywords.has(s));

const nameArb: fc.Arbitrary<A.NameNode> = identifierArb.map((value) => ({
  kind: 'Name',
  span,
  value,
}));

const digitsArb = fc.stringMatching(/^\d{1,4}$/);
// Exponents stay small: a literal that overflows to Infinity is an error (E0106).
const exponentArb = fc
  .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,2}$/))
  .map((parts) => parts.join(''));
const floatTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('3e-4', '0.5', '1.0', '2E+10', '0.0'),
  fc
    .tuple(digitsArb, digitsArb, fc.option(exponentArb, { nil: undefined }))
    .map(([a, b, e]) => `${a}.${b}${e ?? ''}`),
  fc.tuple(digitsArb, exponentArb).map(([a, e]) => a + e),
);

const stringValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      'a',
      'Z',
      ' ',
      '"',
      '\\',
      '\n',
      '\t',
      '\r',
      '/',
      '*',
      '\\n',
      'é',
      '😀',
      '\u2028',
    ),
    maxLength: 8,
  }),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

const stringLiteralArb: fc.Arbitrary<A.StringLiteralNode> = stringValueArb.map((value) => ({
  kind: 'StringLiteral',
  span,
  value,
}));

const referenceArb: fc.Arbitrary<A.ReferenceNode> = fc
  .array(nameArb, { minLength: 1, maxLength: 3 })
  .map((parts) => ({ kind: 'Reference', span, parts }));

const leafArb: fc.Arbitrary<A.ExpressionNode> = fc.oneof(
  fc
    .oneof(fc.nat({ max: 1000 }), fc.maxSafeNat())
    .map((value): A.IntLiteralNode => ({ kind: 'IntLiteral', span, value })),
  floatTextArb.map((text): A.FloatLiteralNode => ({
    kind: 'FloatLiteral',
    span,
    value: Number(text),
    text,
  })),
  stringLiteralArb,
  fc.boolean().map((value): A.BoolLiteralNode => ({ kind: 'BoolLiteral', span, value })),
  referenceArb,
);

const arithmeticOperators: readonly A.BinaryOperator[] = ['>>', '+', '-', '*', '/', '%'];
const comparisonOperators: readonly A.BinaryOperator[] = ['==', '!=', '<', '<=', '>', '>='];

function argumentsArb(expression: fc.Arbitrary<A.ExpressionNode>): fc.Arbitrary<A.ArgumentNode[]> {
  return fc.array(
    fc
      .tuple(fc.option(nameArb, { nil: undefined }), expression)
      .map(([name, value]): A.ArgumentNode => ({
        kind: 'Argument',
        span,
        ...(name ? { name } : {}),
        value,
      })),
    { maxLength: 3 },
  );
}

const expressionArbs = new Map<number, fc.Arbitrary<A.ExpressionNode>>();

/** Expressions of every shape, nested at most `depth` deep. */
export function expressionArb(depth: number): fc.Arbitrary<A.ExpressionNode> {
  const cached = expressionArbs.get(depth);
  if (cached) return cached;
  if (depth === 0) return leafArb;
  const sub = expressionArb(depth - 1);
  const comparisonOperand = sub;
  const arb: fc.Arbitrary<A.ExpressionNode> = fc.oneof(
    { weight: 4, arbitrary: leafArb },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...arithmeticOperators), sub, sub)
        .map(([operator, left, right]): A.BinaryNode => ({
          kind: 'Binary',
          span,
          operator,
          left,
          right,
        })),
    },
    {
      weight: 1,
      arbitrary: sub.map((operand): A.UnaryNode => ({
        kind: 'Unary',
        span,
        operator: '-',
        operand,
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(referenceArb, argumentsArb(sub))
        .map(([callee, args]): A.CallNode => ({ kind: 'Call', span, callee, args })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(sub, { minLength: 1, maxLength: 3 })
        .map((elements): A.TupleNode => ({ kind: 'Tuple', span, elements })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(sub, { maxLength: 3 })
        .map((elements): A.ListNode => ({ kind: 'List', span, elements })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...comparisonOperators),
          comparisonOperand,
          comparisonOperand,
          sub,
          sub,
        )
        .map(([operator, left, right, then, otherwise]): A.ConditionalNode => ({
          kind: 'Conditional',
          span,
          condition: { kind: 'Binary', span, operator, left, right },
          then,
          else: otherwise,
        })),
    },
  );
  expressionArbs.set(depth, arb);
  return arb;
}

const exprArb = expressionArb(3);
const smallExprArb = expressionArb(2);

const tensorTypeArb: fc.Arbitrary<A.TensorTypeNode> = fc
  .tuple(nameArb, fc.array(smallExprArb, { minLength: 1, maxLength: 3 }))
  .map(([name, dims]) => ({ kind: 'TensorType', span, name, dims }));

const typeArb: fc.Arbitrary<A.TypeNode> = fc.oneof(
  tensorTypeArb,
  fc
    .array(
      fc
        .tuple(fc.option(nameArb, { nil: undefined }), tensorTypeArb)
        .map(([label, type]): A.TupleTypeElementNode => ({
          kind: 'TupleTypeElement',
          span,
          ...(label ? { label } : {}),
          type,
        })),
      { minLength: 1, maxLength: 3 },
    )
    .map((elements): A.TupleTypeNode => ({ kind: 'TupleType', span, elements })),
);

const headerArb: fc.Arbitrary<{ params?: A.ParamNode[]; signature?: A.SignatureNode }> = fc
  .tuple(
    fc.option(
      fc.array(
        fc
          .tuple(nameArb, nameArb, fc.option(smallExprArb, { nil: undefined }))
          .map(([name, type, def]): A.ParamNode => ({
            kind: 'Param',
            span,
            name,
            type,
            ...(def ? { default: def } : {}),
          })),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
    fc.option(
      fc
        .tuple(typeArb, typeArb)
        .map(([input, output]): A.SignatureNode => ({ kind: 'Signature', span, input, output })),
      { nil: undefined },
    ),
  )
  .map(([params, signature]) => ({
    ...(params ? { params } : {}),
    ...(signature ? { signature } : {}),
  }));

/** A setting, sometimes with a `from` clause (the grammar takes it on any setting). */
const settingArb = (keyArb: fc.Arbitrary<A.NameNode>) =>
  fc
    .tuple(
      keyArb,
      exprArb,
      fc.option(fc.array(smallExprArb, { minLength: 1, maxLength: 3 }), {
        nil: undefined,
        freq: 4,
      }),
    )
    .map(([key, value, from]): A.SettingNode => ({
      kind: 'Setting',
      span,
      key,
      value,
      ...(from ? { from } : {}),
    }));

/** Blocks of cells, spaces and genotypes: settings and node declarations. */
const blockArb: fc.Arbitrary<A.BlockNode> = fc
  .array(
    fc.oneof(
      settingArb(nameArb),
      fc
        .tuple(nameArb, fc.array(nameArb, { minLength: 1, maxLength: 3 }))
        .map(([name, inputs]): A.NodeDeclNode => ({ kind: 'NodeDecl', span, name, inputs })),
    ),
    { maxLength: 4 },
  )
  .map((items) => ({ kind: 'Block', span, items }));

/** Search blocks: settings only, and `space` (a keyword) may be a key. */
const searchBlockArb: fc.Arbitrary<A.BlockNode> = fc
  .array(
    settingArb(fc.oneof(nameArb, fc.constant<A.NameNode>({ kind: 'Name', span, value: 'space' }))),
    { maxLength: 4 },
  )
  .map((items) => ({ kind: 'Block', span, items }));

const annotationsArb: fc.Arbitrary<A.AnnotationNode[]> = fc.array(
  fc
    .tuple(nameArb, fc.option(argumentsArb(smallExprArb), { nil: undefined }))
    .map(([name, args]): A.AnnotationNode => ({
      kind: 'Annotation',
      span,
      name,
      ...(args ? { args } : {}),
    })),
  { maxLength: 2 },
);

const importArb: fc.Arbitrary<A.ImportNode> = fc
  .tuple(
    fc.oneof(
      fc.array(nameArb, { minLength: 1, maxLength: 3 }).map((module) => ({ module })),
      stringLiteralArb.map((file) => ({ file })),
    ),
    fc.option(nameArb, { nil: undefined }),
  )
  .map(([target, alias]) => ({ kind: 'Import', span, ...target, ...(alias ? { alias } : {}) }));

const declarationArb: fc.Arbitrary<A.DeclarationNode> = fc
  .tuple(
    annotationsArb,
    fc.oneof(
      fc
        .tuple(nameArb, headerArb, exprArb)
        .map(([name, header, body]) => ({ kind: 'Primitive' as const, name, ...header, body })),
      fc
        .tuple(
          nameArb,
          headerArb,
          fc.oneof(
            blockArb,
            fc.tuple(exprArb, fc.boolean()).map(([base, reducing]): A.CellAliasNode => ({
              kind: 'CellAlias',
              span,
              base,
              reducing,
            })),
          ),
        )
        .map(([name, header, body]) => ({ kind: 'Cell' as const, name, ...header, body })),
      fc
        .tuple(nameArb, headerArb, blockArb)
        .map(([name, header, body]) => ({ kind: 'Space' as const, name, ...header, body })),
      fc
        .tuple(nameArb, blockArb)
        .map(([name, body]) => ({ kind: 'Genotype' as const, name, body })),
      fc
        .tuple(fc.option(nameArb, { nil: undefined }), searchBlockArb)
        .map(([name, body]) => ({ kind: 'Search' as const, ...(name ? { name } : {}), body })),
      fc.tuple(nameArb, exprArb).map(([name, value]) => ({ kind: 'Let' as const, name, value })),
    ),
  )
  .map(([annotations, rest]): A.DeclarationNode => ({ ...rest, span, annotations }));

export const programArb: fc.Arbitrary<A.ProgramNode> = fc
  .array(fc.oneof(importArb, declarationArb), { maxLength: 5 })
  .map((items) => ({ kind: 'Program', span, items }));
