import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { checkWasmMemory } from '../../backends/tfjs/memory.js';
import { BackendUnavailable, selectBackend } from '../../numerics/tf.js';
import { check } from '../../check/check.js';
import { buildNetwork } from '../../elaborate/networks.js';
import { resolveSearch, type SearchConfig } from '../../elaborate/searchConfig.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/Diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/render.js';
import { graphParams } from '../../ir/graph.js';
import { lower } from '../../ir/lower.js';
import { DataError } from '../../runtime/data.js';
import {
  genotypeLiteral,
  loadCheckpoint,
  RunDir,
  RunDirError,
  runComment,
} from '../../runtime/runDir.js';
import { freshState, search } from '../../runtime/search.js';
import { nodeHost } from '../../api/host.js';
import { defaultOut, readUserFile, UsageError, type CliIo } from '../io.js';
import { backendFlag } from '../backendFlag.js';
import { progressPrinter } from '../progress.js';
import { loadSearchData } from '../../runtime/searchData.js';

export const runUsage = `usage: dartsc run SPEC [--epochs N] [--steps N] [--batch N] [--order first|second] [--seed N]
                  [--backend wasm|cpu|tensorflow] [--out DIR] [--resume DIR] [--search NAME] [--json]

Searches the space of SPEC's search block with DARTS on its data and writes the genotype.
--steps N stops each epoch after N steps (a quick smoke test of a spec).
--resume DIR continues an interrupted run from its last checkpoint, with the settings it was
started with (--epochs may extend it).
The run directory (--out, default runs/<spec>-<timestamp>) receives genotype.json, the
genotype as a .darts literal, alphas.json, metrics.jsonl, config.json and a checkpoint per
epoch; an existing directory is never written into unless --resume names it. The backend
is wasm unless --backend or DARTSC_BACKEND says otherwise.`;

/** `dartsc run SPEC ...` */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      epochs: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      order: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'string' },
      search: { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run needs exactly one SPEC file');
  const backend = backendFlag(values.backend, io);
  const color = io.color && !values['no-color'];
  const report = (diagnostics: readonly Diagnostic[]) =>
    io.stderr(formatDiagnostics(diagnostics, { format: 'pretty', color }));

  const specPath = resolve(io.cwd, positionals[0]!);
  const checked = check(specPath, readUserFile(specPath, positionals[0]!), nodeHost(io.cwd));
  if (hasErrors(checked.diagnostics)) return (report(checked.diagnostics), 1);
  const source = { entry: checked.value.program.entry, scopes: checked.value.scopes };
  const resolved = resolveSearch(source, values.search);
  const built = buildNetwork(source, values.search ? { search: values.search } : {});
  if (!resolved.value || !built.value)
    return (report([...resolved.diagnostics, ...built.diagnostics]), 1);
  const graph = lower(built.value);

  try {
    // A resumed run continues with the settings it was started with (--epochs may extend it).
    const resumed = values.resume ? RunDir.open(resolve(io.cwd, values.resume)) : undefined;
    const saved = resumed && (resumed.config() as { search: SearchConfig }).search;
    const ignored = ['batch', 'order', 'seed'].filter(
      (f) => resumed && values[f as 'batch'] !== undefined,
    );
    if (ignored.length)
      io.stderr(`warning: --${ignored.join(', --')} ignored: a resumed run keeps its settings\n`);
    const config = saved
      ? withFlags({ ...saved, spans: resolved.value.spans }, { epochs: values.epochs })
      : withFlags(resolved.value, values);
    const active = await selectBackend(backend, (m) => io.stderr(m + '\n'));
    if (active === 'wasm') {
      const tooBig = checkWasmMemory(
        graph,
        config.batch,
        config.spans.batch ?? checked.value.program.entry.file.span(0, 0),
      );
      if (tooBig) return (report([tooBig]), 1);
    }
    const loaded = loadSearchData(
      config,
      built.value,
      specPath,
      config.spans.data ?? checked.value.program.entry.file.span(0, 0),
    );
    if ('misfit' in loaded) return (report([loaded.misfit]), 1);
    const { data, splits } = loaded;
    const spec = basename(specPath);
    const runDir =
      resumed ??
      RunDir.create(resolve(io.cwd, values.out ?? defaultOut(spec)), {
        spec,
        backend: active,
        search: config,
      });
    const state = freshState(graph, config);
    const checkpoint = resumed?.latestCheckpoint();
    const start = checkpoint ? loadCheckpoint(checkpoint, state) : 0;
    const print = progressPrinter(io, values.json ?? false);
    print.start({
      spec,
      space: built.value.space,
      params: graphParams(graph),
      tables: graph.tables,
      data: data.name,
      splits,
      backend: active,
      config,
      runDir: runDir.path,
      startEpoch: start,
    });
    const last = await search(
      { ...state, startEpoch: start },
      data,
      splits,
      config,
      print.event,
      (r, s) => runDir.writeEpoch(r, s, spec),
    );
    if (last) print.done(genotypeLiteral(last.genotype, runComment(spec, last)), last, runDir.path);
    state.net.dispose();
    return 0;
  } catch (error) {
    if (error instanceof BackendUnavailable || error instanceof RunDirError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DataError) {
      io.stderr(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The search block's settings with the command-line flags applied over them. */
function withFlags(
  config: SearchConfig,
  values: Record<string, string | boolean | undefined>,
): SearchConfig {
  const int = (name: string) => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < (name === 'seed' ? 0 : 1))
      throw new UsageError(`--${name} takes a positive integer, found \`${String(v)}\``);
    return Number(v);
  };
  const order = values.order;
  if (order !== undefined && order !== 'first' && order !== 'second')
    throw new UsageError('--order takes `first` or `second`');
  return {
    ...config,
    epochs: int('epochs') ?? config.epochs,
    batch: int('batch') ?? config.batch,
    seed: int('seed') ?? config.seed,
    order: (order as 'first' | 'second' | undefined) ?? config.order,
    ...(values.steps !== undefined ? { maxSteps: int('steps')! } : {}),
  };
}
