import { relative, sep } from 'node:path';

import type { Hover } from 'vscode-languageserver';

import { isStemKey } from '../ast/spaceStems.js';
import { intrinsics, type IntrinsicName } from '../intrinsics/registry.js';
import { blockSettings, settingFunctions } from '../intrinsics/settings.js';
import type { Analysis } from './analyse.js';
import { declHeader, leadingComment, paramList } from './declSummary.js';
import { callFacts } from './callFacts.js';
import { candidateFacts } from './candidateFacts.js';
import { cellFacts, networkSummaries, spaceFacts, tensorTypesAt } from './networkFacts.js';
import { rangeOf } from './positions.js';
import { nameAt, type NameAt, type Target } from './target.js';

const code = (text: string) => '```darts\n' + text + '\n```';

/**
 * Hover at `offset` of the document: what the name there is (a declaration's header and
 * comment, a cell's parameter counts and α tables, an op's parameters, a setting's meaning),
 * and the tensor types of the op call there, as the elaborator computed them.
 */
export function hoverAt(analysis: Analysis, offset: number): Hover | undefined {
  const at = nameAt(analysis, offset);
  const parts = at?.target ? describe(analysis, at.target) : [];
  if (at?.target?.kind === 'decl' && analysis.program) parts.push(...onEdges(analysis, at));
  if (analysis.program) {
    const types = tensorTypesAt(analysis.program, analysis.path, offset);
    if (types.length) parts.push(['Tensor types here:', ...types.map((t) => `- ${t}`)].join('\n'));
  }
  if (parts.length === 0) return undefined;
  return {
    contents: { kind: 'markdown', value: parts.join('\n\n') },
    ...(at ? { range: rangeOf(at.name.span) } : {}),
  };
}

/**
 * A primitive named in a cell's `ops`: what it is on the edges of that cell; called in a
 * pipeline (`stem`, `head`, `aux`, `preprocess`): its tensor types there.
 */
function onEdges(analysis: Analysis, at: NameAt): string[] {
  const setting = at.ancestors.find((a) => a.kind === 'Setting');
  const cell = at.ancestors.find((a) => a.kind === 'Cell');
  if (setting?.kind !== 'Setting') return [];
  const cellName = cell?.kind === 'Cell' ? cell.name.value : undefined;
  if (setting.key.value !== 'ops' || cellName === undefined) {
    const facts = callFacts(analysis.program!, setting.key.value, cellName, at.name.value);
    return facts.length ? [['Tensor types here:', ...facts].join('\n')] : [];
  }
  const facts = candidateFacts(analysis.program!, cellName, at.name.value);
  return facts.length ? [[`On the edges of \`${cellName}\`:`, ...facts].join('\n')] : [];
}

function describe(analysis: Analysis, target: Target): string[] {
  switch (target.kind) {
    case 'decl':
      return describeDecl(analysis, target);
    case 'param': {
      const owner = target.owner.decl;
      return [code(paramText(target)), `parameter of \`${owner.name.value}\``];
    }
    case 'intrinsic': {
      const spec = intrinsics[target.name as IntrinsicName];
      return [code(`${target.name}${paramList(spec.params)}`), `built-in op: ${spec.doc}`];
    }
    case 'settingFunction':
      return [
        code(`${target.name}${paramList(settingFunctions[target.name] ?? [])}`),
        'function of a setting value',
      ];
    case 'word':
      return [code(target.name), 'word of a setting value'];
    case 'setting': {
      const stem = target.block === 'space' && isStemKey(target.key);
      const spec = blockSettings[target.block][stem ? 'stem' : target.key];
      if (!spec) return [];
      return [
        code(spec.example),
        `${target.block} setting \`${target.key}\`${spec.required ? ' (required)' : ''}: ${spec.doc}`,
      ];
    }
    case 'state':
      return [`state \`${target.name}\` of cell \`${target.cell.name.value}\``];
    case 'spaceState':
      return target.name === 'input'
        ? [`the input of space \`${target.space.name.value}\``]
        : [`stem \`${target.name}\` of space \`${target.space.name.value}\``];
    case 'module':
      return [`module \`${shown(analysis, target.module.path)}\``];
    case 'argument':
      return describeArgument(target);
  }
}

/** A named argument of an op or setting function: its parameter. */
function describeArgument(target: Extract<Target, { kind: 'argument' }>): string[] {
  const { callee } = target;
  const params =
    callee.kind === 'intrinsic'
      ? intrinsics[callee.name as IntrinsicName].params
      : callee.kind === 'settingFunction'
        ? settingFunctions[callee.name]
        : undefined;
  const param = params?.find((p) => p.name === target.name);
  if (!param || !('name' in callee)) return [];
  return [
    code(paramList([param]).slice(1, -1)),
    `parameter of \`${callee.name}\`${param.doc ? `: ${param.doc}` : ''}`,
  ];
}

/** How a file is shown: `std/x.darts` for the standard library, else its path. */
function shown(analysis: Analysis, path: string): string {
  const rel = relative(analysis.host.stdlibDir, path);
  return !rel.startsWith('..') && !rel.includes(sep) ? `std/${rel}` : path;
}

function paramText(target: Extract<Target, { kind: 'param' }>): string {
  const { param, owner } = target;
  return owner.module.file.text.slice(param.span.start, param.span.end);
}

function describeDecl(analysis: Analysis, target: Extract<Target, { kind: 'decl' }>): string[] {
  const { decl, module } = target.symbol;
  const parts = [code(declHeader(decl, module.file))];
  const comment = leadingComment(decl, module.file);
  if (comment) parts.push(comment);
  if (module !== analysis.entry) parts.push(`from \`${shown(analysis, module.path)}\``);
  if (analysis.program && decl.kind === 'Cell') {
    const facts = cellFacts(networkSummaries(analysis.program), decl.name.value);
    parts.push(facts.length ? facts.join('\n') : 'No search network of this file uses this cell.');
  }
  if (analysis.program && decl.kind === 'Space') {
    const facts = spaceFacts(networkSummaries(analysis.program, decl.name.value), decl.name.value);
    if (facts.length) parts.push(facts.join('\n'));
  }
  if (!analysis.program && (decl.kind === 'Cell' || decl.kind === 'Space'))
    parts.push('Parameter counts and α tables show once the file compiles without errors.');
  return parts;
}
