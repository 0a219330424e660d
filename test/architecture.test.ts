import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collectImports,
  formatViolation,
  importCycles,
  importViolations,
  layoutProblems,
  type ImportKind,
  type Layout,
  type Source,
} from './helpers/imports.js';

/**
 * The layout of src/: each folder with the folders it may import besides itself. This is
 * the whole list of allowed edges; every import kind counts (see helpers/imports.ts).
 */
const folders = {
  util: [],
  source: ['util'],
  diagnostics: ['util', 'source'],
  ast: ['util', 'source', 'diagnostics'],
  syntax: ['util', 'source', 'diagnostics', 'ast'],
  intrinsics: ['util', 'source', 'diagnostics'],
  check: ['util', 'source', 'diagnostics', 'ast', 'syntax', 'intrinsics'],
  elaborate: ['util', 'source', 'diagnostics', 'ast', 'syntax', 'intrinsics', 'check'],
  ir: ['util', 'source', 'diagnostics', 'intrinsics', 'elaborate'],
  // dartsc fmt and the prettier plugin: the printer of ast/ with the comments of the source.
  format: ['util', 'source', 'diagnostics', 'ast', 'syntax'],
  numerics: ['util', 'intrinsics'],
  // Backends never import each other; what they share lives below, in numerics/ and intrinsics/.
  'backends/tfjs': ['util', 'source', 'diagnostics', 'intrinsics', 'ir', 'numerics'],
  'backends/ts': ['util', 'source', 'diagnostics', 'intrinsics', 'ir', 'numerics'],
  // The IR as a PyTorch program: text generation only, no TensorFlow.js.
  'backends/pytorch': ['util', 'source', 'diagnostics', 'intrinsics', 'ir'],
  runtime: [
    'util',
    'source',
    'diagnostics',
    'intrinsics',
    'elaborate',
    'ir',
    'numerics',
    'backends/tfjs',
    'backends/pytorch',
  ],
  // Reads run directories and draws them; the search calls it through api/.
  report: ['util', 'source', 'diagnostics', 'intrinsics', 'elaborate', 'ir'],
  api: [
    'util',
    'source',
    'diagnostics',
    'ast',
    'syntax',
    'format',
    'intrinsics',
    'check',
    'elaborate',
    'ir',
    'numerics',
    'backends/tfjs',
    'backends/ts',
    'backends/pytorch',
    'runtime',
    'report',
  ],
  // The language server: names and scopes from check/, everything else through the API.
  lsp: ['util', 'source', 'diagnostics', 'ast', 'syntax', 'format', 'intrinsics', 'check', 'api'],
  cli: ['util', 'source', 'diagnostics', 'intrinsics', 'api', 'lsp'],
} satisfies Record<string, string[]>;

const layout: Layout = {
  folders,
  // The package entry.
  rootFiles: { 'index.ts': 'api' },
  // grammar/cst.d.ts holds the CST types generated from the grammar (npm run gen:grammar).
  outside: { grammar: ['syntax'] },
  packages: { '@tensorflow/': ['src/numerics/tf.ts'] },
  computed: {
    'src/numerics/tf.ts':
      'loads the optional @tensorflow/tfjs-node(-gpu) packages by name, trying each in turn',
    'src/runtime/data.ts': "requires the mnist package's per-digit JSON files by digit",
  },
};

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.[mc]?[jt]sx?$/.test(name) ? [path] : [];
  });
}

describe('architecture', () => {
  const tree: Source[] = files(join(root, 'src')).map((f) => ({
    path: relative(root, f).replace(/\\/g, '/'),
    text: readFileSync(f, 'utf8'),
  }));

  it('has an acyclic layout of known folders', () => {
    expect(layoutProblems(layout)).toEqual([]);
  });

  it('imports only along the layout, and @tensorflow/* only from numerics/tf.ts', () => {
    expect(importViolations(tree, layout).map(formatViolation)).toEqual([]);
  });

  it('allows computed imports only where they still occur', () => {
    const computed = new Set(
      tree
        .filter((f) => collectImports(f.path, f.text).some((r) => r.specifier === undefined))
        .map((f) => f.path),
    );
    expect(Object.keys(layout.computed).filter((f) => !computed.has(f))).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(importCycles(tree).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has a README in every folder, naming exactly the folders it may import', () => {
    for (const [folder, allowed] of Object.entries(folders)) {
      const readme = join(root, 'src', folder, 'README.md');
      expect(existsSync(readme), readme).toBe(true);
      const line = /^May import: (.*)\.$/m.exec(readFileSync(readme, 'utf8'))?.[1];
      const named =
        line === 'nothing' ? [] : [...(line ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      expect(named, folder).toEqual(allowed);
      expect(readFileSync(readme, 'utf8'), folder).toMatch(/^Must not import: /m);
    }
  });

  it('keeps src files at a readable size', () => {
    const long = tree
      // The parser, the CST-to-AST mapping, the intrinsics table and the code catalogue mirror
      // the grammar, the registry or the code catalogue one-to-one, so they may run longer.
      .filter((f) => !/(parser|cstToAst|registry|codes)\.ts$/.test(f.path))
      .filter((f) => f.text.split('\n').length > 450)
      .map((f) => f.path);
    expect(long).toEqual([]);
  });
});

describe('the import guard', () => {
  const check = (path: string, text: string) => importViolations([{ path, text }], layout);

  // Each kind, as written in a file of util/ (which may import nothing) naming cli/main.ts.
  const kinds: [ImportKind, string][] = [
    ['import', "import { main } from '../cli/main.js';\nmain;"],
    ['import', "import main from '../cli/main.js';"],
    ['import', "import * as cli from '../cli/main.js';"],
    ['import', "import { type Main } from '../cli/main.js';"],
    ['import type', "import type { Main } from '../cli/main.js';"],
    ['import type', "import type * as cli from '../cli/main.js';"],
    ['side-effect import', "import '../cli/main.js';"],
    ['export from', "export { main } from '../cli/main.js';"],
    ['export from', "export * as cli from '../cli/main.js';"],
    ['export type from', "export type { Main } from '../cli/main.js';"],
    ['export *', "export * from '../cli/main.js';"],
    ['dynamic import', "const cli = import('../cli/main.js');"],
    [
      'dynamic import',
      "export async function f() {\n  return (await import('../cli/main.js')).main;\n}",
    ],
    ['dynamic import', 'const cli = import(`../cli/main.js`);'],
    ['type import()', "export type Main = import('../cli/main.js').Main;"],
    ['type import()', "let m: typeof import('../cli/main.js');"],
    ['import = require', "import cli = require('../cli/main.js');"],
    ['require', "const cli = require('../cli/main.js');"],
    [
      'require',
      "import { createRequire } from 'node:module';\nconst cli = createRequire(import.meta.url)('../cli/main.js');",
    ],
    [
      'require',
      "import { createRequire as cr } from 'node:module';\nconst load = cr(import.meta.url);\nload('../cli/main.js');",
    ],
    ['require.resolve', "const where = require.resolve('../cli/main.js');"],
    ['declare module', "declare module '../cli/main.js' {\n  interface Main {}\n}\nexport {};"],
    ['reference', '/// <reference path="../cli/main.ts" />\nexport {};'],
  ];

  it.each(kinds)('reports a forbidden %s', (kind, text) => {
    const found = check('src/util/x.ts', text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      file: 'src/util/x.ts',
      kind,
      message: 'util may not import cli',
    });
  });

  it.each(kinds)('allows the same %s along an allowed edge', (_, text) => {
    // cli may import api; the same source, placed in cli/ and naming api/.
    expect(check('src/cli/x.ts', text.replaceAll('cli/main', 'api/main'))).toEqual([]);
  });

  it('finds a forbidden import among allowed ones, on its line', () => {
    const text = [
      "import { invariant } from '../util/invariant.js';",
      "import { SourceFile } from '../source/SourceFile.js';",
      "import { lower } from '../ir/lower.js';",
    ].join('\n');
    expect(check('src/check/x.ts', text).map(formatViolation)).toEqual([
      "src/check/x.ts:3 import '../ir/lower.js': check may not import ir",
    ]);
  });

  it('keeps backends apart', () => {
    expect(
      check('src/backends/ts/x.ts', "import '../tfjs/network.js';").map((v) => v.message),
    ).toEqual(['backends/ts may not import backends/tfjs']);
    expect(check('src/backends/ts/x.ts', "import '../../numerics/ops.js';")).toEqual([]);
  });

  it('counts src/index.ts as api and other files directly in src/ as misplaced', () => {
    expect(check('src/index.ts', "export * from './runtime/search.js';")).toEqual([]);
    expect(check('src/index.ts', "export * from './cli/main.js';")).toHaveLength(1);
    expect(check('src/cli/x.ts', "import '../index.js';")).toEqual([]);
    expect(check('src/runtime/x.ts', "import '../index.js';").map((v) => v.message)).toEqual([
      'runtime may not import api',
    ]);
    expect(check('src/helpers.ts', '').map(formatViolation)).toEqual([
      'src/helpers.ts:1: not in a known folder',
    ]);
    expect(check('src/util/x.ts', "import '../misc/y.js';").map((v) => v.message)).toEqual([
      'src/misc/y.ts is not in a known folder',
    ]);
  });

  it('allows leaving src/ only where the layout says', () => {
    expect(check('src/syntax/x.ts', "import type * as C from '../../grammar/cst.js';")).toEqual([]);
    expect(check('src/check/x.ts', "import '../../grammar/cst.js';").map((v) => v.message)).toEqual(
      ['check may not import grammar/cst.ts, outside src/'],
    );
    expect(check('src/util/x.ts', "import '../../test/helpers/cli.js';")).toHaveLength(1);
  });

  it('allows @tensorflow/* only in numerics/tf.ts, by every kind', () => {
    const tf = [
      "import * as tf from '@tensorflow/tfjs';",
      "import type { Tensor } from '@tensorflow/tfjs-core';",
      "export * from '@tensorflow/tfjs';",
      "await import('@tensorflow/tfjs-node');",
      "require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');",
    ];
    for (const text of tf) {
      expect(check('src/numerics/tf.ts', text)).toEqual([]);
      expect(check('src/backends/tfjs/x.ts', text).map((v) => v.message)).toEqual([
        'only numerics/tf.ts may import @tensorflow/*',
      ]);
    }
    expect(check('src/util/x.ts', "import prettier from 'prettier';\nimport 'node:fs';")).toEqual(
      [],
    );
  });

  it('reports a computed specifier unless the file is allowed one', () => {
    const computed = [
      'const f = (p: string) => import(p);',
      'const f = (d: number) => import(`./digits/${d}.js`);',
      'const f = (p: string) => require(p);',
      "const f = (d: number) => require('./digits/' + d + '.json');",
      'const f = (p: string) => require.resolve(p);',
    ];
    for (const text of computed) {
      expect(check('src/util/x.ts', text).map(formatViolation)).toEqual([
        expect.stringMatching(/^src\/util\/x\.ts:1 [a-z. ]+ \(computed\): computed specifier/),
      ]);
      expect(check('src/numerics/tf.ts', text)).toEqual([]);
    }
  });

  it('reports specifiers it cannot place', () => {
    expect(check('src/util/x.ts', "import '#cli';")).toHaveLength(1);
    expect(check('src/util/x.ts', "import 'file:///src/cli/main.js';")).toHaveLength(1);
  });

  it('ignores strings, comments and regexes that merely look like imports', () => {
    const text = [
      'const code = "import * as tf from \'@tensorflow/tfjs\';";',
      "// import '../cli/main.js';",
      "/* require('../cli/main.js') */",
      "const t = `export * from '../cli/main.js'`;",
      "const r = /import\\('..\\/cli\\/main.js'\\)/;",
      "const o = { require: (s: string) => s, import: 1 };\no.require('../cli/main.js');",
    ].join('\n');
    expect(check('src/util/x.ts', text)).toEqual([]);
  });

  it('finds cycles through every kind but type-only ones', () => {
    const cycle = importCycles([
      { path: 'src/check/a.ts', text: "import { b } from './b.js';" },
      { path: 'src/check/b.ts', text: "export * from './c.js';" },
      { path: 'src/check/c.ts', text: "const a = () => import('./a.js');" },
      { path: 'src/check/d.ts', text: "import './a.js';" },
    ]);
    expect(cycle).toEqual([
      ['src/check/a.ts', 'src/check/b.ts', 'src/check/c.ts', 'src/check/a.ts'],
    ]);
    expect(importCycles([{ path: 'src/util/a.ts', text: "import './a.js';" }])).toEqual([
      ['src/util/a.ts', 'src/util/a.ts'],
    ]);
    // `{ type B }` still loads b.ts under verbatimModuleSyntax; `import type` does not.
    expect(
      importCycles([
        { path: 'src/ast/a.ts', text: "import { type B } from './b.js';" },
        { path: 'src/ast/b.ts', text: "import type { A } from './a.js';" },
      ]),
    ).toEqual([]);
    expect(
      importCycles([
        { path: 'src/ast/a.ts', text: "import { type B } from './b.js';" },
        { path: 'src/ast/b.ts', text: "import { type A } from './a.js';" },
      ]),
    ).toEqual([['src/ast/a.ts', 'src/ast/b.ts', 'src/ast/a.ts']]);
  });

  it('rejects a layout that would allow a cycle', () => {
    const bad: Layout = { ...layout, folders: { ...folders, util: ['cli'] } };
    expect(layoutProblems(bad)).toEqual([
      expect.stringMatching(/^the folders may import in a cycle: .*util/),
    ]);
  });
});
