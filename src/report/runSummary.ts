import { duration, headline } from '../util/metricsText.js';
import { isRecord, type PassMetrics, type RunFiles } from './runFiles.js';

const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;

/** How far the run got, in one sentence, with the command that continues it. */
export function runStatus(files: RunFiles): string {
  const done = files.epochs.length;
  const settings = files.kind === 'search' ? files.config.search : files.config.train;
  const total = files.epochs.at(-1)?.epochs ?? (isRecord(settings) ? settings.epochs : undefined);
  const command = `dartsc ${files.kind === 'search' ? 'run' : 'train'} --resume ${files.dir}`;
  const result = files.result;
  if (result && isRecord(result.test))
    return `Finished: test ${headline(result.test as unknown as PassMetrics)} on the held-out split after ${epochs(done)}.`;
  if (files.interrupted)
    return `Interrupted in epoch ${done + 1} of ${String(total)}: continue with ${command}.`;
  if (done === 0) return 'Started; no epoch has finished yet.';
  const last = files.epochs.at(-1)!;
  if (files.kind === 'search' && done >= Number(total))
    return `Finished: ${epochs(done)}, supernet valid ${last.valid ? headline(last.valid) : 'unknown'}.`;
  return `${done} of ${String(total)} epochs done: still running, or stopped (${command} continues it).`;
}

/** The table under the title: what ran, on what, with what result. */
export function runSummary(files: RunFiles, space?: string): [string, string][] {
  const c = files.config;
  const s = isRecord(c.search) ? c.search : isRecord(c.train) ? c.train : {};
  const rows: [string, string | undefined][] = [
    ['spec', typeof c.specPath === 'string' ? c.specPath : str(c.spec)],
    ['space', space ?? str(files.result?.space)],
    ['genotype', str(c.genotype)],
    ['data', dataText(s.data) ?? dataText(files.result?.data)],
    [
      'backend',
      `${str(c.backend) ?? '?'}${Number(c.workers) > 1 ? `, ${String(c.workers)} workers` : ''}`,
    ],
    ['seed', str(s.seed)],
    ['batch', str(s.batch)],
    ['order', str(s.order)],
    ['epochs', `${files.epochs.length} of ${str(files.epochs.at(-1)?.epochs ?? s.epochs) ?? '?'}`],
    ['time', duration(files.epochs.reduce((t, e) => t + (e.seconds || 0), 0))],
    ...bestValid(files),
    ['parameters', files.result ? Number(files.result.params).toLocaleString('en-US') : undefined],
    [
      'test',
      isRecord(files.result?.test)
        ? headline(files.result.test as unknown as PassMetrics)
        : undefined,
    ],
    ['run directory', files.dir],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}

function bestValid(files: RunFiles): [string, string | undefined][] {
  const valid = files.epochs.filter((e) => e.valid);
  if (!valid.length) return [];
  const acc = (e: (typeof valid)[number]) => e.valid!.accuracy ?? -e.valid!.loss;
  const best = valid.reduce((a, b) => (acc(b) > acc(a) ? b : a));
  // `accuracy 93.6%`, or for regression `loss (MSE) 0.1234`.
  const text = (e: (typeof valid)[number]) => headline(e.valid!);
  return [['valid', `${text(valid.at(-1)!)} (best ${text(best)} after epoch ${best.epoch + 1})`]];
}

/** `synthetic(samples: 256, classes: 2)`, `mnist`; a retrain's result names its data. */
function dataText(data: unknown): string | undefined {
  if (!isRecord(data)) return undefined;
  if (typeof data.kind !== 'string') return str(data.name);
  const args = isRecord(data.args)
    ? Object.entries(data.args).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    : [];
  return args.length ? `${data.kind}(${args.join(', ')})` : data.kind;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' || typeof x === 'number' ? String(x) : undefined;
}
