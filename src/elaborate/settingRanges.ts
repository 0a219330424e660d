import { diagnostic } from '../diagnostics/Diagnostic.js';
import { methodNames, methodSpecs } from '../intrinsics/methods.js';
import { settingFunctions } from '../intrinsics/settings.js';
import type { Span } from '../source/SourceFile.js';
import type { Evaluator } from './evaluate.js';
import type { Value } from './values.js';

/**
 * The ranges of the numbers inside search settings (E0320): learning rates, momentum, betas,
 * clipping, decay, held-out portions, data counts and the sizes of data transforms. A value outside its range would not fail
 * until the search runs (a negative sample count) or, worse, would run to a silent NaN (a
 * momentum of 99, a beta of 2). Each problem points at the argument that is out of range.
 */
interface Range {
  readonly text: string;
  readonly holds: (x: number) => boolean;
  readonly hint: string;
}

const positive = (hint: string): Range => ({ text: 'greater than 0', holds: (x) => x > 0, hint });
const atLeastZero = (hint: string): Range => ({ text: 'at least 0', holds: (x) => x >= 0, hint });
const unit = (hint: string): Range => ({
  text: 'in [0, 1)',
  holds: (x) => x >= 0 && x < 1,
  hint,
});
const count = (hint: string): Range => ({ text: 'at least 1', holds: (x) => x >= 1, hint });

const heldOut = unit('the portion held out for the final test: `test: 0.1`, or `test: 0` for none');

/** The range of each numeric argument of each setting function, by function and parameter. */
const ranges: Readonly<Record<string, Readonly<Record<string, Range>>>> = {
  sgd: {
    momentum: unit('momentum is a decay factor below 1, e.g. `momentum: 0.9`; `0` turns it off'),
    decay: atLeastZero('weight decay is at least 0, e.g. `decay: 3e-4`; `0` turns it off'),
    clip: positive('the largest global gradient norm, e.g. `clip: 5`'),
  },
  adam: {
    lr: positive('the α learning rate is positive, e.g. `lr: 3e-4`'),
    eps: positive('a small positive number that keeps the division finite, e.g. `eps: 1e-8`'),
    decay: atLeastZero('weight decay is at least 0, e.g. `decay: 1e-3`; `0` turns it off'),
  },
  cosine: {
    max: positive('the learning rate starts positive, e.g. `cosine(0.025, 0.001)`'),
    min: atLeastZero('the learning rate anneals to 0 or above, e.g. `cosine(0.025, 0.001)`'),
    epochs: count('the period is a positive number of epochs; leave it out for the search’s'),
  },
  constant: { value: positive('the learning rate is positive, e.g. `constant(0.025)`') },
  normal: { std: atLeastZero('a standard deviation is at least 0, e.g. `normal(1e-3)`') },
  synthetic: {
    samples: count('generate at least one sample, e.g. `samples: 256`'),
    classes: count('synthetic data has at least one class, e.g. `classes: 2`'),
    noise: atLeastZero('the noise is a standard deviation, at least 0, e.g. `noise: 0.8`'),
    test: heldOut,
  },
  mnist: { limit: count('read at least one digit, e.g. `limit: 10000`'), test: heldOut },
  mnist_rows: { limit: count('read at least one digit, e.g. `limit: 10000`'), test: heldOut },
  jsonl: { length: count('a sequence holds at least one token'), test: heldOut },
  csv: { test: heldOut },
  npy: { test: heldOut },
  idx: { test: heldOut },
  vega: { test: heldOut },
  window: {
    length: count('a window holds at least one row, e.g. `window(7)`'),
    horizon: atLeastZero(
      'the label is the row `horizon` after the window: `1` the next, `0` its last',
    ),
  },
  reshape: {
    length: count('a sequence has at least one step, e.g. `reshape(4)`'),
    channels: count('each step has at least one channel'),
  },
  ...Object.fromEntries(methodNames.map((name) => [name, methodSpecs[name].ranges])),
};

const weightLr = positive('the weight learning rate is positive, e.g. `lr: 0.025`');
const beta = unit('each beta is a decay factor below 1, e.g. `betas: (0.5, 0.999)`');

/**
 * Reports E0320 for every number of a search setting's value outside its range: the calls of
 * `data`, `weights`, `arch` and `init`, and the schedules inside `sgd`'s `lr`.
 */
export function checkSettingRanges(ev: Evaluator, value: Value | undefined): void {
  if (value?.kind !== 'call') return;
  const order = (settingFunctions[value.name] ?? []).map((p) => p.name);
  const table = ranges[value.name] ?? {};
  const arg = (name: string) => {
    const index = order.indexOf(name);
    const v = value.args.named.get(name) ?? (index >= 0 ? value.args.positional[index] : undefined);
    const at = value.args.spans.get(name) ?? value.args.spans.get(index) ?? value.span;
    return v && { v, at };
  };
  const label = (name: string) => `\`${name}\` of \`${value.name}\``;
  for (const [name, range] of Object.entries(table)) {
    const a = arg(name);
    if (a) inRange(ev, a.v, a.at, label(name), range);
  }
  if (value.name === 'sgd') {
    const lr = arg('lr');
    if (lr?.v.kind === 'call') checkSettingRanges(ev, lr.v);
    else if (lr) inRange(ev, lr.v, lr.at, label('lr'), weightLr);
  }
  if (value.name === 'adam') {
    const betas = arg('betas');
    if (betas?.v.kind === 'tuple')
      betas.v.items.forEach((b, i) => inRange(ev, b, betas.at, `beta ${i + 1} of \`adam\``, beta));
  }
}

function inRange(ev: Evaluator, v: Value, span: Span, name: string, range: Range): void {
  if ((v.kind !== 'int' && v.kind !== 'float') || range.holds(v.value)) return;
  ev.report(
    diagnostic('E0320', span, { name, range: range.text, found: v.value }, { help: range }),
  );
}
