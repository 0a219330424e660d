import type { Connection } from 'vscode-languageserver/node.js';

import { quickFixes } from './codeActions.js';
import { completionsAt } from './completion.js';
import { definitionOf } from './definition.js';
import { documentSymbols } from './documentSymbols.js';
import { formatText } from './format.js';
import { hoverAt } from './hover.js';
import { rangeOf } from './positions.js';
import { prepareRename, renameEdits } from './rename.js';
import { nameAt } from './target.js';
import type { Workspace } from './Workspace.js';

/** Runs a request handler, answering `fallback` if it fails unexpectedly. */
export type Guard = <T>(f: () => T, fallback: T) => T;

/** The request handlers of the server, each a thin call into its own module. */
export function registerHandlers(connection: Connection, workspace: Workspace, guard: Guard): void {
  connection.onHover(({ textDocument, position }) =>
    guard(() => {
      const at = workspace.at(textDocument.uri, position);
      return (at && hoverAt(at.analysis, at.offset)) ?? null;
    }, null),
  );
  connection.onDefinition(({ textDocument, position }) =>
    guard(() => {
      const at = workspace.at(textDocument.uri, position);
      const target = at && nameAt(at.analysis, at.offset)?.target;
      return (target && definitionOf(target)) ?? null;
    }, null),
  );
  connection.onCompletion(({ textDocument, position }) =>
    guard(() => {
      const at = workspace.at(textDocument.uri, position);
      return at ? completionsAt(at.analysis, at.offset) : [];
    }, []),
  );
  connection.onPrepareRename(({ textDocument, position }) =>
    guard(() => {
      const at = workspace.at(textDocument.uri, position);
      return at ? prepareRename(at.analysis, at.offset) : null;
    }, null),
  );
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    guard(() => {
      const at = workspace.at(textDocument.uri, position);
      return at ? renameEdits(workspace.all(), at.analysis, at.offset, newName) : null;
    }, null),
  );
  connection.onDocumentSymbol(({ textDocument }) =>
    guard(() => {
      const analysis = workspace.analysis(textDocument.uri);
      return analysis ? documentSymbols(analysis.entry.ast) : [];
    }, []),
  );
  connection.onCodeAction(({ textDocument, context }) =>
    guard(() => quickFixes(textDocument.uri, context.diagnostics), []),
  );
  connection.onDocumentFormatting(({ textDocument }) =>
    guard(() => {
      const analysis = workspace.analysis(textDocument.uri);
      if (!analysis) return [];
      const { file } = analysis.entry;
      const formatted = formatText(file.text, analysis.path);
      if (formatted === undefined || formatted === file.text) return [];
      return [{ range: rangeOf(file.span(0, file.text.length)), newText: formatted }];
    }, []),
  );
}
