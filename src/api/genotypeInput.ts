import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import type { NetworkOptions } from '../elaborate/buildNetwork.js';
import { genotypeFromLiteral } from '../elaborate/genotypeFromLiteral.js';
import { genotypeFromJson } from '../elaborate/genotypes.js';
import { SourceFile } from '../source/SourceFile.js';
import { suggest } from '../util/suggest.js';
import type { Program } from './compile.js';
import { OptionError, type Result } from './result.js';

/**
 * A genotype: the name of a `genotype` in the spec (or one it imports); a run directory of
 * `dartsc run` or `dartsc train` (its `genotype.json`); a `genotype.json` file; a file with one
 * `genotype` literal, such as the `genotype.darts` a run writes; or the JSON itself
 * (`{ "normal": [["sep_conv_3x3", 0], ...], "normal_concat": [2, 3], ... }`). Paths are
 * relative to the program's `cwd`; a name the spec declares wins over a path.
 */
export type GenotypeInput = string | Readonly<Record<string, unknown>>;

/** How a genotype input reaches `buildNetwork`, and its label; or the problems of its file. */
type Resolved =
  | { options: Partial<NetworkOptions>; label?: string }
  | { diagnostics: Result<never>['diagnostics'] };

/**
 * Resolves a genotype input. A name that is neither declared nor a path, a missing path, or
 * a directory without a genotype is an `OptionError` (a command-line problem, not the spec's);
 * what is wrong inside a genotype file is a diagnostic in that file.
 */
export function resolveGenotype(program: Program, genotype: GenotypeInput | undefined): Resolved {
  if (genotype === undefined) return { options: {} };
  if (typeof genotype !== 'string')
    return fromFile(new SourceFile('genotype', JSON.stringify(genotype, null, 2)), 'genotype');
  const declared = declaredGenotypes(program);
  if (declared.includes(genotype)) return { options: { genotype }, label: genotype };
  const path = resolve(program.cwd, genotype);
  const kind = pathKind(path);
  if (kind === 'directory') return fromRunDir(genotype, path);
  if (kind === 'file')
    return fromFile(new SourceFile(genotype, readText(path, genotype)), basename(genotype));
  throw new OptionError(notFound(program, genotype, declared));
}

/** The genotypes a name can reach from the spec: its own and those it imports. */
function declaredGenotypes(program: Program): string[] {
  const scope = program.scopes.get(program.entry);
  if (!scope) return [];
  const symbols = [...scope.own.values(), ...[...scope.imported.values()].flat()];
  return [
    ...new Set(symbols.filter((s) => s.decl.kind === 'Genotype').map((s) => s.decl.name.value)),
  ];
}

function pathKind(path: string): 'file' | 'directory' | undefined {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** A run directory's genotype: `genotype.json`, else `genotype.darts`. */
function fromRunDir(name: string, path: string): Resolved {
  for (const file of ['genotype.json', 'genotype.darts']) {
    if (pathKind(join(path, file)) !== 'file') continue;
    const shown = join(name, file);
    return fromFile(
      new SourceFile(shown, readText(join(path, file), shown)),
      `${basename(path)}/${file}`,
    );
  }
  throw new OptionError(
    `\`${name}\` holds no genotype.json: give a run directory of \`dartsc run\` (after its first epoch) or of \`dartsc train\``,
  );
}

/** A genotype file: JSON (by its name, else by its first character) or a `genotype` literal. */
function fromFile(file: SourceFile, label: string): Resolved {
  const json =
    file.name.endsWith('.json') || (!file.name.endsWith('.darts') && /^\s*[[{]/.test(file.text));
  const parsed = json ? genotypeFromJson(file) : genotypeFromLiteral(file);
  if (!parsed.value) return { diagnostics: parsed.diagnostics };
  return { options: { genotypeChoices: parsed.value }, label };
}

/** Why a genotype string names nothing, with what it may have meant. */
function notFound(program: Program, name: string, declared: readonly string[]): string {
  if (!/^[A-Za-z_]\w*$/.test(name))
    return `cannot find \`${name}\`: no such run directory or genotype file`;
  const spec = program.spec;
  if (name === 'Searched')
    return `\`Searched\` is the name \`dartsc run\` gives the genotype it found, and ${spec} declares no genotype of that name: pass the run directory (\`--genotype runs/${spec.replace(/\.darts$/, '')}-...\`), its genotype.json or genotype.darts, or paste genotype.darts into the spec`;
  const has = declared.length ? declared.map((g) => `\`${g}\``).join(', ') : 'none';
  const near = suggest(name, declared);
  const mean = near.length ? `; did you mean ${near.map((g) => `\`${g}\``).join(' or ')}?` : '';
  return `cannot find genotype \`${name}\` in ${spec} (its genotypes: ${has})${mean}`;
}

function readText(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new OptionError(`cannot read \`${name}\``);
  }
}
