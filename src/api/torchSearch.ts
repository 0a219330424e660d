import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { unlowered } from '../backends/pytorch/torchProgram.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { ElaboratedSearch } from '../elaborate/elaborateProgram.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { IrGraph } from '../ir/graph.js';
import { lower } from '../ir/lower.js';
import type { Dataset, Splits } from '../runtime/data.js';
import type { RunDir } from '../runtime/runDir.js';
import type { SearchEngine, SearchState } from '../runtime/search.js';
import { findTorch } from '../runtime/torch/python.js';
import type { RetrainConfig, RetrainEngine, RetrainState } from '../runtime/retrain.js';
import {
  programConfig,
  torchRetrainEngine,
  torchSearchEngine,
  TorchSession,
} from '../runtime/torch/torchEngine.js';
import type { Program } from './compile.js';
import { checkInteger, OptionError } from './result.js';

/** Which engine computes a search or a retrain (docs/engines.md). */
export type EngineName = 'tfjs' | 'pytorch';
export const engineNames: readonly EngineName[] = ['tfjs', 'pytorch'];

/** A job on the PyTorch engine: processes, device, and the torch version found. */
export interface TorchRequest {
  readonly name: 'pytorch';
  readonly nproc: number;
  readonly device: 'cpu' | 'cuda';
  readonly torch: string;
  /** The Python interpreter that has it. */
  readonly python: string;
}

interface EngineOptions {
  readonly engine?: EngineName;
  readonly nproc?: number;
  readonly device?: 'cpu' | 'cuda';
}

/**
 * The PyTorch engine a job asks for (or a resumed run started on), with a Python that has
 * torch (`EngineUnavailable` otherwise); undefined for the native engine.
 */
export function torchRequest(
  options: EngineOptions,
  resumed: RunDir | undefined,
  warn: (message: string) => void,
): TorchRequest | undefined {
  const saved = (resumed?.config() as { engine?: TorchRequest } | undefined)?.engine;
  const engine = options.engine ?? (saved ? 'pytorch' : 'tfjs');
  if (!engineNames.includes(engine))
    throw new OptionError(`unknown engine \`${engine}\` (expected tfjs or pytorch)`);
  if (engine !== 'pytorch') {
    if (options.nproc !== undefined || options.device !== undefined)
      warn('warning: --nproc and --device apply to --engine pytorch only; ignored');
    return undefined;
  }
  checkInteger('nproc', options.nproc, 1);
  const device = options.device ?? saved?.device ?? 'cpu';
  if (device !== 'cpu' && device !== 'cuda')
    throw new OptionError(`unknown device \`${String(device)}\` (expected cpu or cuda)`);
  const { torch, python } = findTorch();
  return { name: 'pytorch', nproc: options.nproc ?? saved?.nproc ?? 1, device, torch, python };
}

/**
 * E0503 for what the PyTorch engine cannot run: an intrinsic without a PyTorch lowering, or a
 * search method other than DARTS. Points at the search block's `space` or `method` setting.
 */
export function pytorchProblems(
  block: ElaboratedSearch,
  graph: IrGraph,
  config: Pick<SearchConfig, 'method'> | undefined,
  program: Program,
): Diagnostic[] {
  const at = (key: string) => block.spans[key] ?? program.entry.file.span(0, 0);
  const problems = unlowered(graph).map((op) =>
    diagnostic(
      'E0503',
      at('space'),
      { what: `\`${op}\`, which space ${graph.space} uses` },
      {
        help: { fix: 'lowering' },
      },
    ),
  );
  if (config && config.method.name !== 'darts')
    problems.push(
      diagnostic(
        'E0503',
        at('method'),
        { what: `the search method \`${config.method.name}\`` },
        {
          help: { fix: 'method' },
        },
      ),
    );
  return problems;
}

/** E0503 for every search block of a program that the PyTorch engine cannot run (`check --engine pytorch`). */
export function pytorchEngineProblems(program: Program): Diagnostic[] {
  return program.searches.flatMap((s) => pytorchProblems(s, lower(s.network), s.config, program));
}

/**
 * Starts the program of a search in `RUN/pytorch` (a temporary folder without a run
 * directory, removed when the engine closes) on the state in `state`.
 */
export async function startTorchSearch(
  graph: IrGraph,
  data: Dataset,
  splits: Splits,
  state: SearchState,
  config: SearchConfig,
  torch: TorchRequest,
  runDir: RunDir | undefined,
  spec: string,
): Promise<SearchEngine> {
  const settings = { config: programConfig(config), origin: spec, splits };
  const { session, close } = await startSession(graph, data, state, settings, torch, runDir);
  const engine = torchSearchEngine(session, state, data.task === 'regression');
  return { ...engine, close };
}

/** Starts the program of a retrain, as `startTorchSearch` does for a search. */
export async function startTorchRetrain(
  graph: IrGraph,
  data: Dataset,
  state: RetrainState,
  config: RetrainConfig,
  torch: TorchRequest,
  runDir: RunDir | undefined,
  spec: string,
): Promise<RetrainEngine & { close: () => Promise<void> }> {
  const settings = { config: { ...config }, origin: spec };
  const { session, close } = await startSession(graph, data, state, settings, torch, runDir);
  return { ...torchRetrainEngine(session, state, config), close };
}

async function startSession(
  graph: IrGraph,
  data: Dataset,
  state: Parameters<typeof TorchSession.start>[2],
  settings: Parameters<typeof TorchSession.start>[3],
  torch: TorchRequest,
  runDir: RunDir | undefined,
) {
  const temporary = runDir ? undefined : mkdtempSync(join(tmpdir(), 'dartsc-pytorch-'));
  const dir = runDir ? join(runDir.path, 'pytorch') : temporary!;
  const options = { dir, nproc: torch.nproc, device: torch.device, python: torch.python };
  const session = await TorchSession.start(graph, data, state, settings, options);
  const close = async () => {
    await session.ranks.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };
  return { session, close };
}
