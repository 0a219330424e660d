import { parseArgs, type ParseArgsConfig } from 'node:util';

import { suggest } from '../util/suggest.js';

/** A command's options, as its `parseArgs` call takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * What is wrong with a command's flags, once `parseArgs` has refused them, in dartsc's words:
 * an unknown option with the nearest known one, a missing value, a value given to a switch.
 * (Node's own messages quote unevenly and answer a typo with advice about `--`.) Undefined
 * when no flag is at fault.
 */
export function flagProblem(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): string | undefined {
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = `\`${token.rawName}\``;
    const option = options[token.name];
    if (!option) {
      const near = suggest(token.name, Object.keys(options)).map((n) => `\`--${n}\``);
      const mean = near.length ? `; did you mean ${near.join(' or ')}?` : '';
      return `unknown option ${flag} for \`dartsc ${command}\`${mean}`;
    }
    if (option.type === 'string' && token.value === undefined) return `${flag} needs a value`;
    // `--epochs --json`, `--seed -1`: parseArgs takes a value starting with `-` only after `=`.
    if (option.type === 'string' && !token.inlineValue && token.value?.startsWith('-'))
      return isOption(token.value, options)
        ? `${flag} needs a value before \`${token.value}\``
        : `${flag} needs a value, found \`${token.value}\` (write \`${token.rawName}=${token.value}\` if that is the value)`;
    if (option.type === 'boolean' && token.value !== undefined)
      return `${flag} takes no value, found \`${token.rawName}=${token.value}\``;
  }
  return undefined;
}

/** Whether `arg` is one of the options, long (`--json`, `--out=x`) or short (`-o`). */
function isOption(arg: string, options: CommandOptions): boolean {
  const long = /^--([^=]+)/.exec(arg)?.[1];
  if (long) return Object.hasOwn(options, long);
  return Object.values(options).some((o) => o.short !== undefined && arg === `-${o.short}`);
}
