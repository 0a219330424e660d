import type { Code } from './codes.js';

/**
 * Removes the common indentation of a template literal and its first and last blank lines,
 * so the explanations below can be indented like the code around them.
 */
function text(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''));
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent).trimEnd()).join('\n');
}

/**
 * The long explanation of every code, printed by `dartsc explain`. Each one says what the
 * diagnostic means, shows an erroneous and a corrected example (indented code after the
 * lines `Erroneous example:` and `Corrected example:`; `// file: NAME` starts another file
 * of a multi-file example) and why the rule exists. `test/docs.test.ts` checks the examples.
 */
export const explanations: Record<Code, string> = {
  E0101: text`
    An unexpected character was found: the lexer met a character that cannot
    start any token of the language.

    .darts source is made of names (letters, digits and \`_\`, not starting with
    a digit), numbers, strings in double quotes, the operators \`+ - * / %\`,
    \`>>\`, \`->\`, the comparisons \`== != < <= > >=\`, and the punctuation
    \`( ) [ ] { } , : . = @\`. Comments start with \`//\` or are written
    \`/* ... */\`. Anything else (a \`;\`, a \`#\`, a \`$\`, a typographic quote or
    a \`×\` pasted from a paper) is reported here. Statements need no
    terminator: a declaration or setting ends where the next one begins.

    Erroneous example:

        let C = 16;

    Corrected example:

        let C = 16

    Why: the character cannot be given any meaning, so it is reported and
    skipped; the rest of the file is still parsed and checked, so one stray
    character does not hide the other problems in the file.
  `,

  E0102: text`
    An unterminated string literal: a string was opened with \`"\` but not
    closed on the same line.

    Strings are written in double quotes and cannot span lines. Inside a
    string, write a quote as \`\\"\`, a backslash as \`\\\\\`, a newline as
    \`\\n\` and a tab as \`\\t\`.

    Erroneous example:

        let TRAIN = "data/train.csv

    Corrected example:

        let TRAIN = "data/train.csv"

    Why: strings hold file names (\`csv(path: "...")\`, \`npy(...)\`) and column
    names; ending every string on its own line keeps a missing quote from
    swallowing the rest of the file, so the error points at the string itself.
  `,

  E0103: text`
    An unterminated block comment: a \`/*\` comment has no closing \`*/\`, so
    it runs to the end of the file.

    Block comments do not nest: the first \`*/\` closes the comment. Use \`//\`
    for comments that end at the end of their line.

    Erroneous example:

        /* The MNIST search space,
           sized for a laptop.
        let C = 8

    Corrected example:

        /* The MNIST search space,
           sized for a laptop. */
        let C = 8

    Why: without the \`*/\` every declaration after the \`/*\` is silently
    commented out, and the checker would report confusing "cannot find"
    errors for names declared there. The diagnostic points at the \`/*\`
    instead.
  `,

  E0104: text`
    An expected token is missing: the parser needed one specific token (a
    \`)\`, a \`]\`, a \`=\`, a name, ...) and found something else or the end of
    the file.

    The message says which token was expected and what was found. When the
    token is missing at the end of a line, the diagnostic points just after
    the last token of that line, where it has to be inserted.

    Erroneous example:

        primitive conv_3x3(C: int : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Corrected example:

        primitive conv_3x3(C: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Why: this is a syntax error. The parser recovers (it pretends the token
    was there, or skips ahead) and goes on, so the other syntax and semantic
    errors of the file are reported in the same run. See grammar/darts.ebnf
    for the grammar.
  `,

  E0105: text`
    An expected construct is missing: the parser needed a whole construct (an
    expression, a declaration, a tensor type, a cell body, a setting) and
    found a token that cannot start one.

    Typical causes: a setting or \`let\` without a value, a binary operator
    without its right operand, a number written as \`.5\` (write \`0.5\`), or a
    setting written outside of any block. Every top-level item is an
    \`import\` or a declaration: \`primitive\`, \`cell\`, \`space\`, \`genotype\`,
    \`search\` or \`let\`.

    Erroneous example:

        let LAYERS =
        let C = 16

    Corrected example:

        let LAYERS = 8
        let C = 16

    Why: this is a syntax error; the parser names the construct it expected
    ("expected an expression, found \`let\`") and recovers, so the rest of the
    file is still checked. The grammar is in grammar/darts.ebnf.
  `,

  E0106: text`
    A number literal is out of range: an integer literal is greater than
    9007199254740991 (2^53 - 1), or a float literal is too large to be
    represented (such as \`1e400\`).

    Integers (channel counts, layer counts, seeds, sample limits) are exact
    only up to 2^53 - 1; larger literals would be silently rounded. Floats
    beyond about 1.8e308 would become infinity.

    Erroneous example:

        let SEED = 12345678901234567890

    Corrected example:

        let SEED = 1234567890

    Why: a rounded seed or size would make a search irreproducible or change
    a shape without any visible sign, and an infinite learning rate or
    weight decay would silently produce NaNs. No real channel count, sample
    count or seed needs more than 2^53 - 1.
  `,

  E0107: text`
    An invalid escape sequence: a backslash in a string is followed by a
    character that has no escape meaning.

    The escapes are \`\\"\` (a quote), \`\\\\\` (a backslash), \`\\n\` (a
    newline) and \`\\t\` (a tab). Windows paths are the usual cause: in the
    example below, \`\\d\` is reported, while \`\\t\` in \`\\train\` is a valid
    escape and silently becomes a tab. Write the backslashes twice, or better
    use forward slashes, which work on every system.

    Erroneous example:

        let TRAIN = "C:\\data\\train.csv"

    Corrected example:

        let TRAIN = "C:/data/train.csv"

    Why: a backslash that is silently dropped or kept changes a file name;
    reporting it makes the meaning of every string explicit.
  `,

  E0108: text`
    A hash comment: a line contains \`#\`, which starts a comment in Python,
    YAML and shell scripts but not in .darts.

    The rest of the line after the \`#\` is skipped, as if it were a comment,
    so the file is still checked, but the \`#\` is an error. Comments start
    with \`//\` (to the end of the line) or are written \`/* ... */\`.

    Erroneous example:

        let LAYERS = 8   # as in the paper
        let C = 16       # initial channels

    Corrected example:

        let LAYERS = 8   // as in the paper
        let C = 16       // initial channels

    Why: DARTS users come from Python configuration files, where \`#\` is the
    comment character; a specific diagnostic says what to write instead of
    "unexpected character".
  `,

  E0201: text`
    An unknown name: a name is used that is not declared anywhere in scope.

    Names are looked up from the innermost scope out: the parameters of the
    enclosing declaration; the words and functions of the enclosing setting
    (\`concat\`, \`nodes\`, \`chain\`, \`stack\`, \`mnist\`, \`sgd\`, \`cosine\`,
    \`first\`, ...); the states of the enclosing cell (its inputs \`s0\`, \`s1\`
    or the labels of its signature, its \`node\`s, and \`n0\`, \`n1\`, ... when it
    has a \`nodes\` setting); the declarations of the file; the declarations of
    the imported modules; and the intrinsic ops (\`conv2d\`, \`relu\`, ...).
    A qualified name \`ops2d.sep_conv_3x3\` looks only in the module imported
    as \`ops2d\`.

    The usual cause is a missing import: the DARTS operations
    (\`sep_conv_3x3\`, \`skip_connect\`, \`none\`, \`DARTS_OPS\`, ...) live in
    \`std.ops2d\`, not in the language itself. In a cell, a \`node\` can only
    read the inputs and the nodes declared above it. Dimension variables such
    as \`h\` in \`Img[h, w, C]\` exist only inside tensor types.

    Erroneous example:

        cell Normal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 4
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 4
        }

    Why: every name must mean exactly one thing before a search runs. A typo
    in an op name would otherwise be found only at run time, after building
    the supernet; the diagnostic suggests the closest names in scope. The rule
    that nodes read only earlier states keeps every cell a DAG, as the DARTS
    cell is.
  `,

  E0202: text`
    A duplicate declaration: two top-level declarations of the same file
    (\`primitive\`, \`cell\`, \`space\`, \`genotype\`, named \`search\` or \`let\`)
    have the same name, or two imports of different modules have the same
    qualifier (\`import std.ops2d as ops\` and \`import std.linear as ops\`).

    All declarations of a file share one namespace, so a cell and a
    primitive cannot have the same name either. A declaration of the file may
    have the same name as a declaration of an imported module: the file's own
    declaration is the one its unqualified name refers to.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

        cell Normal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 2
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

        cell SmallNormal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 2
        }

    Why: a space, a search or a genotype names its parts; if a name could
    mean two declarations, the searched architecture would depend on which
    one the compiler happened to pick.
  `,

  E0203: text`
    An unknown module: an \`import std.NAME\` names a module that the
    standard library does not have.

    The standard library modules are \`std.ops2d\` (the 2-D DARTS operations
    and \`DARTS_OPS\`), \`std.ops1d\` (the 1-D operations of CANDLE P3B5 and
    \`P3B5_OPS\`), \`std.linear\` (the fully connected operations of CANDLE Uno
    and \`LINEAR_OPS\`) and \`std.darts\` (the DARTS CIFAR-10 space and the
    published genotypes DARTS_V1 and DARTS_V2). A dotted path always names a
    standard library module; your own files are imported by file name, in
    quotes.

    Erroneous example:

        import std.conv2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

    Why: an import that cannot be resolved leaves every name it should have
    provided undefined. The import is reported first, with the list of
    modules; the names it should have provided are then reported as unknown
    (E0201) too, and disappear once the import is fixed.
  `,

  E0204: text`
    An imported file was not found: an \`import "FILE"\` names a file that
    cannot be read.

    The path is resolved from the directory of the importing file, not from
    the directory \`dartsc\` runs in. Write the file name with its \`.darts\`
    extension.

    Erroneous example:

        import "my_ops.darts"

        cell Mine(C: int) {
          ops   [zero_op, conv_op]
          nodes 2
        }

    Corrected example (two files side by side):

        // file: main.darts
        import "my_ops.darts"

        cell Mine(C: int) {
          ops   [zero_op, conv_op]
          nodes 2
        }

        // file: my_ops.darts
        @excluded_from_genotype
        primitive zero_op(C: int) : Vec[C] -> Vec[C] = zero
        primitive conv_op(C: int) : Vec[C] -> Vec[C] = relu >> dense(C)

    Why: a missing file leaves all of its names undefined. The import is
    reported first, at the file name; the names the file should have
    provided are then reported as unknown (E0201) too, and disappear once
    the import is fixed.
  `,

  E0205: text`
    A duplicate parameter: a \`primitive\`, \`cell\` or \`space\` declares two
    parameters with the same name.

    Erroneous example:

        primitive conv(C: int, kernel: int, C: int = 16) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, kernel, padding: (kernel - 1) / 2) >> batch_norm

    Corrected example:

        primitive conv(C: int, kernel: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, kernel, padding: (kernel - 1) / 2) >> batch_norm

    Why: arguments are matched to parameters by position and by name
    (\`conv(16, 3)\`, \`conv(C: 16, kernel: 3)\`); two parameters with one name
    would make a named argument mean two things. Edge candidates in a cell
    receive their channel count through the parameter named \`C\` and their
    stride through \`stride\`, so these names must be unambiguous.
  `,

  E0206: text`
    An unknown setting: a block (\`cell\`, \`space\`, \`genotype\` or \`search\`)
    contains a setting it does not have.

    The settings are:
      cell      ops, nodes, keep, output, preprocess
      space     stem, cells, head, aux
      genotype  normal, normal_concat, reduce, reduce_concat
      search    space, data, split, epochs, batch, seed, weights, arch, order,
                init
    docs/language.md describes each with its default.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

        search {
          space Net(C: 8)
          data  mnist()
          epoch 10
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

        search {
          space  Net(C: 8)
          data   mnist()
          epochs 10
        }

    Why: settings that are left out take their defaults (50 epochs, batch 64,
    first order, ...). A misspelled setting that was silently ignored would
    run the default instead of what was written, possibly for hours; this is
    how hand-written DARTS configurations drift from what their authors meant.
  `,

  E0207: text`
    A duplicate setting: the same setting is given twice in one block.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
          keep  2
          nodes 2
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
          keep  2
        }

    Why: with two values, one of them would be silently ignored, and a
    reader cannot tell which one the search used. The second occurrence is
    reported, with a label at the first.
  `,

  E0208: text`
    A missing setting: a block lacks a setting that has no default.

    The required settings are \`ops\` in a cell (plus \`nodes\`, unless the cell
    declares its nodes with \`node NAME from ...\`), \`cells\` and \`head\` in a
    space, and \`space\` and \`data\` in a search. The help line shows a
    complete example of the missing setting.

    Erroneous example:

        cell Normal(C: int) {
          nodes 4
          keep  2
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
          keep  2
        }

    Why: these settings define the search itself. The candidate set \`ops\`
    fixes the columns of the α tables (one per candidate, in order, and the
    order breaks ties when the genotype is derived), and \`nodes\` fixes the
    edges, that is the rows (14 for 4 DARTS nodes). A space needs its cells
    and a head to produce its output type. None of these has a sensible
    default, so they are never guessed.
  `,

  E0209: text`
    An ambiguous name: an unqualified name is declared in two or more
    imported modules, so it is not clear which one is meant.

    For example \`std.ops2d\` and \`std.ops1d\` both declare \`none\` and
    \`skip_connect\`. Write the qualified name (the module's last path
    segment, its file name without \`.darts\`, or its \`as\` alias, then a dot
    and the name), or import only one of the modules, or declare the name in
    your own file (a file's own declarations take precedence over imported
    ones).

    Erroneous example:

        import std.ops2d
        import std.ops1d

        cell Mixed(C: int) {
          ops   [none, ops2d.sep_conv_3x3, ops1d.sep_conv_3]
          nodes 2
        }

    Corrected example:

        import std.ops2d
        import std.ops1d

        cell Mixed(C: int) {
          ops   [ops2d.none, ops2d.sep_conv_3x3, ops1d.sep_conv_3]
          nodes 2
        }

    Why: choosing one declaration silently (the first import, the last one)
    would make the meaning of a search space depend on the order of its
    imports, and a 1-D \`none\` and a 2-D \`none\` have different types.
  `,

  E0210: text`
    An import cycle: a file imports itself, directly or through other files.

    The message lists the files of the cycle in import order.

    Erroneous example:

        // file: main.darts
        import "ops.darts"

        let WIDTH = ops.BASE * 2

        // file: ops.darts
        import "main.darts"

        let BASE = 8

    Corrected example:

        // file: main.darts
        import "ops.darts"

        let WIDTH = ops.BASE * 2

        // file: ops.darts
        let BASE = 8

    Why: modules are loaded and checked dependencies first, so every
    imported name is complete before it is used; a cycle has no such order.
    Move the declarations both files need into a third file that both import.
  `,

  E0211: text`
    An unknown tensor type: a type in a signature is not one of the tensor
    types of the language.

    The tensor types are, with the batch dimension always implicit:
      Vec[C]         features (fully connected data)
      Seq[L, C]      sequences, length then channels (1-D convolutions)
      Img[H, W, C]   images, channels last (2-D convolutions)
      Logits[K]      the K class scores a space produces
      Tokens[L]      L integer token ids (the input of an embedding)

    Erroneous example:

        primitive conv_3x3(C: int) : Image[h, w, C] -> Image[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Corrected example:

        primitive conv_3x3(C: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Why: the tensor type carries the layout, and the layout decides which
    intrinsic ops apply (\`conv2d\` needs an \`Img\`, \`dense\` a \`Vec\`) and how
    shapes are checked before anything runs.
  `,

  E0212: text`
    An unknown parameter type: a parameter of a \`primitive\`, \`cell\` or
    \`space\` has a type that is not \`int\`, \`float\`, \`bool\` or \`string\`.

    Erroneous example:

        primitive conv(C: Int, kernel: Int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, kernel, padding: (kernel - 1) / 2) >> batch_norm

    Corrected example:

        primitive conv(C: int, kernel: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, kernel, padding: (kernel - 1) / 2) >> batch_norm

    Why: parameters are plain values, fixed when the network is built (a
    channel count, a kernel size, a stride, a dropout rate); tensors flow
    through signatures, not through parameters. Types are lower-case, like
    the other words of the language.
  `,

  E0213: text`
    An unknown annotation: a declaration carries an \`@annotation\` the
    language does not define.

    The annotations are:
      @excluded_from_genotype  the primitive is never chosen when a genotype
                               is derived (the \`none\` op); its α column still
                               takes part in the softmax
      @bn_after_in_search      in the search supernet the primitive is
                               followed by a non-affine batch norm (the DARTS
                               pools); not in the derived network

    Erroneous example:

        @exclude_from_genotype
        primitive nothing(C: int) : Vec[C] -> Vec[C] = zero

    Corrected example:

        @excluded_from_genotype
        primitive nothing(C: int) : Vec[C] -> Vec[C] = zero

    Why: the reference DARTS code decides these behaviours by the op's name
    ("none" by its list index, "pool" as a substring of the name), and CANDLE
    broke them by reordering and renaming its op lists. In .darts they are
    declared; an unknown annotation, if it were ignored, would silently
    change the search (a misspelled \`@excluded_from_genotype\` would let
    \`none\` win edges of the derived cell).
  `,

  E0214: text`
    A duplicate state: two states of one cell (its inputs and its nodes) have
    the same name.

    A cell's inputs are named by the labels of its signature
    (\`(prev: Img[h, w, C], x: Img[h, w, C]) -> ...\`), or \`s0\`, \`s1\`, ... when
    they have no labels (\`s0\` and \`s1\` when the cell has no signature).
    Each \`node NAME from ...\` adds a state.

    Erroneous example:

        import std.ops2d

        cell Pair(C: int) {
          ops    DARTS_OPS
          node a from s0, s1
          node a from s0, s1, a
          output concat(a)
        }

    Corrected example:

        import std.ops2d

        cell Pair(C: int) {
          ops    DARTS_OPS
          node a from s0, s1
          node b from s0, s1, a
          output concat(a, b)
        }

    Why: edges, the α rows and the genotype all refer to states: a genotype
    pair \`(sep_conv_3x3, 2)\` means "that op on the edge from state 2". A state
    name must therefore name exactly one state.
  `,

  E0215: text`
    An unknown argument: a call passes a named argument that the callee has
    no parameter for.

    The help line lists the parameters of the callee, or the closest names.
    The parameters of the intrinsic ops are listed in docs/language.md
    (section "Intrinsic ops"); those of primitives, cells and spaces are in
    their declarations.

    Erroneous example:

        primitive conv_3x3(C: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, pad: 1) >> batch_norm

    Corrected example:

        primitive conv_3x3(C: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Why: in Python configurations a misspelled keyword is often swallowed by
    \`**kwargs\` and the default is used instead; here a misspelled padding
    would change every shape of the network, so it is reported.
  `,

  E0216: text`
    A misplaced node: a \`node NAME from a, b\` declaration appears in a block
    that is not a cell.

    Nodes are the intermediate states of a cell. A space stacks whole cells
    with \`cells stack(...)\`; a search and a genotype have no nodes.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          node  extra from s0
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: in DARTS the architecture is searched inside cells only; the
    network around them (stem, stacking, head) is fixed. A node, which sums
    mixed edges, has a meaning only inside a cell.
  `,

  E0217: text`
    A misplaced annotation: a known annotation is attached to a declaration
    it does not apply to.

    \`@excluded_from_genotype\` and \`@bn_after_in_search\` describe how one
    candidate operation behaves in the search, so they apply to \`primitive\`
    declarations only, not to cells, spaces, genotypes, searches or \`let\`s.

    Erroneous example:

        import std.ops2d

        @bn_after_in_search
        cell Pools(C: int) {
          ops   [max_pool_3x3, avg_pool_3x3]
          nodes 2
        }

    Corrected example:

        import std.ops2d

        @bn_after_in_search
        primitive max_pool_5x5(C: int, stride: int = 1)
          : Img[h, w, C] -> Img[h / stride, w / stride, C] =
          max_pool(5, stride: stride, padding: 2)

        cell Pools(C: int) {
          ops   [max_pool_3x3, avg_pool_3x3, max_pool_5x5]
          nodes 2
        }

    Why: the DARTS rules these annotations declare (\`none\` never wins an
    edge, pools get a batch norm in the supernet) are properties of single
    operations; put on anything else they would have no defined meaning.
  `,

  E0218: text`
    A duplicate argument: a call gives the same parameter twice, by name, or
    by position and then by name.

    Erroneous example:

        primitive down(C: int) : Img[h, w, C] -> Img[h / 2, w / 2, C] =
          max_pool(3, stride: 1, padding: 1, stride: 2)

    Corrected example:

        primitive down(C: int) : Img[h, w, C] -> Img[h / 2, w / 2, C] =
          max_pool(3, stride: 2, padding: 1)

    Why: one of the two values would be silently ignored, and nothing would
    tell which one the network was built with.
  `,

  E0219: text`
    A positional argument after a named argument: in a call, positional
    arguments must come first.

    Positional arguments fill the parameters in order; after a named
    argument the position of the next one is no longer clear.

    Erroneous example:

        primitive wide(C: int) : Img[h, w, C] -> Img[h, w, 2 * C] =
          conv2d(2 * C, kernel: 3, 1)

    Corrected example:

        primitive wide(C: int) : Img[h, w, C] -> Img[h, w, 2 * C] =
          conv2d(2 * C, kernel: 3, padding: 1)

    Why: the rule is the one of Python keyword arguments, which DARTS users
    know; it keeps every argument's parameter obvious to a reader.
  `,

  E0220: text`
    Too many arguments: a call passes more positional arguments than the
    callee has parameters.

    Erroneous example:

        import std.ops2d

        primitive sep_conv_7x7_s2(C: int) : Img[h, w, C] -> Img[h / 2, w / 2, C] =
          sep_conv(C, 7, 2, 3)

    Corrected example:

        import std.ops2d

        primitive sep_conv_7x7_s2(C: int) : Img[h, w, C] -> Img[h / 2, w / 2, C] =
          sep_conv(C, 7, stride: 2)

    Why: an extra argument is a sign that the call means another operation
    (here, a padding that \`sep_conv\` computes itself); dropping it silently
    would build something other than what was written. Named arguments for
    everything after the first one or two make calls readable.
  `,

  E0221: text`
    A missing argument: a call does not pass a parameter that has no
    default.

    The help line shows the call with the missing argument. In the tables of
    docs/language.md a parameter without a default is required: \`conv2d\`
    needs \`out\` and \`kernel\`, \`max_pool\` and \`avg_pool\` need \`kernel\`,
    \`dense\` needs \`out\`, and so on.

    Erroneous example:

        primitive stem(C: int) : Img[h, w, c] -> Img[h, w, C] =
          conv2d(C, padding: 1) >> batch_norm(affine: true)

    Corrected example:

        primitive stem(C: int) : Img[h, w, c] -> Img[h, w, C] =
          conv2d(C, 3, padding: 1) >> batch_norm(affine: true)

    Why: a kernel size or channel count that silently took some default
    would build a different network than the one described. Note that the
    candidates named in a cell's \`ops\` are not calls: the compiler passes
    them \`C\` and \`stride\` for every edge, so \`sep_conv_3x3\` is written
    without arguments there.
  `,

  E0301: text`
    A wrong dimension count: a tensor type is written with more or fewer
    dimensions than it has.

    The batch dimension is always implicit, so:
      Vec[C]         1 dimension
      Seq[L, C]      2 dimensions: length, channels
      Img[H, W, C]   3 dimensions: height, width, channels (channels last)
      Logits[K]      1 dimension
      Tokens[L]      1 dimension

    Erroneous example:

        primitive conv_3x3(C: int) : Img[C, h, w] -> Img[C, h, w, 1] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Corrected example:

        primitive conv_3x3(C: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

    Why: PyTorch code writes tensors as [N, C, H, W] with the batch first;
    .darts types leave the batch out and put the channels last (the
    TensorFlow.js layout). A dimension too many or too few is almost always a
    shape copied from another convention, and every later shape would be
    computed on the wrong axes.
  `,

  E0302: text`
    An op input mismatch: an intrinsic op is applied to a tensor whose layout
    it does not accept.

    Each intrinsic op lists the layouts it accepts (docs/language.md, section
    "Intrinsic ops"): \`conv2d\` and \`depthwise_conv2d\` take an \`Img\`,
    \`conv1d\` and \`depthwise_conv1d\` a \`Seq\`, \`dense\` a \`Vec\`, \`embedding\`
    \`Tokens\`; \`global_avg_pool\` and \`flatten\` turn an \`Img\` or a \`Seq\` into
    a \`Vec\`. The message names the op, the layouts it accepts and the type it
    was given.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: in PyTorch a linear layer applied to a 4-D tensor silently works on
    the last axis, and a conv1d fed a [B, L, E] tensor treats L as the
    channels (CANDLE's P3B5 stem does this and only runs because L = E). The
    layout makes such mistakes visible before anything runs.
  `,

  E0303: text`
    Edge candidates disagree: the candidate operations of one edge produce
    tensors of different types.

    An edge of a cell computes the softmax(α)-weighted sum of all its
    candidates, so every candidate must turn the edge's input into the same
    type: same size, same channels. A candidate receives the edge's \`C\` and
    \`stride\`; it must keep \`C\` channels and divide the spatial size by
    \`stride\`, which is what the signature
    \`Img[h, w, C] -> Img[h / stride, w / stride, C]\` says. The usual causes
    are a convolution without padding (a 3x3 conv shrinks the size by 2), a
    candidate that ignores \`stride\`, or one that changes the channel count.

    Erroneous example:

        import std.ops2d

        // An unpadded 3x3 convolution: 28x28 becomes 26x26.
        primitive conv_3x3(C: int, stride: int = 1)
          : Img[h, w, C] -> Img[(h - 3) / stride + 1, (w - 3) / stride + 1, C] =
          relu >> conv2d(C, 3, stride: stride) >> batch_norm

        cell Mine(C: int) {
          ops   [none, skip_connect, conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Mine)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        primitive conv_3x3(C: int, stride: int = 1)
          : Img[h, w, C] -> Img[h / stride, w / stride, C] =
          relu >> conv2d(C, 3, stride: stride, padding: 1) >> batch_norm

        cell Mine(C: int) {
          ops   [none, skip_connect, conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Mine)
          head  global_avg_pool >> dense(10)
        }

    Why: the weighted sum of a mixed edge is only defined when all candidates
    agree. CANDLE's Advanced example instead pads any smaller output on the
    right and bottom, which shifts that candidate's features and changes what
    the search compares; DARTS requires equal shapes, and here they are
    checked before the search starts.
  `,

  E0304: text`
    States disagree: tensors that must have the same type do not. The
    message says which ones: the edges summed into one node, the states
    concatenated into a cell's output, or the inputs of a cell.

    Inside a cell every state has the cell's \`C\` channels and the same
    spatial size, except in a reduction cell, where the inputs have twice the
    size of the nodes (the edges that read the inputs have stride 2). So a
    reduction cell cannot concatenate an input with its nodes, and a node
    cannot sum an edge that skips the reduction.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops    DARTS_OPS
          nodes  2
          output concat(s1, n0, n1)
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops    DARTS_OPS
          nodes  2
          output concat(nodes)
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Why: a node is a sum and a cell output a channel concatenation; both are
    undefined for tensors of different sizes, and a framework that
    broadcasts or pads would hide the mistake.
  `,

  E0305: text`
    A signature output mismatch: a primitive's body produces a tensor of
    another type than its signature declares. A cell with a signature is held
    to it the same way: its \`output\` (the concatenated states) must have the
    declared type.

    The check is made where the primitive is used, with the actual input and
    arguments; a note gives them. Compute the output of each stage: a
    convolution of kernel k, stride s, padding p and dilation d turns a size
    n into floor((n + 2p - d(k - 1) - 1) / s) + 1, so a k x k convolution
    keeps the size at stride 1 with padding (k - 1) / 2.

    Erroneous example:

        import std.ops2d

        primitive stem_3x3(C: int) : Img[h, w, c] -> Img[h, w, C] =
          conv2d(C, 3) >> batch_norm(affine: true)

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  stem_3x3(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        primitive stem_3x3(C: int) : Img[h, w, c] -> Img[h, w, C] =
          conv2d(C, 3, padding: 1) >> batch_norm(affine: true)

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  stem_3x3(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: the signature is the contract that cells and spaces are checked
    against; edge candidates in particular are compared through it. A body
    that does not keep it is a bug in the primitive, reported where it is.
  `,

  E0306: text`
    A signature input mismatch: a primitive is applied to a tensor that does
    not match the input type of its signature, or a cell with a signature
    receives states (from the stem or earlier cells) of other types.

    Dimensions written as numbers or parameters must equal the actual ones;
    dimension variables (\`h\`, \`w\`, \`c\`) match any size. \`Img[h, w, C]\`
    therefore requires exactly \`C\` input channels, while \`Img[h, w, c]\`
    accepts any channel count.

    Erroneous example:

        import std.ops2d

        // A CIFAR stem, declared for 32x32 RGB images only.
        primitive cifar_stem(C: int) : Img[32, 32, 3] -> Img[32, 32, C] =
          conv2d(C, 3, padding: 1) >> batch_norm(affine: true)

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  cifar_stem(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        // The same stem for images of any size and channel count.
        primitive any_stem(C: int) : Img[h, w, c] -> Img[h, w, C] =
          conv2d(C, 3, padding: 1) >> batch_norm(affine: true)

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  any_stem(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: a signature states what a primitive was designed for; applying it to
    something else is reported at the use, with the declared type as a
    label, instead of as a confusing error deep inside its body.
  `,

  E0307: text`
    An uneven division: a division in a tensor dimension does not come out
    even.

    On integers, \`/\` is floor division; in a tensor dimension, such as
    \`Img[h / 2, w / 2, C]\`, the division must be exact. The usual cause is a
    stride-2 reduction of an odd size: MNIST's 28 becomes 14 and then 7,
    and 7 cannot be halved.

    Erroneous example:

        import std.ops2d

        primitive halve(C: int) : Img[h, w, c] -> Img[h / 2, w / 2, C] =
          conv2d(C, 3, stride: 2, padding: 1) >> batch_norm(affine: true)

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[27, 27, 1] -> Logits[10] {
          stem  halve(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        primitive halve(C: int) : Img[h, w, c] -> Img[h / 2, w / 2, C] =
          conv2d(C, 3, stride: 2, padding: 1) >> batch_norm(affine: true)

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  halve(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: at stride 2 the DARTS operations disagree on odd sizes: the pools
    and convolutions give ceil(n / 2), FactorizedReduce gives two paths of
    different sizes and fails. Requiring exact division keeps every
    candidate, every node and every reduction consistent.
  `,

  E0308: text`
    A window too large: a convolution or pooling window is larger than its
    padded input.

    A window of kernel k and dilation d covers d(k - 1) + 1 positions; the
    input plus twice the padding must be at least that wide. This happens
    after too many reductions, with large or dilated kernels on small
    inputs, or with a pooling head sized for another input.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[4, 4, 3] -> Logits[2] {
          stem  conv2d(3 * C, 5) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(2)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[4, 4, 3] -> Logits[2] {
          stem  conv2d(3 * C, 5, padding: 2) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(2)
        }

    Why: a window that does not fit produces an empty tensor, which PyTorch
    reports deep inside a forward pass, if at all.
  `,

  E0309: text`
    A factorized reduce of an odd size: \`factorized_reduce\` (the stride-2
    \`skip_connect\`, and the preprocessing of a cell's first input after a
    reduction cell) is applied to a tensor whose spatial size is odd.

    FactorizedReduce halves the size with two stride-2 1x1 convolutions, the
    second reading the input shifted by one position, and concatenates them.
    On an odd size n the two paths give ceil(n / 2) and floor(n / 2), which
    cannot be concatenated.

    Erroneous example:

        import std.ops1d

        cell Conv1dCell(C: int) {
          ops   P3B5_OPS
          nodes 2
        }

        space Text(C: int = 8) : Seq[375, 32] -> Logits[2] {
          stem  conv1d(C, 3, padding: 1) >> factorized_reduce(C)
          cells stack(2, normal: Conv1dCell)
          head  global_avg_pool >> dense(2)
        }

    Corrected example:

        import std.ops1d

        cell Conv1dCell(C: int) {
          ops   P3B5_OPS
          nodes 2
        }

        space Text(C: int = 8) : Seq[376, 32] -> Logits[2] {
          stem  conv1d(C, 3, padding: 1) >> factorized_reduce(C)
          cells stack(2, normal: Conv1dCell)
          head  global_avg_pool >> dense(2)
        }

    Why: the reference DARTS code has no rule for odd sizes and fails with a
    shape error at run time (CANDLE's P3B5 reduces 1500 -> 750 -> 375 and
    must stop there). Pad or crop the data to a size that stays even through
    every reduction, or reduce fewer times.
  `,

  E0310: text`
    A factorized reduce with an odd channel count: \`factorized_reduce(out)\`
    is asked for an odd number of output channels.

    Its two paths each produce out / 2 channels, which are concatenated, so
    \`out\` must be even.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 5) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> factorized_reduce(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 6) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> factorized_reduce(3 * C)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: with an odd count one path would silently get one channel fewer
    than the other, or the layer could not be built. In a stack of cells the
    width doubles at every reduction, so the cells' own factorized reduces
    are even; this error comes from an explicit use, or from a channel
    fraction such as PC-DARTS' C / K.
  `,

  E0311: text`
    An output type mismatch: the head of a space produces another type than
    the output type the space declares.

    A classifier space usually declares \`-> Logits[K]\` and ends its head
    with \`global_avg_pool >> dense(K)\` (a \`Logits[K]\` is a \`Vec[K]\` of
    class scores).

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: the output type says what the data's labels are compared with; a
    head that gives 16 features for 10 classes (or the reverse) would fail in
    the loss, or, worse, train against the wrong number of classes.
  `,

  E0312: text`
    A value kind mismatch: a value of one kind is used where another kind is
    needed: an integer, a number, \`true\` or \`false\`, an op, a condition.

    Integer parameters (channel counts, kernels, strides, paddings) take
    integers, not \`3.0\`; boolean ones (\`affine\`, \`bias\`) take \`true\` or
    \`false\`, not \`1\`; a pipeline \`a >> b\` joins ops, not numbers; an \`if\`
    needs a comparison.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: 1)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: Python accepts \`affine=1\` and \`kernel_size=3.0\` and fails, or
    truncates, somewhere else. Values have kinds so that a description means
    exactly one network.
  `,

  E0313: text`
    Division by zero: an integer expression divides (or takes a remainder)
    by zero.

    Divisors usually come from parameters, so the zero may come from a
    default or from the arguments of a search.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8, layers: int = 6, stages: int = 0) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(layers, normal: Normal, reduce: Reduce, at: [layers / stages])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8, layers: int = 6, stages: int = 2) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(layers, normal: Normal, reduce: Reduce, at: [layers / stages])
          head  global_avg_pool >> dense(10)
        }

    Why: a division by zero has no value; everything computed from it
    (positions, sizes, channel counts) would be meaningless.
  `,

  E0314: text`
    A bad attribute: an intrinsic op is given a value it cannot take.

    Kernel sizes, strides, dilations and channel counts must be positive
    integers and paddings at least 0. Computed values are the usual cause:
    \`C / 4\` with a small \`C\` gives 0 channels, \`(kernel - 3) / 2\` with
    kernel 1 gives padding -1.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C / 16, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: such a layer cannot be built (or, with a negative padding, would
    crop silently). The message names the op, the attribute and its value.
  `,

  E0315: text`
    A symbolic space type: the input type of a space uses dimension
    variables instead of concrete sizes.

    A primitive or a cell can be generic (\`Img[h, w, C]\`), but a space is a
    whole network for one kind of data: its input dimensions must be numbers
    or parameters of the space, so that every shape inside it can be
    computed.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[h, w, 3] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8, size: int = 32) : Img[size, size, 3] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: the sizes of a network decide whether its reductions divide evenly,
    whether its windows fit, and how many parameters it has; none of that
    can be checked for "any size".
  `,

  E0401: text`
    A cyclic definition: a \`let\`, \`primitive\` or \`cell\` is defined in terms
    of itself, directly or through others.

    The message lists the cycle. Declarations are not recursive: a primitive
    is a fixed pipeline (write a repeated block out, or give it a parameter),
    and a \`let\` names one value.

    Erroneous example:

        import std.ops2d

        let WIDTH = 2 * HALF
        let HALF = WIDTH / 2

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = HALF) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        let WIDTH = 16
        let HALF = WIDTH / 2

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = HALF) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: a cyclic definition has no value: evaluating it would never end.
  `,

  E0402: text`
    Keep too large: a cell's \`keep K\` asks every node to keep K incoming
    edges in the genotype, but some node has fewer than K.

    With \`nodes N\` and two inputs every node has at least two edges (one
    from each cell input); in a chain (\`nodes chain(N)\`) every node has
    exactly one; an explicit \`node a from x, y\` has as many as it lists.
    Without a \`keep\` setting a cell keeps 2 edges per node (1 in a chain),
    and never more than its nodes have.

    Erroneous example:

        import std.linear

        cell Layers(C: int) : (x: Vec[c]) -> Vec[C] {
          preprocess [relu_dense_bn(C)]
          ops        LINEAR_OPS
          nodes      chain(3)
          keep       2
          output     n2
        }

        space Uno(C: int = 32) : Vec[4] -> Logits[3] {
          stem  dense(C)
          cells stack(2, normal: Layers)
          head  dense(3)
        }

    Corrected example:

        import std.linear

        cell Layers(C: int) : (x: Vec[c]) -> Vec[C] {
          preprocess [relu_dense_bn(C)]
          ops        LINEAR_OPS
          nodes      chain(3)
          keep       1
          output     n2
        }

        space Uno(C: int = 32) : Vec[4] -> Logits[3] {
          stem  dense(C)
          cells stack(2, normal: Layers)
          head  dense(3)
        }

    Why: genotype derivation keeps, for each node, its K strongest incoming
    edges; a node with fewer edges than K cannot give K, and the derived
    cell would not be the one the genotype format promises (K pairs per
    node).
  `,

  E0403: text`
    A bad reduction position: a position in \`stack(..., at: [...])\` is not
    the position of a cell of the stack.

    Positions count from 0 to count - 1. The DARTS positions are
    \`[layers / 3, 2 * layers / 3]\`: cells 2 and 5 of 8.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1, 3])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1, 2])
          head  global_avg_pool >> dense(10)
        }

    Why: a position outside the stack would silently drop a reduction (and
    with it the channel doubling), so the network would not be the one
    described. Positions counted from 1, as in some papers, are the usual
    cause.
  `,

  E0404: text`
    An invalid genotype: a genotype does not fit the cells of the space a
    network is built from. The message says what is wrong. This is reported
    when a derived network is built from the genotype; \`dartsc check\`
    alone checks only that every entry is an \`(op, input)\` pair.

    In \`normal\` and \`reduce\`, each pair is \`(op, input state)\`, \`keep\`
    pairs (2 in DARTS) per node, node by node, so there are nodes x keep
    pairs. States count the cell inputs first: \`0\` and \`1\` are the inputs,
    \`2 + m\` is node m, so node m may only read states 0 to m + 1. Each op
    must be one of the cell's candidates (its \`ops\`), and the space must
    have a cell of each role the genotype is used for.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

        genotype Mine {
          normal        [(sep_conv_3x3, 0), (sep_conv_3x3, 2),
                         (skip_connect, 0), (dil_conv_3x3, 2)]
          normal_concat [2, 3]
          reduce        [(max_pool_3x3, 0), (max_pool_3x3, 1),
                         (skip_connect, 2), (max_pool_3x3, 1)]
          reduce_concat [2, 3]
        }

    Node 0 of the normal cell is state 2: it can read states 0 and 1, not
    itself.

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

        genotype Mine {
          normal        [(sep_conv_3x3, 0), (sep_conv_3x3, 1),
                         (skip_connect, 0), (dil_conv_3x3, 2)]
          normal_concat [2, 3]
          reduce        [(max_pool_3x3, 0), (max_pool_3x3, 1),
                         (skip_connect, 2), (max_pool_3x3, 1)]
          reduce_concat [2, 3]
        }

    Why: genotypes are written by hand, copied from papers and stored in
    files; CANDLE's stored genotypes name states that do not exist and ops
    missing from its op table. A genotype is checked before a network is
    built from it.
  `,

  E0405: text`
    No candidates: a cell's \`ops\` is an empty list.

    Every edge chooses among the candidates of \`ops\`; with none, there is
    nothing to choose and nothing to compute.

    Erroneous example:

        cell Normal(C: int) {
          ops   []
          nodes 4
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 4
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: the candidates are the columns of the α tables; an empty table has
    no softmax and no genotype. (A single candidate is allowed: the edge is
    then fixed, which is how a hand-designed part is written.)
  `,

  E0406: text`
    Not a cell: a place that needs a cell (\`normal:\` and \`reduce:\` of
    \`stack\`, the base of \`cell X = Base(C) reducing\`) names another
    declaration: a space or a genotype. (An operation or a value in that
    place is reported as E0312, "expected a cell".)

    A genotype is not a cell either: it is the choice a search made for the
    cells of a space, and a network is derived from it, not stacked with it.

    Erroneous example:

        import std.ops2d
        import std.darts

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: DARTS_V2, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Why: a stack is made of cells, each with its own inputs, nodes and α
    table; a single operation in its place has none of these. To fix an
    operation instead of searching it, write a cell whose \`ops\` lists only
    that operation.
  `,

  E0407: text`
    A candidate that cannot reduce: a primitive without a \`stride\`
    parameter is a candidate of a reduction cell, where the edges that read
    the cell inputs have stride 2.

    Each candidate receives the edge's stride through its \`stride\`
    parameter; a primitive without one cannot halve the size, so its output
    would disagree with the other candidates.

    Erroneous example:

        import std.ops2d

        primitive conv_3x3(C: int) : Img[h, w, C] -> Img[h, w, C] =
          relu >> conv2d(C, 3, padding: 1) >> batch_norm

        cell Mine(C: int) {
          ops   [none, skip_connect, conv_3x3]
          nodes 2
        }
        cell MineReduce(C: int) = Mine(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Mine, reduce: MineReduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        primitive conv_3x3(C: int, stride: int = 1)
          : Img[h, w, C] -> Img[h / stride, w / stride, C] =
          relu >> conv2d(C, 3, stride: stride, padding: 1) >> batch_norm

        cell Mine(C: int) {
          ops   [none, skip_connect, conv_3x3]
          nodes 2
        }
        cell MineReduce(C: int) = Mine(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Mine, reduce: MineReduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Why: the reference builds every candidate as OPS[name](C, stride,
    affine); here that contract is the parameter names \`C\` and \`stride\`,
    and a candidate that cannot honour it is reported by name instead of
    showing up as a shape mismatch.
  `,

  E0408: text`
    A cell needs a width: a cell used in \`stack(...)\` has no \`C: int\`
    parameter.

    \`stack\` passes every cell its channel count as the argument \`C\`:
    the space's \`C\` at first, doubled at every reduction cell, as in
    DARTS.

    Erroneous example:

        import std.ops2d

        cell Normal {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Why: the width of a cell decides the channels of its preprocessors, its
    candidates and its output; without a \`C\` parameter the stack has no way
    to give it one.
  `,

  E0409: text`
    A missing reduce cell: \`stack(...)\` lists reduction positions in
    \`at:\` but gives no \`reduce:\` cell to put there.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal, reduce: Reduce, at: [1])
          head  global_avg_pool >> dense(10)
        }

    Why: using the normal cell at those positions would silently build a
    network without reductions; declare the reduction variant with
    \`cell Reduce(C: int) = Normal(C) reducing\`, or drop \`at\`.
  `,

  E0410: text`
    Not a space: the \`space\` setting of a search names something that is
    not a \`space\` declaration (a cell, a primitive, a \`let\`).

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        search {
          space  Normal(C: 8)
          data   mnist()
          epochs 10
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(3, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

        search {
          space  Net(C: 8)
          data   mnist()
          epochs 10
        }

    Why: a search trains a whole network, with a stem, a head and an output
    type to compare with the labels; a cell is only a part of one.
  `,

  E0411: text`
    A duplicate candidate: one is listed twice in a cell's \`ops\`, e.g. two calls of one
    primitive with different arguments.

    A genotype names the chosen op of every edge by its name, and the α table
    has one column per name, so two columns with one name could never be told
    apart after the search. Declare each variant as a primitive of its own.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, sep_conv(C, 5), sep_conv(C, 7)]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, sep_conv_5x5, sep_conv_7x7]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }
  `,
  E0412: text`
    A count too small: a node count, a kept-edge count, a cell count, a channel
    width or a tensor size is below its minimum (at least 1).

    A cell with \`nodes 0\` has no output to build, \`keep 0\` derives empty
    genotypes, \`stack(0, ...)\` is a network without cells, and a tensor of
    size 0 cannot be convolved. These would only fail at run time, far from the
    line that causes them.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, sep_conv_3x3]
          nodes 0
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, sep_conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }
  `,
  E0413: text`
    A data-space mismatch: the dataset of a search gives samples of another type,
    or more classes, than the space takes, or token ids past the end of the stem's
    \`embedding\` table, or regression targets to a space with more than one
    output. \`dartsc check\` knows the built-in datasets' shapes
    (\`mnist\` is \`Img[28, 28, 1]\` with 10 classes, \`mnist_rows\` is
    \`Seq[28, 28]\`); file datasets are checked by \`dartsc run\` as soon as they
    are loaded, before any training.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[5] {
          stem  conv2d(2 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(5)
        }

        search {
          space Net(C: 8)
          data  mnist()
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   [none, skip_connect, sep_conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(2 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

        search {
          space Net(C: 8)
          data  mnist()
        }
  `,
  W0202: text`
    A declaration hides an intrinsic op or a declaration imported from another
    module, or a parameter hides a declaration of the file (shadowed-name).

    The local name wins, which is allowed, but it is rarely meant: a
    \`primitive relu\` silently changes every pipeline that says \`relu\`,
    including the ones you did not write with this in mind.

    Erroneous example:

        primitive relu = identity

    Corrected example:

        primitive passthrough = identity
  `,
  W0203: text`
    A primitive, cell or \`let\` of the file being checked is never used
    (unused-declaration). Reported only in files that describe a network
    (they have a \`space\` or a \`search\`), not in library files that only
    declare.

    An unused primitive is usually a candidate someone meant to list in a
    cell's \`ops\`; it is also never shape-checked, since only the networks
    of the file are elaborated.

    Erroneous example:

        import std.ops2d

        primitive conv_3x3(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C] =
          relu >> conv2d(C, 3, stride: stride, padding: 1) >> batch_norm

        cell Normal(C: int) {
          ops   [none, sep_conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        primitive conv_3x3(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C] =
          relu >> conv2d(C, 3, stride: stride, padding: 1) >> batch_norm

        cell Normal(C: int) {
          ops   [none, sep_conv_3x3, conv_3x3]
          nodes 2
        }

        space Net(C: int = 8) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(2, normal: Normal)
          head  global_avg_pool >> dense(10)
        }
  `,
  W0401: text`
    A repeated reduction position: the same position appears twice in
    \`stack(..., at: [...])\`.

    This is a warning: the cell at that position is a reduction cell once,
    not twice. It usually comes from the DARTS formula
    \`[layers / 3, 2 * layers / 3]\` with very few layers: with 1 layer both
    positions are 0.

    Erroneous example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8, layers: int = 1) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(layers, normal: Normal, reduce: Reduce, at: [layers / 3, 2 * layers / 3])
          head  global_avg_pool >> dense(10)
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 2
        }
        cell Reduce(C: int) = Normal(C) reducing

        space Net(C: int = 8, layers: int = 3) : Img[28, 28, 1] -> Logits[10] {
          stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
          cells stack(layers, normal: Normal, reduce: Reduce, at: [layers / 3, 2 * layers / 3])
          head  global_avg_pool >> dense(10)
        }

    Why: the network has fewer reductions (and fewer channel doublings) than
    the list suggests, which is rarely what was meant.
  `,

  E0501: text`
    A search step does not fit the wasm backend's memory (wasm-memory). Reported
    by \`dartsc run\` before it starts, not by \`dartsc check\`.

    The wasm backend runs in a WebAssembly heap capped near 4 GB that never
    shrinks; a step that needs more dies with "memory access out of bounds" in
    the middle of the search. dartsc estimates the step's memory from the IR
    (every tensor the backward pass keeps, calibrated on DARTS cells) and refuses
    a batch that cannot fit, naming the largest one that does. The paper's full
    CIFAR-10 search (C = 16, 8 cells, batch 64) is such a case: search a proxy
    (fewer channels or cells, a smaller batch) or use a native backend.

    Erroneous example (with \`dartsc run\` on the wasm backend):

        import std.darts

        search {
          space DartsCifar(C: 16, layers: 8)
          data  npy(inputs: "x.npy", labels: "y.npy")
          batch 64
        }

    Corrected example:

        import std.darts

        search {
          space DartsCifar(C: 8, layers: 5)
          data  npy(inputs: "x.npy", labels: "y.npy")
          batch 16
        }
  `,
  W0201: text`
    An unused import: none of the declarations of an imported module is
    used by the importing file.

    This is a warning: \`dartsc check\` still exits with status 0. An import is
    used when one of its names (qualified or not) is referenced.

    Erroneous example:

        import std.ops2d
        import std.linear

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

    Corrected example:

        import std.ops2d

        cell Normal(C: int) {
          ops   DARTS_OPS
          nodes 4
        }

    Why: an unused import slows checking, and it can make other names
    ambiguous (std.ops2d and std.ops1d both declare \`none\`), so an import
    that is not needed is worth removing.
  `,
};
