import type { PrimitiveNode, TensorTypeNode } from '../ast/nodes.js';
import { printType } from '../ast/print.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import {
  intrinsic,
  paramCount,
  type Attrs,
  type IntrinsicName,
  type ParamSpec,
  type ShapeFailure,
} from '../intrinsics/registry.js';
import {
  formatShape,
  layoutOf,
  sameShape,
  type Layout,
  type TensorShape,
} from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import { expectInt, expectOp, type Evaluator } from './evaluate.js';
import { elaborationLimits } from './limits.js';
import type { Module } from '../check/loadProgram.js';
import type { BoundArgs, Env, OpValue, Value } from './values.js';

/** One use of an intrinsic op in a network, with its resolved attributes and types. */
export interface OpUse {
  readonly op: IntrinsicName;
  readonly attrs: Attrs;
  readonly input: TensorShape;
  readonly output: TensorShape;
  /** Trainable parameters of this use. */
  readonly params: number;
  /** Where the op is written (the innermost call). */
  readonly span: Span;
  /** The primitives it was reached through, outermost first. */
  readonly path: readonly string[];
}

/** The result of applying an op to a tensor type; undefined output means an error was reported. */
export interface Applied {
  readonly output: TensorShape;
  readonly uses: readonly OpUse[];
}

/** What applying ops needs besides the op and its input. */
export interface ApplyContext {
  readonly evaluator: Evaluator;
  /** Whether a `batch_norm` without `affine` is affine: false in the search supernet, true when derived. */
  readonly affineDefault: boolean;
  /** Arguments for the outermost primitive's parameters of these names (`C`, `stride` on an edge). */
  readonly implicit?: ReadonlyMap<string, Value>;
}

/**
 * Applies an op to an input type: binds arguments, checks primitive signatures, runs every
 * intrinsic's shape rule from the registry and counts parameters. Reports the first problem
 * on a path and returns undefined for it.
 */
export function applyOp(
  op: OpValue,
  input: TensorShape,
  ctx: ApplyContext,
  path: string[] = [],
): Applied | undefined {
  // The network's op budget is spent (E0416 reported): stop expanding at once.
  if (ctx.evaluator.opsLeft <= 0) return undefined;
  switch (op.kind) {
    case 'compose': {
      const uses: OpUse[] = [];
      let current = input;
      for (const stage of op.stages) {
        const applied = applyOp(stage, current, { ...ctx, implicit: undefined }, path);
        if (!applied) return undefined;
        for (const use of applied.uses) uses.push(use);
        current = applied.output;
      }
      return { output: current, uses };
    }
    case 'intrinsic':
      return applyIntrinsic(op.name, op.args, op.span, input, ctx, path);
    case 'primitive':
      return applyPrimitive(op, input, ctx, path);
  }
}

function applyPrimitive(
  op: Extract<OpValue, { kind: 'primitive' }>,
  input: TensorShape,
  ctx: ApplyContext,
  path: string[],
): Applied | undefined {
  const { decl, module } = op.symbol;
  const name = decl.name.value;
  const active = ctx.evaluator.active as PrimitiveNode[];
  if (active.includes(decl)) {
    const cycle = [...active.slice(active.indexOf(decl)), decl].map((d) => d.name.value);
    ctx.evaluator.report(diagnostic('E0401', op.span, { cycle }));
    return undefined;
  }
  if (active.length >= elaborationLimits.definitionDepth) {
    const limit = elaborationLimits.definitionDepth;
    ctx.evaluator.report(diagnostic('E0418', op.span, { limit }));
    return undefined;
  }
  const env = bindParams(
    ctx.evaluator,
    name,
    decl.params ?? [],
    op.args,
    op.span,
    module,
    ctx.implicit,
  );
  if (!env) return undefined;
  const inType = decl.signature?.input;
  if (inType?.kind === 'TensorType' && !matchType(ctx.evaluator, inType, input, env, module)) {
    ctx.evaluator.report(
      diagnostic(
        'E0306',
        op.span,
        { name, declared: printType(inType), found: formatShape(input) },
        {
          labels: [{ span: inType.span, message: 'declared here' }],
        },
      ),
    );
    return undefined;
  }
  const body = expectOp(
    ctx.evaluator,
    ctx.evaluator.evaluate(decl.body, module, env),
    decl.body.span,
  );
  if (!body) return undefined;
  active.push(decl);
  try {
    const applied = applyOp(body, input, { ...ctx, implicit: undefined }, [...path, name]);
    return applied && returnsDeclared(ctx.evaluator, op.symbol, env, input, applied);
  } finally {
    active.pop();
  }
}

/** The applied primitive, if it gives its declared output type (E0305 when not). */
function returnsDeclared(
  evaluator: Evaluator,
  { decl, module }: { readonly decl: PrimitiveNode; readonly module: Module },
  env: Env,
  input: TensorShape,
  applied: Applied,
): Applied | undefined {
  const outType = decl.signature?.output;
  if (outType?.kind !== 'TensorType') return applied;
  const declared = concreteType(evaluator, outType, env, module);
  if (!declared || sameShape(declared, applied.output)) return applied;
  const name = decl.name.value;
  evaluator.report(
    diagnostic(
      'E0305',
      outType.span,
      { name, declared: formatShape(declared), found: formatShape(applied.output) },
      { notes: [`when applied to \`${formatShape(input)}\` with ${describeEnv(decl, env)}`] },
    ),
  );
  return undefined;
}

function describeEnv(decl: PrimitiveNode, env: Env): string {
  const parts = (decl.params ?? []).map(
    (p) => `${p.name.value} = ${printValue(env.get(p.name.value))}`,
  );
  return parts.length ? parts.join(', ') : 'no arguments';
}

function printValue(v: Value | undefined): string {
  return v && (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool') ? String(v.value) : '…';
}

/**
 * Binds a declaration's parameters: positional, then named, then implicit (for parameters
 * the call left open), then defaults evaluated in the declaration's module. Dimension
 * variables of the signature are added by `matchType`.
 */
export function bindParams(
  evaluator: Evaluator,
  callee: string,
  params: PrimitiveNode['params'] & object,
  args: BoundArgs,
  span: Span,
  module: Module,
  implicit?: ReadonlyMap<string, Value>,
): Map<string, Value> | undefined {
  const env = new Map<string, Value>();
  let ok = true;
  params.forEach((p, i) => {
    const given = args.positional[i] ?? args.named.get(p.name.value) ?? implicit?.get(p.name.value);
    if (!given) return;
    if (!fitsParamType(p.type.value, given)) {
      const where = args.spans.get(i) ?? args.spans.get(p.name.value) ?? span;
      evaluator.mismatch(given, `${article(p.type.value)} for \`${p.name.value}\``, where);
      ok = false;
    }
    env.set(p.name.value, given);
  });
  if (!ok) return undefined;
  for (const p of params) {
    if (env.has(p.name.value)) continue;
    if (!p.default) {
      evaluator.report(
        diagnostic(
          'E0221',
          span,
          { callee, name: p.name.value },
          { help: { example: `${callee}(${p.name.value}: ...)` } },
        ),
      );
      return undefined;
    }
    env.set(p.name.value, evaluator.evaluate(p.default, module, env));
  }
  return env;
}

/** Whether a value fits a declared parameter type (`int`, `float`, `bool`, `string`). */
function fitsParamType(type: string, v: Value): boolean {
  switch (type) {
    case 'int':
      return v.kind === 'int';
    case 'float':
      return v.kind === 'int' || v.kind === 'float';
    case 'bool':
      return v.kind === 'bool';
    case 'string':
      return v.kind === 'string';
    default:
      return true;
  }
}

const article = (type: string) => (type === 'int' ? 'an int' : `a ${type}`);

/** Matches an input type against a signature pattern, binding dimension variables into env. */
export function matchType(
  evaluator: Evaluator,
  pattern: TensorTypeNode,
  actual: TensorShape,
  env: Map<string, Value>,
  module: Module,
): boolean {
  if (layoutOf(pattern.name.value) !== actual.layout || pattern.dims.length !== actual.dims.length)
    return false;
  return pattern.dims.every((dim, i) => {
    const size = actual.dims[i]!;
    if (dim.kind === 'Reference' && dim.parts.length === 1 && !env.has(dim.parts[0]!.value)) {
      env.set(dim.parts[0]!.value, { kind: 'int', value: size });
      return true;
    }
    const v = evaluator.evaluate(dim, module, env, { exact: true });
    return v.kind === 'error' || (v.kind === 'int' && v.value === size);
  });
}

/** Evaluates a tensor type whose dimensions are all bound. */
export function concreteType(
  evaluator: Evaluator,
  type: TensorTypeNode,
  env: Env,
  module: Module,
): TensorShape | undefined {
  const layout = layoutOf(type.name.value);
  if (!layout) return undefined;
  const dims: number[] = [];
  for (const dim of type.dims) {
    const size = expectInt(
      evaluator,
      evaluator.evaluate(dim, module, env, { exact: true }),
      dim.span,
      'a tensor size',
      1,
    );
    if (size === undefined) return undefined;
    dims.push(size);
  }
  return { layout, dims };
}

function applyIntrinsic(
  name: IntrinsicName,
  args: BoundArgs,
  span: Span,
  input: TensorShape,
  ctx: ApplyContext,
  path: string[],
): Applied | undefined {
  const spec = intrinsic(name);
  const attrs = bindAttrs(ctx.evaluator, name, spec.params, args, span);
  if (!attrs) return undefined;
  if (!(spec.layouts as readonly Layout[]).includes(input.layout)) {
    const expected = spec.layouts.map((l) => `\`${l}\``).join(' or ');
    ctx.evaluator.report(
      diagnostic('E0302', span, {
        op: name,
        expected: `${/^`[AEIOU]/.test(expected) ? 'an' : 'a'} ${expected}`,
        found: formatShape(input),
      }),
    );
    return undefined;
  }
  const result = spec.shape(input, attrs);
  if ('reason' in result) {
    ctx.evaluator.report(shapeDiagnostic(name, result, span));
    return undefined;
  }
  const params = paramCount(name, input, attrs, { affineDefault: ctx.affineDefault });
  if (--ctx.evaluator.opsLeft === 0) {
    const limit = elaborationLimits.ops.toLocaleString('en-US');
    ctx.evaluator.report(
      diagnostic('E0416', span, { limit }, { label: 'the limit is reached here' }),
    );
    return undefined;
  }
  return { output: result, uses: [{ op: name, attrs, input, output: result, params, span, path }] };
}

function shapeDiagnostic(op: IntrinsicName, failure: ShapeFailure, span: Span) {
  switch (failure.reason) {
    case 'too-small':
      return diagnostic('E0308', span, { op, window: failure.window, size: failure.size });
    case 'odd-size':
      return diagnostic('E0309', span, { size: failure.size });
    case 'odd-channels':
      return diagnostic('E0310', span, { channels: failure.channels });
    case 'bad-attribute':
      return diagnostic('E0314', span, { op, attribute: failure.attribute, value: failure.value });
    case 'layout':
      return diagnostic('E0302', span, { op, expected: failure.expected.join(' or '), found: '?' });
  }
}

/** Resolves an intrinsic's attributes from its arguments and defaults, checking their kinds. */
function bindAttrs(
  evaluator: Evaluator,
  op: string,
  params: readonly ParamSpec[],
  args: BoundArgs,
  span: Span,
): Attrs | undefined {
  const attrs: Record<string, number | boolean | null> = {};
  for (const [i, p] of params.entries()) {
    const given = args.positional[i] ?? args.named.get(p.name);
    const where = args.spans.get(i) ?? args.spans.get(p.name) ?? span;
    if (!given) {
      if (p.default === undefined) {
        evaluator.report(
          diagnostic(
            'E0221',
            span,
            { callee: op, name: p.name },
            { help: { example: `${op}(${p.name}: ...)` } },
          ),
        );
        return undefined;
      }
      attrs[p.name] = p.default as number | boolean | null;
      continue;
    }
    if (given.kind === 'error') return undefined;
    const ok =
      (p.kind === 'int' && given.kind === 'int') ||
      (p.kind === 'float' && (given.kind === 'int' || given.kind === 'float')) ||
      ((p.kind === 'bool' || p.kind === 'any') && given.kind === 'bool') ||
      (p.kind === 'any' && (given.kind === 'int' || given.kind === 'float'));
    if (!ok) {
      evaluator.mismatch(
        given,
        p.kind === 'int' ? 'an integer' : p.kind === 'bool' ? '`true` or `false`' : 'a number',
        where,
      );
      return undefined;
    }
    attrs[p.name] = (given as { value: number | boolean }).value;
  }
  return attrs;
}
