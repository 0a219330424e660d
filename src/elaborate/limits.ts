/**
 * Bounds on the networks a spec may elaborate to. Elaboration expands every use of a primitive
 * and every candidate on every edge of every cell, so a short spec can ask for billions of ops
 * (`stack(1e9, ...)`, `nodes 2000`, a primitive that doubles twenty times) and hang while its
 * memory grows; parameter counts past 2^53 would be printed rounded. Each bound is far above
 * what the examples and published DARTS networks need (8 to 20 cells, 4 nodes, about 10,000
 * intrinsic ops and a few million parameters).
 */
export const elaborationLimits = {
  /** Nodes in one cell (E0414); edges grow with the square of the nodes. */
  nodes: 64,
  /** Cells in one `stack` (E0415). */
  cells: 1000,
  /** Intrinsic op uses in one network, all candidates on all edges counted (E0416). */
  ops: 100_000,
  /** Trainable parameters of one network (E0417); below 2^53, so every count shown is exact. */
  parameters: 10_000_000_000,
  /** Primitives and `let`s expanded inside one another (E0418). */
  definitionDepth: 100,
} as const;
