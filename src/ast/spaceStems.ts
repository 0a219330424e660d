import type { SettingNode, SpaceNode } from './nodes.js';

/** A stem's key: `stem`, or `stem` and a number (`stem0`, `stem1`) when a space has several. */
export function isStemKey(key: string): boolean {
  return /^stem\d*$/.test(key);
}

/** A space's stems, in the order written (each may read an earlier one). */
export function spaceStems(space: SpaceNode): SettingNode[] {
  return space.body.items.filter(
    (i): i is SettingNode => i.kind === 'Setting' && isStemKey(i.key.value),
  );
}

/** The names a `from` clause of a space may read besides cell indices: `input` and its stems. */
export function spaceStateNames(space: SpaceNode): string[] {
  return ['input', ...spaceStems(space).map((s) => s.key.value)];
}
