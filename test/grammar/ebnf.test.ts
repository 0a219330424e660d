import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { cstTypings, grammarEbnf, railroadDiagrams } from '../../scripts/grammarArtifacts.js';
import { parser } from '../../src/syntax/parser.js';

const read = (name: string) =>
  readFileSync(new URL(`../../grammar/${name}`, import.meta.url), 'utf8');

describe('grammar: generated artifacts', () => {
  it('keeps grammar/darts.ebnf identical to the parser (run `npm run gen:grammar`)', () => {
    expect(read('darts.ebnf')).toBe(grammarEbnf());
  });

  it('keeps grammar/cst.d.ts identical to the parser', () => {
    expect(read('cst.d.ts')).toBe(cstTypings());
  });

  it('keeps grammar/diagrams.html identical to the parser', () => {
    expect(read('diagrams.html')).toBe(railroadDiagrams());
  });

  it('has one EBNF production per parser rule, with the same names', () => {
    const productions = [...read('darts.ebnf').matchAll(/^(\w+) = /gm)].map((m) => m[1]);
    expect(productions).toEqual(Object.keys(parser.getGAstProductions()));
  });

  it('documents each rule with its EBNF production in the parser source', () => {
    const source = readFileSync(new URL('../../src/syntax/parser.ts', import.meta.url), 'utf8');
    const ebnf = read('darts.ebnf');
    for (const [, name] of ebnf.matchAll(/^(\w+) = /gm)) {
      expect(source, `doc comment for ${name}`).toMatch(new RegExp(`/\\*\\* ${name} = `));
    }
  });
});
