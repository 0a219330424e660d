import type { MethodConfig, MethodName } from '../../intrinsics/methods.js';
import { darts } from './darts.js';
import { dartsMinus } from './dartsMinus.js';
import { dartsPlus } from './dartsPlus.js';
import { fairDarts } from './fairDarts.js';
import { drnas } from './drnas.js';
import { gdas } from './gdas.js';
import { pcDarts } from './pcDarts.js';
import { randomSearch } from './randomSearch.js';
import type { SearchMethod } from './method.js';

const policies: Record<MethodName, (config: MethodConfig) => SearchMethod> = {
  darts,
  fair_darts: fairDarts,
  gdas,
  darts_minus: dartsMinus,
  pc_darts: pcDarts,
  drnas,
  random: randomSearch,
  darts_plus: dartsPlus,
};

/** The policies of a resolved `method` setting. */
export function searchMethod(config: MethodConfig): SearchMethod {
  return policies[config.name](config);
}
