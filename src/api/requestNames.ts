import type { SearchNode } from '../ast/nodes.js';
import { suggest } from '../util/suggest.js';
import type { Program } from './compile.js';
import { OptionError } from './result.js';

/**
 * Refuses a `--space` or `--search` that names nothing in the spec, as a command-line error
 * naming what the spec has (a diagnostic would point at the spec's first line, where nothing
 * is wrong).
 */
export function checkRequestNames(
  program: Program,
  request: { readonly space?: string | undefined; readonly search?: string | undefined },
): void {
  const { space, search } = request;
  if (search !== undefined) {
    const searches = program.entry.ast.items.filter((i): i is SearchNode => i.kind === 'Search');
    const names = searches.flatMap((s) => (s.name ? [s.name.value] : []));
    if (!names.includes(search))
      throw new OptionError(missing(program, search, 'search block', names));
  }
  if (space !== undefined) {
    const scope = program.scopes.get(program.entry);
    const found = scope?.lookupGlobal(space);
    if (found?.kind === 'decl' && found.symbol.decl.kind === 'Space') return;
    const names = [...program.scopes.values()]
      .flatMap((s) => [...s.own.values(), ...[...s.imported.values()].flat()])
      .filter((s) => s.decl.kind === 'Space')
      .map((s) => s.decl.name.value);
    throw new OptionError(missing(program, space, 'space', [...new Set(names)]));
  }
}

function missing(program: Program, name: string, what: string, names: readonly string[]): string {
  const has = names.length ? names.map((n) => `\`${n}\``).join(', ') : 'none';
  const near = suggest(name, names);
  const mean = near.length ? `; did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
  return `cannot find ${what} \`${name}\` in ${program.spec} (its ${what}s: ${has})${mean}`;
}
