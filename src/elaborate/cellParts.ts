import { findSetting } from '../ast/findSetting.js';
import type { BlockNode, CellNode, SettingNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import { spatialDims, formatShape, sameShape, type TensorShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import { suggest } from '../util/suggest.js';
import { applyOp, type Applied } from './applyOp.js';
import { expectInt, expectOp, type Evaluator } from './evaluate.js';
import { elaborationLimits } from './limits.js';
import type { Module } from '../check/loadProgram.js';
import { cellInputs } from '../check/scope.js';
import { noArgs, type BoundArgs, type Env, type OpValue, type Value } from './values.js';
import type { StateRef } from './model.js';

/*
 * The parts of a cell besides its edges: preprocessors, node wiring (DARTS, chain, explicit,
 * or from a genotype), the output concat, and the type agreements between them.
 */

/** The genotype's choice for one cell role: (op, input state) pairs, `keep` per node, and concat. */
export interface CellChoice {
  readonly pairs: readonly { readonly op: string; readonly input: number; readonly span: Span }[];
  readonly concat?: readonly number[];
  readonly span: Span;
  /** Where the concat is written (the `<role>_concat` setting, or the genotype file). */
  readonly concatSpan?: Span;
}

/** What a cell is elaborated with. */
export interface CellRequest {
  readonly evaluator: Evaluator;
  readonly cell: Value & { kind: 'decl' };
  readonly role: string;
  readonly index: number;
  readonly C: number;
  readonly inputs: readonly { readonly from: StateRef; readonly type: TensorShape }[];
  readonly mode: 'search' | 'derived';
  /** PC-DARTS: the mixed ops of the supernet see 1/`partial` of each edge's channels. */
  readonly partial?: number;
  readonly choice?: CellChoice;
}

/** A cell declaration resolved through `= Base(C) reducing` aliases, with parameters bound. */
export interface ResolvedCell {
  readonly decl: CellNode & { body: BlockNode };
  readonly module: Module;
  readonly env: Env;
  readonly reducing: boolean;
}

/** An op value for an intrinsic with named arguments, for ops the compiler inserts. */
export function syntheticOp(
  name:
    | 'batch_norm'
    | 'factorized_reduce'
    | 'relu'
    | 'pointwise_conv'
    | 'dense'
    | 'max_pool'
    | 'channel_slice'
    | 'channel_shuffle',
  named: Record<string, number | boolean>,
  span: Span,
): OpValue {
  const args: BoundArgs = {
    ...noArgs,
    named: new Map(
      Object.entries(named).map(([k, v]) => [
        k,
        typeof v === 'boolean' ? { kind: 'bool', value: v } : { kind: 'int', value: v },
      ]),
    ),
  };
  return { kind: 'intrinsic', name, args, span };
}

/** Runs each cell input through its preprocessor (the `preprocess` setting, else the DARTS default). */
export function preprocess(
  req: CellRequest,
  cell: ResolvedCell,
  inputs: CellRequest['inputs'],
): Applied[] | undefined {
  const explicit = findSetting(cell.decl.body, 'preprocess');
  const span = cell.decl.name.span;
  let ops: OpValue[];
  if (explicit) {
    const v = req.evaluator.evaluate(explicit.value, cell.module, cell.env);
    if (v.kind !== 'list' || v.items.length !== inputs.length) {
      req.evaluator.mismatch(
        v,
        `a list of ${inputs.length} op${inputs.length === 1 ? '' : 's'}, one per cell input`,
        explicit.value.span,
      );
      return undefined;
    }
    const maybe = v.items.map((item) => expectOp(req.evaluator, item, explicit.value.span));
    if (maybe.includes(undefined)) return undefined;
    ops = maybe as OpValue[];
  } else {
    const last = inputs[inputs.length - 1]!.type;
    ops = inputs.map(({ type }) => defaultPreprocess(type, last, req.C, span));
  }
  const ctx = { evaluator: req.evaluator, affineDefault: req.mode === 'derived' };
  const applied: Applied[] = [];
  for (const [i, op] of ops.entries()) {
    const a = applyOp(op, inputs[i]!.type, ctx, ['preprocess' + i]);
    if (!a) return undefined;
    applied.push(a);
  }
  const type = agree(
    req.evaluator,
    applied.map((a) => a.output),
    explicit?.value.span ?? span,
    'the preprocessed inputs of this cell',
    'each preprocessor must map its input to the same type',
  );
  return type ? applied : undefined;
}

/** The DARTS preprocessor: FactorizedReduce for an input at twice the size, else ReLU -> 1x1 conv -> BN. */
function defaultPreprocess(type: TensorShape, last: TensorShape, C: number, span: Span): OpValue {
  const doubled =
    spatialDims(type).length > 0 &&
    spatialDims(type).every((n, i) => n === 2 * spatialDims(last)[i]!);
  if (doubled) return syntheticOp('factorized_reduce', { out: C }, span);
  const linear =
    type.layout === 'Vec'
      ? syntheticOp('dense', { out: C, bias: false }, span)
      : syntheticOp('pointwise_conv', { out: C }, span);
  return {
    kind: 'compose',
    stages: [syntheticOp('relu', {}, span), linear, syntheticOp('batch_norm', {}, span)],
    span,
  };
}

/** True (E0414 reported at `span`) when a cell has more nodes than the limit. */
function tooManyNodes(req: CellRequest, cell: ResolvedCell, found: number, span: Span): boolean {
  const { nodes: limit } = elaborationLimits;
  if (found <= limit) return false;
  req.evaluator.report(diagnostic('E0414', span, { cell: cell.decl.name.value, found, limit }));
  return true;
}

/** The nodes of a cell and the states each reads. */
export function nodeWiring(req: CellRequest, cell: ResolvedCell, numInputs: number) {
  const body = cell.decl.body;
  const out: { name: string; from: number[]; span: Span }[] = [];
  const keepSetting = findSetting(body, 'keep');
  const nodesSetting = findSetting(body, 'nodes');
  let chain = false;
  if (nodesSetting) {
    const v = req.evaluator.evaluate(nodesSetting.value, cell.module, cell.env);
    chain = v.kind === 'call' && v.name === 'chain';
    const countValue =
      chain && v.kind === 'call' ? (v.args.positional[0] ?? v.args.named.get('count')!) : v;
    const count = expectInt(req.evaluator, countValue, nodesSetting.value.span, 'a node count', 1);
    if (count === undefined || tooManyNodes(req, cell, count, nodesSetting.value.span))
      return undefined;
    for (let i = 0; i < count; i++) {
      const from = chain ? [numInputs + i - 1] : Array.from({ length: numInputs + i }, (_, j) => j);
      out.push({ name: `n${i}`, from, span: nodesSetting.span });
    }
  }
  const names = [...cellInputs(cell.decl), ...out.map((n) => n.name)];
  for (const item of body.items) {
    if (item.kind !== 'NodeDecl') continue;
    out.push({
      name: item.name.value,
      from: item.inputs.map((n) => names.indexOf(n.value)),
      span: item.span,
    });
    names.push(item.name.value);
  }
  if (tooManyNodes(req, cell, out.length, cell.decl.name.span)) return undefined;
  const keepValue = keepSetting
    ? expectInt(
        req.evaluator,
        req.evaluator.evaluate(keepSetting.value, cell.module, cell.env),
        keepSetting.value.span,
        'a kept-edge count',
        1,
      )
    : Math.min(chain ? 1 : 2, ...out.map((n) => n.from.length));
  if (keepValue === undefined) return undefined;
  for (const node of out) {
    if (node.from.length < keepValue) {
      req.evaluator.report(
        diagnostic('E0402', keepSetting?.value.span ?? node.span, {
          keep: keepValue,
          node: node.name,
          edges: node.from.length,
        }),
      );
      return undefined;
    }
  }
  if (req.choice) return choiceWiring(req, out, keepValue, numInputs);
  return out.map((n) => ({ ...n, keep: keepValue }));
}

/** In a derived cell, node i keeps the genotype's `keep` pairs i*keep .. i*keep+keep-1. */
function choiceWiring(
  req: CellRequest,
  nodes: { name: string; span: Span }[],
  keep: number,
  numInputs: number,
) {
  const pairs = req.choice!.pairs;
  if (pairs.length !== nodes.length * keep) {
    req.evaluator.report(
      diagnostic(
        'E0404',
        req.choice!.span,
        {
          problem: `the ${req.role} cell has ${nodes.length} nodes keeping ${keep} edges each, so it needs ${nodes.length * keep} pairs, found ${pairs.length}`,
        },
        { help: { hint: 'list `keep` (op, input) pairs per node, node by node' } },
      ),
    );
    return undefined;
  }
  const wired = [];
  for (const [i, node] of nodes.entries()) {
    const mine = pairs.slice(i * keep, i * keep + keep);
    const bad = mine.find((p) => p.input < 0 || p.input >= numInputs + i);
    if (bad) {
      req.evaluator.report(
        diagnostic(
          'E0404',
          bad.span,
          { problem: `node ${i} of the ${req.role} cell cannot read state ${bad.input}` },
          {
            help: {
              hint: `node ${i} reads states 0 to ${numInputs + i - 1} (the cell inputs, then earlier nodes)`,
            },
          },
        ),
      );
      return undefined;
    }
    wired.push({ ...node, from: mine.map((p) => p.input), keep });
  }
  return wired;
}

/** State indices of the `output` setting; the default is `concat(nodes)`. */
export function outputStates(
  evaluator: Evaluator,
  output: SettingNode | undefined,
  names: readonly string[],
  numInputs: number,
): number[] | undefined {
  if (!output) return names.map((_, i) => i).slice(numInputs);
  const expr = output.value;
  const refs = expr.kind === 'Call' ? expr.args.map((a) => a.value) : [expr];
  const out: number[] = [];
  for (const ref of refs) {
    if (ref.kind !== 'Reference' || ref.parts.length !== 1) {
      evaluator.report(
        diagnostic(
          'E0312',
          ref.span,
          { expected: 'a state of this cell', found: 'an expression' },
          { help: { hint: 'name inputs and nodes, or `nodes`' } },
        ),
      );
      return undefined;
    }
    const name = ref.parts[0]!.value;
    if (name === 'nodes') out.push(...names.map((_, i) => i).slice(numInputs));
    else if (names.includes(name)) out.push(names.indexOf(name));
    else {
      evaluator.report(
        diagnostic(
          'E0201',
          ref.span,
          { name, what: 'state' },
          {
            label: 'not an input or node of this cell',
            help: {
              suggestions: suggest(name, names),
              hint: `the states are ${names.map((n) => `\`${n}\``).join(', ')}`,
            },
          },
        ),
      );
      return undefined;
    }
  }
  return out;
}

/**
 * A genotype's concat, held to the cell it is applied to: at least one state, each an input
 * or a node of the cell (E0404); undefined after reporting.
 */
export function choiceConcat(
  evaluator: Evaluator,
  choice: CellChoice & { readonly concat: readonly number[] },
  role: string,
  states: number,
): readonly number[] | undefined {
  const span = choice.concatSpan ?? choice.span;
  const bad = choice.concat.find((s) => s < 0 || s >= states);
  if (choice.concat.length > 0 && bad === undefined) return choice.concat;
  const problem =
    bad === undefined
      ? `\`${role}_concat\` is empty`
      : `\`${role}_concat\` names state ${bad}, but the ${role} cell has states 0 to ${states - 1}`;
  const hint = `the states of the ${role} cell are 0 to ${states - 1} (its inputs, then its nodes); list those its output concatenates`;
  evaluator.report(diagnostic('E0404', span, { problem }, { help: { hint } }));
  return undefined;
}

export function concatTypes(
  evaluator: Evaluator,
  types: readonly TensorShape[],
  span: Span,
): TensorShape | undefined {
  const first = types[0];
  if (!first) return undefined;
  for (const t of types) {
    if (t.layout !== first.layout || spatialDims(t).join() !== spatialDims(first).join()) {
      evaluator.report(
        diagnostic(
          'E0304',
          span,
          {
            what: 'the states concatenated into the cell output',
            first: formatShape(first),
            other: formatShape(t),
          },
          { help: { hint: 'concatenated states must agree in everything but channels' } },
        ),
      );
      return undefined;
    }
  }
  const channels = types.reduce((s, t) => s + t.dims[t.dims.length - 1]!, 0);
  return { layout: first.layout, dims: [...spatialDims(first), channels] };
}

/** The common type of several, or undefined after reporting E0304. */
export function agree(
  evaluator: Evaluator,
  types: readonly TensorShape[],
  span: Span,
  what: string,
  hint: string,
): TensorShape | undefined {
  const first = types[0];
  const other = types.find((t) => !sameShape(t, first!));
  if (first && !other) return first;
  if (first && other)
    evaluator.report(
      diagnostic(
        'E0304',
        span,
        { what, first: formatShape(first), other: formatShape(other) },
        { help: { hint } },
      ),
    );
  return undefined;
}
