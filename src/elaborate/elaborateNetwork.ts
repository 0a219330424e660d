import { findSetting } from '../ast/findSetting.js';
import type { SettingNode, SpaceNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import { formatShape, sameShape, type TensorShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import { applyOp, bindParams, concreteType, type OpUse } from './applyOp.js';
import type { CellChoice } from './cellParts.js';
import { elaborateCell } from './elaborateCell.js';
import { expectInt, expectOp, type Evaluator } from './evaluate.js';
import type { AlphaTable, CellModel, NetworkModel } from './model.js';
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
  const { evaluator } = req;
  const symbol = req.space.symbol;
  if (symbol.decl.kind !== 'Space') {
    evaluator.report(
      diagnostic('E0410', req.space.span, {
        name: symbol.decl.name.value,
        what: `a ${symbol.decl.kind.toLowerCase()}`,
      }),
    );
    return undefined;
  }
  const decl = symbol.decl as SpaceNode;
  const module = symbol.module;
  const env = bindParams(
    evaluator,
    decl.name.value,
    decl.params ?? [],
    withOverrides(decl, req.space.args, req.overrides),
    req.space.span,
    module,
  );
  if (!env) return undefined;
  const signature = decl.signature;
  const { value: types, problems } = evaluator.quietly(
    () =>
      signature &&
      [signature.input, signature.output].map((t) =>
        t.kind === 'TensorType' ? concreteType(evaluator, t, env, module) : undefined,
      ),
  );
  if (!types?.[0] || !types[1]) {
    // An arithmetic problem in the type (division by zero, a zero size) is the better report.
    const arithmetic = problems.filter((d) => ['E0307', 'E0313', 'E0412'].includes(d.code));
    if (arithmetic.length) arithmetic.forEach((d) => evaluator.report(d));
    else
      evaluator.report(
        diagnostic('E0315', (signature ?? decl.name).span, { name: decl.name.value }),
      );
    return undefined;
  }
  const [input, output] = types as [TensorShape, TensorShape];
  // Say `Logits[10]` where the user wrote it, though it is a `Vec[10]` inside.
  const declaredOutput = formatShape(output).replace(
    /^Vec/,
    signature?.output.kind === 'TensorType' ? signature.output.name.value : 'Vec',
  );
  const affineDefault = req.mode === 'derived';
  const run = (key: 'stem' | 'head' | 'aux', from: TensorShape) => {
    const s = findSetting(decl.body, key);
    if (!s) return { output: from, uses: [] as OpUse[] };
    const op = expectOp(evaluator, evaluator.evaluate(s.value, module, env), s.value.span);
    return evaluator.atSite(
      s.value.span,
      () => op && applyOp(op, from, { evaluator, affineDefault }),
    );
  };
  const stem = run('stem', input);
  if (!stem) return undefined;
  const stack = stackPlan(evaluator, findSetting(decl.body, 'cells'), env, module);
  if (!stack) return undefined;

  const cells: CellModel[] = [];
  const outputs: { from: number; type: TensorShape }[] = [
    { from: -1, type: stem.output },
    { from: -1, type: stem.output },
  ];
  let C = stack.width;
  for (let i = 0; i < stack.count; i++) {
    const reduction = stack.at.includes(i);
    if (reduction) C *= 2;
    const role = reduction ? 'reduce' : 'normal';
    const choice = req.genotype?.get(role);
    if (req.mode === 'derived' && !choice) {
      evaluator.report(
        diagnostic(
          'E0404',
          req.space.span,
          { problem: `the genotype has no \`${role}\` cell` },
          { help: { hint: `add \`${role} [...]\` to the genotype` } },
        ),
      );
      return undefined;
    }
    const cellsSite = findSetting(decl.body, 'cells')?.value.span;
    const cell = evaluator.atSite(
      cellsSite,
      () =>
        elaborateCell({
          evaluator,
          cell: reduction ? stack.reduce! : stack.normal,
          role,
          index: i,
          C,
          inputs: outputs.slice(-2),
          mode: req.mode,
          ...(choice ? { choice } : {}),
        }),
      `in cell ${i} (${role}) of the stack`,
    );
    if (!cell) return undefined;
    cells.push(cell);
    outputs.push({ from: i, type: cell.output });
  }
  const last = outputs[outputs.length - 1]!.type;
  const head = run('head', last);
  if (!head) return undefined;
  if (!sameShape(head.output, output)) {
    evaluator.report(
      diagnostic('E0311', findSetting(decl.body, 'head')?.value.span ?? decl.name.span, {
        name: decl.name.value,
        declared: declaredOutput,
        found: formatShape(head.output),
      }),
    );
    return undefined;
  }
  // The auxiliary head is checked always, and kept only in a derived network that asks for it.
  let aux: NetworkModel['aux'];
  if (findSetting(decl.body, 'aux') && stack.at.length > 0) {
    const after = Math.max(...stack.at);
    const applied = run('aux', cells[after]!.output);
    if (!applied) return undefined;
    if (!(applied.output.layout === 'Vec' && sameShape(applied.output, output))) {
      evaluator.report(
        diagnostic('E0311', findSetting(decl.body, 'aux')!.value.span, {
          name: decl.name.value,
          declared: declaredOutput,
          found: formatShape(applied.output),
        }),
      );
      return undefined;
    }
    if (req.aux && req.mode === 'derived') aux = { after, uses: applied.uses };
  }
  return {
    space: decl.name.value,
    mode: req.mode,
    args: Object.fromEntries(
      [...env].flatMap(([k, v]) =>
        v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'string'
          ? [[k, v.value]]
          : [],
      ),
    ),
    input,
    output,
    stem: stem.uses,
    cells,
    head: head.uses,
    ...(aux ? { aux } : {}),
    tables: req.mode === 'search' ? alphaTables(cells) : [],
  };
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
  const normal = arg(1, 'normal');
  const reduce = arg(2, 'reduce');
  const atValue = arg(3, 'at');
  const widthValue = arg(4, 'width') ?? env.get('C');
  if (count === undefined || !normal) return undefined;
  if (!isCellArg(evaluator, normal, span(1, 'normal'))) return undefined;
  if (reduce && !isCellArg(evaluator, reduce, span(2, 'reduce'))) return undefined;
  const at: number[] = [];
  if (atValue) {
    if (atValue.kind !== 'list')
      return void evaluator.mismatch(atValue, 'a list of cell positions', span(3, 'at'));
    for (const item of atValue.items) {
      const position = expectInt(evaluator, item, span(3, 'at'), 'a cell position');
      if (position === undefined) return undefined;
      if (position < 0 || position >= count) {
        evaluator.report(
          diagnostic('E0403', span(3, 'at'), { position, count }, { help: { count } }),
        );
        return undefined;
      }
      if (at.includes(position)) evaluator.report(diagnostic('W0401', span(3, 'at'), { position }));
      else at.push(position);
    }
  }
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
  return { count, normal, ...(reduce && reduce.kind === 'decl' ? { reduce } : {}), at, width };
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
    });
  }
  return tables;
}
