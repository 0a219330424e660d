import { findSetting } from '../ast/findSetting.js';
import type { SettingNode, SpaceNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import { formatShape, sameShape, type TensorShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import { applyOp, bindParams, concreteType, type OpUse } from './applyOp.js';
import type { CellChoice, CellRequest } from './cellParts.js';
import type { Module } from '../check/loadProgram.js';
import { elaborateCell } from './elaborateCell.js';
import { expectInt, expectOp, type Evaluator } from './evaluate.js';
import { elaborationLimits } from './limits.js';
import { reductionPositions, reportNonReducing } from './reductions.js';
import {
  countParams,
  networkParams,
  type AlphaTable,
  type CellModel,
  type EdgeModel,
  type NetworkModel,
} from './model.js';
import type { BoundArgs, Value } from './values.js';

/** What a network is elaborated from. */
export interface NetworkRequest {
  readonly evaluator: Evaluator;
  /** The space, as named in a search block or on the command line, with its arguments. */
  readonly space: Value & { kind: 'decl' };
  /** `--set NAME=VALUE` overrides, which win over the arguments. */
  readonly overrides?: ReadonlyMap<string, Value>;
  readonly mode: 'search' | 'derived';
  /** Derived networks: the genotype's choice per cell role. */
  readonly genotype?: ReadonlyMap<string, CellChoice>;
  /** Derived networks: include the auxiliary head. */
  readonly aux?: boolean;
}

/**
 * Elaborates a space into a network model: binds its parameters, runs the stem, stacks the
 * cells with the DARTS bookkeeping (C doubles at each reduction; each cell reads the outputs
 * of the two before it), runs the head, and checks every type on the way.
 */
export function elaborateNetwork(req: NetworkRequest): NetworkModel | undefined {
  const symbol = req.space.symbol;
  if (symbol.decl.kind !== 'Space') {
    req.evaluator.report(
      diagnostic('E0410', req.space.span, {
        name: symbol.decl.name.value,
        what: `a ${symbol.decl.kind.toLowerCase()}`,
      }),
    );
    return undefined;
  }
  const decl = symbol.decl as SpaceNode;
  const args = withOverrides(decl, req.space.args, req.overrides);
  const env = bindParams(
    req.evaluator,
    decl.name.value,
    decl.params ?? [],
    args,
    req.space.span,
    symbol.module,
  );
  if (!env) return undefined;
  // The op budget is per network: fresh for this one, and fresh again for what comes after.
  req.evaluator.opsLeft = elaborationLimits.ops;
  try {
    const network = new SpaceElaboration(req, decl, symbol.module, env).network();
    return network && withinParameterLimit(req.evaluator, network, decl);
  } finally {
    req.evaluator.opsLeft = elaborationLimits.ops;
  }
}

/** The network, unless its parameters (aux head included) pass the limit (E0417). */
function withinParameterLimit(
  evaluator: Evaluator,
  network: NetworkModel,
  decl: SpaceNode,
): NetworkModel | undefined {
  // Each count is a float sum of exact integers; below the limit (< 2^53) it is exact, and
  // above it the comparison still holds, since rounding never moves a sum below the limit.
  const total = networkParams(network) + (network.aux ? countParams(network.aux.uses) : 0);
  if (total <= elaborationLimits.parameters) return network;
  evaluator.report(
    diagnostic('E0417', decl.name.span, {
      space: decl.name.value,
      about: total.toPrecision(2),
      limit: elaborationLimits.parameters.toLocaleString('en-US'),
    }),
  );
  return undefined;
}

/** One space with its parameters bound, elaborated part by part. */
class SpaceElaboration {
  readonly affineDefault: boolean;

  constructor(
    readonly req: NetworkRequest,
    readonly decl: SpaceNode,
    readonly module: Module,
    readonly env: Map<string, Value>,
  ) {
    this.affineDefault = req.mode === 'derived';
  }

  network(): NetworkModel | undefined {
    const types = this.signature();
    if (!types) return undefined;
    const { input, output } = types;
    const stem = this.part('stem', input);
    if (!stem) return undefined;
    const stack = stackPlan(
      this.req.evaluator,
      findSetting(this.decl.body, 'cells'),
      this.env,
      this.module,
    );
    const cells = stack && this.cells(stack, stem.output);
    if (!cells) return undefined;
    reportNonReducing(this.req.evaluator, cells, stack!.reduceSpan);
    const head = this.part('head', cells[cells.length - 1]?.output ?? stem.output);
    if (!head || !this.returns('head', head.output, output)) return undefined;
    const aux = this.aux(stack!, cells, output);
    if (aux === null) return undefined;
    return {
      space: this.decl.name.value,
      mode: this.req.mode,
      args: plainArgs(this.env),
      input,
      output,
      stem: stem.uses,
      cells,
      head: head.uses,
      ...(aux ? { aux } : {}),
      tables: this.req.mode === 'search' ? alphaTables(cells) : [],
    };
  }

  /** The concrete input and output types of the signature (E0315, or its arithmetic problem). */
  signature(): { input: TensorShape; output: TensorShape } | undefined {
    const { evaluator } = this.req;
    const signature = this.decl.signature;
    const { value: types, problems } = evaluator.quietly(
      () =>
        signature &&
        [signature.input, signature.output].map((t) =>
          t.kind === 'TensorType' ? concreteType(evaluator, t, this.env, this.module) : undefined,
        ),
    );
    if (types?.[0] && types[1]) return { input: types[0], output: types[1] };
    // An arithmetic problem in the type (division by zero, a zero size) is the better report.
    const arithmetic = problems.filter((d) => ['E0307', 'E0313', 'E0412'].includes(d.code));
    if (arithmetic.length) arithmetic.forEach((d) => evaluator.report(d));
    else
      evaluator.report(
        diagnostic('E0315', (signature ?? this.decl.name).span, { name: this.decl.name.value }),
      );
    return undefined;
  }

  /** The `stem`, `head` or `aux` pipeline applied to `from` (nothing when the space has none). */
  part(key: 'stem' | 'head' | 'aux', from: TensorShape) {
    const { evaluator } = this.req;
    const s = findSetting(this.decl.body, key);
    if (!s) return { output: from, uses: [] as OpUse[] };
    const op = expectOp(
      evaluator,
      evaluator.evaluate(s.value, this.module, this.env),
      s.value.span,
    );
    const ctx = { evaluator, affineDefault: this.affineDefault };
    return evaluator.atSite(s.value.span, () => op && applyOp(op, from, ctx));
  }

  /** Whether a head gives the declared output type (E0311 when not). */
  returns(key: 'head' | 'aux', found: TensorShape, output: TensorShape): boolean {
    if (sameShape(found, output) && (key === 'head' || found.layout === 'Vec')) return true;
    const signature = this.decl.signature;
    // Say `Logits[10]` where the user wrote it, though it is a `Vec[10]` inside.
    const declared = formatShape(output).replace(
      /^Vec/,
      signature?.output.kind === 'TensorType' ? signature.output.name.value : 'Vec',
    );
    const span = findSetting(this.decl.body, key)?.value.span ?? this.decl.name.span;
    this.req.evaluator.report(
      diagnostic('E0311', span, {
        name: this.decl.name.value,
        declared,
        found: formatShape(found),
      }),
    );
    return false;
  }

  /** The stacked cells, each reading the outputs of the two before it (the stem's, first). */
  cells(stack: StackPlan, stem: TensorShape): CellModel[] | undefined {
    const cells: CellModel[] = [];
    const outputs = [
      { from: -1, type: stem },
      { from: -1, type: stem },
    ];
    let C = stack.width;
    for (let i = 0; i < stack.count; i++) {
      const reduction = stack.at.includes(i);
      if (reduction) C *= 2;
      const cell = this.cell(i, reduction ? 'reduce' : 'normal', stack, C, outputs.slice(-2));
      if (!cell) return undefined;
      cells.push(cell);
      outputs.push({ from: i, type: cell.output });
    }
    return cells;
  }

  cell(index: number, role: string, stack: StackPlan, C: number, inputs: CellRequest['inputs']) {
    const { evaluator, mode } = this.req;
    const choice = this.req.genotype?.get(role);
    if (mode === 'derived' && !choice) {
      const problem = { problem: `the genotype has no \`${role}\` cell` };
      const help = { help: { hint: `add \`${role} [...]\` to the genotype` } };
      evaluator.report(diagnostic('E0404', this.req.space.span, problem, help));
      return undefined;
    }
    const cell = role === 'reduce' ? stack.reduce! : stack.normal;
    const request = {
      evaluator,
      cell,
      role,
      index,
      C,
      inputs,
      mode,
      ...(choice ? { choice } : {}),
    };
    const site = findSetting(this.decl.body, 'cells')?.value.span;
    const context = `in cell ${index} (${role}) of the stack`;
    return evaluator.atSite(site, () => elaborateCell(request), context);
  }

  /**
   * The auxiliary head after the last reduction: checked always, kept only in a derived
   * network that asks for it. `null` after an error.
   */
  aux(
    stack: StackPlan,
    cells: readonly CellModel[],
    output: TensorShape,
  ): NetworkModel['aux'] | null {
    if (!findSetting(this.decl.body, 'aux') || stack.at.length === 0) return undefined;
    const after = Math.max(...stack.at);
    const applied = this.part('aux', cells[after]!.output);
    if (!applied || !this.returns('aux', applied.output, output)) return null;
    return this.req.aux && this.req.mode === 'derived' ? { after, uses: applied.uses } : undefined;
  }
}

/** The plain values of a space's bound parameters (what `inspect` shows). */
function plainArgs(env: ReadonlyMap<string, Value>): NetworkModel['args'] {
  return Object.fromEntries(
    [...env].flatMap(([k, v]) =>
      v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'string'
        ? [[k, v.value]]
        : [],
    ),
  );
}

function withOverrides(
  decl: SpaceNode,
  args: BoundArgs,
  overrides?: ReadonlyMap<string, Value>,
): BoundArgs {
  if (!overrides?.size) return args;
  const named = new Map(args.named);
  (decl.params ?? []).forEach((p, i) => {
    const positional = args.positional[i];
    if (positional) named.set(p.name.value, positional);
  });
  for (const [k, v] of overrides) named.set(k, v);
  return { positional: [], named, spans: args.spans };
}

interface StackPlan {
  readonly count: number;
  readonly normal: Value & { kind: 'decl' };
  readonly reduce?: Value & { kind: 'decl' };
  /** Where the `reduce:` argument is written. */
  readonly reduceSpan?: Span;
  readonly at: readonly number[];
  readonly width: number;
}

function stackPlan(
  evaluator: Evaluator,
  cells: SettingNode | undefined,
  env: Map<string, Value>,
  module: Parameters<Evaluator['evaluate']>[1],
): StackPlan | undefined {
  if (!cells) return undefined;
  const v = evaluator.evaluate(cells.value, module, env);
  if (v.kind !== 'call' || v.name !== 'stack') {
    evaluator.mismatch(
      v,
      '`stack(...)`',
      cells.value.span,
      'write `cells stack(layers, normal: Cell, reduce: Cell, at: [positions])`',
    );
    return undefined;
  }
  const arg = (i: number, name: string) => v.args.positional[i] ?? v.args.named.get(name);
  const span = (i: number, name: string): Span =>
    v.args.spans.get(i) ?? v.args.spans.get(name) ?? v.span;
  const count = expectInt(evaluator, arg(0, 'count')!, span(0, 'count'), 'a cell count', 1);
  if (count !== undefined && count > elaborationLimits.cells) {
    const limit = elaborationLimits.cells;
    evaluator.report(diagnostic('E0415', span(0, 'count'), { found: count, limit }));
    return undefined;
  }
  const normal = arg(1, 'normal');
  const reduce = arg(2, 'reduce');
  const atValue = arg(3, 'at');
  const widthValue = arg(4, 'width') ?? env.get('C');
  if (count === undefined || !normal) return undefined;
  if (!isCellArg(evaluator, normal, span(1, 'normal'))) return undefined;
  if (reduce && !isCellArg(evaluator, reduce, span(2, 'reduce'))) return undefined;
  const at = atValue ? reductionPositions(evaluator, atValue, span(3, 'at'), count) : [];
  if (!at) return undefined;
  if (at.length > 0 && !reduce) {
    evaluator.report(diagnostic('E0409', v.span, {}));
    return undefined;
  }
  if (!widthValue) {
    evaluator.report(
      diagnostic(
        'E0221',
        v.span,
        { callee: 'stack', name: 'width' },
        { help: { example: 'stack(..., width: 16)' } },
      ),
    );
    return undefined;
  }
  const width = expectInt(evaluator, widthValue, span(4, 'width'), 'a channel count', 1);
  if (width === undefined) return undefined;
  const reduction = reduce?.kind === 'decl' ? { reduce, reduceSpan: span(2, 'reduce') } : {};
  return { count, normal, ...reduction, at, width };
}

/** A `stack` cell argument must be a declaration (its kind is checked when it is resolved). */
function isCellArg(evaluator: Evaluator, v: Value, span: Span): v is Value & { kind: 'decl' } {
  if (v.kind === 'decl') return true;
  if (v.kind === 'op' && v.op.kind !== 'compose') {
    const name = v.op.kind === 'primitive' ? v.op.symbol.decl.name.value : v.op.name;
    const what = v.op.kind === 'primitive' ? 'a primitive' : 'an intrinsic op';
    evaluator.report(diagnostic('E0406', span, { name, what }));
  } else evaluator.mismatch(v, 'a cell', span);
  return false;
}

/**
 * Per candidate column, whether it has no weights: judged on a stride-1 edge when there is one
 * (a strided `skip_connect` is a factorized reduce, which has weights).
 */
function parameterFree(edges: readonly EdgeModel[]): boolean[] {
  const edge = edges.find((e) => e.stride === 1) ?? edges[0];
  return edge?.candidates.map((c) => countParams(c.uses) === 0) ?? [];
}

/** One α table per role, laid out from the first cell of that role. */
function alphaTables(cells: readonly CellModel[]): AlphaTable[] {
  const tables: AlphaTable[] = [];
  for (const cell of cells) {
    if (tables.some((t) => t.role === cell.role)) continue;
    const edges = cell.nodes.flatMap((n) => n.edges);
    tables.push({
      role: cell.role,
      cell: cell.name,
      rows: edges.length,
      columns: edges[0]?.candidates.map((c) => ({ name: c.name, excluded: c.excluded })) ?? [],
      keep: cell.keep,
      nodeEdges: cell.nodes.map((n) => n.edges.map((e) => e.from)),
      numInputs: cell.inputs.length,
      concat: cell.concat,
      parameterFree: parameterFree(edges),
    });
  }
  return tables;
}
