import { join } from 'node:path';

import type { EpochReport, SearchEvent, SearchResult, StepEvent } from '../index.js';
import { brief, duration, headline } from '../util/metricsText.js';
import { shownPath, type CliIo } from './io.js';
import { RunEta } from './RunEta.js';

/** Without a terminal, the least time between two progress lines (ms): a log stays readable. */
const progressEvery = 10_000;

/** How a command shows a run: text on stderr, JSON lines on stdout, or only warnings and result. */
export type Output = 'text' | 'json' | 'quiet';

/** The output `--json` and `--quiet` ask for; `--json` wins, its lines being a tool's input. */
export function outputOf(flags: { readonly json: boolean; readonly quiet: boolean }): Output {
  return flags.json ? 'json' : flags.quiet ? 'quiet' : 'text';
}

/**
 * Step progress on stderr. On a terminal, the epoch's bar with the time to its end and to the
 * run's: `epoch 2/10 [####      ] 12/40 loss 0.812 eta 0:31 (run 5:12)`. Otherwise a plain
 * line at most every `progressEvery` ms, `epoch 2/10 step 12/40 loss 0.812 eta 5:12 (run)`,
 * so that a log shows the run moving between its epoch lines (a line only comes with a step:
 * a step longer than `progressEvery` delays it). The loss is the mean of the epoch's batch
 * losses so far. Every time is read from `io.now`, so a test drives it with a fake clock.
 */
export function stepProgress(io: CliIo) {
  const now = io.now ?? Date.now;
  let eta: RunEta | undefined;
  let epochs = 1;
  let shown = 0;
  let barWidth = 0;
  return {
    /** The run starts (or resumes): `total` epochs in all. */
    start(total: number): void {
      shown = now();
      epochs = total;
      eta = new RunEta(total, shown);
    },
    step(e: StepEvent): void {
      const t = now();
      eta ??= new RunEta(epochs, t);
      eta.step(e, t);
      const left = eta.left(e);
      const head = `epoch ${e.epoch + 1}/${epochs}`;
      const loss = `loss ${eta.loss.toFixed(3)}`;
      if (io.interactive) {
        const line = `${head} ${bar(e.step / e.steps)} ${e.step}/${e.steps} ${loss} eta ${duration(left?.epoch)} (run ${duration(left?.run)})`;
        barWidth = Math.max(barWidth, line.length);
        return io.stderr(`\r${line.padEnd(barWidth)}`);
      }
      if (t - shown < progressEvery) return;
      shown = t;
      io.stderr(`${head} step ${e.step}/${e.steps} ${loss} eta ${duration(left?.run)} (run)\n`);
    },
    /**
     * An epoch ended, and the caller prints its line next: on a terminal the bar is blanked
     * first (a shorter line would leave its end), otherwise the next progress line waits.
     */
    epoch(): void {
      shown = now();
      eta?.epoch(shown);
      if (barWidth) io.stderr(`\r${' '.repeat(barWidth)}\r`);
      barWidth = 0;
    },
  };
}

function bar(fraction: number, width = 20): string {
  const done = Math.round(fraction * width);
  return `[${'#'.repeat(done)}${' '.repeat(width - done)}]`;
}

/**
 * Formats search events: the start, step progress (`stepProgress`) and one line per epoch on
 * stderr, the result on stdout; with `json`, every event as a JSON line on stdout; with
 * `quiet`, only warnings and the result.
 */
export function searchPrinter(io: CliIo, output: Output) {
  const progress = stepProgress(io);
  return {
    event(e: SearchEvent) {
      if (e.kind === 'warning') return io.stderr(e.message + '\n');
      if (output === 'json') return io.stdout(JSON.stringify(jsonOf(e)) + '\n');
      if (output === 'quiet') return;
      if (e.kind === 'start') {
        progress.start(e.config.epochs);
        return io.stderr(startText(e, io.cwd));
      }
      if (e.kind === 'step') return progress.step(e);
      progress.epoch();
      io.stderr(`${epochLine(e)}\n`);
      if (e.stopped) io.stderr(`stopped early: ${e.stopped}\n`);
    },
    done(result: SearchResult) {
      const { last, literal, runDir } = result;
      if (!last) return;
      if (output === 'json')
        return io.stdout(
          JSON.stringify({
            kind: 'done',
            validAccuracy: last.valid.accuracy,
            runDir,
            collapse: result.collapse ?? [],
            ...(result.flat ? { flat: result.flat } : {}),
            ...(result.notes?.length ? { notes: result.notes } : {}),
          }) + '\n',
        );
      // The cells drawn, then what the report warns of; the literal alone goes to stdout.
      if (output !== 'quiet' && result.drawing) io.stderr(`\n${result.drawing}`);
      for (const w of result.collapse ?? [])
        io.stderr(`warning: ${w}: the known collapse of DARTS (docs/report.md)\n`);
      if (result.flat) io.stderr(`warning: ${result.flat}\n`);
      for (const n of result.notes ?? []) io.stderr(`note: ${n}\n`);
      const report = runDir ? ` (report: ${shownPath(join(runDir, 'report.html'), io.cwd)})` : '';
      io.stdout(
        `\nsupernet valid ${headline(last.valid)} after ${last.epochs} epochs; wrote ${shownPath(runDir, io.cwd)}${report}\n\n${literal}`,
      );
    },
  };
}

type SearchStart = Extract<SearchEvent, { kind: 'start' }>;

/** An event as its JSON line: the start's settings as plain data, an epoch's genotype as text. */
function jsonOf(e: Exclude<SearchEvent, { kind: 'warning' }>): object {
  if (e.kind === 'step') return e;
  if (e.kind === 'start') {
    const { spec, space, params, backend, workers, engine, runDir, config } = e;
    return { kind: 'start', spec, space, params, backend, workers, engine, runDir, config };
  }
  return { ...e, genotype: undefined, alphas: undefined, genotypeText: genotypeText(e) };
}

function startText(e: SearchStart, cwd: string): string {
  const alphas = e.tables.map((t) => `${t.name} ${t.rows}x${t.columns.length}`).join(', ');
  return (
    `searching ${e.space} from ${e.spec}: ${e.params.toLocaleString('en-US')} weights, α ${alphas}\n` +
    `  data ${e.data}: ${e.splits.train} train, ${e.splits.valid} valid, ${e.splits.test} held out; batch ${e.config.batch}, ${e.config.order} order${methodLabel(e.config.method)}, seed ${e.config.seed}, ${engineText(e)}\n` +
    `  epochs ${e.startEpoch + 1} to ${e.config.epochs}${e.startStep ? ` (epoch ${e.startEpoch + 1} from step ${e.startStep + 1})` : ''}; writing ${shownPath(e.runDir, cwd)}\n`
  );
}

/** `backend wasm (2 workers)`, or `engine pytorch 1.13.0 (2 processes, cpu)`. */
export function engineText(e: {
  readonly backend: string;
  readonly workers?: number;
  readonly engine?: { nproc: number; device: string; torch: string } | undefined;
}): string {
  if (e.engine) {
    const n = e.engine.nproc;
    return `engine pytorch ${e.engine.torch} (${n} process${n > 1 ? 'es' : ''}, ${e.engine.device})`;
  }
  return `backend ${e.backend}${(e.workers ?? 1) > 1 ? ` (${e.workers} workers)` : ''}`;
}

function genotypeText(e: EpochReport): string {
  return Object.entries(e.genotype)
    .map(([name, cell]) => `${name} ${cell.pairs.map(([op, i]) => `${op}@${i}`).join(' ')}`)
    .join(' | ');
}

/** `epoch 3/10  lr 0.0234  train loss 0.912 acc 71.2%  valid loss 0.850 acc 73.4%  12.3s` and the genotype. */
function epochLine(e: EpochReport): string {
  return (
    `epoch ${e.epoch + 1}/${e.epochs}  lr ${e.lr.toFixed(4)}  train ${brief(e.train)}` +
    `  valid ${brief(e.valid)}  ${e.seconds.toFixed(1)}s\n  ${genotypeText(e)}`
  );
}

/** `, method gdas(tau_max: 10, tau_min: 0.1)` for a method other than DARTS, else nothing. */
function methodLabel(
  method: { name: string; args: Readonly<Record<string, unknown>> } | undefined,
) {
  if (!method || method.name === 'darts') return '';
  const args = Object.entries(method.args).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `, method ${method.name}(${args.join(', ')})`;
}
