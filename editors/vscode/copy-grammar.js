// Copies the repository's TextMate grammar (grammar/darts.tmLanguage.json, the one the grammar
// tests check) into syntaxes/, where the packaged extension finds it. Run by `vscode:prepublish`
// before `vsce package`, and by `npm run grammar` for a development host.
const { copyFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const from = join(__dirname, '..', '..', 'grammar', 'darts.tmLanguage.json');
mkdirSync(join(__dirname, 'syntaxes'), { recursive: true });
copyFileSync(from, join(__dirname, 'syntaxes', 'darts.tmLanguage.json'));
