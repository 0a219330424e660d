import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { DatasetFacts } from '../intrinsics/settings.js';
import { formatShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';
import type { NetworkModel } from './model.js';

/**
 * The E0413 for data that does not fit a network, if it does not; `span` is the `data`
 * setting. Data `transformed` by a pipeline gets a note saying what the transforms made.
 */
export function dataMismatch(
  name: string,
  data: DatasetFacts,
  model: Pick<NetworkModel, 'input' | 'output' | 'space' | 'stems'>,
  transformed = false,
): ((span: Span) => Diagnostic) | undefined {
  const sample = formatShape({ layout: data.layout, dims: data.dims });
  const notes = transformed ? [`after its transforms the data gives \`${sample}\` samples`] : [];
  const misfit = (what: string, expected: string, hint: string) => (span: Span) =>
    diagnostic(
      'E0413',
      span,
      { data: name, what, space: model.space, expected },
      { help: { hint }, notes },
    );
  if (data.layout !== model.input.layout || data.dims.join() !== model.input.dims.join())
    return misfit(
      `samples of type \`${sample}\``,
      `\`${formatShape(model.input)}\``,
      `declare the space's input as \`${sample}\`, or use data of the space's input type`,
    );
  const outputs = model.output.dims[0]!;
  if (data.task === 'regression') {
    if (outputs !== 1)
      return misfit(
        'one regression target per sample',
        `${outputs} outputs`,
        'end the head with `dense(1)` and declare the output `Vec[1]`',
      );
  } else if (data.classes > outputs)
    return misfit(
      `${data.classes} classes`,
      `${outputs} outputs`,
      `end the head with \`dense(${data.classes})\` and declare \`Logits[${data.classes}]\``,
    );
  // Token ids index the table of the op that reads them: an id past its end reads no row.
  const reader = model.stems.flatMap((s) => s.uses).find((use) => use.input.layout === 'Tokens');
  const vocab = reader?.attrs.vocab === undefined ? undefined : Number(reader.attrs.vocab);
  if (data.vocab !== undefined && vocab !== undefined && data.vocab > vocab)
    return misfit(
      `token ids up to ${data.vocab - 1}`,
      `ids below ${vocab} (its embedding's \`vocab\`)`,
      `give the embedding \`vocab: ${data.vocab}\` or more`,
    );
  return undefined;
}
