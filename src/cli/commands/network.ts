import type { ParseArgsConfig } from 'node:util';

import type { NetworkRequest } from '../../index.js';
import { UsageError } from '../io.js';

/** The options that name a network, shared by `inspect`, `emit` and `train`. */
export const networkOptions = {
  space: { type: 'string' },
  search: { type: 'string' },
  genotype: { type: 'string' },
  set: { type: 'string', multiple: true, default: [] as string[] },
  'no-color': { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

/** The network request of those flags (`--set NAME=INTEGER` overrides space parameters). */
export function networkRequest(values: {
  space?: string;
  search?: string;
  genotype?: string;
  set?: readonly string[];
}): NetworkRequest {
  const overrides: Record<string, number> = {};
  for (const item of values.set ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(-?\d+)$/.exec(item);
    if (!match) throw new UsageError(`--set takes NAME=INTEGER, found \`${item}\``);
    overrides[match[1]!] = Number(match[2]);
  }
  return {
    ...(values.space ? { space: values.space } : {}),
    ...(values.search ? { search: values.search } : {}),
    ...(values.genotype ? { genotype: values.genotype } : {}),
    overrides,
  };
}
