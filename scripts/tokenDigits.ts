import { loadDataset } from '../src/runtime/data.js';

/** The grid of the token view: the central 20x20 pixels (where MNIST centres its digits), 2x2-averaged. */
const CROP = 4;
const SIDE = 10;
/** Grey levels, and so the vocabulary: token t is intensity in [t/LEVELS, (t+1)/LEVELS). */
export const LEVELS = 8;
export const TOKEN_LENGTH = SIDE * SIDE;

/**
 * MNIST digits as token sequences, one JSON line each (`{"tokens": [...], "label": d}`): the
 * stand-in for text that examples/p3b5_tokens.darts searches over, since no text corpus is
 * available offline. Each digit becomes 100 ids in 0..7 read row by row, so a model must
 * learn what the ids mean (an embedding) and how they combine along the sequence.
 */
export function tokenDigits(count: number): string {
  const digits = loadDataset(
    { kind: 'mnist', args: { limit: count, normalize: false } },
    { layout: 'Img', dims: [28, 28, 1] },
    10,
  );
  const lines: string[] = [];
  for (let s = 0; s < digits.size; s++) {
    const image = digits.x.subarray(s * 784, (s + 1) * 784);
    const tokens: number[] = [];
    for (let r = 0; r < SIDE; r++)
      for (let c = 0; c < SIDE; c++) {
        const at = (dr: number, dc: number) => image[(CROP + 2 * r + dr) * 28 + CROP + 2 * c + dc]!;
        const mean = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
        tokens.push(Math.min(LEVELS - 1, Math.floor(mean * LEVELS)));
      }
    lines.push(JSON.stringify({ tokens, label: digits.y[s] }));
  }
  return lines.join('\n') + '\n';
}
