import { codes, type Code } from '../../diagnostics/codes.js';
import { explanation } from '../../diagnostics/explanations.js';
import { suggest } from '../../util/suggest.js';
import { UsageError, type CliIo } from '../io.js';

export const explainUsage = `usage: dartsc explain CODE

Prints the long explanation of a diagnostic code, e.g. \`dartsc explain E0201\`.`;

/** `dartsc explain CODE` */
export function explainCommand(args: string[], io: CliIo): number {
  const [raw, ...extra] = args;
  if (!raw || extra.length > 0) throw new UsageError('explain needs exactly one CODE');
  const code = raw.toUpperCase();
  if (!Object.hasOwn(codes, code)) {
    const near = suggest(code, Object.keys(codes));
    throw new UsageError(
      `unknown diagnostic code \`${raw}\`${near.length ? `; did you mean \`${near[0]}\`?` : ''}`,
    );
  }
  const entry = codes[code as Code];
  io.stdout(`${code} (${entry.severity}, ${entry.slug})\n\n${explanation(code as Code).trim()}\n`);
  return 0;
}
