import { resolve } from 'node:path';

import { findSearch, type ElaboratedSearch } from '../elaborate/elaborateProgram.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import { graphParams, type IrGraph } from '../ir/graph.js';
import { genotypeJson, type Genotype } from '../ir/genotype.js';
import { lower } from '../ir/lower.js';
import type { BackendName } from '../numerics/tf.js';
import { genotypeLiteral } from '../elaborate/genotypes.js';
import { RunDir, runComment } from '../runtime/runDir.js';
import { unlessDiverged } from './diverged.js';
import { resumedRun } from './resume.js';
import { floorWarning } from './floorWarning.js';
import {
  freshState,
  localEngine,
  search as runSearch,
  type EpochReport,
  type SearchEvent as LoopEvent,
  type SearchState,
} from '../runtime/search.js';
import type { Program } from './compile.js';
import { startJob, type Job } from './job.js';
import { prepare } from './prepare.js';
import { refreshReport, reportTables } from './report.js';
import { checkRequestNames } from './requestNames.js';
import type { ReportTable } from '../report/reportTable.js';
import { searchOutcome } from '../report/searchOutcome.js';
import { methodOf } from '../runtime/searchModel.js';
import { defaultWorkers, workerEngine } from '../runtime/workerEngine.js';
import { checkCounts, type Result } from './result.js';
import {
  pytorchProblems,
  startTorchSearch,
  torchRequest,
  type EngineName,
  type TorchRequest,
} from './torchSearch.js';

export interface SearchOptions {
  /** The search block to run (default: the first). */
  readonly search?: string;
  readonly epochs?: number;
  readonly batch?: number;
  readonly seed?: number;
  readonly order?: 'first' | 'second';
  /** At most this many steps per epoch (a quick smoke test of a spec). */
  readonly steps?: number;
  /** Default `wasm`; `cpu` is exact and slow; `tensorflow` needs @tensorflow/tfjs-node. */
  readonly backend?: BackendName;
  /**
   * Worker threads sharing each batch (data parallel, docs/performance.md). Default: one per
   * core, at most one per 16 samples of the batch; a resumed run keeps its count.
   */
  readonly workers?: number;
  /**
   * A new run directory to write: config.json, metrics.jsonl, genotype.json, genotype.darts,
   * alphas.json and a checkpoint per epoch. Without it nothing is written.
   */
  readonly out?: string;
  /** A run directory to continue from its last checkpoint, with the settings it was started with (`epochs` may extend it). */
  readonly resume?: string;
  /** Stops the search after the current step; `result` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * `tfjs` (default) or `pytorch`: the search's arithmetic in a generated PyTorch program
   * (docs/engines.md), in `nproc` processes on `device`; a resumed run keeps its engine.
   */
  readonly engine?: EngineName;
  readonly nproc?: number;
  readonly device?: 'cpu' | 'cuda';
}

/** A table of α: its role (`normal`, `reduce`), rows (edges) and columns (candidates). */
export interface AlphaTableInfo {
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly string[];
}

/** The first event: what is searched, on what, and where it is written. */
export interface SearchStart {
  readonly kind: 'start';
  readonly spec: string;
  readonly space: string;
  /** Trainable weights of the supernet (α excluded). */
  readonly params: number;
  readonly tables: readonly AlphaTableInfo[];
  readonly data: string;
  readonly splits: { readonly train: number; readonly valid: number; readonly test: number };
  readonly backend: BackendName;
  /** Worker threads sharing each batch (1: the search runs on the calling thread). */
  readonly workers: number;
  /** The PyTorch engine's processes and device, when the search runs there. */
  readonly engine?: TorchRequest;
  readonly config: SearchConfig;
  readonly runDir?: string;
  /** 0, or the epoch a resumed run continues with. */
  readonly startEpoch: number;
  /** Steps of `startEpoch` done before an interrupt (resumed from them), if any. */
  readonly startStep?: number;
}

/** Something to tell the user that does not stop the job (an ignored option, a fallback backend). */
export interface WarningEvent {
  readonly kind: 'warning';
  readonly message: string;
}

export type SearchEvent = SearchStart | WarningEvent | LoopEvent;

export interface SearchResult {
  /** The last epoch's report (absent when a resumed run had no epoch left). */
  readonly last?: EpochReport;
  /** The genotype derived after the last epoch, as data, as JSON and as a `.darts` literal. */
  readonly genotype?: Genotype;
  readonly genotypeJson?: Record<string, unknown>;
  readonly literal?: string;
  /** The derived cells drawn as compact text, one line per node. */
  readonly drawing?: string;
  /**
   * Parameter-free ops (skips, pools) taking over the normal cell's genotype or α: the known
   * collapse of DARTS, one sentence each with the share and the threshold.
   */
  readonly collapse?: readonly string[];
  /** α that barely moved from uniform, so that the genotype is nearly arbitrary: a sentence. */
  readonly flat?: string;
  /** What the search method says about the genotype (FairDARTS: ops under its threshold). */
  readonly notes?: readonly string[];
  readonly runDir?: string;
}

/**
 * Runs the DARTS search of a program's search block on its data. The job's events are the
 * start, warnings, every step and every epoch; its result holds the genotype, or diagnostics
 * when the data or the batch does not fit (E0413, E0501). Environment problems (a data file,
 * a run directory, a backend) reject with `DataError`, `RunDirError`, `BackendUnavailable`.
 */
export function search(
  program: Program,
  options: SearchOptions = {},
): Job<SearchEvent, Result<SearchResult>> {
  return startJob((emit, signal) => runOne(program, { ...options, signal }, emit), options.signal);
}

async function runOne(
  program: Program,
  options: SearchOptions,
  emit: (e: SearchEvent) => void,
): Promise<Result<SearchResult>> {
  checkRequestNames(program, options);
  const block = findSearch(program, program.entry.file, options.search);
  if (!block.value) return { diagnostics: block.diagnostics };
  const graph = lower(block.value.network);
  const resumed = resumedRun(program, options.resume);
  const warn = (message: string) => emit({ kind: 'warning', message });
  const config = searchConfig(block.value, options, resumed, warn);
  const torch = torchRequest(options, resumed, warn);
  if (torch) {
    const refused = pytorchProblems(block.value, graph, config, program);
    if (refused.length) return { diagnostics: refused };
  }
  // Random search scores its genotypes on this thread, with α it sets there: one worker.
  const alone = methodOf(config).choose ? 1 : undefined;
  const workers = torch
    ? 1
    : (alone ?? options.workers ?? savedWorkers(resumed) ?? defaultWorkers(config.batch));
  const network = { model: block.value.network, graph };
  // With the PyTorch engine dartsc only holds the state between epochs: on the exact cpu backend.
  const backend = torch
    ? 'cpu'
    : resumed
      ? resumed.backend(options.backend, warn)
      : options.backend;
  const request = { backend, batch: config.batch, workers, data: config };
  const prepared = await prepare(program, block.value, network, request, warn);
  if (!prepared.value) return { diagnostics: prepared.diagnostics };
  const runDir =
    resumed ??
    (options.out
      ? RunDir.create(
          resolve(program.cwd, options.out),
          {
            spec: program.spec,
            backend: prepared.value.backend,
            workers,
            ...(torch ? { engine: torch } : {}),
            search: config,
          },
          { path: program.path, text: program.entry.file.text },
        )
      : undefined);
  const setup = { ...prepared.value, runDir, workers, torch };
  return unlessDiverged(program, block.value, runDir, () =>
    loop(program, graph, config, setup, options, emit),
  );
}

/** The search block's settings with the options over them; a resumed run keeps its own. */
function searchConfig(
  block: ElaboratedSearch,
  options: SearchOptions,
  resumed: RunDir | undefined,
  warn: (message: string) => void,
): SearchConfig {
  checkCounts(options);
  if (resumed) {
    const saved = (resumed.config() as { search: SearchConfig }).search;
    const ignored = (['out', 'batch', 'order', 'seed', 'steps'] as const).filter(
      (f) => options[f] !== undefined,
    );
    if (ignored.length)
      warn(`warning: --${ignored.join(', --')} ignored: a resumed run keeps its settings`);
    return { ...saved, epochs: options.epochs ?? saved.epochs };
  }
  const config = withOverrides(block.config, options);
  const advice = 'use 2 or more epochs, or a constant lr';
  const floor = floorWarning(
    config.weights.lr,
    config.epochs,
    options.epochs !== undefined,
    advice,
  );
  if (floor) warn(floor);
  return config;
}

/** What a job's options may override in a search block's settings. */
export type SearchOverrides = Pick<
  SearchOptions,
  'search' | 'epochs' | 'batch' | 'seed' | 'order' | 'steps'
>;

/** A search block's settings with a job's overrides over them. */
export function withOverrides(c: SearchConfig, options: SearchOverrides): SearchConfig {
  return {
    ...c,
    epochs: options.epochs ?? c.epochs,
    batch: options.batch ?? c.batch,
    seed: options.seed ?? c.seed,
    order: options.order ?? c.order,
    ...(options.steps !== undefined ? { maxSteps: options.steps } : {}),
  };
}

interface Setup {
  readonly data: Parameters<typeof runSearch>[2];
  readonly splits: Parameters<typeof runSearch>[3];
  readonly runDir?: RunDir;
  readonly backend: BackendName;
  readonly workers: number;
  readonly torch: TorchRequest | undefined;
}

/** The worker count a run directory was started with. */
function savedWorkers(runDir: RunDir | undefined): number | undefined {
  return (runDir?.config() as { workers?: number } | undefined)?.workers;
}

/** The epochs, from a fresh state or the run directory's last checkpoint. */
async function loop(
  program: Program,
  graph: IrGraph,
  config: SearchConfig,
  { data, splits, runDir, backend, workers, torch }: Setup,
  options: SearchOptions,
  emit: (e: SearchEvent) => void,
): Promise<SearchResult> {
  const state = freshState(graph, config);
  try {
    const warn = (message: string) => emit({ kind: 'warning', message });
    const { startEpoch, partial } = runDir ? runDir.resume(state, warn) : { startEpoch: 0 };
    emit({
      kind: 'start',
      spec: program.spec,
      space: graph.space,
      params: graphParams(graph),
      tables: graph.tables.map(({ name, rows, columns }) => ({ name, rows, columns })),
      data: data.name,
      splits: { train: splits.train.length, valid: splits.valid.length, test: splits.test.length },
      backend,
      workers,
      ...(torch ? { engine: torch } : {}),
      config,
      ...(runDir ? { runDir: runDir.path } : {}),
      startEpoch,
      ...(partial ? { startStep: partial.step } : {}),
    });
    const resumed = { ...state, startEpoch, ...(partial ? { partial } : {}) };
    const setup = { data, splits, runDir, backend, workers, torch };
    const engine = await searchEngine(graph, resumed, config, setup, program.spec);
    try {
      const layout = { tables: reportTables(graph.tables), space: graph.space };
      const last = await runSearch(
        resumed,
        engine,
        data,
        splits,
        config,
        { onEvent: emit, ...(options.signal ? { signal: options.signal } : {}) },
        async (report, s) => {
          runDir?.writeEpoch(report, s, program.spec);
          await refreshReport(runDir?.path, layout, warn);
        },
        (s) => runDir?.interrupted(s),
      ).finally(() => options.signal?.aborted && refreshReport(runDir?.path, layout, warn));
      const result = resultOf(program.spec, last, runDir, layout.tables);
      const notes = last && methodOf(config).notes?.(layout.tables, last.genotype, last.alphas);
      return notes?.length ? { ...result, notes } : result;
    } finally {
      await engine.close();
    }
  } finally {
    state.net.dispose();
    state.sgd.dispose();
    state.adam.dispose();
  }
}

/** What runs the steps: a PyTorch program, worker threads, or this thread. */
async function searchEngine(
  graph: IrGraph,
  state: SearchState,
  config: SearchConfig,
  { data, splits, runDir, backend, workers, torch }: Setup,
  spec: string,
) {
  if (torch) return startTorchSearch(graph, data, splits, state, config, torch, runDir, spec);
  if (workers > 1) return workerEngine(state, data, config, { workers, backend });
  return localEngine(state, data, config);
}

function resultOf(
  spec: string,
  last: EpochReport | undefined,
  runDir: RunDir | undefined,
  tables: readonly ReportTable[],
): SearchResult {
  const where = runDir ? { runDir: runDir.path } : {};
  if (!last) return where;
  return {
    last,
    genotype: last.genotype,
    genotypeJson: genotypeJson(last.genotype),
    literal: genotypeLiteral(last.genotype, runComment(spec, last)),
    ...searchOutcome(tables, last.genotype, last.alphas),
    ...where,
  };
}
