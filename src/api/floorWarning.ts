import type { Schedule } from '../elaborate/searchConfig.js';
import { startsAtFloor } from '../runtime/optim.js';

/**
 * The warning for a run whose first epoch already sits at its cosine schedule's floor
 * (`startsAtFloor`): `dartsc run --epochs 1` would search its one epoch at 0.001, `dartsc
 * train --epochs 1` train at 0, both without a word. `epochsFlag`: the count came from
 * `--epochs`, not the spec. Undefined when the schedule starts above its floor.
 */
export function floorWarning(
  schedule: Schedule,
  epochs: number,
  epochsFlag: boolean,
  advice: string,
): string | undefined {
  if (schedule.kind !== 'cosine' || !startsAtFloor(schedule, epochs)) return undefined;
  const at = `at lr ${schedule.min} (its floor)`;
  if (epochs > 1)
    return `warning: \`cosine(${schedule.max}, ${schedule.min}, 1)\` runs the first epoch ${at}: give the schedule 2 or more epochs`;
  const given = epochsFlag ? '--epochs 1' : '`epochs 1`';
  return `warning: with ${given} the cosine schedule runs its only epoch ${at}: ${advice}`;
}
