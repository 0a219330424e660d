import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { torchProgram } from '../../backends/pytorch/torchProgram.js';
import type { SearchConfig } from '../../elaborate/searchConfig.js';
import type { IrGraph } from '../../ir/graph.js';
import { writeFileDurable } from '../../util/durableFile.js';
import { metrics } from '../batches.js';
import type { Dataset, Splits } from '../data.js';
import type { RetrainConfig, RetrainEngine } from '../retrain.js';
import type { SearchEngine, SearchState } from '../search.js';
import { restoreSnapshot, takeSnapshot, type TrainState } from '../snapshot.js';
import { writeNpy } from './npyFile.js';
import { findTorch } from './python.js';
import { readStateFiles, writeStateFiles } from './stateFiles.js';
import { TorchRanks } from './torchRanks.js';

/**
 * The PyTorch engine (docs/engines.md): dartsc lowers the IR to a PyTorch program, writes it
 * with the data (as .npy, from dartsc's own loaders) and the current state into a folder,
 * and runs it in `nproc` processes. The search loop stays dartsc's (order, seeds, reports,
 * checkpoints, resume): each step is one command the ranks compute, and `sync` brings their
 * state back into dartsc's network, so the run directory is written as for a native run.
 */
export interface TorchOptions {
  /** Where the program, its data and the exchanged state live (`RUN/pytorch`). */
  readonly dir: string;
  readonly nproc: number;
  readonly device: 'cpu' | 'cuda';
  /** The interpreter found with torch (`findTorch`); found again when absent. */
  readonly python?: string;
}

/** The settings a program embeds: a search's, or the defaults of a retrain (which sends its own). */
export function programConfig(config: SearchConfig) {
  const { data: _data, method: _method, ...rest } = config;
  return rest;
}

/**
 * Writes the program folder: `program.py`, `data/` (x.npy, y.npy, splits.json, and `init`,
 * the state to start from). The data is written once per folder.
 */
export function writeProgramDir(
  dir: string,
  graph: IrGraph,
  data: Dataset,
  settings: { config: Record<string, unknown>; origin: string; splits?: Splits },
  state: TrainState,
): string {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const task = data.task === 'regression' ? 'regression' : 'classification';
  const program = join(dir, 'program.py');
  writeFileDurable(program, torchProgram(graph, { task, ...settings }));
  if (!existsSync(join(dir, 'data', 'y.npy'))) {
    writeNpy(join(dir, 'data', 'x.npy'), data.x, [data.size, ...data.shape]);
    writeNpy(join(dir, 'data', 'y.npy'), data.y, [data.size]);
  }
  if (settings.splits) {
    const { train, valid, test } = settings.splits;
    writeFileDurable(join(dir, 'data', 'splits.json'), JSON.stringify({ train, valid, test }));
  }
  writeStateFiles(join(dir, 'data', 'init'), takeSnapshot(state));
  return program;
}

/** A running program: its ranks, and the state they share with dartsc. */
export class TorchSession {
  private constructor(
    readonly ranks: TorchRanks,
    readonly dir: string,
  ) {}

  /** Writes the program folder and starts the ranks on the state in `state`. */
  static async start(
    graph: IrGraph,
    data: Dataset,
    state: TrainState,
    settings: { config: Record<string, unknown>; origin: string; splits?: Splits },
    options: TorchOptions,
  ): Promise<TorchSession> {
    const python = options.python ?? findTorch().python;
    const program = writeProgramDir(options.dir, graph, data, settings, state);
    mkdirSync(join(options.dir, 'state'), { recursive: true });
    const args = ['--data', join(options.dir, 'data'), '--device', options.device];
    const ranks = await TorchRanks.start({
      python,
      program,
      args,
      nproc: options.nproc,
      cwd: options.dir,
    });
    await ranks.request({ cmd: 'load', path: join(options.dir, 'data', 'init') });
    return new TorchSession(ranks, options.dir);
  }

  /** Copies the ranks' state (weights, statistics, α, optimizer buffers) into `state`. */
  async sync(state: TrainState): Promise<void> {
    const stem = join(this.dir, 'state', 'current');
    await this.ranks.request({ cmd: 'save', path: stem });
    restoreSnapshot(state, readStateFiles(stem));
  }
}

/** A search engine whose steps the PyTorch program computes. */
export function torchSearchEngine(
  session: TorchSession,
  state: SearchState,
  regression: boolean,
): SearchEngine {
  return {
    step: async ({ trainIdx, validIdx, lr, seed, weightSeed }) => {
      const r = await session.ranks.request({
        cmd: 'step',
        train: trainIdx,
        valid: validIdx,
        lr,
        seed,
        weightSeed,
      });
      return { loss: num(r.loss), correct: num(r.correct) };
    },
    evaluate: async (indices, batch) => {
      const r = await session.ranks.request({ cmd: 'evaluate', indices, batch });
      return metrics(num(r.loss), num(r.correct), indices.length, regression);
    },
    sync: () => session.sync(state),
    close: () => session.ranks.close(),
    heaps: async () => [],
  };
}

/** A number of a reply; null (a non-finite value in the program) is NaN. */
function num(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

/** A retrain engine whose steps the PyTorch program computes (drop-path and the auxiliary loss there). */
export function torchRetrainEngine(
  session: TorchSession,
  state: TrainState,
  config: RetrainConfig,
): RetrainEngine {
  const sgd = { momentum: config.momentum, decay: config.decay, clip: config.clip };
  return {
    step: async ({ idx, lr, dropPath, seed }) => {
      const r = await session.ranks.request({
        cmd: 'train_step',
        train: idx,
        lr,
        dropPath,
        seed,
        auxWeight: config.auxWeight,
        sgd,
      });
      return { loss: num(r.loss), hits: num(r.correct) };
    },
    sync: () => session.sync(state),
  };
}
