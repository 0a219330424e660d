import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { Timed } from './stats.js';

/**
 * The PyTorch reference as a child process (bench/reference/bench_torch.py) that takes one
 * JSON command a line on stdin and answers one JSON line on stdout, so that its start-up is
 * never timed. `/usr/bin/python3` unless DARTSC_BENCH_PYTHON names another interpreter.
 */
export const python = process.env.DARTSC_BENCH_PYTHON ?? '/usr/bin/python3';

/** The script, found from this file in bench/ (ts) or dist/bench/ (js). */
function scriptPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.endsWith(join('dist', 'bench')) ? join(here, '..', '..') : join(here, '..');
  return join(root, 'bench', 'reference', 'bench_torch.py');
}

/** Whether the interpreter imports torch; its version, or undefined. */
export function torchVersion(): string | undefined {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

type Answer = Record<string, unknown>;

export class TorchProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void }[] = [];
  #stderr = '';

  constructor() {
    // PyTorch as installed, in our environment: OpenMP's default wait policy is its fastest
    // on a quiet machine (PASSIVE made its steps 2.2x slower); on a shared machine
    // OMP_WAIT_POLICY=PASSIVE can help it.
    this.#child = spawn(python, [scriptPath()], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (d: Buffer) => (this.#stderr += d.toString()));
    createInterface({ input: this.#child.stdout }).on('line', (line) =>
      this.#waiting.shift()?.resolve(JSON.parse(line) as Answer),
    );
    this.#child.on('exit', (code) => {
      const error = new Error(`bench_torch.py exited (${code}): ${this.#stderr.slice(-2000)}`);
      for (const w of this.#waiting.splice(0)) w.reject(error);
    });
  }

  /** Sends one command and waits for its answer. */
  ask(command: Record<string, unknown>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#child.stdin.write(JSON.stringify(command) + '\n');
    });
  }

  /** Times a command: ms of each call and the CPU ms of all threads over them. */
  async ms(command: Record<string, unknown>): Promise<Timed> {
    const answer = await this.ask(command);
    if (!Array.isArray(answer.ms)) throw new Error(`bench_torch.py: ${JSON.stringify(answer)}`);
    return { ms: answer.ms as number[], cpuMs: answer.cpuMs as number };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#child.exitCode !== null) return resolve();
      this.#child.once('exit', () => resolve());
      this.#child.stdin.end();
    });
  }
}
