import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { backendNames } from '../src/numerics/tf.js';
import { blockSettings, searchDefaults, settingFunctions } from '../src/intrinsics/settings.js';
import { deriveUsage } from '../src/cli/commands/derive.js';
import { runUsage } from '../src/cli/commands/run.js';

/**
 * docs/search.md and docs/backends.md stay complete: every setting of the `search` block,
 * every default, every parameter of the search's functions, every flag of `dartsc run` and
 * `dartsc derive`, and every backend is named (in backticks) where users look for it.
 */
const docs = join(import.meta.dirname, '..', 'docs');
const search = readFileSync(join(docs, 'search.md'), 'utf8');
const backends = readFileSync(join(docs, 'backends.md'), 'utf8');

/** The `search` block's settings table rows, by setting name. */
function settingRows(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const match = /^\| `(\w+)`\s+\|/.exec(line);
    if (match && !rows.has(match[1]!)) rows.set(match[1]!, line);
  }
  return rows;
}

const flags = (usage: string) => [...new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])];

describe('docs/search.md', () => {
  const rows = settingRows(search);

  it('documents every setting of the search block', () => {
    const missing = Object.keys(blockSettings.search).filter((k) => !rows.has(k));
    expect(missing).toEqual([]);
  });

  it('documents every default, with its value in the setting row', () => {
    for (const key of Object.keys(searchDefaults)) expect(rows.has(key), key).toBe(true);
    for (const key of ['split', 'epochs', 'batch', 'seed', 'order'] as const)
      expect(rows.get(key), key).toContain(`\`${String(searchDefaults[key])}\``);
    for (const [group, values] of [
      ['weights', searchDefaults.weights],
      ['arch', searchDefaults.arch],
      ['init', searchDefaults.init],
    ] as const) {
      for (const key of Object.keys(values).filter((k) => k !== 'kind'))
        expect(search, `${group}.${key}`).toContain(`\`${key}\``);
    }
    const lr = searchDefaults.weights.lr;
    if (lr.kind === 'cosine') expect(search).toContain(`cosine(${lr.max}, ${lr.min})`);
    const std = searchDefaults.init.std;
    expect([String(std), std.toExponential()].some((v) => search.includes(`normal(${v})`))).toBe(
      true,
    );
  });

  it("names every function of the search block's settings, with its parameters", () => {
    const signature = (name: string) =>
      `${name}(${(settingFunctions[name] ?? []).map((p) => p.name).join(', ')})`;
    for (const setting of ['weights', 'arch', 'init'])
      for (const name of blockSettings.search[setting]!.vocabulary ?? [])
        expect(search, name).toContain(settingFunctions[name] ? signature(name) : `\`${name}\``);
    // Every data source is named; those in the loader table are listed with their parameters.
    for (const name of blockSettings.search.data!.vocabulary ?? [])
      expect(search, name).toContain(`\`${name}`);
    const listed = [...search.matchAll(/^\| `(\w+)\(([^)]*)\)`/gm)].filter(([, name]) =>
      blockSettings.search.data!.vocabulary?.includes(name!),
    );
    expect(listed.length).toBeGreaterThan(0);
    for (const [, name] of listed) expect(search).toContain(`\`${signature(name!)}\``);
  });

  it('documents every flag of dartsc run and dartsc derive', () => {
    for (const flag of [...flags(runUsage), ...flags(deriveUsage)])
      expect(search, flag).toContain(`\`${flag}`);
  });
});

describe('docs/backends.md', () => {
  it('documents every backend', () => {
    for (const name of backendNames) expect(backends, name).toContain(`| \`${name}\``);
  });
});
