/**
 * Generators for the files in grammar/ that derive from the parser: the EBNF, the CST
 * typings and the railroad diagrams. `npm run gen:grammar` writes them; test/grammar tests
 * fail when the checked-in copies are stale, so the grammar documents cannot drift.
 */
import {
  Alternation,
  Alternative,
  createSyntaxDiagramsCode,
  generateCstDts,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule,
  Terminal,
  type IProduction,
} from 'chevrotain';

import { parser } from '../src/syntax/parser.js';
import { describeToken } from '../src/syntax/tokens.js';

/** The grammar as EBNF, one production per parser rule, generated from chevrotain's GAST. */
export function grammarEbnf(): string {
  const header = [
    '(* The grammar of .darts files, generated from src/syntax/parser.ts by `npm run gen:grammar`.',
    '   Terminals: Identifier = [A-Za-z_][A-Za-z0-9_]* ; IntLiteral = digits ;',
    '   FloatLiteral = digits "." digits [exponent] | digits exponent ;',
    "   StringLiteral = '\"' { char | escape } '\"' ; comments are // to end of line and /* ... */. *)",
    '',
  ];
  const rules = Object.values(parser.getGAstProductions()).map(
    (rule) => `${rule.name} = ${sequence(rule.definition)} ;`,
  );
  return [...header, ...rules, ''].join('\n');
}

function sequence(items: IProduction[]): string {
  return items.map(production).join(' ');
}

function production(p: IProduction): string {
  if (p instanceof Terminal) return terminal(p);
  if (p instanceof NonTerminal) return p.nonTerminalName;
  if (p instanceof Option) return `[ ${sequence(p.definition)} ]`;
  if (p instanceof Repetition || p instanceof RepetitionMandatory) {
    const body = sequence(p.definition);
    return p instanceof RepetitionMandatory ? `${body} { ${body} }` : `{ ${body} }`;
  }
  if (p instanceof RepetitionWithSeparator || p instanceof RepetitionMandatoryWithSeparator) {
    throw new Error('separated repetitions are not used by the grammar');
  }
  if (p instanceof Alternation) {
    return `( ${p.definition.map(production).join(' | ')} )`;
  }
  if (p instanceof Alternative || p instanceof Rule) return sequence((p as Alternative).definition);
  throw new Error(`unknown production ${p.constructor.name}`);
}

function terminal(t: Terminal): string {
  const name = t.terminalType.name;
  if (/Literal$|^Identifier$/.test(name)) return name;
  return `"${describeToken(t.terminalType).slice(1, -1)}"`;
}

/** The TypeScript types of the CST, for `cstToAst.ts`. */
export function cstTypings(): string {
  const dts = generateCstDts(parser.getGAstProductions());
  return `// Generated from src/syntax/parser.ts by \`npm run gen:grammar\`; do not edit.\n${dts}`;
}

/** An HTML page of railroad diagrams (loads chevrotain's diagram script from the package). */
export function railroadDiagrams(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions(), {
    resourceBase: '../node_modules/chevrotain/diagrams/',
    css: '../node_modules/chevrotain/diagrams/diagrams.css',
  });
}
