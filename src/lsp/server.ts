import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';

import { registerHandlers } from './handlers.js';
import { toLspDiagnostics } from './toDiagnostic.js';
import { Workspace } from './Workspace.js';

/** Where the server talks and logs. */
export interface LspOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Where log lines go (stderr): stdout carries the protocol only. */
  readonly log: (text: string) => void;
  /** Where a document that is not a file is taken to be. */
  readonly cwd: string;
  readonly version: string;
}

/** How long the server waits after a change before checking again, in ms. */
const debounce = 150;

const capabilities: InitializeResult['capabilities'] = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  definitionProvider: true,
  completionProvider: { triggerCharacters: ['.', '(', ','] },
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentFormattingProvider: true,
};

/**
 * Serves the language server protocol on `input` and `output` until the client sends `exit`
 * or closes the input (the connection then ends the process, as LSP servers do).
 */
export function startLanguageServer(options: LspOptions): Connection {
  redirectConsole(options.log);
  const connection = createConnection(ProposedFeatures.all, options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(documents, options.cwd);
  let timer: NodeJS.Timeout | undefined;
  const publishAll = () => {
    for (const uri of workspace.uris()) {
      const analysis = workspace.analysis(uri);
      if (!analysis) continue;
      const diagnostics = toLspDiagnostics(analysis.diagnostics, analysis.entry);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
  };
  documents.onDidChangeContent(() => {
    workspace.invalidate();
    clearTimeout(timer);
    timer = setTimeout(() => guard(options.log, publishAll, undefined), debounce);
  });
  documents.onDidClose(({ document }) => {
    workspace.invalidate();
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  connection.onInitialize(() => ({
    capabilities,
    serverInfo: { name: 'dartsc', version: options.version },
  }));
  registerHandlers(connection, workspace, (f, fallback) => guard(options.log, f, fallback));
  documents.listen(connection);
  connection.listen();
  return connection;
}

/**
 * Runs a handler; a bug in it is logged (to stderr) and answered with `fallback`, so one bad
 * request never takes the server down. User errors are not exceptions: they are diagnostics.
 */
function guard<T>(log: (text: string) => void, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (error) {
    if (isResponseError(error)) throw error;
    log(
      `dartsc lsp: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return fallback;
  }
}

function isResponseError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown })?.code === 'number' &&
    error instanceof Error &&
    'toJson' in error
  );
}

/** Console output goes to the log, never to stdout, where it would break the protocol. */
function redirectConsole(log: (text: string) => void): void {
  const write = (...args: unknown[]) => log(args.map(String).join(' ') + '\n');
  console.log = write;
  console.info = write;
  console.debug = write;
  console.warn = write;
}
