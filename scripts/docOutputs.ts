import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { main } from '../src/cli/main.js';

/**
 * Command outputs shown in the docs, produced by the tool itself. A block to keep true is
 * marked by a comment on the line before its fence:
 *
 *     <!-- dartsc-output: run examples/tiny.darts --out runs/tiny; slow -->
 *
 * Options after `;`: `files DIR` copies DIR (from the repository root) into the scratch
 * directory the command runs in; `prompt` starts the block with `$ npx dartsc ARGS`; `grep RE`
 * keeps only the lines that match RE (an excerpt); `slow` leaves it to `npm run docs:outputs`
 * (not `npm test`). Progress lines, which depend on how
 * fast the machine is, are left out.
 */
export interface Marked {
  readonly file: string;
  /** 0-based line of the marker. */
  readonly line: number;
  /** 0-based line of the fence that opens the block (after the marker and a blank line). */
  readonly fence: number;
  readonly args: string[];
  readonly files?: string;
  readonly grep?: RegExp;
  readonly prompt: boolean;
  readonly slow: boolean;
  /** The block's text as the doc shows it. */
  readonly shown: string;
}

const marker = /^<!-- dartsc-output: (.*?) -->$/;

/** Every marked block of a markdown file. */
export function markedBlocks(file: string, text: string): Marked[] {
  const lines = text.split('\n');
  const out: Marked[] = [];
  lines.forEach((l, i) => {
    const m = marker.exec(l);
    if (!m) return;
    const [command, ...options] = m[1]!.split(';').map((s) => s.trim());
    const fence = lines[i + 1] === '' ? i + 2 : i + 1;
    if (!lines[fence]?.startsWith('```')) throw new Error(`${file}:${i + 1}: no fence after it`);
    const end = lines.findIndex((x, j) => j > fence && x === '```');
    const files = options.find((o) => o.startsWith('files '))?.slice(6);
    const grep = options.find((o) => o.startsWith('grep '))?.slice(5);
    out.push({
      file,
      line: i,
      fence,
      args: command!.split(/\s+/),
      ...(files ? { files } : {}),
      ...(grep ? { grep: new RegExp(grep) } : {}),
      prompt: options.includes('prompt'),
      slow: options.includes('slow'),
      shown: lines.slice(fence + 1, end).join('\n') + '\n',
    });
  });
  return out;
}

/** Runs a marked command as the doc would (in a scratch directory holding `examples/`). */
export async function produce(root: string, block: Marked): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'dartsc-docs-'));
  try {
    symlinkSync(join(root, 'examples'), join(cwd, 'examples'));
    if (block.files) cpSync(join(root, block.files), cwd, { recursive: true });
    let text = '';
    await main(block.args, {
      stdout: (t) => (text += t),
      stderr: (t) => (text += t),
      cwd,
      color: false,
      env: { DARTSC_WORKERS: process.env.DARTSC_WORKERS },
    });
    const lines = withoutProgress(text).filter((l) => !block.grep || block.grep.test(l));
    const prompt = block.prompt ? [`$ npx dartsc ${block.args.join(' ')}`] : [];
    return [...prompt, ...lines].join('\n').replace(/\n*$/, '\n');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The output less the progress lines between epochs (they come every 10 s of the machine's time). */
function withoutProgress(text: string): string[] {
  return text.split('\n').filter((l) => !/^epoch \d+\/\d+ step \d+\/\d+ /.test(l));
}

/**
 * An output as the comparison sees it: times (`9.7s`, `0:45`), run-directory time stamps and
 * the `took N s` of a bench vary from run to run and machine to machine; the rest must not.
 */
export function comparable(text: string): string {
  return text
    .replace(/\b\d+(\.\d+)?s\b/g, 'Ns')
    .replace(/\b\d{8}-\d{6}\b/g, 'STAMP')
    .replace(/\b\d+:\d\d\b/g, 'M:SS');
}

/** The doc's text with the block of `block` replaced by `output`. */
export function rewritten(text: string, block: Marked, output: string): string {
  const lines = text.split('\n');
  const end = lines.findIndex((x, j) => j > block.fence && x === '```');
  const body = output.replace(/\n$/, '').split('\n');
  return [...lines.slice(0, block.fence + 1), ...body, ...lines.slice(end)].join('\n');
}

/** The markdown files whose outputs are kept true. */
export function documents(root: string): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', 'examples/README.md', ...docs.sort().map((f) => `docs/${f}`)];
}
