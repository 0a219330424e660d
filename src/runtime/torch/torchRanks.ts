import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

import { EngineFailed } from './python.js';

/**
 * The processes of a PyTorch program in `serve` mode, one per rank, started the way `torchrun`
 * starts them (env:// rendezvous: MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK,
 * LOCAL_WORLD_SIZE), since Debian's torchrun fails under Python 3.11. Every command goes to
 * every rank (each computes its share) and every rank answers one JSON line; a rank that
 * reports an error or exits fails the request with what it said.
 */
export type Reply = Record<string, unknown>;

interface Rank {
  readonly child: ChildProcess;
  readonly replies: Reply[];
  waiting?: { resolve: (r: Reply) => void; reject: (e: Error) => void };
  stderr: string;
  failure?: Error;
}

export interface RankOptions {
  readonly python: string;
  readonly program: string;
  readonly args: readonly string[];
  readonly nproc: number;
  readonly cwd: string;
}

export class TorchRanks {
  readonly #ranks: Rank[];

  private constructor(ranks: Rank[]) {
    this.#ranks = ranks;
  }

  /** Starts the ranks and waits until each has loaded its data and says it is ready. */
  static async start(options: RankOptions): Promise<TorchRanks> {
    const port = options.nproc > 1 ? await freePort() : 0;
    const ranks = Array.from({ length: options.nproc }, (_, rank) =>
      startRank(options, rank, port),
    );
    const group = new TorchRanks(ranks);
    try {
      await Promise.all(ranks.map((r) => next(r)));
    } catch (error) {
      group.kill();
      throw error;
    }
    return group;
  }

  /** Sends `command` to every rank; resolves with rank 0's reply once all have answered. */
  async request(command: Record<string, unknown>): Promise<Reply> {
    const line = JSON.stringify(command) + '\n';
    const replies = this.#ranks.map((r) => {
      const reply = next(r);
      r.child.stdin!.write(line);
      return reply;
    });
    try {
      return (await Promise.all(replies))[0]!;
    } catch (error) {
      this.kill();
      throw error;
    }
  }

  /** Asks every rank to exit, then kills any that has not after 10 s. */
  async close(): Promise<void> {
    const exits = this.#ranks.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve();
          r.child.once('exit', () => resolve());
        }),
    );
    for (const r of this.#ranks) r.child.stdin?.end(JSON.stringify({ cmd: 'exit' }) + '\n');
    const timer = setTimeout(() => this.kill(), 10_000);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  kill(): void {
    for (const r of this.#ranks) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  }
}

function startRank(options: RankOptions, rank: number, port: number): Rank {
  const env = {
    ...process.env,
    MASTER_ADDR: '127.0.0.1',
    MASTER_PORT: String(port),
    RANK: String(rank),
    LOCAL_RANK: String(rank),
    WORLD_SIZE: String(options.nproc),
    LOCAL_WORLD_SIZE: String(options.nproc),
    PYTHONUNBUFFERED: '1',
  };
  const child = spawn(options.python, [options.program, 'serve', ...options.args], {
    cwd: options.cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const r: Rank = { child, replies: [], stderr: '' };
  child.stderr!.on('data', (d: Buffer) => (r.stderr = (r.stderr + d.toString()).slice(-4000)));
  child.stdin!.on('error', () => {});
  createInterface({ input: child.stdout! }).on('line', (line) => settle(r, line));
  child.on('error', (error) =>
    fail(r, new EngineFailed(`cannot start ${options.python}: ${error.message}`)),
  );
  child.on('exit', (code, signal) =>
    fail(
      r,
      new EngineFailed(`PyTorch rank ${rank} exited (${signal ?? `code ${code}`})${tail(r)}`),
    ),
  );
  return r;
}

function settle(r: Rank, line: string) {
  let reply: Reply;
  try {
    reply = JSON.parse(line) as Reply;
  } catch {
    r.stderr = (r.stderr + line + '\n').slice(-4000);
    return;
  }
  if (typeof reply.error === 'string')
    return fail(r, new EngineFailed(`PyTorch: ${reply.error}${tail(r)}`));
  if (r.waiting) {
    const { resolve } = r.waiting;
    r.waiting = undefined;
    resolve(reply);
  } else r.replies.push(reply);
}

function fail(r: Rank, error: Error) {
  r.failure ??= error;
  r.waiting?.reject(r.failure);
  r.waiting = undefined;
}

function next(r: Rank): Promise<Reply> {
  const queued = r.replies.shift();
  if (queued) return Promise.resolve(queued);
  if (r.failure) return Promise.reject(r.failure);
  return new Promise((resolve, reject) => (r.waiting = { resolve, reject }));
}

/** The last lines the rank wrote to stderr (a Python traceback ends with its error). */
function tail(r: Rank): string {
  const lines = r.stderr.trim().split('\n').slice(-6);
  return lines[0] ? `:\n${lines.join('\n')}` : '';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
