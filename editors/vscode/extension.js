// The VS Code side of dartsc: starts `dartsc lsp --stdio` for .darts files and hands every
// feature to it. The command comes from the `dartsc.command` setting (default `npx dartsc`).
const { window, workspace } = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** @param {import('vscode').ExtensionContext} context */
async function activate(context) {
  const [command, ...args] = workspace.getConfiguration('dartsc').get('command') ?? [
    'npx',
    'dartsc',
  ];
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
  const server = {
    command,
    args: [...args, 'lsp', '--stdio'],
    // `npx` is `npx.cmd` on Windows, which only a shell finds.
    options: { shell: process.platform === 'win32', ...(folder ? { cwd: folder } : {}) },
  };
  client = new LanguageClient(
    'dartsc',
    'dartsc',
    { run: server, debug: server },
    {
      documentSelector: [{ language: 'darts' }],
      outputChannel: window.createOutputChannel('dartsc'),
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

async function deactivate() {
  await client?.stop();
}

module.exports = { activate, deactivate };
