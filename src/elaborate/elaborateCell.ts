import { findSetting } from '../ast/findSetting.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import { spatialDims, formatShape, sameShape, type TensorShape } from '../intrinsics/tensorType.js';
import { partialEdge } from './partialEdge.js';
import type { Span } from '../source/SourceFile.js';
import { applyOp, bindParams, type Applied, type ApplyContext } from './applyOp.js';
import { expectOp, type Evaluator } from './evaluate.js';
import type { CandidateModel, CellModel, EdgeModel, NodeModel } from './model.js';
import { CellSignature } from './cellSignature.js';
import { cellInputs } from '../check/scope.js';
import {
  agree,
  concatTypes,
  choiceConcat,
  nodeWiring,
  outputStates,
  preprocess,
  syntheticOp,
  type CellChoice,
  type CellRequest,
  type ResolvedCell,
} from './cellParts.js';
import { reportUnusedStates } from './unusedStates.js';
import type { CellSymbol, OpValue, Value } from './values.js';

/** Resolves aliases and binds `C`; reports E0406/E0408 and returns undefined on failure. */
function resolveCell(
  evaluator: Evaluator,
  value: Value & { kind: 'decl' },
  C: number,
): ResolvedCell | undefined {
  let current: Value = value;
  let reducing = false;
  let implicit: ReadonlyMap<string, Value> | undefined = new Map([
    ['C', { kind: 'int', value: C }],
  ]);
  const seen: string[] = [];
  for (;;) {
    if (current.kind !== 'decl' || current.symbol.decl.kind !== 'Cell') {
      if (current.kind === 'decl') {
        evaluator.report(
          diagnostic('E0406', current.span, {
            name: current.symbol.decl.name.value,
            what: `a ${current.symbol.decl.kind.toLowerCase()}`,
          }),
        );
      } else evaluator.mismatch(current, 'a cell', value.span);
      return undefined;
    }
    const symbol = current.symbol as CellSymbol;
    const decl = symbol.decl;
    if (seen.includes(decl.name.value)) {
      const cycle = [...seen.slice(seen.indexOf(decl.name.value)), decl.name.value];
      evaluator.report(diagnostic('E0401', decl.name.span, { cycle }));
      return undefined;
    }
    seen.push(decl.name.value);
    if (implicit && !(decl.params ?? []).some((p) => p.name.value === 'C')) {
      evaluator.report(
        diagnostic(
          'E0408',
          current.span,
          { cell: decl.name.value },
          { labels: [{ span: decl.name.span, message: 'declared here' }] },
        ),
      );
      return undefined;
    }
    const env = bindParams(
      evaluator,
      decl.name.value,
      decl.params ?? [],
      current.args,
      current.span,
      symbol.module,
      implicit,
    );
    if (!env) return undefined;
    if (decl.body.kind === 'Block')
      return { decl: decl as ResolvedCell['decl'], module: symbol.module, env, reducing };
    reducing ||= decl.body.reducing;
    current = evaluator.evaluate(decl.body.base, symbol.module, env);
    if (current.kind === 'decl') current = { ...current, span: decl.body.base.span };
    implicit = undefined;
  }
}

/** Elaborates one cell of a stack into its model; undefined when an error was reported. */
export function elaborateCell(req: CellRequest): CellModel | undefined {
  const { evaluator } = req;
  const resolved = resolveCell(evaluator, req.cell, req.C);
  if (!resolved) return undefined;
  const { decl, module, env } = resolved;
  const inputNames = cellInputs(decl);
  // A stack offers the outputs of the two previous cells; a one-input cell reads the last.
  const inputs = inputNames.map(
    (_, i) => req.inputs[req.inputs.length - inputNames.length + i] ?? req.inputs[0]!,
  );
  // An alias's types differ from its base's (a reducing one halves them): only a cell's own
  // body is checked against its own signature.
  const signature =
    req.cell.symbol.decl === decl ? new CellSignature(evaluator, decl, module, env) : undefined;
  if (signature && !signature.inputs(inputs.map((i) => i.type))) return undefined;
  const pre = preprocess(req, resolved, inputs);
  if (!pre) return undefined;
  const states: TensorShape[] = pre.map((p) => p.output);

  const candidates = candidateOps(req, resolved);
  if (!candidates) return undefined;
  const wiring = nodeWiring(req, resolved, inputNames.length);
  if (!wiring) return undefined;

  const nodes = elaborateNodes(req, resolved, candidates, wiring, states);
  if (!nodes) return undefined;
  const names = [...inputNames, ...nodes.map((n) => n.name)];

  const concat = req.choice?.concat
    ? choiceConcat(evaluator, { ...req.choice, concat: req.choice.concat }, req.role, names.length)
    : outputStates(evaluator, findSetting(decl.body, 'output'), names, inputNames.length);
  if (!concat) return undefined;
  if (req.mode === 'search' && req.cell.symbol.decl === decl)
    reportUnusedStates(evaluator, decl, names, inputNames.length, wiring, concat);
  const output = concatTypes(
    evaluator,
    concat.map((s) => states[s]!),
    findSetting(decl.body, 'output')?.value.span ?? decl.name.span,
  );
  if (!output) return undefined;
  if (signature && !signature.output(output)) return undefined;
  return {
    index: req.index,
    name: req.cell.symbol.decl.name.value,
    role: req.role,
    reducing: resolved.reducing,
    C: req.C,
    keep: wiring[0]?.keep ?? 0,
    inputs: inputs.map((input, i) => ({
      from: input.from,
      type: input.type,
      preprocess: pre[i]!.uses,
      state: states[i]!,
    })),
    nodes,
    concat,
    output,
  };
}

/**
 * The nodes of a cell: each sums one edge per input state of its wiring (all candidates in
 * the supernet, the genotype's choice when derived). Pushes each node's type onto `states`.
 */
function elaborateNodes(
  req: CellRequest,
  cell: ResolvedCell,
  candidates: readonly NamedOp[],
  wiring: NonNullable<ReturnType<typeof nodeWiring>>,
  states: TensorShape[],
): NodeModel[] | undefined {
  const numInputs = states.length;
  const nodes: NodeModel[] = [];
  let row = 0;
  for (const [i, node] of wiring.entries()) {
    const edges: EdgeModel[] = [];
    for (const [k, from] of node.from.entries()) {
      // Reducing cells stride the edges that read the cell inputs (spatial ones).
      const reads = states[from]!;
      const stride = cell.reducing && from < numInputs && spatialDims(reads).length > 0 ? 2 : 1;
      const chosen: readonly (NamedOp | undefined)[] = req.choice
        ? [chosenOp(req, candidates, req.choice.pairs[i * node.from.length + k]!)]
        : candidates;
      if (chosen.includes(undefined)) return undefined;
      const edge = partialOf(req, reads, stride, node.span);
      if (edge === null) return undefined;
      const C = edge ? req.C / edge.edge.k : req.C;
      const models = edgeCandidates(req, chosen as NamedOp[], edge?.sees ?? reads, stride, C);
      if (!models) return undefined;
      const at = req.mode === 'search' ? { row: row++ } : {};
      edges.push({
        from,
        stride,
        ...at,
        ...(edge ? { partial: edge.edge } : {}),
        candidates: models,
      });
    }
    const type = agree(
      req.evaluator,
      edges.map((e) => e.partial?.output ?? e.candidates[0]!.output),
      node.span,
      `the edges into node \`${node.name}\``,
      'every edge into a node must give the same type; reduce only the edges that read the cell inputs',
    );
    if (!type) return undefined;
    nodes.push({ name: node.name, edges, type });
    states.push(type);
  }
  return nodes;
}

/** PC-DARTS' parts of a supernet edge; undefined for a whole edge, null after an error. */
function partialOf(req: CellRequest, reads: TensorShape, stride: number, span: Span) {
  if (!req.partial || req.mode !== 'search') return undefined;
  const cell = req.cell.symbol.decl.name.value;
  return partialEdge(req.evaluator, reads, stride, req.partial, { span, cell }) ?? null;
}

/**
 * One candidate on an edge: the primitive with `C` and the edge's `stride` bound, and in the
 * search supernet the non-affine batch norm that `@bn_after_in_search` asks for.
 */
function candidate(
  req: CellRequest,
  cand: NamedOp,
  input: TensorShape,
  stride: number,
  ctx: ApplyContext,
): Applied | undefined {
  if (stride !== 1 && !cand.takesStride) {
    req.evaluator.report(diagnostic('E0407', cand.span, { name: cand.name }));
    return undefined;
  }
  const applied = req.evaluator.atSite(
    cand.span,
    () => applyOp(cand.op, input, ctx, []),
    `in candidate \`${cand.name}\` on an edge with stride ${stride} reading \`${formatShape(input)}\``,
  );
  if (!applied || !(cand.bnAfter && req.mode === 'search')) return applied;
  const bn = applyOp(syntheticOp('batch_norm', { affine: false }, cand.span), applied.output, ctx, [
    cand.name,
  ]);
  return bn && { output: bn.output, uses: [...applied.uses, ...bn.uses] };
}

/** A named candidate op and where it is listed. */
interface NamedOp {
  readonly name: string;
  readonly op: OpValue;
  readonly span: Span;
  readonly excluded: boolean;
  readonly bnAfter: boolean;
  readonly takesStride: boolean;
}

function candidateOps(req: CellRequest, cell: ResolvedCell): NamedOp[] | undefined {
  const ops = findSetting(cell.decl.body, 'ops');
  if (!ops) return undefined;
  const value = req.evaluator.evaluate(ops.value, cell.module, cell.env);
  if (value.kind !== 'list') {
    req.evaluator.mismatch(value, 'a list of primitives', ops.value.span);
    return undefined;
  }
  if (value.items.length === 0) {
    req.evaluator.report(diagnostic('E0405', ops.value.span, { cell: cell.decl.name.value }));
    return undefined;
  }
  const spans = ops.value.kind === 'List' ? ops.value.elements.map((e) => e.span) : [];
  const out: NamedOp[] = [];
  for (const [i, item] of value.items.entries()) {
    const span = spans[i] ?? ops.value.span;
    const op = expectOp(req.evaluator, item, span);
    if (!op) return undefined;
    if (op.kind === 'compose') {
      req.evaluator.mismatch(
        item,
        'a named primitive',
        span,
        'declare the pipeline as a `primitive` so that genotypes can name it',
      );
      return undefined;
    }
    const annotations =
      op.kind === 'primitive' ? op.symbol.decl.annotations.map((a) => a.name.value) : [];
    const name = op.kind === 'primitive' ? op.symbol.decl.name.value : op.name;
    const takesStride =
      op.kind === 'primitive' &&
      (op.symbol.decl.params ?? []).some((p) => p.name.value === 'stride');
    const earlier = out.find((o) => o.name === name);
    if (earlier) {
      req.evaluator.report(
        diagnostic(
          'E0411',
          span,
          { name },
          { labels: [{ span: earlier.span, message: 'first listed here' }] },
        ),
      );
      return undefined;
    }
    out.push({
      name,
      op,
      span,
      excluded: annotations.includes('excluded_from_genotype'),
      bnAfter: annotations.includes('bn_after_in_search'),
      takesStride,
    });
  }
  return out;
}

function chosenOp(
  req: CellRequest,
  candidates: readonly NamedOp[],
  pair: CellChoice['pairs'][number],
): NamedOp | undefined {
  const found = candidates.find((c) => c.name === pair.op);
  if (!found) {
    req.evaluator.report(
      diagnostic(
        'E0404',
        pair.span,
        { problem: `\`${pair.op}\` is not a candidate of the ${req.role} cell` },
        {
          help: { hint: `the candidates are ${candidates.map((c) => `\`${c.name}\``).join(', ')}` },
        },
      ),
    );
  }
  return found;
}

function edgeCandidates(
  req: CellRequest,
  ops: readonly NamedOp[],
  input: TensorShape,
  stride: number,
  C: number,
): CandidateModel[] | undefined {
  const models: CandidateModel[] = [];
  const implicit = new Map<string, Value>([
    ['C', { kind: 'int', value: C }],
    ['stride', { kind: 'int', value: stride }],
  ]);
  const ctx = { evaluator: req.evaluator, affineDefault: req.mode === 'derived', implicit };
  for (const cand of ops) {
    const applied = candidate(req, cand, input, stride, ctx);
    if (!applied) return undefined;
    const first = models[0];
    if (first && !sameShape(first.output, applied.output)) {
      req.evaluator.report(
        diagnostic(
          'E0303',
          cand.span,
          {
            first: first.name,
            firstType: formatShape(first.output),
            other: cand.name,
            otherType: formatShape(applied.output),
          },
          {
            labels: [{ span: ops[0]!.span, message: `gives \`${formatShape(first.output)}\`` }],
            notes: [`on an edge with stride ${stride} reading \`${formatShape(input)}\``],
          },
        ),
      );
      return undefined;
    }
    models.push({
      name: cand.name,
      uses: applied.uses,
      output: applied.output,
      excluded: cand.excluded,
    });
  }
  return models;
}
