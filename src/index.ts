/**
 * dartsc as a library: the whole public API, listed explicitly. The CLI is built on these
 * functions and nothing else. Each returns `{ value, diagnostics }` (long jobs: an async
 * iterable of events and a `result` promise of one); none of them prints or exits.
 * See docs/api.md.
 */
export { compile, type CompileOptions, type Program, type SourceText } from './api/compile.js';
export { inspect, type Inspection, type NetworkSummary } from './api/inspect.js';
export type { BuiltNetwork, GenotypeInput, NetworkRequest } from './api/network.js';
export {
  search,
  type AlphaTableInfo,
  type SearchEvent,
  type SearchOptions,
  type SearchResult,
  type SearchStart,
  type WarningEvent,
} from './api/search.js';
export { derive, type Derived, type DeriveOptions } from './api/derive.js';
export { emit, type EmitOptions, type Emitted } from './api/emit.js';
export {
  train,
  type TrainEvent,
  type TrainOptions,
  type TrainResult,
  type TrainStart,
} from './api/train.js';
export type { Job } from './api/job.js';
export { loadModel, type LoadModelOptions, type ServedModel } from './api/loadModel.js';
export { OptionError, type Result } from './api/result.js';
export { resumeSpec } from './api/resume.js';
export { report, type ReportOptions, type ReportWritten } from './api/report.js';
export { nodeHost } from './api/host.js';
export { format } from './format/format.js';
export type { CompilerHost } from './check/loadProgram.js';
export type { Diagnostic } from './diagnostics/Diagnostic.js';
export { formatDiagnostics, type DiagnosticFormat } from './diagnostics/render.js';
export type { SearchConfig, Schedule } from './elaborate/searchConfig.js';
export type { DataSpec, TransformSpec } from './elaborate/dataPipeline.js';
export type { Genotype, DerivedCell } from './ir/genotype.js';
export type {
  Preprocessing,
  PreprocessStep,
  RawBatch,
  RawInput,
  RawSample,
} from './intrinsics/preprocessing.js';
export { BackendUnavailable, backendNames, type BackendName } from './numerics/tf.js';
export { EngineFailed, EngineUnavailable } from './runtime/torch/python.js';
export {
  engineNames,
  pytorchEngineProblems,
  type EngineName,
  type TorchRequest,
} from './api/torchSearch.js';
export { exportPytorch, type ExportOptions, type ExportResult } from './api/exportPytorch.js';
export { DataError } from './runtime/dataset.js';
export type { RetrainConfig, RetrainEpoch } from './runtime/retrain.js';
export { RunDirError } from './runtime/runDir.js';
export type { EpochReport, Metrics, StepEvent } from './runtime/search.js';
