import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { NetworkRequest } from '../../src/elaborate/elaborateNetwork.js';
import { runCli } from '../helpers/cli.js';

// Every elaboration of a network, as `space/mode`, counted through the module every phase
// reaches it by.
const elaborated = vi.hoisted(() => [] as string[]);
vi.mock('../../src/elaborate/elaborateNetwork.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/elaborate/elaborateNetwork.js')>();
  return {
    ...real,
    elaborateNetwork: (req: NetworkRequest) => {
      elaborated.push(`${req.space.symbol.decl.name.value}/${req.mode}`);
      return real.elaborateNetwork(req);
    },
  };
});

const out = () => join(mkdtempSync(join(tmpdir(), 'dartsc-once-')), 'run');

describe('api: each network of a request is elaborated once', () => {
  beforeEach(() => void elaborated.splice(0));

  it("check: the search block's supernet, once", async () => {
    expect((await runCli(['check', 'examples/tiny.darts'])).code).toBe(0);
    expect(elaborated).toEqual(['TinyNet/search']);
  });

  it('run: the supernet that checking built is the one searched', async () => {
    const args = ['--epochs', '1', '--steps', '1', '--backend', 'cpu', '--out', out()];
    const r = await runCli(['run', 'examples/tiny.darts', ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(elaborated).toEqual(['TinyNet/search']);
  });

  it("inspect: the search block's supernet is the one checking built", async () => {
    expect((await runCli(['inspect', 'examples/tiny.darts', '--json'])).code).toBe(0);
    expect(elaborated).toEqual(['TinyNet/search']);
  });

  it('train: the supernet (checking the spec) and the derived network, each once', async () => {
    const args = ['--genotype', 'Found', '--epochs', '1', '--steps', '1', '--backend', 'wasm'];
    const r = await runCli(['train', 'examples/mnist.darts', ...args, '--out', out()]);
    expect(r.code, r.stderr).toBe(0);
    expect(elaborated).toEqual(['Mnist/search', 'Mnist/derived']);
  });
});
