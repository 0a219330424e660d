import { round3, type Summary } from './stats.js';

/**
 * Rows of the bench: printed as a table as they come, or with `--json` one JSON object a
 * line. Every row has `section` and `case`; timing rows have `dartsMs` and, with PyTorch,
 * `torchMs` and `ratio` (dartsc over PyTorch, per round; median and min–max).
 */
export type Row = Record<string, unknown> & { readonly section: string; readonly case: string };

/** The fields of a timed comparison: medians and spreads, rounded for reading. */
export function timing(darts: Summary, torch?: Summary, ratio?: Summary): Record<string, unknown> {
  return {
    dartsMs: round3(darts.median),
    dartsSpread: [round3(darts.min), round3(darts.max)],
    torchMs: torch ? round3(torch.median) : null,
    torchSpread: torch ? [round3(torch.min), round3(torch.max)] : null,
    ratio: ratio ? round3(ratio.median) : null,
    ratioSpread: ratio ? [round3(ratio.min), round3(ratio.max)] : null,
  };
}

const mb = (bytes: unknown) =>
  typeof bytes === 'number' ? `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 1)} MB` : '-';
/** One heap, or the workers' heaps as `2 × 60.1 MB` when they are equal. */
const heaps = (x: unknown) =>
  !Array.isArray(x)
    ? mb(x)
    : x.every((h) => h === x[0])
      ? `${x.length} × ${mb(x[0])}`
      : x.map(mb).join(' + ');
const num = (x: unknown) => (typeof x === 'number' ? String(x) : '-');
const range = (x: unknown) => (Array.isArray(x) ? `${num(x[0])}–${num(x[1])}` : '-');

/** Columns per section: header and how to read a row. */
const columns: Record<string, [string, (r: Row) => string][]> = {
  timing: [
    ['case', (r) => r.case],
    ['backend', (r) => String(r.backend)],
    ['dartsc ms', (r) => num(r.dartsMs)],
    ['(min–max)', (r) => range(r.dartsSpread)],
    ['PyTorch ms', (r) => num(r.torchMs)],
    ['(min–max)', (r) => range(r.torchSpread)],
    ['ratio', (r) => num(r.ratio)],
    ['(min–max)', (r) => range(r.ratioSpread)],
    ['samples/s', (r) => `${num(r.dartsSamplesPerSec)} / ${num(r.torchSamplesPerSec)}`],
    ['cores busy', (r) => `${num(r.dartsCoresBusy)} / ${num(r.torchCoresBusy)}`],
  ],
  memory: [
    ['case', (r) => r.case],
    ['backend', (r) => String(r.backend)],
    ['dartsc heaps', (r) => mb(r.dartsPeakBytes)],
    ['per sample', (r) => mb(r.dartsPeakBytesPerSample)],
    ['wasm heap', (r) => heaps(r.wasmHeapBytes)],
    ['dartsc RSS', (r) => mb(r.dartsMaxRss)],
    ['PyTorch RSS', (r) => mb(r.torchMaxRss)],
    ['above import', (r) => mb(r.torchPeakBytes)],
    ['per sample', (r) => mb(r.torchPeakBytesPerSample)],
  ],
  compile: [
    ['case', (r) => r.case],
    ['median ms', (r) => num(r.ms)],
    ['(min–max)', (r) => range(r.spread)],
    ['first ms', (r) => num(r.firstMs)],
    ['networks', (r) => num(r.networks)],
  ],
  genotypes: [
    ['example', (r) => r.case],
    ['searched', (r) => pct(r.searched)],
    ['random (3)', (r) => (Array.isArray(r.random) ? r.random.map(pct).join(' ') : '-')],
    ['random mean', (r) => pct(r.randomMean)],
    ['beats it', (r) => (r.beats ? 'yes' : 'NO')],
  ],
  methods: [
    ['example/method', (r) => r.case],
    ['held-out accuracy', (r) => `${pct(r.mean)} ± ${pct(r.std)}`],
    ['per seed', (r) => (Array.isArray(r.accuracy) ? r.accuracy.map(pct).join(' ') : '-')],
    ['search s', (r) => num(r.seconds)],
    ['peak MiB', (r) => num(r.peakMiB)],
    ['param-free', (r) => pct(r.free)],
    ['beats random', (r) => (r.beats === undefined ? '' : r.beats ? 'yes' : 'no')],
  ],
  engine: [
    ['case', (r) => r.case],
    ['workers', (r) => num(r.workers)],
    ['native ms', (r) => num(r.nativeMs)],
    ['pytorch engine', (r) => num(r.pytorchEngineMs)],
    ['PyTorch ms', (r) => num(r.torchReferenceMs)],
    ['native/PT', (r) => num(r.nativeOverTorch)],
    ['engine/PT', (r) => num(r.pytorchEngineOverTorch)],
    ['native/engine', (r) => num(r.nativeOverPytorchEngine)],
  ],
  note: [['note', (r) => `${r.case}: ${String(r.message)}`]],
};

const pct = (x: unknown) => (typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '-');

const widths = [22, 8, 12, 14, 11, 14, 7, 12, 14, 12];

function line(cells: string[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 12))
    .join(' ')
    .trimEnd();
}

/** A writer of rows: JSON lines, or a table with a header at every change of section. */
export function reporter(json: boolean, write: (line: string) => void): (row: Row) => void {
  let last = '';
  return (row) => {
    if (json) return write(JSON.stringify(row));
    const kind = ['step', 'eval', 'op'].includes(row.section) ? 'timing' : row.section;
    const cols = columns[kind] ?? columns.note!;
    if (kind !== last && kind !== 'note') write('\n' + line(cols.map(([h]) => h)));
    last = kind;
    write(line(cols.map(([, f]) => f(row))));
  };
}
