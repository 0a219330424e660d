import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';

import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node.js';
import type {
  Diagnostic,
  Hover,
  TextEdit,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
} from 'vscode-languageserver-protocol';

import { root } from './cli.js';

const loader = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const bin = join(root, 'src', 'cli', 'bin.ts');

/** A language client of the real server: `dartsc lsp --stdio` in a child process. */
export interface LspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcessWithoutNullStreams;
  readonly initialized: InitializeResult;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** Errors of the connection so far: anything on stdout that is not protocol is one. */
  errors(): readonly string[];
  /** Opens a document with the text given, or the file's own text. */
  open(path: string, text?: string): string;
  /** Replaces a document's whole text, or with `range` only that part (an incremental didChange). */
  change(uri: string, text: string, range?: Range): void;
  /** The next diagnostics published for `uri` published after now (that `match` accepts). */
  diagnostics(uri: string, match?: (d: readonly Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** Asks the server to shut down and exit; resolves with its exit code. */
  close(): Promise<number | null>;
}

/** The position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` not found`);
  }
  const offset = at + delta;
  const line = text.slice(0, offset).split('\n').length - 1;
  return { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: { line: number; character: number }) =>
    text
      .split('\n')
      .slice(0, p.line)
      .reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce(
      (t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)),
      text,
    );
}

/** The markdown of a hover, or '' for none. */
export const hoverText = (h: Hover | null) =>
  (h?.contents as { value: string } | undefined)?.value ?? '';

/** Starts the server from the TypeScript sources and initializes it. */
export async function startLsp(): Promise<LspClient> {
  const child = spawn(process.execPath, ['--import', loader, bin, 'lsp', '--stdio'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const published: PublishDiagnosticsParams[] = [];
  const waiting: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const wake of waiting.splice(0)) wake();
  });
  const errors: string[] = [];
  connection.onError(([error]) => errors.push(error.message));
  connection.listen();
  const initialized = await connection.sendRequest<InitializeResult>('initialize', {
    processId: null,
    rootUri: pathToFileURL(root).href,
    capabilities: {},
  });
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    connection,
    child,
    initialized,
    stderr: () => stderr,
    errors: () => errors,
    open(path, text) {
      const uri = pathToFileURL(path).href;
      versions.set(uri, 1);
      void connection.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri,
          languageId: 'darts',
          version: 1,
          text: text ?? readFileSync(path, 'utf8'),
        },
      });
      return uri;
    },
    change(uri, text, range) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [range ? { range, text } : { text }],
      });
    },
    diagnostics(uri, match = () => true) {
      const seen = published.length;
      return new Promise((resolve) => {
        const look = () => {
          const hit = published.slice(seen).find((p) => p.uri === uri && match(p.diagnostics));
          if (hit) resolve(hit.diagnostics);
          else waiting.push(look);
        };
        look();
      });
    },
    request: (method, params) => connection.sendRequest(method, params),
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}

/**
 * A server for the tests of one file, started before them with examples/mnist.darts open (it
 * checks clean) and closed after them, which must end cleanly: exit 0, no internal error,
 * no error on the connection. `get()` is the client once started.
 */
export function serverWithMnist(): { get: () => LspClient; mnistPath: string; mnistUri: string } {
  const mnistPath = join(root, 'examples', 'mnist.darts');
  const mnistUri = pathToFileURL(mnistPath).href;
  let lsp: LspClient | undefined;
  beforeAll(async () => {
    lsp = await startLsp();
    const next = lsp.diagnostics(mnistUri);
    lsp.open(mnistPath);
    expect(await next).toEqual([]);
  });
  afterAll(async () => {
    expect(await lsp!.close()).toBe(0);
    expect(lsp!.stderr()).not.toMatch(/internal error/);
    expect(lsp!.errors()).toEqual([]);
  });
  return { get: () => lsp!, mnistPath, mnistUri };
}

/** An example spec's path and text. */
export function exampleSpec(name: string): { path: string; text: string } {
  const path = join(root, 'examples', name);
  return { path, text: readFileSync(path, 'utf8') };
}
