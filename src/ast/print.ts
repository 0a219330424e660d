import type * as A from './nodes.js';

/**
 * Prints an AST as canonical `.darts` source. Parsing the output gives the same tree
 * (modulo spans); comments are not part of the AST and are not printed.
 */
export function printProgram(program: A.ProgramNode): string {
  const parts: string[] = [];
  let previous: A.TopLevelNode | undefined;
  for (const item of program.items) {
    // Imports sit together; every declaration is set off by a blank line.
    if (previous && !(previous.kind === 'Import' && item.kind === 'Import')) parts.push('');
    parts.push(printTopLevel(item));
    previous = item;
  }
  return parts.length ? parts.join('\n') + '\n' : '';
}

function printTopLevel(item: A.TopLevelNode): string {
  if (item.kind === 'Import') {
    const target = item.file
      ? printString(item.file.value)
      : item.module!.map((n) => n.value).join('.');
    return `import ${target}${item.alias ? ` as ${item.alias.value}` : ''}`;
  }
  const annotations = item.annotations.map((a) => printAnnotation(a) + '\n').join('');
  return annotations + printDeclaration(item);
}

function printAnnotation(a: A.AnnotationNode): string {
  return `@${a.name.value}${a.args ? printArguments(a.args) : ''}`;
}

function printDeclaration(d: A.DeclarationNode): string {
  switch (d.kind) {
    case 'Primitive':
      return `primitive ${d.name.value}${header(d)} = ${printExpression(d.body)}`;
    case 'Cell':
      return d.body.kind === 'Block'
        ? `cell ${d.name.value}${header(d)} ${printBlock(d.body)}`
        : `cell ${d.name.value}${header(d)} = ${printExpression(d.body.base)}${d.body.reducing ? ' reducing' : ''}`;
    case 'Space':
      return `space ${d.name.value}${header(d)} ${printBlock(d.body)}`;
    case 'Genotype':
      return `genotype ${d.name.value} ${printBlock(d.body)}`;
    case 'Search':
      return `search ${d.name ? d.name.value + ' ' : ''}${printBlock(d.body)}`;
    case 'Let':
      return `let ${d.name.value} = ${printExpression(d.value)}`;
  }
}

function header(d: { params?: readonly A.ParamNode[]; signature?: A.SignatureNode }): string {
  const params = d.params ? `(${d.params.map(printParam).join(', ')})` : '';
  const signature = d.signature
    ? ` : ${printType(d.signature.input)} -> ${printType(d.signature.output)}`
    : '';
  return params + signature;
}

function printParam(p: A.ParamNode): string {
  return `${p.name.value}: ${p.type.value}${p.default ? ` = ${printExpression(p.default)}` : ''}`;
}

/** Prints a tensor or tuple type. */
export function printType(t: A.TypeNode): string {
  if (t.kind === 'TensorType') return printTensorType(t);
  const elements = t.elements.map(
    (e) => `${e.label ? e.label.value + ': ' : ''}${printTensorType(e.type)}`,
  );
  return `(${elements.join(', ')})`;
}

function printTensorType(t: A.TensorTypeNode): string {
  return `${t.name.value}[${t.dims.map(printAdditive).join(', ')}]`;
}

function printBlock(b: A.BlockNode): string {
  if (b.items.length === 0) return '{}';
  const width = Math.max(...b.items.map((i) => (i.kind === 'Setting' ? i.key.value.length : 0)));
  const lines = b.items.map((item) =>
    item.kind === 'NodeDecl'
      ? `  node ${item.name.value} from ${item.inputs.map((n) => n.value).join(', ')}`
      : `  ${item.key.value.padEnd(width)} ${printExpression(item.value)}`,
  );
  return `{\n${lines.join('\n')}\n}`;
}

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

/** Prints an expression with the fewest parentheses that keep its tree. */
function printExpression(e: A.ExpressionNode): string {
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
      return printExpression(e.callee) + printArguments(e.args);
    case 'Binary': {
      const p = precedence[e.operator];
      const left = wrap(e.left, (q) => q < p);
      const right = wrap(e.right, (q) => q <= p);
      return `${left} ${e.operator} ${right}`;
    }
    case 'Unary':
      return `-${wrap(e.operand, () => true)}`;
    case 'Conditional':
      return `if ${printComparison(e.condition)} then ${printExpression(e.then)} else ${printExpression(e.else)}`;
    case 'Tuple':
      return `(${e.elements.map(printExpression).join(', ')}${e.elements.length === 1 ? ',' : ''})`;
    case 'List':
      return `[${e.elements.map(printExpression).join(', ')}]`;
  }
}

/** Where the grammar allows only `additive` (tensor dimensions, comparison operands). */
function printAdditive(e: A.ExpressionNode): string {
  return wrap(e, (q) => q < precedence['+']);
}

function printComparison(e: A.BinaryNode): string {
  return `${printAdditive(e.left)} ${e.operator} ${printAdditive(e.right)}`;
}

function wrap(e: A.ExpressionNode, needsParens: (precedence: number) => boolean): string {
  const text = printExpression(e);
  const parens =
    e.kind === 'Conditional' || (e.kind === 'Binary' && needsParens(precedence[e.operator]));
  return parens ? `(${text})` : text;
}

function printArguments(args: readonly A.ArgumentNode[]): string {
  const parts = args.map((a) => (a.name ? `${a.name.value}: ` : '') + printExpression(a.value));
  return `(${parts.join(', ')})`;
}

function printString(value: string): string {
  const escaped = value.replace(/[\\"\n\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\${c}`,
  );
  return `"${escaped}"`;
}
