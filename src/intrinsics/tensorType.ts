/**
 * Concrete tensor types: a layout and its dimensions, batch implicit, channels last.
 * `Logits[K]` is a `Vec[K]` that a classification head produces; `Tokens[L]` holds token ids.
 */
export type Layout = 'Vec' | 'Seq' | 'Img' | 'Tokens';

export interface TensorShape {
  readonly layout: Layout;
  /** `Vec`: [C]; `Seq`: [L, C]; `Img`: [H, W, C]; `Tokens`: [L]. */
  readonly dims: readonly number[];
}

/** The number of dimensions each type name takes. */
export const typeArity: Record<string, number> = { Vec: 1, Seq: 2, Img: 3, Logits: 1, Tokens: 1 };

/** The layout a type name denotes (`Logits` is a `Vec`). */
export function layoutOf(typeName: string): Layout | undefined {
  if (typeName === 'Logits') return 'Vec';
  return ['Vec', 'Seq', 'Img', 'Tokens'].includes(typeName) ? (typeName as Layout) : undefined;
}

/** Channels: the last dimension (the length for `Tokens`). */
export function channels(t: TensorShape): number {
  return t.dims[t.dims.length - 1]!;
}

/** The spatial dimensions: none for `Vec`, [L] for `Seq`, [H, W] for `Img`. */
export function spatialDims(t: TensorShape): number[] {
  return t.layout === 'Seq' || t.layout === 'Img' ? t.dims.slice(0, -1) : [];
}

/** A type with new spatial dimensions and channels. */
export function withDims(t: TensorShape, spatial: readonly number[], c: number): TensorShape {
  return { layout: t.layout, dims: [...spatial, c] };
}

/** `Img[28, 28, 1]`. */
export function formatShape(t: TensorShape): string {
  return `${t.layout}[${t.dims.join(', ')}]`;
}

/** True when two types are identical. */
export function sameShape(a: TensorShape, b: TensorShape): boolean {
  return (
    a.layout === b.layout &&
    a.dims.length === b.dims.length &&
    a.dims.every((d, i) => d === b.dims[i])
  );
}
