import { basename, resolve } from 'node:path';

import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import { nodeHost } from '../api/host.js';
import type { CompilerHost } from '../check/loadProgram.js';
import { analyse, type Analysis } from './analyse.js';
import { documentHost } from './documentHost.js';
import { offsetOf, uriToPath } from './positions.js';

/**
 * The open documents and what the compiler makes of each. Analyses are kept until any
 * document changes: a document's analysis depends on the open files it imports.
 */
export class Workspace {
  readonly #documents: TextDocuments<TextDocument>;
  readonly #base: CompilerHost;
  readonly #cwd: string;
  #analyses = new Map<string, Analysis>();

  constructor(documents: TextDocuments<TextDocument>, cwd: string) {
    this.#documents = documents;
    this.#cwd = cwd;
    this.#base = nodeHost(cwd);
  }

  /** Forgets every analysis (a document was opened, changed or closed). */
  invalidate(): void {
    this.#analyses = new Map();
  }

  /** The path a document is compiled as: its file, or a name in the working directory. */
  pathOf(uri: string): string {
    return (
      uriToPath(uri) ?? resolve(this.#cwd, basename(uri.replace(/[?#].*$/, '')) || 'untitled.darts')
    );
  }

  /** The analysis of an open document, or undefined when it is not open. */
  analysis(uri: string): Analysis | undefined {
    const known = this.#analyses.get(uri);
    if (known) return known;
    const document = this.#documents.get(uri);
    if (!document) return undefined;
    const open = new Map(this.#documents.all().map((d) => [this.pathOf(d.uri), d.getText()]));
    const result = analyse(this.pathOf(uri), document.getText(), documentHost(this.#base, open));
    this.#analyses.set(uri, result);
    return result;
  }

  /** The analyses of every open document. */
  all(): Analysis[] {
    return this.#documents.all().flatMap((d) => this.analysis(d.uri) ?? []);
  }

  /** The URIs of the open documents. */
  uris(): string[] {
    return this.#documents.all().map((d) => d.uri);
  }

  /** An open document's analysis with the offset of an LSP position in it. */
  at(
    uri: string,
    position: { line: number; character: number },
  ): { analysis: Analysis; offset: number } | undefined {
    const analysis = this.analysis(uri);
    return analysis && { analysis, offset: offsetOf(analysis.entry.file, position) };
  }
}
