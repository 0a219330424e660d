/**
 * The catalogue of every diagnostic dartsc reports: code, severity, slug, and the message and
 * help builders. Codes are never renumbered or reused. Ranges: E01xx lexing and syntax,
 * E02xx names and scopes, E03xx types and shapes, E04xx cell and search-space structure,
 * E05xx lowering and backends; warnings W0xyy in the same ranges.
 */

/** Formats a piece of source text for a message: in backticks. */
export const q = (text: string): string => `\`${text}\``;

const list = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

export const codes = {
  E0101: {
    severity: 'error',
    slug: 'unexpected-character',
    message: (p: { char: string }) => `unexpected character ${q(p.char)}`,
    help: () => 'remove it; names use letters, digits and `_`, and comments start with `//`',
  },
  E0102: {
    severity: 'error',
    slug: 'unterminated-string',
    message: () => 'unterminated string literal',
    help: () => 'close the string with `"` on the same line',
  },
  E0103: {
    severity: 'error',
    slug: 'unterminated-comment',
    message: () => 'unterminated block comment',
    help: () => 'close the comment with `*/`',
  },
  E0104: {
    severity: 'error',
    slug: 'expected-token',
    message: (p: { expected: string; found: string }) => `expected ${p.expected}, found ${p.found}`,
  },
  E0105: {
    severity: 'error',
    slug: 'expected-construct',
    message: (p: { expected: string; found: string }) => `expected ${p.expected}, found ${p.found}`,
  },
  E0106: {
    severity: 'error',
    slug: 'integer-too-large',
    message: (p: { text: string }) => `integer literal ${q(p.text)} is too large`,
    help: () => 'integers must be at most 9007199254740991 (2^53 - 1)',
  },
  E0107: {
    severity: 'error',
    slug: 'invalid-escape',
    message: (p: { escape: string }) => `unknown escape sequence ${q(p.escape)} in string`,
    help: () => 'the escapes are `\\"`, `\\\\`, `\\n` and `\\t`',
  },
  E0201: {
    severity: 'error',
    slug: 'unknown-name',
    message: (p: { name: string; what: string }) =>
      `cannot find ${p.what} ${q(p.name)} in this scope`,
    help: (p: { suggestions: readonly string[]; hint?: string }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : (p.hint ?? 'declare it, or import the module that declares it'),
  },
  E0202: {
    severity: 'error',
    slug: 'duplicate-declaration',
    message: (p: { name: string }) => `${q(p.name)} is declared more than once`,
    help: () => 'rename one of the declarations',
  },
  E0203: {
    severity: 'error',
    slug: 'unknown-module',
    message: (p: { module: string }) => `unknown standard library module ${q(p.module)}`,
    help: (p: { suggestions: readonly string[]; available: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : `the standard library has ${list(p.available.map(q))}`,
  },
  E0204: {
    severity: 'error',
    slug: 'import-not-found',
    message: (p: { path: string }) => `cannot read imported file ${q(p.path)}`,
    help: () => 'relative imports are resolved from the directory of the importing file',
  },
  E0205: {
    severity: 'error',
    slug: 'duplicate-parameter',
    message: (p: { name: string }) => `parameter ${q(p.name)} is declared more than once`,
    help: () => 'rename or remove one of the parameters',
  },
  E0206: {
    severity: 'error',
    slug: 'unknown-setting',
    message: (p: { key: string; block: string }) => `unknown setting ${q(p.key)} in ${p.block}`,
    help: (p: { suggestions: readonly string[]; allowed: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : `the settings allowed here are ${list(p.allowed.map(q))}`,
  },
  E0207: {
    severity: 'error',
    slug: 'duplicate-setting',
    message: (p: { key: string }) => `setting ${q(p.key)} is given more than once`,
    help: () => 'keep only one of them',
  },
  E0208: {
    severity: 'error',
    slug: 'missing-setting',
    message: (p: { key: string; block: string }) => `${p.block} has no ${q(p.key)} setting`,
    help: (p: { example: string }) => `add a line such as ${q(p.example)}`,
  },
  E0209: {
    severity: 'error',
    slug: 'ambiguous-name',
    message: (p: { name: string; modules: readonly string[] }) =>
      `${q(p.name)} is ambiguous: it is declared in ${list(p.modules.map(q))}`,
    help: (p: { qualified: string }) => `write the qualified name, for example ${q(p.qualified)}`,
  },
  E0210: {
    severity: 'error',
    slug: 'import-cycle',
    message: (p: { cycle: readonly string[] }) => `import cycle: ${p.cycle.join(' -> ')}`,
    help: () => 'move the shared declarations into a file that both can import',
  },
  E0211: {
    severity: 'error',
    slug: 'unknown-tensor-type',
    message: (p: { name: string }) => `unknown tensor type ${q(p.name)}`,
    help: (p: { suggestions: readonly string[]; available: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : `the tensor types are ${list(p.available.map(q))}`,
  },
  E0212: {
    severity: 'error',
    slug: 'unknown-parameter-type',
    message: (p: { name: string }) => `unknown parameter type ${q(p.name)}`,
    help: (p: { suggestions: readonly string[]; available: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : `the parameter types are ${list(p.available.map(q))}`,
  },
  E0213: {
    severity: 'error',
    slug: 'unknown-annotation',
    message: (p: { name: string }) => `unknown annotation ${q('@' + p.name)}`,
    help: (p: { suggestions: readonly string[]; available: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map((s) => q('@' + s)))}?`
        : `the annotations are ${list(p.available.map((s) => q('@' + s)))}`,
  },
  E0214: {
    severity: 'error',
    slug: 'duplicate-state',
    message: (p: { name: string }) => `state ${q(p.name)} is defined more than once in this cell`,
    help: () => 'give every input and node of a cell its own name',
  },
  E0215: {
    severity: 'error',
    slug: 'unknown-argument',
    message: (p: { name: string; callee: string }) =>
      `${q(p.callee)} has no parameter named ${q(p.name)}`,
    help: (p: { suggestions: readonly string[]; params: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : p.params.length > 0
          ? `its parameters are ${list(p.params.map(q))}`
          : 'it takes no named arguments',
  },
  E0216: {
    severity: 'error',
    slug: 'misplaced-node',
    message: (p: { block: string }) => `a \`node\` declaration cannot appear in ${p.block}`,
    help: () => '`node NAME from a, b` declares an intermediate state and belongs in a `cell`',
  },
  E0217: {
    severity: 'error',
    slug: 'misplaced-annotation',
    message: (p: { name: string; target: string }) =>
      `annotation ${q('@' + p.name)} cannot be applied to ${p.target}`,
    help: (p: { allowed: string }) => `it applies to ${p.allowed}`,
  },
  E0218: {
    severity: 'error',
    slug: 'duplicate-argument',
    message: (p: { name: string }) => `argument ${q(p.name)} is given more than once`,
    help: () => 'keep only one of them',
  },
  E0219: {
    severity: 'error',
    slug: 'positional-after-named',
    message: () => 'a positional argument cannot follow a named argument',
    help: () => 'put positional arguments first, or name this one too',
  },
  E0220: {
    severity: 'error',
    slug: 'too-many-arguments',
    message: (p: { callee: string; max: number; found: number }) =>
      `${q(p.callee)} takes ${p.max} argument${p.max === 1 ? '' : 's'}, found ${p.found}`,
    help: () => 'remove the extra arguments',
  },
  E0221: {
    severity: 'error',
    slug: 'missing-argument',
    message: (p: { callee: string; name: string }) =>
      `${q(p.callee)} needs an argument for ${q(p.name)}`,
    help: (p: { example: string }) => `pass it, for example ${q(p.example)}`,
  },
  W0201: {
    severity: 'warning',
    slug: 'unused-import',
    message: (p: { module: string }) => `import ${q(p.module)} is never used`,
    help: () => 'remove the import',
  },
} as const;

/** Every diagnostic code. */
export type Code = keyof typeof codes;
/** Severity of a diagnostic. */
export type Severity = 'error' | 'warning';

type Entry<C extends Code> = (typeof codes)[C];
/** The parameters of code C's message builder. */
export type MessageParams<C extends Code> =
  Parameters<Entry<C>['message']> extends []
    ? Record<string, never>
    : Parameters<Entry<C>['message']>[0];
/** The parameters of code C's help builder, when it has one. */
export type HelpParams<C extends Code> =
  Entry<C> extends { help: (p: infer P) => string } ? P : never;

/** All codes in catalogue order. */
export const allCodes = Object.keys(codes) as Code[];
