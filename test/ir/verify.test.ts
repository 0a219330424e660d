import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { check } from '../../src/check/check.js';
import { buildNetwork } from '../../src/elaborate/buildNetwork.js';
import { nodeHost } from '../../src/api/host.js';
import type { IrGraph, IrNode } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { verify } from '../../src/ir/verify.js';

const root = join(import.meta.dirname, '..', '..');

function tinyGraph(): IrGraph {
  const path = join(root, 'examples', 'tiny.darts');
  const checked = check(path, readFileSync(path, 'utf8'), nodeHost(root));
  return lower(
    buildNetwork({ entry: checked.value.program.entry, scopes: checked.value.scopes }).value!,
  );
}

/** A copy of the graph with node `id` replaced. */
function withNode(graph: IrGraph, id: number, change: (n: IrNode) => object): IrGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? (change(n) as IrNode) : n)) };
}

const find = (g: IrGraph, pred: (n: IrNode) => boolean) => g.nodes.find(pred)!;

describe('ir: verify', () => {
  const graph = tinyGraph();

  it('accepts what lowering produces', () => {
    expect(verify(graph)).toEqual([]);
  });

  it('rejects an input that is not an earlier node (a cycle or forward edge)', () => {
    const relu = find(graph, (n) => n.op === 'relu');
    const broken = withNode(graph, relu.id, (n) => ({ ...n, inputs: [relu.id + 1] }));
    expect(verify(broken).join()).toContain('an input is not an earlier node');
  });

  it('rejects a node whose type is not what its op gives', () => {
    const conv = find(graph, (n) => n.op === 'conv2d');
    const broken = withNode(graph, conv.id, (n) => ({
      ...n,
      type: { layout: 'Img', dims: [8, 8, 9] },
    }));
    expect(verify(broken).join()).toContain('is not what conv2d gives');
  });

  it('rejects a wrong parameter count', () => {
    const conv = find(graph, (n) => n.op === 'conv2d');
    const broken = withNode(graph, conv.id, (n) => ({ ...n, params: 1 }));
    expect(verify(broken).join()).toContain('parameter count 1 is wrong');
  });

  it('rejects a mixed node with a candidate missing, or outside its table', () => {
    const mixed = find(graph, (n) => n.op === 'mixed');
    const fewer = withNode(graph, mixed.id, (n) => ({ ...n, inputs: n.inputs.slice(1) }));
    expect(verify(fewer).join()).toContain('candidates for 4 columns');
    const outside = withNode(graph, mixed.id, (n) => ({ ...n, row: 99 }));
    expect(verify(outside).join()).toContain('row 99 outside table normal');
  });

  it('rejects a table whose rows are not all used', () => {
    const broken = { ...graph, tables: graph.tables.map((t) => ({ ...t, rows: t.rows + 1 })) };
    expect(verify(broken).join()).toContain('rows used');
  });

  it('rejects an add of disagreeing inputs and a one-input concat', () => {
    const add = find(graph, (n) => n.op === 'add');
    const conv = find(graph, (n) => n.op === 'conv2d');
    const broken = withNode(graph, add.id, (n) => ({ ...n, inputs: [n.inputs[0]!, conv.id] }));
    expect(verify(broken).join()).toContain('add of disagreeing inputs');
    const concat = find(graph, (n) => n.op === 'concat');
    const single = withNode(graph, concat.id, (n) => ({ ...n, inputs: [n.inputs[0]!] }));
    expect(verify(single).join()).toContain('concat needs at least two inputs');
  });

  it('rejects duplicate names, misplaced ids, a bad output and mixed nodes in a derived network', () => {
    const relu = find(graph, (n) => n.op === 'relu');
    expect(verify(withNode(graph, relu.id, (n) => ({ ...n, name: 'input' }))).join()).toContain(
      'duplicate name',
    );
    expect(verify(withNode(graph, relu.id, (n) => ({ ...n, id: 0 }))).join()).toContain(
      'is not its position',
    );
    expect(verify({ ...graph, output: relu.id }).join()).toContain('not a Vec');
    expect(verify({ ...graph, kind: 'derived' }).join()).toContain(
      'a derived network has mixed nodes',
    );
  });
});
