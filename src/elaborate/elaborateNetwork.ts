import { findSetting } from '../ast/findSetting.js';
import { spaceStems } from '../ast/spaceStems.js';
import type { SettingNode, SpaceNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import { formatShape, sameShape, type TensorShape } from '../intrinsics/tensorType.js';
import { applyOp, bindParams, concreteType, type OpUse } from './applyOp.js';
import type { CellChoice, CellRequest } from './cellParts.js';
import type { Module } from '../check/loadProgram.js';
import { elaborateCell } from './elaborateCell.js';
import { expectOp, type Evaluator } from './evaluate.js';
import { elaborationLimits } from './limits.js';
import { reportNonReducing } from './reductions.js';
import { stackPlan, type StackPlan } from './stackPlan.js';
import {
  countParams,
  networkParams,
  type AlphaTable,
  type CellModel,
  type EdgeModel,
  type NetworkModel,
  type StemModel,
} from './model.js';
import { describePart, readStates, type Readable, type SpaceState } from './spaceStates.js';
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
  /** Search supernets of PC-DARTS: the mixed ops see 1/`partial` of each edge's channels. */
  readonly partial?: number;
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
    const named = new Map<string, SpaceState>([
      ['input', { from: { kind: 'input' }, type: input }],
    ]);
    const stems = this.stems(named);
    if (!stems) return undefined;
    const stack = stackPlan(
      this.req.evaluator,
      findSetting(this.decl.body, 'cells'),
      this.env,
      this.module,
    );
    const first = stack && this.read('cells', { named, cells: [] }, firstCellInputs(named));
    const cells = first && this.cells(stack, first);
    if (!cells) return undefined;
    reportNonReducing(this.req.evaluator, cells, stack!.reduceSpan);
    const last = cells[cells.length - 1]?.output ?? first![first!.length - 1]!.type;
    if (findSetting(this.decl.body, 'head')?.from) return this.headFromRefused(cells);
    const head = this.part('head', last);
    if (!head || !this.returns('head', head.output, output)) return undefined;
    const aux = this.aux(stack!, cells, output);
    if (aux === null) return undefined;
    return {
      space: this.decl.name.value,
      mode: this.req.mode,
      args: plainArgs(this.env),
      input,
      output,
      stems,
      cells,
      head: head.uses,
      ...(aux ? { aux } : {}),
      tables: this.req.mode === 'search' ? alphaTables(cells) : [],
    };
  }

  /** The stems in order, each reading `input` or an earlier stem; each joins `named`. */
  stems(named: Map<string, SpaceState>): StemModel[] | undefined {
    const stems: StemModel[] = [];
    for (const setting of spaceStems(this.decl)) {
      const input = named.get('input')!;
      const from = this.read(setting.key.value, { named, cells: [] }, [input]);
      if (!from) return undefined;
      if (from.length !== 1)
        return this.refuseCount(setting, 'a stem reads one state', 'one state');
      const applied = this.part(setting.key.value, from[0]!.type);
      if (!applied) return undefined;
      const name = setting.key.value;
      const stem = {
        name,
        from: from[0]!.from,
        uses: applied.uses,
        input: from[0]!.type,
        output: applied.output,
      };
      named.set(name, { from: { kind: 'stem', index: stems.length }, type: stem.output });
      stems.push(stem);
    }
    return stems;
  }

  /** The states a part's `from` names (`fallback` without one), or undefined after E0423. */
  read(key: string, readable: Readable, fallback: readonly SpaceState[]) {
    const { evaluator } = this.req;
    const ctx = { evaluator, module: this.module, env: this.env, space: this.decl };
    return readStates(ctx, findSetting(this.decl.body, key), readable, fallback);
  }

  /** E0423 for a `from` clause with the wrong number of states. */
  refuseCount(setting: SettingNode, why: string, states: string): undefined {
    const span = setting.from![setting.from!.length - 1]!.span;
    const part = describePart(setting.key.value);
    const problem = { part, state: `${setting.from!.length} states`, why };
    this.req.evaluator.report(diagnostic('E0423', span, problem, { help: { states } }));
    return undefined;
  }

  /** The head always reads the last cell; `aux ... from N` is the head placed elsewhere. */
  headFromRefused(cells: readonly CellModel[]): undefined {
    const setting = findSetting(this.decl.body, 'head')!;
    const problem = { part: 'the head', state: 'another state', why: 'it reads the last cell' };
    const help = {
      states: `only cell ${cells.length - 1}; to read an earlier one, add \`aux ... from N\``,
    };
    this.req.evaluator.report(diagnostic('E0423', setting.from![0]!.span, problem, { help }));
    return undefined;
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

  /** A stem, `head` or `aux` pipeline applied to `from` (nothing when the space has none). */
  part(key: string, from: TensorShape) {
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

  /**
   * The stacked cells, each reading the outputs of the two before it (`first`, first), or the
   * two `reads:` names by distance back.
   */
  cells(stack: StackPlan, first: readonly SpaceState[]): CellModel[] | undefined {
    if (first.length > 2) {
      const cellsSetting = findSetting(this.decl.body, 'cells')!;
      return this.refuseCount(cellsSetting, 'a cell reads two states', 'one or two states');
    }
    const cells: CellModel[] = [];
    const outputs = first.length === 1 ? [first[0]!, first[0]!] : [...first];
    let C = stack.width;
    for (let i = 0; i < stack.count; i++) {
      const reduction = stack.at.includes(i);
      if (reduction) C *= 2;
      // States before the first are the first cell's inputs: `reads` far back starts there.
      const inputs = stack.reads.map((k) => outputs[Math.max(0, outputs.length - k)]!);
      const cell = this.cell(i, reduction ? 'reduce' : 'normal', stack, C, inputs);
      if (!cell) return undefined;
      cells.push(cell);
      outputs.push({ from: { kind: 'cell', index: i }, type: cell.output });
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
      ...(this.req.partial ? { partial: this.req.partial } : {}),
    };
    const site = findSetting(this.decl.body, 'cells')?.value.span;
    const context = `in cell ${index} (${role}) of the stack`;
    return evaluator.atSite(site, () => elaborateCell(request), context);
  }

  /**
   * The auxiliary head, after the cell its `from` names or else the last reduction: checked
   * always, kept only in a derived network that asks for it. `null` after an error.
   */
  aux(
    stack: StackPlan,
    cells: readonly CellModel[],
    output: TensorShape,
  ): NetworkModel['aux'] | null {
    const setting = findSetting(this.decl.body, 'aux');
    if (!setting || (stack.at.length === 0 && !setting.from)) return undefined;
    const states = cells.map((c) => ({
      from: { kind: 'cell', index: c.index } as const,
      type: c.output,
    }));
    const fallback = setting.from ? [] : [states[Math.max(...stack.at)]!];
    const read = this.read('aux', { named: new Map(), cells: states }, fallback);
    if (!read) return null;
    if (read.length !== 1)
      return this.refuseCount(setting, 'an auxiliary head reads one cell', 'one cell') ?? null;
    const after = (read[0]!.from as { index: number }).index;
    const applied = this.part('aux', read[0]!.type);
    if (!applied || !this.returns('aux', applied.output, output)) return null;
    return this.req.aux && this.req.mode === 'derived' ? { after, uses: applied.uses } : undefined;
  }
}

/** Without `from`, the first cell reads the last two stems (one stem twice; else the input). */
function firstCellInputs(named: ReadonlyMap<string, SpaceState>): SpaceState[] {
  return [...named.values()].slice(named.size > 2 ? -2 : -1);
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

/**
 * Per candidate column, whether it has no weights: judged on a stride-1 edge when there is one
 * (a strided `skip_connect` is a factorized reduce, which has weights).
 */
function parameterFree(edges: readonly EdgeModel[]): boolean[] {
  const edge = edges.find((e) => e.stride === 1) ?? edges[0];
  return edge?.candidates.map((c) => countParams(c.uses) === 0) ?? [];
}

/**
 * One α table per role, laid out from the first cell of that role; with PC-DARTS' partial
 * edges, a table of edge weights β after it (one per edge, `ROLE.edges`).
 */
function alphaTables(cells: readonly CellModel[]): AlphaTable[] {
  const tables: AlphaTable[] = [];
  for (const cell of cells) {
    if (tables.some((t) => t.role === cell.role)) continue;
    const edges = cell.nodes.flatMap((n) => n.edges);
    const table = {
      role: cell.role,
      cell: cell.name,
      rows: edges.length,
      columns: edges[0]?.candidates.map((c) => ({ name: c.name, excluded: c.excluded })) ?? [],
      keep: cell.keep,
      nodeEdges: cell.nodes.map((n) => n.edges.map((e) => e.from)),
      numInputs: cell.inputs.length,
      concat: cell.concat,
      parameterFree: parameterFree(edges),
    };
    tables.push(table);
    if (edges.some((e) => e.partial)) {
      const beta = [{ name: 'β', excluded: false }];
      tables.push({
        ...table,
        role: `${cell.role}.edges`,
        columns: beta,
        parameterFree: [false],
        edgesOf: cell.role,
      });
    }
  }
  return tables;
}
