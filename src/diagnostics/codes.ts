/**
 * The catalogue of every diagnostic dartsc reports: code, severity, slug, and the message and
 * help builders. Codes are never renumbered or reused. Ranges: E01xx lexing and syntax,
 * E02xx names and scopes, E03xx types and shapes, E04xx cell and search-space structure,
 * E05xx lowering and backends; warnings W0xyy in the same ranges.
 */

/** Formats a piece of source text for a message: in backticks. */
const q = (text: string): string => `\`${text}\``;

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
    slug: 'number-out-of-range',
    message: (p: { text: string }) => `number literal ${q(p.text)} is out of range`,
    help: () => 'integers must be at most 9007199254740991 (2^53 - 1), and numbers finite',
  },
  E0107: {
    severity: 'error',
    slug: 'invalid-escape',
    message: (p: { escape: string }) => `unknown escape sequence ${q(p.escape)} in string`,
    help: () => 'the escapes are `\\"`, `\\\\`, `\\n` and `\\t`',
  },
  E0108: {
    severity: 'error',
    slug: 'hash-comment',
    message: () => '`#` does not start a comment',
    help: () => 'comments start with `//` (to the end of the line) or `/*` (to `*/`)',
  },
  E0109: {
    severity: 'error',
    slug: 'nesting-too-deep',
    message: (p: { limit: number }) =>
      `brackets, \`if\` and unary \`-\` nest more than ${p.limit} levels deep here`,
    help: () =>
      'name the inner parts with `let` (or as primitives) and refer to them, instead of writing them inside one another',
  },
  E0110: {
    severity: 'error',
    slug: 'expression-too-deep',
    message: (p: { limit: number }) => `expression is more than ${p.limit} levels deep`,
    help: () =>
      'split it: name parts of a long sum or product with `let`, and every operator of a chain such as `a + b + c` counts as a level',
  },
  E0111: {
    severity: 'error',
    slug: 'file-too-large',
    message: (p: { file: string; size: string; limit: string }) =>
      `${q(p.file)} is too large: ${p.size}, more than the limit of ${p.limit}`,
    help: () =>
      'a search space fits in a few kilobytes: write repeated parts once, as a primitive, a cell or a `stack`',
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
      `${q(p.name)} is ambiguous: both ${list(p.modules.map(q)).replace(/ or (?=[^,]*$)/, ' and ')} declare it`,
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
  E0222: {
    severity: 'error',
    slug: 'import-not-a-file',
    message: (p: { path: string; what: string }) =>
      `imported ${q(p.path)} is ${p.what}, not a regular file`,
    help: () =>
      'import a `.darts` file; devices, pipes and directories are not read (they may never end)',
  },
  E0223: {
    severity: 'error',
    slug: 'unknown-column',
    message: (p: { column: string; table: string }) => `no column ${q(p.column)} in ${p.table}`,
    help: (p: { suggestions: readonly string[]; columns: readonly string[] }) =>
      p.suggestions.length > 0
        ? `did you mean ${list(p.suggestions.map(q))}?`
        : p.columns.length > 0
          ? `the columns here are ${list(p.columns.map(q))}`
          : 'no columns are left here',
  },
  E0224: {
    severity: 'error',
    slug: 'misplaced-from',
    message: (p: { block: string }) => `a \`from\` clause cannot appear in ${p.block}`,
    help: () =>
      '`from` says which states a part of a space reads (`stem1 ... from stem0`); remove it here',
  },
  E0301: {
    severity: 'error',
    slug: 'wrong-dimension-count',
    message: (p: { type: string; expected: number; found: number }) =>
      `${q(p.type)} takes ${p.expected} dimension${p.expected === 1 ? '' : 's'}, found ${p.found}`,
    help: (p: { example: string }) => `write it as ${q(p.example)}`,
  },
  E0302: {
    severity: 'error',
    slug: 'op-input-mismatch',
    message: (p: { op: string; expected: string; found: string }) =>
      `${q(p.op)} expects ${p.expected} input, found ${q(p.found)}`,
    help: () =>
      'use the op for this layout (for example `conv1d` on `Seq`, `conv2d` on `Img`, `dense` on `Vec`), or change the shape first (`global_avg_pool`, `flatten`)',
  },
  E0303: {
    severity: 'error',
    slug: 'edge-candidates-disagree',
    message: (p: { first: string; firstType: string; other: string; otherType: string }) =>
      `candidates on one edge produce different types: ${q(p.first)} gives ${q(p.firstType)} but ${q(p.other)} gives ${q(p.otherType)}`,
    help: () =>
      'every candidate of an edge must keep the shape (pad convolutions, stride every candidate alike)',
  },
  E0304: {
    severity: 'error',
    slug: 'states-disagree',
    message: (p: { what: string; first: string; other: string }) =>
      `${p.what} have different types: ${q(p.first)} and ${q(p.other)}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0305: {
    severity: 'error',
    slug: 'signature-output-mismatch',
    message: (p: { name: string; declared: string; found: string }) =>
      `${q(p.name)} declares output ${q(p.declared)} but its body produces ${q(p.found)}`,
    help: () => 'fix the signature or the body so that they agree',
  },
  E0306: {
    severity: 'error',
    slug: 'signature-input-mismatch',
    message: (p: { name: string; declared: string; found: string }) =>
      `${q(p.name)} expects input ${q(p.declared)}, found ${q(p.found)}`,
    help: () =>
      'apply it to a tensor of the declared type, or generalise the signature with dimension variables',
  },
  E0307: {
    severity: 'error',
    slug: 'uneven-division',
    message: (p: { left: number; right: number }) =>
      `dimension ${p.left} / ${p.right} does not divide evenly`,
    help: () => 'make the size divisible (for example an even size before a stride-2 reduction)',
  },
  E0308: {
    severity: 'error',
    slug: 'window-too-large',
    message: (p: { op: string; window: number; size: number }) =>
      `${q(p.op)} has a window of ${p.window} but its (padded) input is only ${p.size} wide`,
    help: () => 'reduce the kernel or dilation, pad more, or reduce less before this op',
  },
  E0309: {
    severity: 'error',
    slug: 'factorized-reduce-odd-size',
    message: (p: { size: number }) => `factorized reduce needs an even size, found ${p.size}`,
    help: () =>
      'its two shifted stride-2 paths give sizes that differ on odd inputs; reduce at a position where the size is even, or change the input size',
  },
  E0310: {
    severity: 'error',
    slug: 'factorized-reduce-odd-channels',
    message: (p: { channels: number }) =>
      `factorized reduce needs an even number of output channels, found ${p.channels}`,
    help: () => 'use an even channel count `C`',
  },
  E0311: {
    severity: 'error',
    slug: 'output-type-mismatch',
    message: (p: { name: string; declared: string; found: string }) =>
      `space ${q(p.name)} declares output ${q(p.declared)} but its head produces ${q(p.found)}`,
    help: () =>
      'end the head with an op that gives the declared type, for example `global_avg_pool >> dense(10)`',
  },
  E0312: {
    severity: 'error',
    slug: 'value-kind-mismatch',
    message: (p: { expected: string; found: string }) => `expected ${p.expected}, found ${p.found}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0313: {
    severity: 'error',
    slug: 'division-by-zero',
    message: () => 'division by zero',
    help: () => 'check the parameters that this expression divides by',
  },
  E0314: {
    severity: 'error',
    slug: 'bad-attribute',
    message: (p: { op: string; attribute: string; value: number }) =>
      `${q(p.op)} cannot take ${q(p.attribute)} = ${p.value}`,
    help: () =>
      'kernel, stride, dilation and channel counts must be positive integers, and padding at least 0',
  },
  E0315: {
    severity: 'error',
    slug: 'symbolic-space-type',
    message: (p: { name: string }) =>
      `the input and output types of space ${q(p.name)} must have concrete dimensions`,
    help: () => 'write numbers or space parameters, e.g. `Img[28, 28, 1]`',
  },
  E0320: {
    severity: 'error',
    slug: 'setting-out-of-range',
    message: (p: { name: string; range: string; found: number | string }) =>
      `${p.name} must be ${p.range}, found ${p.found}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0401: {
    severity: 'error',
    slug: 'cyclic-definition',
    message: (p: { cycle: readonly string[] }) =>
      `cyclic definition: ${p.cycle.map(q).join(' -> ')}`,
    help: () => 'a primitive, cell or `let` cannot be defined in terms of itself',
  },
  E0402: {
    severity: 'error',
    slug: 'keep-too-large',
    message: (p: { keep: number; node: string; edges: number }) =>
      `\`keep ${p.keep}\` but node ${q(p.node)} has only ${p.edges} incoming edge${p.edges === 1 ? '' : 's'}`,
    help: () => 'lower `keep`, or wire the node from more states',
  },
  E0403: {
    severity: 'error',
    slug: 'bad-reduction-position',
    message: (p: { position: number; count: number }) =>
      `reduction position ${p.position} is outside the stack of ${p.count} cell${p.count === 1 ? '' : 's'}`,
    help: (p: { count: number }) => `positions count from 0 to ${p.count - 1}`,
  },
  E0404: {
    severity: 'error',
    slug: 'bad-genotype',
    message: (p: { problem: string }) => `invalid genotype: ${p.problem}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0405: {
    severity: 'error',
    slug: 'no-candidates',
    message: (p: { cell: string }) => `cell ${q(p.cell)} has no candidate ops`,
    help: () => 'list at least one primitive in `ops`',
  },
  E0406: {
    severity: 'error',
    slug: 'not-a-cell',
    message: (p: { name: string; what: string }) => `${q(p.name)} is ${p.what}, not a cell`,
    help: () => 'name a `cell` declaration here',
  },
  E0407: {
    severity: 'error',
    slug: 'candidate-cannot-reduce',
    message: (p: { name: string }) =>
      `candidate ${q(p.name)} is used on a stride-2 edge but has no \`stride\` parameter`,
    help: () =>
      'give the primitive a `stride: int = 1` parameter and use it, or leave it out of reduction cells',
  },
  E0408: {
    severity: 'error',
    slug: 'cell-needs-width',
    message: (p: { cell: string }) =>
      `cell ${q(p.cell)} needs a \`C: int\` parameter to be stacked`,
    help: () => '`stack` passes each cell its channel count as `C` (doubled at every reduction)',
  },
  E0409: {
    severity: 'error',
    slug: 'missing-reduce-cell',
    message: () => '`stack` has reduction positions but no `reduce` cell',
    help: () => 'pass `reduce: SomeCell`, or drop `at`',
  },
  E0410: {
    severity: 'error',
    slug: 'not-a-space',
    message: (p: { name: string; what: string }) => `${q(p.name)} is ${p.what}, not a space`,
    help: () => 'name a `space` declaration here',
  },
  E0411: {
    severity: 'error',
    slug: 'duplicate-candidate',
    message: (p: { name: string }) => `candidate ${q(p.name)} is listed more than once`,
    help: () =>
      'a genotype names candidates by their name: declare each variant as its own `primitive` (e.g. `sep_conv_5x5`, `sep_conv_7x7`)',
  },
  E0412: {
    severity: 'error',
    slug: 'count-too-small',
    message: (p: { what: string; min: number; found: number }) =>
      `${p.what} must be at least ${p.min}, found ${p.found}`,
    help: () => 'counts of nodes, kept edges and cells, and tensor sizes, are positive',
  },
  E0413: {
    severity: 'error',
    slug: 'data-space-mismatch',
    message: (p: { data: string; what: string; space: string; expected: string }) =>
      `data ${q(p.data)} gives ${p.what}, but space ${q(p.space)} takes ${p.expected}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0414: {
    severity: 'error',
    slug: 'too-many-nodes',
    message: (p: { cell: string; found: number; limit: number }) =>
      `cell ${q(p.cell)} has ${p.found} nodes, more than the limit of ${p.limit}`,
    help: () =>
      'a node is wired from every earlier state, so edges grow with the square of the nodes; DARTS uses 4',
  },
  E0415: {
    severity: 'error',
    slug: 'too-many-cells',
    message: (p: { found: number; limit: number }) =>
      `\`stack\` of ${p.found} cells, more than the limit of ${p.limit}`,
    help: () => 'DARTS searches 8 cells and trains 20; stack fewer cells',
  },
  E0416: {
    severity: 'error',
    slug: 'too-many-ops',
    message: (p: { limit: string }) => `the network expands to more than ${p.limit} intrinsic ops`,
    help: () =>
      'every use of a primitive expands its body again (`p1 = p0 >> p0` doubles): use fewer stages, nodes or cells',
  },
  E0417: {
    severity: 'error',
    slug: 'too-many-parameters',
    message: (p: { space: string; about: string; limit: string }) =>
      `space ${q(p.space)} has about ${p.about} trainable parameters, more than the limit of ${p.limit}`,
    help: () => 'use fewer channels (`C`), cells or nodes, or a smaller input',
  },
  E0418: {
    severity: 'error',
    slug: 'definitions-too-deep',
    message: (p: { limit: number }) =>
      `primitives and \`let\`s are expanded more than ${p.limit} deep inside one another here`,
    help: () =>
      'define the deepest parts directly in terms of intrinsic ops or numbers, instead of through a long chain of definitions',
  },
  E0419: {
    severity: 'error',
    slug: 'window-longer-than-data',
    message: (p: { needed: number; table: string; rows: number }) =>
      `a window with its target needs ${p.needed} rows, but ${p.table} has ${p.rows}`,
    help: () =>
      'shorten the window (`window(length)`) or the `horizon`; each sample is `length` consecutive rows and its label the row `horizon` after them',
  },
  E0420: {
    severity: 'error',
    slug: 'reshape-does-not-divide',
    message: (p: { features: number; shape: string }) =>
      `${p.features} features do not divide into ${p.shape}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0421: {
    severity: 'error',
    slug: 'too-many-categories',
    message: (p: { column: string; kind: string; distinct: number; limit: number }) =>
      `${q('onehot')} of the ${p.kind} column ${q(p.column)}, which has ${p.distinct} distinct values (at most ${p.limit})`,
    help: (p: { hint: string }) => p.hint,
  },
  E0422: {
    severity: 'error',
    slug: 'misplaced-transform',
    message: (p: { what: string; why: string }) => `${p.what} cannot be used here: ${p.why}`,
    help: (p: { hint: string }) => p.hint,
  },
  E0423: {
    severity: 'error',
    slug: 'unreadable-state',
    message: (p: { part: string; state: string; why: string }) =>
      `${p.part} cannot read ${p.state}: ${p.why}`,
    help: (p: { states: string }) => `it can read ${p.states}`,
  },
  E0424: {
    severity: 'error',
    slug: 'method-needs-candidate',
    message: (p: { method: string; cell: string; what: string }) =>
      `method ${q(p.method)} needs ${p.what} in cell ${q(p.cell)}`,
    help: (p: { hint: string }) => p.hint,
  },
  W0202: {
    severity: 'warning',
    slug: 'shadowed-name',
    message: (p: { name: string; shadowed: string }) => `${q(p.name)} shadows ${p.shadowed}`,
    help: () => 'rename it, unless hiding the other one is what you mean',
  },
  W0203: {
    severity: 'warning',
    slug: 'unused-declaration',
    message: (p: { kind: string; name: string }) => `${p.kind} ${q(p.name)} is never used`,
    help: () => 'remove it, or use it in a cell or space',
  },
  W0401: {
    severity: 'warning',
    slug: 'repeated-reduction-position',
    message: (p: { position: number }) => `reduction position ${p.position} is listed twice`,
    help: () =>
      'with few layers, `layers / 3` and `2 * layers / 3` coincide; use more layers or list distinct positions',
  },
  W0402: {
    severity: 'warning',
    slug: 'unused-cell-state',
    message: (p: { what: string; name: string; cell: string }) =>
      `${p.what} ${q(p.name)} of cell ${q(p.cell)} is never read`,
    help: (p: { hint: string }) => p.hint,
  },
  W0403: {
    severity: 'warning',
    slug: 'non-reducing-reduction-cell',
    message: (p: { cell: string }) =>
      `cell ${q(p.cell)} is given as \`reduce:\` but is not declared \`reducing\``,
    help: (p: { cell: string }) =>
      `declare a reducing variant, \`cell ${p.cell}Reduce(C: int) = ${p.cell}(C) reducing\`, and pass \`reduce: ${p.cell}Reduce\``,
  },
  E0501: {
    severity: 'error',
    slug: 'wasm-memory',
    message: (p: { batch: number; share: number; workers: number; gigabytes: number }) =>
      p.workers > 1
        ? `a search step at batch ${p.batch} (${p.share} per worker, ${p.workers} workers) needs about ${p.gigabytes} GB per worker, more than the wasm backend can hold (3.4 GB of its 4 GB heap)`
        : `a search step at batch ${p.batch} needs about ${p.gigabytes} GB, more than the wasm backend can hold (3.4 GB of its 4 GB heap)`,
    help: (p: { fits: number; workers: number }) =>
      p.fits > 0
        ? `\`batch ${p.fits}\` fits (with ${p.workers} worker${p.workers > 1 ? 's' : ''}; each worker has its own heap, so \`--workers\` raises it); or search a smaller proxy (fewer channels or cells, a smaller input), or use \`--backend tensorflow\``
        : 'even one sample does not fit: search a smaller proxy (fewer channels or cells, a smaller input), or use `--backend tensorflow`',
  },
  E0502: {
    severity: 'error',
    slug: 'diverged',
    message: (p: { what: string; checkpoint: string }) =>
      `the run diverged: ${p.what}; stopped before writing it (${p.checkpoint})`,
    help: () =>
      'lower the learning rate (`lr` of `weights` or `arch`), clip the gradients (`clip`), or add weight decay, and start a new run',
  },
  E0503: {
    severity: 'error',
    slug: 'pytorch-unsupported',
    message: (p: { what: string }) => `the pytorch engine cannot run ${p.what}`,
    help: (p: { fix: 'lowering' | 'method' }) =>
      p.fix === 'method'
        ? 'search with `method darts()` on the pytorch engine, or run this method on the native engine (`--engine tfjs`)'
        : 'run on the native engine (`--engine tfjs`), or give the op its PyTorch lowering in src/backends/pytorch/lowerings.ts',
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
