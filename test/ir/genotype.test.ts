import { describe, expect, it } from 'vitest';

import {
  deriveCell,
  deriveFromProbabilities,
  deriveGenotype,
  softmax,
} from '../../src/ir/genotype.js';
import { dartsOps } from '../helpers/darts.js';

/** The DARTS candidates; `none` is excluded by its annotation. */

const columns = dartsOps;
const excluded = columns.map((c) => c === 'none');
/** DARTS wiring for `steps` nodes: node i reads states 0 .. i+1. */
const wiring = (steps: number) =>
  Array.from({ length: steps }, (_, i) => Array.from({ length: i + 2 }, (_, j) => j));
const layout = (steps: number) => ({
  columns,
  excluded,
  nodeEdges: wiring(steps),
  keep: 2,
  concat: Array.from({ length: steps }, (_, i) => i + 2),
});

describe('ir: genotype derivation (darts-semantics T3)', () => {
  it('excludes `none` even where it dominates, and puts the strongest edge first', () => {
    const alpha = [
      [5, 0, 0, 0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0.5],
      [2.9, 2.9, 2.9, 3.0, 2.9, 2.9, 2.9, 2.9],
      [0, 0, 0, 0, 0, 2, 0, 0],
      [0, 0, 0, 0, 1, 0, 0, 0],
    ];
    const p = alpha.map(softmax);
    expect(p[0]![4]).toBeCloseTo(0.0173, 4);
    expect(p[0]![0]).toBeCloseTo(0.9445, 4);
    expect(p[1]![7]).toBeCloseTo(0.1906, 4);
    expect(p[2]![3]).toBeCloseTo(0.1364, 4);
    expect(p[3]![5]).toBeCloseTo(0.5135, 4);
    expect(p[4]![4]).toBeCloseTo(0.2797, 4);
    expect(deriveCell(alpha, layout(2)).pairs).toEqual([
      ['dil_conv_5x5', 1],
      ['sep_conv_3x3', 0],
      ['sep_conv_5x5', 1],
      ['sep_conv_3x3', 2],
    ]);
  });

  it('ranks by probability, not by raw α (which would give another genotype)', () => {
    const alpha = [
      [5, 0, 0, 0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0.5],
      [2.9, 2.9, 2.9, 3.0, 2.9, 2.9, 2.9, 2.9],
      [0, 0, 0, 0, 0, 2, 0, 0],
      [0, 0, 0, 0, 1, 0, 0, 0],
    ];
    // Feeding raw α as if it were probabilities gives the wrong implementation's answer.
    expect(deriveFromProbabilities(alpha, layout(2)).pairs).toEqual([
      ['sep_conv_3x3', 0],
      ['dil_conv_5x5', 1],
      ['skip_connect', 0],
      ['sep_conv_5x5', 1],
    ]);
  });

  it('derives max_pool_3x3 on edges 0 and 1 of every node from all-zero α (the paper init)', () => {
    const alpha = Array.from({ length: 14 }, () => Array(8).fill(0));
    const cell = deriveCell(alpha, layout(4));
    expect(cell.pairs).toEqual(
      Array.from({ length: 4 }, () => [
        ['max_pool_3x3', 0],
        ['max_pool_3x3', 1],
      ]).flat(),
    );
    expect(cell.concat).toEqual([2, 3, 4, 5]);
  });

  it('breaks op ties by the lower column and edge ties by the lower input state', () => {
    const alpha = [
      [0, 1, 1, 0, 0, 0, 0, 0],
      [0, 1, 1, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 1, 0],
      [0, 0, 0, 0, 0, 1, 0, 0],
    ];
    expect(deriveCell(alpha, layout(2)).pairs).toEqual([
      ['max_pool_3x3', 0],
      ['max_pool_3x3', 1],
      ['dil_conv_5x5', 0],
      ['dil_conv_3x3', 1],
    ]);
  });

  it('gives identical results for a row shifted by a constant', () => {
    const alpha = [
      [0.3, -0.2, 0.1, 0.5, 0.4, 0, 0, 0],
      [1, 2, 3, 4, 5, 6, 7, 8],
    ];
    const shifted = alpha.map((row) => row.map((v) => v + 1000));
    expect(deriveCell(shifted, layout(1))).toEqual(deriveCell(alpha, layout(1)));
    expect(softmax(shifted[1]!)).toEqual(softmax(alpha[1]!));
  });

  it('uses the declared exclusion, wherever `none` sits (CANDLE puts it last)', () => {
    const linear = [
      'linear_block',
      'skip_connect',
      'linear_conv',
      'linear_drop',
      'encoder',
      'none',
    ];
    const cell = deriveCell([[0, 0, 0, 0, 0, 9]], {
      columns: linear,
      excluded: linear.map((c) => c === 'none'),
      nodeEdges: [[0]],
      keep: 1,
      concat: [1],
    });
    expect(cell.pairs).toEqual([['linear_block', 0]]);
  });

  it('derives every table of a supernet by name', () => {
    const zeros = Array.from({ length: 5 }, () => Array(8).fill(0));
    const g = deriveGenotype(
      [
        { name: 'normal', ...layout(2) },
        { name: 'reduce', ...layout(2) },
      ],
      { normal: zeros, reduce: zeros },
    );
    expect(Object.keys(g)).toEqual(['normal', 'reduce']);
    expect(() => deriveGenotype([{ name: 'normal', ...layout(2) }], {})).toThrow(
      /no α for table normal/,
    );
  });
});
