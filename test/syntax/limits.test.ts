import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';
import { SourceFile } from '../../src/source/SourceFile.js';
import { limits } from '../../src/syntax/limits.js';
import { parse } from '../../src/syntax/parse.js';
import { checkSource } from '../helpers/host.js';

/**
 * Hostile specs found by a tester (issue 13), each of which crashed the compiler with
 * `RangeError: Maximum call stack size exceeded` or took seconds and gigabytes: every one now
 * gets one diagnostic, within a time limit, through the whole of `check` (parse, names,
 * elaboration). Specs at the limits still compile, so the limits do not cut off what they
 * promise to allow.
 */

/** `tiny.darts` with `epochs` set to an expression, so that the expression is evaluated. */
const withEpochs = (expression: string, before = '') => `import std.ops2d
${before}
cell Tiny(C: int) {
  ops    [none, max_pool_3x3, skip_connect, sep_conv_3x3]
  nodes  2
}

space TinyNet(C: int = 4) : Img[8, 8, 3] -> Logits[2] {
  stem  conv2d(2 * C, 3, padding: 1) >> batch_norm(affine: true)
  cells stack(2, normal: Tiny)
  head  global_avg_pool >> dense(2)
}

search {
  space   TinyNet(C: 4)
  data    synthetic(samples: 64, classes: 2, seed: 1)
  epochs  ${expression}
  batch   16
}
`;

/** A primitive `p` of `stages` relu stages, used as a candidate of the tiny cell. */
const withPipeline = (stages: number) =>
  withEpochs('1').replace('sep_conv_3x3', 'p') +
  `primitive p(C: int) : Img[h, w, C] -> Img[h, w, C] = ${Array(stages).fill('relu').join(' >> ')}\n`;

const nested = (open: string, inner: string, close: string, depth: number) =>
  open.repeat(depth) + inner + close.repeat(depth);

const codes = (text: string) => checkSource(text).diagnostics.map((d) => d.code);

/** The value `epochs` gets: the search settings are checked, so a wrong value is E0312. */
const epochsCheck = (expression: string) => codes(withEpochs(expression));

describe('syntax: limits on hostile specs (issue 13)', () => {
  const fast = { timeout: 10_000 };

  it('refuses parentheses 196 levels deep (E0109)', fast, () => {
    expect(epochsCheck(nested('(', '3', ')', 196))).toEqual(['E0109']);
  });

  it('refuses lists 186 levels deep (E0109)', fast, () => {
    expect(codes(`let x = ${nested('[', '1', ']', 186)}\n`)).toEqual(['E0109']);
  });

  it('refuses 1,098 unary minus signs (E0109)', fast, () => {
    expect(epochsCheck('-'.repeat(1098) + '3')).toEqual(['E0109']);
  });

  it('refuses 830 nested `if`, in the then branch and as an else-if chain (E0109)', fast, () => {
    const thenNested = 'if 1 == 1 then '.repeat(830) + '3' + ' else 2'.repeat(830);
    const elseChain = 'if 1 == 2 then 2 else '.repeat(830) + '3';
    expect(epochsCheck(thenNested)).toEqual(['E0109']);
    expect(epochsCheck(elseChain)).toEqual(['E0109']);
  });

  it('refuses calls nested 300 deep (E0109)', fast, () => {
    expect(codes(`let x = ${nested('f(', '1', ')', 300)}\n`)).toEqual(['E0109']);
  });

  it('refuses a sum of 4,979 terms (E0110)', fast, () => {
    expect(epochsCheck(Array(4979).fill('1').join(' + '))).toEqual(['E0110']);
  });

  it('refuses a pipeline of 2,539 stages (E0110)', fast, () => {
    expect(codes(withPipeline(2539))).toEqual(['E0110']);
  });

  it('refuses a 5 MB spec at once, without parsing it (E0111)', { timeout: 5_000 }, () => {
    const line = 'let a = 1 + 2 * 3 // a line of a generated spec, padded out\n';
    const text = line.repeat(Math.ceil(5_000_000 / line.length));
    const started = performance.now();
    const result = checkSource(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E0111']);
    expect(result.diagnostics[0]!.message).toMatch(/more than the limit of 1,000,000 characters/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('points at the token that opens the level past the limit', () => {
    const text = `let x = ${nested('(', '1', ')', limits.nesting + 10)}\n`;
    const [d] = parse(new SourceFile('t.darts', text)).diagnostics;
    expect(d?.code).toBe('E0109');
    expect(d!.span.start).toBe('let x = '.length + limits.nesting);
    expect(d!.span.end - d!.span.start).toBe(1);
  });
});

describe('syntax: specs at the limits still compile', () => {
  const depth = limits.nesting;

  // The `search { ... }` block around `epochs` is one of the levels.
  it(`evaluates ${depth} levels of parentheses, unary minus and if`, () => {
    const inner = depth - 1;
    expect(epochsCheck(nested('(', '3', ')', inner))).toEqual([]);
    expect(epochsCheck(nested('(-', '3', ')', inner / 2 - 1))).toEqual([]); // an even count: 3
    expect(epochsCheck('if 1 == 1 then '.repeat(inner) + '3' + ' else 2'.repeat(inner))).toEqual(
      [],
    );
    // After a setting's name the first `-` reads as binary at the token level: one more.
    expect(epochsCheck('-'.repeat(inner + 2) + '3')).toEqual(['E0109']);
  });

  it(`accepts ${depth} levels of mixed brackets, calls, unary minus and if`, () => {
    // Each round opens three levels: a list, a call and a unary minus.
    const rounds = Math.floor(depth / 3);
    const text = `let x = ${nested('[max(-', '1', ')]', rounds)}\n`;
    expect(parse(new SourceFile('t.darts', text)).diagnostics).toEqual([]);
    expect(codes(text).filter((c) => c.startsWith('E01'))).toEqual([]);
  });

  it(`parses and checks calls nested ${depth} deep (the most rules per level)`, () => {
    const text = `let x = ${nested('f(', '1', ')', depth)}\n`;
    expect(parse(new SourceFile('t.darts', text)).diagnostics).toEqual([]);
    expect(codes(text).filter((c) => c.startsWith('E01'))).toEqual([]);
  });

  it('does not count operands closed by a binary operator, or separate list elements', () => {
    const minusChain = Array(120).fill('-1').join(' - ');
    const list = `[${Array(200).fill('-(-1)').join(', ')}]`;
    const ifs = Array.from({ length: 200 }, (_, i) => `let v${i} = if 1 == 1 then 1 else 2\n`);
    for (const text of [`let a = ${minusChain}\n`, `let b = ${list}\n`, ifs.join('')]) {
      expect(parse(new SourceFile('t.darts', text)).diagnostics).toEqual([]);
    }
  });

  it('evaluates a sum of 250 terms and compiles a pipeline of 250 stages', () => {
    expect(epochsCheck(Array(250).fill('1').join(' + '))).toEqual([]);
    expect(codes(withPipeline(250))).toEqual([]);
  });
});

describe('syntax: limits through the command line', () => {
  it('reports a hostile spec with exit code 1 and a code frame, not exit 70', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-limits-'));
    try {
      writeFileSync(join(dir, 'deep.darts'), `let x = ${nested('(', '1', ')', 196)}\n`);
      let err = '';
      const code = await main(['check', 'deep.darts'], {
        stdout: () => {},
        stderr: (t) => (err += t),
        cwd: dir,
        color: false,
      });
      expect(code).toBe(1);
      expect(err).toContain('error[E0109]');
      expect(err).toContain('--> deep.darts:1:');
      expect(err).toContain('= help:');
      expect(err).not.toMatch(/RangeError|internal compiler error|\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
