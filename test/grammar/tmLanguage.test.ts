import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';
import type { IGrammar, IToken, StateStack } from 'vscode-textmate';
import { keywordTokens } from '../../src/syntax/tokens.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const grammarPath = join(root, 'grammar/darts.tmLanguage.json');

const SAMPLE = `import std.ops2d
// comment
let darts_ops = [none, max_pool_3x3, sep_conv_3x3,]
@excluded
primitive zero_op(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C] = zero(stride: stride)
primitive skip_connect(C: int, stride: int = 1) = if stride == 1 then identity else factorized_reduce(C)
let t = if a != b then 1 else 2
let u = if a <= b then if a >= c then 1 else 2 else if a < b - 1 then 3 else if a > -b then 4 else 5
cell Normal(C: int) : (s0: Img[h, w, C0], s1: Img[h, w, C1]) -> Img[h, w, 4 * C] {
  ops darts_ops
  nodes 4
  keep if C > 16 then 2 else 1
  node n9 from s0, s1
  output concat(nodes)
}
cell Reduce(C: int) = Normal(C) reducing
space Mnist(C: int = 8, layers: int = 3) : Img[28, 28, 1] -> Logits[10] {
  stem conv2d(3 * C, 3) >> batch_norm
  cells stack(layers, Normal, reduce: [layers / 3, 2 * layers / 3], with: Reduce)
  head global_avg_pool >> dense(10)
}
genotype G { normal [(sep_conv_3x3, 0), (skip_connect, 1)] normal_concat [2] }
/* block
   comment */
search { space Mnist(C: 8) data mnist(valid: 0.5) epochs 10 weights sgd(lr: cosine(0.025, 0.001), decay: 3e-4) order second name "a\\"b" flag true }
`;

/** Every `.darts` file under `dir`, recursively; none if `dir` does not exist. */
function findDarts(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findDarts(path));
    else if (entry.endsWith('.darts')) found.push(path);
  }
  return found;
}

interface ScopedToken {
  readonly line: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammar: IGrammar;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
      createOnigString: (text: string) => oniguruma.createOnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.darts'
        ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const loaded = await registry.loadGrammar('source.darts');
  if (!loaded) throw new Error('could not load the source.darts grammar');
  grammar = loaded;
});

function tokenize(source: string): ScopedToken[] {
  const out: ScopedToken[] = [];
  let state: StateStack = textmate.INITIAL;
  source.split(/\r?\n/).forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    result.tokens.forEach((token: IToken) => {
      out.push({
        line: index + 1,
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      });
    });
    state = result.ruleStack;
  });
  return out;
}

/** The scopes of the (first) token whose text is exactly `text`. */
function scopesOf(source: string, text: string): readonly string[] {
  const token = tokenize(source).find((t) => t.text === text);
  if (!token) throw new Error(`no token ${JSON.stringify(text)} in ${JSON.stringify(source)}`);
  return token.scopes;
}

const hasScope = (scopes: readonly string[], prefix: string): boolean =>
  scopes.some((s) => s === prefix || s.startsWith(`${prefix}.`));

function invalidTokens(source: string): string[] {
  return tokenize(source)
    .filter((t) => t.scopes.some((s) => s.startsWith('invalid')))
    .map((t) => `line ${t.line}: ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`);
}

describe('darts.tmLanguage.json', () => {
  it('has the expected header', () => {
    const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as {
      scopeName: string;
      fileTypes: string[];
    };
    expect(raw.scopeName).toBe('source.darts');
    expect(raw.fileTypes).toEqual(['darts']);
  });

  it('tokenises every example, every stdlib module and the inline sample without invalid scopes', () => {
    // examples/ and stdlib/ are found at run time; there must be at least one real file on disk
    // (the inline sample does not count), so the check cannot silently pass on an empty tree.
    const onDisk = [...findDarts(join(root, 'examples')), ...findDarts(join(root, 'stdlib'))];
    expect(onDisk.length, '.darts files under examples/ and stdlib/').toBeGreaterThan(0);
    const files: { name: string; source: string }[] = [
      { name: '<inline sample>', source: SAMPLE },
      ...onDisk.map((f) => ({ name: relative(root, f), source: readFileSync(f, 'utf8') })),
    ];
    for (const { name, source } of files) {
      expect(invalidTokens(source), name).toEqual([]);
    }
  });

  it('scopes keywords, comments, strings and numbers', () => {
    expect(hasScope(scopesOf('cell Normal(C: int) = x', 'cell'), 'keyword')).toBe(true);
    expect(hasScope(scopesOf('// hello', ' hello'), 'comment')).toBe(true);
    expect(hasScope(scopesOf('/* a\nb */ x', 'b '), 'comment')).toBe(true);
    expect(hasScope(scopesOf('let s = "text"', 'text'), 'string')).toBe(true);
    expect(hasScope(scopesOf('let s = "a\\"b"', '\\"'), 'constant.character.escape')).toBe(true);
    expect(hasScope(scopesOf('let lr = 3e-4', '3e-4'), 'constant.numeric')).toBe(true);
    expect(hasScope(scopesOf('let lr = 1.5e-3', '1.5e-3'), 'constant.numeric')).toBe(true);
    expect(hasScope(scopesOf('let lr = 0.025', '0.025'), 'constant.numeric')).toBe(true);
    expect(hasScope(scopesOf('let n = 42', '42'), 'constant.numeric')).toBe(true);
    expect(hasScope(scopesOf('let b = true', 'true'), 'constant.language')).toBe(true);
    expect(hasScope(scopesOf('@excluded', 'excluded'), 'storage.type.annotation')).toBe(true);
  });

  it('scopes declared names, types and setting keys', () => {
    const src = SAMPLE;
    expect(hasScope(scopesOf(src, 'zero_op'), 'entity.name')).toBe(true);
    expect(hasScope(scopesOf(src, 'Normal'), 'entity.name')).toBe(true);
    expect(hasScope(scopesOf(src, 'Mnist'), 'entity.name')).toBe(true);
    expect(hasScope(scopesOf(src, 'G'), 'entity.name')).toBe(true);
    expect(hasScope(scopesOf(src, 'darts_ops'), 'entity.name')).toBe(true);
    expect(hasScope(scopesOf(src, 'Img'), 'support.type')).toBe(true);
    expect(hasScope(scopesOf(src, 'Logits'), 'support.type')).toBe(true);
    expect(hasScope(scopesOf(src, 'int'), 'storage.type')).toBe(true);
    expect(hasScope(scopesOf(src, 'keep'), 'variable.other.property')).toBe(true);
    expect(hasScope(scopesOf(src, 'stem'), 'variable.other.property')).toBe(true);
    expect(hasScope(scopesOf(src, 'normal'), 'variable.other.property')).toBe(true);
  });

  it('does not scope a name that starts with a keyword as a keyword', () => {
    for (const source of ['let cellular = 1', 'let x = cellular', 'let x = imported_ops']) {
      const word = source.includes('cellular') ? 'cellular' : 'imported_ops';
      const scopes = scopesOf(source, word);
      expect(hasScope(scopes, 'keyword'), source).toBe(false);
    }
    expect(scopesOf('let x = x_cell', 'x_cell').some((s) => s.startsWith('keyword'))).toBe(false);
    for (const word of ['iffy', 'thence', 'elsewhere', 'x_if', 'if_', 'else2']) {
      expect(hasScope(scopesOf(`let x = ${word}`, word), 'keyword'), word).toBe(false);
      expect(hasScope(scopesOf(`let ${word} = 1`, word), 'entity.name'), word).toBe(true);
    }
  });

  it('scopes the conditional keywords', () => {
    const line = 'let t = if a != b then 1 else 2';
    for (const word of ['if', 'then', 'else']) {
      expect(hasScope(scopesOf(line, word), 'keyword.control.conditional'), word).toBe(true);
    }
    const prim =
      'primitive skip_connect(C: int, stride: int = 1) = if stride == 1 then identity else factorized_reduce(C)';
    expect(hasScope(scopesOf(prim, 'skip_connect'), 'entity.name.function')).toBe(true);
    expect(hasScope(scopesOf(prim, 'if'), 'keyword.control.conditional')).toBe(true);
    expect(hasScope(scopesOf(prim, 'then'), 'keyword.control.conditional')).toBe(true);
    expect(hasScope(scopesOf(prim, 'else'), 'keyword.control.conditional')).toBe(true);
    expect(hasScope(scopesOf(prim, 'identity'), 'variable.other')).toBe(true);
    expect(hasScope(scopesOf(prim, 'factorized_reduce'), 'entity.name.function.call')).toBe(true);
    expect(invalidTokens(prim)).toEqual([]);
    // `if` before a parenthesis is still the keyword, not a call.
    expect(hasScope(scopesOf('let x = if(a < b) then 1 else 2', 'if'), 'keyword.control')).toBe(
      true,
    );
    // A keyword is never taken as a declared name, a setting key or an annotation name.
    expect(hasScope(scopesOf('let if = 1', 'if'), 'entity.name'), 'let if').toBe(false);
    expect(hasScope(scopesOf('let if = 1', 'if'), 'keyword.control.conditional')).toBe(true);
    expect(hasScope(scopesOf('primitive else = 1', 'else'), 'keyword.control.conditional')).toBe(
      true,
    );
    expect(hasScope(scopesOf('@then', 'then'), 'storage.type.annotation')).toBe(false);
    const block = 'cell N {\n  keep if a > b\n  then 2\n  else 1\n}';
    for (const word of ['if', 'then', 'else']) {
      const scopes = scopesOf(block, word);
      expect(hasScope(scopes, 'keyword.control.conditional'), word).toBe(true);
      expect(hasScope(scopes, 'variable.other.property'), word).toBe(false);
    }
    expect(hasScope(scopesOf(block, 'keep'), 'variable.other.property')).toBe(true);
  });

  it('scopes the comparison operators', () => {
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      for (const source of [
        `let x = if a ${op} b then 1 else 2`,
        `let x = if a${op}b then 1 else 2`,
      ]) {
        const tokens = tokenize(source);
        const token = tokens.find((t) => t.text === op);
        expect(token, source).toBeDefined();
        expect(token!.scopes, source).toContain('keyword.operator.comparison.darts');
        expect(
          tokens.some((t) => t.text === 'a' && hasScope(t.scopes, 'variable.other')),
          source,
        ).toBe(true);
        expect(
          tokens.some((t) => t.text === 'b' && hasScope(t.scopes, 'variable.other')),
          source,
        ).toBe(true);
        expect(invalidTokens(source), source).toEqual([]);
      }
    }
    // `==` is one comparison, not two assignments; `=` alone is still assignment.
    expect(
      tokenize('let x = a == b')
        .filter((t) => t.text.includes('='))
        .map((t) => t.text),
    ).toEqual(['=', '==']);
    expect(scopesOf('let x = 1', '=')).toContain('keyword.operator.assignment.darts');
    // `>>` and `->` keep their own scopes and are not split into comparisons.
    const arrows = 'primitive p : Vec[4] -> Vec[4] = a >> b';
    expect(scopesOf(arrows, '->')).toContain('keyword.operator.arrow.darts');
    expect(scopesOf(arrows, '>>')).toContain('keyword.operator.compose.darts');
    expect(
      tokenize(arrows).some((t) => hasScope(t.scopes, 'keyword.operator.comparison')),
      arrows,
    ).toBe(false);
    // Longest match first, as in the lexer: `>>=` is compose then assignment, `>==` is `>=` then `=`.
    expect(tokenize('a >>= b').map((t) => t.text)).toEqual(['a', ' ', '>>', '=', ' ', 'b']);
    expect(tokenize('a >== b').map((t) => t.text)).toEqual(['a', ' ', '>=', '=', ' ', 'b']);
    expect(scopesOf('a >== b', '>=')).toContain('keyword.operator.comparison.darts');
  });

  it('marks characters the lexer rejects as invalid', () => {
    for (const ch of ['$', '#', '?', '!', '&', '|', '^', '~', '`', ';']) {
      expect(hasScope(scopesOf(`let x = a ${ch} b`, ch), 'invalid.illegal'), ch).toBe(true);
    }
    expect(hasScope(scopesOf('let x = $', '$'), 'invalid.illegal.character')).toBe(true);
    // `->` and `>>` are operators, not two illegal characters.
    expect(invalidTokens('primitive p : Vec[4] -> Vec[4] = a >> b')).toEqual([]);
    // Lone `<` and `>` are comparisons now; `!` is only legal as part of `!=`.
    expect(invalidTokens('let x = if a < b then 1 else if a > b then 2 else 3')).toEqual([]);
    expect(hasScope(scopesOf('let x = a !b', '!'), 'invalid.illegal.character')).toBe(true);
    expect(hasScope(scopesOf('let x = a ! = b', '!'), 'invalid.illegal.character')).toBe(true);
  });

  it('marks an unterminated string as invalid', () => {
    const tokens = tokenize('let s = "abc\nlet t = 1');
    const bad = tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid')));
    expect(bad.map((t) => t.text).join('')).toBe('"abc');
    expect(hasScope(bad[0]!.scopes, 'invalid.illegal.unterminated-string')).toBe(true);
    // The next line is unaffected.
    expect(hasScope(scopesOf('let s = "abc\nlet t = 1', 't'), 'entity.name')).toBe(true);
  });

  it('knows every keyword of the lexer', () => {
    expect(keywordTokens.length).toBeGreaterThan(0);
    for (const tok of keywordTokens) {
      const word = (tok.PATTERN as RegExp).source.replace(/\\b$/, '');
      const tokens = tokenize(word);
      expect(
        tokens.map((t) => t.text),
        word,
      ).toEqual([word]);
      const scopes = tokens[0]!.scopes;
      expect(hasScope(scopes, 'keyword') || hasScope(scopes, 'constant.language'), word).toBe(true);
    }
  });
});
