import { dirname } from 'node:path';

import type { NetworkModel } from '../elaborate/model.js';
import { dataMismatch } from '../elaborate/dataFit.js';
import { stageSpan, type StageSite } from '../elaborate/dataPipeline.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import { identityPreprocessing, type Preprocessing } from '../intrinsics/preprocessing.js';
import { dataArgs } from '../intrinsics/settings.js';
import type { Span } from '../source/SourceFile.js';
import { loadDataset, splitDataset, type Dataset, type Splits } from './data.js';
import { DataProblem } from './dataset.js';

/**
 * Loads the data of a search block for a network (paths relative to the spec), checks its
 * transforms on the loaded table (E0223, E0419–E0422, at the stage `sites` place them, else
 * at `span`, the `data` setting) and that it fits the network (E0413 at `span`), and splits
 * it: the last `test` share held out (the schema's default, none for synthetic data), the
 * rest by `split`.
 */
export function loadSearchData(
  search: Pick<SearchConfig, 'data' | 'split'>,
  model: NetworkModel,
  specPath: string,
  span: Span,
  sites?: readonly StageSite[],
): { data: Dataset; splits: Splits } | { misfit: Diagnostic } {
  let data: Dataset;
  try {
    const classes = model.output.dims[0]!;
    data = loadDataset(search.data, model.input, classes, dirname(specPath), search.split);
  } catch (e) {
    if (e instanceof DataProblem) return { misfit: e.at(stageSpan(sites, e.where) ?? span) };
    throw e;
  }
  const { layout, shape: dims, classes, vocab, task } = data;
  const facts = { layout, dims, classes, vocab, task };
  const misfit = dataMismatch(search.data.kind, facts, model, !!search.data.transforms);
  if (misfit) return { misfit: misfit(span) };
  // A source without a `test` parameter (synthetic data) holds nothing out.
  const test = dataArgs(search.data.kind, search.data.args).test ?? 0;
  return { data, splits: splitDataset(data, search.split, Number(test)) };
}

/**
 * How raw samples become the network's inputs when it trains on a search block's data: the
 * data's preprocessing, or the identity when the data does not fit the network (a search
 * would stop at E0413: then nothing is known of raw samples). Throws a DataError as loading does.
 */
export function dataPreprocessing(
  search: Pick<SearchConfig, 'data' | 'split'>,
  model: NetworkModel,
  specPath: string,
): Preprocessing {
  // The search's split: a table's constants are fitted on its train split.
  const dir = dirname(specPath);
  const data = loadDataset(search.data, model.input, model.output.dims[0]!, dir, search.split);
  const { layout, shape: dims, classes, vocab, task } = data;
  const misfit = dataMismatch(search.data.kind, { layout, dims, classes, vocab, task }, model);
  return misfit ? identityPreprocessing(model.input) : data.preprocessing;
}
