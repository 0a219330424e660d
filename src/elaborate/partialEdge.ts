import { diagnostic } from '../diagnostics/Diagnostic.js';
import { channels, spatialDims, withDims, type TensorShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import { applyOp, type ApplyContext, type OpUse } from './applyOp.js';
import { syntheticOp } from './cellParts.js';
import type { Evaluator } from './evaluate.js';

/**
 * PC-DARTS' partial channel connection (yuhuixu1993/PC-DARTS `MixedOp`): the mixed op of an
 * edge sees only the first C/K channels of what the edge reads; the other channels bypass it
 * (through a 2x2 max pool with stride 2 on a strided edge); the two are concatenated and
 * shuffled in K groups. The candidates are built for C/K channels, so an edge holds about
 * 1/K of the weights and activations of a DARTS edge.
 */
export interface PartialEdge {
  readonly k: number;
  /** The first C/K channels: what the candidates read. */
  readonly head: readonly OpUse[];
  /** The other channels, pooled on a strided edge. */
  readonly bypass: readonly OpUse[];
  /** The channel shuffle of concat(mixed op, bypass). */
  readonly shuffle: readonly OpUse[];
  readonly output: TensorShape;
}

/** The partial-channel parts of an edge reading `reads`, or undefined after E0424. */
export function partialEdge(
  evaluator: Evaluator,
  reads: TensorShape,
  stride: number,
  k: number,
  site: { readonly span: Span; readonly cell: string },
): { edge: PartialEdge; sees: TensorShape } | undefined {
  const c = channels(reads);
  if (c % k !== 0 || c === k) {
    const what = `edges of a channel count divisible by \`k\` = ${k} into more than one part (an edge reads ${c})`;
    const problem = { method: 'pc_darts', cell: site.cell, what };
    const help = { hint: `choose \`k\` to divide ${c}, or widen the cell` };
    evaluator.report(diagnostic('E0424', site.span, problem, { help }));
    return undefined;
  }
  const ctx: ApplyContext = { evaluator, affineDefault: false };
  const op = (name: Parameters<typeof syntheticOp>[0], named: Record<string, number>) =>
    syntheticOp(name, named, site.span);
  const part = c / k;
  const head = applyOp(op('channel_slice', { start: 0, size: part }), reads, ctx, ['partial']);
  const rest = applyOp(op('channel_slice', { start: part, size: c - part }), reads, ctx, [
    'partial',
  ]);
  if (!head || !rest) return undefined;
  const pool =
    stride === 1
      ? undefined
      : applyOp(op('max_pool', { kernel: 2, stride: 2 }), rest.output, ctx, ['partial']);
  if (stride !== 1 && !pool) return undefined;
  const bypassed = pool?.output ?? rest.output;
  const joined = withDims(reads, spatialDims(bypassed), c);
  const shuffle = applyOp(op('channel_shuffle', { groups: k }), joined, ctx, ['partial']);
  if (!shuffle) return undefined;
  const edge = {
    k,
    head: head.uses,
    bypass: [...rest.uses, ...(pool?.uses ?? [])],
    shuffle: shuffle.uses,
    output: shuffle.output,
  };
  return { edge, sees: head.output };
}
