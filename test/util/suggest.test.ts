import { describe, expect, it } from 'vitest';

import { editDistance, suggest } from '../../src/util/suggest.js';

describe('util: suggest', () => {
  it('finds a one-letter typo', () => {
    expect(suggest('sep_conv_3x4', ['sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3'])).toEqual([
      'sep_conv_3x3',
    ]);
  });

  it('ranks closer names first and breaks ties in natural order', () => {
    expect(suggest('conv', ['conv2d', 'conv1d', 'relu'])).toEqual(['conv1d', 'conv2d']);
  });

  it('prefers a case-only difference', () => {
    expect(suggest('img', ['Img', 'Seq', 'Vec'])).toEqual(['Img']);
  });

  it('returns nothing when every name is too far away', () => {
    expect(suggest('epochs', ['zzz', 'aaaaaaaa'])).toEqual([]);
  });

  it('returns at most five names', () => {
    expect(suggest('ab', ['aa', 'ab1', 'ab2', 'ab3', 'ab4', 'ab5', 'ab6'])).toHaveLength(5);
  });

  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('epcohs', 'epochs')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
