import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compile } from '../src/api/compile.js';
import { nodeHost } from '../src/api/host.js';
import { formatDiagnostics } from '../src/diagnostics/render.js';

/**
 * Golden diagnostics. Each case is `fixtures/diagnostics/<case>.darts` (or a folder
 * `<case>/main.darts` with the files it imports). Lines carry annotations: `//~ E0201` expects
 * a diagnostic of that code starting on the same line, `//~^ E0201` on the line above (for
 * lines an annotation cannot sit on). The rendered diagnostics are compared with
 * `<case>.errors.txt`; run `UPDATE_GOLDENS=1 npm test` to rewrite them, and review the diff.
 */
const root = join(import.meta.dirname, 'fixtures', 'diagnostics');
const update = process.env.UPDATE_GOLDENS === '1';

function cases(): { name: string; entry: string; golden: string }[] {
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const path = join(root, name);
      if (statSync(path).isDirectory()) {
        return [
          { name, entry: join(path, 'main.darts'), golden: join(root, `${name}.errors.txt`) },
        ];
      }
      if (!name.endsWith('.darts')) return [];
      const stem = name.slice(0, -'.darts'.length);
      return [{ name: stem, entry: path, golden: join(root, `${stem}.errors.txt`) }];
    });
}

/** `line:code` for every annotation, in line order. */
function annotations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/\/\/~(\^*)\s*((?:[EW]\d{4}\s*)+)/g)) {
      const target = index + 1 - match[1]!.length;
      for (const code of match[2]!.trim().split(/\s+/)) out.push(`${target}:${code}`);
    }
  });
  return out.sort();
}

describe('check: golden diagnostics', () => {
  const all = cases();
  it('has at least 40 malformed inputs', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of all) {
    it(`reports the annotated diagnostics for ${c.name}`, () => {
      const text = readFileSync(c.entry, 'utf8');
      const result = compile({ path: c.entry, text }, { host: nodeHost(root), cwd: root });
      const expected = annotations(text);
      expect(expected.length, 'a fixture must annotate at least one diagnostic').toBeGreaterThan(0);
      const actual = result.diagnostics
        .filter((d) => d.span.file.name === relative(root, c.entry))
        .map((d) => `${d.span.file.getLocation(d.span.start).line}:${d.code}`)
        .sort();
      expect(actual).toEqual(expected);

      const rendered = formatDiagnostics(result.diagnostics, { format: 'pretty' });
      if (update || !existsSync(c.golden)) {
        if (!update) throw new Error(`missing golden ${c.golden}; run UPDATE_GOLDENS=1 npm test`);
        writeFileSync(c.golden, rendered);
      }
      expect(rendered).toBe(readFileSync(c.golden, 'utf8'));
    });
  }
});
