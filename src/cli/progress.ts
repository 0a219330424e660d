import type { EpochReport, SearchEvent, SearchResult, StepEvent } from '../index.js';
import { brief, headline } from '../util/metricsText.js';
import { shownPath, type CliIo } from './io.js';

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/**
 * Formats search events: a progress bar with ETA on a terminal, one plain line per epoch
 * otherwise, or JSON lines with --json. Progress goes to stderr, results to stdout.
 */
export function searchPrinter(io: CliIo, json: boolean) {
  let epochStart = Date.now();
  return {
    event(e: SearchEvent) {
      if (e.kind === 'warning') return io.stderr(e.message + '\n');
      if (e.kind === 'start') {
        epochStart = Date.now();
        if (json) {
          const { spec, space, params, backend, workers, runDir, config } = e;
          return io.stdout(
            JSON.stringify({
              kind: 'start',
              spec,
              space,
              params,
              backend,
              workers,
              runDir,
              config,
            }) + '\n',
          );
        }
        const alphas = e.tables.map((t) => `${t.name} ${t.rows}x${t.columns.length}`).join(', ');
        return io.stderr(
          `searching ${e.space} from ${e.spec}: ${e.params.toLocaleString('en-US')} weights, α ${alphas}\n` +
            `  data ${e.data}: ${e.splits.train} train, ${e.splits.valid} valid, ${e.splits.test} held out; batch ${e.config.batch}, ${e.config.order} order, seed ${e.config.seed}, backend ${e.backend}${e.workers > 1 ? ` (${e.workers} workers)` : ''}\n` +
            `  epochs ${e.startEpoch + 1} to ${e.config.epochs}${e.startStep ? ` (epoch ${e.startEpoch + 1} from step ${e.startStep + 1})` : ''}; writing ${shownPath(e.runDir, io.cwd)}\n`,
        );
      }
      if (e.kind === 'step') {
        if (e.step === 1) epochStart = Date.now();
        if (json) return io.stdout(JSON.stringify(e) + '\n');
        return stepBar(io, e, epochStart);
      }
      if (json) {
        const line = {
          ...e,
          genotype: undefined,
          alphas: undefined,
          genotypeText: genotypeText(e),
        };
        return io.stdout(JSON.stringify(line) + '\n');
      }
      io.stderr(`${io.interactive ? '\r' : ''}${epochLine(e)}\n`);
    },
    done(result: SearchResult) {
      const { last, literal, runDir } = result;
      if (!last) return;
      if (json)
        return io.stdout(
          JSON.stringify({ kind: 'done', validAccuracy: last.valid.accuracy, runDir }) + '\n',
        );
      io.stdout(
        `\nsupernet valid ${headline(last.valid)} after ${last.epochs} epochs; wrote ${shownPath(runDir, io.cwd)}\n\n${literal}`,
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
function epochLine(e: EpochReport): string {
  return (
    `epoch ${e.epoch + 1}/${e.epochs}  lr ${e.lr.toFixed(4)}  train ${brief(e.train)}` +
    `  valid ${brief(e.valid)}  ${e.seconds.toFixed(1)}s\n  ${genotypeText(e)}`
  );
}
