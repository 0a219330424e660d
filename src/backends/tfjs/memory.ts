import { diagnostic, type Diagnostic } from '../../diagnostics/Diagnostic.js';
import type { IrGraph } from '../../ir/graph.js';
import { graphParams, nodeWeights } from '../../ir/graph.js';
import { im2colKernels, kernels } from './kernels.js';
import type { Span } from '../../source/SourceFile.js';

/**
 * The wasm backend's heap is capped near 4 GB and never shrinks; past it a step dies with
 * `memory access out of bounds`. Before a run, the step's memory is estimated from the IR and
 * a batch that cannot fit is refused with a diagnostic naming one that does.
 *
 * Calibration (measured, one DARTS cell of 14 edges x 8 candidates on 16 x 16 x 16 inputs,
 * batches 4, 8, 16): the heap after a forward and backward pass was 8.8 to 9.2 times the
 * bytes of every node's float32 output; 10 is used, plus six copies of the weights (weights,
 * gradients, momentum, the second-order step's copy, Adam's two moments). Dense convolutions
 * also keep their im2col patches (k² times their input), counted three times (the patches,
 * their gradient, the concatenation): a user `conv2d` candidate crashed a step the
 * activations alone said would fit.
 */
export const wasmHeapLimit = 3.4e9;
const activationFactor = 10;

/** Estimated peak bytes of one search step at `batch`. */
export function estimateStepBytes(graph: IrGraph, batch: number): number {
  const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
  const activations = graph.nodes.reduce((sum, n) => sum + size(n.type.dims), 0);
  const patches = graph.nodes.reduce((sum, n) => {
    if (n.op === 'input' || n.op === 'mixed' || !im2colKernels.has(kernels[n.op])) return sum;
    // The filter [kh, kw, Cin, Cout]: each output position keeps kh·kw·Cin patch values.
    const [kh, kw, cin] = nodeWeights(graph, n)[0]!.shape as [number, number, number];
    return sum + 3 * size(n.type.dims.slice(0, -1)) * kh * kw * cin;
  }, 0);
  return 4 * batch * (activationFactor * activations + patches) + 6 * 4 * graphParams(graph, false);
}

/** The largest batch whose step fits under `limit` (0 when even one sample does not). */
export function largestBatch(graph: IrGraph, limit = wasmHeapLimit): number {
  const one = estimateStepBytes(graph, 1);
  const fixed = estimateStepBytes(graph, 0);
  return one > limit ? 0 : Math.floor((limit - fixed) / (one - fixed));
}

/** E0501 when a step at `batch` would not fit in the wasm heap; `span` is where the batch is set. */
export function checkWasmMemory(graph: IrGraph, batch: number, span: Span): Diagnostic | undefined {
  const bytes = estimateStepBytes(graph, batch);
  if (bytes <= wasmHeapLimit) return undefined;
  const fits = largestBatch(graph);
  return diagnostic(
    'E0501',
    span,
    { batch, gigabytes: Math.round(bytes / 1e8) / 10 },
    {
      help: { fits },
      notes: ['the estimate is per step, from every tensor the step keeps for its backward pass'],
    },
  );
}
