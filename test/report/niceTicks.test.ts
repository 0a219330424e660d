import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatTick, maxPlottable, niceTicks } from '../../src/report/niceTicks.js';

/** Whether `step` is 1, 2 or 5 times a power of ten. */
function isNice(step: number): boolean {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6);
}

describe('report: niceTicks', () => {
  it('picks 1-2-5 steps that cover the range', () => {
    expect(niceTicks(0, 1).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1.07, 2.35).values).toEqual([1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4]);
    expect(niceTicks(0.3, 0.7).values).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(-3, 97).values).toEqual([-20, 0, 20, 40, 60, 80, 100]);
  });

  it('widens an empty range around its value', () => {
    expect(niceTicks(2, 2)).toMatchObject({ min: 1.8, max: 2.2 });
    expect(niceTicks(0, 0)).toMatchObject({ min: -1, max: 1 });
    expect(niceTicks(1, 1, { integer: true }).values).toEqual([0, 1, 2]);
  });

  it('steps by whole numbers when asked', () => {
    expect(niceTicks(1, 3, { count: 6, integer: true }).values).toEqual([1, 2, 3]);
    expect(niceTicks(1, 50, { count: 6, integer: true }).values).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('covers any finite range with evenly spaced nice ticks (property)', () => {
    const bound = fc.double({ min: -maxPlottable, max: maxPlottable, noNaN: true });
    fc.assert(
      fc.property(bound, bound, fc.boolean(), (a, b, integer) => {
        const t = niceTicks(a, b, { integer });
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        expect(t.min).toBeLessThanOrEqual(lo);
        expect(t.max).toBeGreaterThanOrEqual(hi);
        expect(isNice(t.step)).toBe(true);
        if (integer) expect(t.step).toBeGreaterThanOrEqual(1);
        expect(t.values.length).toBeGreaterThanOrEqual(2);
        expect(t.values.length).toBeLessThanOrEqual(13);
        t.values.forEach((v, i) => {
          expect(Number.isFinite(v)).toBe(true);
          const expected = t.values[0]! + i * t.step;
          expect(Math.abs(v - expected)).toBeLessThanOrEqual(
            Math.abs(expected) * 1e-9 + t.step * 1e-9,
          );
        });
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('report: formatTick', () => {
  it('writes as many decimals as the step needs', () => {
    expect(formatTick(0.4, 0.2)).toBe('0.4');
    expect(formatTick(2, 0.2)).toBe('2.0');
    expect(formatTick(0.014, 0.002)).toBe('0.014');
    expect(formatTick(0, 0.2)).toBe('0.0');
    expect(formatTick(40, 20)).toBe('40');
    expect(formatTick(-0, 1)).toBe('0');
  });

  it('writes percentages', () => {
    expect(formatTick(0.6, 0.2, true)).toBe('60%');
    expect(formatTick(0.925, 0.005, true)).toBe('92.5%');
  });

  it('switches to exponents for very large or small numbers', () => {
    expect(formatTick(3e38, 1e38)).toBe('3e+38');
    expect(formatTick(1.5e-9, 5e-10)).toBe('1.5e-9');
  });
});
