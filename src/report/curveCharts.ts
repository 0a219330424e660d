import { lineChart, type Series } from './charts.js';
import type { EpochLine, RunFiles } from './runFiles.js';

/** Loss, accuracy (when classifying), learning rate and drop-path, and time, per epoch. */
export function curveCharts(files: RunFiles): string[] {
  const epochs = files.epochs;
  if (!epochs.length) return [];
  const series = (
    name: string,
    value: (e: EpochLine) => number | null | undefined,
    color: string,
  ) => ({
    name,
    color,
    points: epochs.flatMap((e) => {
      const y = value(e);
      return typeof y === 'number' && Number.isFinite(y) ? [[e.epoch + 1, y] as const] : [];
    }),
  });
  const keep = (list: Series[]) => list.filter((s) => s.points.length > 0);
  const chart = (title: string, yLabel: string, list: Series[], percent = false) =>
    keep(list).length
      ? [lineChart({ title, xLabel: 'epoch', yLabel, series: keep(list), integerX: true, percent })]
      : [];
  return [
    ...chart('Loss', 'loss', [
      series('train', (e) => e.train.loss, train),
      series('valid', (e) => e.valid?.loss, valid),
    ]),
    ...chart(
      'Accuracy',
      'accuracy',
      [
        series('train', (e) => e.train.accuracy, train),
        series('valid', (e) => e.valid?.accuracy, valid),
      ],
      true,
    ),
    ...chart('Learning rate and drop-path', 'rate', [
      series('weights lr', (e) => e.lr, '#009e73'),
      series('drop-path', (e) => e.dropPath, '#cc79a7'),
    ]),
    ...chart('Time per epoch', 'seconds', [series('seconds', (e) => e.seconds, '#555555')]),
  ];
}

const train = '#0072b2';
const valid = '#d55e00';
