import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { root } from '../helpers/cli.js';

/**
 * editors/vscode, the VS Code extension (not run here: VS Code is not), is wired to what the
 * repository has: the grammar it bundles is grammar/darts.tmLanguage.json, the language it
 * registers is the one its client serves, and it starts `dartsc lsp --stdio`.
 */
const ext = join(root, 'editors', 'vscode');
const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));
const grammarPath = join(root, 'grammar', 'darts.tmLanguage.json');
const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));

describe('editors/vscode', () => {
  it('registers .darts files and the repository grammar under its scope name', () => {
    const [language] = manifest.contributes.languages;
    expect(language.extensions).toEqual(['.darts']);
    const [contributed] = manifest.contributes.grammars;
    expect(contributed).toMatchObject({ language: language.id, scopeName: grammar.scopeName });
    expect(manifest.activationEvents).toEqual([`onLanguage:${language.id}`]);
    const client = readFileSync(join(ext, manifest.main), 'utf8');
    expect(client).toContain(`documentSelector: [{ language: '${language.id}' }]`);
    expect(client).toContain("'lsp', '--stdio'");
  });

  it('copies the repository grammar to where the manifest points before packaging', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dartsc-vscode-'));
    mkdirSync(join(scratch, 'grammar'));
    mkdirSync(join(scratch, 'editors', 'vscode'), { recursive: true });
    copyFileSync(grammarPath, join(scratch, 'grammar', 'darts.tmLanguage.json'));
    copyFileSync(
      join(ext, 'copy-grammar.js'),
      join(scratch, 'editors', 'vscode', 'copy-grammar.js'),
    );
    expect(manifest.scripts['vscode:prepublish']).toBe('node copy-grammar.js');
    execFileSync(process.execPath, ['copy-grammar.js'], {
      cwd: join(scratch, 'editors', 'vscode'),
    });
    const copied = join(scratch, 'editors', 'vscode', manifest.contributes.grammars[0].path);
    expect(readFileSync(copied, 'utf8')).toBe(readFileSync(grammarPath, 'utf8'));
  });

  it('depends on the language client itself, not through the compiler package', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['vscode-languageclient']);
    // `npm run package` installs with `npm ci`: the lock file pins the same version.
    const lock = JSON.parse(readFileSync(join(ext, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/vscode-languageclient'].version).toBe(
      manifest.dependencies['vscode-languageclient'],
    );
    expect(manifest.scripts.package).toMatch(/^npm ci && npx --yes @vscode\/vsce@[\d.]+ package/);
    const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(rootManifest.dependencies['vscode-languageclient']).toBeUndefined();
    expect(rootManifest.scripts['package:vscode']).toContain('editors/vscode');
  });
});
