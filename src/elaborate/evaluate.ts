import type {
  ArgumentNode,
  BinaryNode,
  ExpressionNode,
  LetNode,
  ReferenceNode,
} from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { isUserIntrinsic } from '../intrinsics/registry.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import type { Module } from '../check/loadProgram.js';
import { declarations, type ModuleScope } from '../check/scope.js';
import { elaborationLimits } from './limits.js';
import {
  describeValue,
  noArgs,
  type BoundArgs,
  type Env,
  type OpValue,
  type Value,
} from './values.js';

const error: Value = { kind: 'error' };

/** Options of one evaluation. */
export interface EvalOptions {
  /** Inside a tensor type's dimensions: `/` must divide evenly (E0307). */
  readonly exact?: boolean;
}

/**
 * Evaluates expressions to values with parameters bound. Runs only on programs whose names
 * all resolved, so every reference has a meaning; type problems (an op where a number is
 * needed, division by zero, a cyclic `let`) are diagnostics and evaluate to the poison value.
 */
export class Evaluator {
  readonly #letValues = new Map<LetNode, Value>();
  readonly #letStack: LetNode[] = [];
  /** Spans in the user's file of what is being elaborated (a stack call, a candidate). */
  readonly #sites: Span[] = [];
  /** What is being elaborated, for notes on problems moved to a site (`in cell 3 (reduce)`). */
  readonly #context: string[] = [];
  #sink: (d: Diagnostic) => void;
  readonly #warned = new Set<string>();
  /** Primitives being applied, for cycle detection. */
  readonly active: unknown[] = [];
  /**
   * Intrinsic op uses the network being elaborated may still expand to: set by
   * `elaborateNetwork`, counted down by `applyOp`, which stops at zero (E0416).
   */
  opsLeft: number = elaborationLimits.ops;

  constructor(
    readonly scopes: ReadonlyMap<Module, ModuleScope>,
    sink: (d: Diagnostic) => void,
    /** The user's file: problems found inside imported modules are shown at a site in it. */
    readonly entry?: SourceFile,
  ) {
    this.#sink = sink;
  }

  /**
   * Reports a diagnostic. One that points into an imported module (the standard library)
   * while a site of the user's file is known is moved there, with the original place kept as
   * a label: the user can change their file, not the library.
   */
  readonly report = (d: Diagnostic): void => {
    const site = [...this.#sites].reverse().find((s) => s.file === this.entry);
    if (!this.entry || d.span.file === this.entry || !site) return this.#sink(d);
    this.#sink({
      ...d,
      span: site,
      label: 'while checking this',
      labels: [{ span: d.span, message: d.label ?? 'the problem is found here' }, ...d.labels],
      notes: [...this.#context, ...d.notes],
    });
  };

  /**
   * Reports a warning about a declaration once, however often it is elaborated (a cell in
   * every position of a stack, in every search of a file).
   */
  warnOnce(d: Diagnostic): void {
    const key = `${d.code} ${d.span.file.name} ${d.span.start} ${d.message}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.report(d);
  }

  /** Runs `fn` with `site` as the user-facing place of what it elaborates, and `context` as a note. */
  atSite<T>(site: Span | undefined, fn: () => T, context?: string): T {
    if (site) this.#sites.push(site);
    if (context) this.#context.push(context);
    try {
      return fn();
    } finally {
      if (site) this.#sites.pop();
      if (context) this.#context.pop();
    }
  }

  /** Runs `fn` collecting its diagnostics instead of reporting them. */
  quietly<T>(fn: () => T): { value: T; problems: Diagnostic[] } {
    const saved = this.#sink;
    const problems: Diagnostic[] = [];
    this.#sink = (d) => problems.push(d);
    try {
      return { value: fn(), problems };
    } finally {
      this.#sink = saved;
    }
  }

  /** The value of `expr`, written in `module`, with `env` bound. */
  evaluate(expr: ExpressionNode, module: Module, env: Env, options: EvalOptions = {}): Value {
    switch (expr.kind) {
      case 'IntLiteral':
        return { kind: 'int', value: expr.value };
      case 'FloatLiteral':
        return { kind: 'float', value: expr.value };
      case 'StringLiteral':
        return { kind: 'string', value: expr.value };
      case 'BoolLiteral':
        return { kind: 'bool', value: expr.value };
      case 'Reference':
        return this.reference(expr, module, env);
      case 'Call':
        return this.call(expr.callee, expr.args, expr.span, module, env, options);
      case 'Binary':
        return this.binary(expr, module, env, options);
      case 'Unary': {
        const v = this.evaluate(expr.operand, module, env, options);
        if (v.kind === 'int' || v.kind === 'float') return { kind: v.kind, value: -v.value };
        return this.mismatch(v, 'a number', expr.operand.span);
      }
      case 'Conditional': {
        const c = this.evaluate(expr.condition, module, env, options);
        if (c.kind === 'error') return error;
        if (c.kind !== 'bool') return this.mismatch(c, 'a condition', expr.condition.span);
        return this.evaluate(c.value ? expr.then : expr.else, module, env, options);
      }
      case 'Tuple':
      case 'List': {
        const items = expr.elements.map((e) => this.evaluate(e, module, env, options));
        return { kind: expr.kind === 'Tuple' ? 'tuple' : 'list', items };
      }
    }
  }

  /** Evaluates call arguments. */
  bindArgs(
    args: readonly ArgumentNode[],
    module: Module,
    env: Env,
    options: EvalOptions = {},
  ): BoundArgs {
    const positional: Value[] = [];
    const named = new Map<string, Value>();
    const spans = new Map<string | number, Span>();
    for (const arg of args) {
      const value = this.evaluate(arg.value, module, env, options);
      if (arg.name) {
        named.set(arg.name.value, value);
        spans.set(arg.name.value, arg.value.span);
      } else {
        spans.set(positional.length, arg.value.span);
        positional.push(value);
      }
    }
    return { positional, named, spans };
  }

  private reference(ref: ReferenceNode, module: Module, env: Env): Value {
    const name = ref.parts.map((p) => p.value).join('.');
    if (ref.parts.length === 1 && env.has(name)) return env.get(name)!;
    const scope = this.scopes.get(module)!;
    const symbol = lookupSymbol(scope, ref);
    if (symbol) {
      const decl = symbol.decl;
      if (decl.kind === 'Let') return this.let(decl, symbol.module, ref.span);
      if (decl.kind === 'Primitive') {
        return {
          kind: 'op',
          op: { kind: 'primitive', symbol: { ...symbol, decl }, args: noArgs, span: ref.span },
        };
      }
      return { kind: 'decl', symbol, args: noArgs, span: ref.span };
    }
    if (isUserIntrinsic(name))
      return { kind: 'op', op: { kind: 'intrinsic', name, args: noArgs, span: ref.span } };
    return { kind: 'word', name };
  }

  private let(decl: LetNode, module: Module, use: Span): Value {
    const cached = this.#letValues.get(decl);
    if (cached) return cached;
    if (this.#letStack.includes(decl)) {
      const cycle = [...this.#letStack.slice(this.#letStack.indexOf(decl)), decl].map(
        (d) => d.name.value,
      );
      this.report(diagnostic('E0401', use, { cycle }));
      return error;
    }
    if (this.#letStack.length + this.active.length >= elaborationLimits.definitionDepth) {
      this.report(diagnostic('E0418', use, { limit: elaborationLimits.definitionDepth }));
      return error;
    }
    this.#letStack.push(decl);
    const value = this.evaluate(decl.value, module, new Map());
    this.#letStack.pop();
    this.#letValues.set(decl, value);
    return value;
  }

  private call(
    callee: ReferenceNode,
    argNodes: readonly ArgumentNode[],
    span: Span,
    module: Module,
    env: Env,
    options: EvalOptions,
  ): Value {
    const target = this.reference(callee, module, env);
    const args = this.bindArgs(argNodes, module, env, options);
    switch (target.kind) {
      case 'op':
        if (target.op.kind === 'compose') return this.mismatch(target, 'a function', callee.span);
        return { kind: 'op', op: { ...target.op, args, span } };
      case 'decl':
        return { kind: 'decl', symbol: target.symbol, args, span };
      case 'word':
        return { kind: 'call', name: target.name, args, span };
      case 'error':
        return error;
      default:
        return this.mismatch(target, 'a function', callee.span);
    }
  }

  private binary(expr: BinaryNode, module: Module, env: Env, options: EvalOptions): Value {
    const left = this.evaluate(expr.left, module, env, options);
    const right = this.evaluate(expr.right, module, env, options);
    if (left.kind === 'error' || right.kind === 'error') return error;
    if (expr.operator === '>>' && (left.kind === 'call' || left.kind === 'pipeline')) {
      // A data source and its transforms (`data vega(...) >> window(7)`).
      if (right.kind !== 'call') return this.mismatch(right, 'a data transform', expr.right.span);
      const stages = left.kind === 'pipeline' ? [...left.stages, right] : [left, right];
      return { kind: 'pipeline', stages, span: expr.span };
    }
    if (expr.operator === '>>') {
      if (left.kind !== 'op') return this.mismatch(left, 'an op', expr.left.span);
      if (right.kind !== 'op') return this.mismatch(right, 'an op', expr.right.span);
      const stages = [left.op, right.op].flatMap((o) => (o.kind === 'compose' ? o.stages : [o]));
      return { kind: 'op', op: { kind: 'compose', stages, span: expr.span } };
    }
    if (left.kind !== 'int' && left.kind !== 'float')
      return this.mismatch(left, 'a number', expr.left.span);
    if (right.kind !== 'int' && right.kind !== 'float')
      return this.mismatch(right, 'a number', expr.right.span);
    return this.arithmetic(
      expr,
      left.value,
      right.value,
      left.kind === 'int' && right.kind === 'int',
      options,
    );
  }

  private arithmetic(
    expr: BinaryNode,
    a: number,
    b: number,
    ints: boolean,
    options: EvalOptions,
  ): Value {
    const num = (value: number): Value => ({ kind: ints ? 'int' : 'float', value });
    const bool = (value: boolean): Value => ({ kind: 'bool', value });
    switch (expr.operator) {
      case '+':
        return num(a + b);
      case '-':
        return num(a - b);
      case '*':
        return num(a * b);
      case '/':
      case '%':
        if (b === 0) {
          this.report(diagnostic('E0313', expr.span, {}));
          return error;
        }
        if (expr.operator === '%') return num(a % b);
        if (ints && options.exact && a % b !== 0) {
          this.report(diagnostic('E0307', expr.span, { left: a, right: b }));
          return error;
        }
        return num(ints ? Math.floor(a / b) : a / b);
      case '==':
        return bool(a === b);
      case '!=':
        return bool(a !== b);
      case '<':
        return bool(a < b);
      case '<=':
        return bool(a <= b);
      case '>':
        return bool(a > b);
      case '>=':
        return bool(a >= b);
      default:
        return error;
    }
  }

  /** Reports E0312 (expected X, found Y) and returns the poison value. */
  mismatch(found: Value, expected: string, span: Span, hint?: string): Value {
    if (found.kind !== 'error') {
      this.report(
        diagnostic(
          'E0312',
          span,
          { expected, found: describeValue(found) },
          {
            help: { hint: hint ?? `write ${expected} here` },
          },
        ),
      );
    }
    return error;
  }
}

/** The declaration a (possibly qualified) reference names, if any. */
function lookupSymbol(scope: ModuleScope, ref: ReferenceNode) {
  if (ref.parts.length === 1) {
    const r = scope.lookupGlobal(ref.parts[0]!.value);
    return r?.kind === 'decl' ? r.symbol : undefined;
  }
  const module = scope.qualified.get(ref.parts[0]!.value);
  const decl = module && declarations(module).find((d) => d.name.value === ref.parts[1]!.value);
  return decl && module ? { decl, module } : undefined;
}

/** Reads an integer out of a value, reporting E0312 otherwise, and E0412 below `min`. */
export function expectInt(
  evaluator: Evaluator,
  v: Value,
  span: Span,
  what = 'an integer',
  min?: number,
): number | undefined {
  if (v.kind !== 'int') {
    evaluator.mismatch(v, what, span);
    return undefined;
  }
  if (min !== undefined && v.value < min) {
    evaluator.report(diagnostic('E0412', span, { what, min, found: v.value }));
    return undefined;
  }
  return v.value;
}

/** An op value, or undefined after reporting E0312. */
export function expectOp(evaluator: Evaluator, v: Value, span: Span): OpValue | undefined {
  if (v.kind === 'op') return v.op;
  evaluator.mismatch(v, 'an op', span, 'write a primitive, an intrinsic op or a pipeline `a >> b`');
  return undefined;
}
