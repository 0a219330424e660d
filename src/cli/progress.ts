import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { IrTable } from '../ir/graph.js';
import type { Splits } from '../runtime/data.js';
import {
  brief,
  headline,
  type EpochReport,
  type SearchEvent,
  type StepEvent,
} from '../runtime/search.js';
import type { CliIo } from './io.js';

/** What the search's start line shows. */
interface Start {
  spec: string;
  space: string;
  params: number;
  tables: readonly IrTable[];
  data: string;
  splits: Splits;
  backend: string;
  config: SearchConfig;
  runDir: string;
  startEpoch: number;
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/**
 * Formats search events: a progress bar with ETA on a terminal, one plain line per epoch
 * otherwise, or JSON lines with --json. Progress goes to stderr, results to stdout.
 */
export function progressPrinter(io: CliIo, json: boolean) {
  let epochStart = Date.now();
  return {
    start(s: Start) {
      if (json)
        return io.stdout(
          JSON.stringify({
            kind: 'start',
            spec: s.spec,
            space: s.space,
            params: s.params,
            backend: s.backend,
            runDir: s.runDir,
            config: s.config,
          }) + '\n',
        );
      const alphas = s.tables.map((t) => `${t.name} ${t.rows}x${t.columns.length}`).join(', ');
      io.stderr(
        `searching ${s.space} from ${s.spec}: ${s.params.toLocaleString('en-US')} weights, α ${alphas}\n` +
          `  data ${s.data}: ${s.splits.train.length} train, ${s.splits.valid.length} valid, ${s.splits.test.length} held out; batch ${s.config.batch}, ${s.config.order} order, seed ${s.config.seed}, backend ${s.backend}\n` +
          `  epochs ${s.startEpoch + 1} to ${s.config.epochs}; writing ${s.runDir}\n`,
      );
      epochStart = Date.now();
    },
    event(e: SearchEvent) {
      if (e.kind === 'step') {
        if (e.step === 1) epochStart = Date.now();
        if (json) return io.stdout(JSON.stringify(e) + '\n');
        return stepBar(io, e, epochStart);
      }
      if (json)
        return io.stdout(
          JSON.stringify({
            ...e,
            genotype: undefined,
            alphas: undefined,
            genotypeText: genotypeText(e),
          }) + '\n',
        );
      io.stderr(`${io.interactive ? '\r' : ''}${epochLine(e)}\n`);
    },
    done(literal: string, last: EpochReport, runDir: string) {
      if (json)
        return io.stdout(
          JSON.stringify({ kind: 'done', validAccuracy: last.valid.accuracy, runDir }) + '\n',
        );
      io.stdout(
        `\nsupernet valid ${headline(last.valid)} after ${last.epochs} epochs; wrote ${runDir}\n\n${literal}`,
      );
    },
  };
}

/** On a terminal, the step bar with ETA: `epoch 2 [#####    ] 12/40 loss 0.812 eta 0:31`. */
export function stepBar(io: CliIo, e: StepEvent, epochStart: number): void {
  if (!io.interactive) return;
  const elapsed = (Date.now() - epochStart) / 1000;
  const eta = (elapsed / e.step) * (e.steps - e.step);
  const width = 24;
  const done = Math.round((e.step / e.steps) * width);
  io.stderr(
    `\repoch ${e.epoch + 1} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${e.step}/${e.steps} loss ${e.loss.toFixed(3)} eta ${clock(eta)}  `,
  );
}

function genotypeText(e: EpochReport): string {
  return Object.entries(e.genotype)
    .map(([name, cell]) => `${name} ${cell.pairs.map(([op, i]) => `${op}@${i}`).join(' ')}`)
    .join(' | ');
}

/** `epoch 3/10  lr 0.0234  train loss 0.912 acc 71.2%  valid loss 0.850 acc 73.4%  12.3s` and the genotype. */
export function epochLine(e: EpochReport): string {
  return (
    `epoch ${e.epoch + 1}/${e.epochs}  lr ${e.lr.toFixed(4)}  train ${brief(e.train)}` +
    `  valid ${brief(e.valid)}  ${e.seconds.toFixed(1)}s\n  ${genotypeText(e)}`
  );
}
