import { parseArgs } from 'node:util';

import { train, type TrainEvent, type TrainResult } from '../../index.js';
import { brief, headline } from '../../util/metricsText.js';
import { backendFlag, engineFlags } from '../backendFlag.js';
import { followJob } from '../interrupt.js';
import { defaultOut, intFlags, numberFlag, shownPath, UsageError, type CliIo } from '../io.js';
import { engineText, outputOf, stepProgress, type Output } from '../progress.js';
import { compileSpec, reporter } from '../spec.js';
import { networkOptions, networkRequest } from './network.js';
import type { CommandOptions } from '../flagProblem.js';

export const trainUsage = `usage: dartsc train SPEC --genotype NAME|RUN_DIR|FILE [--epochs N] [--batch N] [--lr X]
                    [--seed N] [--drop-path P] [--auxiliary] [--steps N] [--set NAME=VALUE ...]
                    [--backend wasm|cpu|tensorflow] [--engine tfjs|pytorch] [--nproc N]
                    [--device cpu|cuda] [--out DIR] [--resume DIR] [--json] [--quiet]

Retrains the network derived from a genotype from scratch on the data of SPEC's search
block: its train and valid splits train it, its held-out test split gives the final figure.
--genotype takes a name in SPEC, a run directory, or a genotype.json or genotype.darts.
Defaults follow the reference retrain (cnn/train.py): SGD lr 0.025 cosine to 0, momentum
0.9, decay 3e-4, clip 5, drop-path ramped to 0.2; epochs, batch and seed come from the
search block. --auxiliary adds the space's auxiliary head (loss weight 0.4).
The output directory (--out, default runs/<spec>-train-<timestamp>; never an existing one)
receives config.json, result.json (the test accuracy), metrics.jsonl, model/ (TensorFlow.js
format, loadable with tf.loadLayersModel), model.ts (its module, from dartsc emit) and the
latest epoch's checkpoint in checkpoints/. --resume DIR continues an interrupted retrain
from that checkpoint with the settings it was started with (--epochs may extend it).
--engine pytorch trains in a PyTorch program (as \`dartsc run\` does) and converts the final
weights into model/, so the TensorFlow.js model serves what PyTorch trained.
Progress goes to stderr as for \`dartsc run\`; --quiet prints only warnings, errors and the
test accuracy; --json prints every event as a JSON line on stdout.`;

/** The options of `dartsc train` (main.ts names them when one is mistyped). */
export const trainOptions = {
  ...networkOptions,
  epochs: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  steps: { type: 'string' },
  'drop-path': { type: 'string' },
  auxiliary: { type: 'boolean', default: false },
  backend: { type: 'string' },
  engine: { type: 'string' },
  nproc: { type: 'string' },
  device: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} satisfies CommandOptions;

/** `dartsc train SPEC --genotype G ...` */
export async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: trainOptions,
  });
  if (positionals.length !== 1) throw new UsageError('train needs exactly one SPEC file');
  if (!values.genotype) throw new UsageError('train needs --genotype NAME|RUN_DIR|FILE');
  const spec = positionals[0]!;
  const backend = backendFlag(values.backend, io);
  const options = {
    ...networkRequest(values),
    genotype: values.genotype,
    auxiliary: values.auxiliary,
    ...intFlags(values, { epochs: 1, batch: 1, seed: 0, steps: 1, nproc: 1 }),
    ...engineFlags(values, io),
    ...(values.lr !== undefined ? { lr: numberFlag(values.lr, 'lr') } : {}),
    ...(values['drop-path'] !== undefined
      ? { dropPath: numberFlag(values['drop-path'], 'drop-path') }
      : {}),
    ...(backend ? { backend } : {}),
    ...(values.resume ? { resume: values.resume } : {}),
    // With --resume an --out is passed on only to be named as ignored.
    ...(values.out !== undefined || !values.resume
      ? { out: values.out ?? defaultOut(spec, 'train-') }
      : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  };
  const program = compileSpec(io, spec, values['no-color']);
  if (!program) return 1;
  const followed = await followJob(
    io,
    train(program, options),
    trainPrinter(io, outputOf(values)),
    (dir) => `dartsc train ${spec} --genotype ${values.genotype} --resume ${dir}`,
  );
  if ('code' in followed) return followed.code;
  const { result } = followed;
  if (!result.value) return (reporter(io, values['no-color'])(result.diagnostics), 1);
  done(io, result.value, values.json);
  return 0;
}

/** Train events as text on stderr (progress as for a search), JSON lines, or nothing (quiet). */
function trainPrinter(io: CliIo, output: Output) {
  const progress = stepProgress(io);
  return (e: TrainEvent) => {
    if (e.kind === 'warning') return io.stderr(e.message + '\n');
    if (output === 'json')
      return e.kind === 'start' ? undefined : io.stdout(JSON.stringify(e) + '\n');
    if (output === 'quiet') return;
    if (e.kind === 'start') {
      progress.start(e.config.epochs);
      return io.stderr(
        `training ${e.space} (genotype ${e.genotype}) from ${e.spec}: ${e.params.toLocaleString('en-US')} parameters\n` +
          `  data ${e.data}: ${e.train} train, ${e.test} test; batch ${e.config.batch}, epochs ${e.startEpoch + 1} to ${e.config.epochs}, ${engineText(e)}; writing ${shownPath(e.runDir, io.cwd)}\n`,
      );
    }
    if (e.kind === 'step') return progress.step(e);
    progress.epoch();
    io.stderr(
      `epoch ${e.epoch + 1}/${e.epochs}  lr ${e.lr.toFixed(4)}  drop-path ${e.dropPath.toFixed(2)}  train ${brief(e.train)}  ${e.seconds.toFixed(1)}s\n`,
    );
  };
}

function done(io: CliIo, result: TrainResult, json: boolean): void {
  const { model, runDir, ...saved } = result;
  model.dispose();
  if (json) return io.stdout(JSON.stringify({ kind: 'done', ...saved, out: runDir }) + '\n');
  const figure = saved.test
    ? `test ${headline(saved.test)} on ${saved.data.test} held-out samples`
    : 'no held-out test split (the data keeps none)';
  io.stdout(`${figure}; wrote ${shownPath(runDir, io.cwd)}\n`);
}
