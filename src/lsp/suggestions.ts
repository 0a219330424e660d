/**
 * The names a diagnostic's help suggests: the catalogue writes every did-you-mean help as
 * ``did you mean `a`, `b` or `c`?``, each name in backticks. Empty for any other help.
 */
export function suggestionsOf(help: string | undefined): string[] {
  const line = help?.split('\n').find((l) => /^(help: )?did you mean .*\?$/.test(l));
  if (!line) return [];
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}
