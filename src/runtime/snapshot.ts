import { tf, type Tensor, type Variable } from '../numerics/tf.js';
import type { Network } from '../backends/tfjs/network.js';
import type { Adam, Sgd } from './optim.js';

/**
 * A search or retrain state as plain named arrays: what a checkpoint file holds and what the
 * main thread and search workers send each other. Names are stable (`w:`, `s:`, `alpha:`,
 * `sgd:`, `adam.m:`, `adam.v:`), so a snapshot is matched to a network by name and shape.
 */
export interface TrainState {
  readonly net: Network;
  readonly sgd: Sgd;
  /** A retrain has no Adam. */
  readonly adam?: Adam;
}

interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface Snapshot {
  readonly tensors: readonly NamedArray[];
  readonly adamSteps: number;
}

/** Copies every tensor of the state out of the backend. */
export function takeSnapshot(state: TrainState): Snapshot {
  return {
    tensors: stateTensors(state).map(([name, t]) => ({
      name,
      shape: t.shape,
      data: Float32Array.from(t.dataSync() as Float32Array),
    })),
    adamSteps: state.adam?.t ?? 0,
  };
}

/** The first tensor of the state that the snapshot lacks or holds at another shape. */
export function snapshotMismatch(
  state: TrainState,
  shapes: ReadonlyMap<string, readonly number[]>,
): string | undefined {
  for (const [name, tensor] of stateTensors(state)) {
    const saved = shapes.get(name);
    if (!saved) return `has no \`${name}\``;
    if (saved.join() !== tensor.shape.join())
      return `has \`${name}\` of shape [${saved.join(', ')}], the network [${tensor.shape.join(', ')}]`;
  }
  return undefined;
}

/**
 * Writes a snapshot into a state built from the same graph (checked by `snapshotMismatch`):
 * the variables are assigned, the optimizer buffers replaced when the snapshot has them.
 */
export function restoreSnapshot(state: TrainState, snapshot: Snapshot): void {
  const byName = new Map(snapshot.tensors.map((t) => [t.name, t]));
  const read = (name: string) => {
    const t = byName.get(name)!;
    return tf.tensor(t.data, [...t.shape]);
  };
  const { net, sgd, adam } = state;
  for (const [name, v] of variables(net)) {
    const t = read(name);
    v.assign(t);
    t.dispose();
  }
  if (byName.has(`sgd:${net.weightNames[0]}`)) {
    tf.dispose(sgd.buffers ?? []);
    sgd.buffers = net.weightNames.map((n) => read(`sgd:${n}`));
  }
  if (adam && byName.has('adam.m:0')) {
    tf.dispose([...(adam.m ?? []), ...(adam.v ?? [])]);
    adam.m = net.alphas.map((_, i) => read(`adam.m:${i}`));
    adam.v = net.alphas.map((_, i) => read(`adam.v:${i}`));
  }
  if (adam) adam.t = snapshot.adamSteps;
}

/** The network's variables by stable name: weights, running statistics, α tables. */
function variables(net: Network): [string, Variable][] {
  return [
    ...net.weights.map((v, i): [string, Variable] => [`w:${net.weightNames[i]}`, v]),
    ...net.state.map((v, i): [string, Variable] => [`s:${net.stateNames[i]}`, v]),
    ...net.alphas.map((v, i): [string, Variable] => [`alpha:${net.graph.tables[i]!.name}`, v]),
  ];
}

/** Everything a snapshot holds, by name: the variables and the optimizers' state. */
function stateTensors(state: TrainState): [string, Tensor][] {
  const { net, sgd, adam } = state;
  return [
    ...variables(net),
    ...(sgd.buffers ?? []).map((b, i): [string, Tensor] => [`sgd:${net.weightNames[i]}`, b]),
    ...(adam?.m ?? []).map((m, i): [string, Tensor] => [`adam.m:${i}`, m]),
    ...(adam?.v ?? []).map((v, i): [string, Tensor] => [`adam.v:${i}`, v]),
  ];
}
