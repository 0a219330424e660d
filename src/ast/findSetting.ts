import type { BlockNode, SettingNode } from './nodes.js';

/** The setting of a block (a cell's, a space's, a search's or a genotype's body) with this key. */
export function findSetting(block: BlockNode, key: string): SettingNode | undefined {
  return block.items.find((i): i is SettingNode => i.kind === 'Setting' && i.key.value === key);
}
