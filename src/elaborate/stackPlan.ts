import type { SettingNode } from '../ast/nodes.js';
import { diagnostic } from '../diagnostics/Diagnostic.js';
import type { Span } from '../source/SourceFile.js';
import { expectInt, type Evaluator } from './evaluate.js';
import { elaborationLimits } from './limits.js';
import { reductionPositions } from './reductions.js';
import type { Value } from './values.js';

/** What `cells stack(count, normal:, reduce:, at:, width:)` asks for, checked. */
export interface StackPlan {
  readonly count: number;
  readonly normal: Value & { kind: 'decl' };
  readonly reduce?: Value & { kind: 'decl' };
  /** Where the `reduce:` argument is written. */
  readonly reduceSpan?: Span;
  readonly at: readonly number[];
  readonly width: number;
  /** How far back the two states a cell reads are: [2, 1] (the two before it) unless `reads:`. */
  readonly reads: readonly [number, number];
}

/** The stack a `cells` setting describes, or undefined after reporting why not. */
export function stackPlan(
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
  const readsValue = arg(5, 'reads');
  const reads = readsValue ? distances(evaluator, readsValue, span(5, 'reads')) : [2, 1];
  if (!reads) return undefined;
  const reduction = reduce?.kind === 'decl' ? { reduce, reduceSpan: span(2, 'reduce') } : {};
  return { count, normal, ...reduction, at, width, reads: [reads[0]!, reads[1]!] };
}

/** `reads: [3, 1]`: two distances back, each at least 1. */
function distances(evaluator: Evaluator, v: Value, span: Span): number[] | undefined {
  if (v.kind !== 'list' || v.items.length !== 2) {
    return void evaluator.mismatch(v, 'a list of two distances such as `[2, 1]`', span);
  }
  const out = v.items.map((item) => expectInt(evaluator, item, span, 'a distance back', 1));
  return out.every((d) => d !== undefined) ? (out as number[]) : undefined;
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
