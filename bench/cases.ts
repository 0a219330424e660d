import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultWorkers } from '../src/runtime/workerEngine.js';

/**
 * What the bench measures: the search step of a 2-D and a 1-D DARTS network (first and
 * second order), their evaluation pass, and every DARTS candidate alone. The PyTorch side
 * gets the same sizes in its command (bench/reference/bench_torch.py).
 */

/** The repository root, from bench/ (ts, under vitest) or dist/bench/ (compiled). */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('dist', 'bench')) ? join(here, '..', '..') : join(here, '..');
}

/** A search network: its spec and the same network described to PyTorch. */
interface Net {
  readonly spec: string;
  readonly dims: 1 | 2;
  /** PyTorch's `cell` command: the input (channels first), C, cells, reductions, nodes. */
  readonly torch: Readonly<Record<string, unknown>>;
}

const net2d: Net = {
  spec: 'bench/cell2d.darts',
  dims: 2,
  torch: { dims: 2, input: [1, 28, 28], C: 8, layers: 3, reduce: [1, 2], nodes: 2, stem: 3 },
};
const net1d: Net = {
  spec: 'bench/cell1d.darts',
  dims: 1,
  torch: { dims: 1, input: [4, 256], C: 8, layers: 3, reduce: [1, 2], nodes: 2, stem: 3 },
};

/** The two search networks, for the engine comparison (bench/engines.ts). */
export const nets = [net2d, net1d] as const;

/** Search steps (α step then weight step) of a network. */
export interface StepCase {
  readonly kind: 'step';
  readonly name: string;
  readonly net: Net;
  readonly order: 'first' | 'second';
  /** Steps per round. */
  readonly steps: number;
  /** Worker threads: `default` is what `dartsc search` picks for the batch on this machine. */
  readonly workers: Workers;
}

type Workers = number | 'default';

/** Evaluation batches (eval mode, no gradient) of a network. */
export interface EvalCase {
  readonly kind: 'eval';
  readonly name: string;
  readonly net: Net;
  readonly steps: number;
  readonly workers: Workers;
}

/** One DARTS candidate alone: forward, then backward of sum(out * probe). */
export interface OpCase {
  readonly kind: 'op';
  readonly name: string;
  readonly dims: 1 | 2;
  readonly op: string;
  readonly stride: 1 | 2;
  readonly steps: number;
}

export type Case = StepCase | EvalCase | OpCase;

export const batch = 32;
/** The per-op input: batch 32, 16 channels, 14x14 (2-D) or length 128 (1-D). */
export const opChannels = 16;
export const opSize = { 2: [14, 14], 1: [128] } as const;

const ops2d = ['max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5'];
const ops1d = ['max_pool_3', 'avg_pool_3', 'skip_connect', 'sep_conv_3', 'sep_conv_5'];
const opNames = {
  2: ['none', ...ops2d, 'dil_conv_3x3', 'dil_conv_5x5'],
  1: ['none', ...ops1d, 'dil_conv_3', 'dil_conv_5'],
};

function opCases(dims: 1 | 2): OpCase[] {
  const stride1 = opNames[dims].map((op): OpCase => ({
    kind: 'op',
    name: `op-${dims}d/${op}`,
    dims,
    op,
    stride: 1,
    steps: 10,
  }));
  // skip_connect at stride 2 is FactorizedReduce, the one candidate that differs in kind.
  const reduce: OpCase = {
    kind: 'op',
    name: `op-${dims}d/skip_connect/s2`,
    dims,
    op: 'skip_connect',
    stride: 2,
    steps: 10,
  };
  return [...stride1, reduce];
}

/** Every case, in the order they run. */
const allCases: readonly Case[] = [
  { kind: 'step', name: 'cell-2d', net: net2d, order: 'first', steps: 4, workers: 'default' },
  { kind: 'step', name: 'cell-2d/1-worker', net: net2d, order: 'first', steps: 4, workers: 1 },
  { kind: 'step', name: 'cell-2d-2nd', net: net2d, order: 'second', steps: 2, workers: 'default' },
  { kind: 'step', name: 'cell-1d', net: net1d, order: 'first', steps: 4, workers: 'default' },
  { kind: 'step', name: 'cell-1d/1-worker', net: net1d, order: 'first', steps: 4, workers: 1 },
  { kind: 'step', name: 'cell-1d-2nd', net: net1d, order: 'second', steps: 2, workers: 'default' },
  { kind: 'eval', name: 'eval-2d', net: net2d, steps: 4, workers: 'default' },
  { kind: 'eval', name: 'eval-1d', net: net1d, steps: 4, workers: 'default' },
  ...opCases(2),
  ...opCases(1),
];

/** The worker threads of a case on this machine. */
export function workersOf(c: StepCase | EvalCase): number {
  return c.workers === 'default' ? defaultWorkers(batch) : c.workers;
}

/**
 * What runs on the cpu backend unless `--case` says otherwise: the ops and the evaluation
 * passes (a search step takes about a minute even on the 1-D network).
 */
const cpuDefault = (c: Case) => c.kind === 'op' || c.kind === 'eval';

/**
 * The cases a filter selects: its name, and the names that go on from it after `-` or `/`
 * (`cell-2d` is `cell-2d` and `cell-2d-2nd`, `op` every op, `op-1d` the 1-D ops).
 */
export function selectCases(filters: readonly string[], backend: string): Case[] {
  if (!filters.length) return allCases.filter((c) => backend !== 'cpu' || cpuDefault(c));
  const hit = (name: string, f: string) =>
    name === f || name.startsWith(f + '-') || name.startsWith(f + '/');
  return allCases.filter((c) => filters.some((f) => hit(c.name, f)));
}
