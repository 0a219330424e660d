import { builders as b, printer } from 'prettier/doc';

import type * as A from './nodes.js';

/**
 * The printer of `.darts` source: one set of layout rules, built as a prettier document
 * (text with the places where it may break) and rendered at a line width. `printProgram`
 * renders without a width limit and without comments (genotype literals); `dartsc fmt`
 * renders the same document at 100 columns, with the comments and line breaks of the source
 * (src/format/).
 */

/** A prettier document (prettier's doc builders): what `render` lays out. */
export type Doc = b.Doc;

const { align, fill, group, hardline, indent, join, line, softline } = b;

/** What a layout takes from the source beyond the tree; `printProgram` takes nothing. */
export interface PrintContext {
  /**
   * What to print before and after a node: its comments. `lineStart`: the layout puts the
   * node at the start of a line whenever a comment on a line of its own comes before it;
   * `statement`: an item of a file or block, which a line break always follows.
   */
  readonly around: (
    node: A.AstNode,
    lineStart: boolean,
    statement: boolean,
  ) => { readonly before: Doc; readonly after: Doc };
  /** What to print right after the opening bracket of a node (`{`, `[`, `(`): comments. */
  readonly open: (node: A.AstNode) => Doc[];
  /** What to print after the last item of a block or file: comments on lines of their own. */
  readonly end: (node: A.BlockNode | A.ProgramNode) => Doc[];
  /** Whether the source breaks the line between two offsets: such breaks are kept. */
  readonly broken: (from: number, to: number) => boolean;
  /** Whether a blank line goes between two consecutive items of a file or a block. */
  readonly blank: (previous: A.AstNode, next: A.AstNode) => boolean;
}

const bare: PrintContext = {
  around: () => ({ before: '', after: '' }),
  open: () => [],
  end: () => [],
  broken: () => false,
  // Imports sit together; every declaration is set off by a blank line.
  blank: (previous, next) =>
    !(previous.kind === 'Import' && next.kind === 'Import') &&
    previous.kind !== 'Setting' &&
    previous.kind !== 'NodeDecl',
};

/** Lays out a document at a line width (lines are cut only where the document allows). */
export function render(doc: Doc, width: number): string {
  return printer.printDocToString(doc, { printWidth: width, tabWidth: 2 }).formatted;
}

/**
 * Prints an AST as canonical `.darts` source, one declaration per line where it can be.
 * Parsing the output gives the same tree (modulo spans); comments are not part of the AST
 * and are not printed.
 */
export function printProgram(program: A.ProgramNode): string {
  return render(programDoc(program, bare), Number.MAX_SAFE_INTEGER);
}

/** Prints a tensor or tuple type. */
export function printType(t: A.TypeNode): string {
  return render(new Printer(bare).type(t), Number.MAX_SAFE_INTEGER);
}

/** The document of a whole file. */
export function programDoc(program: A.ProgramNode, context: PrintContext): Doc {
  const p = new Printer(context);
  const parts: Doc[] = p.items(program.items, (item) => p.topLevel(item));
  const end = context.end(program);
  if (parts.length === 0 && end.length === 0) return '';
  return [...parts, ...end, hardline];
}

/** In the lowest precedence first; `>>` chains are laid out on their own (`chain`). */
const precedence: Record<A.BinaryOperator, number> = {
  '==': 0,
  '!=': 0,
  '<': 0,
  '<=': 0,
  '>': 0,
  '>=': 0,
  '>>': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
  '%': 3,
};

/** Setting values in a `search` block align at least after `weights`, its longest common key. */
const searchKeyWidth = 'weights'.length;

class Printer {
  constructor(private readonly context: PrintContext) {}

  /** A node's document with what belongs around it. */
  private node(node: A.AstNode, doc: Doc, lineStart = false, statement = false): Doc {
    const { before, after } = this.context.around(node, lineStart, statement);
    return [before, doc, after];
  }

  /** Items one per line, a blank line between them where the context says. */
  items<T extends A.AstNode>(items: readonly T[], print: (item: T) => Doc): Doc[] {
    return items.flatMap((item, i) => {
      const previous = items[i - 1];
      if (!previous) return [print(item)];
      return [hardline, this.context.blank(previous, item) ? hardline : '', print(item)];
    });
  }

  topLevel(item: A.TopLevelNode): Doc {
    if (item.kind === 'Import') {
      const target = item.file
        ? this.expression(item.file)
        : item.module!.map((n) => n.value).join('.');
      const alias = item.alias ? ` as ${item.alias.value}` : '';
      return this.node(item, ['import ', target, alias], true, true);
    }
    const annotations = item.annotations.map((a) => [this.annotation(a), hardline]);
    return this.node(item, [...annotations, this.declaration(item)], true, true);
  }

  private annotation(a: A.AnnotationNode): Doc {
    return this.node(a, ['@', a.name.value, a.args ? this.arguments(a.args) : '']);
  }

  private declaration(d: A.DeclarationNode): Doc {
    switch (d.kind) {
      case 'Primitive':
        return group([`primitive ${d.name.value}`, this.header(d), ' =', this.body(d, d.body)]);
      case 'Cell':
        if (d.body.kind === 'Block')
          return [group([`cell ${d.name.value}`, this.header(d)]), this.block(d.body)];
        return group([
          `cell ${d.name.value}`,
          this.header(d),
          ' = ',
          this.expression(d.body.base),
          d.body.reducing ? ' reducing' : '',
        ]);
      case 'Space':
        return [group([`space ${d.name.value}`, this.header(d)]), this.block(d.body)];
      case 'Genotype':
        return [`genotype ${d.name.value}`, this.block(d.body)];
      case 'Search':
        return [`search${d.name ? ' ' + d.name.value : ''}`, this.block(d.body, searchKeyWidth)];
      case 'Let':
        return [`let ${d.name.value} =`, this.body(d, d.value)];
    }
  }

  /** ` = body`: on the next line when the source has it there, or when it does not fit. */
  private body(d: A.PrimitiveNode | A.LetNode, value: A.ExpressionNode): Doc {
    const doc = this.expression(value, true);
    if (this.context.broken(headerEnd(d), value.span.start)) return indent([hardline, doc]);
    if (value.kind === 'Binary' && value.operator === '>>') return group(indent([line, doc]));
    return [' ', doc];
  }

  private header(d: A.PrimitiveNode | A.CellNode | A.SpaceNode): Doc {
    const open = ['(', ...this.context.open(d)];
    const params = d.params
      ? this.parenthesized(
          d.params.map((p) => this.param(p)),
          open,
        )
      : '';
    const s = d.signature;
    if (!s) return params;
    const signature = [': ', this.type(s.input), ' -> ', this.type(s.output)];
    const before = d.params?.at(-1)?.span.end ?? s.span.start;
    if (this.context.broken(before, s.span.start)) return [params, indent([hardline, signature])];
    return [params, group(indent([line, signature]))];
  }

  private param(p: A.ParamNode): Doc {
    const value = p.default ? [' = ', this.expression(p.default)] : '';
    return this.node(p, [`${p.name.value}: ${p.type.value}`, value], true);
  }

  type(t: A.TypeNode): Doc {
    if (t.kind === 'TensorType') return this.tensorType(t);
    const elements = t.elements.map((e) =>
      this.node(e, [e.label ? e.label.value + ': ' : '', this.tensorType(e.type)], true),
    );
    return this.node(t, this.parenthesized(elements));
  }

  private tensorType(t: A.TensorTypeNode): Doc {
    const dims = t.dims.map((d) => this.additive(d, true));
    const open = ['[', ...this.context.open(t)];
    return this.node(t, [t.name.value, this.parenthesized(dims, open, ']')]);
  }

  /** ` { ... }`, one item per line. */
  private block(block: A.BlockNode, minKeyWidth = 0): Doc {
    const end = this.context.end(block);
    const open = this.context.open(block);
    if (block.items.length === 0 && end.length === 0 && open.length === 0)
      return [' ', this.node(block, '{}')];
    const settings = block.items.flatMap((i) => (i.kind === 'Setting' ? [i.key.value.length] : []));
    const width = settings.length ? Math.max(minKeyWidth, ...settings) : 0;
    const lines = this.items(block.items, (item) =>
      this.node(
        item,
        item.kind === 'NodeDecl'
          ? `node ${item.name.value} from ${item.inputs.map((n) => n.value).join(', ')}`
          : [
              item.key.value.padEnd(width),
              ' ',
              align(width + 1, [this.expression(item.value), this.fromClause(item.from)]),
            ],
        true,
        true,
      ),
    );
    const inside = block.items.length ? [hardline, ...lines, ...end] : end;
    return [' ', this.node(block, ['{', ...open, indent(inside), hardline, '}'])];
  }

  /** ` from a, b`: the states a space's part reads. */
  private fromClause(from: readonly A.ExpressionNode[] | undefined): Doc {
    if (!from) return '';
    const states = from.map((e) => this.expression(e));
    return group(indent([line, 'from ', group(join([',', line], states))]));
  }

  /** An expression with the fewest parentheses that keep its tree. */
  private expression(e: A.ExpressionNode, lineStart = false): Doc {
    if (e.kind === 'Binary' && e.operator === '>>') return this.chain(e, lineStart);
    return this.node(e, this.bareExpression(e), lineStart);
  }

  private bareExpression(e: Exclude<A.ExpressionNode, A.BinaryNode> | A.BinaryNode): Doc {
    switch (e.kind) {
      case 'IntLiteral':
        return String(e.value);
      case 'FloatLiteral':
        return e.text;
      case 'StringLiteral':
        return printString(e.value);
      case 'BoolLiteral':
        return String(e.value);
      case 'Reference':
        return e.parts.map((p) => p.value).join('.');
      case 'Call':
        return [this.expression(e.callee), this.arguments(e.args, this.context.open(e))];
      case 'Binary': {
        const p = precedence[e.operator];
        const left = this.wrap(e.left, (q) => q < p);
        return group([left, ` ${e.operator}`, indent([line, this.wrap(e.right, (q) => q <= p)])]);
      }
      case 'Unary':
        return ['-', this.wrap(e.operand, () => true)];
      case 'Conditional':
        return group([
          ['if ', this.comparison(e.condition)],
          indent([line, 'then ', this.expression(e.then)]),
          indent([line, 'else ', this.expression(e.else)]),
        ]);
      case 'Tuple': {
        const elements: Doc[] = e.elements.map((x) => this.expression(x, true));
        // `(a,)`: one element needs its comma to be a tuple.
        if (elements.length === 1) elements[0] = [elements[0]!, ','];
        return this.parenthesized(elements, ['(', ...this.context.open(e)]);
      }
      case 'List':
        return this.list(e);
    }
  }

  /**
   * `a >> b >> c`: its operands fill the lines, each continuation line starting with `>>`,
   * and a line break the source has before an operand is kept.
   */
  private chain(e: A.BinaryNode, lineStart: boolean): Doc {
    const operands: A.ExpressionNode[] = [];
    const nested: A.BinaryNode[] = [];
    let left: A.ExpressionNode = e;
    while (left.kind === 'Binary' && left.operator === '>>') {
      nested.unshift(left);
      operands.unshift(left.right);
      left = left.left;
    }
    operands.unshift(left);
    const parts: Doc[][] = operands.map((x, i) => {
      if (i === 0) return [this.wrap(x, (q) => q < precedence['>>'], lineStart)];
      // A comment before an operand goes before its `>>`, which starts its line when the
      // comment is on a line of its own (the line break before it is kept).
      const needsParens = (q: number) => q <= precedence['>>'];
      if (x.kind === 'Binary' && x.operator === '>>') return ['>> ', this.wrap(x, needsParens)];
      const { before, after } = this.context.around(x, true, false);
      return [before, '>> ', this.parens(x, this.bareExpression(x), needsParens), after];
    });
    // The comments of each `a >> b` node go around its operands.
    nested.forEach((n, i) => {
      const { before, after } = this.context.around(n, lineStart, false);
      parts[0]!.unshift(before);
      parts[i + 1]!.push(after);
    });
    const separated = parts.flatMap((part, i) => {
      if (i === 0) return [part];
      const broken = this.context.broken(operands[i - 1]!.span.end, operands[i]!.span.start);
      return [broken ? hardline : line, part];
    });
    return indent(fill(separated));
  }

  /**
   * `[a, b]`: on one line when it fits, else the elements fill lines aligned after `[`; when
   * the source breaks the line after `[`, one element block with a trailing comma. A line
   * break the source has between two elements is kept.
   */
  private list(e: A.ListNode): Doc {
    const open = this.context.open(e);
    if (e.elements.length === 0) return open.length ? ['[', ...open, hardline, ']'] : '[]';
    const parts = e.elements.flatMap((x, i) => {
      const element = [this.expression(x, true), i < e.elements.length - 1 ? ',' : ''];
      if (i === 0) return [element];
      const broken = this.context.broken(e.elements[i - 1]!.span.end, x.span.start);
      return [broken ? hardline : line, element];
    });
    if (open.length || this.context.broken(e.span.start, e.elements[0]!.span.start))
      return ['[', ...open, indent([hardline, fill(parts), ',']), hardline, ']'];
    return ['[', align(1, fill(parts)), ']'];
  }

  /** Where the grammar allows only `additive` (tensor dimensions, comparison operands). */
  private additive(e: A.ExpressionNode, lineStart = false): Doc {
    return this.wrap(e, (q) => q < precedence['+'], lineStart);
  }

  private comparison(e: A.BinaryNode): Doc {
    const doc = [this.additive(e.left), ` ${e.operator} `, this.additive(e.right)];
    return this.node(e, doc);
  }

  private wrap(
    e: A.ExpressionNode,
    needsParens: (precedence: number) => boolean,
    lineStart = false,
  ): Doc {
    const parens =
      e.kind === 'Conditional' || (e.kind === 'Binary' && needsParens(precedence[e.operator]));
    // Inside parentheses, nothing starts a line.
    const doc = this.expression(e, lineStart && !parens);
    return parens ? ['(', doc, ')'] : doc;
  }

  private parens(e: A.ExpressionNode, doc: Doc, needsParens: (precedence: number) => boolean): Doc {
    const parens =
      e.kind === 'Conditional' || (e.kind === 'Binary' && needsParens(precedence[e.operator]));
    return parens ? ['(', doc, ')'] : doc;
  }

  private arguments(args: readonly A.ArgumentNode[], open: Doc[] = []): Doc {
    return this.parenthesized(
      args.map((a) =>
        this.node(a, [a.name ? `${a.name.value}: ` : '', this.expression(a.value)], true),
      ),
      ['(', ...open],
    );
  }

  /** `(a, b)` on one line, or one element per line when it does not fit. */
  private parenthesized(docs: Doc[], open: Doc = '(', close = ')'): Doc {
    // Empty, but a comment may end the line of the opening bracket.
    if (docs.length === 0) return group([open, softline, close]);
    return group([open, indent([softline, join([',', line], docs)]), softline, close]);
  }
}

/** Where the part of a declaration before its `=` ends. */
function headerEnd(d: A.PrimitiveNode | A.LetNode): number {
  if ('signature' in d && d.signature) return d.signature.span.end;
  if ('params' in d && d.params?.length) return d.params.at(-1)!.span.end;
  return d.name.span.end;
}

function printString(value: string): string {
  const escaped = value.replace(/[\\"\n\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\${c}`,
  );
  return `"${escaped}"`;
}
