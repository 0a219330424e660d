/** A drawn cell on the page: its diagram, and the same as text. */
export interface PageCell {
  readonly role: string;
  readonly cell?: string;
  /** Inline SVG (no prolog). */
  readonly svg: string;
  readonly text: string;
}

/** Everything the page shows, drawn: the HTML is a pure function of this. */
export interface ReportPage {
  /** `dartsc run`: search, or `dartsc train`: retrain. */
  readonly kind: 'search' | 'train';
  readonly title: string;
  /** Finished, in progress, interrupted: one sentence. */
  readonly status: string;
  readonly summary: readonly (readonly [string, string])[];
  /** Collapse warnings: parameter-free ops taking over. */
  readonly warnings: readonly string[];
  /** α that barely moved from uniform. */
  readonly flat?: string;
  /** Things the report could not show and why (a damaged file, no spec). */
  readonly notes: readonly string[];
  readonly cells: readonly PageCell[];
  readonly genotypeLiteral?: string;
  /** Per α table: softmax(α) at the latest epoch as a heat map, and each op over epochs. */
  readonly alphas: readonly {
    readonly role: string;
    readonly heatMap: string;
    readonly curves?: string;
  }[];
  /** Loss, accuracy, learning rate, time per epoch: SVG charts. */
  readonly curves: readonly string[];
  readonly config: string;
  readonly spec?: { readonly path: string; readonly text: string };
}
