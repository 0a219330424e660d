import type { KnipConfig } from 'knip';

// Unused files, exports and dependencies, run by `npm run lint`. Tests are entries, so an
// export that only a test imports counts as used (this is the default, non-`--production` mode).
// knip adds bin/dartsc.js (package.json `bin`) and vitest.config.ts (its vitest plugin) itself;
// listing them here only draws a "redundant entry pattern" hint.
const config: KnipConfig = {
  entry: [
    // src/index.ts, the public library API, is an entry through package.json `exports`.
    // bin/dartsc.js loads the compiled dist/src/cli/bin.js by URL, which knip cannot follow.
    'src/cli/bin.ts',
    // Run as `node dist/scripts/*.js` by the gen:* scripts.
    'scripts/*.ts',
    // Run as `node dist/bench/bench.js` by `npm run bench`.
    'bench/bench.ts',
    'test/**/*.test.ts',
    'test/helpers/**/*.ts',
  ],
  // grammar/ and stdlib/ are data; test/fixtures/ holds golden files written by the compiler.
  project: ['src/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', '!test/fixtures/**'],
  ignoreIssues: {
    // Copied as text into every emitted module, and its classes are looked up by name through
    // `import * as custom` in layersModel.ts: the exports are used, but not visibly to knip.
    'src/numerics/layers.ts': ['exports'],
    // Copied as text into every emitted module, where its types stay exported: the step and
    // value types name what `PREPROCESSING` and `preprocess` take.
    'src/intrinsics/preprocessing.ts': ['types'],
    // Also the entry of the search worker (src/runtime/searchWorker.ts), loaded by URL.
    'src/runtime/searchWorker.ts': ['exports'],
  },
  // From Debian (clang 14 and lld, which .ci/run installs): test/numerics/ownKernels.test.ts
  // rebuilds native/kernels.wasm with it where present.
  ignoreBinaries: ['clang'],
  ignoreDependencies: [
    // The peer dependency of vitest, pinned here so that its version is ours.
    'vite',
  ],
};

export default config;
