import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering of src/: each folder imports only folders to its left, and nothing imports in
 * a cycle. Only backends/tfjs/tf.ts may import @tensorflow/*.
 */
const layers = [
  'util',
  'source',
  'diagnostics',
  'ast',
  'syntax',
  'intrinsics',
  'check',
  'ir',
  'backends/tfjs',
  'backends/ts',
  'runtime',
  'cli',
];
const src = resolve(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(path: string): number {
  const rel = relative(src, path).replace(/\\/g, '/');
  const index = layers.findIndex((l) => rel === `${l}.ts` || rel.startsWith(`${l}/`));
  return index;
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('architecture', () => {
  const all = files(src).filter((f) => !f.endsWith('index.ts'));

  it('puts every source file in a known layer', () => {
    const unknown = all.filter((f) => layerOf(f) < 0).map((f) => relative(src, f));
    expect(unknown).toEqual([]);
  });

  it('imports only from the same or earlier layers', () => {
    const violations: string[] = [];
    for (const file of all) {
      for (const spec of imports(file)) {
        if (spec.startsWith('@tensorflow/') && !file.endsWith(join('backends', 'tfjs', 'tf.ts'))) {
          violations.push(`${relative(src, file)} imports ${spec}`);
        }
        if (!spec.startsWith('.')) continue;
        const target = resolve(file, '..', spec);
        if (!target.startsWith(src)) continue;
        if (layerOf(target) > layerOf(file)) {
          violations.push(`${relative(src, file)} -> ${relative(src, target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const file of all) {
      graph.set(
        file,
        imports(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolve(file, '..', s).replace(/\.js$/, '.ts'))
          .filter((t) => t.startsWith(src)),
      );
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push(
          [...path.slice(path.indexOf(node)), node].map((p) => relative(src, p)).join(' -> '),
        );
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps src files at a readable size', () => {
    const long = all
      // The parser, the CST-to-AST mapping, the intrinsics table and the code catalogue mirror
      // the grammar or the registry one-to-one, so they may run longer.
      .filter((f) => !/(parser|cstToAst|registry|codes)\.ts$/.test(f))
      .filter((f) => readFileSync(f, 'utf8').split('\n').length > 450)
      .map((f) => relative(src, f));
    expect(long).toEqual([]);
  });
});
