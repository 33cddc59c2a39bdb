// The studio's one API contract (DESIGN.md "The house"; STYLE.md §2): every backend method and
// every push event, with zod schemas for both directions. The Electron IPC host, the web mode's
// WebSocket server and the in-process adapter all dispatch through this map, and each validates
// what crosses its boundary with these schemas, so the renderer cannot tell which host it has.
// Runtime-free: the renderer imports it.
import {
  array, boolean, discriminatedUnion, enum as zodEnum, literal, nullable, number, object, optional, record, string, union, unknown,
  type infer as Infer, type ZodType,
} from 'zod';
import { PRIMITIVES } from '../camerabench/primitives';

// ---------------------------------------------------------------------------------------------
// Shared shapes

export const REVIEW_STATUSES = ['draft', 'reviewed', 'accepted', 'rejected'] as const;
export const reviewStatus = zodEnum(REVIEW_STATUSES);
export type ReviewStatus = Infer<typeof reviewStatus>;

export const primitive = zodEnum(PRIMITIVES);
const id = number().int().positive();
const text = (max: number) => string().max(max);

/** What the Library shows; every field optional, all given ones must hold (AND). */
export const libraryFilter = object({
  status: optional(array(reviewStatus).max(4)),
  split: optional(array(text(64)).max(32)),
  kind: optional(array(zodEnum(['sft', 'rl', 'eval', 'camerabench'])).max(4)),
  /** Source file path as imported. */
  source: optional(array(text(4096)).max(64)),
  primitive: optional(array(primitive).max(15)),
  /** Reference answer letter. */
  answer: optional(array(text(4)).max(26)),
  /** Lint codes (common/ota/lint.ts); 'any' = at least one issue, 'none' = clean. */
  lint: optional(array(text(64)).max(32)),
  /** Chains that contradict the analyzer's measurement. */
  hasContradiction: optional(boolean()),
  tag: optional(array(text(128)).max(32)),
  /** FTS5 over the current chain text; plain words, quoted phrases. */
  search: optional(text(500)),
  /** The media status of the sample's clip; 'none' = a sample without a clip. */
  media: optional(array(zodEnum(['ok', 'missing', 'error', 'none'])).max(4)),
  /** Part of the clip's file name (case-insensitive). */
  clip: optional(text(500)),
  /** Samples whose clip is in more than one split (a hygiene warning). */
  clipInSeveralSplits: optional(boolean()),
  sampleIds: optional(array(id).max(100_000)),
  /**
   * Added by the renderer (Stats' chain-length histogram links here): current-chain word count
   * in [min, max); either bound may be left out.
   */
  chainLength: optional(object({ min: optional(number().nonnegative()), max: optional(number().nonnegative()) })),
});
export type LibraryFilter = Infer<typeof libraryFilter>;

export const LIBRARY_SORT_KEYS = ['id', 'clip', 'primitive', 'answer', 'status', 'split', 'updated', 'chainLength'] as const;
export const librarySort = object({
  key: zodEnum(LIBRARY_SORT_KEYS),
  direction: zodEnum(['asc', 'desc']),
});
export type LibrarySort = Infer<typeof librarySort>;

export const libraryRow = object({
  id,
  clipId: nullable(id),
  clipName: string(),
  /** The clip's media status (null: the sample has no clip): the Library marks missing media. */
  mediaStatus: nullable(zodEnum(['ok', 'missing', 'error'])),
  question: string(),
  kind: string(),
  primitive: nullable(primitive),
  answer: nullable(string()),
  split: string(),
  status: reviewStatus,
  tags: array(string()),
  /** Words in the current chain; 0 without one. */
  chainLength: number(),
  lint: array(string()),
  contradictions: number(),
  updatedAt: string(),
});
export type LibraryRow = Infer<typeof libraryRow>;

export const savedView = object({
  name: text(200).min(1),
  filter: libraryFilter,
  sort: librarySort,
});
export type SavedView = Infer<typeof savedView>;

/**
 * Samples that hold one status, split and set of tags (a bulk change's before, for its Undo).
 * Limits as wide as what a project may hold (an imported split, a hand-edited tag): the answer
 * to a bulk change that has committed must never fail its own validation.
 */
export const sampleState = object({
  status: reviewStatus,
  split: text(4096),
  tags: array(text(4096)).max(10_000),
  ids: array(id).min(1).max(100_000),
});
export type SampleState = Infer<typeof sampleState>;

export const revision = object({
  id,
  parentId: nullable(id),
  text: string(),
  authorKind: zodEnum(['person', 'model', 'analyzer', 'import']),
  author: string(),
  createdAt: string(),
});
export type Revision = Infer<typeof revision>;

export const clipDetail = object({
  id,
  name: string(),
  mediaStatus: zodEnum(['ok', 'missing', 'error']),
  mediaError: nullable(string()),
  durationSeconds: nullable(number()),
  fps: nullable(number()),
  frameCount: nullable(number()),
  width: nullable(number()),
  height: nullable(number()),
  splits: array(string()),
});
export type ClipDetail = Infer<typeof clipDetail>;

/** URLs the host serves for one clip: web mode `/media/…?token=`, Electron `frustum-media://…`. */
export const clipMedia = object({
  /** The clip itself, for an HTML5 <video>. */
  video: string(),
  /** Exact frame by 0-based index: replace `{index}` (JPEG, display size). */
  frameTemplate: string(),
  frameCount: number().int().nonnegative(),
  fps: number().positive(),
  width: number().int().positive(),
  height: number().int().positive(),
  /** Filmstrip sprite and its layout (tile grid over the whole clip). */
  filmstrip: object({
    url: string(),
    columns: number().int().positive(),
    rows: number().int().positive(),
    tileWidth: number().int().positive(),
    tileHeight: number().int().positive(),
    frames: array(number().int().nonnegative()),
  }),
});
export type ClipMedia = Infer<typeof clipMedia>;

/** A clip's stored analyzer reading (common/motion/reading.ts MotionReading), JSON as stored. */
export const motionTimelinePoint = object({
  frame: number(),
  time: number(),
  panDegreesPerSecond: number(),
  tiltDegreesPerSecond: number(),
  rollDegreesPerSecond: number(),
  zoomPerSecond: number(),
  parallax: number(),
  shake: number(),
  translationPercent: number(),
});
export const clipAnalysis = object({
  analyzer: string(),
  createdAt: string(),
  /** Frames of the clip per sampled frame of the timeline (timeline.frame × stride = clip frame). */
  frameStride: number().positive(),
  /** The horizontal field of view the reading used, and where it came from (common/motion/fieldOfView). */
  lens: object({ fovDegrees: number().positive(), source: zodEnum(['given', 'estimated', 'default']) }),
  scores: record(string(), number()),
  timeline: array(motionTimelinePoint),
  segments: array(object({
    firstFrame: number(), lastFrame: number(), startSeconds: number(), endSeconds: number(), primitive: string(),
  })),
  /** The O-T-A draft for each binary question of the clip, keyed by sample id. */
  drafts: record(string(), string()),
});
export type ClipAnalysis = Infer<typeof clipAnalysis>;

export const contradiction = object({
  /** Which chain section makes the claim. */
  section: zodEnum(['observation', 'think', 'answer']),
  /** [start, end) offsets into the chain text, for highlighting. */
  start: number().int().nonnegative(),
  end: number().int().nonnegative(),
  claim: string(),
  measured: string(),
  message: string(),
});
export type Contradiction = Infer<typeof contradiction>;

export const sampleDetail = object({
  id,
  kind: string(),
  problemId: nullable(string()),
  question: string(),
  options: array(string()),
  problemType: string(),
  answer: nullable(string()),
  primitive: nullable(primitive),
  split: string(),
  status: reviewStatus,
  tags: array(string()),
  sources: array(string()),
  clip: nullable(clipDetail),
  /** The current chain (head revision), or null when the sample has none yet. */
  head: nullable(revision),
  revisionCount: number().int().nonnegative(),
  /** Chain-vs-geometry contradictions of the head chain (empty without an analysis). */
  contradictions: array(contradiction),
  updatedAt: string(),
});
export type SampleDetail = Infer<typeof sampleDetail>;

export const primitiveLabel = object({
  primitive,
  /** 1 present, 0 absent, null unknown. */
  value: nullable(union([literal(0), literal(1)])),
  /** Who set it: a person's name, 'analyzer', or 'samples' when derived from answers. */
  author: nullable(string()),
});
export type PrimitiveLabel = Infer<typeof primitiveLabel>;

const countMap = record(string(), number());
export const projectStats = object({
  clips: object({ total: number(), ok: number(), missing: number(), error: number() }),
  samples: number(),
  byKind: countMap,
  byStatus: countMap,
  bySplit: countMap,
  byPrimitive: countMap,
  byAnswer: countMap,
  bySource: countMap,
  chainLength: object({ count: number(), p5: number(), p25: number(), p50: number(), p75: number(), p95: number() }),
  /** Chain-length histogram: bucket lower bounds (words) and counts. */
  chainLengthHistogram: array(object({ from: number(), to: number(), count: number() })),
  lint: countMap,
  /** Samples with at least one lint issue (a sample with three issues counts once). */
  samplesWithLint: number(),
  contradictions: number(),
  warnings: array(object({
    code: string(),
    message: string(),
    /** The Library view that shows the samples behind the warning. */
    filter: libraryFilter,
  })),
});
export type ProjectStats = Infer<typeof projectStats>;

/**
 * The shortcut audit (common/audit/audit.ts AuditReport, `frustum audit`): per group of samples
 * (the project, each source file, each benchmark and its splits), each rule that predicts the reference letter without the
 * video, scored on held-out samples against chance and the majority letter.
 */
const auditShortcut = object({
  id: string(), name: string(), title: string(), accuracy: number(), n: number(), chance: number(), majority: number(),
  applies: number(), accuracyWhereApplies: nullable(number()),
  level: zodEnum(['shortcut', 'imbalance', 'subsumed', 'none']), verdict: string(), comparedWith: array(string()),
  /** The held-out samples it answers correctly; their ids only for a shortcut or an imbalance (a Library `sampleIds` filter). */
  explained: number(), explainedIds: array(id),
  examples: array(object({ value: string(), letter: string(), share: number(), samples: number() })),
  features: array(object({ feature: string(), description: string(), letter: string(), share: number(), baseShare: number(), samples: number() })),
});
export const auditReport = object({
  splitBy: zodEnum(['auto', 'split', 'clip']),
  samples: number(),
  groups: array(object({
    key: string(), label: string(), samples: number(), audited: number(), skipped: countMap, letters: countMap, optionCounts: countMap,
    holdout: object({ method: zodEnum(['split', 'clip-hash']), description: string(), fitted: number(), evaluated: number(), clipsOnBothSides: number() }),
    chance: number(), majority: number(), majorityLetter: string(), shortcuts: array(auditShortcut), verdict: string(),
  })),
});

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const jobState = zodEnum(JOB_STATES);
export const finalJobState = zodEnum(['succeeded', 'failed', 'cancelled']);

/** One piece of long work (backend/jobs): a row of the project's jobs table, run by a process of its own. */
export const job = object({
  id,
  /** backend/jobs/kinds.ts: analyze, import, synth, … */
  kind: string(),
  title: string(),
  state: jobState,
  /** Progress in the kind's own units (clips, records, frames); total 0 = not known yet. */
  done: number(),
  total: number(),
  message: string(),
  /** Why it failed: input problems, or the end of its log when its process died. */
  error: nullable(string()),
  /** What it produced (kind-specific JSON), once succeeded. */
  result: unknown(),
  createdAt: string(),
  startedAt: nullable(string()),
  finishedAt: nullable(string()),
});
export type Job = Infer<typeof job>;

/** What this machine has for the external trainers (backend/engines/environment.ts): `frustum doctor` shows the same. */
export const trainingEnvironment = object({
  python: object({ command: string(), source: zodEnum(['option', 'FRUSTUM_PYTHON', 'PATH']), path: nullable(string()), version: nullable(string()), error: optional(string()) }),
  llamafactory: object({ path: nullable(string()), version: nullable(string()), error: optional(string()) }),
  verl: object({ isImportable: boolean(), version: nullable(string()), error: optional(string()) }),
  nvidiaSmi: object({ path: nullable(string()), error: optional(string()) }),
  gpus: array(object({ index: number().int().nonnegative(), name: string(), memoryTotalMiB: number(), memoryFreeMiB: number(), driver: string() })),
  missing: array(object({ what: string(), forEngine: zodEnum(['llamafactory', 'easyr1', 'both']), install: string() })),
});
export type TrainingEnvironment = Infer<typeof trainingEnvironment>;

/**
 * The trainers (backend/engines/): LLaMA-Factory for SFT, EasyR1 for GRPO, and the built-in
 * reasoner (training/), which does both on this machine with TensorFlow.js.
 */
export const TRAIN_ENGINES = ['llamafactory', 'easyr1', 'builtin'] as const;
export const trainEngine = zodEnum(TRAIN_ENGINES);
export const TRAIN_OBJECTIVES = ['sft', 'grpo'] as const;
export const trainObjective = zodEnum(TRAIN_OBJECTIVES);

/**
 * A training run to make: what `frustum train PROJECT --engine … --objective …` takes. `sets`
 * are `key=value` overrides of the generated config (dotted keys for EasyR1's nesting; values
 * read as YAML scalars), applied after the defaults in the order given.
 */
export const trainRequest = object({
  engine: trainEngine,
  objective: trainObjective,
  /**
   * A Hugging Face id or a local folder; default Qwen/Qwen2.5-VL-7B-Instruct. Built-in GRPO: the
   * SFT checkpoint folder to start from; default the newest built-in SFT run's last checkpoint.
   */
  model: optional(text(1000).min(1)),
  sets: optional(array(object({ key: text(200).min(1), value: text(10_000) })).max(200)),
  /** Which samples the run trains on (any Library filter); default: the objective's records (SFT chains / RL records) of split "train" when there is one. */
  filter: optional(libraryFilter),
  /** EasyR1 only: a Ray cluster's dashboard (http://HEAD:8265); the job is submitted through its Jobs REST API. */
  rayAddress: optional(text(1000).min(1)),
  /** GPUs per machine (torchrun / trainer.n_gpus_per_node); default every GPU nvidia-smi lists, else 1. */
  gpus: optional(number().int().positive().max(64)),
  /** Machines (EasyR1's trainer.nnodes, with a Ray cluster); default 1. */
  nodes: optional(number().int().positive().max(1024)),
});
export type TrainRequest = Infer<typeof trainRequest>;

/** One file of a run folder as it will be (or was) written. */
export const runFile = object({ path: string(), text: string() });

/** What a training job would write and run: the Train view's preview and `frustum train --dry-run`. */
export const trainPlan = object({
  engine: trainEngine,
  objective: trainObjective,
  model: string(),
  /** The data files, config, reward and command.sh, paths relative to the run folder (data files shown by their first records only). */
  files: array(runFile),
  /** The exact command, as command.sh runs it. */
  command: string(),
  samples: number().int().nonnegative(),
  /** sha256 of the data files' content: the dataset snapshot. */
  snapshotHash: string(),
  /** Defaults chosen and why ("LoRA: 7B on 24 GiB"), and overrides that name unknown keys. */
  notes: array(string()),
});
export type TrainPlan = Infer<typeof trainPlan>;

export const checkpoint = object({
  /** checkpoint-N (LLaMA-Factory) or global_step_N (EasyR1 and the built-in trainer). */
  name: string(),
  step: number().int().nonnegative(),
  path: string(),
  /** EasyR1's checkpoint_tracker.json: the last and the best (validation reward) step. */
  isLast: boolean(),
  isBest: boolean(),
  /** Whether the folder holds loadable weights (LoRA adapter, safetensors, or FSDP shards to merge). */
  weights: zodEnum(['adapter', 'full', 'shards', 'none']),
});
export type Checkpoint = Infer<typeof checkpoint>;

/** A training job with its lineage: dataset snapshot → job (and the jobs that resumed it) → checkpoints. */
export const trainRun = object({
  jobId: id,
  /** The job whose run folder this continues (a resume), else null. */
  resumedFrom: nullable(id),
  engine: trainEngine,
  objective: trainObjective,
  model: string(),
  runFolder: string(),
  snapshot: nullable(object({ hash: string(), samples: number().int().nonnegative(), filter: libraryFilter })),
  checkpoints: array(checkpoint),
  rayJobId: nullable(string()),
});
export type TrainRun = Infer<typeof trainRun>;

/** Points of one metric, in step order: columns, not rows (100k points travel as two arrays). */
export const metricSeries = object({ key: string(), steps: array(number()), values: array(number()) });
export type MetricSeries = Infer<typeof metricSeries>;

/** One GRPO response with its reward components and group-normalised advantage. */
export const rolloutResponse = object({
  text: string(),
  overall: number(),
  format: number(),
  accuracy: number(),
  advantage: number(),
  length: nullable(number()),
  /** Claims of the response that contradict the analyzer's reading of the clip. */
  contradictions: array(contradiction),
});
export const rolloutGroup = object({
  /** The sample whose RL record was the prompt, when it is still in the project. */
  sampleId: nullable(id),
  clipId: nullable(id),
  prompt: string(),
  groundTruth: string(),
  responses: array(rolloutResponse),
});
export type RolloutGroup = Infer<typeof rolloutGroup>;

// ---------------------------------------------------------------------------------------------
// Inference (backend/inference): a model asked about samples, live or as a run.

/** 'openai': any OpenAI-compatible /v1/chat/completions (vLLM serving CamReasoner-7B); 'builtin': a built-in checkpoint's ONNX export. */
export const INFERENCE_ENGINES = ['openai', 'builtin'] as const;
export const inferenceEngine = zodEnum(INFERENCE_ENGINES);

/**
 * How the clip reaches an OpenAI-compatible model. `sampling` 'first': CamReasoner's evaluation
 * (ffmpeg at `fps`, the first `maxFrames`); 'uniform': `maxFrames` spread over the whole clip.
 * `parts` 'images': one image part per frame (the reference); 'video-frames': the same JPEGs as
 * one `data:video/jpeg` video part (vLLM decodes it as a video); 'video-file': the clip file
 * itself as one video part, sampled by the server.
 */
export const frameSettings = object({
  sampling: zodEnum(['first', 'uniform']),
  parts: zodEnum(['images', 'video-frames', 'video-file']),
  fps: number().positive().max(60),
  maxFrames: number().int().min(1).max(1024),
  maxPixels: number().int().min(3136).max(16_777_216),
});
export type FrameSettings = Infer<typeof frameSettings>;

/** What a run or a live ask sends: stored with every run as the exact request settings. */
export const inferenceSettings = object({
  engine: inferenceEngine,
  /** openai: the server (http://host:8000, …/v1 or the full …/chat/completions). */
  endpoint: optional(text(2048)),
  /** openai: the served model name; builtin: a checkpoint folder (global_step_N/actor of a built-in run). */
  model: text(4096).min(1),
  /** openai: the NAME of the environment variable holding the API key; the key is never stored. */
  apiKeyEnv: optional(string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(128)),
  /** CamReasoner's evaluation: 0 (greedy) and 8192. */
  temperature: number().min(0).max(2),
  maxTokens: number().int().min(1).max(131_072),
  /** openai only; the built-in model reads motion evidence, not frames. */
  frames: frameSettings,
});
export type InferenceSettings = Infer<typeof inferenceSettings>;

/** A frame the model received: where it is in the clip and the size it was sent at. */
export const sentFrame = object({ timestamp: number().nonnegative(), width: number().int().nonnegative(), height: number().int().nonnegative() });
export type SentFrameInfo = Infer<typeof sentFrame>;

/** A run: samples × model × settings, its predictions stored with it. */
export const inferenceRun = object({
  id,
  /** 'inference': asked by Frustum; 'evaluation' / 'scores': imported results or score files. */
  kind: zodEnum(['evaluation', 'scores', 'inference']),
  model: string(),
  /** Frustum's runs only (null for imported ones). */
  settings: nullable(inferenceSettings),
  /** sha256 over the frozen samples (ids, questions, options, answers, clip content): the dataset snapshot. */
  snapshotHash: nullable(string()),
  /** The Library filter the samples were chosen with. */
  filter: nullable(libraryFilter),
  /** The training job whose checkpoint answered (built-in runs), for lineage. */
  trainJobId: nullable(id),
  samples: number().int().nonnegative(),
  /** Predictions stored (answered or failed). */
  done: number().int().nonnegative(),
  errors: number().int().nonnegative(),
  /** Mean CamReasoner evaluator accuracy over the answered predictions; null before any. */
  accuracy: nullable(number()),
  completionTokens: number().int().nonnegative(),
  /** The newest job that ran it (null for imported runs) and its state. */
  jobId: nullable(id),
  jobState: nullable(jobState),
  createdAt: string(),
});
export type InferenceRun = Infer<typeof inferenceRun>;

/** One stored prediction, as the Inspect view shows it. */
export const prediction = object({
  runId: id,
  sampleId: id,
  output: nullable(string()),
  /** eval_bench.py's `prediction` (the answer tag's text, else the whole output). */
  prediction: nullable(string()),
  accuracy: nullable(number()),
  /** CamReasoner's format reward of the output (1 when it is O-T-A exactly). */
  format: nullable(number()),
  /** P(the "Yes" letter) among the option letters at the answer token; null without log-probs. */
  yesProbability: nullable(number()),
  error: nullable(string()),
  frames: array(sentFrame),
  completionTokens: nullable(number().int().nonnegative()),
  /** From sending the request to the first content token, and to the end. */
  firstTokenMs: nullable(number().nonnegative()),
  durationMs: nullable(number().nonnegative()),
  finishReason: nullable(string()),
  /** Claims of the output that contradict the analyzer's reading of the clip (hallucinations). */
  contradictions: array(contradiction),
  createdAt: nullable(string()),
});
export type Prediction = Infer<typeof prediction>;

/** A row of a run's sample list (Inspect's list). */
export const predictionRow = object({
  sampleId: id,
  clipName: string(),
  question: string(),
  /** The reference answer letter. */
  answer: nullable(string()),
  prediction: nullable(string()),
  accuracy: nullable(number()),
  yesProbability: nullable(number()),
  contradictions: number().int().nonnegative(),
  error: nullable(string()),
  /** No prediction stored yet (a run still going, or one that was stopped). */
  isPending: boolean(),
});
export type PredictionRow = Infer<typeof predictionRow>;

/** A run to start: `frustum infer`'s request. */
export const inferenceRequest = object({
  settings: inferenceSettings,
  /** Which samples (any Library filter); default every sample with a clip and a reference answer. */
  filter: optional(libraryFilter),
  /** Requests in flight at once (openai); the built-in engine batches instead. */
  concurrency: number().int().min(1).max(256),
});
export type InferenceRequest = Infer<typeof inferenceRequest>;

// ---------------------------------------------------------------------------------------------
// Evaluation (backend/evaluation): a run scored exactly as each benchmark's own code scores it,
// every number labelled with what it is, beside the published rows it may (or may not) be compared with.

export const BENCHMARKS = ['camerabench-binary', 'camerabench-vqa', 'camerabench-vqa-runpy', 'camerabench-caption', 'shotbench', 'refineshot'] as const;
export const benchmarkName = zodEnum(BENCHMARKS);
export type BenchmarkName = Infer<typeof benchmarkName>;

/** The samples behind a number, for "open in Inspect": the run's items of that benchmark (and split). */
export const evalCellLink = object({ runId: id, benchmark: benchmarkName, split: optional(string()) });
export type EvalCellLink = Infer<typeof evalCellLink>;

export const evalCell = object({
  value: number(),
  /** As the source prints it ("78.4", "0.745"). */
  display: string(),
  /** Items behind the value. */
  n: optional(number().int().nonnegative()),
  link: optional(evalCellLink),
});

/** A table in a benchmark's own layout (Table 1, Table 2, ShotBench's 8 dimensions…). */
export const evalTable = object({
  /** Stable across runs: side by side merges rows of tables with the same id. */
  id: string(),
  title: string(),
  columns: array(object({ key: string(), label: string() })),
  rows: array(object({
    label: string(),
    /** What the numbers are: metric, averaging and score source ("AP, macro over 15 primitives, score = P(Yes)"). */
    basis: string(),
    /** 'run': this run; 'baseline': computed here for it (majority, random); 'published': from a paper or leaderboard, cited in `basis`. */
    kind: zodEnum(['run', 'baseline', 'published']),
    runId: nullable(id),
    cells: array(nullable(evalCell)),
  })),
  notes: array(string()),
});
export type EvalTable = Infer<typeof evalTable>;

/** Counts of what the model said against what the clip shows, for confusable pairs (pan/truck, tilt/pedestal, zoom/dolly, in/out). */
export const confusionMatrix = object({
  id: string(),
  title: string(),
  rowLabels: array(string()),
  columnLabels: array(string()),
  counts: array(array(number().int().nonnegative())),
  notes: array(string()),
});
export type ConfusionMatrix = Infer<typeof confusionMatrix>;

export const evalReport = object({
  runId: id,
  model: string(),
  benchmark: benchmarkName,
  /** The benchmark's items in the run, and those with an answer. */
  items: number().int().nonnegative(),
  answered: number().int().nonnegative(),
  /** Where scores came from: P(Yes) at the answer token, the answer letter (1/0), or both across items. */
  scoreSource: zodEnum(['probabilities', 'answers', 'mixed', 'not-applicable']),
  tables: array(evalTable),
  matrices: array(confusionMatrix),
  notes: array(string()),
});
export type EvalReport = Infer<typeof evalReport>;

/** Where a run's numbers come from: dataset snapshot → training job → checkpoint → this run. */
export const runLineage = object({
  runId: id,
  kind: zodEnum(['evaluation', 'scores', 'inference']),
  model: string(),
  settings: nullable(inferenceSettings),
  snapshotHash: nullable(string()),
  filter: nullable(libraryFilter),
  /** The training job whose checkpoint answered (built-in runs), with its own snapshot. */
  trainJob: nullable(object({ jobId: id, engine: trainEngine, objective: trainObjective, runFolder: string(), snapshotHash: nullable(string()), samples: nullable(number().int().nonnegative()) })),
  checkpoint: nullable(string()),
  /** The file an imported run came from. */
  source: nullable(string()),
  createdAt: string(),
});
export type RunLineage = Infer<typeof runLineage>;

export const projectInfo = object({
  path: string(),
  name: string(),
  host: zodEnum(['electron', 'web', 'in-process']),
  sampleCount: number(),
  clipCount: number(),
  readOnly: boolean(),
});
export type ProjectInfo = Infer<typeof projectInfo>;

// ---------------------------------------------------------------------------------------------
// Methods: name → request and response schemas. A new feature adds a line here, one service
// function (backend/studio/) and one view.

/**
 * A method's limits travel with it: the host that runs it (backend/studio/dispatch.ts) and the
 * clients that wait for it (renderer/api/) read the same number (the client adds the way there
 * and back). Library and Review calls answer in milliseconds; media decodes video.
 */
export const DEFAULT_TIMEOUT_MS = 15_000;
const method = <Request extends ZodType, Response extends ZodType>(request: Request, response: Response, limits: { timeoutMs?: number } = {}) => ({
  request,
  response,
  timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS,
});
const empty = object({});
const ok = object({ ok: literal(true) });

export const METHODS = {
  'project.info': method(empty, projectInfo),

  'library.query': method(
    object({ filter: libraryFilter, sort: librarySort, offset: number().int().nonnegative(), limit: number().int().positive().max(5000) }),
    object({ total: number().int().nonnegative(), rows: array(libraryRow) }),
  ),
  /** Every id matching a filter in sort order (select-all, next/previous navigation). */
  'library.ids': method(object({ filter: libraryFilter, sort: librarySort }), object({ ids: array(id) })),
  /** Values present in the project for each filter menu, with counts. */
  /**
   * Values present for each filter menu, with how many samples carry each under all the OTHER
   * active filters (faceted search: a menu's own choice does not narrow its own counts). `media`
   * counts by the clip's media status ('none': samples without a clip).
   */
  'library.facets': method(object({ filter: libraryFilter }), object({
    status: countMap, split: countMap, kind: countMap, source: countMap, primitive: countMap, answer: countMap,
    lint: countMap, tag: countMap, media: countMap,
  })),
  'library.bulkUpdate': method(
    object({
      ids: array(id).min(1).max(100_000),
      status: optional(reviewStatus),
      split: optional(text(64).min(1)),
      addTags: optional(array(text(128).min(1)).max(32)),
      removeTags: optional(array(text(128).min(1)).max(32)),
    }),
    // `previous`: what the changed samples held before, for library.restore (the Library's Undo).
    object({ updated: number().int().nonnegative(), previous: array(sampleState) }),
    { timeoutMs: 120_000 },
  ),
  /**
   * Puts samples back to the status, split and tags given (library.bulkUpdate's `previous`), in
   * one transaction; at most 100,000 ids in all. Samples deleted meanwhile are skipped.
   */
  'library.restore': method(
    object({ samples: array(sampleState).min(1).max(100_000) }),
    object({ restored: number().int().nonnegative() }),
    { timeoutMs: 120_000 },
  ),
  'views.list': method(empty, object({ views: array(savedView) })),
  'views.save': method(savedView, ok),
  'views.delete': method(object({ name: text(200) }), ok),

  'sample.get': method(object({ id }), sampleDetail),
  /**
   * Append a revision. `parentRevisionId` is the head the editor started from; when another
   * writer moved the head meanwhile the call fails with code 'conflict' and nothing is written.
   */
  'sample.saveChain': method(
    object({ id, text: text(200_000), parentRevisionId: nullable(id) }),
    object({ revision, contradictions: array(contradiction) }),
  ),
  'sample.setStatus': method(object({ id, status: reviewStatus }), object({ status: reviewStatus, updatedAt: string() })),
  'sample.revisions': method(object({ id }), object({ revisions: array(revision) })),
  /** Restore = a new revision with an old revision's text (history stays append-only). */
  'sample.restore': method(object({ id, revisionId: id, parentRevisionId: nullable(id) }), object({ revision })),

  'clip.media': method(object({ clipId: id }), clipMedia, { timeoutMs: 120_000 }),
  /** The stored analysis, or null when the clip has not been analyzed. */
  'clip.analysis': method(object({ clipId: id }), object({ analysis: nullable(clipAnalysis) })),
  /** Starts the analyzer on one clip as a job and answers at once; 'job.progress' / 'job.finished' follow, then clip.analysis has the reading. */
  'clip.analyze': method(object({ clipId: id }), object({ jobId: id })),
  'clip.labels': method(object({ clipId: id }), object({ labels: array(primitiveLabel) })),
  'clip.setLabel': method(
    object({ clipId: id, primitive, value: nullable(union([literal(0), literal(1)])) }),
    object({ labels: array(primitiveLabel) }),
  ),
  /**
   * Point clips whose file is missing or refused (outside its folder, not a regular file) at
   * files under `folder`, a folder on the host's disk: by the path their dataset gave, then by
   * file name. A file counts only if its real path (symlinks followed) is inside the folder,
   * which becomes the clips' media folder. Only `clipIds` when given; all or nothing.
   */
  'clips.relink': method(
    object({ folder: text(4096).min(1), clipIds: optional(array(id).max(100_000)) }),
    object({ relinked: number(), stillMissing: number(), clips: number() }),
    { timeoutMs: 120_000 },
  ),
  /**
   * A folder the person picks, for clips.relink: the desktop app shows its native dialog (the
   * Electron host answers this method itself); other hosts answer 'unavailable' (type the path).
   * `folder` is null when the person cancels. Waits as long as a person may take to choose.
   */
  'dialog.pickFolder': method(object({ title: optional(text(200)) }), object({ folder: nullable(string()) }), { timeoutMs: 10 * 60_000 }),

  'stats.get': method(empty, projectStats, { timeoutMs: 60_000 }),
  'stats.audit': method(object({ splitBy: optional(zodEnum(['auto', 'split', 'clip'])) }), auditReport, { timeoutMs: 120_000 }),

  /** Import dropped files: their names and text (a web page cannot read paths; the desktop app adds them). All or nothing. */
  'import.files': method(
    object({
      files: array(object({
        name: text(1024).min(1),
        /** The file's full path where the host can know it (the desktop app): recorded as its source, never read. */
        path: optional(text(4096).min(1)),
        content: string().max(512 * 1024 * 1024),
      })).min(1).max(64),
      format: optional(zodEnum(['auto', 'sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores', 'camerabench-vqa', 'camerabench-caption', 'shotbench', 'refineshot'])),
    }),
    /** `clipsMissing`: clips the records name that were not found (kept as missing; relink them). */
    object({ jobId: id, samplesAdded: number(), samplesUpdated: number(), clipsAdded: number(), clipsMissing: number() }),
    // The import runs as a job in its own process; the call waits for its outcome.
    { timeoutMs: 30 * 60_000 },
  ),

  /** The trainers' Python, LLaMA-Factory, EasyR1 and GPUs on the host's machine; `refresh` probes again (else a recent answer). */
  'training.environment': method(object({ refresh: optional(boolean()) }), trainingEnvironment, { timeoutMs: 120_000 }),

  /** What a training job would write and run, without writing anything (the Train view's preview; `frustum train --dry-run`). */
  'training.preview': method(trainRequest, trainPlan, { timeoutMs: 120_000 }),
  /** Freezes the samples into a run folder and launches the trainer as a job; answers once it is queued. */
  'training.start': method(trainRequest, job, { timeoutMs: 120_000 }),
  /** A new job that continues this training job's run folder from its last checkpoint (its logs kept). */
  'training.resume': method(object({ jobId: id }), job, { timeoutMs: 60_000 }),
  /** Training jobs, newest first, each with its snapshot, resumes and checkpoints. */
  'training.runs': method(object({ limit: optional(number().int().positive().max(1000)) }), object({ runs: array(trainRun) }), { timeoutMs: 30_000 }),
  /**
   * A training job's metrics (with those of the jobs it resumed, a later job's value winning for
   * a step both logged); `afterSeq` asks only for points stored since (a 'training.metrics' event's seq).
   */
  'training.metrics': method(
    object({ jobId: id, afterSeq: optional(number().int().nonnegative()) }),
    object({ series: array(metricSeries), seq: number().int().nonnegative() }),
    { timeoutMs: 30_000 },
  ),
  /** GRPO rollouts of one step (default: the newest), grouped by prompt; `steps` lists every step that has some. */
  'training.rollouts': method(
    object({ jobId: id, step: optional(number().int().nonnegative()) }),
    object({ step: nullable(number().int().nonnegative()), steps: array(number().int().nonnegative()), groups: array(rolloutGroup) }),
    { timeoutMs: 30_000 },
  ),

  /** Inference runs, newest first: Frustum's own (with their job) and imported results. */
  'inference.runs': method(object({ limit: optional(number().int().positive().max(1000)) }), object({ runs: array(inferenceRun) }), { timeoutMs: 30_000 }),
  /** A run's samples in its frozen order with their predictions (pending ones too), a page at a time. */
  'inference.rows': method(
    object({
      runId: id, offset: number().int().nonnegative(), limit: number().int().positive().max(5000), onlyWrong: optional(boolean()),
      /** Only the run's items of this benchmark (and split): an Evaluate cell opened in Inspect. */
      benchmark: optional(benchmarkName), split: optional(string()),
    }),
    object({ total: number().int().nonnegative(), rows: array(predictionRow) }),
    { timeoutMs: 30_000 },
  ),
  /** What each of these runs (default: every run) said about one sample. */
  'inference.predictions': method(object({ sampleId: id, runIds: optional(array(id).max(64)) }), object({ predictions: array(prediction) }), { timeoutMs: 30_000 }),
  /** Freezes the samples and starts the run as a job; answers once it is queued. */
  'inference.start': method(inferenceRequest, object({ runId: id, job }), { timeoutMs: 120_000 }),
  /** A new job on a run that was stopped: samples with a stored answer are not asked again. */
  'inference.resume': method(object({ runId: id, concurrency: optional(number().int().min(1).max(256)) }), object({ runId: id, job }), { timeoutMs: 60_000 }),
  /**
   * Asks the model about one sample now, in this studio (not a job), streaming: 'inference.stream'
   * events carry the frames sent, every delta and the outcome. With `runId`, the run's settings
   * are used and the answer replaces the sample's prediction in that run; else `settings`, and the
   * answer is kept in the project's "asked in Inspect" run of those settings.
   */
  'inference.ask': method(
    object({ sampleId: id, runId: optional(id), settings: optional(inferenceSettings) }),
    object({ streamId: string(), runId: id }),
    { timeoutMs: 60_000 },
  ),
  'inference.cancelAsk': method(object({ streamId: string() }), ok),
  /** "Make this the chain": the run's output becomes the sample's chain, a revision authored by the model. */
  'inference.makeChain': method(object({ runId: id, sampleId: id, parentRevisionId: nullable(id) }), object({ revision, contradictions: array(contradiction) })),

  /** The benchmarks the project's samples are items of, with item counts per split. */
  'evaluation.benchmarks': method(empty, object({
    benchmarks: array(object({ benchmark: benchmarkName, items: number().int().nonnegative(), samples: number().int().nonnegative(), splits: array(object({ split: string(), items: number().int().nonnegative() })) })),
  }), { timeoutMs: 30_000 }),
  /** A run scored as each benchmark it holds items of (or only `benchmark`), with its lineage. */
  'evaluation.report': method(
    object({ runId: id, benchmark: optional(benchmarkName) }),
    object({ lineage: runLineage, reports: array(evalReport) }),
    { timeoutMs: 120_000 },
  ),

  /** Jobs of this project, newest first, whoever started them (this studio, another, the CLI). */
  'jobs.list': method(object({ limit: optional(number().int().positive().max(1000)) }), object({ jobs: array(job) })),
  'jobs.get': method(object({ id }), job),
  /** Starts long work as a job; answers at once with it queued. */
  'jobs.start': method(
    discriminatedUnion('kind', [
      /** The whole project (readings and drafts), or only these clips' readings. */
      object({ kind: literal('analyze'), clipIds: optional(array(id).min(1).max(100_000)), force: optional(boolean()) }),
      /** Synthetic clips with exact ground truth rendered beside the project and imported. */
      object({ kind: literal('synth'), count: number().int().min(1).max(500), seed: number().int().min(0).max(4_294_967_295) }),
    ]),
    job,
  ),
  /** Stops a job and its whole process tree (SIGTERM, SIGKILL after 5 s); an ended job is returned as it is. */
  'jobs.cancel': method(object({ id }), job, { timeoutMs: 30_000 }),
  /** Up to maxBytes of the job's log from byte `offset`; `offset` in the answer is where to read next. */
  'jobs.log': method(
    object({ id, offset: optional(number().int().nonnegative()), maxBytes: optional(number().int().positive().max(4 * 1024 * 1024)) }),
    object({ text: string(), offset: number().int().nonnegative(), size: number().int().nonnegative(), isFinal: boolean() }),
  ),
} as const;

export type MethodName = keyof typeof METHODS;

export function timeoutOf(name: MethodName): number {
  return METHODS[name].timeoutMs;
}
export type MethodRequest<M extends MethodName> = Infer<(typeof METHODS)[M]['request']>;
export type MethodResponse<M extends MethodName> = Infer<(typeof METHODS)[M]['response']>;

// ---------------------------------------------------------------------------------------------
// Push events: backend → renderer.

export const EVENTS = {
  /**
   * Samples changed by anyone (this window, another window, the CLI): refetch what you show.
   * 'external': another program wrote the project (backend/studio/externalWrites.ts); which
   * samples is not known, so ids is empty.
   */
  'samples.changed': object({ ids: array(id), reason: zodEnum(['chain', 'status', 'bulk', 'import', 'labels', 'analysis', 'external']) }),
  /** A job was queued, started or moved on. */
  'job.progress': object({ jobId: id, kind: string(), state: zodEnum(['queued', 'running']), done: number(), total: number(), message: string() }),
  'job.finished': object({ jobId: id, kind: string(), state: finalJobState, error: nullable(string()) }),
  /**
   * New metric points of a training job, as stored. `seq`: the newest point's storage order
   * (training.metrics' afterSeq catches up from it); `previousSeq`: this job's newest point before
   * these. A page that holds the job's points up to `previousSeq` or later misses nothing.
   */
  'training.metrics': object({ jobId: id, seq: number().int().nonnegative(), previousSeq: number().int().nonnegative(), series: array(metricSeries) }),
  /**
   * A live ask (inference.ask), in order: 'frames' once the request is built (what the model
   * receives), 'delta' per piece of content, 'reset' when the server's stream broke and the
   * request starts again (drop what was shown), then 'done' with the stored prediction or 'error'.
   * `at`: the backend's clock (ms since the epoch) when it had the piece, for latency measurement.
   */
  'inference.stream': discriminatedUnion('type', [
    object({ type: literal('frames'), streamId: string(), sampleId: id, runId: id, frames: array(sentFrame), at: number() }),
    object({ type: literal('delta'), streamId: string(), sampleId: id, runId: id, text: string(), at: number() }),
    object({ type: literal('reset'), streamId: string(), sampleId: id, runId: id, reason: string(), at: number() }),
    object({ type: literal('done'), streamId: string(), sampleId: id, runId: id, prediction, at: number() }),
    object({ type: literal('error'), streamId: string(), sampleId: id, runId: id, message: string(), at: number() }),
  ]),
  /** A run's job stored more predictions (Inspect refetches its rows). */
  'inference.progress': object({ runId: id, done: number().int().nonnegative(), total: number().int().nonnegative() }),
  /** Frames of a clip being extracted for scrubbing (the frame cache; not a job: it serves the open clip). */
  'frames.progress': object({ clipId: id, done: number(), total: number() }),
  'frames.finished': object({ clipId: id, error: nullable(string()) }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = Infer<(typeof EVENTS)[E]>;

// ---------------------------------------------------------------------------------------------
// Errors and the client every transport implements.

export const API_ERROR_CODES = ['bad-request', 'not-found', 'conflict', 'unavailable', 'timeout', 'internal'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
export const apiErrorShape = object({ code: zodEnum(API_ERROR_CODES), message: string() });

/** What a call rejects with, on every host. */
export class ApiError extends Error {
  constructor(readonly code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResponse<M>>;
  /** Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The backend side: one handler per method, given validated requests. */
export type ApiHandlers = { [M in MethodName]: (request: MethodRequest<M>) => Promise<MethodResponse<M>> | MethodResponse<M> };
