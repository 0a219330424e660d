import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compile } from '../../src/api/compile.js';
import { graphParams } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { fuzzScale, mutateSpec, Random } from './mutate.js';

/**
 * Spec fuzzing (docs/reliability.md): specs mutated from the examples and the diagnostic
 * fixtures (cut, spliced, hostile numbers, deep nesting, long chains) go through compile and
 * lowering. Each must end in a value or diagnostics with a code, never an exception, and in
 * little time. A failing case is written to the temp folder to reproduce it.
 */
const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'examples');
const fixtures = join(root, 'test', 'fixtures', 'diagnostics');
const seeds = [
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.darts'))
    .map((f) => join(examples, f)),
  ...readdirSync(fixtures)
    .filter((f) => f.endsWith('.darts'))
    .map((f) => join(fixtures, f)),
].map((path) => readFileSync(path, 'utf8'));

const cases = 4_000 * fuzzScale;
const perCaseMs = 3_000;

/** Compiles and lowers one spec; the failure, if any. */
function tryOne(text: string): string | undefined {
  const started = performance.now();
  try {
    const result = compile({ text, path: join(examples, 'fuzz.darts') }, { cwd: examples });
    for (const d of result.diagnostics)
      if (!/^[EW]\d{4}$/.test(d.code)) return `a diagnostic without a code: ${d.message}`;
    for (const search of result.value?.searches ?? []) graphParams(lower(search.network));
  } catch (error) {
    return `threw ${(error as Error).stack ?? String(error)}`.slice(0, 2000);
  }
  const ms = performance.now() - started;
  return ms > perCaseMs ? `took ${ms.toFixed(0)} ms` : undefined;
}

describe('fuzz: specs', () => {
  it(`compiles ${cases} mutated specs without an exception or a hang`, () => {
    const rng = new Random(20261206);
    const failures: string[] = [];
    const dir = join(tmpdir(), 'dartsc-fuzz-specs');
    for (let i = 0; i < cases && failures.length < 5; i++) {
      const text = mutateSpec(seeds[rng.int(seeds.length)]!, rng);
      const failure = tryOne(text);
      if (!failure) continue;
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `case-${i}.darts`);
      writeFileSync(file, text);
      failures.push(`${file}: ${failure}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
