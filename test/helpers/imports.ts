import { posix } from 'node:path';
import ts from 'typescript';

/**
 * The import guard behind test/architecture.test.ts, as pure functions over in-memory
 * sources so it can itself be tested. Paths are repository-relative with `/` separators
 * (`src/util/x.ts`); only files under `src/` are subject to the layout.
 */

export interface Source {
  path: string;
  text: string;
}

/** The allowed shape of src/. */
export interface Layout {
  /** Each folder of src/ (relative to src/) with the folders it may import besides itself. */
  folders: Readonly<Record<string, readonly string[]>>;
  /** Files directly in src/ that belong to a folder (the package entry). */
  rootFiles: Readonly<Record<string, string>>;
  /** Folders outside src/ (repository-relative) with the src/ folders that may import them. */
  outside: Readonly<Record<string, readonly string[]>>;
  /** Package prefixes (`@tensorflow/`) with the only src/ files that may import them. */
  packages: Readonly<Record<string, readonly string[]>>;
  /** Files that may import()/require() a computed specifier, each with the reason. */
  computed: Readonly<Record<string, string>>;
}

export type ImportKind =
  /** `import x from`, `import { a } from`, `import * as ns from` (also `{ type a }`, which still loads) */
  | 'import'
  /** `import type … from` (erased) */
  | 'import type'
  /** `import '…'` */
  | 'side-effect import'
  /** `export { a } from`, `export * as ns from` */
  | 'export from'
  /** `export type { a } from` (erased) */
  | 'export type from'
  /** `export * from` */
  | 'export *'
  /** `import('…')`, `await import('…')` */
  | 'dynamic import'
  /** `import('…').T` in a type */
  | 'type import()'
  /** `import x = require('…')` */
  | 'import = require'
  /** `require('…')`, `createRequire(…)('…')`, and any name bound to `createRequire(…)` */
  | 'require'
  /** `require.resolve('…')`, `createRequire(…).resolve('…')` */
  | 'require.resolve'
  /** `declare module '…' { … }` (augments another module's types) */
  | 'declare module'
  /** `/// <reference path|types="…" />` */
  | 'reference';

export interface ImportRef {
  kind: ImportKind;
  /** The module specifier; undefined when it is computed at run time. */
  specifier: string | undefined;
  /** Erased from the emitted JavaScript: it cannot take part in a run-time cycle. */
  typeOnly: boolean;
  line: number;
}

export interface Violation {
  file: string;
  line: number;
  kind: ImportKind | 'placement';
  specifier: string | undefined;
  message: string;
}

const TYPE_ONLY: ReadonlySet<ImportKind> = new Set([
  'import type',
  'export type from',
  'type import()',
  'declare module',
  'reference',
]);

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[mc]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function literal(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

/** Every module reference in a file, of every kind, found by parsing (not by pattern). */
export function collectImports(path: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const refs: ImportRef[] = [];
  const add = (kind: ImportKind, specifier: string | undefined, at: number) =>
    refs.push({
      kind,
      specifier,
      typeOnly: TYPE_ONLY.has(kind),
      line: sf.getLineAndCharacterOfPosition(at).line + 1,
    });

  for (const ref of sf.referencedFiles) add('reference', ref.fileName, ref.pos);
  for (const ref of sf.typeReferenceDirectives) add('reference', ref.fileName, ref.pos);

  // Names that call like `require`: the global, and locals bound to createRequire(…)
  // (however createRequire itself was imported or renamed).
  const requires = new Set(['require']);
  const createRequires = new Set(['createRequire']);
  const isCreateRequire = (e: ts.Expression): boolean =>
    ts.isCallExpression(e) &&
    ((ts.isIdentifier(e.expression) && createRequires.has(e.expression.text)) ||
      (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'createRequire'));
  const isRequire = (e: ts.Expression): boolean =>
    (ts.isIdentifier(e) && requires.has(e.text)) || isCreateRequire(e);

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const spec = literal(node.moduleSpecifier);
      const clause = node.importClause;
      const kind = !clause ? 'side-effect import' : clause.isTypeOnly ? 'import type' : 'import';
      add(kind, spec, node.getStart(sf));
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings) && /^(node:)?module$/.test(spec ?? '')) {
        for (const el of bindings.elements) {
          if ((el.propertyName ?? el.name).text === 'createRequire')
            createRequires.add(el.name.text);
        }
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const spec = literal(node.moduleSpecifier);
      const kind = node.isTypeOnly
        ? 'export type from'
        : node.exportClause
          ? 'export from'
          : 'export *';
      add(kind, spec, node.getStart(sf));
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(
        node.isTypeOnly ? 'import type' : 'import = require',
        literal(node.moduleReference.expression),
        node.getStart(sf),
      );
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(
        'type import()',
        ts.isLiteralTypeNode(arg) ? literal(arg.literal) : undefined,
        node.getStart(sf),
      );
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      add('declare module', node.name.text, node.getStart(sf));
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      isCreateRequire(node.initializer)
    ) {
      requires.add(node.name.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const arg = node.arguments[0];
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        add('dynamic import', literal(arg), node.getStart(sf));
      } else if (isRequire(callee)) {
        add('require', literal(arg), node.getStart(sf));
      } else if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'resolve' &&
        isRequire(callee.expression)
      ) {
        add('require.resolve', literal(arg), node.getStart(sf));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs.sort((a, b) => a.line - b.line);
}

/** The file a relative specifier names, with the `.js` of an ESM import mapped to `.ts`. */
export function resolveRelative(from: string, specifier: string): string {
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  return target.replace(/\.(m|c)?js(x)?$/, (_, m: string | undefined, x: string | undefined) =>
    x ? '.tsx' : `.${m ?? ''}ts`,
  );
}

/** The src/ folder of a file, or undefined when it is in none of the layout's folders. */
export function folderOf(path: string, layout: Layout): string | undefined {
  if (!path.startsWith('src/')) return undefined;
  const rel = path.slice('src/'.length);
  if (!rel.includes('/')) return layout.rootFiles[rel];
  return Object.keys(layout.folders)
    .filter((f) => rel.startsWith(`${f}/`))
    .sort((a, b) => b.length - a.length)[0];
}

const relative = (spec: string) => spec === '.' || spec === '..' || /^\.\.?\//.test(spec);

/** Every import in `files` that the layout forbids, and every file of src/ outside it. */
export function importViolations(files: readonly Source[], layout: Layout): Violation[] {
  const violations: Violation[] = [];
  for (const { path, text } of files) {
    if (!path.startsWith('src/')) continue;
    const from = folderOf(path, layout);
    if (from === undefined) {
      violations.push({
        file: path,
        line: 1,
        kind: 'placement',
        specifier: undefined,
        message: 'not in a known folder',
      });
      continue;
    }
    for (const ref of collectImports(path, text)) {
      const report = (message: string) =>
        violations.push({
          file: path,
          line: ref.line,
          kind: ref.kind,
          specifier: ref.specifier,
          message,
        });
      const spec = ref.specifier;
      if (spec === undefined) {
        if (!(path in layout.computed)) {
          report(
            'computed specifier: the guard cannot check it (list the file in `computed`, with the reason, if it must)',
          );
        }
        continue;
      }
      if (relative(spec)) {
        const target = resolveRelative(path, spec);
        if (!target.startsWith('src/')) {
          const out = Object.keys(layout.outside).find(
            (o) => target === o || target.startsWith(`${o}/`),
          );
          if (!out || !layout.outside[out]!.includes(from)) {
            report(`${from} may not import ${target}, outside src/`);
          }
          continue;
        }
        const to = folderOf(target, layout);
        if (to === undefined) report(`${target} is not in a known folder`);
        else if (to !== from && !layout.folders[from]!.includes(to)) {
          report(`${from} may not import ${to}`);
        }
        continue;
      }
      if (/^(#|\/|file:)/.test(spec)) {
        report('neither relative nor a package: the guard cannot check it');
        continue;
      }
      for (const [prefix, owners] of Object.entries(layout.packages)) {
        if (
          (spec === prefix.replace(/\/$/, '') || spec.startsWith(prefix)) &&
          !owners.includes(path)
        ) {
          report(
            `only ${owners.map((o) => o.replace(/^src\//, '')).join(', ')} may import ${prefix}*`,
          );
        }
      }
    }
  }
  return violations;
}

/** One line per violation: `src/util/x.ts:3 side-effect import '../cli/main.js': util may not import cli`. */
export function formatViolation(v: Violation): string {
  const spec =
    v.kind === 'placement'
      ? ''
      : ` ${v.kind} ${v.specifier === undefined ? '(computed)' : `'${v.specifier}'`}`;
  return `${v.file}:${v.line}${spec}: ${v.message}`;
}

/**
 * The import cycles among `files`, one per strongly connected component (the shortest
 * cycle through its first file), each as the list of files in order, first file repeated.
 * Type-only references (`import type`, `export type … from`, `import('…').T`, `declare
 * module`, `/// <reference>`) are left out: they are erased before run time, so they cannot
 * cause an initialisation-order bug, and between folders the acyclic layout forbids them
 * anyway. `import { type A } from` is not type-only: under verbatimModuleSyntax it still
 * loads the module.
 */
export function importCycles(files: readonly Source[]): string[][] {
  const paths = new Set(files.map((f) => f.path));
  const graph = new Map<string, string[]>();
  for (const { path, text } of files) {
    const targets = collectImports(path, text)
      .filter((r) => !r.typeOnly && r.specifier !== undefined && relative(r.specifier))
      .map((r) => resolveRelative(path, r.specifier!))
      .filter((t) => paths.has(t));
    graph.set(path, [...new Set(targets)].sort());
  }

  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strongConnect(v);

  const cycles: string[][] = [];
  for (const component of components) {
    const start = component[0]!;
    if (component.length === 1 && !graph.get(start)!.includes(start)) continue;
    // Breadth-first search inside the component for the shortest way back to start.
    const members = new Set(component);
    const previous = new Map<string, string>();
    const queue = [start];
    let end: string | undefined;
    while (queue.length > 0 && end === undefined) {
      const v = queue.shift()!;
      for (const w of graph.get(v)!) {
        if (w === start) {
          end = v;
          break;
        }
        if (members.has(w) && !previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    const cycle = [start];
    for (let v = end!; v !== start; v = previous.get(v)!) cycle.splice(1, 0, v);
    cycles.push([...cycle, start]);
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Problems with the layout itself: unknown folders named, and edges that would allow a cycle. */
export function layoutProblems(layout: Layout): string[] {
  const problems: string[] = [];
  const known = new Set(Object.keys(layout.folders));
  for (const [folder, deps] of Object.entries(layout.folders)) {
    for (const d of deps) {
      if (d === folder) problems.push(`${folder} lists itself`);
      else if (!known.has(d)) problems.push(`${folder} lists unknown folder ${d}`);
    }
  }
  for (const [file, folder] of Object.entries(layout.rootFiles)) {
    if (!known.has(folder)) problems.push(`${file} belongs to unknown folder ${folder}`);
  }
  for (const [out, folders] of Object.entries(layout.outside)) {
    for (const f of folders) if (!known.has(f)) problems.push(`${out} lists unknown folder ${f}`);
  }
  const graph = Object.keys(layout.folders).map((f) => ({
    path: `src/${f}/index.ts`,
    text: (layout.folders[f] ?? [])
      .filter((d) => known.has(d) && d !== f)
      .map(
        (d) =>
          `import './${posix.relative(posix.join('src', f), posix.join('src', d, 'index.js'))}';`,
      )
      .join('\n'),
  }));
  for (const cycle of importCycles(graph)) {
    problems.push(
      `the folders may import in a cycle: ${cycle.map((p) => p.slice(4, -'/index.ts'.length)).join(' -> ')}`,
    );
  }
  return problems;
}
