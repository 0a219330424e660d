import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { check } from '../../src/check/check.js';
import { networkParams } from '../../src/elaborate/model.js';
import { buildNetwork } from '../../src/elaborate/buildNetwork.js';
import { nodeHost } from '../../src/api/host.js';
import { graphParams } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { printIr } from '../../src/ir/print.js';
import { verify } from '../../src/ir/verify.js';

/**
 * The IR dump of every example's search supernet, and of the DARTS_V2 derived network, is a
 * golden file in fixtures/ir/. `UPDATE_GOLDENS=1 npm test` rewrites them; review the diff.
 */
const root = join(import.meta.dirname, '..', '..');
const update = process.env.UPDATE_GOLDENS === '1';
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.darts'))
  .sort();

function build(file: string, genotype?: string) {
  const path = join(root, 'examples', file);
  const checked = check(path, readFileSync(path, 'utf8'), nodeHost(root));
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const built = buildNetwork(
    { entry: checked.value.program.entry, scopes: checked.value.scopes },
    genotype ? { genotype, aux: true } : {},
  );
  expect(built.diagnostics).toEqual([]);
  return built.value!;
}

function compareGolden(name: string, text: string) {
  const golden = join(root, 'test', 'fixtures', 'ir', name);
  if (update) writeFileSync(golden, text);
  if (!existsSync(golden)) throw new Error(`missing ${golden}; run UPDATE_GOLDENS=1 npm test`);
  expect(text).toBe(readFileSync(golden, 'utf8'));
}

describe('ir: golden dumps', () => {
  it('covers every example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of examples) {
    it(`dumps the supernet of ${file} as its golden`, () => {
      const net = build(file);
      const graph = lower(net);
      expect(verify(graph)).toEqual([]);
      expect(graphParams(graph)).toBe(networkParams(net));
      compareGolden(file.replace(/\.darts$/, '.ir.txt'), printIr(graph));
    });
  }

  it('dumps the DARTS_V2 derived network of the CIFAR space', () => {
    const net = build('darts_cifar10.darts', 'DARTS_V2');
    const graph = lower(net);
    expect(graph.nodes.some((n) => n.op === 'mixed')).toBe(false);
    expect(graphParams(graph)).toBe(networkParams(net));
    compareGolden('darts_cifar10.DARTS_V2.ir.txt', printIr(graph));
  });
});
