import {
  CstParser,
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';

import * as T from './tokens.js';

/**
 * What a syntax error carries from chevrotain to the diagnostic builder. The parser's error
 * message provider serialises it into the exception message (chevrotain only stores strings),
 * and `parse.ts` reads it back: raw chevrotain text never reaches users.
 */
export interface SyntaxErrorPayload {
  /** `token`: one specific token was expected (E0104); `construct`: a rule was (E0105). */
  readonly kind: 'token' | 'construct';
  readonly expected: string;
}

/** How each rule is named when none of its alternatives matches. */
const ruleDescriptions: Record<string, string> = {
  program: 'a declaration (`primitive`, `cell`, `space`, `genotype`, `search`, `let`) or `import`',
  topLevel: 'a declaration (`primitive`, `cell`, `space`, `genotype`, `search`, `let`) or `import`',
  declaration: 'a declaration (`primitive`, `cell`, `space`, `genotype`, `search`, `let`)',
  importDecl: 'a module path or a file name',
  cellDecl: 'a cell body `{ ... }` or `= Cell(...)`',
  typeExpr: 'a tensor type such as `Img[h, w, C]`',
  block: 'a setting or `}`',
  blockItem: 'a setting such as `epochs 10`, a `node`, or `}`',
  searchBlock: 'a setting or `}`',
  searchItem: 'a setting such as `epochs 10`, or `}`',
  primary: 'an expression',
  unary: 'an expression',
  expression: 'an expression',
  comparison: 'a comparison such as `stride == 1`',
};

const quote = (type: TokenType): string => T.describeToken(type);

/** In these rules a missing closing bracket is as likely a missing comma. */
const separated: Record<string, string> = {
  listLiteral: '`,` or `]`',
  tensorType: '`,` or `]`',
  arguments: '`,` or `)`',
  parenthesized: '`,` or `)`',
  paramList: '`,` or `)`',
  tupleType: '`,` or `)`',
};

const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) => {
    // Recovery at the top level expects the end of the file: a declaration is what is missing.
    if (expected === EOF) {
      return JSON.stringify({
        kind: 'construct',
        expected: ruleDescriptions.program!,
      } satisfies SyntaxErrorPayload);
    }
    const closing = expected === T.RBracket || expected === T.RParen;
    const text = closing && separated[ruleName] ? separated[ruleName] : quote(expected);
    return JSON.stringify({ kind: 'token', expected: text } satisfies SyntaxErrorPayload);
  },
  buildNotAllInputParsedMessage: () =>
    JSON.stringify({
      kind: 'construct',
      expected: ruleDescriptions.program!,
    } satisfies SyntaxErrorPayload),
  buildNoViableAltMessage: ({ ruleName, expectedPathsPerAlt }) =>
    JSON.stringify({
      kind: 'construct',
      expected: ruleDescriptions[ruleName] ?? describeFirstTokens(expectedPathsPerAlt),
    } satisfies SyntaxErrorPayload),
  buildEarlyExitMessage: ({ ruleName, expectedIterationPaths }) =>
    JSON.stringify({
      kind: 'construct',
      expected: ruleDescriptions[ruleName] ?? describeFirstTokens([expectedIterationPaths]),
    } satisfies SyntaxErrorPayload),
};

function describeFirstTokens(paths: TokenType[][][]): string {
  const firsts = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) firsts.add(quote(path[0]));
  const all = [...firsts];
  return all.length === 1 ? all[0]! : `one of ${all.join(', ')}`;
}

/**
 * The grammar of `.darts`, one rule per production of `grammar/darts.ebnf` (which is generated
 * from this class, so the two cannot drift). Pure grammar: no embedded actions; `cstToAst.ts`
 * builds the AST. Error recovery is on, so one run reports several syntax errors.
 */
export class DartsParser extends CstParser {
  constructor() {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: messageProvider,
      maxLookahead: 3,
    });
    this.performSelfAnalysis();
  }

  /** program = { topLevel } ; */
  public program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.topLevel));
  });

  /** topLevel = importDecl | declaration ; */
  public topLevel = this.RULE('topLevel', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.declaration) },
    ]);
  });

  /** importDecl = "import" ( modulePath | String ) [ "as" Identifier ] ; */
  public importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.KwImport);
    this.OR([
      { ALT: () => this.SUBRULE(this.modulePath) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.KwAs);
      this.CONSUME(T.Identifier);
    });
  });

  /** modulePath = Identifier { "." Identifier } ; */
  public modulePath = this.RULE('modulePath', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME1(T.Identifier);
    });
  });

  /** declaration = { annotation } ( primitiveDecl | cellDecl | spaceDecl | genotypeDecl | searchDecl | letDecl ) ; */
  public declaration = this.RULE('declaration', () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR([
      { ALT: () => this.SUBRULE(this.primitiveDecl) },
      { ALT: () => this.SUBRULE(this.cellDecl) },
      { ALT: () => this.SUBRULE(this.spaceDecl) },
      { ALT: () => this.SUBRULE(this.genotypeDecl) },
      { ALT: () => this.SUBRULE(this.searchDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
    ]);
  });

  /** annotation = "@" Identifier [ arguments ] ; */
  public annotation = this.RULE('annotation', () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.arguments));
  });

  /** primitiveDecl = "primitive" Identifier [ paramList ] [ ":" signature ] "=" expression ; */
  public primitiveDecl = this.RULE('primitiveDecl', () => {
    this.CONSUME(T.KwPrimitive);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.OPTION1(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.signature);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** cellDecl = "cell" Identifier [ paramList ] [ ":" signature ] ( block | cellAlias ) ; */
  public cellDecl = this.RULE('cellDecl', () => {
    this.CONSUME(T.KwCell);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.OPTION1(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.signature);
    });
    this.OR([{ ALT: () => this.SUBRULE(this.block) }, { ALT: () => this.SUBRULE(this.cellAlias) }]);
  });

  /** cellAlias = "=" expression [ "reducing" ] ; */
  public cellAlias = this.RULE('cellAlias', () => {
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.CONSUME(T.KwReducing));
  });

  /** spaceDecl = "space" Identifier [ paramList ] [ ":" signature ] block ; */
  public spaceDecl = this.RULE('spaceDecl', () => {
    this.CONSUME(T.KwSpace);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.OPTION1(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.signature);
    });
    this.SUBRULE(this.block);
  });

  /** genotypeDecl = "genotype" Identifier block ; */
  public genotypeDecl = this.RULE('genotypeDecl', () => {
    this.CONSUME(T.KwGenotype);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.block);
  });

  /** searchDecl = "search" [ Identifier ] searchBlock ; */
  public searchDecl = this.RULE('searchDecl', () => {
    this.CONSUME(T.KwSearch);
    this.OPTION(() => this.CONSUME(T.Identifier));
    this.SUBRULE(this.searchBlock);
  });

  /** searchBlock = "{" { searchItem } "}" ; */
  public searchBlock = this.RULE('searchBlock', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.searchItem));
    this.CONSUME(T.RBrace);
  });

  /** searchItem = "space" expression [ fromClause ] | nodeDecl | setting ; */
  public searchItem = this.RULE('searchItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.KwSpace);
          this.SUBRULE(this.expression);
          this.OPTION(() => this.SUBRULE(this.fromClause));
        },
      },
      { ALT: () => this.SUBRULE(this.nodeDecl) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]);
  });

  /** letDecl = "let" Identifier "=" expression ; */
  public letDecl = this.RULE('letDecl', () => {
    this.CONSUME(T.KwLet);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** paramList = "(" [ param { "," param } ] ")" ; */
  public paramList = this.RULE('paramList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE1(this.param);
      });
    });
    this.CONSUME(T.RParen);
  });

  /** param = Identifier ":" Identifier [ "=" expression ] ; */
  public param = this.RULE('param', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.CONSUME1(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  /** signature = typeExpr "->" typeExpr ; */
  public signature = this.RULE('signature', () => {
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Arrow);
    this.SUBRULE1(this.typeExpr);
  });

  /** typeExpr = tensorType | tupleType ; */
  public typeExpr = this.RULE('typeExpr', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.tensorType) },
      { ALT: () => this.SUBRULE(this.tupleType) },
    ]);
  });

  /** tensorType = Identifier "[" additive { "," additive } "]" ; */
  public tensorType = this.RULE('tensorType', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.additive);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE1(this.additive);
    });
    this.CONSUME(T.RBracket);
  });

  /** tupleType = "(" tupleTypeElement { "," tupleTypeElement } ")" ; */
  public tupleType = this.RULE('tupleType', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.tupleTypeElement);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE1(this.tupleTypeElement);
    });
    this.CONSUME(T.RParen);
  });

  /** tupleTypeElement = [ Identifier ":" ] tensorType ; */
  public tupleTypeElement = this.RULE('tupleTypeElement', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.tensorType);
  });

  /** block = "{" { blockItem } "}" ; */
  public block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.blockItem));
    this.CONSUME(T.RBrace);
  });

  /** blockItem = nodeDecl | setting ; */
  public blockItem = this.RULE('blockItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.nodeDecl) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]);
  });

  /** nodeDecl = "node" Identifier "from" Identifier { "," Identifier } ; */
  public nodeDecl = this.RULE('nodeDecl', () => {
    this.CONSUME(T.KwNode);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.KwFrom);
    this.CONSUME1(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
  });

  /** setting = Identifier expression [ fromClause ] ; */
  public setting = this.RULE('setting', () => {
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.SUBRULE(this.fromClause));
  });

  /** fromClause = "from" expression { "," expression } ; */
  public fromClause = this.RULE('fromClause', () => {
    this.CONSUME(T.KwFrom);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE1(this.expression);
    });
  });

  /** expression = conditional | composition ; */
  public expression = this.RULE('expression', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.conditional) },
      { ALT: () => this.SUBRULE(this.composition) },
    ]);
  });

  /** conditional = "if" comparison "then" expression "else" expression ; */
  public conditional = this.RULE('conditional', () => {
    this.CONSUME(T.KwIf);
    this.SUBRULE(this.comparison);
    this.CONSUME(T.KwThen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.KwElse);
    this.SUBRULE1(this.expression);
  });

  /** comparison = additive ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) additive ; */
  public comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive);
    this.OR([
      { ALT: () => this.CONSUME(T.EqualEqual) },
      { ALT: () => this.CONSUME(T.NotEqual) },
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEqual) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.GreaterEqual) },
    ]);
    this.SUBRULE1(this.additive);
  });

  /** composition = additive { ">>" additive } ; */
  public composition = this.RULE('composition', () => {
    this.SUBRULE(this.additive);
    this.MANY(() => {
      this.CONSUME(T.Compose);
      this.SUBRULE1(this.additive);
    });
  });

  /** additive = multiplicative { ( "+" | "-" ) multiplicative } ; */
  public additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      this.SUBRULE1(this.multiplicative);
    });
  });

  /** multiplicative = unary { ( "*" | "/" | "%" ) unary } ; */
  public multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Percent) },
      ]);
      this.SUBRULE1(this.unary);
    });
  });

  /** unary = "-" unary | primary ; */
  public unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  /** primary = IntLiteral | FloatLiteral | StringLiteral | "true" | "false" | reference | parenthesized | listLiteral ; */
  public primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntLiteral) },
      { ALT: () => this.CONSUME(T.FloatLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.KwTrue) },
      { ALT: () => this.CONSUME(T.KwFalse) },
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.listLiteral) },
    ]);
  });

  /** reference = Identifier { "." Identifier } [ arguments ] ; */
  public reference = this.RULE('reference', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME1(T.Identifier);
    });
    this.OPTION(() => this.SUBRULE(this.arguments));
  });

  /** parenthesized = "(" expression { "," expression } [ "," ] ")" ; */
  public parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.MANY({
      GATE: () => this.LA(2).tokenType !== T.RParen,
      DEF: () => {
        this.CONSUME(T.Comma);
        this.SUBRULE1(this.expression);
      },
    });
    this.OPTION(() => this.CONSUME1(T.Comma));
    this.CONSUME(T.RParen);
  });

  /** listLiteral = "[" [ expression { "," expression } [ "," ] ] "]" ; */
  public listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE1(this.expression);
        },
      });
      this.OPTION1(() => this.CONSUME1(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  /** arguments = "(" [ argument { "," argument } [ "," ] ] ")" ; */
  public arguments = this.RULE('arguments', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RParen,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE1(this.argument);
        },
      });
      this.OPTION1(() => this.CONSUME1(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /** argument = [ Identifier ":" ] expression ; */
  public argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });
}

/** The one parser instance, reused with `parser.input = tokens` (chevrotain's guidance). */
export const parser = new DartsParser();

/** True for a token that chevrotain inserted during recovery (its offsets are NaN). */
export function isInsertedToken(token: IToken): boolean {
  return Number.isNaN(token.startOffset) || token.tokenType === EOF;
}
