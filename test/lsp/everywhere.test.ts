import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';

import { nodeHost } from '../../src/api/host.js';
import { analyse } from '../../src/lsp/analyse.js';
import { completionsAt } from '../../src/lsp/completion.js';
import { definitionOf } from '../../src/lsp/definition.js';
import { documentHost } from '../../src/lsp/documentHost.js';
import { documentSymbols } from '../../src/lsp/documentSymbols.js';
import { hoverAt } from '../../src/lsp/hover.js';
import { prepareRename } from '../../src/lsp/rename.js';
import { nameAt } from '../../src/lsp/target.js';
import { root } from '../helpers/cli.js';

/**
 * Every request at every few characters of every example and stdlib file, whole and cut off
 * halfway (text being typed), in-process: none throws anything but a refusal to rename.
 */
const files = [
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.darts'))
    .map((f) => join(root, 'examples', f)),
  ...readdirSync(join(root, 'stdlib')).map((f) => join(root, 'stdlib', f)),
];
const host = documentHost(nodeHost(root), new Map());

describe('lsp: every position', () => {
  for (const path of files) {
    it(`answers at every position of ${path.slice(root.length + 1)}, whole and cut off`, () => {
      const whole = readFileSync(path, 'utf8');
      for (const text of [whole, whole.slice(0, whole.length / 2)]) {
        const analysis = analyse(path, text, host);
        expect(documentSymbols(analysis.entry.ast).length).toBeGreaterThan(0);
        for (let offset = 0; offset <= text.length; offset += 5) {
          hoverAt(analysis, offset);
          completionsAt(analysis, offset);
          const target = nameAt(analysis, offset)?.target;
          if (target) definitionOf(target);
          try {
            prepareRename(analysis, offset);
          } catch (error) {
            expect(error).toBeInstanceOf(ResponseError);
          }
        }
      }
    });
  }
});
