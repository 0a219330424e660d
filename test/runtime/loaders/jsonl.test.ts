import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadJsonl } from '../../../src/runtime/loaders/jsonl.js';
import { dataError } from '../../helpers/dataErrors.js';

const dir = mkdtempSync(join(tmpdir(), 'dartsc-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function file(text: string, name = `t${count++}.jsonl`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadJsonl', () => {
  it('pads with 0 and truncates to the length, skipping blank lines', () => {
    const text = [
      '{"tokens": [5, 6], "label": 1}',
      '',
      '  {"label": 0, "tokens": [1, 2, 3, 4, 99], "extra": "ignored"}  ',
      '{"tokens": [], "label": 2}\r',
      '',
    ].join('\n');
    const data = loadJsonl(file(text, 'reviews.jsonl'), { length: 4 });
    expect(data).toMatchObject({
      name: 'reviews.jsonl',
      layout: 'Tokens',
      shape: [4],
      size: 3,
      classes: 3,
      vocab: 7,
    });
    expect(Array.from(data.x)).toEqual([5, 6, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    expect(Array.from(data.y)).toEqual([1, 0, 2]);
    expect(data.preprocessing).toEqual({
      input: { kind: 'tokens' },
      steps: [{ kind: 'pad', length: 4, value: 0 }],
    });
  });

  it('reports an empty file', () => {
    for (const text of ['', '\n\n  \n']) {
      const path = file(text);
      expect(dataError(() => loadJsonl(path, { length: 3 }))).toBe(`${path} is empty`);
    }
  });

  it('reports a bad length', () => {
    const path = file('{"tokens": [1], "label": 0}\n');
    expect(dataError(() => loadJsonl(path, { length: 0 }))).toBe(
      `${path}: the length must be a positive integer, found 0`,
    );
  });

  /** The error for a file whose line 3 (after a good line and a blank one) is `line`. */
  function third(line: string): [string, string] {
    const path = file(`{"tokens": [1], "label": 0}\n\n${line}\n{"tokens": [2], "label": 1}\n`);
    return [path, dataError(() => loadJsonl(path, { length: 2 }))];
  }

  it('reports invalid JSON and non-objects by line', () => {
    let [path, message] = third('{"tokens": [1, 2], "label": 0');
    expect(message).toBe(`${path}, line 3: invalid JSON`);
    [path, message] = third('[1, 2, 3]');
    expect(message).toBe(`${path}, line 3: expected an object with \`tokens\` and \`label\``);
  });

  it('reports missing fields by line', () => {
    let [path, message] = third('{"label": 0}');
    expect(message).toBe(`${path}, line 3: missing \`tokens\``);
    [path, message] = third('{"tokens": [1]}');
    expect(message).toBe(`${path}, line 3: missing \`label\``);
    [path, message] = third('{"tokens": "hello", "label": 0}');
    expect(message).toBe(`${path}, line 3: \`tokens\` must be an array of token ids`);
  });

  it('reports bad token ids by line and position', () => {
    for (const [token, shown] of [
      ['-1', '-1'],
      ['1.5', '1.5'],
      ['"7"', '"7"'],
      ['null', 'null'],
      ['16777216', '16777216'],
    ]) {
      const [path, message] = third(`{"tokens": [0, ${token}], "label": 0}`);
      expect(message).toBe(
        `${path}, line 3, \`tokens[1]\`: expected a non-negative integer token id below 16777216, found ${shown}`,
      );
    }
  });

  it('reports bad labels by line', () => {
    for (const label of ['1.5', '-2', '"pos"', 'true']) {
      const [path, message] = third(`{"tokens": [1], "label": ${label}}`);
      expect(message).toBe(
        `${path}, line 3: \`label\` must be a non-negative integer, found ${label}`,
      );
    }
  });
});
